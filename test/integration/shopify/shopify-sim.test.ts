// The app's Shopify side against the Shopify simulator (real HTTP): session-token checks and install by
// token exchange, offline-token refresh under concurrency, the Admin GraphQL wrapper's retries, and the
// orders.reconcile safety net.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.js';
import { adminAuthRouter } from '../../../server/http/auth/admin-auth-route.js';
import { createShopifyPlatform, type ShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { ShopifyUserErrors } from '../../../server/adapters/shopify/admin-client.js';
import { ORDERS_UPDATED_SINCE_QUERY } from '../../../server/adapters/shopify/graphql/orders.js';
import { RetryableError, PermanentError } from '../../../server/core/errors.js';
import { ordersReconcileJob } from '../../../server/jobs/orders-reconcile.js';
import { parseConfig } from '../../../server/config.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { deliver, jobContext, jobDeps, silentLog, toRecord } from './job-helpers.js';
import { enqueue } from '../../../server/queue/enqueue.js';

const SHOP = 'sim-alpha.myshopify.com';

describe('Shopify platform against the simulator', () => {
  let db: TestDatabase;
  let sim: ShopifySimulator;
  let platform: ShopifyPlatform;
  let server: Server;
  let base: string;
  const waits: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startShopifySimulator({ shops: [{ shop: SHOP, products: [{ title: 'Teapot', variants: [{ sku: 'TEA-1', price: '10.00' }] }] }] });
    const config = parseConfig({ SHOPIFY_API_KEY: sim.apiKey, SHOPIFY_API_SECRET: sim.apiSecret, SHOPIFY_ADMIN_BASE_URL: sim.url });
    // Recorded instead of slept, and the simulator's clock moves instead (its bucket refills): the wrapper's
    // backoff decisions are checked without wall-clock waits.
    platform = createShopifyPlatform({
      config,
      prisma: db.prisma,
      log: silentLog,
      sleep: async (ms) => {
        waits.push(ms);
        sim.clock.advance(ms);
      },
    });
    const router = adminAuthRouter({ shopify: platform.shopify, sessions: platform.sessions, prisma: db.prisma, log: silentLog });
    server = createApp({ log: silentLog, pool: db.pool, routers: [router] }).listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await sim?.close();
    await db?.drop();
  });
  beforeEach(() => {
    waits.length = 0;
    sim.faults.clear();
  });

  const api = (token: string | null) => fetch(`${base}/api/session`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const oauthCalls = (grant: string) => sim.calls.filter((c) => c.operationName === `oauth:${grant}`).length;

  describe('session tokens on /api/*', () => {
    for (const variant of ['forged', 'expired', 'other-app', 'not-yet-valid'] as const) {
      it(`${variant} session token → 401 with the App Bridge retry header, no session stored`, async () => {
        const res = await api(sim.sessionToken(SHOP, variant));
        expect(res.status).toBe(401);
        expect(res.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
        expect(await db.prisma.session.count()).toBe(0);
      });
    }

    it('no Authorization header → 401', async () => {
      expect((await api(null)).status).toBe(401);
    });

    it('token whose dest is not a myshopify shop → 401', async () => {
      const res = await api(sim.sessionToken(SHOP, 'valid', { dest: 'https://evil.example.com', iss: 'https://evil.example.com/admin' }));
      expect(res.status).toBe(401);
    });

    it('first valid call installs by token exchange (expiring offline token + refresh token stored); later calls do not exchange again', async () => {
      const before = oauthCalls('urn:ietf:params:oauth:grant-type:token-exchange');
      const res = await api(sim.sessionToken(SHOP));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ shop: SHOP });
      const row = await db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
      expect(row.accessToken).toMatch(/^shpat_/);
      expect(row.refreshToken).toMatch(/^shprt_/);
      expect(row.expires).not.toBeNull();
      expect(await db.prisma.shop.findUnique({ where: { domain: SHOP } })).toMatchObject({ uninstalledAt: null });
      expect((await api(sim.sessionToken(SHOP))).status).toBe(200);
      expect(oauthCalls('urn:ietf:params:oauth:grant-type:token-exchange')).toBe(before + 1);
    });
  });

  describe('offlineSession(shop) for background jobs', () => {
    it('two jobs needing a refresh at the same moment: one refresh call, both get the same fresh token, the next refresh still works', async () => {
      // The stored token expires within the 5-min refresh margin: both jobs want to refresh it.
      const nearExpiry = async () => db.prisma.session.update({ where: { id: `offline_${SHOP}` }, data: { expires: new Date(Date.now() + 60_000) } });
      await nearExpiry();
      const stale = await platform.sessions.loadOffline(SHOP);
      const before = oauthCalls('refresh_token');
      const [a, b] = await Promise.all([platform.sessions.offlineSession(SHOP), platform.sessions.offlineSession(SHOP)]);
      expect(oauthCalls('refresh_token')).toBe(before + 1);
      expect(a.accessToken).toBe(b.accessToken);
      expect(a.accessToken).not.toBe(stale!.accessToken);
      // The rotated refresh token was persisted: refreshing again succeeds (a burnt token would be invalid_grant).
      expect(a.expires!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
      await nearExpiry();
      const c = await platform.sessions.offlineSession(SHOP);
      expect(c.accessToken).not.toBe(a.accessToken);
      expect(oauthCalls('refresh_token')).toBe(before + 2);
    });

    it('a shop without a session: PermanentError asking for the app to be opened', async () => {
      await expect(platform.sessions.offlineSession('nobody.myshopify.com')).rejects.toBeInstanceOf(PermanentError);
    });
  });

  describe('Admin GraphQL wrapper', () => {
    const q = () => platform.admin(SHOP).request<{ orders: { nodes: unknown[] } }>(ORDERS_UPDATED_SINCE_QUERY, { variables: { first: 5, query: 'updated_at:>2020-01-01' } });

    it('THROTTLED inside HTTP 200 twice: backs off by the throttle status and succeeds on the third call', async () => {
      sim.throttle.forceThrottled(2);
      await expect(q()).resolves.toHaveProperty('orders.nodes');
      expect(waits).toHaveLength(2);
      for (const w of waits) expect(w).toBeGreaterThan(0);
    });

    it('THROTTLED on every inline attempt: RetryableError shopify.throttled with retryAfterMs for the queue', async () => {
      sim.throttle.forceThrottled(3);
      const err = await q().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect((err as RetryableError).code).toBe('shopify.throttled');
      expect((err as RetryableError).retryAfterMs).toBeGreaterThan(0);
    });

    it('a nearly empty bucket: the wait is computed from restoreRate (not a fixed sleep)', async () => {
      sim.throttle.setAvailable(SHOP, 0);
      sim.throttle.configure({ restoreRate: 100 });
      await q();
      // Needs ~requestedQueryCost points at 100/s: tens to hundreds of ms, never the 1 s fallback.
      expect(waits.length).toBeGreaterThanOrEqual(1);
      expect(waits[0]!).toBeLessThan(1000);
    });

    it('HTTP 503 then success: retried', async () => {
      sim.faults.failNext(1, 503);
      await expect(q()).resolves.toHaveProperty('orders');
      expect(waits).toEqual([500]);
    });

    it('HTTP 429 with Retry-After: 2 → waits 2 s then succeeds', async () => {
      sim.faults.failNext(1, 429, 2);
      await expect(q()).resolves.toHaveProperty('orders');
      expect(waits).toEqual([2000]);
    });

    it('HTTP 500 on every attempt: RetryableError after 3 calls', async () => {
      sim.faults.failNext(3, 500);
      await expect(q()).rejects.toBeInstanceOf(RetryableError);
    });

    it('mutation userErrors surface as ShopifyUserErrors with their codes', async () => {
      const doc = /* GraphQL */ `
        mutation SetStock($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
          inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
            userErrors { code field message }
          }
        }`;
      const err = await platform
        .admin(SHOP)
        .request(doc, {
          idempotencyKey: 'k-1',
          variables: { input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: 'gid://shopify/InventoryItem/999999', locationId: 'gid://shopify/Location/999999', quantity: 1, changeFromQuantity: null }] } },
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShopifyUserErrors);
      expect((err as ShopifyUserErrors).codes.length).toBeGreaterThan(0);
    });

    it('an inventory mutation without an idempotency key is refused before any call', async () => {
      const doc = 'mutation M($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) { inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) { userErrors { message } } }';
      const before = sim.calls.length;
      await expect(platform.admin(SHOP).request(doc, { variables: {} })).rejects.toThrow(/idempotencyKey/);
      expect(sim.calls.length).toBe(before);
    });
  });

  describe('orders.reconcile', () => {
    it('enqueues a stand-in for the order whose webhook never came, not for the one received; a second run adds nothing', async () => {
      const seen = sim.addOrder(SHOP, { lines: [{ sku: 'TEA-1', quantity: 1 }] });
      const missed = sim.addOrder(SHOP, { lines: [{ sku: 'TEA-1', quantity: 2 }] });
      await deliver(db.prisma, SHOP, 'orders/create', sim.webhooks.orderPayload(SHOP, seen.id) as Record<string, unknown>);
      // The job's clock is 15 min ahead: both orders are past the 10-min grace period.
      const deps = jobDeps(db.prisma, db.pool, { shopifyPlatform: platform, now: () => new Date(Date.now() + 15 * 60_000) });
      const { id } = await enqueue(db.prisma, { type: 'orders.reconcile', payload: { shop: SHOP }, shop: SHOP });
      await ordersReconcileJob(deps)(await toRecord(db.prisma, id), jobContext());

      const standIns = await db.prisma.webhookEvent.findMany({ where: { shop: SHOP, source: 'reconcile' } });
      expect(standIns.map((e) => [e.resourceId, e.topic])).toEqual([[missed.id, 'orders/create']]);
      const job = await db.prisma.job.findFirst({ where: { type: 'webhook.process', payload: { equals: { webhookEventId: standIns[0]!.id.toString() } } } });
      expect(job).not.toBeNull();
      expect((await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).ordersReconciledAt).not.toBeNull();

      const { id: id2 } = await enqueue(db.prisma, { type: 'orders.reconcile', payload: { shop: SHOP }, shop: SHOP, uniqueKey: 'second' });
      await ordersReconcileJob(deps)(await toRecord(db.prisma, id2), jobContext());
      expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP, source: 'reconcile' } })).toBe(1);
    });
  });
});
