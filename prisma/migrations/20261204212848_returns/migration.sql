-- CreateTable
CREATE TABLE "return_case" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "name" TEXT,
    "order_id" TEXT,
    "order_name" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "status_reason" TEXT,
    "platform_status" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "return_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_line" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "case_id" BIGINT NOT NULL,
    "source_line_id" TEXT NOT NULL,
    "line_item_id" TEXT,
    "variant_id" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "reason_key" TEXT NOT NULL,
    "restock_type" TEXT,
    "disposition" TEXT,
    "state" TEXT NOT NULL DEFAULT 'received',
    "state_reason" TEXT,
    "inbound_code" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "return_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_transition" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "line_id" BIGINT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "return_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disposition_rule" (
    "shop" TEXT NOT NULL,
    "reason_key" TEXT NOT NULL,
    "disposition" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "disposition_rule_pkey" PRIMARY KEY ("shop","reason_key")
);

-- CreateIndex
CREATE INDEX "return_case_shop_status_idx" ON "return_case"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "return_case_shop_source_id_key" ON "return_case"("shop", "source_id");

-- CreateIndex
CREATE INDEX "return_line_shop_state_idx" ON "return_line"("shop", "state");

-- CreateIndex
CREATE UNIQUE INDEX "return_line_case_id_source_line_id_key" ON "return_line"("case_id", "source_line_id");

-- CreateIndex
CREATE INDEX "return_transition_shop_line_id_id_idx" ON "return_transition"("shop", "line_id", "id");

-- AddForeignKey
ALTER TABLE "return_line" ADD CONSTRAINT "return_line_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "return_case"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Seeded default disposition rules under shop "*" (a shop's own rule with the same key wins). Reason handles
-- are Shopify's ReturnReasonDefinition handles. "unknown" and shop-specific handles have no default on purpose:
-- such returns wait in needs_rule until the merchant decides (docs/returns.md).
INSERT INTO "disposition_rule" ("shop", "reason_key", "disposition") VALUES
  ('*', 'restock:return', 'restock'),
  ('*', 'restock:no_restock', 'write_off'),
  ('*', 'reason:size-too-small', 'restock'),
  ('*', 'reason:size-too-large', 'restock'),
  ('*', 'reason:unwanted', 'restock'),
  ('*', 'reason:style', 'restock'),
  ('*', 'reason:color', 'restock'),
  ('*', 'reason:wrong-item', 'restock'),
  ('*', 'reason:not-as-described', 'inspect'),
  ('*', 'reason:other', 'inspect'),
  ('*', 'reason:defective', 'damaged');
