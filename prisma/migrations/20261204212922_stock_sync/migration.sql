-- CreateTable
CREATE TABLE "stock_goods" (
    "shop" TEXT NOT NULL,
    "goods_code" TEXT NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "read_at" TIMESTAMPTZ(3) NOT NULL,
    "last_sold_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_goods_pkey" PRIMARY KEY ("shop","goods_code")
);

-- CreateTable
CREATE TABLE "stock_level" (
    "shop" TEXT NOT NULL,
    "variant_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "inventory_item_id" TEXT,
    "sku" TEXT,
    "wms_available" INTEGER NOT NULL DEFAULT 0,
    "buffer" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "publish" INTEGER NOT NULL DEFAULT 0,
    "seen" INTEGER,
    "seen_at" TIMESTAMPTZ(3),
    "pushed_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'ok',
    "last_error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_level_pkey" PRIMARY KEY ("shop","variant_id","location_id")
);

-- CreateTable
CREATE TABLE "stock_buffer" (
    "shop" TEXT NOT NULL,
    "variant_id" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_buffer_pkey" PRIMARY KEY ("shop","variant_id")
);

-- CreateTable
CREATE TABLE "stock_reservation" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "goods_code" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "covered" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3),
    "release_reason" TEXT,

    CONSTRAINT "stock_reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_push_batch" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_push_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_sync_run" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "pushed" INTEGER NOT NULL DEFAULT 0,
    "warehouse_calls" INTEGER NOT NULL DEFAULT 0,
    "storefront_calls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "stock_sync_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stock_goods_shop_last_sold_at_idx" ON "stock_goods"("shop", "last_sold_at");

-- CreateIndex
CREATE INDEX "stock_level_shop_inventory_item_id_idx" ON "stock_level"("shop", "inventory_item_id");

-- CreateIndex
CREATE INDEX "stock_reservation_shop_goods_code_released_at_idx" ON "stock_reservation"("shop", "goods_code", "released_at");

-- CreateIndex
CREATE UNIQUE INDEX "stock_reservation_shop_order_id_goods_code_key" ON "stock_reservation"("shop", "order_id", "goods_code");

-- CreateIndex
CREATE UNIQUE INDEX "stock_push_batch_idempotency_key_key" ON "stock_push_batch"("idempotency_key");

-- CreateIndex
CREATE INDEX "stock_push_batch_shop_state_idx" ON "stock_push_batch"("shop", "state");

-- CreateIndex
CREATE INDEX "stock_sync_run_shop_started_at_idx" ON "stock_sync_run"("shop", "started_at");


