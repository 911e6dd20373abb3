// Stock sync against both simulators over real HTTP: a test database, the GreaterWMS simulator (tenant with
// goods), the Shopify simulator (shop with products at "Main warehouse", installed app), the real adapters.
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger.js';
import { parseConfig } from '../../../server/config.js';
import { createShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { createShopifyInventoryStorefront } from '../../../server/adapters/shopify/storefront-inventory-adapter.js';
import { createGreaterWmsWarehouse, type GreaterWmsWarehouse } from '../../../server/adapters/greaterwms/index.js';
import { saveMappings } from '../../../server/core/mapping/save-mapping-use-case.js';
import { runStockSync, type StockSyncDeps, type StockSyncMode } from '../../../server/core/stock/stock-sync-use-case.js';
import type { InventoryStorefront, SetStockInput } from '../../../server/core/ports.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { startGreaterWmsSimulator, type GreaterWmsSimulator } from '../../sim/greaterwms/index.js';

export const silentLog = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });

export interface StockProduct {
  sku: string;
  /** Units in the warehouse (0: the goods exists, no stock row). */
  wms: number;
  /** Shopify `available` at Main warehouse; null: not stocked there. */
  shopify: number | null;
  /** Mapping components; default [{goodsCode: sku, quantity: 1}]. */
  components?: { goodsCode: string; quantity: number }[];
  /** Warehouse only (a component that is not sold on its own). */
  noVariant?: boolean;
}

export interface StockHarness {
  shop: string;
  db: TestDatabase;
  shopify: ShopifySimulator;
  wms: GreaterWmsSimulator;
  wmsToken: string;
  warehouse: GreaterWmsWarehouse;
  storefront: InventoryStorefront;
  /** Every setAvailable call the sync made (input as sent). */
  sets: SetStockInput[];
  deps: StockSyncDeps;
  variantId(sku: string): string;
  available(sku: string): number | null;
  sync(mode?: StockSyncMode): ReturnType<typeof runStockSync>;
  close(): Promise<void>;
}

export async function startStockHarness(products: StockProduct[], opts: { shop?: string; defaultBuffer?: number; throttle?: { maximumAvailable?: number; restoreRate?: number } } = {}): Promise<StockHarness> {
  const shop = opts.shop ?? 'stock-test.myshopify.com';
  const db = await createTestDatabase({ poolSize: 6 });
  const wms = await startGreaterWmsSimulator();
  const tenant = wms.control.createTenant();
  const shopify = await startShopifySimulator({ shops: [{ shop }], throttle: opts.throttle });
  const sellable = products.filter((p) => !p.noVariant);
  // One product with many variants: one control call whatever the catalogue size.
  if (sellable.length) {
    shopify.addProduct(shop, {
      title: 'Catalogue',
      variants: sellable.map((p) => ({ sku: p.sku, title: p.sku, stock: p.shopify === null ? {} : ({ 'Main warehouse': p.shopify } as Record<string, number>) })),
    });
  }
  const config = parseConfig({ SHOPIFY_API_KEY: shopify.apiKey, SHOPIFY_API_SECRET: shopify.apiSecret, SHOPIFY_ADMIN_BASE_URL: shopify.url });
  const platform = createShopifyPlatform({ config, prisma: db.prisma, log: silentLog });
  const token = shopify.tokens.issue(shop);
  await db.prisma.shop.create({ data: { domain: shop } });
  await db.prisma.session.create({ data: { id: `offline_${shop}`, shop, state: '', accessToken: token.access_token, scope: token.scope } });

  const warehouse = createGreaterWmsWarehouse({ baseUrl: wms.url, token: tenant.token, operator: tenant.operator }, { timeoutMs: 10_000 });
  const goods = new Map<string, number>();
  for (const p of products) {
    if (p.components) continue;
    goods.set(p.sku, p.wms);
  }
  for (const [code, qty] of goods) {
    await warehouse.ensureProduct({ sku: code, title: code });
    if (qty > 0) wms.control.stockIn(tenant.token, code, qty);
  }
  const variants = new Map([...shopify.store.shop(shop).variants.values()].map((v) => [v.sku, `gid://shopify/ProductVariant/${v.id}`]));
  const variantId = (sku: string) => {
    const v = variants.get(sku);
    if (!v) throw new Error(`no variant ${sku}`);
    return v;
  };
  await saveMappings(
    db.prisma,
    shop,
    sellable.map((p) => ({ variantId: variantId(p.sku), sku: p.sku, components: p.components ?? [{ goodsCode: p.sku, quantity: 1 }] })),
  );

  const real = createShopifyInventoryStorefront(platform.admin(shop));
  const sets: SetStockInput[] = [];
  const storefront: InventoryStorefront = {
    ...real,
    maxBatch: real.maxBatch,
    setAvailable: async (input) => {
      sets.push(structuredClone(input));
      return real.setAvailable(input);
    },
  };
  const deps: StockSyncDeps = { db: db.prisma, warehouse, storefront, now: () => new Date(), log: silentLog, defaultBuffer: opts.defaultBuffer ?? 0, hotWindowMs: 24 * 3600_000 };
  return {
    shop,
    db,
    shopify,
    wms,
    wmsToken: tenant.token,
    warehouse,
    storefront,
    sets,
    deps,
    variantId,
    available: (sku) => shopify.quantities(shop, sku)?.available ?? null,
    sync: (mode = { kind: 'full' }) => runStockSync(deps, shop, mode),
    async close() {
      await shopify.close();
      await wms.close();
      await db.drop();
    },
  };
}
