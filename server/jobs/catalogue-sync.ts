// catalogue.sync (payload {}, shop set; one pending per shop): copies the shop's variants into the local
// catalogue (server/core/catalogue/catalogue-sync-use-case.ts). Enqueued from the admin ("Refresh catalogue")
// and on first open of the mappings page with an empty catalogue.
import type { JobHandler, JobSpec } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { syncCatalogue } from '../core/catalogue/catalogue-sync-use-case.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { shopifyCatalogueSource } from '../adapters/shopify/catalogue-adapter.js';
import type { CatalogueSource } from '../core/catalogue/catalogue-ports.js';

export const CATALOGUE_SYNC_JOB = 'catalogue.sync';

export function catalogueSyncJobSpec(shop: string): JobSpec<Record<string, never>> {
  return { type: CATALOGUE_SYNC_JOB, payload: {}, shop, uniqueKey: `catalogue.sync:${shop}` };
}

export function catalogueSyncJob(deps: JobDeps): JobHandler {
  return async (job, ctx) => {
    const shop = job.shop;
    if (!shop) throw new PermanentError('catalogue.bad_job', 'catalogue.sync needs a shop');
    // Tests may inject `catalogueSource(shop)`; otherwise the shop's Shopify catalogue.
    const given = deps.catalogueSource as ((shop: string) => CatalogueSource) | undefined;
    const source = given ? given(shop) : shopifyCatalogueSource(shopifyPlatformFrom(deps).admin(shop));
    const r = await syncCatalogue({ db: deps.prisma, source, now: deps.now }, shop);
    ctx.log.info({ shop, ...r }, 'catalogue synced');
  };
}
