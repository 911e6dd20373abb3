// npm run bench:orders — 1,000 order webhooks in a burst through the whole loop against both simulators
// (real HTTP: Shopify simulator → POST /webhooks → inbox → webhook.process → order.sync → Shopify re-read →
// GreaterWMS DN), one in-process worker (concurrency 4, the default).
// Prints: time until every DN is confirmed, per-order latency p50/p99 (webhook sent → in_warehouse), DN count
// (must be 1,000), the share of order.sync time spent waiting on GreaterWMS and on Shopify, and a baseline
// measured in the same run: the bare adapter's createOutboundOrder for the same kind of order, sequentially.
//   ORDERS (1000), DATABASE_URL (server; default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, createPrisma } from '../server/db/client.js';
import { migrateDeploy } from '../server/db/migrate.js';
import { startHarness, SHOP } from '../test/e2e/orders/harness.js';
import { createGreaterWmsWarehouse } from '../server/adapters/greaterwms/index.js';

const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const ORDERS = Number(process.env.ORDERS ?? 1000);

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

let syncRunMs = 0;

async function main() {
  const name = `wms_bench_orders_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString());
  const h = await startHarness({
    products: [{ sku: 'MUG-1', stock: 100_000 }, { sku: 'TEA-1', stock: 100_000 }],
    retry: { baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.5, maxAttempts: 50 },
    // order.sync run time measured around the handler itself (attempts included, queue waits excluded).
    wrapHandlers: (handlers) => ({
      ...handlers,
      'order.sync': async (job, ctx) => {
        const t = performance.now();
        try {
          await handlers['order.sync']!(job, ctx);
        } finally {
          syncRunMs += performance.now() - t;
        }
      },
    }),
    database: async () => {
      const prisma = createPrisma(url.toString(), 10);
      const pool = createPool(url.toString(), 10);
      return {
        url: url.toString(),
        name,
        prisma,
        pool,
        drop: async () => {
          await prisma.$disconnect();
          await pool.end();
          await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        },
      };
    },
  });
  try {
    // Baseline: the adapter alone (no queue, no Shopify) creating 100 DNs of the same shape, sequentially.
    const bare = createGreaterWmsWarehouse({ baseUrl: h.wms.url, token: h.wmsToken, operator: Number(h.config.GREATERWMS_OPERATOR) }, { timeoutMs: 5000 });
    const B = 100;
    const b0 = performance.now();
    let throttled = 0;
    for (let i = 0; i < B; i++) {
      for (;;) {
        try {
          await bare.createOutboundOrder({ orderId: `gid://bench/Order/${i}`, orderName: `#B${i}`, lines: [{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEA-1', quantity: 1 }], recipient: { name: 'Bench Buyer', address1: '1 Road', city: 'Town', country: 'GB' } });
          break;
        } catch (err) {
          // GreaterWMS's own throttle (500 requests/s per tenant, IP and method) answers 429: wait as told.
          const e = err as { retryable?: boolean; retryAfterMs?: number };
          if (!e.retryable) throw err;
          throttled++;
          await new Promise((r) => setTimeout(r, e.retryAfterMs ?? 1000));
        }
      }
    }
    const bareMs = (performance.now() - b0) / B;
    const baselineDns = h.dns().length;

    const orders: { id: string; sentAt: number }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEA-1', quantity: 1 }]);
      orders.push({ id: o.id, sentAt: 0 });
    }
    const t0 = Date.now();
    // The burst: every webhook at once, 50 connections in flight (Shopify delivers in parallel).
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < orders.length) {
          const o = orders[next++]!;
          o.sentAt = Date.now();
          await h.webhook('orders/create', o.id);
        }
      }),
    );
    const accepted = Date.now() - t0;
    for (;;) {
      const n = await h.db.prisma.orderSync.count({ where: { shop: SHOP, state: 'in_warehouse' } });
      if (n >= ORDERS) break;
      if (Date.now() - t0 > 30 * 60_000) throw new Error(`only ${n} of ${ORDERS} orders reached the warehouse in 30 min`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const total = Date.now() - t0;
    const rows = await h.db.prisma.orderSync.findMany({ where: { shop: SHOP }, select: { orderId: true, updatedAt: true, dnCode: true } });
    const doneAt = new Map(rows.map((r) => [r.orderId, r.updatedAt.getTime()]));
    const lat = orders.map((o) => doneAt.get(o.id)! - o.sentAt);
    const dns = h.dns().length - baselineDns;
    const confirmed = h.dns().filter((d) => rows.some((r) => r.dnCode === d.dn_code) && d.dn_status === 2).length;

    const calls = await h.db.pool.query<{ system: string; ms: number; n: number; errors: number }>(
      `SELECT system, sum(duration_ms)::float AS ms, count(*)::int AS n, count(*) FILTER (WHERE outcome = 'error')::int AS errors FROM external_call WHERE shop = $1 GROUP BY system`,
      [SHOP],
    );
    const errs = await h.db.pool.query<{ system: string; error_code: string; n: number }>(
      `SELECT system, error_code, count(*)::int AS n FROM external_call WHERE shop = $1 AND outcome = 'error' GROUP BY 1, 2 ORDER BY 3 DESC`,
      [SHOP],
    );
    const syncMs = syncRunMs;
    const by = Object.fromEntries(calls.rows.map((r) => [r.system, r]));
    const perOrderPipeline = total / ORDERS;
    console.log(`orders                     ${ORDERS}`);
    console.log(`webhooks accepted in       ${accepted} ms`);
    console.log(`all DNs confirmed after    ${total} ms  (${(ORDERS / (total / 1000)).toFixed(1)} orders/s)`);
    console.log(`latency per order          p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${Math.max(...lat)} ms`);
    console.log(`DN count                   ${dns} created, ${confirmed} confirmed (must be ${ORDERS}) ${dns === ORDERS && confirmed === ORDERS ? 'OK' : 'MISMATCH'}`);
    console.log(`order.sync run time        ${Math.round(syncMs)} ms total (around the handler, every attempt; queue waits excluded)`);
    console.log(`  waiting on GreaterWMS    ${Math.round(by.warehouse?.ms ?? 0)} ms (${(((by.warehouse?.ms ?? 0) / syncMs) * 100).toFixed(1)} %), ${by.warehouse?.n ?? 0} calls, ${by.warehouse?.errors ?? 0} failed`);
    console.log(`  waiting on Shopify       ${Math.round(by.storefront?.ms ?? 0)} ms (${(((by.storefront?.ms ?? 0) / syncMs) * 100).toFixed(1)} %), ${by.storefront?.n ?? 0} calls, ${by.storefront?.errors ?? 0} failed`);
    for (const e of errs.rows) console.log(`  failed calls             ${e.system} ${e.error_code}: ${e.n} (retried)`);
    console.log(`baseline (bare adapter)    ${bareMs.toFixed(1)} ms per DN, sequential (${throttled} GreaterWMS throttle waits)`);
    console.log(`pipeline / baseline        ${(perOrderPipeline / bareMs).toFixed(2)}× per order (wall time per order in the burst vs one bare createOutboundOrder)`);
    if (dns !== ORDERS || confirmed !== ORDERS) process.exitCode = 1;
  } finally {
    await h.close();
  }
}

await main();
process.exit(process.exitCode ?? 0);
