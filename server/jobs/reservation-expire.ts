// reservations.expire (scheduled every 5 min for every installed shop): releases stock reservations past their
// expiry with an alert (server/core/stock/reservations.ts).
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { installedShops } from '../core/shops/shop-repo.js';
import { expireOrderReservations } from '../core/stock/reservations.js';

export function reservationExpireJob(deps: JobDeps): JobHandler<{ shop?: string }> {
  return async (job, ctx) => {
    const shops = job.shop ? [job.shop] : await installedShops(deps.prisma);
    for (const shop of shops) {
      const n = await expireOrderReservations(deps.prisma, shop, deps.now());
      if (n) ctx.log.warn({ shop, expired: n }, 'stock reservations expired');
    }
  };
}
