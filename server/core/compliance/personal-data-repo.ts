// Where we keep data that can concern a person or a shop, and how each store answers the three privacy
// requests. A feature that stores personal data (orders, returns…) adds a PersonalDataHolder to
// `personalDataHolders` — the compliance use cases then cover it without further changes.
import type { PrismaClient, Prisma } from '@prisma/client';
import type { Tx } from '../../db/client.js';
import { concernsSubject, personalFields, redactDocument, type DataSubject } from './personal-data.js';

export type Db = PrismaClient | Tx;

export interface HeldRecord {
  source: string;
  ref: string;
  kind: string;
  at: Date;
  personalData: Record<string, unknown>;
}

export interface PurgeContext {
  /** Rows the running shop-redact job itself still needs (its inbox event, its job). */
  keepWebhookEventId?: bigint;
  keepJobId?: bigint;
}

export interface PersonalDataHolder {
  name: string;
  collect(db: Db, shop: string, subject: DataSubject): Promise<HeldRecord[]>;
  /** Returns how many records were changed. */
  redact(db: Db, shop: string, subject: DataSubject): Promise<number>;
  /** Deletes everything of the shop. Returns rows deleted. */
  purgeShop(db: Db, shop: string, ctx: PurgeContext): Promise<number>;
}

/** Rows scanned per round trip while looking for a subject's data (bounded memory on big shops). */
const BATCH = 500;
/** The privacy requests themselves name the subject; they are not "data we hold about" them. */
const REQUEST_TOPICS = ['customers/data_request', 'customers/redact'];

async function* batches<T extends { id: bigint }>(fetch: (afterId: bigint) => Promise<T[]>): AsyncGenerator<T[]> {
  let after = -1n;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < BATCH) return;
  }
}

const json = (v: unknown) => v as Prisma.InputJsonValue;

export const webhookEventsHolder: PersonalDataHolder = {
  name: 'webhook_event',
  async collect(db, shop, subject) {
    const out: HeldRecord[] = [];
    for await (const rows of batches((after) =>
      db.webhookEvent.findMany({ where: { shop, id: { gt: after }, topic: { notIn: REQUEST_TOPICS } }, orderBy: { id: 'asc' }, take: BATCH, select: { id: true, topic: true, receivedAt: true, payload: true } }),
    )) {
      for (const r of rows) {
        if (concernsSubject(r.payload, subject)) out.push({ source: 'webhook_event', ref: r.id.toString(), kind: r.topic, at: r.receivedAt, personalData: personalFields(r.payload) });
      }
    }
    return out;
  },
  async redact(db, shop, subject) {
    let changed = 0;
    for await (const rows of batches((after) =>
      db.webhookEvent.findMany({ where: { shop, id: { gt: after } }, orderBy: { id: 'asc' }, take: BATCH, select: { id: true, payload: true, result: true } }),
    )) {
      for (const r of rows) {
        const inPayload = concernsSubject(r.payload, subject);
        const inResult = r.result !== null && concernsSubject(r.result, subject);
        if (!inPayload && !inResult) continue;
        await db.webhookEvent.updateMany({
          where: { id: r.id, shop },
          data: {
            payload: json(inPayload ? redactDocument(r.payload, subject) : r.payload),
            // A data-request export about the subject goes entirely.
            ...(inResult ? { result: json({ redacted: true }) } : {}),
          },
        });
        changed++;
      }
    }
    return changed;
  },
  async purgeShop(db, shop, ctx) {
    const { count } = await db.webhookEvent.deleteMany({ where: { shop, ...(ctx.keepWebhookEventId !== undefined ? { id: { not: ctx.keepWebhookEventId } } : {}) } });
    if (ctx.keepWebhookEventId !== undefined) {
      // The shop-redact event itself stays as a bare audit line (topic, times), without its payload.
      await db.webhookEvent.updateMany({ where: { id: ctx.keepWebhookEventId, shop }, data: { payload: json({}), result: json({ shopPurged: true }) } });
    }
    return count;
  },
};

export const jobsHolder: PersonalDataHolder = {
  name: 'job',
  async collect(db, shop, subject) {
    const out: HeldRecord[] = [];
    for await (const rows of batches((after) =>
      db.job.findMany({ where: { shop, id: { gt: after } }, orderBy: { id: 'asc' }, take: BATCH, select: { id: true, type: true, createdAt: true, payload: true } }),
    )) {
      for (const r of rows) if (concernsSubject(r.payload, subject)) out.push({ source: 'job', ref: r.id.toString(), kind: r.type, at: r.createdAt, personalData: personalFields(r.payload) });
    }
    return out;
  },
  async redact(db, shop, subject) {
    let changed = 0;
    for await (const rows of batches((after) =>
      db.job.findMany({ where: { shop, id: { gt: after } }, orderBy: { id: 'asc' }, take: BATCH, select: { id: true, payload: true, lastError: true } }),
    )) {
      for (const r of rows) {
        const inPayload = concernsSubject(r.payload, subject);
        const inError = typeof r.lastError === 'string' && concernsSubject(r.lastError, subject);
        if (!inPayload && !inError) continue;
        await db.job.updateMany({
          where: { id: r.id, shop },
          data: {
            payload: json(inPayload ? redactDocument(r.payload, subject) : r.payload),
            ...(inError ? { lastError: redactDocument(r.lastError, subject) } : {}),
          },
        });
        changed++;
      }
    }
    return changed;
  },
  async purgeShop(db, shop, ctx) {
    // Running jobs are left to finish (their worker still holds them); the queue's pruning removes them.
    const { count } = await db.job.deleteMany({ where: { shop, state: { not: 'running' }, ...(ctx.keepJobId !== undefined ? { id: { not: ctx.keepJobId } } : {}) } });
    return count;
  },
};

export const alertsHolder: PersonalDataHolder = {
  name: 'alert',
  async collect(db, shop, subject) {
    const rows = await db.alert.findMany({ where: { shop }, select: { id: true, kind: true, createdAt: true, message: true, details: true } });
    return rows
      .filter((r) => concernsSubject({ message: r.message, details: r.details }, subject))
      .map((r) => ({ source: 'alert', ref: r.id.toString(), kind: r.kind, at: r.createdAt, personalData: { message: r.message, ...personalFields(r.details) } }));
  },
  async redact(db, shop, subject) {
    const rows = await db.alert.findMany({ where: { shop }, select: { id: true, message: true, details: true } });
    let changed = 0;
    for (const r of rows) {
      if (!concernsSubject({ message: r.message, details: r.details }, subject)) continue;
      await db.alert.updateMany({ where: { id: r.id, shop }, data: { message: redactDocument(r.message, subject), details: json(redactDocument(r.details, subject)) } });
      changed++;
    }
    return changed;
  },
  async purgeShop(db, shop) {
    return (await db.alert.deleteMany({ where: { shop } })).count;
  },
};

/** Sessions and the shop row: no customer data, but shop data that shop-redact deletes. */
export const shopRecordHolder: PersonalDataHolder = {
  name: 'shop',
  collect: async () => [],
  redact: async () => 0,
  async purgeShop(db, shop) {
    const sessions = await db.session.deleteMany({ where: { shop } });
    const shops = await db.shop.deleteMany({ where: { domain: shop } });
    return sessions.count + shops.count;
  },
};

/** Tables the holders above handle themselves (and Prisma's bookkeeping). */
const OWN_TABLES = ['webhook_event', 'job', 'alert', 'session', 'shop', '_prisma_migrations'];

/**
 * Every other table with a `shop` column (order links, mappings, returns, stock, …, including tables added
 * later): shop-redact deletes the shop's rows there too, referencing tables first (foreign keys). Redacting a
 * customer inside those tables is up to the feature that owns them (its own holder).
 */
export const shopScopedTablesHolder: PersonalDataHolder = {
  name: 'shop_scoped_tables',
  collect: async () => [],
  redact: async () => 0,
  async purgeShop(db, shop) {
    const tables = (
      await db.$queryRaw<{ table_name: string }[]>`
        SELECT c.table_name::text AS table_name FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema() AND c.column_name = 'shop'`
    )
      .map((r) => r.table_name)
      .filter((t) => !OWN_TABLES.includes(t));
    const fks = await db.$queryRaw<{ child: string; parent: string }[]>`
      SELECT cl.relname::text AS child, pl.relname::text AS parent FROM pg_constraint k
      JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pl ON pl.oid = k.confrelid
      WHERE k.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace`;
    // Children before parents: repeatedly take a table no remaining table references.
    const order: string[] = [];
    const left = new Set(tables);
    while (left.size) {
      const next = [...left].find((t) => !fks.some((f) => f.parent === t && f.child !== t && left.has(f.child))) ?? [...left][0]!;
      order.push(next);
      left.delete(next);
    }
    let deleted = 0;
    for (const t of order) deleted += await db.$executeRawUnsafe(`DELETE FROM "${t.replace(/"/g, '""')}" WHERE shop = $1`, shop);
    return deleted;
  },
};

/** Every store of personal/shop data. Features that add one (orders, returns) append it here. */
export const personalDataHolders: PersonalDataHolder[] = [webhookEventsHolder, jobsHolder, alertsHolder, shopScopedTablesHolder, shopRecordHolder];
