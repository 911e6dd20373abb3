// Install / uninstall of a shop. Data policy on uninstall (docs/shopify.md):
//  - immediately: the shop is marked uninstalled (scheduled per-shop work stops: the scheduler only fans out
//    over installed shops), its pending background jobs are discarded, its sessions (access tokens) deleted;
//  - kept: inbox events, order links and settings, so a re-install within the 48 h grace period continues
//    where it stopped;
//  - deleted when the platform's shop-redact request arrives (~48 h after uninstall): everything (see
//    server/core/compliance).
// Re-entrant: a repeated or late uninstall is a no-op; an uninstall that fired before a re-install is stale.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import { deleteShopSessions, discardPendingShopJobs, findShop, markUninstalled } from './shop-repo.js';

/**
 * An event is older than the current install only if it fired clearly before it: Shopify's
 * X-Shopify-Triggered-At may be given to the second, and nobody re-installs within a second of uninstalling.
 */
export const STALE_TOLERANCE_MS = 1000;

export function firedBeforeInstall(installedAt: Date, firedAt: Date): boolean {
  return installedAt.getTime() - firedAt.getTime() > STALE_TOLERANCE_MS;
}

/** Jobs that must still run after an uninstall: inbox processing (compliance events arrive afterwards). */
export const JOBS_KEPT_ON_UNINSTALL = ['webhook.process'];

export type UninstallOutcome = { status: 'uninstalled'; sessionsDeleted: number; jobsDiscarded: number } | { status: 'stale' };

export async function uninstallShop(
  deps: { prisma: PrismaClient; log?: Logger; now?: () => Date },
  input: { shop: string; firedAt: Date },
): Promise<UninstallOutcome> {
  const now = deps.now?.() ?? new Date();
  return deps.prisma.$transaction(async (tx) => {
    // Row lock: an install (token exchange) of the same shop waits for us, or we for it.
    await tx.$queryRaw`SELECT domain FROM shop WHERE domain = ${input.shop} FOR UPDATE`;
    const shop = await findShop(tx, input.shop);
    if (shop && !shop.uninstalledAt && firedBeforeInstall(shop.installedAt, input.firedAt)) {
      deps.log?.info({ shop: input.shop, firedAt: input.firedAt, installedAt: shop.installedAt }, 'uninstall older than the current install: ignored');
      return { status: 'stale' as const };
    }
    await markUninstalled(tx, input.shop, now);
    const sessionsDeleted = await deleteShopSessions(tx, input.shop);
    const jobsDiscarded = await discardPendingShopJobs(tx, input.shop, JOBS_KEPT_ON_UNINSTALL);
    deps.log?.info({ shop: input.shop, sessionsDeleted, jobsDiscarded }, 'shop uninstalled');
    return { status: 'uninstalled' as const, sessionsDeleted, jobsDiscarded };
  });
}
