// Sends webhooks like Shopify: POST, raw JSON body, HMAC-SHA256 (base64) of the raw body keyed with the app's
// client secret, the X-Shopify-* headers, retries of the SAME delivery (same webhook id) on any non-2xx or
// network failure. Real Shopify: 8 retries over 4 h, 5 s total timeout; tests configure a short schedule.
import crypto from 'node:crypto';

export const WEBHOOK_TIMEOUT_MS = 5_000; // Shopify's total delivery timeout (reference §1.2)

export interface WebhookAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  attempts: WebhookAttempt[];
  delivered: boolean;
}

export interface SendWebhookOptions {
  shop: string;
  /** REST form, e.g. "orders/create". */
  topic: string;
  payload: unknown;
  /** Defaults to the simulator's webhookUrl. */
  url?: string;
  /** Stable across retries; default a fresh UUID. Pass the same id to simulate a redelivery. */
  webhookId?: string;
  /** Same for every webhook of one event; default a fresh UUID. */
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
  /** X-Shopify-Name (the subscription's name), when set. */
  name?: string;
  /** Sign with this secret instead of the app's (e.g. admin-created webhooks, forged deliveries). */
  secret?: string;
  /** Replace the signature header value (e.g. "" or garbage). */
  hmacOverride?: string;
  /** Waits before each retry (ms). Default: the simulator's schedule. [] = no retries. */
  retryScheduleMs?: number[];
  /** Extra headers, or null to drop one of the defaults (e.g. {"X-Shopify-Webhook-Id": null}). */
  headers?: Record<string, string | null>;
}

export function hmacBase64(body: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private readonly cfg: {
      apiSecret: string;
      apiVersion: string;
      defaultUrl: () => string | undefined;
      retryScheduleMs: number[];
      nowIso: () => string;
    },
  ) {}

  prepare(o: SendWebhookOptions): WebhookDelivery {
    const url = o.url ?? this.cfg.defaultUrl();
    if (!url) throw new Error('simulator: no webhook url (pass url or set webhookUrl in startShopifySimulator)');
    const body = typeof o.payload === 'string' ? o.payload : JSON.stringify(o.payload);
    const webhookId = o.webhookId ?? crypto.randomUUID();
    const eventId = o.eventId ?? crypto.randomUUID();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Shopify-Hmac-Sha256': o.hmacOverride ?? hmacBase64(body, o.secret ?? this.cfg.apiSecret),
      'X-Shopify-Topic': o.topic,
      'X-Shopify-Shop-Domain': o.shop,
      'X-Shopify-API-Version': o.apiVersion ?? this.cfg.apiVersion,
      'X-Shopify-Webhook-Id': webhookId,
      'X-Shopify-Event-Id': eventId,
      'X-Shopify-Triggered-At': o.triggeredAt ?? this.cfg.nowIso(),
      'User-Agent': 'Shopify-Captain-Hook',
    };
    if (o.name) headers['X-Shopify-Name'] = o.name;
    for (const [k, v] of Object.entries(o.headers ?? {})) {
      const existing = Object.keys(headers).find((h) => h.toLowerCase() === k.toLowerCase());
      if (existing) delete headers[existing];
      if (v !== null) headers[k] = v;
    }
    return { webhookId, eventId, topic: o.topic, shop: o.shop, url, body, headers, attempts: [], delivered: false };
  }

  /** One POST of a prepared delivery; records the attempt. */
  async attempt(d: WebhookDelivery): Promise<boolean> {
    const at = this.cfg.nowIso();
    try {
      const res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), redirect: 'manual' });
      await res.arrayBuffer().catch(() => undefined);
      // Shopify counts anything but 2xx (3xx included) as a failure.
      const ok = res.status >= 200 && res.status < 300;
      d.attempts.push({ at, status: res.status, error: null });
      return ok;
    } catch (e) {
      d.attempts.push({ at, status: null, error: (e as Error).message });
      return false;
    }
  }

  /** Delivers with retries; resolves when delivered or the schedule is exhausted. */
  async send(o: SendWebhookOptions): Promise<WebhookDelivery> {
    const d = this.prepare(o);
    this.deliveries.push(d);
    return this.deliver(d, o.retryScheduleMs ?? this.cfg.retryScheduleMs);
  }

  async deliver(d: WebhookDelivery, schedule: number[]): Promise<WebhookDelivery> {
    if (await this.attempt(d)) {
      d.delivered = true;
      return d;
    }
    for (const wait of schedule) {
      await new Promise((r) => setTimeout(r, wait));
      if (await this.attempt(d)) {
        d.delivered = true;
        return d;
      }
    }
    return d;
  }

  /** The same delivery (same webhook id, body, headers) POSTed `times` times — Shopify's at-least-once. */
  async sendDuplicates(o: SendWebhookOptions, times: number): Promise<WebhookDelivery> {
    const d = this.prepare(o);
    this.deliveries.push(d);
    for (let i = 0; i < times; i++) {
      if (await this.attempt(d)) d.delivered = true;
    }
    return d;
  }

  /**
   * Several webhooks delivered in the given order (e.g. reverse of event order, to test ordering) one after
   * another; each with its own retries.
   */
  async sendSequence(list: SendWebhookOptions[], order: 'as-given' | 'reverse' = 'as-given'): Promise<WebhookDelivery[]> {
    const seq = order === 'reverse' ? [...list].reverse() : list;
    const out: WebhookDelivery[] = [];
    for (const o of seq) out.push(await this.send(o));
    return out;
  }
}
