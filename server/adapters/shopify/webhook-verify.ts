// Verifies a Shopify webhook delivery: HMAC-SHA256 of the raw body bytes with the app secret, compared in
// constant time (crypto.timingSafeEqual), then the headers the library's `shopify.webhooks.validate` requires.
// Same verdicts and fields as the library's validate (test/unit/shopify/webhook-verify.test.ts compares the two
// on valid, tampered, unsigned and header-less deliveries of both header styles); we do not call it on the hot
// path because it cost ~340 µs of CPU per delivery (it canonicalises every request header twice and imports a
// WebCrypto key per call): 30 % of the intake's CPU at 50 connections (docs/shopify.md, "Webhook intake").
// This check costs ~5 µs for a 2 KB body.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Header names as the library spells them (its missing-header reports use these); node lower-cases them. */
const NAMES = {
  webhooks: {
    hmac: 'X-Shopify-Hmac-Sha256',
    topic: 'X-Shopify-Topic',
    domain: 'X-Shopify-Shop-Domain',
    apiVersion: 'X-Shopify-API-Version',
    webhookId: 'X-Shopify-Webhook-Id',
    eventId: 'X-Shopify-Event-Id',
    triggeredAt: 'X-Shopify-Triggered-At',
    subscriptionName: 'X-Shopify-Name',
  },
  events: {
    hmac: 'shopify-hmac-sha256',
    topic: 'shopify-topic',
    domain: 'shopify-shop-domain',
    apiVersion: 'shopify-api-version',
    webhookId: 'shopify-webhook-id',
    eventId: 'shopify-event-id',
    triggeredAt: 'shopify-triggered-at',
    subscriptionName: 'shopify-handle',
  },
} as const;

/** The library's reasons (ValidationErrorReason / WebhookValidationErrorReason), so logs and answers stay the same. */
export type WebhookRejection =
  | { valid: false; reason: 'missing_body' | 'missing_hmac' | 'invalid_hmac' }
  | { valid: false; reason: 'missing_headers'; missingHeaders: string[] };

export interface VerifiedWebhook {
  valid: true;
  webhookType: 'webhooks' | 'events';
  /** As sent, e.g. `orders/create`. */
  topic: string;
  domain: string;
  apiVersion: string;
  webhookId: string;
  /** Required for the events style, optional for webhooks. */
  eventId?: string;
  triggeredAt?: string;
  /** Webhooks style: the subscription's name; events style: its handle. */
  subscriptionName?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : undefined;
}

export function verifyWebhook(secret: string, rawBody: Buffer, headers: IncomingHttpHeaders): VerifiedWebhook | WebhookRejection {
  // The events style is recognised by its own HMAC header, as the library does.
  const type = header(headers, NAMES.events.hmac) ? 'events' : 'webhooks';
  const names = NAMES[type];
  if (rawBody.length === 0) return { valid: false, reason: 'missing_body' };
  const given = header(headers, names.hmac);
  if (!given) return { valid: false, reason: 'missing_hmac' };
  // Compared as base64 text, like the library; a wrong length cannot match and the length is no secret.
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'));
  const givenBytes = Buffer.from(given);
  if (givenBytes.length !== expected.length || !timingSafeEqual(givenBytes, expected)) return { valid: false, reason: 'invalid_hmac' };

  const required = type === 'events' ? (['topic', 'domain', 'apiVersion', 'webhookId', 'eventId'] as const) : (['topic', 'domain', 'apiVersion', 'webhookId'] as const);
  const missingHeaders = required.filter((key) => !header(headers, names[key])).map((key) => names[key]);
  if (missingHeaders.length) return { valid: false, reason: 'missing_headers', missingHeaders };

  const out: VerifiedWebhook = {
    valid: true,
    webhookType: type,
    topic: header(headers, names.topic)!,
    domain: header(headers, names.domain)!,
    apiVersion: header(headers, names.apiVersion)!,
    webhookId: header(headers, names.webhookId)!,
  };
  for (const key of ['eventId', 'triggeredAt', 'subscriptionName'] as const) {
    const value = header(headers, names[key]);
    if (value) out[key] = value;
  }
  return out;
}
