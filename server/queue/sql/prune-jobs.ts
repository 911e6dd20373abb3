// Retention: finished jobs (and resolved alerts) older than their retention period, deleted in small
// batches so a large backlog never holds long locks.
import type pg from 'pg';

// Failed/dead jobs are kept while a later job with the same ordering key still waits behind them:
// deleting the blocker would silently release the jobs it holds.
const JOBS_SQL = `
DELETE FROM job WHERE id IN (
  SELECT j.id FROM job j
  WHERE (j.state IN ('succeeded', 'discarded') AND j.finished_at < $1)
     OR (j.state IN ('failed', 'dead') AND j.finished_at < $2 AND (j.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM job w WHERE w.ordering_key = j.ordering_key AND w.id > j.id AND w.state IN ('pending', 'running'))))
  LIMIT $3
  FOR UPDATE SKIP LOCKED)`;

export async function pruneJobsBatch(db: pg.Pool | pg.PoolClient, p: { finishedBefore: Date; failedBefore: Date; limit: number }): Promise<number> {
  const res = await db.query(JOBS_SQL, [p.finishedBefore, p.failedBefore, p.limit]);
  return res.rowCount ?? 0;
}

const ALERTS_SQL = `
DELETE FROM alert WHERE id IN (SELECT id FROM alert WHERE resolved_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export async function pruneResolvedAlertsBatch(db: pg.Pool | pg.PoolClient, p: { resolvedBefore: Date; limit: number }): Promise<number> {
  const res = await db.query(ALERTS_SQL, [p.resolvedBefore, p.limit]);
  return res.rowCount ?? 0;
}
