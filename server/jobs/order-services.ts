// The storefront, warehouse and tracking source the order jobs use, per shop. Tests may pass
// `deps.orderServices`; otherwise they are built once per deps: Shopify through the platform's Admin client,
// GreaterWMS through the shop's saved connection (admin Settings) or else the env GREATERWMS_* one
// (server/adapters/greaterwms/warehouse-for-shop.ts).
import type { JobDeps } from './registry.js';
import type { OrderStorefront, ShipmentTrackingSource } from '../core/orders/order-ports.js';
import type { OrderWarehouse } from '../core/orders/order-sync-use-case.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { createShopifyOrderStorefront } from '../adapters/shopify/order-sync-adapter.js';
import { PermanentError } from '../core/errors.js';
import { connectGreaterWms, warehouseForShop } from '../adapters/greaterwms/warehouse-for-shop.js';
import type { GreaterWmsWarehouse } from '../adapters/greaterwms/index.js';
import { greaterWmsTrackingSource } from '../adapters/greaterwms/dispatch-tracking-adapter.js';

export interface ResolvedOrderServices {
  storefront(shop: string): OrderStorefront;
  /** The env GREATERWMS_* warehouse (sync, for callers that cannot wait); the order jobs use warehouseForShop. */
  warehouse(shop: string): OrderWarehouse;
  tracking(shop: string): ShipmentTrackingSource | null;
  /** The shop's saved connection (admin Settings), else the env one. */
  warehouseForShop(shop: string): Promise<OrderWarehouse>;
  trackingForShop(shop: string): Promise<ShipmentTrackingSource | null>;
}

const built = new WeakMap<object, ResolvedOrderServices>();

export function orderServicesFrom(deps: JobDeps): ResolvedOrderServices {
  const given = deps.orderServices as ResolvedOrderServices | undefined;
  if (given) return given;
  let s = built.get(deps);
  if (s) return s;
  const forShop = warehouseForShop({ prisma: deps.prisma, config: deps.config, pool: deps.pool, log: deps.log });
  let envWms: GreaterWmsWarehouse | undefined;
  const envWarehouse = (): GreaterWmsWarehouse => {
    const c = deps.config;
    if (!c.GREATERWMS_URL || !c.GREATERWMS_TOKEN || !c.GREATERWMS_OPERATOR) {
      throw new PermanentError('wms.not_configured', 'GreaterWMS is not configured (GREATERWMS_URL, GREATERWMS_TOKEN, GREATERWMS_OPERATOR)');
    }
    envWms ??= connectGreaterWms({ baseUrl: c.GREATERWMS_URL, token: c.GREATERWMS_TOKEN, operator: c.GREATERWMS_OPERATOR }, deps);
    return envWms;
  };
  s = {
    storefront: (shop) => createShopifyOrderStorefront(shopifyPlatformFrom(deps).admin(shop)),
    warehouse: () => envWarehouse(),
    tracking: () => greaterWmsTrackingSource(envWarehouse().client),
    warehouseForShop: forShop,
    trackingForShop: async (shop) => greaterWmsTrackingSource((await forShop(shop)).client),
  };
  built.set(deps, s);
  return s;
}
