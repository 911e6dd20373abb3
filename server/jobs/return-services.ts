// The storefront and warehouse services the returns jobs use, per shop. Tests may pass `deps.returnServices`;
// otherwise they are built from the Shopify platform and the order feature's GreaterWMS warehouse (one
// warehouse client per process, so the tenant write lock is shared with the order jobs).
import type { JobDeps } from './registry.js';
import type { ReturnServices } from '../core/returns/return-ports.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { createShopifyReturnSource } from '../adapters/shopify/storefront-returns-adapter.js';
import { greaterWmsInboundStatus } from '../adapters/greaterwms/return-inbound-status-adapter.js';
import { GreaterWmsWarehouse } from '../adapters/greaterwms/index.js';
import { orderServicesFrom } from './order-services.js';
import { PermanentError } from '../core/errors.js';

const built = new WeakMap<object, ReturnServices>();

export function returnServicesFrom(deps: JobDeps): ReturnServices {
  const given = deps.returnServices as ReturnServices | undefined;
  if (given) return given;
  let s = built.get(deps);
  if (s) return s;
  const wms = (shop: string): GreaterWmsWarehouse => {
    const w = orderServicesFrom(deps).warehouse(shop);
    if (!(w instanceof GreaterWmsWarehouse)) throw new PermanentError('returns.no_warehouse', 'returns need the GreaterWMS warehouse (or deps.returnServices)');
    return w;
  };
  s = {
    storefront: (shop) => createShopifyReturnSource(shopifyPlatformFrom(deps).admin(shop)),
    warehouse: (shop) => wms(shop),
    inbounds: (shop) => greaterWmsInboundStatus(wms(shop).client),
  };
  built.set(deps, s);
  return s;
}
