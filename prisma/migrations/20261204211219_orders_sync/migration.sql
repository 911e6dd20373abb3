-- Orders → warehouse → fulfilments (docs/orders.md): order sync state, shipments per warehouse document,
-- SKU mappings, carrier mappings and the audit trail of external calls.

-- CreateTable
CREATE TABLE "order_sync" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "order_name" TEXT,
    "state" TEXT NOT NULL DEFAULT 'received',
    "state_reason" TEXT,
    "missing_skus" JSONB NOT NULL DEFAULT '[]',
    "skipped_lines" JSONB NOT NULL DEFAULT '[]',
    "lines" JSONB NOT NULL DEFAULT '[]',
    "line_map" JSONB NOT NULL DEFAULT '[]',
    "dn_code" TEXT,
    "dn_ref" JSONB,
    "dn_state" TEXT,
    "flags" JSONB NOT NULL DEFAULT '[]',
    "poll_done" BOOLEAN NOT NULL DEFAULT false,
    "order_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_sync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_shipment" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "doc_key" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "fulfillment_id" TEXT,
    "tracking_company" TEXT,
    "tracking_number" TEXT,
    "tracking_url" TEXT,
    "tracking_sent" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sku_mapping" (
    "shop" TEXT NOT NULL,
    "variant_id" TEXT NOT NULL,
    "sku" TEXT,
    "components" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sku_mapping_pkey" PRIMARY KEY ("shop","variant_id")
);

-- CreateTable
CREATE TABLE "carrier_mapping" (
    "shop" TEXT NOT NULL,
    "driver_key" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "tracking_url_template" TEXT,

    CONSTRAINT "carrier_mapping_pkey" PRIMARY KEY ("shop","driver_key")
);

-- CreateTable
CREATE TABLE "external_call" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT,
    "system" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "order_sync_shop_state_idx" ON "order_sync"("shop", "state");

-- CreateIndex
CREATE UNIQUE INDEX "order_sync_shop_order_id_key" ON "order_sync"("shop", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_shipment_shop_order_id_doc_key_key" ON "order_shipment"("shop", "order_id", "doc_key");

-- CreateIndex
CREATE INDEX "external_call_shop_order_id_at_idx" ON "external_call"("shop", "order_id", "at");
