// Failure of one attempt: back to pending for a later retry, or final (failed / dead) with an alert row.
// The worker's retry policy decides which; these statements only record it.
import type pg from 'pg';

export interface FailParams {
  id: string;
  attempts: number;
  owner: string;
  now: Date;
  error: string;
  errorCode: string | null;
}

const RETRY_SQL = `
UPDATE job SET state = 'pending', run_at = $5, last_error = $6, last_error_code = $7, updated_at = $4,
  lease_owner = NULL, lease_expires_at = NULL
WHERE id = $1 AND attempts = $2 AND lease_owner = $3 AND state = 'running'
RETURNING id`;

export async function scheduleRetry(db: pg.Pool | pg.PoolClient, p: FailParams & { runAt: Date }): Promise<boolean> {
  const res = await db.query({ name: 'wms_retry_job', text: RETRY_SQL, values: [p.id, p.attempts, p.owner, p.now, p.runAt, p.error, p.errorCode] });
  return res.rowCount === 1;
}

// Final state and its alert in one statement: there is never a dead job without its alert.
const FINAL_SQL = `
WITH f AS (
  UPDATE job SET state = $5::job_state, last_error = $6, last_error_code = $7, updated_at = $4, finished_at = $4,
    unique_key = NULL, lease_expires_at = NULL
  WHERE id = $1 AND attempts = $2 AND lease_owner = $3 AND state = 'running'
  RETURNING id, type, shop, attempts, ordering_key
)
INSERT INTO alert (shop, kind, severity, message, subject_ref, details, created_at)
SELECT f.shop, 'job.' || $5, 'error', $8, 'job:' || f.id,
  jsonb_build_object('jobId', f.id::text, 'type', f.type, 'attempts', f.attempts, 'orderingKey', f.ordering_key,
    'error', $6::text, 'errorCode', $7::text), $4
FROM f
RETURNING id`;

export async function finalizeFailed(
  db: pg.Pool | pg.PoolClient,
  p: FailParams & { state: 'failed' | 'dead'; alertMessage: string },
): Promise<boolean> {
  const res = await db.query({
    name: 'wms_finalize_failed_job',
    text: FINAL_SQL,
    values: [p.id, p.attempts, p.owner, p.now, p.state, p.error, p.errorCode, p.alertMessage],
  });
  return res.rowCount === 1;
}
