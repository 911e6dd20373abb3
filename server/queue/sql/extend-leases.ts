// Heartbeat: one statement extends the leases of all jobs this worker is running.
import type pg from 'pg';
import type { Fence } from './complete-and-claim.js';

const SQL = `
UPDATE job SET lease_expires_at = $2
FROM unnest($3::bigint[], $4::int[]) AS u(id, attempts)
WHERE job.id = u.id AND job.attempts = u.attempts AND job.lease_owner = $1 AND job.state = 'running'
RETURNING job.id`;

/** Returns the ids whose lease is still ours; any other id was rescued and must stop. */
export async function extendLeases(db: pg.Pool | pg.PoolClient, owner: string, expiresAt: Date, jobs: Fence[]): Promise<Set<string>> {
  const res = await db.query<{ id: string }>({
    name: 'wms_extend_leases',
    text: SQL,
    values: [owner, expiresAt, jobs.map((j) => j.id), jobs.map((j) => j.attempts)],
  });
  return new Set(res.rows.map((r) => r.id));
}
