// refund.apply (payload {caseId, orderId}, the ORDER's ordering key): refund before shipping — runs the order
// feature's sync (server/core/orders/order-sync-use-case.ts: replaces the lines of a draft warehouse order,
// flags a confirmed one) and records the outcome on the refund's lines (server/core/returns/refund-use-case.ts).
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError, isRetryable } from '../core/errors.js';
import { findCase, updateCase } from '../db/repos/return-case-repo.js';
import { raiseAlert } from '../db/repos/order-sync-repo.js';
import { applyRefundToOrder } from '../core/returns/refund-use-case.js';
import { syncOrder, type OrderTrigger } from '../core/orders/order-sync-use-case.js';
import { auditor } from '../core/orders/audit.js';
import { orderServicesFrom } from './order-services.js';

export function refundApplyJob(deps: JobDeps): JobHandler<{ caseId?: string; orderId?: string }> {
  return async (job, ctx) => {
    const shop = job.shop;
    const raw = job.payload?.caseId;
    if (!shop || typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new PermanentError('returns.bad_job', `refund.apply needs a shop and a caseId, got ${JSON.stringify(job.payload)}`);
    const services = orderServicesFrom(deps);
    const trigger = ((deps.config as { ORDER_TRIGGER?: OrderTrigger }).ORDER_TRIGGER ?? 'paid') as OrderTrigger;
    // A failed job would hold every later job of the ORDER (shared ordering key): failures end the job and
    // are shown on the case; the lines stay in order_update_requested and the next order event re-syncs it.
    try {
    const r = await applyRefundToOrder(
      {
        prisma: deps.prisma,
        now: deps.now,
        syncOrder: (orderId) =>
          syncOrder(
            { db: deps.prisma, storefront: services.storefront(shop), warehouse: services.warehouse(shop), audit: auditor(deps.prisma, shop, deps.now), trigger, now: deps.now, log: ctx.log },
            shop,
            orderId,
          ),
      },
      shop,
      BigInt(raw),
    );
    ctx.log.info({ shop, caseId: raw, ...r }, 'refund applied to the warehouse order');
    } catch (err) {
      if (isRetryable(err) && job.attempts < job.maxAttempts) throw err;
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      ctx.log.error({ err, shop, caseId: raw }, 'refund could not be applied to the warehouse order');
      const c = await findCase(deps.prisma, shop, BigInt(raw));
      if (!c) return;
      await updateCase(deps.prisma, shop, c.id, { statusReason: reason });
      await raiseAlert(deps.prisma, { shop, kind: 'refund.failed', subjectRef: `return:${c.sourceId}`, message: `Refund ${c.name ?? c.sourceId} could not be applied to the warehouse order: ${reason.slice(0, 300)}` });
    }
  };
}
