// The simulator's webhook sender signs and heads deliveries like Shopify (checked with shopify-api's own
// webhooks.validate), retries the same delivery on non-2xx, and can duplicate or reorder on request.
import '@shopify/shopify-api/adapters/node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';

const SHOP = 'acme.myshopify.com';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  validation: Awaited<ReturnType<Shopify['webhooks']['validate']>>;
}

let sim: ShopifySimulator;
let shopify: Shopify;
let server: http.Server;
let received: Received[] = [];
/** Status codes the receiver answers, in order; 200 once exhausted. */
let script: number[] = [];

beforeAll(async () => {
  sim = await startShopifySimulator({
    webhookRetryScheduleMs: [5, 5, 5],
    shops: [{ shop: SHOP, products: [{ title: 'Mug', variants: [{ sku: 'MUG-1', stock: { 'Main warehouse': 5 } }] }] }],
  });
  shopify = shopifyApi({
    apiKey: sim.apiKey,
    apiSecretKey: sim.apiSecret,
    scopes: [],
    hostName: 'app.example.com',
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', async () => {
      const validation = await shopify.webhooks.validate({ rawBody: body, rawRequest: req, rawResponse: res });
      received.push({ headers: req.headers, body, validation });
      const status = script.shift() ?? 200;
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sim.webhooks.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`);
});
afterEach(() => {
  received = [];
  script = [];
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => server.close(r));
});

describe('webhook signing and headers', () => {
  it('an orders/create delivery validates with shopify-api and carries every X-Shopify header', async () => {
    const order = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const d = await sim.webhooks.sendOrder(SHOP, 'orders/create', order.id, { triggeredAt: '2026-06-01T10:00:00.000Z' });
    expect(d.delivered).toBe(true);
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r!.validation).toMatchObject({
      valid: true,
      webhookType: 'webhooks',
      topic: 'ORDERS_CREATE',
      domain: SHOP,
      apiVersion: '2026-04',
      webhookId: d.webhookId,
      eventId: d.eventId,
      triggeredAt: '2026-06-01T10:00:00.000Z',
    });
    const body = JSON.parse(r!.body) as { id: number; admin_graphql_api_id: string; name: string; line_items: { sku: string; quantity: number; fulfillable_quantity: number }[] };
    expect(body.admin_graphql_api_id).toBe(order.id);
    expect(body.name).toBe('#1001');
    expect(body.line_items).toMatchObject([{ sku: 'MUG-1', quantity: 2, fulfillable_quantity: 2 }]);
  });

  it('signed with another secret (e.g. an admin-created webhook) → shopify-api says invalid', async () => {
    await sim.webhooks.send({ shop: SHOP, topic: 'orders/create', payload: { id: 1 }, secret: 'not-the-app-secret', retryScheduleMs: [] });
    expect(received[0]!.validation).toMatchObject({ valid: false, reason: 'invalid_hmac' });
  });

  it('a delivery without X-Shopify-Webhook-Id is reported as missing that header', async () => {
    await sim.webhooks.send({ shop: SHOP, topic: 'orders/create', payload: { id: 1 }, headers: { 'X-Shopify-Webhook-Id': null }, retryScheduleMs: [] });
    expect(received[0]!.validation).toMatchObject({ valid: false, reason: 'missing_headers' });
  });
});

describe('webhook delivery behaviour', () => {
  it('non-2xx (500, 503, 302) is retried with the same webhook id until a 2xx', async () => {
    script = [500, 503, 302];
    const d = await sim.webhooks.send({ shop: SHOP, topic: 'app/uninstalled', payload: { id: 1 } });
    expect(d.delivered).toBe(true);
    expect(d.attempts.map((a) => a.status)).toEqual([500, 503, 302, 200]);
    expect(new Set(received.map((r) => r.headers['x-shopify-webhook-id']))).toEqual(new Set([d.webhookId]));
  });

  it('gives up after the retry schedule, leaving the delivery undelivered', async () => {
    script = [500, 500, 500, 500, 500];
    const d = await sim.webhooks.send({ shop: SHOP, topic: 'orders/updated', payload: { id: 1 }, retryScheduleMs: [1, 1] });
    expect(d.delivered).toBe(false);
    expect(d.attempts).toHaveLength(3);
  });

  it('sendDuplicates posts the identical delivery n times', async () => {
    const d = await sim.webhooks.sendDuplicates({ shop: SHOP, topic: 'orders/create', payload: { id: 7 } }, 3);
    expect(received).toHaveLength(3);
    expect(received.map((r) => r.headers['x-shopify-webhook-id'])).toEqual([d.webhookId, d.webhookId, d.webhookId]);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  it('a sequence can arrive in reverse event order (triggered-at tells the truth)', async () => {
    await sim.webhooks.sendSequence(
      [
        { shop: SHOP, topic: 'orders/create', payload: { id: 1 }, triggeredAt: '2026-06-01T10:00:00Z' },
        { shop: SHOP, topic: 'orders/updated', payload: { id: 1 }, triggeredAt: '2026-06-01T10:00:05Z' },
      ],
      'reverse',
    );
    expect(received.map((r) => [r.headers['x-shopify-topic'], r.headers['x-shopify-triggered-at']])).toEqual([
      ['orders/updated', '2026-06-01T10:00:05Z'],
      ['orders/create', '2026-06-01T10:00:00Z'],
    ]);
  });

  it('compliance topics carry shop_domain and the customer', async () => {
    await sim.webhooks.sendCompliance(SHOP, 'customers/redact', { id: 55, email: 'a@example.com' }, [1001]);
    const body = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ shop_domain: SHOP, customer: { id: 55, email: 'a@example.com' }, orders_to_redact: [1001] });
    expect(received[0]!.validation).toMatchObject({ valid: true, topic: 'CUSTOMERS_REDACT' });
  });
});

describe('automatic webhooks on data changes (webhookTopics)', () => {
  it('an order placed, edited, fulfilled and cancelled sends the subscribed topics only, one event id per change', async () => {
    const auto = await startShopifySimulator({
      webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
      webhookTopics: ['orders/create', 'orders/updated', 'orders/cancelled', 'orders/edited', 'orders/partially_fulfilled'],
      shops: [{ shop: SHOP, products: [{ title: 'Mug', variants: [{ sku: 'MUG-1', stock: { 'Main warehouse': 9 } }] }] }],
    });
    try {
      // The topics of one change are sent at once, so (as with Shopify) they may arrive in either order:
      // compared per change, in delivery order across changes.
      const changes: string[][] = [];
      const settled = async () => {
        await auto.webhooks.settled();
        const before = changes.flat().length;
        changes.push(received.slice(before).map((r) => r.headers['x-shopify-topic'] as string).sort());
      };
      const o = auto.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 3 }] });
      await settled();
      auto.editOrder(SHOP, o.id, [{ sku: 'MUG-1', delta: -1 }]);
      await settled();
      const fo = auto.order(SHOP, o.id).fulfillmentOrders[0]!;
      auto.store.createFulfillment(auto.store.shop(SHOP), { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems[0]!.id, quantity: 1 }] }] }, null);
      await settled();
      auto.cancelOrder(SHOP, o.id);
      await settled();
      expect(changes).toEqual([
        ['orders/create'], // orders/paid not subscribed
        ['orders/edited', 'orders/updated'],
        ['orders/partially_fulfilled', 'orders/updated'],
        ['orders/cancelled', 'orders/updated'],
      ]);
      expect(received.every((r) => r.validation.valid)).toBe(true);
      const events = received.map((r) => r.headers['x-shopify-event-id']);
      expect(events[1]).toBe(events[2]); // one edit → edited + updated share the event id
      expect(events[0]).not.toBe(events[1]);
      expect(new Set(received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(7);
      const edited = JSON.parse(received.find((r) => r.headers['x-shopify-topic'] === 'orders/edited')!.body) as { order_edit: { line_items: { removals: { delta: number }[] } } };
      expect(edited.order_edit.line_items.removals).toMatchObject([{ delta: 1 }]);
    } finally {
      await auto.close();
    }
  });
});
