// Every /api/* call from the embedded admin UI carries App Bridge's session token (a JWT signed with the app
// secret): Authorization: Bearer <token>. Checked here on every call:
//   signature (HS256, app secret) · exp/nbf (10 s tolerance, the library's) · aud = our API key ·
//   dest = a valid *.myshopify.com shop, and iss on the same shop.
// Any failure → 401 with X-Shopify-Retry-Invalid-Session-Request: 1 (App Bridge then retries once with a
// fresh token). The verified shop is put in res.locals.shop; handlers scope every query by it.
import type { RequestHandler, Response } from 'express';
import type { ShopifyApi } from '../../adapters/shopify/shopify-api.js';

export interface AdminAuthLocals {
  shop: string;
  /** The raw session token (token exchange needs it). */
  sessionToken: string;
  /** Staff user id (JWT `sub`), when present. */
  userId: string | null;
}

export function unauthorized(res: Response, reason: string): void {
  res.setHeader('X-Shopify-Retry-Invalid-Session-Request', '1');
  res.status(401).json({ error: 'unauthorized', message: reason });
}

export function verifySessionToken(shopify: ShopifyApi): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return unauthorized(res, 'Missing session token');
    const token = match[1]!;
    let payload;
    try {
      payload = await shopify.session.decodeSessionToken(token);
    } catch {
      // Message deliberately generic: the library's text contains the token.
      return unauthorized(res, 'Invalid session token');
    }
    let shop: string | null = null;
    let issuerHost: string | null = null;
    try {
      shop = shopify.utils.sanitizeShop(new URL(payload.dest).hostname);
      issuerHost = new URL(payload.iss).hostname;
    } catch {
      shop = null;
    }
    if (!shop || issuerHost !== shop) return unauthorized(res, 'Session token is not for a valid shop');
    res.locals.auth = { shop, sessionToken: token, userId: payload.sub ? String(payload.sub) : null } satisfies AdminAuthLocals;
    next();
  };
}

export function authOf(res: Response): AdminAuthLocals {
  const auth = res.locals.auth as AdminAuthLocals | undefined;
  if (!auth) throw new Error('authOf() used on a route without verifySessionToken');
  return auth;
}
