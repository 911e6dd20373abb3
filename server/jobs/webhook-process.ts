// webhook.process: runs the handler of one stored webhook event (written by POST /webhooks or by
// orders.reconcile). Safe to repeat: an event already processed is skipped, and every handler is
// idempotent on its own. The dispatch table below is THE place to add a topic's handler; it is typed by
// the subscribed topics (server/adapters/shopify/webhook-topics.ts), so a subscription without a handler
// does not compile.
import type { JobHandler, JobContext, JobRecord } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { findWebhookEvent, markWebhookEvent } from '../adapters/shopify/webhook-event-repo.js';
import { isHandledTopic, type WebhookTopic } from '../adapters/shopify/webhook-topics.js';
import type { WebhookProcessPayload } from '../adapters/shopify/webhook-intake.js';
import { appScopesUpdate, appUninstalled } from './shop-lifecycle-webhooks.js';
import { customersDataRequest, customersRedact, shopRedactWebhook } from './compliance-webhooks.js';
import { orderWebhook } from './order-webhooks.js';
import { returnWebhook } from './return-webhooks.js';
import { refundWebhook } from './refund-webhooks.js';

export type StoredWebhookEvent = NonNullable<Awaited<ReturnType<typeof findWebhookEvent>>>;

export interface WebhookHandlerContext {
  event: StoredWebhookEvent;
  payload: Record<string, unknown>;
  /** X-Shopify-Triggered-At (else the receive time): handlers compare it to ignore stale events. */
  firedAt: Date;
  job: JobRecord<WebhookProcessPayload>;
  ctx: JobContext;
  deps: JobDeps;
}

export interface WebhookOutcome {
  /** Stored on the event: processed | recorded | stale | … */
  status: string;
  result?: unknown;
}

export type WebhookHandler = (c: WebhookHandlerContext) => Promise<WebhookOutcome>;

// Order and return handlers re-fetch the current state (webhooks arrive out of order and retries carry old
// payloads) — see docs/shopify.md. Refunds are immutable: their payload is recorded as is (docs/returns.md).
export const WEBHOOK_HANDLERS: Record<WebhookTopic, WebhookHandler> = {
  'app/uninstalled': appUninstalled,
  'app/scopes_update': appScopesUpdate,
  'customers/data_request': customersDataRequest,
  'customers/redact': customersRedact,
  'shop/redact': shopRedactWebhook,
  'orders/create': orderWebhook,
  'orders/updated': orderWebhook,
  'orders/cancelled': orderWebhook,
  'orders/edited': orderWebhook,
  'refunds/create': refundWebhook,
  'returns/approve': returnWebhook,
  'returns/cancel': returnWebhook,
  'returns/close': returnWebhook,
};

export function webhookProcessJob(deps: JobDeps, handlers: Record<string, WebhookHandler> = WEBHOOK_HANDLERS): JobHandler<WebhookProcessPayload> {
  return async (job, ctx) => {
    const shop = job.shop;
    const raw = job.payload?.webhookEventId;
    if (!shop || typeof raw !== 'string' || !/^\d+$/.test(raw)) {
      throw new PermanentError('webhook.bad_job', `webhook.process needs a shop and a numeric webhookEventId, got ${JSON.stringify(job.payload)}`);
    }
    const id = BigInt(raw);
    const event = await findWebhookEvent(deps.prisma, shop, id);
    if (!event) {
      // Deleted by a shop redact that ran first: nothing left to do.
      ctx.log.info({ shop, webhookEventId: raw }, 'webhook event no longer stored');
      return;
    }
    if (event.status !== 'received') return; // processed by an earlier attempt
    const handler = isHandledTopic(event.topic) ? handlers[event.topic] : undefined;
    if (!handler) {
      await markWebhookEvent(deps.prisma, shop, id, 'ignored');
      return;
    }
    const payload = (event.payload ?? {}) as Record<string, unknown>;
    const outcome = await handler({ event, payload, firedAt: event.triggeredAt ?? event.receivedAt, job, ctx, deps });
    await markWebhookEvent(deps.prisma, shop, id, outcome.status, outcome.result as never);
  };
}
