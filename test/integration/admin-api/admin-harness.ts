// The admin as it runs in production, against both simulators over real HTTP: a test database, the Shopify
// simulator (shops with products; session tokens and token exchange), the GreaterWMS simulator (a tenant with
// goods), and the express app with the session-token guard, the admin API and the built UI.
// Used by the admin API tests, the browser tests and bench/ui-api.ts.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger.js';
import { parseConfig, type Config } from '../../../server/config.js';
import { createApp } from '../../../server/http/app.js';
import { adminAuthRouter } from '../../../server/http/auth/admin-auth-route.js';
import { adminApiRouter } from '../../../server/http/admin-api/admin-api-route.js';
import { adminApiDeps } from '../../../server/http/admin-api/admin-api-deps.js';
import { uiRouter } from '../../../server/http/admin-api/ui-route.js';
import { createShopifyPlatform, type ShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { shopifyCatalogueSource } from '../../../server/adapters/shopify/catalogue-adapter.js';
import { createGreaterWmsWarehouse } from '../../../server/adapters/greaterwms/index.js';
import { syncCatalogue } from '../../../server/core/catalogue/catalogue-sync-use-case.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { startGreaterWmsSimulator, type GreaterWmsSimulator } from '../../sim/greaterwms/index.js';
import type { SeedProduct } from '../../sim/shopify/index.js';

export const silentLog = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
export const SHOP_A = 'admin-a.myshopify.com';
export const SHOP_B = 'admin-b.myshopify.com';

/** Shop A: plain products whose SKU is a goods code, a bundle, a SKU the warehouse lacks, a SKU on two variants. */
export const SHOP_A_PRODUCTS: SeedProduct[] = [
  { title: 'Blue mug', variants: [{ sku: 'MUG-1', title: 'Default' }] },
  { title: 'Green tea', variants: [{ sku: 'TEA-1', title: '100 g' }] },
  { title: 'Silver spoon', variants: [{ sku: 'SPOON-1', title: 'Default' }] },
  { title: 'Gift box', variants: [{ sku: 'GIFT-1', title: 'Mug and two teas' }] },
  { title: 'Poster', variants: [{ sku: 'POSTER-1', title: 'A2' }] },
  { title: 'Sticker', variants: [{ sku: 'DUP-1', title: 'Round' }, { sku: 'DUP-1', title: 'Square' }] },
];
export const WMS_GOODS = ['MUG-1', 'TEA-1', 'SPOON-1'];

export interface AdminHarness {
  db: TestDatabase;
  shopify: ShopifySimulator;
  wms: GreaterWmsSimulator;
  tenant: { token: string; operator: number };
  config: Config;
  platform: ShopifyPlatform;
  url: string;
  token(shop?: string): string;
  api(method: string, path: string, opts?: { shop?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** Installs the shop (first API call → token exchange) and pulls its catalogue. */
  install(shop: string): Promise<void>;
  variantId(shop: string, sku: string, title?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startAdminHarness(opts: { shopAProducts?: SeedProduct[]; goods?: string[]; distDir?: string } = {}): Promise<AdminHarness> {
  const db = await createTestDatabase({ poolSize: 8 });
  const shopify = await startShopifySimulator({
    shops: [
      { shop: SHOP_A, products: opts.shopAProducts ?? SHOP_A_PRODUCTS },
      { shop: SHOP_B, products: [{ title: 'Other shop lamp', variants: [{ sku: 'LAMP-9', title: 'Default' }] }] },
    ],
  });
  const wms = await startGreaterWmsSimulator();
  const tenant = wms.control.createTenant();
  const config = parseConfig({
    SHOPIFY_API_KEY: shopify.apiKey,
    SHOPIFY_API_SECRET: shopify.apiSecret,
    SHOPIFY_ADMIN_BASE_URL: shopify.url,
    GREATERWMS_URL: wms.url,
    GREATERWMS_TOKEN: tenant.token,
    GREATERWMS_OPERATOR: String(tenant.operator),
    GREATERWMS_TIMEOUT_MS: '3000',
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  });
  const setup = createGreaterWmsWarehouse({ baseUrl: wms.url, token: tenant.token, operator: tenant.operator }, { timeoutMs: 5000 });
  for (const sku of opts.goods ?? WMS_GOODS) await setup.ensureProduct({ sku, title: sku });

  const platform = createShopifyPlatform({ config, prisma: db.prisma, log: silentLog });
  const app = createApp({
    log: silentLog,
    pool: db.pool,
    routers: [
      adminAuthRouter({ shopify: platform.shopify, sessions: platform.sessions, prisma: db.prisma, log: silentLog }),
      adminApiRouter(adminApiDeps({ prisma: db.prisma, pool: db.pool, log: silentLog, config })),
      uiRouter({ apiKey: config.SHOPIFY_API_KEY, sanitizeShop: (s) => platform.shopify.utils.sanitizeShop(s), distDir: opts.distDir }),
    ],
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const h: AdminHarness = {
    db,
    shopify,
    wms,
    tenant,
    config,
    platform,
    url,
    token: (shop = SHOP_A) => shopify.sessionToken(shop),
    async api(method, path, o = {}) {
      const token = o.token === undefined ? shopify.sessionToken(o.shop ?? SHOP_A) : o.token;
      const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers };
      let body: string | undefined;
      if (typeof o.body === 'string') {
        body = o.body;
        headers['content-type'] ??= 'text/csv';
      } else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      return fetch(`${url}${path}`, { method: method.toUpperCase(), headers, body });
    },
    async install(shop) {
      const res = await h.api('get', '/api/session', { shop });
      if (res.status !== 200) throw new Error(`install of ${shop} failed: ${res.status} ${await res.text()}`);
      await syncCatalogue({ db: db.prisma, source: shopifyCatalogueSource(platform.admin(shop)), now: () => new Date() }, shop);
    },
    async variantId(shop, sku, title) {
      const v = await db.prisma.catalogueVariant.findFirst({ where: { shop, sku, ...(title ? { title } : {}) } });
      if (!v) throw new Error(`no variant ${sku} in ${shop}`);
      return v.variantId;
    },
    async close() {
      server.close();
      server.closeAllConnections();
      await shopify.close();
      await wms.close();
      await db.drop();
    },
  };
  return h;
}
