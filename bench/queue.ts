// npm run bench:queue — our queue vs graphile-worker on the same PostgreSQL, same N no-op jobs, same
// concurrency, each in its own throw-away database, alternating rounds; prints jobs/s, the ratio and the
// enqueue→start latency p50/p99.
// Variants: ours and graphile-worker with defaults; ours with prefetch 4×concurrency and graphile-worker
// with its batching options (localQueue concurrency+1, completeJobBatchDelay 0) — each pair like for like.
// Latency is measured from the enqueue call (ours through Prisma, graphile-worker through its pg client)
// to the handler's first line, with idle workers woken by NOTIFY.
//   BENCH_N (default 10000)  BENCH_CONCURRENCY (10)  BENCH_ROUNDS (3)  BENCH_LATENCY_JOBS (300)
//   BENCH_VARIANTS (ours,graphile,ours-prefetch,graphile-tuned)
//   DATABASE_URL (server to use; default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { Logger as GwLogger, makeWorkerUtils, run, runMigrations, type Runner, type WorkerUtils } from 'graphile-worker';
import { createPool, createPrisma } from '../server/db/client.js';
import { migrateDeploy } from '../server/db/migrate.js';
import { enqueue, enqueueMany } from '../server/queue/enqueue.js';
import { Worker } from '../server/queue/worker.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const C = Number(process.env.BENCH_CONCURRENCY ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LAT_JOBS = Number(process.env.BENCH_LATENCY_JOBS ?? 300);
const LAT_GAP_MS = 5; // one enqueue every 5 ms (~200/s): a steady trickle, workers mostly idle
const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const silent = pino({ level: 'silent' });
const gwSilent = new GwLogger(() => () => {});

function dbUrl(name: string): string {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const created: string[] = [];
async function freshDb(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  return name;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Result {
  jobsPerSec: number;
  p50: number;
  p99: number;
}

/** Resolves when `count()` reaches n. */
function counter() {
  let n = 0;
  let target = Infinity;
  let resolve: () => void = () => {};
  return {
    hit() {
      if (++n >= target) resolve();
    },
    until(t: number) {
      target = t;
      return n >= t ? Promise.resolve() : new Promise<void>((r) => (resolve = r));
    },
    reset() {
      n = 0;
      target = Infinity;
    },
  };
}

async function benchOurs(url: string, prefetch?: number): Promise<Result> {
  const prisma = createPrisma(url, 4);
  const pool = createPool(url, 4);
  const done = counter();
  const startedAt = new Map<number, number>();
  const handlers = {
    noop: async () => done.hit(),
    probe: async (job: { payload: unknown }) => {
      startedAt.set((job.payload as { i: number }).i, performance.now());
      done.hit();
    },
  };
  for (let i = 0; i < N; i += 1000) {
    await enqueueMany(prisma, Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ type: 'noop', payload: { i: i + k } })));
  }
  const t0 = performance.now();
  let worker = new Worker({ pool, log: silent, handlers, concurrency: C, prefetch });
  await worker.start();
  await done.until(N);
  // Finished = every job recorded as done in the database (same rule for both queues).
  await until(async () => (await pool.query(`SELECT count(*)::int AS n FROM job WHERE state = 'succeeded'`)).rows[0].n === N);
  const seconds = (performance.now() - t0) / 1000;
  await worker.stop();

  // Latency: a steady trickle onto an idle worker (woken by NOTIFY).
  done.reset();
  worker = new Worker({ pool, log: silent, handlers, concurrency: C, prefetch });
  await worker.start();
  const enqueuedAt = new Map<number, number>();
  for (let i = 0; i < LAT_JOBS; i++) {
    enqueuedAt.set(i, performance.now());
    await enqueue(prisma, { type: 'probe', payload: { i } });
    await new Promise((r) => setTimeout(r, LAT_GAP_MS));
  }
  await done.until(LAT_JOBS);
  await worker.stop();
  await prisma.$disconnect();
  await pool.end();
  const lat = [...enqueuedAt].map(([i, t]) => startedAt.get(i)! - t).sort((a, b) => a - b);
  return { jobsPerSec: N / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function benchGraphile(url: string, tuned: boolean): Promise<Result> {
  // Our own pool (same size as graphile-worker's default, 10) so it is ended before the database is dropped.
  const pgPool = createPool(url, 10);
  pgPool.on('connect', (client) => client.on('error', () => {}));
  await runMigrations({ pgPool, logger: gwSilent });
  const utils: WorkerUtils = await makeWorkerUtils({ pgPool, logger: gwSilent });
  const done = counter();
  const startedAt = new Map<number, number>();
  const taskList = {
    noop: async () => done.hit(),
    probe: async (payload: unknown) => {
      startedAt.set((payload as { i: number }).i, performance.now());
      done.hit();
    },
  };
  for (let i = 0; i < N; i += 1000) {
    await utils.addJobs(Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ identifier: 'noop', payload: { i: i + k } })));
  }
  const options = {
    pgPool,
    concurrency: C,
    noHandleSignals: true,
    pollInterval: 1000, // same fallback poll as ours
    logger: gwSilent,
    taskList,
    ...(tuned ? { preset: { worker: { localQueue: { size: C + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } } } : {}),
  };
  const t0 = performance.now();
  let runner: Runner = await run(options);
  await done.until(N);
  // graphile-worker deletes a job when it completes.
  await until(async () => (await utils.withPgClient((c) => c.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`))).rows[0].n === 0);
  const seconds = (performance.now() - t0) / 1000;
  await runner.stop();

  done.reset();
  runner = await run(options);
  const enqueuedAt = new Map<number, number>();
  for (let i = 0; i < LAT_JOBS; i++) {
    enqueuedAt.set(i, performance.now());
    await utils.addJob('probe', { i });
    await new Promise((r) => setTimeout(r, LAT_GAP_MS));
  }
  await done.until(LAT_JOBS);
  await runner.stop();
  await utils.release();
  await pgPool.end();
  const lat = [...enqueuedAt].map(([i, t]) => startedAt.get(i)! - t).sort((a, b) => a - b);
  return { jobsPerSec: N / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('jobs were not all recorded as done within 60 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const variants = (process.env.BENCH_VARIANTS ?? 'ours,graphile,ours-prefetch,graphile-tuned').split(',');
  console.log(`queue benchmark: N=${N} no-op jobs, concurrency ${C}, ${ROUNDS} rounds, latency probe ${LAT_JOBS} jobs @ ${1000 / LAT_GAP_MS}/s`);
  const results: Record<string, Result[]> = Object.fromEntries(variants.map((v) => [v, []]));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        const name = await freshDb('wms_bench_q');
        const url = dbUrl(name);
        let res: Result;
        if (v === 'ours' || v === 'ours-prefetch') {
          await migrateDeploy(url);
          // Defaults (adaptive prefetch), or a fixed deep local buffer like graphile's tuned localQueue.
          res = await benchOurs(url, v === 'ours' ? undefined : 4 * C);
        } else {
          res = await benchGraphile(url, v === 'graphile-tuned');
        }
        results[v]!.push(res);
        console.log(`  round ${r + 1} ${v.padEnd(15)} ${res.jobsPerSec.toFixed(0).padStart(6)} jobs/s   p50 ${res.p50.toFixed(1)} ms   p99 ${res.p99.toFixed(1)} ms`);
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    }
  } finally {
    for (const name of created) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
  }
  console.log('\nmedian of rounds:');
  const med = (v: string) => ({
    jobsPerSec: median(results[v]!.map((x) => x.jobsPerSec)),
    p50: median(results[v]!.map((x) => x.p50)),
    p99: median(results[v]!.map((x) => x.p99)),
  });
  for (const v of variants) {
    const m = med(v);
    console.log(`  ${v.padEnd(15)} ${m.jobsPerSec.toFixed(0).padStart(6)} jobs/s   enqueue→start p50 ${m.p50.toFixed(1)} ms   p99 ${m.p99.toFixed(1)} ms`);
  }
  // Paired per round (the two ran back to back), which cancels most of a shared machine's drift.
  const paired = (a: string, b: string) =>
    median(results[a]!.map((x, i) => x.jobsPerSec / results[b]![i]!.jobsPerSec)).toFixed(2);
  if (results.ours && results.graphile) console.log(`\nmedian of per-round ratios, ours / graphile-worker (defaults): ${paired('ours', 'graphile')}`);
  if (results['ours-prefetch'] && results['graphile-tuned']) {
    console.log(`median of per-round ratios, ours (prefetch) / graphile-worker (tuned): ${paired('ours-prefetch', 'graphile-tuned')}`);
  }
  if (results.ours && results.graphile) {
    console.log(`\nratio ours / graphile-worker (defaults): ${(med('ours').jobsPerSec / med('graphile').jobsPerSec).toFixed(2)}`);
  }
  if (results['ours-prefetch'] && results['graphile-tuned']) {
    const r = med('ours-prefetch').jobsPerSec / med('graphile-tuned').jobsPerSec;
    console.log(`ratio ours (prefetch ${4 * C}) / graphile-worker (localQueue ${C + 1} + batched completion): ${r.toFixed(2)}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
