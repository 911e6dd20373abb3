-- AlterTable
ALTER TABLE "shop" ADD COLUMN     "orders_reconciled_at" TIMESTAMPTZ(3),
ADD COLUMN     "scopes" TEXT;

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "is_online" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMPTZ(3),
    "access_token" TEXT NOT NULL,
    "user_id" BIGINT,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "account_owner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "email_verified" BOOLEAN DEFAULT false,
    "refresh_token" TEXT,
    "refresh_token_expires" TIMESTAMPTZ(3),

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_event" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "event_id" TEXT,
    "topic" TEXT NOT NULL,
    "api_version" TEXT,
    "subscription_name" TEXT,
    "triggered_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL DEFAULT 'webhook',
    "resource_id" TEXT,
    "resource_updated_at" TIMESTAMPTZ(3),
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "processed_at" TIMESTAMPTZ(3),
    "result" JSONB,

    CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "session_shop_idx" ON "session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_event_webhook_id_key" ON "webhook_event"("webhook_id");

-- CreateIndex
CREATE INDEX "webhook_event_shop_resource_id_idx" ON "webhook_event"("shop", "resource_id");

-- CreateIndex
CREATE INDEX "webhook_event_shop_received_at_idx" ON "webhook_event"("shop", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_event_shop_topic_event_id_key" ON "webhook_event"("shop", "topic", "event_id");

