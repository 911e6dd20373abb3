// Child process of bench/webhooks.ts: serves, on two ports, (1) the real app's POST /webhooks (HMAC →
// inbox row + webhook.process job in one statement, real PostgreSQL) and (2) a bare express endpoint
// that only checks the HMAC. Prints {"app":port,"bare":port} on stdout when both listen.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../server/http/app.js';
import { createLogger } from '../server/logger.js';
import { createPool } from '../server/db/client.js';
import { webhooksRouter } from '../server/http/webhooks-route.js';
import { createShopifyApi } from '../server/adapters/shopify/shopify-api.js';

const url = process.env.BENCH_DATABASE_URL!;
const secret = process.env.BENCH_SECRET!;
// Pool of 10: the app's default (server/db/client.ts); the intake and the health routes share it, as in the app.
const pool = createPool(url, 10);
const log = createLogger({ level: 'silent' });
const shopify = createShopifyApi({ apiKey: 'bench-key', apiSecretKey: secret, appUrl: 'http://localhost:3000', scopes: [] });

const app = createApp({ log, pool, intakeRouters: [webhooksRouter({ shopify, pool, log })] });

const bare = express();
bare.post('/webhooks', express.raw({ type: () => true, limit: '2mb' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(req.get('x-shopify-hmac-sha256') ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.status(401).end();
  res.status(200).json({ ok: true });
});

const a = app.listen(0, '127.0.0.1', () => {
  const b = bare.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ app: (a.address() as AddressInfo).port, bare: (b.address() as AddressInfo).port })}\n`);
  });
});
process.on('SIGTERM', async () => {
  setTimeout(() => process.exit(0), 2000).unref(); // never outlive the benchmark
  await pool.end();
  process.exit(0);
});
