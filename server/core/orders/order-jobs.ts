// Job specs of the order loop, in one place so every producer (webhooks, saveMapping, the poll) enqueues
// them the same way. One ordering key per order: order.sync and fulfilment.create of one order never run
// at the same time and run in the order they were enqueued.
import type { JobSpec } from '../../queue/types.js';

export const ORDER_SYNC_JOB = 'order.sync';
export const FULFILMENT_CREATE_JOB = 'fulfilment.create';
export const SHIPMENTS_POLL_JOB = 'shipments.poll';

export function orderingKey(shop: string, orderId: string): string {
  return `order:${shop}:${orderId.slice(orderId.lastIndexOf('/') + 1)}`;
}

/** No unique key on purpose: a running sync would swallow a newer event; repeats re-read and change nothing. */
export function orderSyncJobSpec(shop: string, orderId: string): JobSpec<{ orderId: string }> {
  return { type: ORDER_SYNC_JOB, payload: { orderId }, shop, orderingKey: orderingKey(shop, orderId) };
}

export function fulfilmentJobSpec(shop: string, orderId: string, shipmentId: bigint): JobSpec<{ orderId: string; shipmentId: string }> {
  return {
    type: FULFILMENT_CREATE_JOB,
    payload: { orderId, shipmentId: shipmentId.toString() },
    shop,
    orderingKey: orderingKey(shop, orderId),
    uniqueKey: `fulfilment:${shop}:${shipmentId}`,
  };
}
