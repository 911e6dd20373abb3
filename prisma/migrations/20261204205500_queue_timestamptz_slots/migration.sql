-- Job queue (server/queue): instants as timestamptz (the queue compares them with times passed from Node),
-- max_attempts null = the type's retry policy decides, the last error's code, a never-cleared scheduler
-- slot key, and the claim index with the id tiebreak.

-- DropIndex
DROP INDEX "job_state_run_at_idx";

-- AlterTable
ALTER TABLE "job" ADD COLUMN     "last_error_code" TEXT,
ADD COLUMN     "schedule_slot" TEXT,
ALTER COLUMN "max_attempts" DROP NOT NULL,
ALTER COLUMN "max_attempts" DROP DEFAULT,
ALTER COLUMN "run_at" SET DATA TYPE TIMESTAMPTZ(3) USING "run_at" AT TIME ZONE 'UTC',
ALTER COLUMN "lease_expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "lease_expires_at" AT TIME ZONE 'UTC',
ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
ALTER COLUMN "updated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "updated_at" AT TIME ZONE 'UTC',
ALTER COLUMN "started_at" SET DATA TYPE TIMESTAMPTZ(3) USING "started_at" AT TIME ZONE 'UTC',
ALTER COLUMN "finished_at" SET DATA TYPE TIMESTAMPTZ(3) USING "finished_at" AT TIME ZONE 'UTC';

-- AlterTable
ALTER TABLE "alert" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
ALTER COLUMN "resolved_at" SET DATA TYPE TIMESTAMPTZ(3) USING "resolved_at" AT TIME ZONE 'UTC';

-- CreateIndex
CREATE UNIQUE INDEX "job_schedule_slot_key" ON "job"("schedule_slot");

-- CreateIndex
CREATE INDEX "job_state_run_at_id_idx" ON "job"("state", "run_at", "id");

-- CreateIndex
CREATE INDEX "job_type_state_idx" ON "job"("type", "state");
