// "A crash between store and enqueue is impossible by construction", shown with a real process: the app is
// SIGKILLed while hundreds of deliveries are in flight. Afterwards every stored event has its job and every
// job its event (rows and jobs commit together or not at all); Shopify's retries, sent to the restarted app,
// then leave exactly one event and one job per delivery.
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/process.js';
import { ROOT_DIR } from '../../../server/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { API_KEY, API_SECRET, post, signedDelivery } from './webhook-helpers.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('webhook intake under SIGKILL', () => {
  let db: TestDatabase;
  let port: number;
  let app: { child: ChildProcess; exited: Promise<unknown> } | undefined;

  const start = async () => {
    // Node with tsx's loader directly (no tsx CLI in between): SIGKILL must hit the server itself.
    // Web role only: no worker, so jobs stay pending and can be counted.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--role', 'web'], {
      cwd: ROOT_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'warn', SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 45_000, 'readyz');
    return { child, exited };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
  });
  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
    await db?.drop();
  });

  it('killed mid-intake: no event without its job, no job without its event; the retries complete exactly once', async () => {
    app = await start();
    const base = `http://127.0.0.1:${port}`;
    const deliveries = Array.from({ length: 1500 }, (_, i) => signedDelivery('orders/create', { id: 70_000 + i }));
    // 20 senders, each one delivery at a time (like Shopify's parallel deliveries): the run lasts seconds.
    const statusesByIndex: (number | string)[] = [];
    let next = 0;
    const senders = Array.from({ length: 20 }, async () => {
      while (next < deliveries.length) {
        const i = next++;
        statusesByIndex[i] = await post(base, deliveries[i]!).then((r) => r.status, () => 'connection lost');
      }
    });
    // Kill once some deliveries have been committed (so the kill lands among in-flight transactions).
    await waitFor(async () => (await db.prisma.webhookEvent.count()) >= 50, 20_000, 'first deliveries stored');
    app.child.kill('SIGKILL');
    await app.exited;
    await Promise.all(senders);
    const statuses = statusesByIndex;

    const events = await db.prisma.webhookEvent.findMany({ select: { id: true } });
    const jobs = await db.prisma.job.findMany({ where: { type: 'webhook.process' }, select: { payload: true } });
    const jobEventIds = jobs.map((j) => (j.payload as { webhookEventId: string }).webhookEventId).sort();
    expect(jobEventIds).toEqual(events.map((e) => e.id.toString()).sort());
    // Every delivery answered 200 was stored (nothing acknowledged and then lost).
    expect(events.length).toBeGreaterThanOrEqual(statuses.filter((s) => s === 200).length);
    expect(events.length).toBeLessThan(1500); // the kill did interrupt the run

    // Shopify retries everything it did not get a 200 for (here: simply everything) at the restarted app.
    app = await start();
    const retried = await Promise.all(deliveries.map(async (d) => (await post(base, d)).status));
    expect(retried.every((s) => s === 200)).toBe(true);
    expect(await db.prisma.webhookEvent.count()).toBe(1500);
    expect(await db.prisma.job.count({ where: { type: 'webhook.process' } })).toBe(1500);
  });
});
