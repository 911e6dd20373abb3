// POST /webhooks — every Shopify subscription (shopify.app.toml) points here, compliance topics included.
// Raw body (the HMAC is over the exact bytes) → verifyWebhook (constant-time compare; the library's verdicts) → JSON parse
// → one statement: inbox row + webhook.process job (group commit: deliveries arriving together share it)
// → 200. Nothing calls Shopify or the warehouse here, so the answer comes well inside Shopify's 5 s limit.
//   bad/missing HMAC → 401, nothing stored · HMAC ok but a required header missing → 400 · body not JSON → 400
//   duplicate delivery → 200 (nothing new stored) · topic we do not handle → stored as "ignored", 200
// Mount this router before any express.json(): it must see the unparsed body. createApp mounts it ahead of the
// request logger (AppDeps.intakeRouters): it writes its own one line per delivery.
import express, { type ErrorRequestHandler, type Router } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ShopifyApi } from '../adapters/shopify/shopify-api.js';
import { WebhookIntake } from '../adapters/shopify/webhook-intake.js';
import { verifyWebhook } from '../adapters/shopify/webhook-verify.js';
import { pgQuery } from '../db/client.js';

/** Shopify order payloads with hundreds of lines stay far below this; larger bodies get 413. */
export const WEBHOOK_BODY_LIMIT = '2mb';

export interface WebhooksRouteDeps {
  shopify: ShopifyApi;
  /** The app's raw pg pool: the intake's one statement goes through it (server/db/client.ts pgQuery). */
  pool: pg.Pool;
  log: Logger;
  path?: string;
}

export function webhooksRouter(deps: WebhooksRouteDeps): Router {
  const router = express.Router();
  const path = deps.path ?? '/webhooks';
  const intake = new WebhookIntake(pgQuery(deps.pool));
  router.post(path, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res, next) => {
    // One log line per delivery, written here: this route is mounted ahead of the app's request logger
    // (server/http/app.ts) because pino-http serialised every request twice, 15 % of the intake's CPU.
    const started = performance.now();
    const ms = () => Math.round((performance.now() - started) * 10) / 10;
    const webhookId = req.get('x-shopify-webhook-id') ?? req.get('shopify-webhook-id');
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyWebhook(deps.shopify.config.apiSecretKey, raw, req.headers);
      if (!check.valid) {
        // The HMAC is checked before the headers: missing_headers means the signature was good.
        const status = check.reason === 'missing_headers' ? 400 : 401;
        deps.log.warn({ webhookId, status, reason: check.reason, missing: 'missingHeaders' in check ? check.missingHeaders : undefined, ms: ms() }, 'webhook rejected');
        res.status(status).json({ error: status === 401 ? 'unauthorized' : 'bad_request', reason: check.reason });
        return;
      }
      const rawBody = raw.toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(rawBody);
      } catch {
        deps.log.warn({ webhookId, shop: check.domain, topic: check.topic, status: 400, ms: ms() }, 'webhook rejected: body is not JSON');
        res.status(400).json({ error: 'bad_request', message: 'Body is not valid JSON' });
        return;
      }
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
        deps.log.warn({ webhookId, shop: check.domain, topic: check.topic, status: 400, ms: ms() }, 'webhook rejected: body is not a JSON object');
        res.status(400).json({ error: 'bad_request', message: 'Body must be a JSON object' });
        return;
      }
      const result = await intake.submit({
        shop: check.domain,
        topic: check.topic,
        webhookId: check.webhookId,
        eventId: check.eventId ?? null,
        apiVersion: check.apiVersion,
        subscriptionName: check.subscriptionName ?? null,
        triggeredAt: check.triggeredAt ?? null,
        payloadJson: rawBody,
        payload: payload as Record<string, unknown>,
      });
      res.status(200).json({ ok: true, duplicate: !result.stored });
      deps.log.info(
        { shop: check.domain, topic: check.topic, webhookId, status: 200, stored: result.stored, handled: result.stored ? result.handled : undefined, ms: ms() },
        result.stored ? 'webhook stored' : 'webhook duplicate ignored',
      );
    } catch (err) {
      next(err);
    }
  });
  // Failures of this route (body over the limit, database down) are logged here, then answered by the app's
  // JSON error handler. Shopify retries any non-2xx delivery, so nothing accepted is lost.
  router.use(path, ((err, req, _res, next) => {
    const status = typeof err?.status === 'number' ? err.status : 500;
    const webhookId = req.get('x-shopify-webhook-id') ?? req.get('shopify-webhook-id');
    if (status >= 500) deps.log.error({ err, webhookId, status }, 'webhook intake failed');
    else deps.log.warn({ webhookId, status, type: err?.type }, 'webhook rejected');
    next(err);
  }) satisfies ErrorRequestHandler);
  return router;
}
