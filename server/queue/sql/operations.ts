// Operations on the queue for people (admin UI, CLI): list, retry now, discard, counts, oldest runnable.
// Every statement takes an optional shop; the admin API always passes the session's shop.
import { Prisma } from '@prisma/client';

export const JOB_STATES = ['pending', 'running', 'succeeded', 'failed', 'dead', 'discarded'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

const shopFilter = (shop: string | null | undefined, alias = 'j') =>
  shop === undefined ? Prisma.empty : shop === null ? Prisma.sql`AND ${Prisma.raw(alias)}.shop IS NULL` : Prisma.sql`AND ${Prisma.raw(alias)}.shop = ${shop}`;

export interface ListFilter {
  shop?: string | null;
  state?: JobStateName;
  type?: string;
  /** Keyset pagination: jobs with an id below this one. */
  beforeId?: bigint;
  limit: number;
}

/** Newest first. `blocked_by`: the earliest unfinished/failed job with the same ordering key, if any. */
export function listJobsSql(f: ListFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT j.id, j.type, j.payload, j.state::text AS state, j.shop, j.attempts, j.max_attempts, j.run_at,
      j.enqueued_key, j.ordering_key, j.lease_owner, j.lease_expires_at, j.last_error, j.last_error_code,
      j.created_at, j.updated_at, j.started_at, j.finished_at,
      CASE WHEN j.ordering_key IS NOT NULL AND j.state = 'pending' THEN (
        SELECT min(e.id) FROM job e WHERE e.ordering_key = j.ordering_key AND e.id < j.id
          AND e.state IN ('pending', 'running', 'failed', 'dead')) END AS blocked_by
    FROM job j
    WHERE true ${shopFilter(f.shop)}
      ${f.state ? Prisma.sql`AND j.state = ${f.state}::job_state` : Prisma.empty}
      ${f.type ? Prisma.sql`AND j.type = ${f.type}` : Prisma.empty}
      ${f.beforeId !== undefined ? Prisma.sql`AND j.id < ${f.beforeId}` : Prisma.empty}
    ORDER BY j.id DESC
    LIMIT ${f.limit}`;
}

/**
 * Retry now: a pending, failed, dead or discarded job becomes pending, due now, with a fresh attempt
 * budget; its unique key is taken back unless another live job holds it meanwhile. Its open alerts are
 * resolved (a person acted). Running jobs are left alone.
 */
export function retryJobSql(id: bigint, shop: string | null | undefined): Prisma.Sql {
  return Prisma.sql`
    WITH r AS (
      UPDATE job j SET state = 'pending', run_at = now(), attempts = 0, updated_at = now(), finished_at = NULL,
        lease_owner = NULL, lease_expires_at = NULL,
        unique_key = CASE WHEN j.enqueued_key IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM job o WHERE o.unique_key = j.enqueued_key AND o.id <> j.id) THEN j.enqueued_key ELSE j.unique_key END
      WHERE j.id = ${id} AND j.state IN ('pending', 'failed', 'dead', 'discarded') ${shopFilter(shop)}
      RETURNING j.id
    ), a AS (
      UPDATE alert SET resolved_at = now() WHERE subject_ref = 'job:' || ${id}::text AND resolved_at IS NULL
        AND EXISTS (SELECT 1 FROM r)
    )
    SELECT r.id, pg_notify('wms_bridge_jobs', '') IS NULL AS notified FROM r`;
}

/** Discard: a job that is not running nor finished well is dropped by a person; alerts resolved. */
export function discardJobSql(id: bigint, shop: string | null | undefined): Prisma.Sql {
  return Prisma.sql`
    WITH d AS (
      UPDATE job j SET state = 'discarded', unique_key = NULL, updated_at = now(), finished_at = now()
      WHERE j.id = ${id} AND j.state IN ('pending', 'failed', 'dead') ${shopFilter(shop)}
      RETURNING j.id, j.ordering_key
    ), a AS (
      UPDATE alert SET resolved_at = now() WHERE subject_ref = 'job:' || ${id}::text AND resolved_at IS NULL
        AND EXISTS (SELECT 1 FROM d)
    )
    SELECT d.id, pg_notify('wms_bridge_jobs', '') IS NULL AS notified FROM d`;
}

export function countsByStateSql(shop: string | null | undefined): Prisma.Sql {
  return Prisma.sql`SELECT j.state::text AS state, count(*)::int AS n FROM job j WHERE true ${shopFilter(shop)} GROUP BY j.state`;
}

/** The oldest pending job that is due (run_at ≤ now): how far behind the queue is. */
export function oldestRunnableSql(now: Date, shop: string | null | undefined): Prisma.Sql {
  return Prisma.sql`
    SELECT min(j.run_at) AS oldest FROM job j
    WHERE j.state = 'pending' AND j.run_at <= ${now.toISOString()}::timestamptz ${shopFilter(shop)}`;
}
