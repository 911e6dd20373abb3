// The webhook topics the app subscribes to (shopify.app.toml) and what the intake derives from each payload:
// the resource it is about (for reconciliation) and the ordering key its job runs under (events about one
// order are processed one at a time, in arrival order; app and compliance events of a shop likewise).
// The handlers live in server/jobs/webhook-process.ts, whose dispatch table is typed by WebhookTopic, so a
// topic added here without a handler does not compile.

export type TopicGroup = 'app' | 'compliance' | 'order' | 'refund' | 'return';

export const WEBHOOK_TOPICS = {
  'app/uninstalled': 'app',
  'app/scopes_update': 'app',
  'customers/data_request': 'compliance',
  'customers/redact': 'compliance',
  'shop/redact': 'compliance',
  'orders/create': 'order',
  'orders/updated': 'order',
  'orders/cancelled': 'order',
  'orders/edited': 'order',
  'refunds/create': 'refund',
  'returns/approve': 'return',
  'returns/cancel': 'return',
  'returns/close': 'return',
} as const satisfies Record<string, TopicGroup>;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;

export function isHandledTopic(topic: string): topic is WebhookTopic {
  return Object.hasOwn(WEBHOOK_TOPICS, topic);
}

export const orderGid = (id: unknown): string | null =>
  typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? `gid://shopify/Order/${id}` : typeof id === 'string' && id.startsWith('gid://shopify/Order/') ? id : null;

type Payload = Record<string, unknown>;

/** The order a payload is about, as a GID, or null. REST-shaped payloads (snake_case). */
export function orderOf(topic: string, payload: Payload): string | null {
  const group = isHandledTopic(topic) ? WEBHOOK_TOPICS[topic] : topic.startsWith('orders/') ? 'order' : undefined;
  if (topic === 'orders/edited') return orderGid((payload.order_edit as Payload | undefined)?.order_id);
  if (group === 'order') return (payload.admin_graphql_api_id as string | undefined) ?? orderGid(payload.id);
  if (group === 'refund') return orderGid(payload.order_id);
  if (group === 'return') {
    const order = payload.order as Payload | undefined;
    return (order?.admin_graphql_api_id as string | undefined) ?? orderGid(order?.id ?? payload.order_id);
  }
  return null;
}

/** updated_at of an order payload (only orders/* carry the order's own timestamp). */
export function orderUpdatedAt(topic: string, payload: Payload): Date | null {
  if (!topic.startsWith('orders/') || topic === 'orders/edited') return null;
  const d = typeof payload.updated_at === 'string' ? new Date(payload.updated_at) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/** Ordering key of the webhook.process job: per order for order events, per shop for app/compliance. */
export function orderingKeyFor(shop: string, topic: string, payload: Payload): string | null {
  const order = orderOf(topic, payload);
  if (order) return `shopify:${shop}:order:${order.slice(order.lastIndexOf('/') + 1)}`;
  if (isHandledTopic(topic) && (WEBHOOK_TOPICS[topic] === 'app' || WEBHOOK_TOPICS[topic] === 'compliance')) return `shopify:${shop}:lifecycle`;
  return null;
}
