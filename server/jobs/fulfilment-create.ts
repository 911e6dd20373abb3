// fulfilment.create (payload {orderId, shipmentId}, ordering key of the order): see
// server/core/shipments/fulfilment-use-case.ts.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { fulfilShipment } from '../core/shipments/fulfilment-use-case.js';
import { auditor } from '../core/orders/audit.js';
import { orderServicesFrom } from './order-services.js';

export function fulfilmentCreateJob(deps: JobDeps): JobHandler<{ orderId?: string; shipmentId?: string }> {
  return async (job, ctx) => {
    const shop = job.shop;
    const raw = job.payload?.shipmentId;
    if (!shop || !raw || !/^\d+$/.test(raw)) throw new PermanentError('fulfilment.bad_job', `fulfilment.create needs a shop and a shipmentId, got ${JSON.stringify(job.payload)}`);
    const services = orderServicesFrom(deps);
    const outcome = await fulfilShipment(
      { prisma: deps.prisma, storefront: services.storefront(shop), tracking: await services.trackingForShop(shop), audit: auditor(deps.prisma, shop, deps.now), now: deps.now, log: ctx.log },
      shop,
      BigInt(raw),
    );
    ctx.log.debug({ shop, shipmentId: raw, outcome }, 'fulfilment');
  };
}
