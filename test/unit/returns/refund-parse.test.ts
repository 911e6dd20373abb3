// refunds/create payload (REST shape, reference §6.1) → RefundInput.
import { describe, expect, it } from 'vitest';
import { parseRefundWebhook } from '../../../server/adapters/shopify/storefront-returns-adapter.js';

const line = (o: Record<string, unknown>) => ({
  id: 1058498320,
  line_item_id: 518995019,
  quantity: 1,
  restock_type: 'return',
  location_id: 1,
  line_item: { id: 518995019, variant_id: 49148385, sku: 'IPOD2008RED', quantity: 1, fulfillable_quantity: 0, fulfillment_status: 'fulfilled' },
  ...o,
});

describe('parseRefundWebhook', () => {
  it('the reference example: ids as GIDs, SKU and variant of the line, no return', () => {
    const r = parseRefundWebhook({ id: 929361472, order_id: 450789469, admin_graphql_api_id: 'gid://shopify/Refund/929361472', return: null, refund_line_items: [line({ restock_type: 'no_restock', line_item: { id: 518995019, variant_id: 49148385, sku: 'IPOD2008RED', fulfillable_quantity: 1, fulfillment_status: null } })] });
    expect(r).toEqual({
      refundId: 'gid://shopify/Refund/929361472',
      orderId: 'gid://shopify/Order/450789469',
      returnId: null,
      lines: [{ id: 'gid://shopify/RefundLineItem/1058498320', lineItemId: 'gid://shopify/LineItem/518995019', variantId: 'gid://shopify/ProductVariant/49148385', sku: 'IPOD2008RED', quantity: 1, restockType: 'no_restock', fulfilled: false }],
    });
  });

  it('fulfilled: return lines always, cancel lines never, no_restock by the line fulfilment status', () => {
    const r = parseRefundWebhook({
      id: 1,
      order_id: 2,
      refund_line_items: [
        line({ id: 10, restock_type: 'return' }),
        line({ id: 11, restock_type: 'cancel', line_item: { id: 5, fulfillment_status: 'fulfilled' } }),
        line({ id: 12, restock_type: 'no_restock' }),
        line({ id: 13, restock_type: 'no_restock', line_item: { id: 5, fulfillment_status: 'partial' } }),
        line({ id: 14, restock_type: 'legacy_restock' }),
      ],
    })!;
    expect(r.lines.map((l) => [l.id.split('/').pop(), l.restockType, l.fulfilled])).toEqual([
      ['10', 'return', true],
      ['11', 'cancel', false],
      ['12', 'no_restock', true],
      ['13', 'no_restock', false],
      ['14', 'return', true],
    ]);
  });

  it('a refund that settles a Shopify return names it; missing order or refund id → null', () => {
    expect(parseRefundWebhook({ id: 1, order_id: 2, return: { id: 77, admin_graphql_api_id: 'gid://shopify/Return/77' }, refund_line_items: [] })!.returnId).toBe('gid://shopify/Return/77');
    expect(parseRefundWebhook({ id: 1, order_id: 2, return: { id: 78 }, refund_line_items: [] })!.returnId).toBe('gid://shopify/Return/78');
    expect(parseRefundWebhook({ id: 1, refund_line_items: [] })).toBeNull();
    expect(parseRefundWebhook({ order_id: 2 })).toBeNull();
  });
});
