// The worker in-process against real PostgreSQL, driven by a controllable clock: no sleeps for backoff,
// dead letter, leases or ordering. (Crash and multi-process tests: worker-processes.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createPool } from '../../../server/db/client.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { Worker, type WorkerOptions } from '../../../server/queue/worker.js';
import { discardJob, listJobs } from '../../../server/queue/operations.js';
import { PermanentError, RetryableError } from '../../../server/core/errors.js';
import type { JobHandler } from '../../../server/queue/types.js';
import { captureLogs, deferred, ManualClock, nextEvent } from '../../fixtures/queue/harness.js';

let db: TestDatabase;
const workers: Worker[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await db?.drop();
});

function makeWorker(handlers: Record<string, JobHandler>, extra: Partial<WorkerOptions> = {}) {
  const clock = new ManualClock();
  const logs = captureLogs();
  const worker = new Worker({
    pool: db.pool,
    log: logs.log,
    handlers,
    concurrency: 4,
    now: clock.now,
    random: () => 0, // no jitter: exact delays
    listen: false,
    pollIntervalMs: 3_600_000, // the test wakes the worker itself
    heartbeatMs: 3_600_000,
    leaseMs: 7_200_000,
    rescueIntervalMs: 3_600_000,
    shutdownTimeoutMs: 2_000,
    ...extra,
  });
  workers.push(worker);
  return { worker, clock, logs };
}

async function job(id: bigint) {
  const res = await db.pool.query(
    `SELECT state::text, attempts, run_at, last_error, last_error_code, lease_owner, lease_expires_at, unique_key FROM job WHERE id = $1`,
    [id],
  );
  return res.rows[0] as {
    state: string;
    attempts: number;
    run_at: Date;
    last_error: string | null;
    last_error_code: string | null;
    lease_owner: string | null;
    lease_expires_at: Date | null;
    unique_key: string | null;
  };
}

async function alertsFor(id: bigint) {
  const res = await db.pool.query(`SELECT kind, severity::text, message, details FROM alert WHERE subject_ref = $1`, [`job:${id}`]);
  return res.rows as { kind: string; severity: string; message: string; details: Record<string, unknown> }[];
}

describe('worker with a controllable clock', () => {
  it('retryable failure: back to pending after the backoff (5 s, then 10 s); runs again only once the clock gets there', async () => {
    let calls = 0;
    const { worker, clock } = makeWorker({
      't.flaky': async () => {
        calls++;
        if (calls <= 2) throw new RetryableError('wms.timeout', 'GreaterWMS did not answer in 15 s');
      },
    });
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.flaky', payload: {} });

    const r1 = nextEvent(worker, 'retry');
    await worker.wake();
    expect((await r1).runAt.getTime() - clock.now().getTime()).toBe(5_000);
    let row = await job(id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error_code: 'wms.timeout', lease_owner: null });
    expect(row.last_error).toContain('GreaterWMS did not answer');

    clock.advance(4_999);
    await worker.wake();
    expect(calls).toBe(1); // not due yet

    clock.advance(1);
    const r2 = nextEvent(worker, 'retry');
    await worker.wake();
    expect((await r2).runAt.getTime() - clock.now().getTime()).toBe(10_000);

    clock.advance(10_000);
    const ok = nextEvent(worker, 'success');
    await worker.wake();
    await ok;
    row = await job(id);
    expect(row).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(calls).toBe(3);
  });

  it('Retry-After from a 429 wins over a shorter backoff', async () => {
    const { worker, clock } = makeWorker({
      't.throttled': async () => {
        throw new RetryableError('shopify.throttled', 'Throttled', { retryAfterMs: 120_000 });
      },
    });
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.throttled', payload: {} });
    const r = nextEvent(worker, 'retry');
    await worker.wake();
    await r;
    expect((await job(id)).run_at.getTime() - clock.now().getTime()).toBe(120_000);
  });

  it('attempts exhausted: the job is dead, an alert row names it, an error is logged; nothing is deleted', async () => {
    const { worker, clock, logs } = makeWorker(
      { 't.down': async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:8008')) },
      { retryPolicies: { 't.down': { maxAttempts: 3 } } },
    );
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.down', payload: {}, shop: 'a.myshopify.com', uniqueKey: 'down:1' });
    for (let i = 0; i < 2; i++) {
      const r = nextEvent(worker, 'retry');
      await worker.wake();
      const { runAt } = await r;
      clock.set(runAt);
    }
    const dead = nextEvent(worker, 'dead');
    await worker.wake();
    await dead;
    const row = await job(id);
    expect(row).toMatchObject({ state: 'dead', attempts: 3, unique_key: null });
    const alerts = await alertsFor(id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'job.dead', severity: 'error' });
    expect(alerts[0]!.message).toContain('gave up after 3 attempts');
    expect(alerts[0]!.message).toContain('ECONNREFUSED');
    expect(alerts[0]!.details).toMatchObject({ type: 't.down', attempts: 3 });
    const errorLines = logs.lines().filter((l) => l.level === 50 && l.msg === 'job dead: attempts exhausted');
    expect(errorLines).toHaveLength(1);
    // The key is free again for a new job.
    expect((await enqueue(db.prisma, { type: 't.down', payload: {}, uniqueKey: 'down:1' })).created).toBe(true);
  });

  it('a PermanentError fails the job at once with its reason (one attempt, an alert, no retry)', async () => {
    const { worker } = makeWorker({
      't.invalid': async () => {
        throw new PermanentError('wms.unknown_goods', 'GreaterWMS does not know goods code SKU-404');
      },
    });
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.invalid', payload: {} });
    const failed = nextEvent(worker, 'failed');
    await worker.wake();
    await failed;
    const row = await job(id);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, last_error_code: 'wms.unknown_goods' });
    expect(row.last_error).toContain('SKU-404');
    expect((await alertsFor(id))[0]).toMatchObject({ kind: 'job.failed' });
  });

  it('ordering key: create/update/cancel for one order run in enqueue order even while create retries; other orders are not held', async () => {
    const starts: string[] = [];
    let createCalls = 0;
    const { worker, clock } = makeWorker({
      'order.create': async (j) => {
        starts.push(`create:${(j.payload as { order: number }).order}`);
        if ((j.payload as { order: number }).order === 1 && ++createCalls <= 2) throw new RetryableError('wms.unavailable', '503');
      },
      'order.update': async (j) => void starts.push(`update:${(j.payload as { order: number }).order}`),
      'order.cancel': async (j) => void starts.push(`cancel:${(j.payload as { order: number }).order}`),
    });
    await worker.start();
    const key = 'order:1';
    await enqueue(db.prisma, { type: 'order.create', payload: { order: 1 }, orderingKey: key });
    await enqueue(db.prisma, { type: 'order.update', payload: { order: 1 }, orderingKey: key });
    await enqueue(db.prisma, { type: 'order.cancel', payload: { order: 1 }, orderingKey: key });
    await enqueue(db.prisma, { type: 'order.create', payload: { order: 2 }, orderingKey: 'order:2' });

    for (let i = 0; i < 2; i++) {
      const r = nextEvent(worker, 'retry');
      await worker.wake();
      const { runAt } = await r;
      await worker.wake(); // while create waits for its retry, update/cancel must not start
      clock.set(runAt);
    }
    const cancelled = nextEvent(worker, 'success', (e) => e.job.type === 'order.cancel');
    await worker.wake();
    await cancelled;
    const order1 = starts.filter((s) => s.endsWith(':1'));
    expect(order1).toEqual(['create:1', 'create:1', 'create:1', 'update:1', 'cancel:1']);
    expect(starts.indexOf('create:2')).toBeLessThan(starts.lastIndexOf('create:1')); // order 2 was not held by order 1
  });

  it('a dead job holds the later jobs of its key (the merchant sees a blocked order) until a person discards it', async () => {
    const ran: string[] = [];
    const { worker } = makeWorker(
      {
        'o.create': async () => {
          ran.push('create');
          throw new RetryableError('wms.timeout', 'timeout');
        },
        'o.cancel': async () => void ran.push('cancel'),
      },
      { retryPolicies: { 'o.create': { maxAttempts: 1 } } },
    );
    await worker.start();
    const create = await enqueue(db.prisma, { type: 'o.create', payload: {}, orderingKey: 'order:5', shop: 'b.myshopify.com' });
    const cancel = await enqueue(db.prisma, { type: 'o.cancel', payload: {}, orderingKey: 'order:5', shop: 'b.myshopify.com' });
    const dead = nextEvent(worker, 'dead');
    await worker.wake();
    await dead;
    await worker.wake();
    await worker.wake();
    expect(ran).toEqual(['create']);
    expect((await job(cancel.id)).state).toBe('pending');
    const listed = await listJobs(db.prisma, { shop: 'b.myshopify.com', state: 'pending' });
    expect(listed.map((j) => [j.id, j.blockedBy])).toEqual([[cancel.id, create.id]]);
    expect((await alertsFor(create.id))[0]!.message).toContain('Later jobs for order:5 wait');

    expect(await discardJob(db.prisma, create.id, { shop: 'b.myshopify.com' })).toBe(true);
    const done = nextEvent(worker, 'success', (e) => e.job.id === cancel.id);
    await worker.wake();
    await done;
    expect(ran).toEqual(['create', 'cancel']);
  });

  it('lease taken over while running: the heartbeat aborts the handler and its late success is not recorded', async () => {
    const started = deferred();
    const aborted = deferred<string>();
    const { worker } = makeWorker({
      't.long': async (_j, ctx) => {
        started.resolve();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        aborted.resolve(String((ctx.signal.reason as Error).message));
      },
    });
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.long', payload: {} });
    await worker.wake();
    await started.promise;
    expect((await job(id)).lease_owner).toBe(worker.id);
    // Another worker rescued and re-claimed it (e.g. this one was frozen past its lease).
    await db.pool.query(`UPDATE job SET lease_owner = 'other-worker', attempts = attempts + 1 WHERE id = $1`, [id]);
    const lost = nextEvent(worker, 'lease-lost');
    await worker.heartbeat();
    await lost;
    expect(await aborted.promise).toMatch(/lease taken over/);
    await new Promise((r) => setImmediate(r));
    expect(await job(id)).toMatchObject({ state: 'running', lease_owner: 'other-worker' });
  });

  it('database unreachable for heartbeats: the worker aborts its job before the lease can expire (self-fencing)', async () => {
    // A pool whose heartbeat statement fails, as when this process loses the database.
    const pool = createPool(db.url, 3);
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    let heartbeatsFail = false;
    (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      const q = args[0] as { name?: string };
      if (heartbeatsFail && q?.name === 'wms_extend_leases') return Promise.reject(new Error('Connection terminated unexpectedly'));
      return query(...args);
    };
    try {
      const aborted = deferred<string>();
      const started = deferred();
      const { worker, clock } = makeWorker(
        {
          't.fenced': async (_j, ctx) => {
            started.resolve();
            await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r()));
            aborted.resolve((ctx.signal.reason as Error).message);
          },
        },
        { pool, leaseMs: 30_000, heartbeatMs: 10_000 },
      );
      await worker.start();
      await enqueue(db.prisma, { type: 't.fenced', payload: {} });
      await worker.wake();
      await started.promise;
      heartbeatsFail = true;
      clock.advance(15_000); // lease valid for 15 s more: longer than one heartbeat interval, keep going
      await worker.heartbeat();
      let abortedYet = false;
      void aborted.promise.then(() => (abortedYet = true));
      await new Promise((r) => setImmediate(r));
      expect(abortedYet).toBe(false);
      clock.advance(6_000); // 9 s left: the next heartbeat would come too late
      const lost = nextEvent(worker, 'lease-lost');
      await worker.heartbeat();
      await lost;
      expect(await aborted.promise).toBe('lease could not be renewed');
      await worker.stop();
    } finally {
      await pool.end();
    }
  });

  it('rescue: a running job whose worker stopped heartbeating is retried after backoff; on its last attempt it is dead', async () => {
    const { worker, clock } = makeWorker({ 't.orphan': async () => {} }, { rescueGraceMs: 5_000 });
    const now = clock.now().getTime();
    const insert = `INSERT INTO job (type, payload, state, attempts, max_attempts, lease_owner, lease_expires_at)
      VALUES ('t.orphan', '{}', 'running', $1, 3, 'ghost-worker', $2) RETURNING id`;
    const a = BigInt((await db.pool.query(insert, [1, new Date(now - 6_000)])).rows[0].id);
    const b = BigInt((await db.pool.query(insert, [3, new Date(now - 6_000)])).rows[0].id);
    const fresh = BigInt((await db.pool.query(insert, [1, new Date(now - 1_000)])).rows[0].id); // within the grace
    expect(await worker.rescueExpired()).toBe(2);
    const ra = await job(a);
    expect(ra).toMatchObject({ state: 'pending', attempts: 1, last_error_code: 'queue.lease_expired', lease_owner: null });
    expect(ra.run_at.getTime() - now).toBe(5_000);
    expect(ra.last_error).toContain('ghost-worker');
    expect(await job(b)).toMatchObject({ state: 'dead', attempts: 3 });
    expect((await alertsFor(b))[0]).toMatchObject({ kind: 'job.dead' });
    expect((await job(fresh)).state).toBe('running');
  });

  it('graceful stop: a job finishing within the timeout is recorded; one that does not is released at once (pending, attempt refunded)', async () => {
    const quick = deferred();
    const quickStarted = deferred();
    const slowStarted = deferred();
    let slowSignal: AbortSignal | undefined;
    const { worker } = makeWorker(
      {
        't.quick': async () => {
          quickStarted.resolve();
          await quick.promise;
        },
        't.stuck': async (_j, ctx) => {
          slowSignal = ctx.signal;
          slowStarted.resolve();
          await new Promise(() => {}); // ignores the abort signal entirely
        },
      },
      { shutdownTimeoutMs: 300 },
    );
    await worker.start();
    const q = await enqueue(db.prisma, { type: 't.quick', payload: {} });
    const s = await enqueue(db.prisma, { type: 't.stuck', payload: {}, uniqueKey: 'stuck:1' });
    await worker.wake();
    await Promise.all([quickStarted.promise, slowStarted.promise]);
    const released = nextEvent(worker, 'released');
    const stopping = worker.stop();
    quick.resolve();
    await stopping;
    expect((await released).jobIds).toEqual([s.id]);
    expect(await job(q.id)).toMatchObject({ state: 'succeeded' });
    expect(await job(s.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null, lease_expires_at: null, unique_key: 'stuck:1' });
    expect(slowSignal?.aborted).toBe(true);
    // Nothing left running, and no row lock held by the stopped worker.
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM job WHERE state = 'running' AND id = ANY($1::bigint[])`, [[q.id, s.id]])).rows[0].n).toBe(0);
  });

  it('a job type no worker knows stays pending and visible instead of failing', async () => {
    const { worker } = makeWorker({ 't.known': async () => {} });
    await worker.start();
    const { id } = await enqueue(db.prisma, { type: 't.from-a-newer-version', payload: {} });
    await worker.wake();
    expect(await job(id)).toMatchObject({ state: 'pending', attempts: 0 });
  });
});
