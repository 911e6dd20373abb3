// Order webhooks (orders/create, orders/updated, orders/cancelled, orders/edited): record the order as
// `received` and enqueue order.sync in one transaction. The payload is not trusted for anything but the
// order id: the job re-reads the order (webhooks arrive late, repeated and out of order). Whether the order
// goes to the warehouse on creation or on payment (ORDER_TRIGGER) is decided there, on the current state.
import type { WebhookHandler } from './webhook-process.js';
import { orderOf } from '../adapters/shopify/webhook-topics.js';
import { enqueue } from '../queue/enqueue.js';
import { ensureOrderSync } from '../db/repos/order-sync-repo.js';
import { orderSyncJobSpec } from '../core/orders/order-jobs.js';

export const orderWebhook: WebhookHandler = async ({ event, payload, deps }) => {
  const orderId = orderOf(event.topic, payload);
  if (!orderId) return { status: 'ignored', result: { reason: 'no order id in payload' } };
  const shop = event.shop;
  const name = typeof payload.name === 'string' ? payload.name : null;
  await deps.prisma.$transaction(async (tx) => {
    await ensureOrderSync(tx, shop, orderId, name);
    await enqueue(tx, orderSyncJobSpec(shop, orderId));
  });
  return { status: 'processed', result: { orderSync: orderId } };
};
