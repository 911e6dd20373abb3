// Operations API, scheduler and retention against real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createPrisma } from '../../../server/db/client.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { countsByState, discardJob, listJobs, oldestRunnableAgeMs, retryJob } from '../../../server/queue/operations.js';
import { Scheduler } from '../../../server/queue/scheduler.js';
import { pruneJobsHandler } from '../../../server/queue/prune.js';
import { buildSchedule } from '../../../server/jobs/schedule.js';
import { captureLogs, ManualClock } from '../../fixtures/queue/harness.js';
import type { JobContext, JobRecord } from '../../../server/queue/types.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const SHOP_A = 'ops-a.myshopify.com';
const SHOP_B = 'ops-b.myshopify.com';

async function setState(id: bigint, state: string, extra = '') {
  await db.pool.query(`UPDATE job SET state = $2::job_state ${extra} WHERE id = $1`, [id, state]);
}

describe('operations API', () => {
  it('lists by state, type and shop (newest first), and never shows another shop’s jobs', async () => {
    const a1 = await enqueue(db.prisma, { type: 'order.sync', payload: { o: 1 }, shop: SHOP_A });
    const a2 = await enqueue(db.prisma, { type: 'stock.push', payload: {}, shop: SHOP_A });
    const b1 = await enqueue(db.prisma, { type: 'order.sync', payload: { o: 2 }, shop: SHOP_B });
    await setState(a2.id, 'dead', ', finished_at = now()');
    expect((await listJobs(db.prisma, { shop: SHOP_A })).map((j) => j.id)).toEqual([a2.id, a1.id]);
    expect((await listJobs(db.prisma, { shop: SHOP_A, state: 'dead' })).map((j) => j.id)).toEqual([a2.id]);
    expect((await listJobs(db.prisma, { shop: SHOP_A, type: 'order.sync' })).map((j) => j.id)).toEqual([a1.id]);
    expect((await listJobs(db.prisma, { shop: SHOP_B })).map((j) => j.id)).toEqual([b1.id]);
    expect((await listJobs(db.prisma, { shop: SHOP_A, beforeId: a2.id })).map((j) => j.id)).toEqual([a1.id]);
    // Another shop cannot retry or discard it.
    expect(await retryJob(db.prisma, a2.id, { shop: SHOP_B })).toBe(false);
    expect(await discardJob(db.prisma, a2.id, { shop: SHOP_B })).toBe(false);
    expect(await countsByState(db.prisma, { shop: SHOP_A })).toEqual({
      pending: 1, running: 0, succeeded: 0, failed: 0, dead: 1, discarded: 0,
    });
  });

  it('retry now: a dead job is due again with a fresh budget, takes its unique key back and its alert is resolved', async () => {
    const j = await enqueue(db.prisma, { type: 'order.sync', payload: {}, shop: SHOP_A, uniqueKey: 'ops:retry' });
    await setState(j.id, 'dead', `, attempts = 25, unique_key = NULL, finished_at = now(), run_at = now() + interval '1 day'`);
    await db.pool.query(`INSERT INTO alert (shop, kind, message, subject_ref) VALUES ($1, 'job.dead', 'x', $2)`, [SHOP_A, `job:${j.id}`]);
    expect(await retryJob(db.prisma, j.id, { shop: SHOP_A })).toBe(true);
    const row = (await db.pool.query(`SELECT state::text, attempts, unique_key, run_at <= now() AS due FROM job WHERE id = $1`, [j.id])).rows[0];
    expect(row).toEqual({ state: 'pending', attempts: 0, unique_key: 'ops:retry', due: true });
    const alert = (await db.pool.query(`SELECT resolved_at FROM alert WHERE subject_ref = $1`, [`job:${j.id}`])).rows[0];
    expect(alert.resolved_at).toBeInstanceOf(Date);
    // A running job cannot be retried or discarded.
    await setState(j.id, 'running');
    expect(await retryJob(db.prisma, j.id)).toBe(false);
    expect(await discardJob(db.prisma, j.id)).toBe(false);
  });

  it('retry of a dead job whose unique key was taken meanwhile runs without the key (no duplicate live key)', async () => {
    const old = await enqueue(db.prisma, { type: 'order.sync', payload: {}, uniqueKey: 'ops:taken' });
    await setState(old.id, 'dead', ', unique_key = NULL');
    const fresh = await enqueue(db.prisma, { type: 'order.sync', payload: {}, uniqueKey: 'ops:taken' });
    expect(fresh.created).toBe(true);
    expect(await retryJob(db.prisma, old.id)).toBe(true);
    const keys = (await db.pool.query(`SELECT id, unique_key FROM job WHERE enqueued_key = 'ops:taken' ORDER BY id`)).rows;
    expect(keys.map((k) => k.unique_key)).toEqual([null, 'ops:taken']);
  });

  it('age of the oldest runnable job: due pending jobs only (not future retries, not running)', async () => {
    const now = new Date(Date.now() + 3_600_000);
    const shop = 'ops-age.myshopify.com';
    expect(await oldestRunnableAgeMs(db.prisma, { shop, now })).toBe(0);
    await enqueue(db.prisma, { type: 'x', payload: {}, shop, runAt: new Date(now.getTime() - 90_000) });
    await enqueue(db.prisma, { type: 'x', payload: {}, shop, runAt: new Date(now.getTime() + 90_000) });
    const r = await enqueue(db.prisma, { type: 'x', payload: {}, shop, runAt: new Date(now.getTime() - 500_000) });
    await setState(r.id, 'running');
    expect(await oldestRunnableAgeMs(db.prisma, { shop, now })).toBe(90_000);
  });
});

describe('scheduler', () => {
  it('two processes’ schedulers tick the same slot: one job per slot; the next slot gets the next one', async () => {
    const other = createPrisma(db.url, 2);
    try {
      const clock = new ManualClock(Date.parse('2030-01-01T10:00:01Z'));
      const entries = [{ name: 'test.poll', everyMs: 60_000, jobs: { type: 'test.poll', payload: {} }, skipIfPending: false }];
      const s1 = new Scheduler({ prisma: db.prisma, log: captureLogs().log, entries, now: clock.now });
      const s2 = new Scheduler({ prisma: other, log: captureLogs().log, entries, now: clock.now });
      const created = await Promise.all([s1.tick(), s2.tick(), s1.tick(), s2.tick()]);
      expect(created.reduce((a, b) => a + b, 0)).toBe(1);
      clock.advance(30_000); // same slot
      expect((await s1.tick()) + (await s2.tick())).toBe(0);
      clock.advance(30_000); // 10:01:01 — next slot
      expect((await Promise.all([s1.tick(), s2.tick()])).reduce((a, b) => a + b, 0)).toBe(1);
      const slots = (await db.pool.query(`SELECT schedule_slot FROM job WHERE type = 'test.poll' ORDER BY id`)).rows.map((r) => r.schedule_slot);
      expect(slots).toEqual(['test.poll@2030-01-01T10:00:00.000Z', 'test.poll@2030-01-01T10:01:00.000Z']);
    } finally {
      await other.$disconnect();
    }
  });

  it('skipIfPending (default): a slot is skipped while the previous run is still pending; per-shop entries get one job per shop', async () => {
    const clock = new ManualClock(Date.parse('2030-02-01T00:00:00Z'));
    const s = new Scheduler({
      prisma: db.prisma,
      log: captureLogs().log,
      now: clock.now,
      entries: [
        {
          name: 'shipments.poll',
          everyMs: 300_000,
          jobs: async () => [SHOP_A, SHOP_B].map((shop) => ({ type: 'shipments.poll', payload: {}, shop })),
        },
      ],
    });
    expect(await s.tick()).toBe(2);
    clock.advance(300_000);
    expect(await s.tick()).toBe(0); // both previous polls still pending
    await db.pool.query(`UPDATE job SET state = 'succeeded', unique_key = NULL WHERE type = 'shipments.poll' AND shop = $1`, [SHOP_A]);
    clock.advance(300_000);
    expect(await s.tick()).toBe(1);
  });

  it('the app’s schedule declares the prune job and every entry has a sane period', () => {
    const schedule = buildSchedule();
    expect(schedule.map((e) => e.name)).toContain('jobs.prune');
    for (const e of schedule) expect(e.everyMs).toBeGreaterThanOrEqual(60_000);
  });
});

describe('retention (jobs.prune)', () => {
  it('deletes finished jobs only after their retention; keeps failed/dead ones longer, and keeps a dead job that still holds later jobs', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const ins = async (state: string, finishedDaysAgo: number | null, orderingKey: string | null = null) =>
      BigInt(
        (
          await db.pool.query(
            `INSERT INTO job (type, payload, state, finished_at, ordering_key) VALUES ('prune.t', '{}', $1::job_state, $2, $3) RETURNING id`,
            [state, finishedDaysAgo === null ? null : new Date(now - finishedDaysAgo * day), orderingKey],
          )
        ).rows[0].id,
      );
    const oldOk = await ins('succeeded', 8);
    const newOk = await ins('succeeded', 6);
    const oldDiscarded = await ins('discarded', 8);
    const deadRecent = await ins('dead', 30);
    const deadOld = await ins('dead', 100);
    const blocker = await ins('dead', 100, 'order:prune');
    const held = await ins('pending', null, 'order:prune');
    const pending = await ins('pending', null);
    const ctx = { log: captureLogs().log, signal: new AbortController().signal, heartbeat: async () => {} } satisfies JobContext;
    await pruneJobsHandler({ pool: db.pool })({ payload: {} } as JobRecord<object>, ctx);
    const left = new Set(
      (await db.pool.query(`SELECT id FROM job WHERE type = 'prune.t'`)).rows.map((r) => BigInt(r.id)),
    );
    expect([oldOk, oldDiscarded, deadOld].filter((id) => left.has(id))).toEqual([]);
    expect([newOk, deadRecent, blocker, held, pending].every((id) => left.has(id))).toBe(true);
  });
});
