-- CreateEnum
CREATE TYPE "job_state" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'dead', 'discarded');

-- CreateEnum
CREATE TYPE "alert_severity" AS ENUM ('info', 'warning', 'error');

-- CreateTable
CREATE TABLE "shop" (
    "domain" TEXT NOT NULL,
    "installed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalled_at" TIMESTAMP(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "job" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "state" "job_state" NOT NULL DEFAULT 'pending',
    "shop" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 25,
    "run_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unique_key" TEXT,
    "enqueued_key" TEXT,
    "ordering_key" TEXT,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT,
    "kind" TEXT NOT NULL,
    "severity" "alert_severity" NOT NULL DEFAULT 'error',
    "message" TEXT NOT NULL,
    "subject_ref" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "job_unique_key_key" ON "job"("unique_key");

-- CreateIndex
CREATE INDEX "job_state_run_at_idx" ON "job"("state", "run_at");

-- CreateIndex
CREATE INDEX "job_ordering_key_id_idx" ON "job"("ordering_key", "id");

-- CreateIndex
CREATE INDEX "job_state_lease_expires_at_idx" ON "job"("state", "lease_expires_at");

-- CreateIndex
CREATE INDEX "job_shop_state_idx" ON "job"("shop", "state");

-- CreateIndex
CREATE INDEX "alert_shop_resolved_at_idx" ON "alert"("shop", "resolved_at");
