// The app side of npm run bench:stock (bench/stock.ts starts it): runStockSync with the real adapters and its own
// PostgreSQL pool, one phase per line on stdin, one JSON result per line on stdout. It runs COMPILED (dist/bench/
// stock-child.js, built with the server by npm run build:server) under plain node, as npm start runs the app, so
// its peak RSS is the production process's: no tsx loader thread.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createLogger } from '../server/logger.js';
import { parseConfig } from '../server/config.js';
import { createPrisma } from '../server/db/client.js';
import { createShopifyPlatform } from '../server/adapters/shopify/platform.js';
import { createShopifyInventoryStorefront } from '../server/adapters/shopify/storefront-inventory-adapter.js';
import { createGreaterWmsWarehouse } from '../server/adapters/greaterwms/index.js';
import { runStockSync } from '../server/core/stock/stock-sync-use-case.js';

export interface ChildConfig {
  shop: string;
  databaseUrl: string;
  shopifyUrl: string;
  apiKey: string;
  apiSecret: string;
  wmsUrl: string;
  wmsToken: string;
  wmsOperator: number;
}

export interface PhaseResult {
  ms: number;
  pushed: number;
  changed: number;
  variants: number;
  maxRssMb: number;
}

async function child(cfg: ChildConfig): Promise<void> {
  const log = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const prisma = createPrisma(cfg.databaseUrl, 4);
  const config = parseConfig({ SHOPIFY_API_KEY: cfg.apiKey, SHOPIFY_API_SECRET: cfg.apiSecret, SHOPIFY_ADMIN_BASE_URL: cfg.shopifyUrl });
  const platform = createShopifyPlatform({ config, prisma, log });
  const warehouse = createGreaterWmsWarehouse({ baseUrl: cfg.wmsUrl, token: cfg.wmsToken, operator: cfg.wmsOperator }, { timeoutMs: 30_000 });
  const deps = { db: prisma, warehouse, storefront: createShopifyInventoryStorefront(platform.admin(cfg.shop)), now: () => new Date(), log, defaultBuffer: 0, hotWindowMs: 3_600_000 };
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const cmd = line.trim();
    if (process.env.BENCH_DEBUG) process.stderr.write(`child: ${cmd}\n`);
    if (cmd === 'exit') break;
    const t0 = performance.now();
    let out: Omit<PhaseResult, 'ms' | 'maxRssMb'> = { pushed: 0, changed: 0, variants: 0 };
    if (cmd === 'baseline') {
      const r = await warehouse.readStock();
      out = { pushed: 0, changed: 0, variants: r.levels.length };
    } else {
      const r = await runStockSync(deps, cfg.shop, cmd === 'hot' ? { kind: 'hot' } : { kind: 'full' });
      out = { pushed: r.pushed, changed: r.changed, variants: r.variants };
      if (process.env.BENCH_MEM) process.stderr.write(`${cmd} mem MB: ${JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)])))}\n`);
      if (process.env.BENCH_PHASES) process.stderr.write(`${cmd} phases ms: ${JSON.stringify(Object.fromEntries(Object.entries(r.phaseMs).map(([k, v]) => [k, Math.round(v)])))}\n`);
    }
    const ms = performance.now() - t0;
    process.stdout.write(`${JSON.stringify({ ...out, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  }
  await prisma.$disconnect();
  // Keep-alive sockets of the HTTP clients would hold the process open.
  process.exit(0);
}


if (process.argv[2]) await child(JSON.parse(process.argv[2]) as ChildConfig);
