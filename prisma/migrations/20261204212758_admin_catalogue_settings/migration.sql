-- CreateTable
CREATE TABLE "catalogue_variant" (
    "shop" TEXT NOT NULL,
    "variant_id" TEXT NOT NULL,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "product_title" TEXT NOT NULL,
    "inventory_item_id" TEXT,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalogue_variant_pkey" PRIMARY KEY ("shop","variant_id")
);

-- CreateTable
CREATE TABLE "catalogue_sync" (
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "catalogue_sync_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "warehouse_connection" (
    "shop" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "token_enc" TEXT NOT NULL,
    "token_hint" TEXT NOT NULL,
    "operator" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "warehouse_connection_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "catalogue_variant_shop_sku_idx" ON "catalogue_variant"("shop", "sku");

