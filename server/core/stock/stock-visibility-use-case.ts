// What the merchant sees and can do about stock: per SKU the warehouse figure, buffer, reservations, published
// value and when it was pushed; "sync now"; progress of the running/last cycles; the buffer override.
import type { PrismaClient } from '@prisma/client';
import { PermanentError } from '../errors.js';
import { enqueue } from '../../queue/enqueue.js';
import { lastRuns, setBuffer, stockOverview } from '../../db/repos/stock-repo.js';
import { stockSyncJobSpec } from './stock-jobs.js';

export interface StockRowView {
  sku: string | null;
  variantId: string;
  locationId: string;
  warehouse: number;
  buffer: number;
  reserved: number;
  published: number;
  /** Value last read from / set in the storefront. */
  storefront: number | null;
  pushedAt: Date | null;
  status: string;
  lastError: string | null;
}

export async function listStock(db: PrismaClient, shop: string, opts: { sku?: string; take?: number; skip?: number } = {}): Promise<StockRowView[]> {
  const rows = await stockOverview(db, shop, { ...opts, take: Math.min(opts.take ?? 100, 500) });
  return rows.map((r) => ({
    sku: r.sku,
    variantId: r.variantId,
    locationId: r.locationId,
    warehouse: r.wmsAvailable,
    buffer: r.buffer,
    reserved: r.reserved,
    published: r.publish,
    storefront: r.seen,
    pushedAt: r.pushedAt,
    status: r.status,
    lastError: r.lastError,
  }));
}

/** "Sync now": a full cycle that also re-reads every storefront value. Pressing twice queues it once. */
export async function requestStockSync(db: PrismaClient, shop: string): Promise<{ jobId: bigint; queued: boolean }> {
  const r = await enqueue(db, stockSyncJobSpec(shop, { mode: 'full', verify: true }));
  return { jobId: r.id, queued: r.created };
}

export interface StockSyncProgress {
  mode: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** Variants in the cycle, and how many of the changed ones have been pushed so far. */
  total: number;
  changed: number;
  pushed: number;
  percent: number;
  error: string | null;
}

export async function stockSyncProgress(db: PrismaClient, shop: string, take = 5): Promise<StockSyncProgress[]> {
  return (await lastRuns(db, shop, take)).map((r) => ({
    mode: r.mode,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    total: r.total,
    changed: r.changed,
    pushed: r.pushed,
    percent: r.finishedAt ? 100 : r.changed > 0 ? Math.floor((100 * r.processed) / r.changed) : 0,
    error: r.error,
  }));
}

/** Buffer override of one variant (units); null removes it (the shop default applies). Pushed at the next cycle. */
export async function setVariantBuffer(db: PrismaClient, shop: string, variantId: string, units: number | null): Promise<void> {
  if (units !== null && (!Number.isInteger(units) || units < 0)) throw new PermanentError('stock.invalid_buffer', 'a buffer is a whole number of units ≥ 0');
  await setBuffer(db, shop, variantId, units);
}
