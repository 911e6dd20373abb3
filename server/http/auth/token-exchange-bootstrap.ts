// Embedded install by token exchange (Shopify-managed installation: no OAuth redirects). On an admin call
// from a shop we hold no offline session for (first open, or re-install after an uninstall), the verified
// session token is exchanged for an expiring offline access token + refresh token, stored, and the shop
// recorded as installed. Later calls find the session and skip this (one indexed read).
import type { RequestHandler } from 'express';
import type { PrismaClient } from '@prisma/client';
import { RequestedTokenType, HttpResponseError } from '@shopify/shopify-api';
import type { Logger } from 'pino';
import type { ShopifyApi } from '../../adapters/shopify/shopify-api.js';
import type { SessionRepo } from '../../adapters/shopify/session-repo.js';
import { findShop, markInstalled } from '../../core/shops/shop-repo.js';
import { authOf, unauthorized } from './session-token-middleware.js';

export interface BootstrapDeps {
  shopify: ShopifyApi;
  sessions: SessionRepo;
  prisma: PrismaClient;
  log: Logger;
}

/** Exchanges the session token for an offline session and records the install. Returns the shop's scopes. */
export async function installByTokenExchange(deps: BootstrapDeps, shop: string, sessionToken: string): Promise<string | null> {
  const { session } = await deps.shopify.auth.tokenExchange({
    shop,
    sessionToken,
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
    expiring: true,
  });
  await deps.sessions.store(session);
  await markInstalled(deps.prisma, shop, session.scope ?? null, new Date());
  deps.log.info({ shop, scope: session.scope, expires: session.expires }, 'shop installed by token exchange');
  return session.scope ?? null;
}

export function ensureInstalled(deps: BootstrapDeps): RequestHandler {
  return async (_req, res, next) => {
    const { shop, sessionToken } = authOf(res);
    try {
      const [session, row] = await Promise.all([deps.sessions.loadOffline(shop), findShop(deps.prisma, shop)]);
      if (session?.accessToken && row && !row.uninstalledAt) return next();
      await installByTokenExchange(deps, shop, sessionToken);
      next();
    } catch (err) {
      if (err instanceof HttpResponseError && err.response.code >= 400 && err.response.code < 500) {
        // Shopify refused the exchange (token already used, app not installed): App Bridge retries with a new token.
        deps.log.warn({ shop, status: err.response.code }, 'token exchange refused');
        return unauthorized(res, 'Token exchange refused');
      }
      next(err);
    }
  };
}
