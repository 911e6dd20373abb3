// shipments.poll (scheduled per installed shop, every SHIPMENT_POLL_INTERVAL_MS): see
// server/core/shipments/shipments-poll-use-case.ts.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { pollShipments } from '../core/shipments/shipments-poll-use-case.js';
import { auditor } from '../core/orders/audit.js';
import { orderServicesFrom } from './order-services.js';

export function shipmentsPollJob(deps: JobDeps): JobHandler<{ shop?: string }> {
  return async (job, ctx) => {
    const shop = job.shop ?? job.payload?.shop;
    if (!shop) throw new PermanentError('shipments.no_shop', 'shipments.poll needs a shop');
    const services = orderServicesFrom(deps);
    const r = await pollShipments(
      { prisma: deps.prisma, warehouse: await services.warehouseForShop(shop), tracking: await services.trackingForShop(shop), audit: auditor(deps.prisma, shop, deps.now), now: deps.now, log: ctx.log },
      shop,
    );
    if (r.newShipments || r.vanished || r.trackingLater) ctx.log.info({ shop, ...r }, 'shipments polled');
  };
}
