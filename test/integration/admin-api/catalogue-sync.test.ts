// catalogue.sync against the Shopify simulator: the registered job handler pages through every variant (260 =
// two pages of 250) with progress; a failure mid-way is recorded on the sync state and rethrown (the queue
// retries), keeping what was read; a complete pass removes variants deleted in the shop (and only that shop's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { buildJobHandlers } from '../../../server/jobs/registry.js';
import { parseConfig } from '../../../server/config.js';
import { syncCatalogue } from '../../../server/core/catalogue/catalogue-sync-use-case.js';
import type { CatalogueSource, CatalogueVariantInput } from '../../../server/core/catalogue/catalogue-ports.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { jobContext, silentLog, toRecord } from '../shopify/job-helpers.js';

const SHOP = 'catalogue-big.myshopify.com';
const v = (n: number): CatalogueVariantInput => ({ variantId: `gid://shopify/ProductVariant/${n}`, sku: `S-${n}`, title: 'Default', productTitle: `P ${n}`, inventoryItemId: null });

describe('catalogue sync', () => {
  let db: TestDatabase;
  let sim: ShopifySimulator;
  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startShopifySimulator({
      shops: [{ shop: SHOP, products: Array.from({ length: 130 }, (_, i) => ({ title: `Product ${i}`, variants: [{ sku: `A-${i}`, title: 'Small' }, { sku: i === 7 ? null : `B-${i}`, title: 'Large' }] })) }],
    });
    const token = sim.tokens.issue(SHOP);
    await db.prisma.shop.create({ data: { domain: SHOP } });
    await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: '', accessToken: token.access_token, scope: token.scope } });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
  });

  it('the catalogue.sync job reads all 260 variants over two pages with titles, SKU (null when blank) and inventory item', async () => {
    const config = parseConfig({ SHOPIFY_API_KEY: sim.apiKey, SHOPIFY_API_SECRET: sim.apiSecret, SHOPIFY_ADMIN_BASE_URL: sim.url });
    const shopifyPlatform = createShopifyPlatform({ config, prisma: db.prisma, log: silentLog });
    const handlers = buildJobHandlers({ prisma: db.prisma, pool: db.pool, log: silentLog, config, now: () => new Date(), shopifyPlatform });
    const job = await enqueue(db.prisma, { type: 'catalogue.sync', payload: {}, shop: SHOP });
    await handlers['catalogue.sync']!(await toRecord(db.prisma, job.id), jobContext());
    expect(await db.prisma.catalogueVariant.count({ where: { shop: SHOP } })).toBe(260);
    expect(await db.prisma.catalogueSync.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ state: 'done', fetched: 260, error: null });
    const row = await db.prisma.catalogueVariant.findFirstOrThrow({ where: { shop: SHOP, sku: 'B-42' } });
    expect(row).toMatchObject({ title: 'Large', productTitle: 'Product 42' });
    expect(row.inventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\//);
    expect(await db.prisma.catalogueVariant.count({ where: { shop: SHOP, sku: null } })).toBe(1);
    expect(sim.calls.filter((c) => typeof c.query === 'string' && c.query.includes('query CatalogueVariants'))).toHaveLength(2);
  });

  it('a page failing mid-way: sync state failed with the reason, pages already read kept, error rethrown for the queue to retry', async () => {
    const shop = 'failing.myshopify.com';
    const source: CatalogueSource = {
      async page(after) {
        if (after === null) return { variants: [v(1), v(2)], next: 'c1' };
        throw new Error('Shopify unavailable (503)');
      },
    };
    await expect(syncCatalogue({ db: db.prisma, source, now: () => new Date() }, shop)).rejects.toThrow('Shopify unavailable (503)');
    expect(await db.prisma.catalogueSync.findUniqueOrThrow({ where: { shop } })).toMatchObject({ state: 'failed', fetched: 2, error: 'Shopify unavailable (503)' });
    expect(await db.prisma.catalogueVariant.count({ where: { shop } })).toBe(2);
  });

  it('a complete pass deletes variants no longer in the shop (only that shop\'s), keeping the others updated', async () => {
    const shop = 'shrinking.myshopify.com';
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const now = () => new Date((clock += 1000));
    const pages = (list: CatalogueVariantInput[]): CatalogueSource => ({ async page() { return { variants: list, next: null }; } });
    await syncCatalogue({ db: db.prisma, source: pages([v(1), v(2), v(3)]), now }, shop);
    await syncCatalogue({ db: db.prisma, source: pages([v(1), v(2), v(3)]), now }, 'other.myshopify.com');
    await syncCatalogue({ db: db.prisma, source: pages([v(1), { ...v(3), title: 'Renamed' }]), now }, shop);
    const rows = await db.prisma.catalogueVariant.findMany({ where: { shop }, orderBy: { variantId: 'asc' } });
    expect(rows.map((r) => [r.variantId, r.title])).toEqual([
      ['gid://shopify/ProductVariant/1', 'Default'],
      ['gid://shopify/ProductVariant/3', 'Renamed'],
    ]);
    expect(await db.prisma.catalogueVariant.count({ where: { shop: 'other.myshopify.com' } })).toBe(3);
  });
});
