// REST-shaped (snake_case) webhook payloads, as Shopify renders them for TOML subscriptions
// (reference shopify-platform.md §7 orders, §6.1 refunds; returns and compliance shapes are [unverified] beyond
// the fields listed there).
import { gid, type SimAddress, type SimOrder, type SimReturn, type SimShop } from './state.js';

type Json = Record<string, unknown>;

function restAddress(a: SimAddress | null): Json | null {
  if (!a) return null;
  return {
    first_name: a.firstName ?? null,
    last_name: a.lastName ?? null,
    name: a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(' ') || null),
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    province_code: a.provinceCode ?? null,
    zip: a.zip ?? null,
    country: a.country ?? null,
    country_code: a.countryCode ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
  };
}

function fulfilledByLine(shop: SimShop, o: SimOrder): Map<number, number> {
  const m = new Map<number, number>();
  for (const fid of o.fulfillmentIds) {
    const f = shop.fulfillments.get(fid)!;
    if (f.status !== 'SUCCESS') continue;
    for (const l of f.lineItems) m.set(l.lineItemId, (m.get(l.lineItemId) ?? 0) + l.quantity);
  }
  return m;
}

/** orders/create, orders/updated, orders/cancelled, orders/paid, orders/fulfilled … body. */
export function orderPayload(shop: SimShop, o: SimOrder): Json {
  const fulfilled = fulfilledByLine(shop, o);
  const lineItems = o.lineItems.map((li) => {
    const done = fulfilled.get(li.id) ?? 0;
    return {
      id: li.id,
      admin_graphql_api_id: gid('LineItem', li.id),
      variant_id: li.variantId,
      product_id: li.productId,
      sku: li.sku,
      name: li.name,
      title: li.title,
      variant_title: li.variantTitle,
      vendor: li.vendor,
      quantity: li.quantity,
      current_quantity: li.currentQuantity,
      fulfillable_quantity: Math.max(0, li.currentQuantity - done),
      fulfillment_status: done === 0 ? null : done >= li.currentQuantity ? 'fulfilled' : 'partial',
      fulfillment_service: 'manual',
      requires_shipping: li.requiresShipping,
      grams: li.grams,
      price: li.price,
      properties: [],
      gift_card: false,
      taxable: true,
    };
  });
  const totalDone = lineItems.filter((l) => l.fulfillment_status === 'fulfilled').length;
  const anyDone = lineItems.some((l) => l.fulfillment_status !== null);
  return {
    id: o.id,
    admin_graphql_api_id: gid('Order', o.id),
    name: o.name,
    order_number: o.number,
    number: o.number - 1000,
    email: o.email,
    contact_email: o.email,
    phone: o.phone,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt,
    closed_at: o.closedAt,
    cancelled_at: o.cancelledAt,
    cancel_reason: o.cancelReason ? o.cancelReason.toLowerCase() : null,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: totalDone === lineItems.length && lineItems.length > 0 ? 'fulfilled' : anyDone ? 'partial' : null,
    currency: o.currency,
    note: o.note,
    note_attributes: [],
    tags: o.tags.join(', '),
    test: o.test,
    source_name: 'web',
    total_price: o.lineItems.reduce((s, l) => s + Number(l.price) * l.quantity, 0).toFixed(2),
    shipping_lines: [],
    shipping_address: restAddress(o.shippingAddress),
    billing_address: restAddress(o.billingAddress),
    customer: o.customer
      ? {
          id: o.customer.id,
          admin_graphql_api_id: gid('Customer', o.customer.id),
          email: o.customer.email,
          first_name: o.customer.firstName,
          last_name: o.customer.lastName,
        }
      : null,
    line_items: lineItems,
  };
}

/** orders/edited body: a diff only (reference §7). */
export function orderEditedPayload(
  o: SimOrder,
  edit: { id: number; additions?: { id: number; delta: number }[]; removals?: { id: number; delta: number }[]; createdAt: string },
): Json {
  return {
    order_edit: {
      id: edit.id,
      order_id: o.id,
      app_id: null,
      created_at: edit.createdAt,
      notify_customer: false,
      staff_note: '',
      user_id: null,
      line_items: { additions: edit.additions ?? [], removals: edit.removals ?? [] },
      discounts: { additions: [], removals: [] },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}

/** refunds/create body (reference §6.1). */
export function refundPayload(
  shop: SimShop,
  o: SimOrder,
  refund: { id: number; createdAt: string; note?: string | null; lines: { lineItemId: number; quantity: number; restockType: 'no_restock' | 'cancel' | 'return'; locationId?: number | null }[] },
): Json {
  const order = orderPayload(shop, o);
  const items = order.line_items as Json[];
  return {
    id: refund.id,
    order_id: o.id,
    created_at: refund.createdAt,
    note: refund.note ?? null,
    restock: refund.lines.some((l) => l.restockType !== 'no_restock'),
    admin_graphql_api_id: gid('Refund', refund.id),
    return: null,
    refund_line_items: refund.lines.map((l, i) => ({
      id: refund.id * 10 + i,
      line_item_id: l.lineItemId,
      quantity: l.quantity,
      restock_type: l.restockType,
      location_id: l.restockType === 'no_restock' ? null : (l.locationId ?? null),
      subtotal: 0.0,
      total_tax: 0.0,
      line_item: items.find((x) => x.id === l.lineItemId) ?? null,
    })),
    transactions: [],
    order_adjustments: [],
    refund_shipping_lines: [],
    duties: [],
  };
}

/** returns/request|approve|… body [unverified shape beyond ids and line items]. */
export function returnPayload(shop: SimShop, r: SimReturn): Json {
  const order = shop.orders.get(r.orderId)!;
  return {
    id: r.id,
    admin_graphql_api_id: gid('Return', r.id),
    name: r.name,
    status: r.status.toLowerCase(),
    order: { id: order.id, admin_graphql_api_id: gid('Order', order.id) },
    total_return_line_items: r.lineItems.length,
    return_line_items: r.lineItems.map((l) => ({
      id: l.id,
      admin_graphql_api_id: gid('ReturnLineItem', l.id),
      fulfillment_line_item: { id: l.fulfillmentLineItemId, admin_graphql_api_id: gid('FulfillmentLineItem', l.fulfillmentLineItemId) },
      quantity: l.quantity,
      return_reason: l.returnReason.toLowerCase(),
      return_reason_note: l.returnReasonNote,
      customer_note: l.customerNote,
    })),
  };
}

/** app/uninstalled body: the shop resource. */
export function shopPayload(shop: SimShop): Json {
  return {
    id: 1,
    name: shop.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    currency: shop.currency,
    plan_name: 'basic',
  };
}

export function customersDataRequestPayload(shop: SimShop, customer: { id: number; email: string | null; phone?: string | null }, orderIds: number[]): Json {
  return {
    shop_id: 1,
    shop_domain: shop.domain,
    orders_requested: orderIds,
    customer: { id: customer.id, email: customer.email, phone: customer.phone ?? null },
    data_request: { id: Math.floor(Math.random() * 1e6) },
  };
}

export function customersRedactPayload(shop: SimShop, customer: { id: number; email: string | null; phone?: string | null }, orderIds: number[]): Json {
  return {
    shop_id: 1,
    shop_domain: shop.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone ?? null },
    orders_to_redact: orderIds,
  };
}

export function shopRedactPayload(shop: SimShop): Json {
  return { shop_id: 1, shop_domain: shop.domain };
}
