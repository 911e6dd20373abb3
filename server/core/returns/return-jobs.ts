// Job specs of the returns feature, in one place so every producer (webhooks, rule saves, the poll) enqueues
// them the same way.
import type { JobSpec } from '../../queue/types.js';
import { orderingKey as orderOrderingKey } from '../orders/order-jobs.js';

export const RETURN_PROCESS_JOB = 'return.process';
export const REFUND_APPLY_JOB = 'refund.apply';
export const RETURNS_POLL_JOB = 'returns.poll';

/**
 * One ordering key per case: two runs of one case never overlap and run in enqueue order. No unique key on
 * purpose: a running job would swallow a newer event (e.g. a cancellation); a repeat re-reads and changes nothing.
 */
export function returnProcessJobSpec(shop: string, caseId: bigint): JobSpec<{ caseId: string }> {
  return { type: RETURN_PROCESS_JOB, payload: { caseId: caseId.toString() }, shop, orderingKey: `return:${shop}:${caseId}` };
}

/**
 * Refund before shipping: runs under the ORDER's ordering key, so it never overlaps order.sync of that order
 * (it calls the order sync itself and is then the only writer of the order's row).
 */
export function refundApplyJobSpec(shop: string, orderId: string, caseId: bigint): JobSpec<{ caseId: string; orderId: string }> {
  return { type: REFUND_APPLY_JOB, payload: { caseId: caseId.toString(), orderId }, shop, orderingKey: orderOrderingKey(shop, orderId) };
}
