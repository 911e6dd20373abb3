// order.sync (payload {orderId}, ordering key per order): runs syncOrder (server/core/orders/order-sync-use-case.ts).
// A permanent failure — or a retryable one on the last attempt — is shown on the order as `failed` with the
// reason and an alert, and the job ends successfully: a failed/dead job would block every later job of the
// order (ordering key), e.g. the cancellation. The next event for the order, or saveMapping, retries it.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError, isRetryable } from '../core/errors.js';
import { syncOrder, type OrderTrigger } from '../core/orders/order-sync-use-case.js';
import { auditor } from '../core/orders/audit.js';
import { ensureOrderSync, findOrderSync, raiseAlert, updateOrderSync } from '../db/repos/order-sync-repo.js';
import { canTransition, type OrderState } from '../core/orders/order-state.js';
import { orderServicesFrom } from './order-services.js';

export function orderSyncJob(deps: JobDeps): JobHandler<{ orderId?: string }> {
  return async (job, ctx) => {
    const shop = job.shop;
    const orderId = job.payload?.orderId;
    if (!shop || !orderId) throw new PermanentError('orders.bad_job', `order.sync needs a shop and an orderId, got ${JSON.stringify(job.payload)}`);
    const services = orderServicesFrom(deps);
    const trigger = ((deps.config as { ORDER_TRIGGER?: OrderTrigger }).ORDER_TRIGGER ?? 'paid') as OrderTrigger;
    try {
      const outcome = await syncOrder(
        {
          db: deps.prisma,
          storefront: services.storefront(shop),
          warehouse: await services.warehouseForShop(shop),
          audit: auditor(deps.prisma, shop, deps.now),
          trigger,
          now: deps.now,
          log: ctx.log,
        },
        shop,
        orderId,
      );
      ctx.log.debug({ shop, orderId, outcome }, 'order synced');
    } catch (err) {
      const last = job.attempts >= job.maxAttempts;
      if (isRetryable(err) && !last) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      ctx.log.error({ err, shop, orderId }, 'order sync failed');
      const row = (await findOrderSync(deps.prisma, shop, orderId)) ?? (await ensureOrderSync(deps.prisma, shop, orderId, null));
      if (canTransition(row.state as OrderState, 'failed')) {
        await updateOrderSync(deps.prisma, shop, orderId, { state: 'failed', stateReason: reason.slice(0, 500) });
        await raiseAlert(deps.prisma, { shop, kind: 'order.failed', subjectRef: `order:${orderId}`, message: `Order ${row.orderName ?? orderId} could not be sent to the warehouse: ${reason.slice(0, 300)}` });
      } else {
        await updateOrderSync(deps.prisma, shop, orderId, { stateReason: reason.slice(0, 500) });
      }
    }
  };
}
