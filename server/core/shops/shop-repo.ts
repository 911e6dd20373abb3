// Data layer of the shop lifecycle (tables shop, session, job). Platform-neutral: a "shop" is the store's
// domain; sessions are the storefront platform's stored credentials.
import type { PrismaClient } from '@prisma/client';
import type { Tx } from '../../db/client.js';
import { discardJob } from '../../queue/operations.js';

export type Db = PrismaClient | Tx;

export interface ShopRow {
  domain: string;
  installedAt: Date;
  uninstalledAt: Date | null;
  scopes: string | null;
  ordersReconciledAt: Date | null;
}

export async function findShop(db: Db, shop: string): Promise<ShopRow | null> {
  return db.shop.findUnique({ where: { domain: shop } });
}

/**
 * Records an install (first token exchange) or a re-install after an uninstall: installedAt moves to now
 * only when the shop was uninstalled (or is new), so ordinary logins do not disturb it.
 */
export async function markInstalled(db: Db, shop: string, scopes: string | null, now: Date): Promise<void> {
  const existing = await findShop(db, shop);
  if (!existing) {
    await db.shop.create({ data: { domain: shop, installedAt: now, scopes } });
  } else if (existing.uninstalledAt) {
    await db.shop.update({ where: { domain: shop }, data: { installedAt: now, uninstalledAt: null, scopes } });
  } else if (scopes !== null && scopes !== existing.scopes) {
    await db.shop.update({ where: { domain: shop }, data: { scopes } });
  }
}

/** Sets uninstalledAt once (a repeated uninstall keeps the first time). */
export async function markUninstalled(db: Db, shop: string, at: Date): Promise<void> {
  await db.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: at } });
}

export async function setShopScopes(db: Db, shop: string, scopes: string): Promise<void> {
  await db.shop.updateMany({ where: { domain: shop }, data: { scopes } });
  await db.session.updateMany({ where: { shop, isOnline: false }, data: { scope: scopes } });
}

export async function setOrdersReconciledAt(db: Db, shop: string, at: Date): Promise<void> {
  await db.shop.updateMany({ where: { domain: shop }, data: { ordersReconciledAt: at } });
}

/** Shops whose app is installed (the scheduler fans per-shop work out over these). */
export async function installedShops(db: Db): Promise<string[]> {
  const rows = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true }, orderBy: { domain: 'asc' } });
  return rows.map((r) => r.domain);
}

export async function deleteShopSessions(db: Db, shop: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { shop } });
  return count;
}

/**
 * Discards the shop's pending jobs except the types listed (through the queue's own discard, which keeps
 * its bookkeeping right). Running jobs finish on their own and find the shop uninstalled.
 */
export async function discardPendingShopJobs(db: Db, shop: string, keepTypes: string[]): Promise<number> {
  const pending = await db.job.findMany({
    where: { shop, state: 'pending', type: { notIn: keepTypes } },
    select: { id: true },
  });
  let discarded = 0;
  for (const { id } of pending) if (await discardJob(db, id, { shop })) discarded++;
  return discarded;
}
