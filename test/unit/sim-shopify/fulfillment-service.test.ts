// Fulfilment-service model (reference §5.1): requests to a fulfilment-service location, the callback
// notification, assignedFulfillmentOrders by status, accept/reject and cancellation answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, T0, errorList, gql } from './sim-helpers.js';

let sim: ShopifySimulator;
let token: string;
let callback: http.Server;
let notifications: { path: string; body: string; hmac: string | undefined }[];

beforeEach(async () => {
  notifications = [];
  callback = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      notifications.push({ path: req.url ?? '', body, hmac: req.headers['x-shopify-hmac-sha256'] as string | undefined });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  sim = await startShopifySimulator({
    startTime: T0,
    fulfillmentServiceCallbackUrl: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/fs`,
    scopes: ['read_orders', 'read_products', 'read_assigned_fulfillment_orders', 'write_assigned_fulfillment_orders'],
    shops: [
      {
        shop: SHOP,
        locations: [{ name: 'Acme WMS', isFulfillmentService: true }],
        products: [{ title: 'Mug', variants: [{ sku: 'MUG-1', stock: { 'Acme WMS': 5 } }] }],
      },
    ],
  });
  token = sim.tokens.issue(SHOP).access_token;
});
afterEach(async () => {
  await sim.close();
  await new Promise((r) => callback.close(r));
});

const ASSIGNED = `query($s: FulfillmentOrderAssignmentStatus) { shop { assignedFulfillmentOrders(first: 10, assignmentStatus: $s) {
  nodes { id status requestStatus order { name } lineItems(first: 10) { nodes { sku remainingQuantity } }
    merchantRequests(first: 5, kind: FULFILLMENT_REQUEST) { nodes { kind message requestOptions } } } } } }`;
const ANSWER = (m: string) => `mutation($id: ID!) { ${m}(id: $id, message: "ok") { fulfillmentOrder { status requestStatus } userErrors { field message } } }`;

type Assigned = { shop: { assignedFulfillmentOrders: { nodes: { id: string; requestStatus: string }[] } } };

describe('fulfilment-service requests', () => {
  it('request → signed notification (kind only) → listed as FULFILLMENT_REQUESTED → accept → fulfil', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    const foId = o.fulfillmentOrders[0]!.id;
    await sim.fulfillmentService.requestFulfillment(SHOP, foId, { message: 'please ship', notifyCustomer: false });
    expect(notifications).toMatchObject([{ path: '/fs/fulfillment_order_notification', body: '{"kind":"FULFILLMENT_REQUEST"}' }]);
    expect(notifications[0]!.hmac).toBeTruthy();

    const listed = (await gql(sim, token, ASSIGNED, { s: 'FULFILLMENT_REQUESTED' })).body.data;
    expect(listed).toEqual({
      shop: { assignedFulfillmentOrders: { nodes: [{ id: foId, status: 'OPEN', requestStatus: 'SUBMITTED', order: { name: '#1001' }, lineItems: { nodes: [{ sku: 'MUG-1', remainingQuantity: 1 }] }, merchantRequests: { nodes: [{ kind: 'FULFILLMENT_REQUEST', message: 'please ship', requestOptions: { notify_customer: false } }] } }] } },
    });

    const shipEarly = await gql(sim, token, 'mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }', { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foId }] } });
    expect(JSON.stringify(shipEarly.body.data)).toMatch(/must be accepted/);

    const accepted = await gql(sim, token, ANSWER('fulfillmentOrderAcceptFulfillmentRequest'), { id: foId });
    expect(accepted.body.data).toEqual({ fulfillmentOrderAcceptFulfillmentRequest: { fulfillmentOrder: { status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' }, userErrors: [] } });
    expect(((await gql(sim, token, ASSIGNED, { s: 'FULFILLMENT_REQUESTED' })).body.data as Assigned).shop.assignedFulfillmentOrders.nodes).toEqual([]);

    const ship = await gql(sim, token, 'mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }', { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foId }] } });
    expect(errorList(ship)).toEqual([]);
    expect(ship.body.data).toEqual({ fulfillmentCreate: { userErrors: [] } });
  });

  it('accepting twice or rejecting an accepted request → userErrors', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    const foId = o.fulfillmentOrders[0]!.id;
    await sim.fulfillmentService.requestFulfillment(SHOP, foId);
    await gql(sim, token, ANSWER('fulfillmentOrderAcceptFulfillmentRequest'), { id: foId });
    for (const m of ['fulfillmentOrderAcceptFulfillmentRequest', 'fulfillmentOrderRejectFulfillmentRequest']) {
      const r = await gql(sim, token, ANSWER(m), { id: foId });
      expect(JSON.stringify(r.body.data)).toMatch(/request status is accepted/);
    }
  });

  it('cancellation request: accept cancels the FO and returns its stock; reject keeps it in progress', async () => {
    const a = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const b = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    for (const o of [a, b]) {
      await sim.fulfillmentService.requestFulfillment(SHOP, o.fulfillmentOrders[0]!.id);
      await gql(sim, token, ANSWER('fulfillmentOrderAcceptFulfillmentRequest'), { id: o.fulfillmentOrders[0]!.id });
      await sim.fulfillmentService.requestCancellation(SHOP, o.fulfillmentOrders[0]!.id, 'customer changed mind');
    }
    expect(notifications.map((n) => (JSON.parse(n.body) as { kind: string }).kind)).toEqual(['FULFILLMENT_REQUEST', 'CANCELLATION_REQUEST', 'FULFILLMENT_REQUEST', 'CANCELLATION_REQUEST']);
    expect(((await gql(sim, token, ASSIGNED, { s: 'CANCELLATION_REQUESTED' })).body.data as Assigned).shop.assignedFulfillmentOrders.nodes).toHaveLength(2);
    const acc = await gql(sim, token, ANSWER('fulfillmentOrderAcceptCancellationRequest'), { id: a.fulfillmentOrders[0]!.id });
    expect(acc.body.data).toEqual({ fulfillmentOrderAcceptCancellationRequest: { fulfillmentOrder: { status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED' }, userErrors: [] } });
    const rej = await gql(sim, token, ANSWER('fulfillmentOrderRejectCancellationRequest'), { id: b.fulfillmentOrders[0]!.id });
    expect(rej.body.data).toEqual({ fulfillmentOrderRejectCancellationRequest: { fulfillmentOrder: { status: 'IN_PROGRESS', requestStatus: 'CANCELLATION_REJECTED' }, userErrors: [] } });
    expect(sim.quantities(SHOP, 'MUG-1', 'Acme WMS')).toMatchObject({ available: 4, committed: 1 });
  });

  it('assignedFulfillmentOrders needs the assigned-fulfillment-orders scope', async () => {
    sim.tokens.setScopes(['read_orders', 'read_merchant_managed_fulfillment_orders']);
    const t = sim.tokens.issue(SHOP).access_token;
    const r = await gql(sim, t, ASSIGNED, {});
    expect(errorList(r)[0]!.extensions!.code).toBe('ACCESS_DENIED');
  });
});
