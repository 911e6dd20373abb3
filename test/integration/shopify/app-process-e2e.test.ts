// The real app process (server/main.ts: web + worker + scheduler) against the Shopify simulator: install by
// token exchange, Shopify-signed deliveries (duplicates, forged), the worker processing them, uninstall and
// shop redact — checked in the database.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTs, waitFor, type Spawned } from '../../helpers/process.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';

const SHOP = 'e2e-shop.myshopify.com';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('app process + Shopify simulator', () => {
  let db: TestDatabase;
  let sim: ShopifySimulator;
  let app: Spawned;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startShopifySimulator({ shops: [{ shop: SHOP, products: [{ title: 'Teapot', variants: [{ sku: 'TEA-1', stock: { 'Main warehouse': 4 } }] }] }] });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    sim.webhooks.setUrl(`${base}/webhooks`);
    app = spawnTs('server/main.ts', [], {
      DATABASE_URL: db.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SHOPIFY_API_KEY: sim.apiKey,
      SHOPIFY_API_SECRET: sim.apiSecret,
      SHOPIFY_ADMIN_BASE_URL: sim.url,
    });
    // 45 s: two shared cores under other test runs start the process slowly.
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 45_000, `readyz\n${app.output()}`);
  });
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await sim?.close();
    await db?.drop();
  });

  it('the first admin call installs the shop by token exchange', async () => {
    const res = await fetch(`${base}/api/session`, { headers: { authorization: `Bearer ${sim.sessionToken(SHOP)}` } });
    expect(res.status, app.output()).toBe(200);
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(1);
  });

  it('an order webhook delivered 3 times (same webhook id) is stored once with one job', async () => {
    const order = sim.addOrder(SHOP, { lines: [{ sku: 'TEA-1', quantity: 1 }] });
    const payload = sim.webhooks.orderPayload(SHOP, order.id);
    const delivery = await sim.webhooks.sendDuplicates({ shop: SHOP, topic: 'orders/create', payload }, 3);
    expect(delivery.attempts.map((a) => a.status)).toEqual([200, 200, 200]);
    // 200 is only sent after the commit: no waiting needed. (What the worker then does with an order is the
    // order feature's business, tested there.)
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP, topic: 'orders/create' } })).toBe(1);
    expect(await db.prisma.job.count({ where: { shop: SHOP, type: 'webhook.process' } })).toBe(1);
  });

  it('a delivery signed with another secret is refused (401, after the sender\'s retries) and nothing is stored', async () => {
    const before = await db.prisma.webhookEvent.count();
    const d = await sim.webhooks.send({ shop: SHOP, topic: 'orders/create', payload: { id: 1 }, secret: 'admin-notification-secret', retryScheduleMs: [] });
    expect(d.delivered).toBe(false);
    expect(d.attempts.map((a) => a.status)).toEqual([401]);
    expect(await db.prisma.webhookEvent.count()).toBe(before);
  });

  it('app/uninstalled twice: sessions gone, shop marked uninstalled, both events processed without error', async () => {
    await sim.webhooks.sendAppUninstalled(SHOP);
    await sim.webhooks.sendAppUninstalled(SHOP);
    await waitFor(
      async () => (await db.prisma.webhookEvent.count({ where: { shop: SHOP, topic: 'app/uninstalled', status: 'processed' } })) === 2,
      15_000,
      'uninstalls processed',
    ).catch(async (err) => {
      console.error(await db.prisma.webhookEvent.findMany({ where: { shop: SHOP } }), await db.prisma.job.findMany({ where: { shop: SHOP } }), app.output());
      throw err;
    });
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).not.toBeNull();
    expect(await db.prisma.job.count({ where: { shop: SHOP, state: { in: ['failed', 'dead'] } } })).toBe(0);
  });

  it('shop/redact: the shop\'s rows are deleted', async () => {
    await sim.webhooks.sendCompliance(SHOP, 'shop/redact');
    await waitFor(async () => (await db.prisma.shop.count({ where: { domain: SHOP } })) === 0, 15_000, 'shop purged');
    const events = await db.prisma.webhookEvent.findMany({ where: { shop: SHOP } });
    expect(events.map((e) => e.topic)).toEqual(['shop/redact']);
  });
});
