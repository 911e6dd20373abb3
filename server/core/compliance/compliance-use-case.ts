// The three privacy requests every public app must honour, over every store in personalDataHolders:
//  - data request: report what we hold about a customer (stored with the request for the merchant);
//  - customer redact: erase that customer's personal data wherever we keep it (ids stay, so order links and
//    stock history remain consistent);
//  - shop redact: delete everything of the shop (sent ~48 h after uninstall).
// Each runs inside one transaction: a failure leaves the data as it was and the job retries.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import { personalDataHolders, type HeldRecord, type PersonalDataHolder, type PurgeContext } from './personal-data-repo.js';
import type { DataSubject } from './personal-data.js';
import { findShop } from '../shops/shop-repo.js';
import { firedBeforeInstall } from '../shops/shop-lifecycle-use-case.js';

export interface ComplianceDeps {
  prisma: PrismaClient;
  log?: Logger;
  holders?: PersonalDataHolder[];
  now?: () => Date;
}

/** Redaction and purge scan whole shops; allow them more than Prisma's 5 s default. */
const TX_OPTIONS = { timeout: 120_000, maxWait: 10_000 };

export interface DataRequestReport {
  generatedAt: string;
  subject: DataSubject;
  records: HeldRecord[];
}

export async function customerDataRequest(deps: ComplianceDeps, shop: string, subject: DataSubject): Promise<DataRequestReport> {
  const holders = deps.holders ?? personalDataHolders;
  const records: HeldRecord[] = [];
  for (const h of holders) records.push(...(await h.collect(deps.prisma, shop, subject)));
  deps.log?.info({ shop, records: records.length }, 'customer data request answered');
  return { generatedAt: (deps.now?.() ?? new Date()).toISOString(), subject, records };
}

export async function customerRedact(deps: ComplianceDeps, shop: string, subject: DataSubject): Promise<Record<string, number>> {
  const holders = deps.holders ?? personalDataHolders;
  return deps.prisma.$transaction(async (tx) => {
    const changed: Record<string, number> = {};
    for (const h of holders) changed[h.name] = await h.redact(tx, shop, subject);
    deps.log?.info({ shop, changed }, 'customer data redacted');
    return changed;
  }, TX_OPTIONS);
}

export type ShopRedactOutcome = { status: 'purged'; deleted: Record<string, number> } | { status: 'skipped_reinstalled' };

export async function shopRedact(deps: ComplianceDeps, shop: string, firedAt: Date, ctx: PurgeContext): Promise<ShopRedactOutcome> {
  const holders = deps.holders ?? personalDataHolders;
  return deps.prisma.$transaction(async (tx) => {
    const row = await findShop(tx, shop);
    // Re-installed after the request fired: the shop is a customer again; its data is live.
    if (row && !row.uninstalledAt && firedBeforeInstall(row.installedAt, firedAt)) {
      deps.log?.warn({ shop }, 'shop redact for a shop installed again since: skipped');
      return { status: 'skipped_reinstalled' as const };
    }
    const deleted: Record<string, number> = {};
    for (const h of holders) deleted[h.name] = await h.purgeShop(tx, shop, ctx);
    deps.log?.info({ shop, deleted }, 'shop data purged');
    return { status: 'purged' as const, deleted };
  }, TX_OPTIONS);
}
