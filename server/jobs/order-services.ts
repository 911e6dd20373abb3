// The storefront, warehouse and tracking source the order jobs use, per shop. Tests and main may pass
// `deps.orderServices`; otherwise they are built once per deps from the config (Shopify platform, the
// GreaterWMS connection in GREATERWMS_URL/TOKEN/OPERATOR).
import type { JobDeps } from './registry.js';
import type { OrderServices, OrderStorefront, ShipmentTrackingSource } from '../core/orders/order-ports.js';
import type { OrderWarehouse } from '../core/orders/order-sync-use-case.js';
import { PermanentError } from '../core/errors.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { createShopifyOrderStorefront } from '../adapters/shopify/order-sync-adapter.js';
import { createGreaterWmsWarehouse, type GreaterWmsWarehouse } from '../adapters/greaterwms/index.js';
import { greaterWmsTrackingSource } from '../adapters/greaterwms/dispatch-tracking-adapter.js';

export interface ResolvedOrderServices {
  storefront(shop: string): OrderStorefront;
  warehouse(shop: string): OrderWarehouse;
  tracking(shop: string): ShipmentTrackingSource | null;
}

const built = new WeakMap<object, ResolvedOrderServices>();

export function orderServicesFrom(deps: JobDeps): ResolvedOrderServices {
  const given = deps.orderServices as (OrderServices & { warehouse(shop: string): OrderWarehouse }) | undefined;
  if (given) return given;
  let s = built.get(deps);
  if (s) return s;
  let wms: GreaterWmsWarehouse | undefined;
  const warehouse = (): GreaterWmsWarehouse => {
    const c = deps.config;
    if (!c.GREATERWMS_URL || !c.GREATERWMS_TOKEN || !c.GREATERWMS_OPERATOR) {
      throw new PermanentError('wms.not_configured', 'GreaterWMS is not configured (GREATERWMS_URL, GREATERWMS_TOKEN, GREATERWMS_OPERATOR)');
    }
    wms ??= createGreaterWmsWarehouse(
      { baseUrl: c.GREATERWMS_URL, token: c.GREATERWMS_TOKEN, operator: c.GREATERWMS_OPERATOR },
      { timeoutMs: c.GREATERWMS_TIMEOUT_MS, pool: deps.pool, logger: deps.log },
    );
    return wms;
  };
  s = {
    storefront: (shop) => createShopifyOrderStorefront(shopifyPlatformFrom(deps).admin(shop)),
    warehouse: () => warehouse(),
    tracking: () => greaterWmsTrackingSource(warehouse().client),
  };
  built.set(deps, s);
  return s;
}
