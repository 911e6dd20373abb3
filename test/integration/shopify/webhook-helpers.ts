// Shared by the Shopify integration tests: a signed delivery exactly as Shopify sends it.
import { createHmac, randomUUID } from 'node:crypto';

export const API_KEY = 'test-api-key';
export const API_SECRET = 'test-api-secret-0123456789';
export const SHOP = 'wms-test.myshopify.com';

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

export function signedDelivery(
  topic: string,
  payload: unknown,
  opts: { shop?: string; webhookId?: string; eventId?: string; triggeredAt?: string; secret?: string } = {},
): SignedDelivery {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', opts.secret ?? API_SECRET).update(body, 'utf8').digest('base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': opts.shop ?? SHOP,
      'x-shopify-api-version': '2026-04',
      'x-shopify-webhook-id': opts.webhookId ?? randomUUID(),
      'x-shopify-event-id': opts.eventId ?? randomUUID(),
      'x-shopify-triggered-at': opts.triggeredAt ?? new Date().toISOString(),
    },
  };
}

export async function post(base: string, d: SignedDelivery, path = '/webhooks'): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: d.headers, body: d.body });
}
