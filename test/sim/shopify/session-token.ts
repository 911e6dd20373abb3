// App Bridge session tokens ("ID tokens"): HS256 JWTs signed with the app's client secret, as Shopify mints them
// for an embedded app. Variants for auth tests: forged (wrong secret), expired, not yet valid, other app.
import crypto from 'node:crypto';
import { normaliseShopDomain } from './state.js';

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
}

export interface MintOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Staff user id (sub). */
  userId?: string;
  /** Seconds since epoch; default the simulator clock. */
  now?: number;
  /** Token lifetime in seconds (Shopify: 60). */
  ttlSeconds?: number;
  /** Overrides any claim (e.g. aud of another app). */
  claims?: Partial<SessionTokenClaims>;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwtHs256(payload: object, secret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const sig = crypto.createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${sig}`;
}

export function sessionTokenClaims(o: MintOptions): SessionTokenClaims {
  const shop = normaliseShopDomain(o.shop);
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const ttl = o.ttlSeconds ?? 60;
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: o.apiKey,
    sub: o.userId ?? '42',
    exp: now + ttl,
    nbf: now,
    iat: now,
    jti: crypto.randomUUID(),
    sid: crypto.randomBytes(16).toString('hex'),
    ...o.claims,
  };
}

export function mintSessionToken(o: MintOptions): string {
  return signJwtHs256(sessionTokenClaims(o), o.apiSecret);
}

/** Verifies like Shopify's token endpoint: HS256 with the app secret, aud = api key, exp/nbf (10 s leeway). */
export function verifySessionToken(
  token: string,
  apiKey: string,
  apiSecret: string,
  nowSeconds: number,
): { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'unsupported alg' };
  const expected = crypto.createHmac('sha256', apiSecret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) return { ok: false, reason: 'bad signature' };
  const LEEWAY = 10; // seconds; shopify-api's JWT_PERMITTED_CLOCK_TOLERANCE
  if (typeof claims.exp !== 'number' || claims.exp + LEEWAY < nowSeconds) return { ok: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY > nowSeconds) return { ok: false, reason: 'not yet valid' };
  if (claims.aud !== apiKey) return { ok: false, reason: 'audience mismatch' };
  return { ok: true, claims };
}
