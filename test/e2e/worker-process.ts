// A real worker process for the SIGKILL tests (orders, returns): the app's registered job handlers with the
// app's config from the environment, short leases so a killed worker's job is rescued within a second or two,
// and fast retries for the job types those flows use. Prints "<label> ready pid=<pid>" (label: argv[2]).
import { createPool, createPrisma } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { parseConfig } from '../../server/config.js';
import { Worker } from '../../server/queue/worker.js';
import { buildJobHandlers, type JobDeps } from '../../server/jobs/registry.js';
import { createShopifyPlatform } from '../../server/adapters/shopify/platform.js';

const label = process.argv[2] ?? 'worker';

const config = parseConfig(process.env);
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
const prisma = createPrisma(config.DATABASE_URL!, 6);
const pool = createPool(config.DATABASE_URL!, 6);
const queuePool = createPool(config.DATABASE_URL!, 3);
const deps: JobDeps = { prisma, pool, log, config, now: () => new Date(), shopifyPlatform: createShopifyPlatform({ config, prisma, log }) };
const fast = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5, maxAttempts: 100 };
const worker = new Worker({
  pool: queuePool,
  log,
  handlers: buildJobHandlers(deps),
  retryPolicies: Object.fromEntries(['webhook.process', 'order.sync', 'fulfilment.create', 'return.process', 'refund.apply'].map((t) => [t, fast])),
  concurrency: 4,
  leaseMs: 1500,
  heartbeatMs: 400,
  rescueIntervalMs: 300,
  rescueGraceMs: 0,
  pollIntervalMs: 200,
});
await worker.start();
process.stdout.write(`${label} ready pid=${process.pid}\n`);
process.on('SIGTERM', () => {
  void worker.stop().then(() => process.exit(0));
});
