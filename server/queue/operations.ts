// Operations API for people (the admin UI comes later): list jobs, retry now, discard, counts by state and
// the age of the oldest runnable job. Pass `shop` to scope to one shop (the admin API always does).
import type { Queryable } from './enqueue.js';
import {
  countsByStateSql,
  discardJobSql,
  JOB_STATES,
  listJobsSql,
  oldestRunnableSql,
  retryJobSql,
  type JobStateName,
  type ListFilter,
} from './sql/operations.js';

export { JOB_STATES, type JobStateName };

export interface JobSummary {
  id: bigint;
  type: string;
  payload: unknown;
  state: JobStateName;
  shop: string | null;
  attempts: number;
  maxAttempts: number | null;
  runAt: Date;
  enqueuedKey: string | null;
  orderingKey: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** A pending job held by an earlier job with its ordering key (often a failed/dead one to act on). */
  blockedBy: bigint | null;
}

interface Row {
  id: bigint;
  type: string;
  payload: unknown;
  state: JobStateName;
  shop: string | null;
  attempts: number;
  max_attempts: number | null;
  run_at: Date;
  enqueued_key: string | null;
  ordering_key: string | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  last_error: string | null;
  last_error_code: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  blocked_by: bigint | null;
}

export async function listJobs(db: Queryable, filter: Partial<ListFilter> = {}): Promise<JobSummary[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = await db.$queryRaw<Row[]>(listJobsSql({ ...filter, limit }));
  return rows.map((r) => ({
    id: BigInt(r.id),
    type: r.type,
    payload: r.payload,
    state: r.state,
    shop: r.shop,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    enqueuedKey: r.enqueued_key,
    orderingKey: r.ordering_key,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    lastError: r.last_error,
    lastErrorCode: r.last_error_code,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    blockedBy: r.blocked_by === null ? null : BigInt(r.blocked_by),
  }));
}

/** Makes a pending/failed/dead/discarded job due now with a fresh attempt budget. False if not allowed. */
export async function retryJob(db: Queryable, id: bigint, opts: { shop?: string | null } = {}): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>(retryJobSql(id, opts.shop));
  return rows.length === 1;
}

/** Drops a pending/failed/dead job (never a running one). Later jobs with its ordering key may then run. */
export async function discardJob(db: Queryable, id: bigint, opts: { shop?: string | null } = {}): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>(discardJobSql(id, opts.shop));
  return rows.length === 1;
}

export async function countsByState(db: Queryable, opts: { shop?: string | null } = {}): Promise<Record<JobStateName, number>> {
  const rows = await db.$queryRaw<{ state: JobStateName; n: number }[]>(countsByStateSql(opts.shop));
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobStateName, number>;
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}

/** Milliseconds since the oldest due pending job became due; 0 when nothing is waiting. */
export async function oldestRunnableAgeMs(db: Queryable, opts: { shop?: string | null; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const rows = await db.$queryRaw<{ oldest: Date | null }[]>(oldestRunnableSql(now, opts.shop));
  const oldest = rows[0]?.oldest;
  return oldest ? Math.max(0, now.getTime() - new Date(oldest).getTime()) : 0;
}

export interface QueueStats {
  counts: Record<JobStateName, number>;
  oldestRunnableAgeMs: number;
}

export async function queueStats(db: Queryable, opts: { shop?: string | null; now?: Date } = {}): Promise<QueueStats> {
  return { counts: await countsByState(db, opts), oldestRunnableAgeMs: await oldestRunnableAgeMs(db, opts) };
}
