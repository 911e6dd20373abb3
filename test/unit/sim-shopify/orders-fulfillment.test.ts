// Orders, fulfilment orders and fulfilments in the simulator: reconciliation queries, fulfillmentCreate updating
// remaining quantities and stock, tracking updates, cancellations and returns, SKU lookups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, T0, errorList, gql, startSeeded } from './sim-helpers.js';

let sim: ShopifySimulator;
let token: string;
beforeEach(async () => ({ sim, token } = await startSeeded()));
afterEach(async () => sim.close());

const CREATE = `mutation Ship($f: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $f, message: "Shipped by WMS") {
    fulfillment { id status trackingInfo { company number url } fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } } }
    userErrors { field message }
  }
}`;

type CreatePayload = { fulfillmentCreate: { fulfillment: { id: string; status: string; trackingInfo: unknown[] } | null; userErrors: { message: string }[] } };

describe('orders', () => {
  it('orders(query: updated_at:>…) returns only orders changed after the cursor, sorted by UPDATED_AT, paginated', async () => {
    const a = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    sim.clock.advance(60_000);
    const b = sim.addOrder(SHOP, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    sim.clock.advance(60_000);
    const c = sim.addOrder(SHOP, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    sim.clock.advance(60_000);
    sim.cancelOrder(SHOP, a.id); // a is now the most recently updated
    const since = new Date(T0 + 30_000).toISOString();
    const Q = 'query($q: String!, $after: String) { orders(first: 2, after: $after, query: $q, sortKey: UPDATED_AT) { nodes { id updatedAt cancelledAt } pageInfo { hasNextPage endCursor } } }';
    const p1 = (await gql(sim, token, Q, { q: `updated_at:>'${since}'` })).body.data as { orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    expect(p1.orders.nodes.map((n) => n.id)).toEqual([b.id, c.id]);
    expect(p1.orders.pageInfo.hasNextPage).toBe(true);
    const p2 = (await gql(sim, token, Q, { q: `updated_at:>'${since}'`, after: p1.orders.pageInfo.endCursor })).body.data as typeof p1;
    expect(p2.orders.nodes.map((n) => n.id)).toEqual([a.id]);
    expect(p2.orders.pageInfo.hasNextPage).toBe(false);
  });

  it('order(id) exposes line items and the fulfilment order assigned to the location', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEE-S', quantity: 1 }], location: 'Main warehouse' });
    const r = await gql(sim, token, `query($id: ID!) { order(id: $id) { name displayFulfillmentStatus shippingAddress { name city countryCodeV2 }
      lineItems(first: 10) { nodes { sku quantity unfulfilledQuantity } }
      fulfillmentOrders(first: 5) { nodes { status requestStatus assignedLocation { location { name } } lineItems(first: 10) { nodes { sku totalQuantity remainingQuantity } } } } } }`, { id: o.id });
    expect(r.body.data).toEqual({
      order: {
        name: '#1001',
        displayFulfillmentStatus: 'UNFULFILLED',
        shippingAddress: { name: 'Erika Mustermann', city: 'Berlin', countryCodeV2: 'DE' },
        lineItems: { nodes: [{ sku: 'MUG-1', quantity: 2, unfulfilledQuantity: 2 }, { sku: 'TEE-S', quantity: 1, unfulfilledQuantity: 1 }] },
        fulfillmentOrders: { nodes: [{ status: 'OPEN', requestStatus: 'UNSUBMITTED', assignedLocation: { location: { name: 'Main warehouse' } }, lineItems: { nodes: [{ sku: 'MUG-1', totalQuantity: 2, remainingQuantity: 2 }, { sku: 'TEE-S', totalQuantity: 1, remainingQuantity: 1 }] } }] },
      },
    });
  });

  it('without read_all_orders, orders older than 60 days do not appear in orders()', async () => {
    const old = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }], createdAt: new Date(T0 - 61 * 86_400_000).toISOString() });
    const recent = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    const Q = '{ orders(first: 10) { nodes { id } } }';
    expect((await gql(sim, token, Q)).body.data).toEqual({ orders: { nodes: [{ id: recent.id }] } });
    sim.tokens.setScopes(['read_orders', 'read_all_orders']);
    const all = sim.tokens.issue(SHOP).access_token;
    expect((await gql(sim, all, Q)).body.data).toEqual({ orders: { nodes: [{ id: old.id }, { id: recent.id }] } });
  });

  it('productVariants(query: "sku:…") matches by prefix like Shopify, so callers must filter exact SKUs', async () => {
    const r = await gql(sim, token, '{ productVariants(first: 10, query: "sku:TEE-S") { nodes { sku } } }');
    expect(r.body.data).toEqual({ productVariants: { nodes: [{ sku: 'TEE-S' }, { sku: 'TEE-SX' }] } });
  });
});

describe('fulfillmentCreate', () => {
  it('a partial fulfilment lowers remaining quantities, moves the FO to IN_PROGRESS and consumes committed stock', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 3 }] });
    const fo = o.fulfillmentOrders[0]!;
    const r = await gql(sim, token, CREATE, {
      f: {
        notifyCustomer: true,
        trackingInfo: { company: 'DHL Express', number: 'JD0001', url: 'https://track.example/JD0001' },
        lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems[0]!.id, quantity: 2 }] }],
      },
    });
    const p = (r.body.data as CreatePayload).fulfillmentCreate;
    expect(p.userErrors).toEqual([]);
    expect(p.fulfillment).toMatchObject({ status: 'SUCCESS', trackingInfo: [{ company: 'DHL Express', number: 'JD0001', url: 'https://track.example/JD0001' }] });
    const after = sim.order(SHOP, o.id);
    expect(after.fulfillmentOrders[0]).toMatchObject({ status: 'IN_PROGRESS', lineItems: [{ remainingQuantity: 1 }] });
    expect(after.fulfillments).toMatchObject([{ notifyCustomer: true, lineItems: [{ sku: 'MUG-1', quantity: 2 }] }]);
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 2, committed: 1, on_hand: 3 });
  });

  it('without line items it fulfils everything remaining and closes the FO', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }, { sku: 'TEE-S', quantity: 2 }] });
    const r = await gql(sim, token, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: o.fulfillmentOrders[0]!.id }] } });
    expect((r.body.data as CreatePayload).fulfillmentCreate.userErrors).toEqual([]);
    expect(sim.order(SHOP, o.id).fulfillmentOrders[0]!.status).toBe('CLOSED');
    const status = await gql(sim, token, 'query($id: ID!) { order(id: $id) { displayFulfillmentStatus } }', { id: o.id });
    expect(status.body.data).toEqual({ order: { displayFulfillmentStatus: 'FULFILLED' } });
  });

  it('more than remaining, an order line-item id, or a closed FO → userErrors, nothing shipped', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    const fo = o.fulfillmentOrders[0]!;
    const tooMany = await gql(sim, token, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems[0]!.id, quantity: 2 }] }] } });
    expect((tooMany.body.data as CreatePayload).fulfillmentCreate.userErrors).toHaveLength(1);
    const wrongId = await gql(sim, token, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: o.lineItems[0]!.id, quantity: 1 }] }] } });
    expect((wrongId.body.data as CreatePayload).fulfillmentCreate.userErrors).toHaveLength(1);
    sim.cancelOrder(SHOP, o.id);
    const closed = await gql(sim, token, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } });
    expect((closed.body.data as CreatePayload).fulfillmentCreate.userErrors[0]!.message).toMatch(/unfulfillable status/);
    expect(sim.fulfillments(SHOP)).toEqual([]);
  });

  it('fulfillmentTrackingInfoUpdate replaces tracking and bumps the order updatedAt', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    const r = await gql(sim, token, CREATE, { f: { trackingInfo: { number: 'OLD' }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: o.fulfillmentOrders[0]!.id }] } });
    const fid = (r.body.data as CreatePayload).fulfillmentCreate.fulfillment!.id;
    sim.clock.advance(5_000);
    const u = await gql(sim, token, 'mutation($id: ID!, $t: FulfillmentTrackingInput!) { fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $t, notifyCustomer: false) { fulfillment { trackingInfo { company number url } } userErrors { message } } }', {
      id: fid,
      t: { company: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' },
    });
    expect(errorList(u)).toEqual([]);
    expect(u.body.data).toEqual({ fulfillmentTrackingInfoUpdate: { fulfillment: { trackingInfo: [{ company: 'UPS', number: '1Z999', url: 'https://ups.example/1Z999' }] }, userErrors: [] } });
    expect(Date.parse(sim.order(SHOP, o.id).updatedAt)).toBe(T0 + 5_000);
  });
});

describe('protected customer data', () => {
  it('without access, names, address, email and phone are null in GraphQL and in webhook payloads', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }], email: 'erika@example.com' });
    const Q = 'query($id: ID!) { order(id: $id) { email phone shippingAddress { name } fulfillmentOrders(first: 1) { nodes { destination { email city } } } } }';
    expect((await gql(sim, token, Q, { id: o.id })).body.data).toEqual({
      order: { email: 'erika@example.com', phone: null, shippingAddress: { name: 'Erika Mustermann' }, fulfillmentOrders: { nodes: [{ destination: { email: 'erika@example.com', city: 'Berlin' } }] } },
    });
    sim.setProtectedCustomerData(false);
    expect((await gql(sim, token, Q, { id: o.id })).body.data).toEqual({
      order: { email: null, phone: null, shippingAddress: null, fulfillmentOrders: { nodes: [{ destination: null }] } },
    });
    expect(sim.webhooks.orderPayload(SHOP, o.id)).toMatchObject({ email: null, shipping_address: null, customer: null, line_items: [{ sku: 'MUG-1' }] });
  });
});

describe('cancellations and returns', () => {
  it('cancelling releases committed stock back to available and closes the FO', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 3, committed: 2 });
    sim.cancelOrder(SHOP, o.id);
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 5, committed: 0 });
    expect(sim.order(SHOP, o.id)).toMatchObject({ fulfillmentOrders: [{ status: 'CLOSED' }] });
  });

  it('a return on a fulfilled line is readable through return(id) and Order.returns', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    await gql(sim, token, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: o.fulfillmentOrders[0]!.id }] } });
    const rid = sim.createReturn(SHOP, o.id, [{ sku: 'MUG-1', quantity: 1, reason: 'DEFECTIVE' }]);
    const r = await gql(sim, token, `query($id: ID!, $o: ID!) {
      return(id: $id) { name status returnLineItems(first: 5) { nodes { quantity ... on ReturnLineItem { returnReason fulfillmentLineItem { lineItem { sku } } } } } }
      order(id: $o) { returns(first: 5) { nodes { id } } } }`, { id: rid, o: o.id });
    expect(errorList(r)).toEqual([]);
    expect(r.body.data).toEqual({
      return: { name: '#1001-R1', status: 'OPEN', returnLineItems: { nodes: [{ quantity: 1, returnReason: 'DEFECTIVE', fulfillmentLineItem: { lineItem: { sku: 'MUG-1' } } }] } },
      order: { returns: { nodes: [{ id: rid }] } },
    });
  });
});
