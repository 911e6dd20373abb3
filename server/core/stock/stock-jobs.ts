// Job specs of the stock sync. One ordering key per shop: every stock cycle of a shop (full, hot, goods) runs
// alone, so the compare-and-set values it keeps are never raced by another cycle of the same shop.
import type { JobSpec } from '../../queue/types.js';
import type { StockSyncMode } from './stock-sync-use-case.js';

export const STOCK_SYNC_JOB = 'stock.sync';
export const RESERVATIONS_EXPIRE_JOB = 'reservations.expire';

export type StockSyncPayload = { mode: 'full'; verify?: boolean } | { mode: 'hot' } | { mode: 'goods'; goods: string[]; read: boolean };

export const stockOrderingKey = (shop: string) => `stock:${shop}`;

export function stockSyncJobSpec(shop: string, payload: StockSyncPayload): JobSpec<StockSyncPayload> {
  return {
    type: STOCK_SYNC_JOB,
    payload,
    shop,
    orderingKey: stockOrderingKey(shop),
    // A full or hot cycle already waiting covers a second request ("sync now" pressed twice).
    uniqueKey: payload.mode === 'goods' ? null : `stock.sync:${payload.mode}:${shop}`,
  };
}

export function modeOf(p: StockSyncPayload): StockSyncMode {
  if (p.mode === 'goods') return { kind: 'goods', goods: p.goods, read: p.read };
  if (p.mode === 'full') return { kind: 'full', verify: p.verify === true };
  return { kind: p.mode };
}
