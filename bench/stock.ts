// npm run bench:stock — the stock cycle on 10,000 mapped SKUs against both simulators (real HTTP).
// The simulators run in this process; the app side (runStockSync with the real adapters, its own PostgreSQL
// pool) runs in a child process (bench/stock-child.ts, compiled, plain node as npm start runs the app), so its
// peak RSS is the app's alone. Phases, each one command to the child:
//   baseline   the bare warehouse read (readStock, all pages) — the floor a full cycle cannot go below
//   cold       first full cycle: inventory items looked up, storefront values read, every SKU pushed
//   steady     full cycle after 1 % of the goods changed in GreaterWMS
//   hot        fast cycle after 1 % of the goods were sold (marked hot) and changed
// Printed: wall time, GreaterWMS HTTP requests, Shopify GraphQL requests, pushed items, child peak RSS.
// Goals (issue 7): cold full cycle < 10 s, RSS < 256 MB, steady-state Shopify calls proportional to changes.
// Needs PostgreSQL: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres); a throw-away database
// is created, migrated and dropped. BENCH_SKUS overrides the catalogue size.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import pg from 'pg';
import { ROOT_DIR } from '../server/root-dir.js';
import type { ChildConfig, PhaseResult } from './stock-child.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SKUS = Number(process.env.BENCH_SKUS ?? 10_000);
const SHOP = 'bench-stock.myshopify.com';
const CHANGED = Math.max(1, Math.round(SKUS / 100));
const sku = (i: number) => `SKU-${String(i).padStart(5, '0')}`;
/** The app side, compiled (npm run build:server, which `npm run bench:stock` runs first). */
const CHILD = path.join(ROOT_DIR, 'dist', 'bench', 'stock-child.js');

// ---- parent: simulators, data, measurements ---------------------------------------------------------------

async function main(): Promise<void> {
  if (!fs.existsSync(CHILD)) throw new Error(`${CHILD} is missing: run npm run build:server first (npm run bench:stock does)`);
  const { migrateDeploy } = await import('../server/db/migrate.js');
  const { startShopifySimulator } = await import('../test/sim/shopify/index.js');
  const { startGreaterWmsSimulator } = await import('../test/sim/greaterwms/index.js');
  const { createGreaterWmsWarehouse } = await import('../server/adapters/greaterwms/index.js');
  const { createPrisma } = await import('../server/db/client.js');

  const dbName = `bench_stock_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const sims: { close(): Promise<void> }[] = [];
  try {
    await migrateDeploy(databaseUrl);
    const wms = await startGreaterWmsSimulator({ throttlePerSecond: 1_000_000 });
    sims.push(wms);
    const tenant = wms.control.createTenant();
    let wmsRequests = 0;
    wms.control.setResponseHook((_info, res) => (wmsRequests++, res));
    const shopify = await startShopifySimulator({ shops: [{ shop: SHOP }] });
    sims.push(shopify);

    console.log(`setup: ${SKUS} SKUs in GreaterWMS (goods + stock) and Shopify (variants at Main warehouse, available 0)…`);
    const t0 = performance.now();
    const setupWms = createGreaterWmsWarehouse({ baseUrl: wms.url, token: tenant.token, operator: tenant.operator }, { timeoutMs: 30_000 });
    const ids = Array.from({ length: SKUS }, (_, i) => i);
    for (let i = 0; i < SKUS; i += 16) await Promise.all(ids.slice(i, i + 16).map((j) => setupWms.ensureProduct({ sku: sku(j), title: sku(j) })));
    // 2 % of the goods have no stock row at all (never received / sold out): they must publish 0.
    for (const i of ids) if (i % 50 !== 7) wms.control.stockIn(tenant.token, sku(i), 1 + (i % 40));
    shopify.addProduct(SHOP, { title: 'Catalogue', variants: ids.map((i) => ({ sku: sku(i), title: sku(i), stock: { 'Main warehouse': 0 } })) });
    const variants = new Map([...shopify.store.shop(SHOP).variants.values()].map((v) => [v.sku, `gid://shopify/ProductVariant/${v.id}`]));
    const prisma = createPrisma(databaseUrl, 2);
    const token = shopify.tokens.issue(SHOP);
    await prisma.shop.create({ data: { domain: SHOP } });
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: '', accessToken: token.access_token, scope: token.scope } });
    // Bulk insert: saveMappings runs one upsert per mapping in one transaction (over Prisma's 5 s limit at 10,000).
    await prisma.skuMapping.createMany({ data: ids.map((i) => ({ shop: SHOP, variantId: variants.get(sku(i))!, sku: sku(i), components: [{ goodsCode: sku(i), quantity: 1 }] })) });
    console.log(`setup done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const cfg: ChildConfig = { shop: SHOP, databaseUrl, shopifyUrl: shopify.url, apiKey: shopify.apiKey, apiSecret: shopify.apiSecret, wmsUrl: wms.url, wmsToken: tenant.token, wmsOperator: tenant.operator };
    const proc = spawn(process.execPath, [CHILD, JSON.stringify(cfg)], { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
    const phase = async (name: string): Promise<PhaseResult & { wms: number; shopify: number; name: string }> => {
      const w0 = wmsRequests;
      const s0 = shopify.calls.length;
      proc.stdin!.write(`${name}\n`);
      const { value } = await lines.next();
      const r = JSON.parse(value as string) as PhaseResult;
      return { ...r, name, wms: wmsRequests - w0, shopify: shopify.calls.length - s0 };
    };
    const change = (from: number) => {
      const picked = Array.from({ length: CHANGED }, (_, k) => (from + k * 97) % SKUS);
      for (const i of picked) {
        if (i % 50 === 7) wms.control.stockIn(tenant.token, sku(i), 3);
        else wms.control.stockIn(tenant.token, sku(i), 2);
      }
      return picked;
    };

    const results = [];
    results.push(await phase('baseline'));
    results.push(await phase('cold'));
    change(1);
    results.push(await phase('steady'));
    const hot = change(5_003);
    // As an intake does (insertReservations): upsert, since a goods code never seen with stock has no row yet.
    await prisma.$executeRaw`INSERT INTO stock_goods (shop, goods_code, available, read_at, last_sold_at)
      SELECT ${SHOP}, c, 0, 'epoch'::timestamptz, now() FROM unnest(${hot.map(sku)}::text[]) AS t(c)
      ON CONFLICT (shop, goods_code) DO UPDATE SET last_sold_at = EXCLUDED.last_sold_at`;
    results.push(await phase('hot'));
    proc.stdin!.write('exit\n');
    await new Promise((r) => proc.once('exit', r));

    // Correctness spot check: every Shopify value equals the warehouse figure.
    const { levels } = await setupWms.readStock();
    const wmsBy = new Map(levels.map((l) => [l.warehouseCode, l.available]));
    let wrong = 0;
    for (const i of ids) if ((shopify.quantities(SHOP, sku(i))?.available ?? -1) !== (wmsBy.get(sku(i)) ?? 0)) wrong++;
    await prisma.$disconnect();

    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(`${'phase'.padEnd(10)}${pad('wall s', 9)}${pad('WMS req', 9)}${pad('Shopify', 9)}${pad('changed', 9)}${pad('pushed', 8)}${pad('peak RSS MB', 13)}`);
    for (const r of results) console.log(`${r.name.padEnd(10)}${pad((r.ms / 1000).toFixed(2), 9)}${pad(r.wms, 9)}${pad(r.shopify, 9)}${pad(r.changed, 9)}${pad(r.pushed, 8)}${pad(r.maxRssMb.toFixed(0), 13)}`);
    const [base, cold, steady, hotR] = results as [typeof results[0], typeof results[0], typeof results[0], typeof results[0]];
    console.log(`\nratios: cold / bare warehouse read = ${(cold.ms / base.ms).toFixed(1)}x wall; steady Shopify calls / cold = ${(steady.shopify / cold.shopify).toFixed(3)} (${steady.shopify} for ${steady.changed} changes); hot Shopify calls = ${hotR.shopify} for ${hotR.changed} changes`);
    console.log(`goals: cold < 10 s: ${cold.ms < 10_000 ? 'met' : 'MISSED'}; peak RSS < 256 MB: ${Math.max(...results.map((r) => r.maxRssMb)) < 256 ? 'met' : 'MISSED'}; Shopify values equal to the warehouse figure: ${wrong === 0 ? 'all' : `${wrong} differ`}`);
  } finally {
    for (const s of sims) await s.close().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
