// Rescue: running jobs whose lease expired (their worker died or lost the database) are locked here, in the
// caller's transaction, so that the worker can record a failed attempt for each (retry or dead letter)
// through fail-job.ts with the same fence.
import type pg from 'pg';

export interface ExpiredRow {
  id: string;
  type: string;
  attempts: number;
  max_attempts: number | null;
  lease_owner: string;
  lease_expires_at: Date;
}

// Expired = lease_expires_at older than now − grace; the grace absorbs clock skew between processes.
const SQL = `
SELECT id, type, attempts, max_attempts, lease_owner, lease_expires_at FROM job
WHERE state = 'running' AND lease_expires_at < $1
ORDER BY lease_expires_at
LIMIT $2
FOR UPDATE SKIP LOCKED`;

export async function lockExpiredLeases(client: pg.PoolClient, expiredBefore: Date, limit: number): Promise<ExpiredRow[]> {
  const res = await client.query<ExpiredRow>({ name: 'wms_lock_expired', text: SQL, values: [expiredBefore, limit] });
  return res.rows;
}
