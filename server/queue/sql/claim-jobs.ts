// Claim: move up to `limit` due jobs from pending to running under this worker's lease, in one statement.
import type pg from 'pg';

export interface ClaimedRow {
  id: string; // bigint as text (node-postgres)
  type: string;
  payload: unknown;
  shop: string | null;
  attempts: number;
  max_attempts: number | null;
  ordering_key: string | null;
  enqueued_key: string | null;
  created_at: Date;
  run_at: Date;
}

// - FOR UPDATE SKIP LOCKED: concurrent claimers never wait for each other and never take the same row;
//   after the lock PostgreSQL re-checks `state = 'pending'`, so a row claimed and committed by another
//   worker in between is skipped.
// - Ordering keys: a job is claimable only if no earlier job (lower id) with its key is pending, running,
//   failed or dead. So one job per key at a time, in id order, and a failed/dead job holds the rest until a
//   person retries or discards it ("cancel" never overtakes a stuck "create"). Ids follow commit order per
//   key (enqueue takes an advisory lock per key), and a claimer's snapshot can only be more conservative.
// - Only types this worker has handlers for: an unknown type waits (visible) instead of failing.
// - The attempt is counted here, so a worker killed mid-job still spends one (rescue-expired-leases.ts).
const SQL = `
WITH next AS (
  SELECT j.id FROM job j
  WHERE j.state = 'pending' AND j.run_at <= $1 AND j.type = ANY($2::text[])
    AND (j.ordering_key IS NULL OR NOT EXISTS (
      SELECT 1 FROM job e
      WHERE e.ordering_key = j.ordering_key AND e.id < j.id
        AND e.state IN ('pending', 'running', 'failed', 'dead')))
  ORDER BY j.run_at, j.id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
)
UPDATE job SET state = 'running', attempts = job.attempts + 1, lease_owner = $4, lease_expires_at = $5,
  started_at = $1, updated_at = $1
FROM next WHERE job.id = next.id
RETURNING job.id, job.type, job.payload, job.shop, job.attempts, job.max_attempts, job.ordering_key,
  job.enqueued_key, job.created_at, job.run_at`;

export async function claimJobs(
  db: pg.Pool | pg.PoolClient,
  p: { now: Date; types: string[]; limit: number; owner: string; leaseExpiresAt: Date },
): Promise<ClaimedRow[]> {
  const res = await db.query<ClaimedRow>({ name: 'wms_claim_jobs', text: SQL, values: [p.now, p.types, p.limit, p.owner, p.leaseExpiresAt] });
  // RETURNING order is not guaranteed; run in due order.
  return res.rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
}
