// `npm run demo`: the whole product on one machine, nothing to configure.
// Starts PostgreSQL (DATABASE_URL's server, else the embedded one under .data/postgres), both simulators and
// the app (`server/main.ts`: web + worker + scheduler, as a real child process), seeds a small catalogue with
// SKU mappings, sends signed order webhooks like Shopify, plays the warehouse staff (release, pick, dispatch
// with a carrier + tracking number) and waits until every order is `fulfilled` in the Shopify simulator.
//   npm run demo             -> keeps everything running afterwards (Ctrl-C stops it cleanly)
//   npm run demo -- --once   -> stops and exits 0 once every order is fulfilled (used by the demo test)
//   --database <name>        -> database to (re)create on the server (default wms_bridge_demo)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { config } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { resolveDatabase } from '../server/db/database-url.js';
import { migrateDeploy, ROOT_DIR } from '../server/db/migrate.js';
import { createPrisma } from '../server/db/client.js';
import { createGreaterWmsWarehouse } from '../server/adapters/greaterwms/index.js';
import { saveCarrierMapping, saveMappings } from '../server/core/mapping/save-mapping-use-case.js';
import { startShopifySimulator } from '../test/sim/shopify/index.js';
import { startGreaterWmsSimulator } from '../test/sim/greaterwms/index.js';

const once = process.argv.includes('--once');
const dbArg = process.argv.indexOf('--database');
const DEMO_DB = dbArg > 0 ? process.argv[dbArg + 1]! : 'wms_bridge_demo';
if (!/^[a-z_][a-z0-9_]*$/.test(DEMO_DB)) throw new Error('--database must be a lower-case identifier');
const ORDER_COUNT = 3;
const SHOP = 'demo-shop.myshopify.com';
const CATALOGUE = [
  { sku: 'MUG-1', title: 'Enamel mug', stock: 40 },
  { sku: 'TEA-1', title: 'Breakfast tea 250 g', stock: 60 },
  { sku: 'SOCK-1', title: 'Wool socks', stock: 25 },
];
const say = (msg: string) => process.stdout.write(`[demo] ${msg}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const cfg = config();
const log = createLogger({ level: 'warn' });
const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}

try {
  // 1. Database: a fresh `wms_bridge_demo` (or --database) each run, so simulator ids never collide with an earlier run.
  say(cfg.DATABASE_URL ? 'using DATABASE_URL' : `starting embedded PostgreSQL (${cfg.EMBEDDED_PG_DIR})`);
  const server = await resolveDatabase({ databaseUrl: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_PG_DIR, embeddedPort: cfg.EMBEDDED_PG_PORT, log });
  stops.push(server.stop);
  const demoUrl = new URL(server.url);
  demoUrl.pathname = `/${DEMO_DB}`;
  const admin = new pg.Client({ connectionString: new URL('/postgres', server.url).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DEMO_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DEMO_DB}`);
  await admin.end();
  await migrateDeploy(demoUrl.toString());
  const prisma = createPrisma(demoUrl.toString(), 2);
  stops.push(() => prisma.$disconnect());

  // 2. Simulators: a GreaterWMS tenant with stocked goods, a Shopify shop with the same products.
  const wms = await startGreaterWmsSimulator();
  stops.push(() => wms.close());
  const tenant = wms.control.createTenant({ name: 'demo-warehouse' });
  const shopify = await startShopifySimulator({
    shops: [{ shop: SHOP, products: CATALOGUE.map((p) => ({ title: p.title, variants: [{ sku: p.sku, stock: { 'Main warehouse': p.stock } }] })) }],
  });
  stops.push(() => shopify.close());
  say(`GreaterWMS simulator ${wms.url} · Shopify simulator ${shopify.url}`);
  const warehouse = createGreaterWmsWarehouse({ baseUrl: wms.url, token: tenant.token, operator: tenant.operator }, { timeoutMs: 5000 });
  for (const p of CATALOGUE) {
    await warehouse.ensureProduct({ sku: p.sku, title: p.title });
    wms.control.stockIn(tenant.token, p.sku, p.stock);
  }

  // 3. The shop has installed the app (shop row + offline token) and mapped its SKUs to warehouse goods.
  const token = shopify.tokens.issue(SHOP);
  await prisma.shop.create({ data: { domain: SHOP } });
  await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: '', accessToken: token.access_token, scope: token.scope } });
  const variantId = (sku: string) => {
    const v = [...shopify.store.shop(SHOP).variants.values()].find((x) => x.sku === sku)!;
    return `gid://shopify/ProductVariant/${v.id}`;
  };
  await saveMappings(prisma, SHOP, CATALOGUE.map((p) => ({ variantId: variantId(p.sku), sku: p.sku, components: [{ goodsCode: p.sku, quantity: 1 }] })));
  await saveCarrierMapping(prisma, SHOP, 'DHL', 'DHL Express', 'https://www.dhl.com/track?tracking-id={number}');
  say(`seeded ${CATALOGUE.length} products, mappings and the DHL carrier for ${SHOP}`);

  // 4. The app itself, exactly as `npm start` runs it: the compiled server (npm run demo builds it first).
  const main = path.join(ROOT_DIR, 'dist', 'server', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build:server (npm run demo does it first)`);
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const app = spawn(process.execPath, [main], {
    cwd: ROOT_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: demoUrl.toString(),
      PORT: String(port),
      SHOPIFY_API_KEY: shopify.apiKey,
      SHOPIFY_API_SECRET: shopify.apiSecret,
      SHOPIFY_ADMIN_BASE_URL: shopify.url,
      SHOPIFY_APP_URL: appUrl,
      GREATERWMS_URL: wms.url,
      GREATERWMS_TOKEN: tenant.token,
      GREATERWMS_OPERATOR: String(tenant.operator),
      ORDER_TRIGGER: 'created',
      SHIPMENT_POLL_INTERVAL_MS: '5000',
    },
  });
  const appExited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));
  stops.push(async () => {
    if (app.exitCode === null) app.kill('SIGTERM');
    await appExited;
  });
  await waitFor('the app to be ready', async () => (await fetch(`${appUrl}/readyz`)).ok);
  shopify.webhooks.setUrl(`${appUrl}/webhooks`);
  say(`app ready at ${appUrl} (web + worker + scheduler)`);

  // 5. Customers order; Shopify sends signed orders/create webhooks.
  const orders = [];
  for (let i = 0; i < ORDER_COUNT; i++) {
    const lines = [
      { sku: CATALOGUE[i % CATALOGUE.length]!.sku, quantity: 1 + i },
      { sku: CATALOGUE[(i + 1) % CATALOGUE.length]!.sku, quantity: 1 },
    ];
    const order = shopify.addOrder(SHOP, {
      lines,
      shippingAddress: { firstName: 'Ada', lastName: `Customer ${i + 1}`, address1: '12 St James Sq', city: 'London', zip: 'SW1Y 4JH', countryCode: 'GB' } as never,
      financialStatus: 'PAID' as never,
    });
    orders.push(order);
    await shopify.webhooks.sendOrder(SHOP, 'orders/create', order.id);
    say(`order ${order.name}: ${lines.map((l) => `${l.quantity}× ${l.sku}`).join(', ')} → webhook sent`);
  }

  const stateOf = async (orderId: string) =>
    prisma.orderSync.findUnique({ where: { shop_orderId: { shop: SHOP, orderId } }, select: { state: true, dnCode: true } });

  // 6. The worker creates one confirmed DN per order in GreaterWMS.
  for (const o of orders) {
    const row = await waitFor(`${o.name} in the warehouse`, async () => {
      const r = await stateOf(o.id);
      return r?.state === 'in_warehouse' && r.dnCode ? r : undefined;
    });
    say(`order ${o.name} → GreaterWMS DN ${row.dnCode} (in_warehouse)`);
  }

  // 7. The warehouse team releases, picks and dispatches each DN with DHL and a tracking number.
  for (const [i, o] of orders.entries()) {
    const { dnCode } = (await stateOf(o.id))!;
    const tracking = `0034043416109404${String(2550 + i).padStart(4, '0')}`;
    wms.control.ship(tenant.token, { code: dnCode! }, `DHL ${tracking}`);
    say(`warehouse dispatched ${dnCode} with driver "DHL ${tracking}"`);
  }

  // 8. The shipment poll turns dispatched DNs into Shopify fulfilments with tracking.
  for (const o of orders) {
    await waitFor(`${o.name} fulfilled`, async () => (await stateOf(o.id))?.state === 'fulfilled', 90_000);
    const f = shopify.fulfillments(SHOP).find((x) => x.orderId === o.id);
    const t = (f?.trackingInfo as { company: string | null; number: string | null; url: string | null }[] | undefined)?.[0];
    say(`order ${o.name} fulfilled in Shopify: ${t ? `${t.company} ${t.number} ${t.url}` : 'without tracking'}`);
  }
  const dns = (wms.control.snapshot(tenant.token).dn as unknown[]).length;
  say(`done: ${orders.length} orders, ${dns} DNs in GreaterWMS, ${shopify.fulfillments(SHOP).length} fulfilments in Shopify`);

  if (once) {
    await stopAll();
    process.exit(0);
  }
  // The embedded admin outside Shopify: the page takes the session token from ?id_token (valid 1 hour).
  const idToken = shopify.sessionToken(SHOP, 'valid', { exp: Math.floor(Date.now() / 1000) + 3600 });
  const host = Buffer.from('admin.shopify.com/store/demo-shop').toString('base64url');
  say(`admin UI (1 h): ${appUrl}/orders?${new URLSearchParams({ shop: SHOP, host, embedded: '1', id_token: idToken })}`);
  say(`still running — app ${appUrl}, simulators above, database ${DEMO_DB}. Ctrl-C stops everything.`);
  const shutdown = async () => {
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (err) {
  process.stderr.write(`[demo] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await stopAll();
  process.exit(1);
}
