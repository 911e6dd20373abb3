// The whole order loop against both simulators over real HTTP: a test database, the GreaterWMS simulator
// (tenant with stocked goods), the Shopify simulator (shop, products, installed app with an offline token),
// the app's POST /webhooks, and a real queue Worker running the registered job handlers.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger.js';
import { parseConfig, type Config } from '../../../server/config.js';
import { createApp } from '../../../server/http/app.js';
import { webhooksRouter } from '../../../server/http/webhooks-route.js';
import { createShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { Worker } from '../../../server/queue/worker.js';
import type { JobHandler } from '../../../server/queue/types.js';
import { buildJobHandlers, type JobDeps } from '../../../server/jobs/registry.js';
import { createGreaterWmsWarehouse } from '../../../server/adapters/greaterwms/index.js';
import { saveMappings, saveCarrierMapping } from '../../../server/core/mapping/save-mapping-use-case.js';
import { SHIPMENTS_POLL_JOB } from '../../../server/core/orders/order-jobs.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { spawnTs, waitFor as waitForProcess, type Spawned } from '../../helpers/process.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { startGreaterWmsSimulator, type GreaterWmsSimulator } from '../../sim/greaterwms/index.js';

export const silentLog = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
export const SHOP = 'orders-e2e.myshopify.com';
export const ADDRESS = { firstName: 'Ada', lastName: 'Lovelace', address1: '12 St James Sq', city: 'London', zip: 'SW1Y 4JH', countryCode: 'GB', phone: '+442071234567' };

/** Fast retries for tests: the order loop's behaviour, not the production backoff, is under test. */
export const FAST_RETRY = { baseDelayMs: 50, maxDelayMs: 400, jitter: 0, maxAttempts: 60 };

export interface Harness {
  db: TestDatabase;
  shopify: ShopifySimulator;
  wms: GreaterWmsSimulator;
  wmsToken: string;
  appUrl: string;
  config: Config;
  deps: JobDeps;
  worker: Worker;
  variantId(sku: string): string;
  placeOrder(lines: { sku: string; quantity: number }[], opts?: { shippingAddress?: unknown; financialStatus?: string }): Promise<{ id: string; name: string }>;
  /** Sends orders/create for the order as Shopify would (signed, through POST /webhooks). */
  webhook(topic: string, orderId: string, opts?: { webhookId?: string; triggeredAt?: string }): Promise<void>;
  poll(): Promise<void>;
  waitFor<T>(fn: () => Promise<T | false | null | undefined>, what: string, timeoutMs?: number): Promise<T>;
  orderRow(orderId: string): Promise<{ state: string; dnCode: string | null; stateReason: string | null; missingSkus: unknown } | null>;
  dns(): { dn_code: string; dn_status: number; customer: string; back_order_label: boolean }[];
  dnLines(code: string): { goods_code: string; goods_qty: number }[];
  close(): Promise<void>;
}

export async function startHarness(
  opts: { products?: { sku: string; stock: number }[]; unmapped?: string[]; worker?: boolean; concurrency?: number; database?: () => Promise<TestDatabase>; retry?: typeof FAST_RETRY; wrapHandlers?: (h: Record<string, JobHandler>) => Record<string, JobHandler> } = {},
): Promise<Harness> {
  const products = opts.products ?? [
    { sku: 'MUG-1', stock: 1000 },
    { sku: 'TEA-1', stock: 1000 },
  ];
  const db = await (opts.database ?? (() => createTestDatabase({ poolSize: 8 })))();
  const wms = await startGreaterWmsSimulator();
  const tenant = wms.control.createTenant();
  const shopify = await startShopifySimulator({
    shops: [{ shop: SHOP, products: products.map((p) => ({ title: p.sku, variants: [{ sku: p.sku, stock: { 'Main warehouse': p.stock } }] })) }],
    webhookRetryScheduleMs: [50, 100, 200],
  });
  const config = parseConfig({
    SHOPIFY_API_KEY: shopify.apiKey,
    SHOPIFY_API_SECRET: shopify.apiSecret,
    SHOPIFY_ADMIN_BASE_URL: shopify.url,
    GREATERWMS_URL: wms.url,
    GREATERWMS_TOKEN: tenant.token,
    GREATERWMS_OPERATOR: String(tenant.operator),
    GREATERWMS_TIMEOUT_MS: '2000',
    ORDER_TRIGGER: 'created',
  });
  const shopifyPlatform = createShopifyPlatform({ config, prisma: db.prisma, log: silentLog });
  // Installed: shop row + offline token the simulator issued.
  const token = shopify.tokens.issue(SHOP);
  await db.prisma.shop.create({ data: { domain: SHOP } });
  await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: '', accessToken: token.access_token, scope: token.scope } });

  // Warehouse goods exist and are stocked (what the merchant's catalogue import does).
  const setup = createGreaterWmsWarehouse({ baseUrl: wms.url, token: tenant.token, operator: tenant.operator }, { timeoutMs: 5000 });
  for (const p of products) {
    await setup.ensureProduct({ sku: p.sku, title: p.sku });
    if (p.stock > 0) wms.control.stockIn(tenant.token, p.sku, p.stock);
  }
  const variantId = (sku: string) => {
    const v = [...shopify.store.shop(SHOP).variants.values()].find((x) => x.sku === sku);
    if (!v) throw new Error(`no variant ${sku}`);
    return `gid://shopify/ProductVariant/${v.id}`;
  };
  const unmapped = new Set(opts.unmapped ?? []);
  await saveMappings(
    db.prisma,
    SHOP,
    products.filter((p) => !unmapped.has(p.sku)).map((p) => ({ variantId: variantId(p.sku), sku: p.sku, components: [{ goodsCode: p.sku, quantity: 1 }] })),
  );
  await saveCarrierMapping(db.prisma, SHOP, 'DHL', 'DHL Express', 'https://www.dhl.com/track?tracking-id={number}');

  const deps: JobDeps = { prisma: db.prisma, pool: db.pool, log: silentLog, config, now: () => new Date(), shopifyPlatform };
  const server: Server = createApp({ log: silentLog, pool: db.pool, intakeRouters: [webhooksRouter({ shopify: shopifyPlatform.shopify, pool: db.pool, log: silentLog })] }).listen(0);
  await new Promise((r) => server.once('listening', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  shopify.webhooks.setUrl(`${appUrl}/webhooks`);

  const types = ['order.sync', 'fulfilment.create', 'shipments.poll', 'webhook.process'];
  const worker = new Worker({
    pool: db.pool,
    log: silentLog,
    handlers: (opts.wrapHandlers ?? ((x) => x))(buildJobHandlers(deps)),
    retryPolicies: Object.fromEntries(types.map((t) => [t, opts.retry ?? FAST_RETRY])),
    concurrency: opts.concurrency ?? 4,
    pollIntervalMs: 100,
  });
  if (opts.worker !== false) await worker.start();

  const h: Harness = {
    db,
    shopify,
    wms,
    wmsToken: tenant.token,
    appUrl,
    config,
    deps,
    worker,
    variantId,
    async placeOrder(lines, o = {}) {
      const r = shopify.addOrder(SHOP, {
        lines,
        shippingAddress: (o.shippingAddress === undefined ? ADDRESS : o.shippingAddress) as never,
        financialStatus: (o.financialStatus ?? 'PAID') as never,
      });
      return { id: r.id, name: r.name };
    },
    async webhook(topic, orderId, o = {}) {
      await shopify.webhooks.sendOrder(SHOP, topic, orderId, { url: `${appUrl}/webhooks`, ...o } as never);
    },
    async poll() {
      await enqueue(db.prisma, { type: SHIPMENTS_POLL_JOB, payload: { shop: SHOP }, shop: SHOP });
    },
    async waitFor(fn, what, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v as never;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async orderRow(orderId) {
      return db.prisma.orderSync.findUnique({ where: { shop_orderId: { shop: SHOP, orderId } }, select: { state: true, dnCode: true, stateReason: true, missingSkus: true } });
    },
    dns() {
      return wms.control.snapshot(tenant.token).dn as never;
    },
    dnLines(code) {
      return (wms.control.snapshot(tenant.token).dnLines as { dn_code: string; goods_code: string; goods_qty: number }[]).filter((l) => l.dn_code === code);
    },
    async close() {
      await worker.stop().catch(() => {});
      server.close();
      server.closeAllConnections();
      await shopify.close();
      await wms.close();
      await db.drop();
    },
  };
  return h;
}

/**
 * Starts a worker process (test/e2e/worker-process.ts, printing "<label> ready pid=N") against this harness's
 * database and simulators, for the SIGKILL tests; `procs` collects it so afterAll can kill what is left.
 */
export async function spawnHarnessWorker(
  h: Harness,
  procs: (Spawned & { pid?: number })[],
  label: string,
  env: Record<string, string> = {},
): Promise<Spawned & { pid?: number }> {
  const c = h.config;
  const p: Spawned & { pid?: number } = spawnTs('test/e2e/worker-process.ts', [label], {
    DATABASE_URL: h.db.url,
    SHOPIFY_API_KEY: c.SHOPIFY_API_KEY,
    SHOPIFY_API_SECRET: c.SHOPIFY_API_SECRET,
    SHOPIFY_ADMIN_BASE_URL: c.SHOPIFY_ADMIN_BASE_URL,
    GREATERWMS_URL: c.GREATERWMS_URL,
    GREATERWMS_TOKEN: c.GREATERWMS_TOKEN,
    GREATERWMS_OPERATOR: String(c.GREATERWMS_OPERATOR),
    GREATERWMS_TIMEOUT_MS: '3000',
    ...env,
  });
  procs.push(p);
  const ready = new RegExp(`${label} ready pid=(\\d+)`);
  p.pid = Number(await waitForProcess(async () => ready.exec(p.output())?.[1], 30_000, `${label} ready\n${p.output()}`));
  return p;
}

/**
 * The chaos loop of the SIGKILL tests: `count` workers from `start`; every `minMs`–`maxMs` one of them, chosen at
 * random, is SIGKILLed and replaced by a fresh one. `stop()` ends the loop and returns how many were killed.
 */
export async function killWorkersAtRandom(
  start: () => Promise<Spawned & { pid?: number }>,
  opts: { count: number; minMs: number; maxMs: number },
): Promise<{ stop: () => Promise<number> }> {
  let current = await Promise.all(Array.from({ length: opts.count }, () => start()));
  let done = false;
  let kills = 0;
  const loop = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, opts.minMs + Math.random() * (opts.maxMs - opts.minMs)));
      if (done) break;
      const victim = current[Math.floor(Math.random() * current.length)]!;
      process.kill(victim.pid!, 'SIGKILL');
      kills++;
      await victim.exited.catch(() => {});
      const fresh = await start();
      current = current.map((p) => (p === victim ? fresh : p));
    }
  })();
  return {
    stop: async () => {
      done = true;
      await loop;
      return kills;
    },
  };
}
