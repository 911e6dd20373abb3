// Composition root: reads the config, opens the database (embedded when DATABASE_URL is unset), applies
// migrations, starts the roles asked for (web, worker, scheduler) and stops them all cleanly on SIGTERM/SIGINT.
//   npm start                      -> all three roles in one process (the small-shop default)
//   npm start -- --role worker     -> one role (or ROLES=worker); several workers can share one PostgreSQL
import type { Server } from 'node:http';
import { config, ConfigError, type Config } from './config.js';
import { createLogger } from './logger.js';
import { resolveDatabase } from './db/database-url.js';
import { migrateDeploy } from './db/migrate.js';
import { createPool, createPrisma } from './db/client.js';
import { createApp } from './http/app.js';
import { Worker } from './queue/worker.js';
import { Scheduler } from './queue/scheduler.js';
import { buildJobHandlers, jobRetryPolicies, type JobDeps } from './jobs/registry.js';
import { buildSchedule } from './jobs/schedule.js';
import { createShopifyPlatform } from './adapters/shopify/platform.js';
import { webhooksRouter } from './http/webhooks-route.js';
import { adminAuthRouter } from './http/auth/admin-auth-route.js';
import { adminApiRouter } from './http/admin-api/admin-api-route.js';
import { adminApiDeps } from './http/admin-api/admin-api-deps.js';
import { uiRouter } from './http/admin-api/ui-route.js';

function rolesFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--role');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
}

async function main(): Promise<void> {
  let cfg: Config;
  try {
    const role = rolesFromArgs(process.argv.slice(2));
    if (role) process.env.ROLES = role;
    cfg = config();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger({
    level: cfg.LOG_LEVEL,
    pretty: cfg.LOG_PRETTY ?? cfg.NODE_ENV === 'development',
    secrets: [cfg.SHOPIFY_API_SECRET, cfg.GREATERWMS_TOKEN, cfg.ENCRYPTION_KEY],
  });

  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Reverse start order: roles first, then pools, then the embedded database.
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log.error({ err, component: name }, 'error while stopping');
      }
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const db = await resolveDatabase({
    databaseUrl: cfg.DATABASE_URL,
    embeddedDir: cfg.EMBEDDED_PG_DIR,
    embeddedPort: cfg.EMBEDDED_PG_PORT,
    log,
  });
  stops.push({ name: 'database', stop: db.stop });
  if (stopping) return;
  await migrateDeploy(db.url);
  const prisma = createPrisma(db.url);
  const pool = createPool(db.url);
  stops.push({ name: 'pools', stop: async () => { await prisma.$disconnect(); await pool.end(); } });
  // Shopify library, sessions (offlineSession for jobs) and Admin GraphQL clients, configured once.
  const shopifyPlatform = createShopifyPlatform({ config: cfg, prisma, log });

  if (cfg.roles.has('worker')) {
    // The queue's own statements (claim, complete, heartbeat, rescue) get their own small pool, so busy
    // handlers holding the shared pool's connections can never starve a heartbeat into a lost lease.
    const queuePool = createPool(db.url, 4);
    const deps: JobDeps = { prisma, pool, log, config: cfg, now: () => new Date(), shopifyPlatform };
    const worker = new Worker({
      pool: queuePool,
      log,
      handlers: buildJobHandlers(deps),
      retryPolicies: jobRetryPolicies,
      concurrency: cfg.WORKER_CONCURRENCY,
      shutdownTimeoutMs: cfg.SHUTDOWN_TIMEOUT_MS,
    });
    stops.push({ name: 'worker', stop: async () => { await worker.stop(); await queuePool.end(); } });
    await worker.start();
  }
  if (cfg.roles.has('scheduler')) {
    const scheduler = new Scheduler({ prisma, log, entries: buildSchedule() });
    stops.push({ name: 'scheduler', stop: () => scheduler.stop() });
    scheduler.start();
  }

  if (cfg.roles.has('web')) {
    const app = createApp({
      log,
      pool,
      // POST /webhooks reads the raw body (HMAC), so no JSON parser may run before it.
      intakeRouters: [webhooksRouter({ shopify: shopifyPlatform.shopify, pool, log })],
      routers: [
        // Guards /api/* (session token, install by token exchange) for every router mounted after it.
        adminAuthRouter({ shopify: shopifyPlatform.shopify, sessions: shopifyPlatform.sessions, prisma, log }),
        adminApiRouter(adminApiDeps({ prisma, pool, log, config: cfg })), uiRouter({ apiKey: cfg.SHOPIFY_API_KEY, sanitizeShop: (s) => shopifyPlatform.shopify.utils.sanitizeShop(s) }),
      ],
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(cfg.PORT, cfg.HOST, () => resolve(s));
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : cfg.PORT;
    log.info({ url: `http://${cfg.HOST}:${port}`, roles: [...cfg.roles] }, 'web server listening');
    stops.push({
      name: 'web',
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    });
  }
}

main().catch((err) => {
  process.stderr.write(`Start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
