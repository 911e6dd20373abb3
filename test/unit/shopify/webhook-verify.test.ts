// verifyWebhook replaces the library's shopify.webhooks.validate on the intake's hot path (cost, see the module).
// It must give the same verdict and the same fields on every kind of delivery: each case below goes through both.
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createShopifyApi } from '../../../server/adapters/shopify/shopify-api.js';
import { verifyWebhook } from '../../../server/adapters/shopify/webhook-verify.js';

const SECRET = 'verify-secret-0123456789';
const shopify = createShopifyApi({ apiKey: 'k', apiSecretKey: SECRET, appUrl: 'http://localhost:3000', scopes: [] });

const sign = (body: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

function webhookHeaders(body: string): IncomingHttpHeaders {
  return {
    'x-shopify-hmac-sha256': sign(body),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'verify.myshopify.com',
    'x-shopify-api-version': '2026-04',
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': '2026-12-01T10:00:00.000Z',
    'x-shopify-name': 'orders-create',
  };
}

function eventsHeaders(body: string): IncomingHttpHeaders {
  return {
    'shopify-hmac-sha256': sign(body),
    'shopify-topic': 'orders/create',
    'shopify-shop-domain': 'verify.myshopify.com',
    'shopify-api-version': '2026-04',
    'shopify-webhook-id': randomUUID(),
    'shopify-event-id': randomUUID(),
    'shopify-triggered-at': '2026-12-01T10:00:00.000Z',
    'shopify-handle': 'orders-handle',
  };
}

const without = (h: IncomingHttpHeaders, ...names: string[]) => Object.fromEntries(Object.entries(h).filter(([k]) => !names.includes(k)));

const body = JSON.stringify({ id: 1, line_items: [{ sku: 'A', quantity: 2 }], note: 'Grüße – ✓' });
const cases: [string, string, IncomingHttpHeaders][] = [
  ['valid webhook', body, webhookHeaders(body)],
  ['valid webhook without the optional headers', body, without(webhookHeaders(body), 'x-shopify-event-id', 'x-shopify-triggered-at', 'x-shopify-name')],
  ['valid events-style delivery', body, eventsHeaders(body)],
  ['body changed after signing', body.replace('2', '3'), webhookHeaders(body)],
  ['signed with another secret', body, { ...webhookHeaders(body), 'x-shopify-hmac-sha256': sign(body, 'another-secret') }],
  ['hmac truncated', body, { ...webhookHeaders(body), 'x-shopify-hmac-sha256': sign(body).slice(0, 20) }],
  ['hmac as hex instead of base64', body, { ...webhookHeaders(body), 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('hex') }],
  ['hmac header missing', body, without(webhookHeaders(body), 'x-shopify-hmac-sha256')],
  ['empty body', '', webhookHeaders('')],
  ['signed but topic and webhook id missing', body, without(webhookHeaders(body), 'x-shopify-topic', 'x-shopify-webhook-id')],
  ['signed but shop and api version missing', body, without(webhookHeaders(body), 'x-shopify-shop-domain', 'x-shopify-api-version')],
  ['events style without its event id', body, without(eventsHeaders(body), 'shopify-event-id')],
  ['events style with a bad hmac', body, { ...eventsHeaders(body), 'shopify-hmac-sha256': sign('other') }],
  ['no headers at all', body, {}],
];

describe('verifyWebhook gives the library validate’s verdict', () => {
  it.each(cases)('%s', async (_name, text, headers) => {
    const lib = await shopify.webhooks.validate({ rawBody: text, rawRequest: { headers, method: 'POST', url: '/webhooks' }, rawResponse: {} });
    const ours = verifyWebhook(SECRET, Buffer.from(text), headers);
    expect(ours.valid).toBe(lib.valid);
    if (!lib.valid && !ours.valid) {
      expect(ours.reason).toBe(lib.reason);
      expect('missingHeaders' in ours ? ours.missingHeaders : undefined).toEqual('missingHeaders' in lib ? lib.missingHeaders : undefined);
    }
    if (lib.valid && ours.valid) {
      expect(ours.webhookType).toBe(lib.webhookType);
      expect(ours.domain).toBe(lib.domain);
      expect(ours.apiVersion).toBe(lib.apiVersion);
      expect(ours.webhookId).toBe(lib.webhookId);
      expect(ours.eventId).toBe(lib.eventId);
      expect(ours.triggeredAt).toBe(lib.triggeredAt);
      expect(ours.subscriptionName).toBe(lib.webhookType === 'webhooks' ? lib.name : lib.handle);
      // The library stores the topic as ORDERS_CREATE; we keep it as sent.
      expect(ours.topic).toBe('orders/create');
      expect(lib.topic).toBe('ORDERS_CREATE');
    }
  });

  it('a valid delivery is accepted and a single flipped body byte is refused (the check has teeth)', () => {
    const headers = webhookHeaders(body);
    expect(verifyWebhook(SECRET, Buffer.from(body), headers).valid).toBe(true);
    const flipped = Buffer.from(body);
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyWebhook(SECRET, flipped, headers)).toEqual({ valid: false, reason: 'invalid_hmac' });
  });
});
