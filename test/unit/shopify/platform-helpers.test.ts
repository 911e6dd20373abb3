// Small pure parts of the Shopify adapter: topic → resource/ordering key, throttle arithmetic, the
// @idempotent guard, the simulator URL rewrite, SKU search quoting.
import { describe, expect, it } from 'vitest';
import { orderOf, orderingKeyFor, orderUpdatedAt, isHandledTopic } from '../../../server/adapters/shopify/webhook-topics.js';
import { checkIdempotency, throttleWaitMs } from '../../../server/adapters/shopify/admin-client.js';
import { INVENTORY_SET_QUANTITIES_MUTATION } from '../../../server/adapters/shopify/graphql/inventory.js';
import { ORDERS_UPDATED_SINCE_QUERY } from '../../../server/adapters/shopify/graphql/orders.js';
import { WEBHOOK_HANDLERS } from '../../../server/jobs/webhook-process.js';
import { WEBHOOK_TOPICS } from '../../../server/adapters/shopify/webhook-topics.js';

describe('webhook topics', () => {
  it('the order a payload is about, per topic shape', () => {
    expect(orderOf('orders/create', { id: 42, admin_graphql_api_id: 'gid://shopify/Order/42' })).toBe('gid://shopify/Order/42');
    expect(orderOf('orders/edited', { order_edit: { order_id: 42 } })).toBe('gid://shopify/Order/42');
    expect(orderOf('refunds/create', { id: 9, order_id: 42 })).toBe('gid://shopify/Order/42');
    expect(orderOf('returns/approve', { id: 3, order: { id: 42 } })).toBe('gid://shopify/Order/42');
    expect(orderOf('app/uninstalled', { id: 1 })).toBeNull();
  });

  it('ordering keys: per order for order events, per shop for lifecycle and compliance', () => {
    expect(orderingKeyFor('s.myshopify.com', 'refunds/create', { order_id: 42 })).toBe('shopify:s.myshopify.com:order:42');
    expect(orderingKeyFor('s.myshopify.com', 'shop/redact', {})).toBe('shopify:s.myshopify.com:lifecycle');
    expect(orderingKeyFor('s.myshopify.com', 'products/update', { id: 1 })).toBeNull();
  });

  it('updated_at only from order payloads', () => {
    expect(orderUpdatedAt('orders/updated', { updated_at: '2026-12-01T10:00:00Z' })?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(orderUpdatedAt('refunds/create', { updated_at: '2026-12-01T10:00:00Z' })).toBeNull();
  });

  it('every subscribed topic has a handler, and unknown topics are not handled', () => {
    expect(Object.keys(WEBHOOK_HANDLERS).sort()).toEqual(Object.keys(WEBHOOK_TOPICS).sort());
    expect(isHandledTopic('products/update')).toBe(false);
    expect(isHandledTopic('toString')).toBe(false);
  });
});

describe('Admin GraphQL wrapper helpers', () => {
  it('throttle wait: points missing / restore rate, plus a small margin', () => {
    expect(throttleWaitMs({ maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 }, 50)).toBe(550);
    expect(throttleWaitMs({ maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 }, 50)).toBe(50);
    expect(throttleWaitMs(undefined, 50)).toBe(1000);
  });

  it('inventory mutations need @idempotent(key: $idempotencyKey) and a key; queries do not', () => {
    expect(() => checkIdempotency(INVENTORY_SET_QUANTITIES_MUTATION, {})).toThrow(/idempotencyKey/);
    expect(() => checkIdempotency(INVENTORY_SET_QUANTITIES_MUTATION, { idempotencyKey: 'k' })).not.toThrow();
    expect(() => checkIdempotency('mutation { inventorySetQuantities(input: $i) { userErrors { code } } }', { idempotencyKey: 'k' })).toThrow(/@idempotent/);
    expect(() => checkIdempotency(ORDERS_UPDATED_SINCE_QUERY, {})).not.toThrow();
  });
});
