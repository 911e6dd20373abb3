// Token exchange and refresh driven by the real @shopify/shopify-api 13.1 client (its fetch pointed at the
// simulator), and session tokens minted by the simulator checked with the library's own decoder.
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, GraphqlQueryError, LogSeverity, RequestedTokenType, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';

const SHOP = 'acme.myshopify.com';
let sim: ShopifySimulator;
let shopify: Shopify;

beforeAll(async () => {
  // Real clock here: the library checks session-token exp/nbf against Date.now().
  sim = await startShopifySimulator({ shops: [{ shop: SHOP, products: [{ title: 'Mug', variants: [{ sku: 'MUG-1' }] }] }] });
  setAbstractFetchFunc(sim.fetch);
  shopify = shopifyApi({
    apiKey: sim.apiKey,
    apiSecretKey: sim.apiSecret,
    scopes: ['read_products'],
    hostName: 'app.example.com',
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
});
afterAll(async () => sim.close());

describe('token exchange and refresh with shopify-api', () => {
  it('exchanges a session token for an expiring offline token with a refresh token, usable on Admin GraphQL', async () => {
    const before = Date.now();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: sim.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.id).toBe(`offline_${SHOP}`);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires!.getTime() - before).toBeGreaterThanOrEqual(3_599_000);
    expect(session.refreshTokenExpires!.getTime()).toBeGreaterThan(session.expires!.getTime());
    const client = new shopify.clients.Graphql({ session });
    const res = await client.request<{ shop: { myshopifyDomain: string } }>('{ shop { myshopifyDomain } }');
    expect(res.data!.shop.myshopifyDomain).toBe(SHOP);
  });

  it('without expiring the offline token has no expiry and no refresh token', async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: sim.sessionToken(SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(session.expires).toBeUndefined();
    expect(session.refreshToken).toBeUndefined();
  });

  it('refresh gives a new access + refresh token; the used refresh token is refused afterwards', async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: sim.sessionToken(SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken, expiring: true });
    const { session: refreshed } = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! })).rejects.toThrow(/invalid_grant|400/);
  });

  it('the expired access token is refused (401) while the refreshed one works', async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: sim.sessionToken(SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken, expiring: true });
    sim.clock.advance(3_601_000);
    const client = new shopify.clients.Graphql({ session });
    await expect(client.request('{ shop { name } }')).rejects.toThrow(/401|Unauthorized|Invalid API key/);
    const { session: fresh } = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    const res = await new shopify.clients.Graphql({ session: fresh }).request<{ shop: { name: string } }>('{ shop { name } }');
    expect(res.data!.shop.name).toBe('acme');
    sim.clock.advance(-3_601_000);
  });

  it('THROTTLED arrives as HTTP 200 and shopify-api throws GraphqlQueryError carrying the code and cost', async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: sim.sessionToken(SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    sim.throttle.forceThrottled(1);
    const err = await new shopify.clients.Graphql({ session }).request('{ shop { name } }').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphqlQueryError);
    const body = (err as GraphqlQueryError).body as { errors: { graphQLErrors: { extensions: { code: string } }[] }; extensions?: unknown };
    expect(body.errors.graphQLErrors[0]!.extensions.code).toBe('THROTTLED');
  });
});

describe('the token endpoint refuses bad requests like Shopify', () => {
  const post = (body: Record<string, string>) =>
    fetch(`${sim.url}/s/${SHOP}/admin/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const exchange = (subject: string, secret = sim.apiSecret) =>
    post({
      client_id: sim.apiKey,
      client_secret: secret,
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
    });

  it.each(['forged', 'expired', 'other-app', 'not-yet-valid', 'other-shop'] as const)('%s session token → 400 invalid_subject_token', async (variant) => {
    const res = await exchange(sim.sessionToken(SHOP, variant));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_subject_token');
  });

  it('wrong client secret → 401 invalid_client', async () => {
    const res = await exchange(sim.sessionToken(SHOP), 'wrong');
    expect(res.status).toBe(401);
  });
});

describe('session tokens minted by the simulator', () => {
  it('a valid one decodes with shopify-api (HS256, aud = api key, dest = shop)', async () => {
    const payload = await shopify.session.decodeSessionToken(sim.sessionToken(SHOP));
    expect(payload.dest).toBe(`https://${SHOP}`);
    expect(payload.iss).toBe(`https://${SHOP}/admin`);
    expect(payload.aud).toBe(sim.apiKey);
    for (const claim of ['sub', 'exp', 'nbf', 'iat', 'jti', 'sid'] as const) expect(payload[claim]).toBeDefined();
  });

  it.each(['forged', 'expired', 'other-app', 'not-yet-valid'] as const)('a %s one is rejected by shopify-api', async (variant) => {
    await expect(shopify.session.decodeSessionToken(sim.sessionToken(SHOP, variant))).rejects.toThrow();
  });
});
