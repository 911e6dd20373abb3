// INSERT of new jobs (enqueue). Runs through Prisma ($queryRaw) so it joins the caller's interactive
// transaction: a stored webhook and its job commit together or not at all (the transactional outbox).
import { Prisma } from '@prisma/client';

/** NOTIFY channel that wakes idle workers. pg_notify is transactional: sent only when the insert commits. */
export const JOBS_CHANNEL = 'wms_bridge_jobs';

export interface InsertRow {
  type: string;
  payloadJson: string;
  shop: string | null;
  uniqueKey: string | null;
  orderingKey: string | null;
  runAt: Date | null; // null: the database's now()
  maxAttempts: number | null;
  scheduleSlot: string | null;
}

function values(rows: InsertRow[]): Prisma.Sql {
  return Prisma.join(
    rows.map(
      (r) => Prisma.sql`(${r.type}, ${r.payloadJson}::jsonb, ${r.shop}, ${r.uniqueKey}, ${r.uniqueKey}, ${r.orderingKey},
        ${r.runAt ? Prisma.sql`${r.runAt.toISOString()}::timestamptz` : Prisma.sql`now()`}, ${r.maxAttempts}::int,
        ${r.scheduleSlot})`,
    ),
  );
}

/**
 * Ordering keys: jobs with one key must get ids in commit order, or a worker could run a later job
 * (higher id, committed first) before an earlier one becomes visible. A transaction-scoped advisory lock
 * per key serialises enqueuers of the same key until they commit (keys sorted: no lock-order deadlock).
 * The lock CTE is joined into the INSERT's source so it is taken before the id sequence is drawn.
 */
function lockPrefix(orderingKeys: (string | null)[]): { cte: Prisma.Sql; from: Prisma.Sql } {
  const keys = [...new Set(orderingKeys.filter((k): k is string => k !== null))].sort();
  if (keys.length === 0) return { cte: Prisma.empty, from: Prisma.empty };
  return {
    cte: Prisma.sql`locks AS MATERIALIZED (
      SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n
      FROM unnest(ARRAY[${Prisma.join(keys)}]::text[]) AS k),`,
    from: Prisma.sql`CROSS JOIN locks`,
  };
}

/**
 * Inserts jobs; a job whose unique_key is held by a pending/running job is not inserted: the existing id
 * is returned with created=false (ON CONFLICT DO UPDATE locks and returns the existing row; `xmax = 0`
 * tells a fresh insert from a conflict). With `replacePending` a still-pending job takes the new payload
 * and run_at; a running one is left alone. One statement = one round trip, NOTIFY included.
 * Rows come back in input order (PostgreSQL returns INSERT … VALUES rows in order); callers must not pass
 * two rows with the same unique_key in one call.
 */
const JOB_COLUMNS = Prisma.sql`type, payload, shop, unique_key, enqueued_key, ordering_key, run_at, max_attempts, schedule_slot`;

/** The INSERT … SELECT shared by both entry points; `source` yields rows with JOB_COLUMNS, aliased `v`. */
function insertCte(source: Prisma.Sql, lockFrom: Prisma.Sql, replacePending: boolean): Prisma.Sql {
  return Prisma.sql`ins AS (
      INSERT INTO job (${JOB_COLUMNS})
      SELECT v.type, v.payload, v.shop, v.unique_key, v.enqueued_key, v.ordering_key, v.run_at, v.max_attempts, v.schedule_slot
      FROM ${source} ${lockFrom}
      ON CONFLICT (unique_key) DO UPDATE SET
        payload = CASE WHEN ${replacePending} AND job.state = 'pending' THEN EXCLUDED.payload ELSE job.payload END,
        run_at = CASE WHEN ${replacePending} AND job.state = 'pending' THEN EXCLUDED.run_at ELSE job.run_at END,
        updated_at = CASE WHEN ${replacePending} AND job.state = 'pending' THEN now() ELSE job.updated_at END
      RETURNING id, (xmax = 0) AS created
    )`;
}

/**
 * Inserts jobs; a job whose unique_key is held by a pending/running job is not inserted: the existing id
 * is returned with created=false (ON CONFLICT DO UPDATE locks and returns the existing row; `xmax = 0`
 * tells a fresh insert from a conflict). With `replacePending` a still-pending job takes the new payload
 * and run_at; a running one is left alone. One statement = one round trip, NOTIFY included.
 * Rows come back in input order (PostgreSQL returns INSERT … VALUES rows in order); callers must not pass
 * two rows with the same unique_key in one call.
 */
export function insertJobsSql(rows: InsertRow[], replacePending: boolean): Prisma.Sql {
  const { cte, from } = lockPrefix(rows.map((r) => r.orderingKey));
  const source = Prisma.sql`(VALUES ${values(rows)}) AS v(${JOB_COLUMNS})`;
  return Prisma.sql`
    WITH ${cte} ${insertCte(source, from, replacePending)}
    SELECT ins.id, ins.created, pg_notify(${JOBS_CHANNEL}, '') IS NULL AS notified FROM ins`;
}

/**
 * Jobs whose rows come from earlier CTEs of the SAME statement (e.g. the rows another INSERT … RETURNING just
 * wrote): both writes commit as one statement, without an interactive transaction (one round trip instead of
 * BEGIN + 2 statements + COMMIT — the webhook intake's hot path). `ctes` are the caller's CTEs (each followed
 * by a comma); `source` is a parenthesised SELECT yielding the job columns; `SELECT selectList FROM from`
 * is the statement's result. Ordering keys must be given up front so their advisory locks are taken before the job ids are drawn.
 * Workers are woken once if any job was inserted.
 */
export function insertJobsAfterSql(opts: {
  ctes: Prisma.Sql;
  source: Prisma.Sql;
  orderingKeys: (string | null)[];
  selectList: Prisma.Sql;
  from: Prisma.Sql;
}): Prisma.Sql {
  const { cte, from } = lockPrefix(opts.orderingKeys);
  return Prisma.sql`
    WITH ${cte} ${opts.ctes} ${insertCte(Prisma.sql`${opts.source} AS v`, from, false)}
    SELECT ${opts.selectList}, (SELECT bool_and(pg_notify(${JOBS_CHANNEL}, '') IS NULL) FROM (SELECT 1 FROM ins LIMIT 1) AS one) AS notified
    FROM ${opts.from}`;
}

/**
 * Scheduler insert: at most one job per schedule_slot, ever (the slot key is never cleared). Any unique
 * conflict (slot already taken, or the schedule's unique_key still pending) means "nothing to do".
 */
export function insertScheduledJobSql(row: InsertRow): Prisma.Sql {
  return Prisma.sql`
    WITH ins AS (
      INSERT INTO job (type, payload, shop, unique_key, enqueued_key, ordering_key, run_at, max_attempts, schedule_slot)
      VALUES ${values([row])}
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT ins.id, true AS created, pg_notify(${JOBS_CHANNEL}, '') IS NULL AS notified FROM ins`;
}
