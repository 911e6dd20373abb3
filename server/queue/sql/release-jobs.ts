// Shutdown: hand jobs still running back to pending, at once and without spending the attempt (the job did
// not fail; this worker stopped), so another worker takes them immediately.
import type pg from 'pg';
import type { Fence } from './complete-and-claim.js';

const SQL = `
UPDATE job SET state = 'pending', attempts = job.attempts - 1, run_at = $2, updated_at = $2,
  lease_owner = NULL, lease_expires_at = NULL, last_error = 'released by a worker shutting down'
FROM unnest($3::bigint[], $4::int[]) AS u(id, attempts)
WHERE job.id = u.id AND job.attempts = u.attempts AND job.lease_owner = $1 AND job.state = 'running'
RETURNING job.id`;

export async function releaseJobs(db: pg.Pool | pg.PoolClient, owner: string, now: Date, jobs: Fence[]): Promise<Set<string>> {
  const res = await db.query<{ id: string }>({ text: SQL, values: [owner, now, jobs.map((j) => j.id), jobs.map((j) => j.attempts)] });
  return new Set(res.rows.map((r) => r.id));
}
