// Success: finished attempts recorded in one statement per flush (completions are batched by the worker).
import type pg from 'pg';

export interface Fence {
  id: string;
  attempts: number;
}

// Fenced by (lease_owner, attempts, state = running): a worker whose lease was lost and whose job was
// rescued (and maybe claimed again) cannot mark the newer attempt as done. unique_key is released so the
// key can be enqueued again; lease_owner stays as the audit of who ran it.
const SQL = `
UPDATE job SET state = 'succeeded', finished_at = $2, updated_at = $2, unique_key = NULL, lease_expires_at = NULL
FROM unnest($3::bigint[], $4::int[]) AS u(id, attempts)
WHERE job.id = u.id AND job.attempts = u.attempts AND job.lease_owner = $1 AND job.state = 'running'
RETURNING job.id`;

/** Returns the ids actually completed (the others had lost their lease). */
export async function completeJobs(db: pg.Pool | pg.PoolClient, owner: string, now: Date, jobs: Fence[]): Promise<Set<string>> {
  const res = await db.query<{ id: string }>({
    name: 'wms_complete_jobs',
    text: SQL,
    values: [owner, now, jobs.map((j) => j.id), jobs.map((j) => j.attempts)],
  });
  return new Set(res.rows.map((r) => r.id));
}
