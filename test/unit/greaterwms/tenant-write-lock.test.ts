// Writes to one GreaterWMS tenant are serialised: in-process by a promise chain, across processes by a
// PostgreSQL advisory lock (real PostgreSQL; a second pool stands for a second process, and a child process
// that is SIGKILLed while holding the lock proves a crash cannot leave the tenant locked).
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TenantWriteLock } from '../../../server/adapters/greaterwms/tenant-write-lock.js';
import { GreaterWmsLockTimeoutError } from '../../../server/adapters/greaterwms/greaterwms-errors.js';
import { advisoryKeys } from '../../../server/db/advisory-lock.js';

let poolA: pg.Pool;
let poolB: pg.Pool;
beforeAll(() => {
  poolA = new pg.Pool({ connectionString: inject('dbServerUrl'), max: 3 });
  poolB = new pg.Pool({ connectionString: inject('dbServerUrl'), max: 3 });
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
});

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

/** Runs `n` critical sections concurrently and records overlap. */
async function overlapOf(run: (i: number, body: () => Promise<void>) => Promise<void>, n: number) {
  let inside = 0;
  let maxInside = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      run(i, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        order.push(i);
        // Yield several times so an unserialised sibling would get in.
        for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
        inside--;
      }),
    ),
  );
  return { maxInside, order };
}

describe('in-process', () => {
  it('same tenant: one at a time, in call order', async () => {
    const lock = new TenantWriteLock();
    const r = await overlapOf((_i, body) => lock.run('t1', body), 8);
    expect(r.maxInside).toBe(1);
    expect(r.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('different tenants run concurrently', async () => {
    const lock = new TenantWriteLock();
    const r = await overlapOf((i, body) => lock.run(`t${i}`, body), 4);
    expect(r.maxInside).toBe(4);
  });

  it('a failing section releases the lock for the next', async () => {
    const lock = new TenantWriteLock();
    await expect(lock.run('t', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(lock.run('t', async () => 42)).resolves.toBe(42);
  });
});

describe('across processes (PostgreSQL advisory lock)', () => {
  it('two lock instances on separate pools (two processes) never overlap on one tenant', async () => {
    const a = new TenantWriteLock(poolA);
    const b = new TenantWriteLock(poolB);
    const r = await overlapOf((i, body) => (i % 2 ? a : b).run('tenant-x', body), 6);
    expect(r.maxInside).toBe(1);
  });

  it('waiting longer than waitMs → retryable lock-timeout error', async () => {
    const holder = new TenantWriteLock(poolA);
    const waiter = new TenantWriteLock(poolB, 200);
    const g = gate();
    const held = gate();
    const running = holder.run('tenant-y', async () => {
      held.open();
      await g.p;
    });
    await held.p;
    const err = (await waiter.run('tenant-y', async () => 'never').catch((e: unknown) => e)) as GreaterWmsLockTimeoutError;
    expect(err).toBeInstanceOf(GreaterWmsLockTimeoutError);
    expect(err.retryable).toBe(true);
    g.open();
    await running;
    await expect(waiter.run('tenant-y', async () => 'now')).resolves.toBe('now');
  });

  it('a process SIGKILLed while holding the lock releases it', async () => {
    const [k1, k2] = advisoryKeys('greaterwms-tenant-write', 'tenant-z');
    const script = `
      const pg = require('pg');
      const c = new pg.Client({ connectionString: process.argv[1] });
      c.connect().then(() => c.query('SELECT pg_advisory_lock($1, $2)', [${k1}, ${k2}])).then(() => console.log('held'));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script, inject('dbServerUrl')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('held') && resolve()));
    const waiter = new TenantWriteLock(poolB, 200);
    await expect(waiter.run('tenant-z', async () => 1)).rejects.toBeInstanceOf(GreaterWmsLockTimeoutError);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const after = new TenantWriteLock(poolB, 10_000);
    await expect(after.run('tenant-z', async () => 'free')).resolves.toBe('free');
  });
});
