// jobs.prune: deletes finished jobs after their retention period. Nothing else ever deletes a job.
import type pg from 'pg';
import type { JobHandler } from './types.js';
import { pruneJobsBatch, pruneResolvedAlertsBatch } from './sql/prune-jobs.js';

const DAY = 24 * 60 * 60_000;
/** Succeeded/discarded jobs: a week of history answers "did order X go to the warehouse?" questions. */
export const FINISHED_RETENTION_DAYS = 7;
/** Failed/dead jobs and resolved alerts: a quarter, long enough for any follow-up with the merchant. */
export const FAILED_RETENTION_DAYS = 90;
/** Rows per DELETE: small enough to keep each statement's locks short (~10 ms). */
const BATCH = 1000;

export interface PrunePayload {
  finishedRetentionDays?: number;
  failedRetentionDays?: number;
}

export function pruneJobsHandler(deps: { pool: pg.Pool; now?: () => Date }): JobHandler<PrunePayload> {
  return async (job, ctx) => {
    const now = (deps.now ?? (() => new Date()))().getTime();
    const finishedBefore = new Date(now - (job.payload?.finishedRetentionDays ?? FINISHED_RETENTION_DAYS) * DAY);
    const failedBefore = new Date(now - (job.payload?.failedRetentionDays ?? FAILED_RETENTION_DAYS) * DAY);
    let jobs = 0;
    for (;;) {
      if (ctx.signal.aborted) break; // the next run continues
      const n = await pruneJobsBatch(deps.pool, { finishedBefore, failedBefore, limit: BATCH });
      jobs += n;
      if (n < BATCH) break;
    }
    let alerts = 0;
    for (;;) {
      if (ctx.signal.aborted) break;
      const n = await pruneResolvedAlertsBatch(deps.pool, { resolvedBefore: failedBefore, limit: BATCH });
      alerts += n;
      if (n < BATCH) break;
    }
    ctx.log.info({ jobs, alerts, finishedBefore, failedBefore }, 'pruned finished jobs and resolved alerts');
  };
}
