// stock.sync (payload {mode: full|hot|goods}, ordering key per shop): runs runStockSync
// (server/core/stock/stock-sync-use-case.ts). Scheduled: full every STOCK_FULL_INTERVAL_MS, hot every
// STOCK_HOT_INTERVAL_MS; enqueued by reservations (goods). A permanent failure — or a retryable one on the last
// attempt — is recorded on the run and alerted, and the job ends successfully: a failed job would hold every
// later stock job of the shop behind it (ordering key); the next cycle tries again.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import type { InventoryStorefront, WarehousePort } from '../core/ports.js';
import { PermanentError, isRetryable } from '../core/errors.js';
import { runStockSync } from '../core/stock/stock-sync-use-case.js';
import { modeOf, type StockSyncPayload } from '../core/stock/stock-jobs.js';
import { lastFullRunStart, raiseStockAlert, stockShopSettings } from '../db/repos/stock-repo.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { createShopifyInventoryStorefront } from '../adapters/shopify/storefront-inventory-adapter.js';
import { orderServicesFrom } from './order-services.js';

/** What the stock jobs use per shop; tests may pass `deps.stockServices`. */
export interface StockServices {
  storefront(shop: string): InventoryStorefront;
  warehouse(shop: string): Pick<WarehousePort, 'readStock'>;
}

export function stockServicesFrom(deps: JobDeps): StockServices {
  const given = deps.stockServices as StockServices | undefined;
  if (given) return given;
  return {
    storefront: (shop) => createShopifyInventoryStorefront(shopifyPlatformFrom(deps).admin(shop)),
    warehouse: (shop) => orderServicesFrom(deps).warehouse(shop),
  };
}

type StockConfig = { STOCK_DEFAULT_BUFFER?: number; STOCK_HOT_WINDOW_MS?: number; STOCK_VERIFY_INTERVAL_MS?: number };

export function stockSyncJob(deps: JobDeps): JobHandler<StockSyncPayload> {
  return async (job, ctx) => {
    const shop = job.shop;
    const p = job.payload;
    if (!shop || !p || !['full', 'hot', 'goods'].includes(p.mode)) throw new PermanentError('stock.bad_job', `stock.sync needs a shop and a mode, got ${JSON.stringify(p)}`);
    // The scheduler enqueues full cycles at STOCK_FULL_INTERVAL_MS for every shop; a shop that chose a
    // longer interval in Settings skips the slots that come too early ("sync now" always runs: verify).
    if (p.mode === 'full' && !p.verify) {
      const { fullIntervalMinutes } = await stockShopSettings(deps.prisma, shop);
      const last = fullIntervalMinutes ? await lastFullRunStart(deps.prisma, shop) : null;
      // 10 s of slack: a slot that fires a little early still counts as due.
      if (last && deps.now().getTime() - last.getTime() < fullIntervalMinutes! * 60_000 - 10_000) {
        ctx.log.debug({ shop, last, fullIntervalMinutes }, 'stock full cycle not due for this shop yet');
        return;
      }
    }
    const services = stockServicesFrom(deps);
    const cfg = deps.config as StockConfig;
    try {
      const r = await runStockSync(
        {
          db: deps.prisma,
          warehouse: services.warehouse(shop),
          storefront: services.storefront(shop),
          now: deps.now,
          log: ctx.log,
          defaultBuffer: cfg.STOCK_DEFAULT_BUFFER ?? 0,
          hotWindowMs: cfg.STOCK_HOT_WINDOW_MS ?? 24 * 60 * 60_000,
          verifyEveryMs: cfg.STOCK_VERIFY_INTERVAL_MS ?? 60 * 60_000,
          heartbeat: ctx.heartbeat,
        },
        shop,
        modeOf(p),
      );
      if (r.pushed || r.staleRetries) ctx.log.info({ shop, mode: p.mode, ...r, runId: r.runId.toString() }, 'stock synced');
    } catch (err) {
      if (isRetryable(err) && job.attempts < job.maxAttempts) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      ctx.log.error({ err, shop, mode: p.mode }, 'stock sync failed');
      await raiseStockAlert(deps.prisma, { shop, kind: 'stock.sync_failed', subjectRef: `stock:${p.mode}`, message: `Stock sync (${p.mode}) failed: ${reason.slice(0, 300)}` });
    }
  };
}
