// refunds/create: a refund is immutable, so its payload is recorded as is (server/core/returns/refund-use-case.ts):
// unshipped lines go to the order sync (refund.apply), returned lines to return.process — case, lines and
// jobs in one transaction; a repeated delivery adds nothing and enqueues nothing.
import type { WebhookHandler } from './webhook-process.js';
import { parseRefundWebhook } from '../adapters/shopify/storefront-returns-adapter.js';
import { recordRefund } from '../core/returns/refund-use-case.js';

export const refundWebhook: WebhookHandler = async ({ event, payload, deps }) => {
  const refund = parseRefundWebhook(payload);
  if (!refund) return { status: 'ignored', result: { reason: 'no refund or order id in payload' } };
  const r = await recordRefund(deps.prisma, event.shop, refund, deps.now());
  return { status: 'processed', result: { ...r, caseId: r.caseId?.toString() ?? null } };
};
