// Pulls the shop's variants into catalogue_variant page by page, recording progress (fetched so far) for the
// mappings page. A complete pass deletes variants it did not see (deleted in the shop). Repeating is safe:
// rows are upserted by (shop, variant id).
import type { PrismaClient } from '@prisma/client';
import type { CatalogueSource } from './catalogue-ports.js';
import { deleteVariantsNotSeenSince, setCatalogueSync, upsertVariants } from './catalogue-repo.js';

export async function syncCatalogue(deps: { db: PrismaClient; source: CatalogueSource; now: () => Date }, shop: string): Promise<{ fetched: number; removed: number }> {
  const startedAt = deps.now();
  let fetched = 0;
  await setCatalogueSync(deps.db, shop, { state: 'running', fetched, startedAt, finishedAt: null, error: null });
  try {
    let after: string | null = null;
    do {
      const page = await deps.source.page(after);
      await upsertVariants(deps.db, shop, page.variants, deps.now());
      fetched += page.variants.length;
      await setCatalogueSync(deps.db, shop, { state: 'running', fetched });
      after = page.next;
    } while (after);
    const removed = await deleteVariantsNotSeenSince(deps.db, shop, startedAt);
    await setCatalogueSync(deps.db, shop, { state: 'done', fetched, finishedAt: deps.now() });
    return { fetched, removed };
  } catch (err) {
    await setCatalogueSync(deps.db, shop, { state: 'failed', fetched, finishedAt: deps.now(), error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
