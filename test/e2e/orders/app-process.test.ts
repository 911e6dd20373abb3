// The whole app as one real process (`server/main.ts`: web + worker + scheduler) against both simulators, the
// way the demo runs it: env points it at the simulators, the Shopify simulator posts signed webhooks to its
// /webhooks, the scheduler's shipments.poll (every 5 s here) brings the dispatch back as a fulfilment.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTs, waitFor, type Spawned } from '../../helpers/process.js';
import { startHarness, SHOP, type Harness } from './harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the app process against both simulators', () => {
  let h: Harness;
  let app: Spawned;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const port = await freePort();
    const c = h.config;
    app = spawnTs('server/main.ts', [], {
      DATABASE_URL: h.db.url,
      PORT: String(port),
      ROLES: 'web,worker,scheduler',
      LOG_LEVEL: 'warn',
      SHOPIFY_API_KEY: c.SHOPIFY_API_KEY,
      SHOPIFY_API_SECRET: c.SHOPIFY_API_SECRET,
      SHOPIFY_ADMIN_BASE_URL: c.SHOPIFY_ADMIN_BASE_URL,
      GREATERWMS_URL: c.GREATERWMS_URL,
      GREATERWMS_TOKEN: c.GREATERWMS_TOKEN,
      GREATERWMS_OPERATOR: String(c.GREATERWMS_OPERATOR),
      ORDER_TRIGGER: 'paid',
      SHIPMENT_POLL_INTERVAL_MS: '5000',
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, 30_000, `app up\n${app.output()}`);
    h.shopify.webhooks.setUrl(`http://127.0.0.1:${port}/webhooks`);
  }, 60_000);
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await h?.close();
  });

  it('order webhook → DN; warehouse ships → the scheduled poll fulfils it with tracking', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 2 }]);
    await h.shopify.webhooks.sendOrder(SHOP, 'orders/create', o.id);
    await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', `in_warehouse\n${app.output()}`, 30_000);
    const code = (await h.orderRow(o.id))!.dnCode!;
    h.wms.control.ship(h.wmsToken, { code }, 'DHL 123456789');
    await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'fulfilled', `fulfilled\n${app.output()}`, 40_000);
    const f = (h.shopify.fulfillments(SHOP) as unknown as { orderId: string; trackingInfo: { number: string }[] }[]).filter((x) => x.orderId === o.id);
    expect(f).toHaveLength(1);
    expect(f[0]!.trackingInfo[0]!.number).toBe('123456789');
  }, 90_000);
});
