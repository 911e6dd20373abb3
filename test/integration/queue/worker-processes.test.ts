// Real worker processes on real PostgreSQL: SIGKILL mid-job, two processes draining one table, SIGTERM.
// Side effects are counted in a table, so "exactly once" is measured, not assumed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { isAlive, spawnTs, waitFor, type Spawned } from '../../helpers/process.js';
import { enqueue, enqueueMany } from '../../../server/queue/enqueue.js';

const FIXTURE = 'test/fixtures/queue/worker-process.ts';
let db: TestDatabase;
// Signals for the worker go to the pid the fixture prints (its own process.pid), so the test does not depend
// on how the fixture is launched.
interface WorkerProc extends Spawned {
  pid?: number;
}
const children: WorkerProc[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`CREATE TABLE queue_effects (job_id bigint NOT NULL, attempt int NOT NULL, phase text NOT NULL,
    pid int NOT NULL, note text, at timestamptz NOT NULL DEFAULT clock_timestamp(), seq bigserial)`);
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.pid && isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
  }
});
afterAll(async () => {
  await db?.drop();
});

function startWorker(env: Record<string, string> = {}): WorkerProc {
  const w: WorkerProc = spawnTs(FIXTURE, [], { DATABASE_URL: db.url, ...env });
  children.push(w);
  return w;
}

/** Waits for the fixture's ready line; returns the worker's own pid. */
async function ready(w: WorkerProc): Promise<number> {
  const pid = await waitFor(async () => /worker ready \S+ pid=(\d+)/.exec(w.output())?.[1], 20_000, `worker ready\n${w.output()}`);
  w.pid = Number(pid);
  return w.pid;
}

async function effects(jobId: bigint) {
  const res = await db.pool.query(`SELECT attempt, phase, pid FROM queue_effects WHERE job_id = $1 ORDER BY attempt, phase`, [jobId]);
  return res.rows as { attempt: number; phase: string; pid: number }[];
}

async function jobRow(id: bigint) {
  return (await db.pool.query(`SELECT state::text, attempts, lease_owner, lease_expires_at, last_error_code FROM job WHERE id = $1`, [id])).rows[0];
}

describe('worker processes', () => {
  it('worker process killed with SIGKILL mid-job: the job is rescued after its lease and completes exactly once', async () => {
    // Short lease so the test takes seconds: lease 2 s, heartbeat 0.5 s, rescue sweep 0.5 s, grace 0.
    const fast = { LEASE_MS: '2000', HEARTBEAT_MS: '500', RESCUE_MS: '500', RESCUE_GRACE_MS: '0', POLL_MS: '200' };
    const a = startWorker(fast);
    await ready(a);
    const { id } = await enqueue(db.prisma, { type: 'test.hang-once', payload: {} });
    await waitFor(async () => (await effects(id)).length === 1, 10_000, 'attempt 1 to start');
    expect(await jobRow(id)).toMatchObject({ state: 'running', attempts: 1 });

    process.kill(a.pid!, 'SIGKILL');
    await a.exited;
    expect(isAlive(a.pid!)).toBe(false);

    const b = startWorker(fast);
    await ready(b);
    await waitFor(async () => (await jobRow(id)).state === 'succeeded', 20_000, `job to be rescued and succeed\n${b.output()}`);
    const fx = await effects(id);
    expect(fx.filter((e) => e.phase === 'done')).toHaveLength(1);
    expect(fx.map((e) => [e.attempt, e.phase, e.pid])).toEqual([
      [1, 'started', a.pid],
      [2, 'done', b.pid],
      [2, 'started', b.pid],
    ]);
    expect(await jobRow(id)).toMatchObject({ state: 'succeeded', attempts: 2 });
  }, 60_000);

  it('2 processes × 4 workers draining 5,000 jobs: every job runs exactly once; no job is claimed twice', async () => {
    const N = 5_000;
    const a = startWorker({ CONCURRENCY: '4' });
    const b = startWorker({ CONCURRENCY: '4' });
    await Promise.all([ready(a), ready(b)]);
    // Enqueued while both run, in batches of 500, so the processes compete for the same rows.
    for (let i = 0; i < N; i += 500) {
      await enqueueMany(db.prisma, Array.from({ length: 500 }, (_, k) => ({ type: 'test.effect', payload: { n: i + k } })));
    }
    await waitFor(
      async () => (await db.pool.query(`SELECT count(*)::int AS n FROM job WHERE type = 'test.effect' AND state = 'succeeded'`)).rows[0].n === N,
      120_000,
      `all ${N} jobs to succeed\n${a.output()}\n${b.output()}`,
    );
    const stats = (
      await db.pool.query(`
        SELECT count(*)::int AS executions, count(DISTINCT e.job_id)::int AS jobs,
               count(DISTINCT e.pid)::int AS processes, max(j.attempts) AS max_attempts
        FROM queue_effects e JOIN job j ON j.id = e.job_id WHERE j.type = 'test.effect'`)
    ).rows[0];
    expect(stats).toEqual({ executions: N, jobs: N, processes: 2, max_attempts: 1 });
    const perProcess = (
      await db.pool.query(`SELECT pid, count(*)::int AS n FROM queue_effects e JOIN job j ON j.id = e.job_id WHERE j.type = 'test.effect' GROUP BY pid`)
    ).rows as { n: number }[];
    for (const p of perProcess) expect(p.n).toBeGreaterThan(0);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);
    expect((await b.exited).code).toBe(0);
  }, 180_000);

  it('ordering keys across 2 processes: create/update/cancel of 40 orders run strictly in order, even when create retries', async () => {
    const a = startWorker({ CONCURRENCY: '4', POLL_MS: '100' });
    const b = startWorker({ CONCURRENCY: '4', POLL_MS: '100' });
    await Promise.all([ready(a), ready(b)]);
    const ORDERS = 40;
    const specs = [];
    for (let o = 0; o < ORDERS; o++) {
      for (const step of ['create', 'update', 'cancel']) {
        // Every other order's create fails once (a WMS blip) and is retried 50–200 ms later.
        specs.push({ type: 'test.step', payload: { order: o, step, failFirst: step === 'create' && o % 2 === 0 }, orderingKey: `order:${o}` });
      }
    }
    // Interleaved across orders, as webhooks arrive.
    specs.sort((x, y) => ['create', 'update', 'cancel'].indexOf(x.payload.step) - ['create', 'update', 'cancel'].indexOf(y.payload.step));
    await enqueueMany(db.prisma, specs);
    await waitFor(
      async () => (await db.pool.query(`SELECT count(*)::int AS n FROM job WHERE type = 'test.step' AND state = 'succeeded'`)).rows[0].n === ORDERS * 3,
      60_000,
      `all steps to succeed\n${a.output()}\n${b.output()}`,
    );
    const rows = (await db.pool.query(`SELECT note, phase, pid FROM queue_effects WHERE note IS NOT NULL ORDER BY at, seq`)).rows as { note: string; phase: string; pid: number }[];
    const pids = new Set<number>();
    for (let o = 0; o < ORDERS; o++) {
      const seen = rows.filter((r) => r.note.startsWith(`${o}:`));
      seen.forEach((r) => pids.add(r.pid));
      const expected = [
        ...(o % 2 === 0 ? ['create:started'] : []),
        'create:started', 'create:done', 'update:started', 'update:done', 'cancel:started', 'cancel:done',
      ];
      expect(seen.map((r) => `${r.note.split(':')[1]}:${r.phase}`), `order ${o}`).toEqual(expected);
    }
    expect(pids.size).toBe(2); // both processes took part
  }, 90_000);

  it('SIGTERM during work: finished jobs are recorded, the unfinished one is released at once; nothing is left running or locked', async () => {
    const a = startWorker({ SHUTDOWN_TIMEOUT_MS: '1000', CONCURRENCY: '2' });
    await ready(a);
    const short = await enqueue(db.prisma, { type: 'test.slow', payload: { ms: 300 } });
    const long = await enqueue(db.prisma, { type: 'test.slow', payload: { ms: 60_000 } });
    await waitFor(async () => (await effects(short.id)).length >= 1 && (await effects(long.id)).length === 1, 10_000, 'both jobs to start');

    a.child.kill('SIGTERM');
    const exit = await a.exited;
    expect(exit.code, a.output()).toBe(0);
    expect(a.output()).toContain('worker stopped');

    expect(await jobRow(short.id)).toMatchObject({ state: 'succeeded' });
    expect((await effects(short.id)).map((e) => e.phase)).toEqual(['done', 'started']);
    expect(await jobRow(long.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null, lease_expires_at: null });
    const running = await db.pool.query(`SELECT count(*)::int AS n FROM job WHERE state = 'running'`);
    expect(running.rows[0].n).toBe(0);
    // No session of the dead process holds a lock on job rows.
    const locks = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'job' AND l.pid <> pg_backend_pid()`,
    );
    expect(locks.rows[0].n).toBe(0);

    // Released at once: a new worker takes it without waiting for a lease to expire.
    const b = startWorker({ CONCURRENCY: '1' });
    await ready(b);
    await waitFor(async () => (await effects(long.id)).length === 2, 10_000, 'the released job to start again');
    expect((await jobRow(long.id)).attempts).toBe(1);
  }, 60_000);
});
