// Enqueue: inside the caller's Prisma interactive transaction (the transactional outbox) or on its own.
//   await prisma.$transaction(async (tx) => {
//     await tx.webhookEvent.create({ data: … });
//     await enqueue(tx, { type: 'webhook.process', payload: { id }, shop, uniqueKey: `webhook:${id}` });
//   });
// A rolled-back transaction leaves no job; the wake-up NOTIFY is only delivered on commit.
import type { PrismaClient } from '@prisma/client';
import type { Tx } from '../db/client.js';
import type { JobSpec } from './types.js';
import { insertJobsSql, insertScheduledJobSql, type InsertRow } from './sql/insert-jobs.js';

export type Queryable = PrismaClient | Tx;

export interface EnqueueResult {
  id: bigint;
  /** false: a pending/running job already held the unique key (its id is returned; replaced if asked). */
  created: boolean;
}

/** JSON with bigint support (ids are bigints in this codebase); rejects payloads that are not JSON. */
export function payloadJson(payload: unknown): string {
  const json = JSON.stringify(payload ?? {}, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (json === undefined) throw new TypeError('job payload must be JSON-serialisable');
  return json;
}

function toRow(spec: JobSpec, scheduleSlot: string | null = null): InsertRow {
  if (!spec.type) throw new TypeError('job type is required');
  if (spec.maxAttempts !== undefined && (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1)) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${spec.maxAttempts}`);
  }
  return {
    type: spec.type,
    payloadJson: payloadJson(spec.payload),
    shop: spec.shop ?? null,
    uniqueKey: spec.uniqueKey ?? null,
    orderingKey: spec.orderingKey ?? null,
    runAt: spec.runAt ?? null,
    maxAttempts: spec.maxAttempts ?? null,
    scheduleSlot,
  };
}

interface Returned {
  id: bigint;
  created: boolean;
}

export async function enqueue(db: Queryable, spec: JobSpec): Promise<EnqueueResult> {
  const rows = await db.$queryRaw<Returned[]>(insertJobsSql([toRow(spec)], spec.replacePending === true));
  const row = rows[0];
  if (!row) throw new Error(`enqueue of ${spec.type} returned no row`);
  return { id: BigInt(row.id), created: row.created };
}

/**
 * Several jobs in one statement (one round trip). Results are in input order. A unique key repeated
 * within the batch is enqueued once (the first spec wins, or the last one with replacePending) and every
 * spec carrying it gets that job's result.
 */
export async function enqueueMany(db: Queryable, specs: JobSpec[]): Promise<EnqueueResult[]> {
  if (specs.length === 0) return [];
  // Two groups because replacePending is a per-statement flag in the SQL.
  const groups: { replace: boolean; specs: JobSpec[] }[] = [
    { replace: false, specs: [] },
    { replace: true, specs: [] },
  ];
  const byKey = new Map<string, JobSpec>();
  const canonical: JobSpec[] = specs.map((s) => {
    if (!s.uniqueKey) return s;
    const seen = byKey.get(s.uniqueKey);
    if (!seen) {
      const copy = { ...s }; // never mutate the caller's spec
      byKey.set(s.uniqueKey, copy);
      return copy;
    }
    if (s.replacePending) Object.assign(seen, { payload: s.payload, runAt: s.runAt, replacePending: true });
    return seen;
  });
  for (const s of new Set(canonical)) groups[s.replacePending ? 1 : 0]!.specs.push(s);
  const results = new Map<JobSpec, EnqueueResult>();
  for (const g of groups) {
    if (g.specs.length === 0) continue;
    const rows = await db.$queryRaw<Returned[]>(insertJobsSql(g.specs.map((s) => toRow(s)), g.replace));
    if (rows.length !== g.specs.length) throw new Error(`enqueueMany: ${rows.length} rows for ${g.specs.length} jobs`);
    g.specs.forEach((s, i) => results.set(s, { id: BigInt(rows[i]!.id), created: rows[i]!.created }));
  }
  return canonical.map((s) => results.get(s)!);
}

/**
 * Enqueue for a scheduler slot: inserted only if no job ever took `slot` (and the spec's unique key, if
 * any, is free). Returns null when the slot was already taken.
 */
export async function enqueueForSlot(db: Queryable, spec: JobSpec, slot: string): Promise<EnqueueResult | null> {
  const rows = await db.$queryRaw<Returned[]>(insertScheduledJobSql(toRow(spec, slot)));
  const row = rows[0];
  return row ? { id: BigInt(row.id), created: true } : null;
}
