// Shopify simulator: a real HTTP server for tests and the demo. Token exchange/refresh, Admin GraphQL 2026-04
// (validated against Shopify's published schema, executed by simulator resolvers), cost throttling, a webhook
// sender that signs like Shopify, session-token minting, and a control API (methods here + /__sim routes).
// How to call it: docs/shopify-simulator.md.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { ADMIN_API_VERSION, loadAdminSchema } from './admin-schema.js';
import { runGraphql, type BucketState, type ThrottleConfig } from './graphql-handler.js';
import {
  customersDataRequestPayload,
  customersRedactPayload,
  orderEditedPayload,
  orderPayload,
  refundPayload,
  returnPayload,
  shopPayload,
  shopRedactPayload,
} from './payloads.js';
import { mintSessionToken, verifySessionToken, type SessionTokenClaims } from './session-token.js';
import { gid, normaliseShopDomain, onHand, type SimShop } from './state.js';
import { ShopStore, SimError, type SeedOrder, type SeedProduct, type SeedShop } from './store.js';
import { WebhookSender, type SendWebhookOptions, type WebhookDelivery } from './webhook-sender.js';

export { ADMIN_API_VERSION, loadAdminSchema } from './admin-schema.js';
export { mintSessionToken, verifySessionToken } from './session-token.js';
export { hmacBase64 } from './webhook-sender.js';
export type { SeedOrder, SeedProduct, SeedShop } from './store.js';
export type { WebhookDelivery, SendWebhookOptions } from './webhook-sender.js';

export const SIM_API_KEY = 'sim-api-key';
export const SIM_API_SECRET = 'sim-api-secret';
/** Scopes granted when the caller does not say (what a WMS connector typically asks for). */
export const SIM_DEFAULT_SCOPES = [
  'read_orders',
  'read_products',
  'read_inventory',
  'write_inventory',
  'read_locations',
  'read_merchant_managed_fulfillment_orders',
  'write_merchant_managed_fulfillment_orders',
  'read_returns',
];

export interface ShopifySimulatorOptions {
  /** App credentials the tokens and webhooks are signed with. */
  apiKey?: string;
  apiSecret?: string;
  /** Scopes granted on token exchange (answered in `scope`). */
  scopes?: string[];
  /** Port (default: any free port). Host is always 127.0.0.1. */
  port?: number;
  /** Default target of webhooks (the app's /webhooks URL). Can be set later with setWebhookUrl. */
  webhookUrl?: string;
  /** Waits between webhook retries (ms). Shopify: 8 retries over 4 h; default here 3 quick ones. */
  webhookRetryScheduleMs?: number[];
  /** Leaky bucket per shop. Shopify Standard: 2000 points, 100/s restore, 1000 max per query. */
  throttle?: Partial<ThrottleConfig>;
  /** Expiring offline access token lifetime (s). Shopify: about one hour. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime (s). [unverified] Shopify: 90 days. */
  refreshTokenTtlSeconds?: number;
  /** Freezes the simulator clock at this time (ms since epoch); it then moves only by clock.advance/set. */
  startTime?: number;
  /** Seed shops at start. */
  shops?: SeedShop[];
  /** Deny fields the access token's scopes do not cover (ACCESS_DENIED, from offline_scopes). Default true. */
  enforceScopes?: boolean;
  /**
   * Topics the simulator sends by itself when its data changes (like the app's TOML subscriptions), to the
   * webhookUrl: orders/create|paid|updated|cancelled|edited|fulfilled|partially_fulfilled, returns/request|approve.
   * Default none (tests send webhooks explicitly). Await sim.webhooks.settled() for them to finish.
   */
  webhookTopics?: string[];
  /** Base callback URL of the app's fulfilment service (…/fulfillment_order_notification is appended). */
  fulfillmentServiceCallbackUrl?: string;
  /** Protected customer data access granted to the app (default true). false: PII is null everywhere. */
  protectedCustomerData?: boolean;
  /** Create an unknown shop on token exchange (Shopify-managed install). Default true. */
  autoCreateShops?: boolean;
}

export interface CallRecord {
  at: string;
  shop: string | null;
  path: string;
  status: number;
  operationName: string | null;
  rootFields: string[];
  requestedCost: number | null;
  throttled: boolean;
  errorCodes: string[];
  query: string | null;
  variables: unknown;
}

interface AccessTokenRecord {
  shop: string;
  scope: string;
  expiresAt: number | null;
  revoked: boolean;
}

interface RefreshTokenRecord {
  shop: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

interface ForcedFault {
  status: number;
  remaining: number;
  retryAfterSeconds?: number;
}

export type ShopifySimulator = Awaited<ReturnType<typeof startShopifySimulator>>;

const SHOP_HEADER = 'x-sim-shop';

export async function startShopifySimulator(opts: ShopifySimulatorOptions = {}) {
  loadAdminSchema(); // parse once up front (≈100 ms) rather than inside the first request
  const apiKey = opts.apiKey ?? SIM_API_KEY;
  const apiSecret = opts.apiSecret ?? SIM_API_SECRET;
  let scopes = (opts.scopes ?? SIM_DEFAULT_SCOPES).join(',');
  const throttleCfg: ThrottleConfig = { maximumAvailable: 2000, restoreRate: 100, maxQueryCost: 1000, ...opts.throttle };
  const accessTtl = opts.accessTokenTtlSeconds ?? 3600;
  const refreshTtl = opts.refreshTokenTtlSeconds ?? 90 * 24 * 3600;
  const autoCreate = opts.autoCreateShops ?? true;
  const enforceScopes = opts.enforceScopes ?? true;

  // With startTime the clock is frozen (moves only by advance/set): throttle refill and token expiry become
  // deterministic in tests. Without it, real time (plus any advance).
  let frozenAt = opts.startTime;
  let offset = 0;
  const clock = {
    now: () => (frozenAt !== undefined ? frozenAt : Date.now() + offset),
    advance: (ms: number) => {
      if (frozenAt !== undefined) frozenAt += ms;
      else offset += ms;
    },
    set: (ms: number) => {
      if (frozenAt !== undefined) frozenAt = ms;
      else offset = ms - Date.now();
    },
  };
  const store = new ShopStore(clock);
  for (const s of opts.shops ?? []) store.seedShop(s);
  store.protectedCustomerData = opts.protectedCustomerData ?? true;

  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  const buckets = new Map<string, BucketState>();
  const calls: CallRecord[] = [];
  const unsupportedFields = new Set<string>();
  let forceThrottled = 0;
  const faults: ForcedFault[] = [];
  let webhookUrl = opts.webhookUrl;

  const webhooks = new WebhookSender({
    apiSecret,
    apiVersion: ADMIN_API_VERSION,
    defaultUrl: () => webhookUrl,
    retryScheduleMs: opts.webhookRetryScheduleMs ?? [50, 100, 200],
    nowIso: () => store.nowIso(),
  });

  // Automatic webhooks: one event id per change, one delivery per subscribed topic, payload rendered now
  // (retries carry the original payload, as Shopify's do).
  const subscribed = new Set(opts.webhookTopics ?? []);
  const pending = new Set<Promise<unknown>>();
  store.onEvent = (e) => {
    if (subscribed.size === 0 || !webhookUrl) return;
    const s = store.shop(e.shop);
    const order = s.orders.get(e.orderId)!;
    const fulfilledAll = order.lineItems.every((li) => order.fulfillmentIds.flatMap((id) => s.fulfillments.get(id)!.lineItems).filter((l) => l.lineItemId === li.id).reduce((n, l) => n + l.quantity, 0) >= li.currentQuantity);
    const topics: [string, unknown][] = [];
    const full = () => orderPayload(s, store.view(order));
    switch (e.kind) {
      case 'order_created':
        topics.push(['orders/create', full()]);
        if (order.financialStatus === 'PAID') topics.push(['orders/paid', full()]);
        break;
      case 'order_cancelled':
        topics.push(['orders/cancelled', full()], ['orders/updated', full()]);
        break;
      case 'order_edited':
        topics.push(['orders/edited', orderEditedPayload(order, e.edit)], ['orders/updated', full()]);
        break;
      case 'order_fulfilled':
        topics.push([fulfilledAll ? 'orders/fulfilled' : 'orders/partially_fulfilled', full()], ['orders/updated', full()]);
        break;
      case 'order_updated':
        topics.push(['orders/updated', full()]);
        break;
      case 'return_created': {
        const r = s.returns.get(e.returnId)!;
        topics.push([r.status === 'REQUESTED' ? 'returns/request' : 'returns/approve', returnPayload(s, r)]);
        break;
      }
    }
    const eventId = crypto.randomUUID();
    for (const [topic, payload] of topics) {
      if (!subscribed.has(topic)) continue;
      const p = webhooks.send({ shop: s.domain, topic, payload, eventId }).finally(() => pending.delete(p));
      pending.add(p);
    }
  };

  function bucketFor(shop: string): BucketState {
    let b = buckets.get(shop);
    if (!b) {
      b = { available: throttleCfg.maximumAvailable, at: clock.now() };
      buckets.set(shop, b);
    }
    return b;
  }

  function issueAccessToken(shop: string, o: { expiring?: boolean; ttlSeconds?: number; scope?: string } = {}): {
    access_token: string;
    scope: string;
    expires_in?: number;
    refresh_token?: string;
    refresh_token_expires_in?: number;
  } {
    const domain = normaliseShopDomain(shop);
    const token = `shpat_${crypto.randomBytes(16).toString('hex')}`;
    const scope = o.scope ?? scopes;
    if (!o.expiring) {
      accessTokens.set(token, { shop: domain, scope, expiresAt: null, revoked: false });
      return { access_token: token, scope };
    }
    const ttl = o.ttlSeconds ?? accessTtl;
    accessTokens.set(token, { shop: domain, scope, expiresAt: clock.now() + ttl * 1000, revoked: false });
    const refresh = `shprt_${crypto.randomBytes(16).toString('hex')}`;
    refreshTokens.set(refresh, { shop: domain, scope, expiresAt: clock.now() + refreshTtl * 1000, used: false });
    return { access_token: token, scope, expires_in: ttl, refresh_token: refresh, refresh_token_expires_in: refreshTtl };
  }

  /** Shop of a request: /s/<shop>/admin/… path, x-sim-shop, X-Forwarded-Host, or a *.myshopify.com Host. */
  function shopOf(req: Request): string | null {
    const fromPath = (req.params as Record<string, string | undefined>).shop;
    const candidates = [fromPath, req.get(SHOP_HEADER), req.get('x-forwarded-host'), req.get('host')];
    for (const c of candidates) {
      if (!c) continue;
      const host = c.split(',')[0]!.trim().replace(/:\d+$/, '').toLowerCase();
      if (c === fromPath || c === req.get(SHOP_HEADER)) return normaliseShopDomain(host);
      if (host.endsWith('.myshopify.com')) return host;
    }
    return null;
  }

  const app = express();
  app.disable('x-powered-by');

  // ---- OAuth token endpoint ----------------------------------------------------------------------------
  const tokenRoute = async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const shop = shopOf(req);
    const record = (status: number) =>
      calls.push({ at: store.nowIso(), shop, path: req.path, status, operationName: `oauth:${body.grant_type ?? ''}`, rootFields: [], requestedCost: null, throttled: false, errorCodes: [], query: null, variables: null });
    if (!shop) {
      record(400);
      return res.status(400).json({ error: 'invalid_request', error_description: 'simulator: cannot tell the shop (use /s/<shop>/admin/…, x-sim-shop or a *.myshopify.com Host)' });
    }
    if (body.client_id !== apiKey || body.client_secret !== apiSecret) {
      record(401);
      return res.status(401).json({ error: 'invalid_client', error_description: 'Client credentials are invalid' });
    }
    if (body.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      if (body.subject_token_type !== 'urn:ietf:params:oauth:token-type:id_token') {
        record(400);
        return res.status(400).json({ error: 'invalid_request', error_description: 'subject_token_type must be an id_token' });
      }
      const v = verifySessionToken(body.subject_token ?? '', apiKey, apiSecret, Math.floor(clock.now() / 1000));
      if (!v.ok || new URL(v.claims.dest).hostname !== shop) {
        record(400);
        return res.status(400).json({ error: 'invalid_subject_token', error_description: v.ok ? 'Session token does not belong to this shop' : `Session token is invalid: ${v.reason}` });
      }
      if (!store.hasShop(shop)) {
        if (!autoCreate) {
          record(400);
          return res.status(400).json({ error: 'invalid_request', error_description: `simulator: unknown shop ${shop}` });
        }
        store.seedShop({ shop });
      }
      if (body.requested_token_type === 'urn:shopify:params:oauth:token-type:online-access-token') {
        const t = issueAccessToken(shop, { expiring: true, ttlSeconds: 86399 });
        record(200);
        return res.json({
          access_token: t.access_token,
          scope: t.scope,
          expires_in: 86399,
          associated_user_scope: t.scope,
          associated_user: { id: Number(v.claims.sub), first_name: 'Sim', last_name: 'Staff', email: 'staff@example.com', email_verified: true, account_owner: true, locale: 'en', collaborator: false },
        });
      }
      if (body.requested_token_type !== 'urn:shopify:params:oauth:token-type:offline-access-token') {
        record(400);
        return res.status(400).json({ error: 'invalid_request', error_description: 'requested_token_type is invalid' });
      }
      record(200);
      return res.json(issueAccessToken(shop, { expiring: body.expiring === '1' || String(body.expiring) === 'true' }));
    }
    if (body.grant_type === 'refresh_token') {
      const r = refreshTokens.get(body.refresh_token ?? '');
      if (!r || r.used || r.shop !== shop || r.expiresAt <= clock.now()) {
        record(400);
        return res.status(400).json({ error: 'invalid_grant', error_description: 'Refresh token is invalid, expired or already used' });
      }
      // Rotation: a refresh token works once; the answer carries a new one.
      r.used = true;
      record(200);
      return res.json(issueAccessToken(shop, { expiring: true, scope: r.scope }));
    }
    record(400);
    return res.status(400).json({ error: 'unsupported_grant_type', error_description: `grant_type ${body.grant_type} is not supported` });
  };
  const tokenBody = [express.json({ limit: '1mb' }), express.urlencoded({ extended: false })];
  app.post('/admin/oauth/access_token', ...tokenBody, tokenRoute);
  app.post('/s/:shop/admin/oauth/access_token', ...tokenBody, tokenRoute);

  // ---- Admin GraphQL ------------------------------------------------------------------------------------
  const graphqlRoute = (req: Request, res: Response) => {
    const shop = shopOf(req);
    const version = (req.params as Record<string, string>).version;
    const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    const rec: CallRecord = {
      at: store.nowIso(),
      shop,
      path: req.path,
      status: 200,
      operationName: typeof body.operationName === 'string' ? body.operationName : null,
      rootFields: [],
      requestedCost: null,
      throttled: false,
      errorCodes: [],
      query: typeof body.query === 'string' ? body.query : null,
      variables: body.variables ?? null,
    };
    calls.push(rec);
    const fault = faults[0];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.shift();
      rec.status = fault.status;
      if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
      const msg = fault.status === 429 ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' : 'Internal Server Error';
      return res.status(fault.status).json({ errors: msg });
    }
    const token = req.get('x-shopify-access-token');
    const t = token ? accessTokens.get(token) : undefined;
    if (!shop || !t || t.revoked || t.shop !== shop || (t.expiresAt !== null && t.expiresAt <= clock.now())) {
      rec.status = 401;
      return res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    if (version !== ADMIN_API_VERSION) {
      rec.status = 404;
      return res.status(404).json({ errors: `simulator: only API version ${ADMIN_API_VERSION} is simulated (got ${version})` });
    }
    const simShop = store.shop(shop);
    const forced = forceThrottled > 0;
    if (forced) forceThrottled -= 1;
    let outcome;
    try {
      const granted = enforceScopes ? t.scope.split(',').filter(Boolean) : null;
      outcome = runGraphql(body, { shop: simShop, store, scopes: granted ?? undefined }, bucketFor(shop), throttleCfg, clock.now(), forced, granted);
    } catch (e) {
      rec.status = 500;
      const message = e instanceof SimError ? e.message : `simulator crashed: ${(e as Error).stack}`;
      return res.status(500).json({ errors: message });
    }
    Object.assign(rec, { rootFields: outcome.rootFields, requestedCost: outcome.requestedCost, throttled: outcome.throttled, errorCodes: outcome.errorCodes });
    for (const f of outcome.unsupported) {
      if (!unsupportedFields.has(f)) console.error(`[shopify-sim] unsupported field requested: ${f}`);
      unsupportedFields.add(f);
    }
    res.set('X-Shopify-API-Version', ADMIN_API_VERSION);
    res.set('X-Request-Id', crypto.randomUUID());
    return res.status(200).json(outcome.body);
  };
  const gqlBody = express.json({ limit: '5mb' });
  app.post('/admin/api/:version/graphql.json', gqlBody, graphqlRoute);
  app.post('/s/:shop/admin/api/:version/graphql.json', gqlBody, graphqlRoute);

  // ---- control API ----------------------------------------------------------------------------------------
  const ctl = express.Router();
  ctl.use(express.json({ limit: '5mb' }));
  ctl.get('/health', (_req, res) => void res.json({ ok: true, apiVersion: ADMIN_API_VERSION }));
  ctl.post('/shops', (req, res) => void res.json(snapshot(store.seedShop(req.body as SeedShop))));
  ctl.get('/shops/:shop', (req, res) => void res.json(snapshot(store.shop(req.params.shop!))));
  ctl.post('/shops/:shop/products', (req, res) => {
    store.addProduct(req.params.shop!, req.body as SeedProduct);
    res.json(snapshot(store.shop(req.params.shop!)));
  });
  ctl.post('/shops/:shop/orders', (req, res) => {
    const o = store.addOrder(req.params.shop!, req.body as SeedOrder);
    res.json(orderSummary(store.shop(req.params.shop!), o.id));
  });
  // :id is the numeric id or the URL-encoded gid.
  const orderIdParam = (id: string) => Number(decodeURIComponent(id).split('/').pop());
  ctl.post('/shops/:shop/orders/:id/cancel', (req, res) => {
    const o = store.cancelOrder(req.params.shop!, orderIdParam(req.params.id!));
    res.json(orderSummary(store.shop(req.params.shop!), o.id));
  });
  ctl.post('/shops/:shop/orders/:id/edit', (req, res) => {
    const b = req.body as { changes: { sku: string; delta: number }[] };
    const id = orderIdParam(req.params.id!);
    store.editOrder(req.params.shop!, id, b.changes);
    res.json(orderSummary(store.shop(req.params.shop!), id));
  });
  ctl.post('/shops/:shop/orders/:id/returns', (req, res) => {
    const b = req.body as { lines: Parameters<ShopStore['createReturn']>[2]; status?: Parameters<ShopStore['createReturn']>[3] };
    const r = store.createReturn(req.params.shop!, orderIdParam(req.params.id!), b.lines, b.status);
    res.json({ id: gid('Return', r.id), name: r.name, status: r.status });
  });
  ctl.get('/shops/:shop/inventory', (req, res) => {
    const q = store.quantities(req.params.shop!, String(req.query.sku), req.query.location as string | undefined);
    res.status(q ? 200 : 404).json(q ?? { error: 'not stocked' });
  });
  ctl.get('/shops/:shop/fulfillments', (req, res) => void res.json(fulfillments(req.params.shop!)));
  ctl.post('/session-token', (req, res) => {
    const b = req.body as { shop: string; variant?: SessionTokenVariant; claims?: Partial<SessionTokenClaims> };
    res.json({ token: sessionToken(b.shop, b.variant, b.claims) });
  });
  ctl.post('/access-token', (req, res) => {
    const b = req.body as { shop: string; expiring?: boolean };
    if (!store.hasShop(b.shop)) store.seedShop({ shop: b.shop });
    res.json(issueAccessToken(b.shop, { expiring: b.expiring }));
  });
  ctl.post('/throttle', (req, res) => {
    const b = req.body as Partial<ThrottleConfig> & { forceThrottled?: number };
    control.throttle.configure(b);
    if (b.forceThrottled) control.throttle.forceThrottled(b.forceThrottled);
    res.json({ ...throttleCfg, forceThrottled });
  });
  ctl.post('/faults', (req, res) => {
    const b = req.body as { status: number; times?: number; retryAfterSeconds?: number };
    control.faults.failNext(b.times ?? 1, b.status, b.retryAfterSeconds);
    res.json({ queued: faults.length });
  });
  ctl.post('/webhooks', async (req, res) => {
    const b = req.body as SendWebhookOptions & { orderId?: number; duplicates?: number };
    const payload = b.payload ?? (b.orderId !== undefined ? orderPayload(store.shop(b.shop), store.view(store.shop(b.shop).orders.get(b.orderId)!)) : {});
    const opts = { ...b, shop: normaliseShopDomain(b.shop), payload };
    const d = b.duplicates ? await webhooks.sendDuplicates(opts, b.duplicates) : await webhooks.send(opts);
    res.json(d);
  });
  ctl.post('/clock', (req, res) => {
    const b = req.body as { advanceMs?: number; set?: number };
    if (b.advanceMs) clock.advance(b.advanceMs);
    if (b.set !== undefined) clock.set(b.set);
    res.json({ now: new Date(clock.now()).toISOString() });
  });
  ctl.get('/calls', (_req, res) => void res.json(calls));
  ctl.delete('/calls', (_req, res) => {
    calls.length = 0;
    res.json({ ok: true });
  });
  ctl.use((err: unknown, _req: Request, res: Response, _next: unknown) => {
    void _next;
    res.status(err instanceof SimError ? 404 : 500).json({ error: (err as Error).message });
  });
  app.use('/__sim', ctl);
  app.use((req, res) => void res.status(404).json({ errors: `simulator: no route ${req.method} ${req.path}` }));
  // Malformed JSON bodies and other parser failures: a JSON 400 like Shopify, never express's HTML page.
  app.use((err: { status?: number; message?: string }, _req: Request, res: Response, _next: unknown) => {
    void _next;
    res.status(err.status && err.status < 500 ? err.status : 500).json({ errors: err.message ?? 'simulator error' });
  });

  type SessionTokenVariant = 'valid' | 'expired' | 'forged' | 'other-app' | 'not-yet-valid' | 'other-shop';
  function sessionToken(shop: string, variant: SessionTokenVariant = 'valid', claims?: Partial<SessionTokenClaims>): string {
    const now = Math.floor(clock.now() / 1000);
    const base = { shop, apiKey, apiSecret, now, claims };
    switch (variant) {
      case 'expired':
        // Past shopify-api's 10 s clock tolerance.
        return mintSessionToken({ ...base, now: now - 600 });
      case 'not-yet-valid':
        return mintSessionToken({ ...base, now: now + 600 });
      case 'forged':
        return mintSessionToken({ ...base, apiSecret: `${apiSecret}-forged` });
      case 'other-app':
        return mintSessionToken({ ...base, apiKey: 'another-apps-key', apiSecret: 'another-apps-secret' });
      case 'other-shop':
        return mintSessionToken({ ...base, shop: 'someone-else' });
      default:
        return mintSessionToken(base);
    }
  }

  function snapshot(shop: SimShop) {
    return {
      shop: shop.domain,
      locations: [...shop.locations.values()].map((l) => ({ id: gid('Location', l.id), name: l.name, isActive: l.isActive })),
      variants: [...shop.variants.values()].map((v) => {
        const item = shop.inventoryItems.get(v.inventoryItemId)!;
        return {
          id: gid('ProductVariant', v.id),
          productId: gid('Product', v.productId),
          sku: v.sku,
          inventoryItemId: gid('InventoryItem', item.id),
          tracked: item.tracked,
          levels: [...item.levels.values()].map((l) => ({ locationId: gid('Location', l.locationId), ...l.quantities, on_hand: onHand(l.quantities) })),
        };
      }),
      orders: [...shop.orders.keys()].map((id) => orderSummary(shop, id)),
    };
  }

  function orderSummary(shop: SimShop, orderId: number) {
    const o = shop.orders.get(orderId)!;
    return {
      id: gid('Order', o.id),
      legacyId: o.id,
      name: o.name,
      updatedAt: o.updatedAt,
      cancelledAt: o.cancelledAt,
      lineItems: o.lineItems.map((l) => ({ id: gid('LineItem', l.id), sku: l.sku, quantity: l.quantity, currentQuantity: l.currentQuantity })),
      fulfillmentOrders: o.fulfillmentOrderIds.map((id) => {
        const fo = shop.fulfillmentOrders.get(id)!;
        return {
          id: gid('FulfillmentOrder', fo.id),
          status: fo.status,
          requestStatus: fo.requestStatus,
          locationId: gid('Location', fo.locationId),
          lineItems: fo.lineItems.map((l) => ({
            id: gid('FulfillmentOrderLineItem', l.id),
            lineItemId: gid('LineItem', l.lineItemId),
            sku: o.lineItems.find((x) => x.id === l.lineItemId)?.sku ?? null,
            totalQuantity: l.totalQuantity,
            remainingQuantity: l.remainingQuantity,
          })),
        };
      }),
      fulfillments: o.fulfillmentIds.map((id) => fulfillmentSummary(shop, id)),
      returns: o.returnIds.map((id) => ({ id: gid('Return', id), status: shop.returns.get(id)!.status })),
    };
  }

  function fulfillmentSummary(shop: SimShop, id: number) {
    const f = shop.fulfillments.get(id)!;
    const o = shop.orders.get(f.orderId)!;
    return {
      id: gid('Fulfillment', f.id),
      orderId: gid('Order', f.orderId),
      status: f.status,
      notifyCustomer: f.notifyCustomer,
      trackingInfo: f.trackingInfo,
      createdAt: f.createdAt,
      lineItems: f.lineItems.map((l) => ({
        fulfillmentOrderId: gid('FulfillmentOrder', l.fulfillmentOrderId),
        fulfillmentOrderLineItemId: gid('FulfillmentOrderLineItem', l.fulfillmentOrderLineItemId),
        sku: o.lineItems.find((x) => x.id === l.lineItemId)?.sku ?? null,
        quantity: l.quantity,
      })),
    };
  }

  function fulfillments(shop: string) {
    const s = store.shop(shop);
    return [...s.fulfillments.keys()].map((id) => fulfillmentSummary(s, id));
  }

  let fulfillmentServiceCallbackUrl = opts.fulfillmentServiceCallbackUrl;
  /** Shopify's fulfilment-service callback: a signed POST carrying only the kind (no order data). */
  function notify(shop: string, kind: 'FULFILLMENT_REQUEST' | 'CANCELLATION_REQUEST'): Promise<WebhookDelivery> {
    return webhooks.send({
      shop: normaliseShopDomain(shop),
      topic: 'fulfillment_order_notification',
      url: `${fulfillmentServiceCallbackUrl!.replace(/\/$/, '')}/fulfillment_order_notification`,
      payload: { kind },
    });
  }
  function orderSummaryOfFo(shop: string, foGid: string) {
    const s = store.shop(shop);
    const fo = s.fulfillmentOrders.get(Number(foGid.split('/').pop()))!;
    return orderSummary(s, fo.orderId);
  }

  const server = http.createServer(app);
  // Keep-alive sockets would hold close() open for the app's fetch pool; tests want a prompt close.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const control = {
    url,
    port,
    apiKey,
    apiSecret,
    apiVersion: ADMIN_API_VERSION,
    /** GraphQL endpoint for a shop, with the shop in the path (no header needed). */
    graphqlUrl: (shop: string) => `${url}/s/${normaliseShopDomain(shop)}/admin/api/${ADMIN_API_VERSION}/graphql.json`,
    /** Rewrites "https://<shop>.myshopify.com/…" (what shopify-api requests) to this simulator. */
    rewriteUrl: (shopifyUrl: string): string => {
      const u = new URL(shopifyUrl);
      if (!u.hostname.endsWith('.myshopify.com')) return shopifyUrl;
      return `${url}/s/${u.hostname}${u.pathname}${u.search}`;
    },
    /** A fetch that sends shopify-api's https://{shop}/admin/… requests here (pass to setAbstractFetchFunc). */
    fetch: ((input: string | URL | globalThis.Request, init?: RequestInit) => {
      const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return fetch(control.rewriteUrl(target), init);
    }) as typeof fetch,
    store,
    clock,
    seedShop: (s: SeedShop) => snapshot(store.seedShop(s)),
    addProduct: (shop: string, p: SeedProduct) => store.addProduct(shop, p),
    addLocation: (shop: string, l: { name: string; isActive?: boolean; isFulfillmentService?: boolean; fulfillsOnlineOrders?: boolean }) =>
      gid('Location', store.addLocation(shop, l).id),
    /**
     * Fulfilment-service handshake (model A, reference §5.1) for FOs at a location with isFulfillmentService:
     * the merchant side of it. The app answers with the fulfillmentOrderAccept/Reject… mutations.
     */
    fulfillmentService: {
      /** UNSUBMITTED → SUBMITTED, then POSTs {"kind":"FULFILLMENT_REQUEST"} to the callback URL if one is set. */
      requestFulfillment: async (shop: string, foGid: string, o: { message?: string; notifyCustomer?: boolean } = {}) => {
        store.submitFulfillmentRequest(shop, Number(foGid.split('/').pop()), o);
        if (fulfillmentServiceCallbackUrl) await notify(shop, 'FULFILLMENT_REQUEST');
        return orderSummaryOfFo(shop, foGid);
      },
      /** ACCEPTED → CANCELLATION_REQUESTED, then POSTs {"kind":"CANCELLATION_REQUEST"}. */
      requestCancellation: async (shop: string, foGid: string, message?: string) => {
        store.submitCancellationRequest(shop, Number(foGid.split('/').pop()), message);
        if (fulfillmentServiceCallbackUrl) await notify(shop, 'CANCELLATION_REQUEST');
        return orderSummaryOfFo(shop, foGid);
      },
      setCallbackUrl: (u: string | undefined) => {
        fulfillmentServiceCallbackUrl = u;
      },
    },
    addOrder: (shop: string, o: SeedOrder) => orderSummary(store.shop(shop), store.addOrder(shop, o).id),
    cancelOrder: (shop: string, orderGid: string) => {
      const id = Number(orderGid.split('/').pop());
      store.cancelOrder(shop, id);
      return orderSummary(store.shop(shop), id);
    },
    /** Merchant edit (orders/edited): negative delta removes unfulfilled units, positive adds. */
    editOrder: (shop: string, orderGid: string, changes: { sku: string; delta: number }[]) => {
      const s = store.shop(shop);
      const order = s.orders.get(Number(orderGid.split('/').pop()));
      if (!order) throw new SimError(`simulator: no order ${orderGid}`);
      const edit = store.editOrder(shop, order.id, changes);
      return { order: orderSummary(s, order.id), payload: orderEditedPayload(order, edit) };
    },
    createReturn: (shop: string, orderGid: string, lines: Parameters<ShopStore['createReturn']>[2], status?: Parameters<ShopStore['createReturn']>[3]) =>
      gid('Return', store.createReturn(shop, Number(orderGid.split('/').pop()), lines, status).id),
    /** Grant or withdraw protected customer data access (PII null in GraphQL and webhooks when false). */
    setProtectedCustomerData: (granted: boolean) => {
      store.protectedCustomerData = granted;
    },
    snapshot: (shop: string) => snapshot(store.shop(shop)),
    order: (shop: string, orderGid: string) => orderSummary(store.shop(shop), Number(orderGid.split('/').pop())),
    /** Quantities (incl. derived on_hand) of a SKU at a location (name or numeric id; default the first). */
    quantities: (shop: string, sku: string, location?: string | number) => store.quantities(shop, sku, location),
    fulfillments,
    tokens: {
      /** An access token without going through token exchange. */
      issue: (shop: string, o: { expiring?: boolean; ttlSeconds?: number } = {}) => {
        if (!store.hasShop(shop)) store.seedShop({ shop });
        return issueAccessToken(shop, o);
      },
      revokeAll: (shop: string) => {
        for (const t of accessTokens.values()) if (t.shop === normaliseShopDomain(shop)) t.revoked = true;
      },
      setScopes: (s: string[]) => {
        scopes = s.join(',');
      },
    },
    sessionToken,
    throttle: {
      configure: (c: Partial<ThrottleConfig>) => {
        for (const k of ['maximumAvailable', 'restoreRate', 'maxQueryCost'] as const) if (typeof c[k] === 'number') throttleCfg[k] = c[k];
        for (const b of buckets.values()) b.available = Math.min(b.available, throttleCfg.maximumAvailable);
      },
      /** The next n GraphQL calls answer THROTTLED regardless of the bucket. */
      forceThrottled: (n: number) => {
        forceThrottled += n;
      },
      /** Empties (or sets) a shop's bucket. */
      setAvailable: (shop: string, points: number) => {
        const b = bucketFor(normaliseShopDomain(shop));
        b.available = points;
        b.at = clock.now();
      },
      bucket: (shop: string) => ({ ...bucketFor(normaliseShopDomain(shop)) }),
      config: () => ({ ...throttleCfg }),
    },
    faults: {
      /** The next n GraphQL calls answer HTTP `status` (e.g. 429 with Retry-After, 500, 502, 503). */
      failNext: (n: number, status: number, retryAfterSeconds?: number) => {
        faults.push({ status, remaining: n, retryAfterSeconds });
      },
      clear: () => {
        faults.length = 0;
        forceThrottled = 0;
      },
    },
    webhooks: {
      sender: webhooks,
      deliveries: webhooks.deliveries,
      setUrl: (u: string) => {
        webhookUrl = u;
      },
      /** Resolves when every automatic webhook sent so far is delivered or out of retries. */
      settled: async () => {
        while (pending.size > 0) await Promise.allSettled([...pending]);
      },
      send: (o: SendWebhookOptions) => webhooks.send({ ...o, shop: normaliseShopDomain(o.shop) }),
      sendDuplicates: (o: SendWebhookOptions, times: number) => webhooks.sendDuplicates({ ...o, shop: normaliseShopDomain(o.shop) }, times),
      sendSequence: (list: SendWebhookOptions[], order?: 'as-given' | 'reverse') =>
        webhooks.sendSequence(list.map((o) => ({ ...o, shop: normaliseShopDomain(o.shop) })), order),
      /** orders/* webhook with the order's current REST payload. */
      sendOrder: (shop: string, topic: string, orderGid: string, o: Partial<SendWebhookOptions> = {}): Promise<WebhookDelivery> => {
        const s = store.shop(shop);
        const order = s.orders.get(Number(orderGid.split('/').pop()));
        if (!order) throw new SimError(`simulator: no order ${orderGid}`);
        return webhooks.send({ ...o, shop: s.domain, topic, payload: orderPayload(s, store.view(order)) });
      },
      /** refunds/create for an order: lines by SKU with restock type (reference §6.1). */
      sendRefund: (
        shop: string,
        orderGid: string,
        lines: { sku: string; quantity: number; restockType: 'no_restock' | 'cancel' | 'return' }[],
        o: Partial<SendWebhookOptions> = {},
      ) => {
        const s = store.shop(shop);
        const order = s.orders.get(Number(orderGid.split('/').pop()));
        if (!order) throw new SimError(`simulator: no order ${orderGid}`);
        const fo = s.fulfillmentOrders.get(order.fulfillmentOrderIds[0] ?? -1);
        const payload = refundPayload(s, order, {
          id: store.id(),
          createdAt: store.nowIso(),
          lines: lines.map((l) => ({
            lineItemId: order.lineItems.find((li) => li.sku === l.sku)?.id ?? -1,
            quantity: l.quantity,
            restockType: l.restockType,
            locationId: fo?.locationId ?? null,
          })),
        });
        return webhooks.send({ ...o, shop: s.domain, topic: 'refunds/create', payload });
      },
      /** orders/edited with the diff payload of an edit made by editOrder. */
      sendOrderEdited: (shop: string, payload: unknown, o: Partial<SendWebhookOptions> = {}) =>
        webhooks.send({ ...o, shop: normaliseShopDomain(shop), topic: 'orders/edited', payload }),
      sendReturn: (shop: string, topic: string, returnGid: string, o: Partial<SendWebhookOptions> = {}) => {
        const s = store.shop(shop);
        return webhooks.send({ ...o, shop: s.domain, topic, payload: returnPayload(s, s.returns.get(Number(returnGid.split('/').pop()))!) });
      },
      sendAppUninstalled: (shop: string, o: Partial<SendWebhookOptions> = {}) => {
        const s = store.shop(shop);
        return webhooks.send({ ...o, shop: s.domain, topic: 'app/uninstalled', payload: shopPayload(s) });
      },
      sendCompliance: (
        shop: string,
        topic: 'customers/data_request' | 'customers/redact' | 'shop/redact',
        customer?: { id: number; email: string | null; phone?: string | null },
        orderIds: number[] = [],
        o: Partial<SendWebhookOptions> = {},
      ) => {
        const s = store.shop(shop);
        const cust = customer ?? { id: 1, email: null };
        const payload =
          topic === 'shop/redact' ? shopRedactPayload(s) : topic === 'customers/redact' ? customersRedactPayload(s, cust, orderIds) : customersDataRequestPayload(s, cust, orderIds);
        return webhooks.send({ ...o, shop: s.domain, topic, payload });
      },
      orderPayload: (shop: string, orderGid: string) => {
        const s = store.shop(shop);
        return orderPayload(s, store.view(s.orders.get(Number(orderGid.split('/').pop()))!));
      },
    },
    /** Every request to /admin/… (GraphQL and OAuth), in order. */
    calls,
    /** GraphQL calls whose root fields include `field`. */
    callsTo: (field: string) => calls.filter((c) => c.rootFields.includes(field)),
    /** "Type.field" names the app asked for that the simulator does not implement. Tests should expect []. */
    unsupportedFields: () => [...unsupportedFields],
    close: () =>
      new Promise<void>((resolve, reject) => {
        store.onEvent = undefined;
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return control;
}
