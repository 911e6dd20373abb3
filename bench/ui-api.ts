// npm run bench:ui-api — the embedded admin at catalogue scale (issue 9). 10,000 variants (6,000 mapped, 500
// of them bundles) in a throw-away database; the real app stack (session-token guard + admin API + built UI).
//  1. API: the first mappings page, searches (SKU prefix, product words, a goods code, no hit) and the
//     "unmapped" filter, each request timed end to end on localhost (an upper bound of the server time),
//     sequential, with a fresh session token per request like App Bridge sends. Baseline in the same run:
//     GET /api/session (the auth guard + one indexed read), so the ratio shows what the page query adds.
//  2. UI: Debian's chromium loads /mappings cold (new context, no cache) until the table shows the total;
//     measured with performance.now() (from navigation start).
// Goals: p99 < 200 ms for the first page and for a search; first render < 1 s.
// Needs PostgreSQL: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and /usr/bin/chromium.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { migrateDeploy } from '../server/db/migrate.js';
import { createPool, createPrisma } from '../server/db/client.js';
import { createLogger } from '../server/logger.js';
import { parseConfig } from '../server/config.js';
import { createApp } from '../server/http/app.js';
import { adminAuthRouter } from '../server/http/auth/admin-auth-route.js';
import { adminApiRouter } from '../server/http/admin-api/admin-api-route.js';
import { adminApiDeps } from '../server/http/admin-api/admin-api-deps.js';
import { uiRouter } from '../server/http/admin-api/ui-route.js';
import { createShopifyPlatform } from '../server/adapters/shopify/platform.js';
import { upsertVariants } from '../server/core/catalogue/catalogue-repo.js';
import { startShopifySimulator } from '../test/sim/shopify/index.js';
import { ensureWebBuilt, launchChromium, newAdminContext } from '../test/browser/chromium.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SHOP = 'bench-ui.myshopify.com';
const VARIANTS = 10_000;
const MAPPED = 6_000;
const BUNDLES = 500;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RENDERS = Number(process.env.BENCH_RENDERS ?? 7);

const silent = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms · p99 ${pct(xs, 99).toFixed(1)} ms · max ${Math.max(...xs).toFixed(1)} ms`;

async function main() {
  const dbName = `wms_bench_ui_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const sim = await startShopifySimulator({ shops: [{ shop: SHOP }] });
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const prisma = createPrisma(url.toString(), 8);
  const pool = createPool(url.toString(), 8);
  try {
    await migrateDeploy(url.toString());
    // Installed shop (offline token from the simulator), so requests measure the steady state, not the install.
    const token = sim.tokens.issue(SHOP);
    await prisma.shop.create({ data: { domain: SHOP } });
    await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: '', accessToken: token.access_token, scope: token.scope } });

    const t0 = performance.now();
    const words = ['Mug', 'Teapot', 'Spoon', 'Lamp', 'Poster', 'Candle', 'Bowl', 'Plate', 'Vase', 'Towel'];
    for (let b = 0; b < VARIANTS; b += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => {
        const n = b + i;
        return { variantId: `gid://shopify/ProductVariant/${100000 + n}`, sku: `SKU-${String(n).padStart(5, '0')}`, title: `Size ${n % 5}`, productTitle: `${words[n % 10]} ${Math.floor(n / 5)}`, inventoryItemId: `gid://shopify/InventoryItem/${n}` };
      });
      await upsertVariants(prisma, SHOP, batch, new Date());
    }
    await prisma.skuMapping.createMany({
      data: Array.from({ length: MAPPED }, (_, n) => ({
        shop: SHOP,
        variantId: `gid://shopify/ProductVariant/${100000 + n}`,
        sku: `SKU-${String(n).padStart(5, '0')}`,
        components: n < BUNDLES ? [{ goodsCode: `G-${n}`, quantity: 1 }, { goodsCode: `G-${n + 1}`, quantity: 2 }] : [{ goodsCode: `G-${n}`, quantity: 1 }],
      })),
    });
    await pool.query('ANALYZE');
    console.log(`seeded ${VARIANTS} variants (${MAPPED} mapped, ${BUNDLES} bundles) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const config = parseConfig({ SHOPIFY_API_KEY: sim.apiKey, SHOPIFY_API_SECRET: sim.apiSecret, SHOPIFY_ADMIN_BASE_URL: sim.url, ENCRYPTION_KEY: randomBytes(32).toString('hex') });
    const platform = createShopifyPlatform({ config, prisma, log: silent });
    ensureWebBuilt();
    const app = createApp({
      log: silent,
      pool,
      routers: [
        adminAuthRouter({ shopify: platform.shopify, sessions: platform.sessions, prisma, log: silent }),
        adminApiRouter(adminApiDeps({ prisma, pool, log: silent, config })),
        uiRouter({ apiKey: config.SHOPIFY_API_KEY, sanitizeShop: (s) => platform.shopify.utils.sanitizeShop(s) }),
      ],
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const time = async (path: string, check: (body: Record<string, unknown>) => void): Promise<number> => {
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${sim.sessionToken(SHOP)}` } });
      const body = (await res.json()) as Record<string, unknown>;
      const ms = performance.now() - start;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      check(body);
      return ms;
    };
    const series = async (paths: string[], check: (b: Record<string, unknown>) => void) => {
      for (let i = 0; i < 20; i++) await time(paths[i % paths.length]!, check); // warm-up (JIT, pools, plan cache)
      const xs: number[] = [];
      for (let i = 0; i < REQUESTS; i++) xs.push(await time(paths[i % paths.length]!, check));
      return xs;
    };
    const total = (n: number) => (b: Record<string, unknown>) => {
      if (b.total !== n) throw new Error(`expected total ${n}, got ${String(b.total)}`);
    };
    const session = await series(['/api/session'], () => {});
    const first = await series(['/api/mappings'], total(VARIANTS));
    const search = await series(
      ['/api/mappings?query=SKU-0421', '/api/mappings?query=teapot%2012', '/api/mappings?query=G-4999', '/api/mappings?query=nothing-like-this'],
      (b) => {
        if (typeof b.total !== 'number') throw new Error('no total');
      },
    );
    const unmapped = await series(['/api/mappings?filter=unmapped&page=20'], total(VARIANTS - MAPPED));
    console.log(`\nAPI, ${REQUESTS} sequential requests each, localhost round trip (≥ server time):`);
    console.log(`  baseline GET /api/session (auth only)     ${fmt(session)}`);
    console.log(`  first mappings page (50 of ${VARIANTS})       ${fmt(first)}   (p50 ×${(pct(first, 50) / pct(session, 50)).toFixed(1)} baseline)`);
    console.log(`  search (4 kinds, rotating)                ${fmt(search)}   (p50 ×${(pct(search, 50) / pct(session, 50)).toFixed(1)} baseline)`);
    console.log(`  unmapped filter, page 20                  ${fmt(unmapped)}`);
    const ok = pct(first, 99) < 200 && pct(search, 99) < 200;
    console.log(`  goal p99 < 200 ms for first page and search: ${ok ? 'met' : 'NOT met'}`);

    browser = await launchChromium();
    const renders: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const context = await newAdminContext(browser); // cold: no HTTP cache, no JS cache
      const page = await context.newPage();
      const q = new URLSearchParams({ shop: SHOP, host: 'YWRtaW4', embedded: '1', id_token: sim.sessionToken(SHOP) });
      await page.goto(`${base}/mappings?${q}`, { waitUntil: 'commit' });
      await page.getByText(`Page 1 of 200 · ${VARIANTS} variants`).waitFor({ timeout: 20_000 });
      renders.push(await page.evaluate(() => performance.now()));
      if (process.env.BENCH_DEBUG) {
        console.log(await page.evaluate(() => JSON.stringify({
          dcl: performance.getEntriesByType('navigation').map((n) => Math.round((n as PerformanceNavigationTiming).domContentLoadedEventEnd)),
          res: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => [r.name.replace(/\?.*/, '').slice(-30), Math.round(r.startTime), Math.round(r.responseEnd)]),
        })));
      }
      await context.close();
    }
    const warm = renders.slice(1); // the first launch also pays chromium's own start-up work
    console.log(`\nUI: /mappings cold load until the table shows "${VARIANTS} variants", ${RENDERS} loads (first dropped):`);
    console.log(`  ${fmt(warm)} (first load ${renders[0]!.toFixed(0)} ms)`);
    console.log(`  load average during the run: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${(await import('node:os')).cpus().length} cores`);
    console.log(`  goal first render < 1000 ms: ${pct(warm, 50) < 1000 && Math.max(...warm) < 1000 ? 'met' : 'NOT met'}`);
    server.close();
    server.closeAllConnections();
  } finally {
    await browser?.close();
    await prisma.$disconnect();
    await pool.end();
    await sim.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
