// Data layer of the webhook inbox (table webhook_event). Every query is scoped by shop.
import { Prisma, type PrismaClient } from '@prisma/client';
import type { SqlQuery, Tx } from '../../db/client.js';
import { insertJobsAfterSql } from '../../queue/sql/insert-jobs.js';

export type Db = PrismaClient | Tx;

export interface NewWebhookEvent {
  shop: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  subscriptionName: string | null;
  triggeredAt: Date | null;
  source: 'webhook' | 'reconcile';
  resourceId: string | null;
  resourceUpdatedAt: Date | null;
  /** The JSON text exactly as received (stored as jsonb without re-serialising). */
  payloadJson: string;
  status: 'received' | 'ignored';
}

/**
 * Inserts the event unless this delivery (webhook id) or this event for this topic (event id) is already
 * stored. Returns the new id, or null for a duplicate. Concurrent duplicates: the second INSERT waits for
 * the first transaction and then does nothing (or inserts, if the first rolled back).
 */
export async function insertWebhookEvent(db: Db, e: NewWebhookEvent): Promise<bigint | null> {
  const rows = await db.$queryRaw<{ id: bigint }[]>(Prisma.sql`
    INSERT INTO webhook_event (shop, webhook_id, event_id, topic, api_version, subscription_name, triggered_at,
                               source, resource_id, resource_updated_at, payload, status)
    VALUES (${e.shop}, ${e.webhookId}, ${e.eventId}, ${e.topic}, ${e.apiVersion}, ${e.subscriptionName},
            ${e.triggeredAt}::timestamptz, ${e.source}, ${e.resourceId}, ${e.resourceUpdatedAt}::timestamptz,
            ${e.payloadJson}::jsonb, ${e.status})
    ON CONFLICT DO NOTHING
    RETURNING id`);
  return rows[0]?.id ?? null;
}

/**
 * The intake's hot path: several events AND the processing job of each newly stored, handled one, in ONE
 * statement (atomic without an interactive transaction: one round trip instead of four). A duplicate (webhook
 * id, or event id + topic, already stored) inserts no event and therefore no job. The job of event N is
 * `{ type: jobType, payload: { webhookEventId: "N" }, uniqueKey: "<jobType>:N" }`, as recordDeliveryInTx
 * enqueues it. Returns, per input row, the new id or null (duplicate).
 */
export async function insertWebhookEventsWithJobs(
  query: SqlQuery,
  events: (NewWebhookEvent & { orderingKey: string | null })[],
  jobType: string,
): Promise<(bigint | null)[]> {
  if (events.length === 0) return [];
  const sorted = [...events].sort((a, b) => (a.webhookId < b.webhookId ? -1 : a.webhookId > b.webhookId ? 1 : 0));
  const values = Prisma.join(
    sorted.map(
      (e) => Prisma.sql`(${e.shop}, ${e.webhookId}, ${e.eventId}, ${e.topic}, ${e.apiVersion}, ${e.subscriptionName},
        ${e.triggeredAt}::timestamptz, ${e.source}, ${e.resourceId}, ${e.resourceUpdatedAt}::timestamptz, ${e.payloadJson}::jsonb, ${e.status})`,
    ),
  );
  // One key row per webhook id (a delivery repeated within the batch must not yield two jobs).
  const firstByWebhookId = new Map(sorted.map((e) => [e.webhookId, e] as const));
  const keys = Prisma.join([...firstByWebhookId.values()].map((e) => Prisma.sql`(${e.webhookId}, ${e.orderingKey}::text)`));
  const rows = await query<{ id: bigint | string; webhook_id: string }>(
    insertJobsAfterSql({
      ctes: Prisma.sql`ev AS (
        INSERT INTO webhook_event (shop, webhook_id, event_id, topic, api_version, subscription_name, triggered_at,
                                   source, resource_id, resource_updated_at, payload, status)
        VALUES ${values}
        ON CONFLICT DO NOTHING
        RETURNING id, webhook_id, shop, status
      ), keys (webhook_id, ordering_key) AS (VALUES ${keys}),`,
      source: Prisma.sql`(
        SELECT ${jobType}::text AS type, jsonb_build_object('webhookEventId', ev.id::text) AS payload, ev.shop,
               ${jobType + ':'} || ev.id AS unique_key, ${jobType + ':'} || ev.id AS enqueued_key, keys.ordering_key,
               now() AS run_at, NULL::int AS max_attempts, NULL::text AS schedule_slot
        FROM ev JOIN keys ON keys.webhook_id = ev.webhook_id
        WHERE ev.status = 'received')`,
      orderingKeys: sorted.map((e) => e.orderingKey),
      selectList: Prisma.sql`ev.id, ev.webhook_id`,
      from: Prisma.sql`ev`,
    }),
  );
  const byWebhookId = new Map(rows.map((r) => [r.webhook_id, BigInt(r.id)]));
  return events.map((e) => {
    const id = byWebhookId.get(e.webhookId);
    if (id === undefined) return null;
    byWebhookId.delete(e.webhookId); // a repeat of this webhook id later in the batch is a duplicate
    return id;
  });
}

export async function findWebhookEvent(db: Db, shop: string, id: bigint) {
  return db.webhookEvent.findFirst({ where: { id, shop } });
}

export async function markWebhookEvent(db: Db, shop: string, id: bigint, status: string, result?: Prisma.InputJsonValue): Promise<void> {
  await db.webhookEvent.updateMany({
    where: { id, shop },
    data: { status, processedAt: new Date(), ...(result !== undefined ? { result } : {}) },
  });
}

/** Latest updated_at we received for each of the given orders (webhooks and reconciliation rows). */
export async function latestSeenOrderUpdates(db: Db, shop: string, orderGids: string[]): Promise<Map<string, Date>> {
  if (orderGids.length === 0) return new Map();
  const rows = await db.webhookEvent.groupBy({
    by: ['resourceId'],
    where: { shop, resourceId: { in: orderGids } },
    _max: { resourceUpdatedAt: true },
  });
  const out = new Map<string, Date>();
  for (const r of rows) if (r.resourceId && r._max.resourceUpdatedAt) out.set(r.resourceId, r._max.resourceUpdatedAt);
  return out;
}

/** Deletes up to `limit` finished events received before `before` (all shops: a retention sweep). */
export async function pruneFinishedWebhookEvents(db: Db, before: Date, limit: number): Promise<number> {
  return db.$executeRaw`
    DELETE FROM webhook_event WHERE id IN (
      SELECT id FROM webhook_event WHERE status <> 'received' AND received_at < ${before}::timestamptz LIMIT ${limit})`;
}
