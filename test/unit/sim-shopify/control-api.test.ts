// The simulator's control surface: /__sim HTTP routes (for the demo and non-TypeScript callers), order edits
// and refund payloads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, firstCode, gql, startSeeded } from './sim-helpers.js';

let sim: ShopifySimulator;
beforeEach(async () => ({ sim } = await startSeeded()));
afterEach(async () => sim.close());

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${sim.url}/__sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const get = async (path: string) => {
  const res = await fetch(`${sim.url}/__sim${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('/__sim HTTP control routes', () => {
  it('seed a shop, add an order, read stock and the shop snapshot', async () => {
    const seeded = await post('/shops', { shop: 'beta', products: [{ title: 'Cup', variants: [{ sku: 'CUP-1', stock: { 'Main warehouse': 4 } }] }] });
    expect(seeded.status).toBe(200);
    expect(seeded.body).toMatchObject({ shop: 'beta.myshopify.com', variants: [{ sku: 'CUP-1', levels: [{ available: 4, on_hand: 4 }] }] });
    const order = await post('/shops/beta.myshopify.com/orders', { lines: [{ sku: 'CUP-1', quantity: 3 }] });
    expect(order.body).toMatchObject({ name: '#1001', fulfillmentOrders: [{ status: 'OPEN', lineItems: [{ sku: 'CUP-1', remainingQuantity: 3 }] }] });
    expect((await get('/shops/beta.myshopify.com/inventory?sku=CUP-1')).body).toMatchObject({ available: 1, committed: 3, on_hand: 4 });
    expect((await get('/shops/nope.myshopify.com')).status).toBe(404);
  });

  it('mint a session token and an access token, then force throttling and a 503 over HTTP', async () => {
    const { body: st } = await post('/session-token', { shop: SHOP, variant: 'valid' });
    expect(String(st.token).split('.')).toHaveLength(3);
    const { body: at } = await post('/access-token', { shop: SHOP });
    const token = String(at.access_token);
    expect((await gql(sim, token, '{ shop { name } }')).status).toBe(200);
    await post('/throttle', { forceThrottled: 1 });
    expect(firstCode(await gql(sim, token, '{ shop { name } }'))).toBe('THROTTLED');
    await post('/faults', { status: 503, times: 1 });
    expect((await gql(sim, token, '{ shop { name } }')).status).toBe(503);
    const calls = (await fetch(`${sim.url}/__sim/calls`).then((r) => r.json())) as { status: number }[];
    expect(calls.map((c) => c.status)).toEqual([200, 200, 503]);
  });

  it('edit an order and open a return over HTTP (gid in the path)', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const edited = await post(`/shops/${SHOP}/orders/${encodeURIComponent(o.id)}/edit`, { changes: [{ sku: 'MUG-1', delta: -1 }] });
    expect(edited.body).toMatchObject({ lineItems: [{ currentQuantity: 1 }] });
    sim.store.createFulfillment(sim.store.shop(SHOP), { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: o.fulfillmentOrders[0]!.id }] }, null);
    const ret = await post(`/shops/${SHOP}/orders/${o.legacyId}/returns`, { lines: [{ sku: 'MUG-1', quantity: 1, reason: 'DEFECTIVE' }], status: 'REQUESTED' });
    expect(ret.body).toMatchObject({ name: '#1001-R1', status: 'REQUESTED' });
  });

  it('the clock route moves token expiry', async () => {
    const { body: at } = await post('/access-token', { shop: SHOP, expiring: true });
    await post('/clock', { advanceMs: 3_601_000 });
    expect((await gql(sim, String(at.access_token), '{ shop { name } }')).status).toBe(401);
  });
});

describe('order edits and refunds', () => {
  it('removing units in an edit releases them from the FO and committed stock; payload is the diff', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 3 }] });
    const before = Date.parse(sim.order(SHOP, o.id).updatedAt);
    sim.clock.advance(1_000);
    const { order, payload } = sim.editOrder(SHOP, o.id, [{ sku: 'MUG-1', delta: -2 }]);
    expect(order.lineItems[0]).toMatchObject({ quantity: 3, currentQuantity: 1 });
    expect(order.fulfillmentOrders[0]!.lineItems[0]).toMatchObject({ totalQuantity: 1, remainingQuantity: 1 });
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 4, committed: 1 });
    expect(Date.parse(order.updatedAt)).toBeGreaterThan(before);
    expect(payload).toMatchObject({ order_edit: { order_id: o.legacyId, line_items: { additions: [], removals: [{ delta: 2 }] } } });
  });

  it('refunds/create carries restock_type and the refunded line item', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const d = await sim.webhooks.sendRefund(SHOP, o.id, [{ sku: 'MUG-1', quantity: 1, restockType: 'cancel' }], { url: 'http://127.0.0.1:9/', retryScheduleMs: [] });
    expect(d.delivered).toBe(false); // nothing listens on port 9: the attempt is recorded as an error
    expect(d.attempts[0]!.error).not.toBeNull();
    const body = JSON.parse(d.body) as { order_id: number; refund_line_items: { quantity: number; restock_type: string; location_id: number | null; line_item: { sku: string } }[] };
    expect(body.order_id).toBe(o.legacyId);
    expect(body.refund_line_items).toMatchObject([{ quantity: 1, restock_type: 'cancel', line_item: { sku: 'MUG-1' } }]);
    expect(body.refund_line_items[0]!.location_id).not.toBeNull();
  });
});
