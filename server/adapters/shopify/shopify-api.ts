// The one place @shopify/shopify-api is configured (Admin API 2026-04, embedded app, token exchange).
// Everything Shopify-specific goes through the object built here: session-token decoding, token exchange
// and refresh, webhook HMAC validation, the Admin GraphQL client.
//
// SHOPIFY_ADMIN_BASE_URL (tests, the demo): every request the library makes to https://{shop}/… is rewritten
// to {base}/… and carries `x-sim-shop: {shop}` so the Shopify simulator knows which shop is meant.
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import type { Logger } from 'pino';

export const SHOPIFY_API_VERSION = ApiVersion.April26;
/** The header the Shopify simulator reads to know which shop a rewritten request is for. */
export const SIM_SHOP_HEADER = 'x-sim-shop';

export interface ShopifyApiOptions {
  apiKey: string;
  apiSecretKey: string;
  appUrl: string;
  scopes: string[];
  /** Unset: real Shopify. Set: rewrite https://{shop}/… to this base (Shopify simulator). */
  adminBaseUrl?: string;
  log?: Logger;
}

export type ShopifyApi = Shopify;

const nativeFetch: typeof fetch = globalThis.fetch.bind(globalThis);
// The library's fetch is process-global (runtime adapter), so the rewrite target is too: the last
// createShopifyApi() call wins. One app process talks to one Shopify (or one simulator).
let adminBaseUrl: URL | undefined;

/** Rewrites https://{shop}.myshopify.com/… to the simulator base when one is configured. */
export function rewriteForSimulator(input: string, init: RequestInit | undefined): [string, RequestInit | undefined] {
  if (!adminBaseUrl) return [input, init];
  const url = new URL(input);
  if (!url.hostname.endsWith('.myshopify.com')) return [input, init];
  const target = new URL(adminBaseUrl.toString());
  target.pathname = `${target.pathname.replace(/\/$/, '')}${url.pathname}`;
  target.search = url.search;
  const headers = new Headers(init?.headers);
  headers.set(SIM_SHOP_HEADER, url.hostname);
  return [target.toString(), { ...init, headers }];
}

const routingFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
  const [url, rewritten] = rewriteForSimulator(href, init);
  return nativeFetch(url, rewritten);
}) as typeof fetch;
setAbstractFetchFunc(routingFetch);

export function createShopifyApi(opts: ShopifyApiOptions): ShopifyApi {
  adminBaseUrl = opts.adminBaseUrl ? new URL(opts.adminBaseUrl) : undefined;
  const appUrl = new URL(opts.appUrl);
  const log = opts.log;
  return shopifyApi({
    apiKey: opts.apiKey,
    apiSecretKey: opts.apiSecretKey,
    scopes: opts.scopes,
    hostName: appUrl.host,
    hostScheme: appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: SHOPIFY_API_VERSION,
    isEmbeddedApp: true,
    // The library's own logs go to pino at debug level (they can include request details, never tokens).
    logger: {
      level: LogSeverity.Warning,
      httpRequests: false,
      timestamps: false,
      log: async (severity, message) => {
        if (!log) return;
        if (severity <= LogSeverity.Error) log.error({ component: 'shopify-api' }, message);
        else log.debug({ component: 'shopify-api' }, message);
      },
    },
  });
}

/** Scopes from a comma-separated config string. */
export function parseScopes(scopes: string): string[] {
  return scopes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
