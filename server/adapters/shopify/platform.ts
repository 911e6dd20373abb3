// The Shopify platform services, built once per process from the config: the configured library, the
// session repository (offlineSession for jobs) and Admin GraphQL clients per shop.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { createShopifyApi, parseScopes, type ShopifyApi } from './shopify-api.js';
import { SessionRepo } from './session-repo.js';
import { createAdminGraphql, type AdminGraphql } from './admin-client.js';

export interface ShopifyPlatform {
  shopify: ShopifyApi;
  sessions: SessionRepo;
  /** Admin GraphQL for one shop; the features' storefront adapters are built on it. */
  admin(shop: string): AdminGraphql;
}

type PlatformConfig = Pick<Config, 'SHOPIFY_API_KEY' | 'SHOPIFY_API_SECRET' | 'SHOPIFY_APP_URL' | 'SHOPIFY_SCOPES' | 'SHOPIFY_ADMIN_BASE_URL'>;

export function createShopifyPlatform(deps: { config: PlatformConfig; prisma: PrismaClient; log: Logger; sleep?: (ms: number) => Promise<void> }): ShopifyPlatform {
  const shopify = createShopifyApi({
    apiKey: deps.config.SHOPIFY_API_KEY,
    apiSecretKey: deps.config.SHOPIFY_API_SECRET,
    appUrl: deps.config.SHOPIFY_APP_URL,
    scopes: parseScopes(deps.config.SHOPIFY_SCOPES),
    adminBaseUrl: deps.config.SHOPIFY_ADMIN_BASE_URL,
    log: deps.log,
  });
  const sessions = new SessionRepo({ prisma: deps.prisma, shopify, log: deps.log });
  const admin = (shop: string) => createAdminGraphql({ shopify, session: (s) => sessions.offlineSession(s), log: deps.log, sleep: deps.sleep }, shop);
  return { shopify, sessions, admin };
}

const built = new WeakMap<object, ShopifyPlatform>();

/** The platform from job deps: `deps.shopifyPlatform` when given (tests, main), else built once per deps. */
export function shopifyPlatformFrom(deps: { config: PlatformConfig; prisma: PrismaClient; log: Logger; [k: string]: unknown }): ShopifyPlatform {
  const given = deps.shopifyPlatform as ShopifyPlatform | undefined;
  if (given) return given;
  let p = built.get(deps);
  if (!p) {
    p = createShopifyPlatform(deps);
    built.set(deps, p);
  }
  return p;
}
