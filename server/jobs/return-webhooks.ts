// returns/approve, returns/cancel, returns/close: record the return's case and enqueue return.process in one
// transaction. Only the return id is taken from the payload: the job re-reads the return (status, lines,
// reasons), so late, repeated and out-of-order deliveries all converge on the return's current state.
import type { WebhookHandler } from './webhook-process.js';
import { orderOf } from '../adapters/shopify/webhook-topics.js';
import { enqueue } from '../queue/enqueue.js';
import { ensureCase } from '../db/repos/return-case-repo.js';
import { returnProcessJobSpec } from '../core/returns/return-jobs.js';

const returnGid = (p: Record<string, unknown>): string | null =>
  typeof p.admin_graphql_api_id === 'string' && p.admin_graphql_api_id.startsWith('gid://shopify/Return/')
    ? p.admin_graphql_api_id
    : typeof p.id === 'number' || (typeof p.id === 'string' && /^\d+$/.test(p.id))
      ? `gid://shopify/Return/${p.id}`
      : null;

export const returnWebhook: WebhookHandler = async ({ event, payload, deps }) => {
  const returnId = returnGid(payload);
  if (!returnId) return { status: 'ignored', result: { reason: 'no return id in payload' } };
  const shop = event.shop;
  const caseId = await deps.prisma.$transaction(async (tx) => {
    const c = await ensureCase(tx, { shop, source: 'return', sourceId: returnId, name: typeof payload.name === 'string' ? payload.name : null, orderId: orderOf(event.topic, payload) });
    await enqueue(tx, returnProcessJobSpec(shop, c.id));
    return c.id;
  });
  return { status: 'processed', result: { returnCase: caseId.toString() } };
};
