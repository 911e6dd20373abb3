// npm run bench:webhooks — webhook intake under load: valid, unique deliveries (each a new webhook id, so
// every request stores a row and enqueues a job) at 50 concurrent connections against the real route, and
// the same load against a bare express endpoint that only checks the HMAC, in the same run. The servers run
// in a child process; autocannon (the load generator) runs here.
// Goal (issue 5): app p99 < 50 ms and app req/s ≥ 0.5 × bare req/s.
// Needs a PostgreSQL server: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres); a
// throw-away database is created, migrated and dropped.
import { createHmac, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateDeploy, ROOT_DIR } from '../server/db/migrate.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret-0123456789';
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 2;

// A realistic orders/create body (~3 KB): a few lines, addresses, customer.
const ORDER = {
  id: 0, admin_graphql_api_id: '', name: '#1001', email: 'alice@example.com', updated_at: '2026-12-01T10:00:00Z',
  financial_status: 'paid', currency: 'EUR', created_at: '2026-12-01T10:00:00Z', note: null, tags: 'wholesale',
  customer: { id: 207119551, email: 'alice@example.com', first_name: 'Alice', last_name: 'Liddell' },
  shipping_address: { first_name: 'Alice', last_name: 'Liddell', address1: '1 Rabbit Hole', city: 'Oxford', zip: 'OX1 1AA', country_code: 'GB', phone: '+441865000000' },
  billing_address: { first_name: 'Alice', last_name: 'Liddell', address1: '1 Rabbit Hole', city: 'Oxford', zip: 'OX1 1AA', country_code: 'GB' },
  line_items: Array.from({ length: 8 }, (_, i) => ({ id: 100 + i, sku: `SKU-${i}`, quantity: 1 + i, price: '12.50', title: `Product ${i}`, variant_id: 4000 + i, requires_shipping: true, grams: 250 })),
};

let seq = 0;
function delivery(): { body: string; headers: Record<string, string> } {
  seq++;
  const body = JSON.stringify({ ...ORDER, id: 5_000_000 + seq, admin_graphql_api_id: `gid://shopify/Order/${5_000_000 + seq}` });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'bench.myshopify.com',
      'x-shopify-api-version': '2026-04',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  };
}

function load(url: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        requests: [{ method: 'POST', path: '/webhooks', setupRequest: (req) => ({ ...req, ...delivery() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

async function main(): Promise<void> {
  const name = `wms_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(SERVER_URL);
  dbUrl.pathname = `/${name}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'bench', 'webhooks-server.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, BENCH_DATABASE_URL: dbUrl.toString(), BENCH_SECRET: SECRET, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await migrateDeploy(dbUrl.toString());
    const ports = await new Promise<{ app: number; bare: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const results: Record<string, autocannon.Result> = {};
    for (const [label, port] of [['bare', ports.bare], ['app', ports.app]] as const) {
      await load(`http://127.0.0.1:${port}`, WARMUP_S); // JIT, connection pools
      results[label] = await load(`http://127.0.0.1:${port}`, DURATION_S);
    }
    const row = (label: string, r: autocannon.Result) =>
      `${label.padEnd(32)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
    const events = await new pg.Client({ connectionString: dbUrl.toString() });
    await events.connect();
    const stored = await events.query<{ events: string; jobs: string }>('SELECT (SELECT count(*) FROM webhook_event) AS events, (SELECT count(*) FROM job) AS jobs');
    await events.end();
    const app = results.app!;
    const bare = results.bare!;
    const ratio = app.requests.average / bare.requests.average;
    console.log(`\nWebhook intake, ${CONNECTIONS} connections, ${DURATION_S} s each, unique valid deliveries (~${delivery().body.length} B)`);
    console.log(row('bare express (HMAC check only)', bare));
    console.log(row('app POST /webhooks (store+job)', app));
    console.log(`rows written by the app run (incl. warm-up): ${stored.rows[0]!.events} events, ${stored.rows[0]!.jobs} jobs`);
    console.log(`ratio app/bare req/s: ${ratio.toFixed(2)} (goal ≥ 0.5)   app p99: ${app.latency.p99} ms (goal < 50)`);
    console.log(ratio >= 0.5 && app.latency.p99 < 50 ? 'GOALS MET' : 'GOALS NOT MET');
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  // autocannon's agents keep sockets and timers alive; the figures are printed, so leave.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
