// Shopify sessions in PostgreSQL (table `session`, through @shopify/shopify-app-session-storage-prisma, which
// keeps refreshToken/refreshTokenExpires), and the one function background jobs use to get a usable offline
// token: offlineSession(shop).
//
// Expiring offline tokens live about an hour and each refresh token is single-use: two workers refreshing
// at once would burn it and leave the shop needing a re-install. So a refresh runs inside a transaction that
// holds the session row lock (SELECT … FOR UPDATE); the second worker waits, then sees the fresh token.
import type { PrismaClient } from '@prisma/client';
import { HttpResponseError, HttpRequestError, type Session } from '@shopify/shopify-api';
import { PrismaSessionStorage } from '@shopify/shopify-app-session-storage-prisma';
import type { Logger } from 'pino';
import type { Tx } from '../../db/client.js';
import { PermanentError, RetryableError } from '../../core/errors.js';
import type { ShopifyApi } from './shopify-api.js';

/** Refresh this long before `expires`: a job's calls then never race the expiry (tokens live ~60 min). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** The refresh holds a DB connection during one HTTP call to Shopify; 20 s bounds a hung call. */
const REFRESH_TX_TIMEOUT_MS = 20_000;

export interface SessionRepoDeps {
  prisma: PrismaClient;
  shopify: ShopifyApi;
  log?: Logger;
  now?: () => number;
}

export class SessionRepo {
  private readonly storage: PrismaSessionStorage<PrismaClient>;
  private readonly now: () => number;

  constructor(private readonly deps: SessionRepoDeps) {
    // connectionRetries 1, no interval: the table exists (migrations run before start); fail fast if not.
    this.storage = new PrismaSessionStorage(deps.prisma, { connectionRetries: 1, connectionRetryIntervalMs: 0 });
    this.now = deps.now ?? Date.now;
  }

  offlineId(shop: string): string {
    return this.deps.shopify.session.getOfflineId(shop);
  }

  async store(session: Session): Promise<void> {
    await this.storage.storeSession(session);
  }

  async loadOffline(shop: string): Promise<Session | undefined> {
    return this.storage.loadSession(this.offlineId(shop));
  }

  /** Deletes every session of the shop (offline and online). Safe to repeat. */
  async deleteShopSessions(shop: string, db: PrismaClient | Tx = this.deps.prisma): Promise<number> {
    const { count } = await db.session.deleteMany({ where: { shop } });
    return count;
  }

  isFresh(session: Session): boolean {
    return !session.expires || session.expires.getTime() - this.now() > REFRESH_MARGIN_MS;
  }

  /**
   * A valid offline session for the shop, refreshed first when it expires within REFRESH_MARGIN_MS.
   * PermanentError when there is none or the refresh token is gone/rejected (the merchant must open the app
   * again, which re-runs token exchange); RetryableError on network/5xx trouble.
   */
  async offlineSession(shop: string): Promise<Session> {
    const current = await this.loadOffline(shop);
    if (!current?.accessToken) {
      throw new PermanentError('shopify.no_session', `No offline session for ${shop}: open the app in Shopify admin to install it`);
    }
    if (this.isFresh(current)) return current;

    const id = this.offlineId(shop);
    return this.deps.prisma.$transaction(
      async (tx) => {
        // Row lock: a concurrent refresher blocks here until we commit, then re-reads the fresh token.
        await tx.$queryRaw`SELECT id FROM session WHERE id = ${id} FOR UPDATE`;
        const txStorage = new PrismaSessionStorage(tx as unknown as PrismaClient, { connectionRetries: 1, connectionRetryIntervalMs: 0 });
        const locked = await txStorage.loadSession(id);
        if (!locked?.accessToken) throw new PermanentError('shopify.no_session', `No offline session for ${shop}`);
        if (this.isFresh(locked)) return locked;
        const refreshed = await this.refresh(shop, locked);
        await txStorage.storeSession(refreshed);
        this.deps.log?.info({ shop, expires: refreshed.expires }, 'shopify offline token refreshed');
        return refreshed;
      },
      { timeout: REFRESH_TX_TIMEOUT_MS, maxWait: REFRESH_TX_TIMEOUT_MS },
    );
  }

  private async refresh(shop: string, session: Session): Promise<Session> {
    if (!session.refreshToken || (session.refreshTokenExpires && session.refreshTokenExpires.getTime() <= this.now())) {
      throw new PermanentError('shopify.reauth_required', `The offline token of ${shop} expired and cannot be refreshed: open the app in Shopify admin`);
    }
    try {
      const { session: fresh } = await this.deps.shopify.auth.refreshToken({ shop, refreshToken: session.refreshToken });
      return fresh;
    } catch (err) {
      if (err instanceof HttpResponseError && err.response.code >= 400 && err.response.code < 500 && err.response.code !== 429) {
        throw new PermanentError('shopify.reauth_required', `Shopify rejected the refresh token of ${shop} (${err.response.code}): open the app in Shopify admin`, { cause: err });
      }
      if (err instanceof HttpResponseError || err instanceof HttpRequestError || err instanceof TypeError) {
        throw new RetryableError('shopify.refresh_failed', `Refreshing the token of ${shop} failed: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
}
