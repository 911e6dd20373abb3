// Settings → "Check stock every (minutes)": a shop's longer interval makes the scheduled full cycles that come
// too early skip; "sync now" (verify) always runs.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.js';
import { parseConfig } from '../../../server/config.js';
import { stockSyncJob, type StockServices } from '../../../server/jobs/stock-sync.js';
import type { JobDeps } from '../../../server/jobs/registry.js';
import type { JobContext, JobRecord } from '../../../server/queue/types.js';
import type { StockSyncPayload } from '../../../server/core/stock/stock-jobs.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';

const SHOP = 'interval.myshopify.com';
const log = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const NOW = new Date('2026-12-04T12:00:00Z');

describe('per-shop stock interval setting', () => {
  let db: TestDatabase;
  let storefrontCalls = 0;
  const services: StockServices = {
    // Counting is enough: a cycle that runs asks for the storefront first; a skipped one never does.
    storefront: () => {
      storefrontCalls++;
      throw new Error('storefront used');
    },
    warehouse: () => ({ readStock: async () => ({ levels: [] }) }),
  };
  const run = async (payload: StockSyncPayload) => {
    const deps = { prisma: db.prisma, pool: db.pool, log, config: parseConfig({}), now: () => NOW, stockServices: services } as JobDeps;
    const job = { id: 1n, type: 'stock.sync', payload, shop: SHOP, attempts: 1, maxAttempts: 1, orderingKey: null, enqueuedKey: null, createdAt: NOW } as JobRecord<StockSyncPayload>;
    const ctx = { log, signal: new AbortController().signal, heartbeat: async () => {} } as JobContext;
    await stockSyncJob(deps)(job, ctx).catch(() => {});
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.prisma.shop.create({ data: { domain: SHOP, settings: { stockPollMinutes: 60 } } });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a full cycle 20 min after the last one is skipped when the shop chose 60 min; after 61 min it runs; sync now always runs', async () => {
    await db.prisma.stockSyncRun.create({ data: { shop: SHOP, mode: 'full', startedAt: new Date(NOW.getTime() - 20 * 60_000), finishedAt: new Date(NOW.getTime() - 19 * 60_000) } });
    storefrontCalls = 0;
    await run({ mode: 'full' });
    expect(storefrontCalls).toBe(0);

    await run({ mode: 'full', verify: true });
    expect(storefrontCalls).toBe(1);

    await db.prisma.stockSyncRun.updateMany({ where: { shop: SHOP }, data: { startedAt: new Date(NOW.getTime() - 61 * 60_000) } });
    await run({ mode: 'full' });
    expect(storefrontCalls).toBe(2);
  });
});
