// SHOPIFY_ADMIN_BASE_URL: requests the library makes to https://{shop}/… go to the simulator, naming the shop.
import { describe, expect, it } from 'vitest';
import { createShopifyApi, rewriteForSimulator, SIM_SHOP_HEADER } from '../../../server/adapters/shopify/shopify-api.js';

describe('simulator URL rewrite', () => {
  it('rewrites *.myshopify.com to the base URL and adds x-sim-shop; leaves other hosts alone', () => {
    createShopifyApi({ apiKey: 'k', apiSecretKey: 's', appUrl: 'http://localhost:3000', scopes: [], adminBaseUrl: 'http://127.0.0.1:9999/base' });
    const [url, init] = rewriteForSimulator('https://a.myshopify.com/admin/api/2026-04/graphql.json?x=1', { headers: { 'x-a': '1' } });
    expect(url).toBe('http://127.0.0.1:9999/base/admin/api/2026-04/graphql.json?x=1');
    expect(new Headers(init?.headers).get(SIM_SHOP_HEADER)).toBe('a.myshopify.com');
    expect(new Headers(init?.headers).get('x-a')).toBe('1');
    expect(rewriteForSimulator('https://example.com/x', undefined)[0]).toBe('https://example.com/x');
  });

  it('without a base URL nothing is rewritten (real Shopify)', () => {
    createShopifyApi({ apiKey: 'k', apiSecretKey: 's', appUrl: 'http://localhost:3000', scopes: [] });
    expect(rewriteForSimulator('https://a.myshopify.com/admin/oauth/access_token', undefined)[0]).toBe('https://a.myshopify.com/admin/oauth/access_token');
  });
});
