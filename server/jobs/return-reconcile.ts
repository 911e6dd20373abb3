// returns.reconcile (scheduled per installed shop, every 15 min): see
// server/core/returns/reconcile-returns-use-case.ts. No cursor: it looks back a fixed day (Shopify says
// deliveries can be delayed up to a day), so a run that failed is covered by the next one.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { reconcileReturns } from '../core/returns/reconcile-returns-use-case.js';
import { returnServicesFrom } from './return-services.js';
import { findShop } from '../core/shops/shop-repo.js';

export const RETURNS_RECONCILE_INTERVAL_MS = 15 * 60_000;
export const RETURNS_LOOKBACK_MS = 24 * 60 * 60_000;

export function returnsReconcileJob(deps: JobDeps): JobHandler<{ shop?: string }> {
  return async (job, ctx) => {
    const shop = job.shop ?? job.payload?.shop;
    if (!shop) throw new PermanentError('returns.no_shop', 'returns.reconcile needs a shop');
    const row = await findShop(deps.prisma, shop);
    if (!row || row.uninstalledAt) return;
    const since = new Date(deps.now().getTime() - RETURNS_LOOKBACK_MS);
    const r = await reconcileReturns(deps.prisma, returnServicesFrom(deps).storefront(shop), shop, since);
    if (r.created || r.rerun) ctx.log.info({ shop, ...r }, 'returns reconciled');
  };
}
