// Enqueue against real PostgreSQL: the transactional outbox, unique-key dedupe, NOTIFY on commit only.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { waitFor } from '../../helpers/process.js';
import { enqueue, enqueueMany } from '../../../server/queue/enqueue.js';
import { JOBS_CHANNEL } from '../../../server/queue/sql/insert-jobs.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function jobs(where = 'true') {
  const res = await db.pool.query(`SELECT id, type, payload, state, unique_key, enqueued_key, ordering_key FROM job WHERE ${where} ORDER BY id`);
  return res.rows as { id: string; type: string; payload: unknown; state: string; unique_key: string | null }[];
}

describe('enqueue', () => {
  it('inside a rolled-back transaction leaves neither the stored row nor its job, and sends no wake-up', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notes: string[] = [];
    listener.on('notification', (n) => notes.push(n.channel));
    await listener.query(`LISTEN ${JOBS_CHANNEL}`);

    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: 'rollback.myshopify.com' } });
        await enqueue(tx, { type: 'webhook.process', payload: { n: 1 }, shop: 'rollback.myshopify.com' });
        throw new Error('handler failed after enqueue');
      }),
    ).rejects.toThrow('handler failed after enqueue');
    expect(await db.prisma.shop.count({ where: { domain: 'rollback.myshopify.com' } })).toBe(0);
    expect(await jobs("shop = 'rollback.myshopify.com'")).toHaveLength(0);

    // The committed counterpart: row and job together, one notification after the commit.
    await db.prisma.$transaction(async (tx) => {
      await tx.shop.create({ data: { domain: 'commit.myshopify.com' } });
      await enqueue(tx, { type: 'webhook.process', payload: { n: 2 }, shop: 'commit.myshopify.com' });
    });
    expect(await jobs("shop = 'commit.myshopify.com'")).toHaveLength(1);
    await listener.query('SELECT 1'); // notifications are delivered before the next response
    await new Promise((r) => setImmediate(r));
    expect(notes).toEqual([JOBS_CHANNEL]);
    await listener.end();
  });

  it('a unique key still pending dedupes: same id, created=false, payload kept', async () => {
    const a = await enqueue(db.prisma, { type: 'order.sync', payload: { v: 1 }, uniqueKey: 'dedupe:1' });
    const b = await enqueue(db.prisma, { type: 'order.sync', payload: { v: 2 }, uniqueKey: 'dedupe:1' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    expect((await jobs(`id = ${a.id}`))[0]!.payload).toEqual({ v: 1 });
  });

  it('replacePending swaps the payload of a pending job but leaves a running one alone', async () => {
    const a = await enqueue(db.prisma, { type: 'stock.push', payload: { qty: 1 }, uniqueKey: 'replace:1' });
    const b = await enqueue(db.prisma, { type: 'stock.push', payload: { qty: 7 }, uniqueKey: 'replace:1', replacePending: true });
    expect(b).toEqual({ id: a.id, created: false });
    expect((await jobs(`id = ${a.id}`))[0]!.payload).toEqual({ qty: 7 });

    await db.pool.query(`UPDATE job SET state = 'running' WHERE id = $1`, [a.id]);
    const c = await enqueue(db.prisma, { type: 'stock.push', payload: { qty: 9 }, uniqueKey: 'replace:1', replacePending: true });
    expect(c).toEqual({ id: a.id, created: false });
    expect((await jobs(`id = ${a.id}`))[0]!.payload).toEqual({ qty: 7 });
  });

  it('a unique key is free again once its job finished (the key is cleared, kept as enqueued_key)', async () => {
    const a = await enqueue(db.prisma, { type: 'order.sync', payload: {}, uniqueKey: 'reuse:1' });
    await db.pool.query(`UPDATE job SET state = 'succeeded', unique_key = NULL WHERE id = $1`, [a.id]);
    const b = await enqueue(db.prisma, { type: 'order.sync', payload: {}, uniqueKey: 'reuse:1' });
    expect(b.created).toBe(true);
    expect(b.id).not.toBe(a.id);
    const rows = await jobs(`enqueued_key = 'reuse:1'`);
    expect(rows.map((r) => r.unique_key)).toEqual([null, 'reuse:1']);
  });

  it('enqueueMany: one statement, results in input order, duplicate keys collapse to one job', async () => {
    const res = await enqueueMany(db.prisma, [
      { type: 'm', payload: { i: 0 }, orderingKey: 'order:9' },
      { type: 'm', payload: { i: 1 }, uniqueKey: 'many:1' },
      { type: 'm', payload: { i: 2 }, uniqueKey: 'many:1' },
      { type: 'm', payload: { i: 3 }, orderingKey: 'order:9' },
    ]);
    expect(res[1]).toEqual(res[2]);
    expect(res.map((r) => r.created)).toEqual([true, true, true, true]);
    expect(res[3]!.id).toBeGreaterThan(res[0]!.id);
    const rows = await jobs(`type = 'm'`);
    expect(rows.map((r) => r.payload)).toEqual([{ i: 0 }, { i: 1 }, { i: 3 }]);
  });

  it('bigint payload values are stored as strings; non-JSON payloads are refused', async () => {
    const a = await enqueue(db.prisma, { type: 'big', payload: { orderId: 12345678901234567890n } });
    expect((await jobs(`id = ${a.id}`))[0]!.payload).toEqual({ orderId: '12345678901234567890' });
    await expect(enqueue(db.prisma, { type: 'bad', payload: undefined as unknown as () => void, maxAttempts: 0 })).rejects.toThrow(RangeError);
  });

  it('ordering key: a second enqueuer of the same key waits for the first to commit, so ids follow commit order', async () => {
    const first = deferredTx();
    const p1 = db.prisma.$transaction(async (tx) => {
      await enqueue(tx, { type: 'order.create', payload: {}, orderingKey: 'order:77' });
      await first.promise; // hold the transaction open
    });
    await waitFor(async () => (await advisoryLocks(true)) === 1, 5_000, 'first enqueuer to hold the key lock');
    let secondDone = false;
    const p2 = enqueue(db.prisma, { type: 'order.cancel', payload: {}, orderingKey: 'order:77' }).then((r) => {
      secondDone = true;
      return r;
    });
    await waitFor(async () => (await advisoryLocks(false)) === 1, 5_000, 'second enqueuer to wait on the key lock');
    expect(secondDone).toBe(false);
    first.resolve();
    await p1;
    const second = await p2;
    const rows = await jobs(`ordering_key = 'order:77'`);
    expect(rows.map((r) => r.type)).toEqual(['order.create', 'order.cancel']);
    expect(BigInt(rows[1]!.id)).toBe(second.id);
  });
});

async function advisoryLocks(granted: boolean): Promise<number> {
  const res = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted = $1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [granted],
  );
  return res.rows[0].n as number;
}

function deferredTx() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
