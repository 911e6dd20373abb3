// Waking idle workers: NOTIFY on commit, the polling fallback when the LISTEN connection is lost, and
// heartbeats keeping a long job's lease (controllable clock).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { waitFor } from '../../helpers/process.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { Worker, type WorkerOptions } from '../../../server/queue/worker.js';
import { JOBS_CHANNEL } from '../../../server/queue/sql/insert-jobs.js';
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

function makeWorker(handlers: Record<string, JobHandler>, extra: Partial<WorkerOptions>) {
  const worker = new Worker({ pool: db.pool, log: captureLogs().log, handlers, shutdownTimeoutMs: 1_000, ...extra });
  workers.push(worker);
  return worker;
}

async function listeners(): Promise<number[]> {
  const res = await db.pool.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE $1`,
    [`LISTEN ${JOBS_CHANNEL}%`],
  );
  return res.rows.map((r) => r.pid as number);
}

describe('waking workers', () => {
  it('an idle worker is woken by the enqueue’s NOTIFY, not by polling (poll interval 1 h)', async () => {
    const worker = makeWorker({ 'w.notify': async () => {} }, { pollIntervalMs: 3_600_000 });
    await worker.start();
    await waitFor(async () => (await listeners()).length === 1, 5_000, 'LISTEN connection');
    const ran = nextEvent(worker, 'success');
    await enqueue(db.prisma, { type: 'w.notify', payload: {} });
    await ran;
  });

  it('LISTEN connection killed: jobs still run through polling, and the notifier reconnects', async () => {
    const worker = makeWorker({ 'w.poll': async () => {} }, { pollIntervalMs: 200 });
    await worker.start();
    const [pid] = await waitFor(async () => {
      const l = await listeners();
      return l.length === 1 ? l : undefined;
    }, 5_000, 'LISTEN connection');
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const ran = nextEvent(worker, 'success');
    await enqueue(db.prisma, { type: 'w.poll', payload: {} });
    await ran;
    await waitFor(async () => {
      const l = await listeners();
      return l.length === 1 && l[0] !== pid;
    }, 10_000, 'the notifier to LISTEN again on a new connection');
  });

  it('a job longer than its lease keeps it by heartbeat: another worker’s rescue leaves it alone; it runs once', async () => {
    const clock = new ManualClock();
    const release = deferred();
    const started = deferred();
    let runs = 0;
    // Timers far apart: the test drives heartbeat and rescue itself.
    const common = { now: clock.now, listen: false, pollIntervalMs: 3_600_000, heartbeatMs: 20_000, rescueIntervalMs: 3_600_000 };
    const a = makeWorker(
      {
        'w.long': async () => {
          runs++;
          started.resolve();
          await release.promise;
        },
      },
      { ...common, leaseMs: 30_000 },
    );
    // b only rescues here (it handles another type, so its own start-up claim cannot race a for the job).
    const b = makeWorker({ 'w.other': async () => {} }, { ...common, leaseMs: 30_000, rescueGraceMs: 0 });
    await a.start();
    await b.start();
    const { id } = await enqueue(db.prisma, { type: 'w.long', payload: {} });
    await a.wake();
    await started.promise;
    for (let t = 0; t < 4; t++) {
      clock.advance(20_000); // 80 s in all: the first lease (30 s) is long gone
      await a.heartbeat();
      expect(await b.rescueExpired()).toBe(0);
    }
    const row = (await db.pool.query(`SELECT state::text, lease_owner, lease_expires_at FROM job WHERE id = $1`, [id])).rows[0];
    expect(row).toMatchObject({ state: 'running', lease_owner: a.id });
    expect(row.lease_expires_at.getTime()).toBe(clock.now().getTime() + 30_000);
    const ok = nextEvent(a, 'success');
    release.resolve();
    await ok;
    expect(runs).toBe(1);
  });
});

