// Reservations close the oversell window between an order arriving and the warehouse reflecting it.
//
// intake (order.sync, before the DN)  → reserveForOrder: units held per goods, affected variants pushed at once
// DN confirmed / order cancelled       → settleOrderReservations: marked settled, the goods re-read at once
// warehouse read started after settle  → released (the read reflects the DN; a cancelled order never counted)
// nothing of that within the TTL       → expireReservations: released with an alert (the TTL of an order
//                                        waiting for payment starts once it is paid: see reserveForOrder)
//
// Concurrent intakes for the same goods serialise on a per-goods transaction lock, so of two orders for the
// last unit exactly one is `covered`; the other is recorded as oversold (alert). Both still reserve: the
// storefront already took both orders, and the published value must not climb back until the warehouse knows.
import type { PrismaClient } from '@prisma/client';
import type { Tx } from '../../db/client.js';
import { enqueue } from '../../queue/enqueue.js';
import {
  expireReservations,
  goodsFigures,
  insertReservations,
  lockGoods,
  raiseStockAlert,
  reservationsOf,
  settleReservations,
  startExpiry,
} from '../../db/repos/stock-repo.js';
import { stockSyncJobSpec } from './stock-jobs.js';

type Db = PrismaClient | Tx;

/** Reservation lifetime without a DN confirmation or cancellation (config STOCK_RESERVATION_TTL_MS). */
export const DEFAULT_RESERVATION_TTL_MS = 72 * 60 * 60_000;

export interface ReserveResult {
  /** Lines reserved now (empty when the order's reservations were already settled or unchanged). */
  reserved: { goodsCode: string; quantity: number; covered: boolean }[];
  unchanged: boolean;
}

function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in db && typeof db.$transaction === 'function' ? (db as PrismaClient).$transaction(fn) : fn(db as Tx);
}

/**
 * Holds the order's warehouse lines (goods × quantity). Repeats with the same lines change nothing.
 * `awaitingPayment`: the order waits for payment before its DN may be created (paid trigger). It is reserved all
 * the same (Shopify committed its units at creation, paid or not) but without an expiry: the TTL starts when a
 * later call finds it no longer waiting, i.e. when the DN could be created. Cancelling releases it.
 */
export async function reserveForOrder(
  db: Db,
  shop: string,
  orderId: string,
  lines: readonly { goodsCode: string; quantity: number }[],
  now: Date = new Date(),
  ttlMs: number = DEFAULT_RESERVATION_TTL_MS,
  opts: { awaitingPayment?: boolean } = {},
): Promise<ReserveResult> {
  const wanted = new Map<string, number>();
  for (const l of lines) if (l.quantity > 0) wanted.set(l.goodsCode, (wanted.get(l.goodsCode) ?? 0) + l.quantity);
  const expiresAt = opts.awaitingPayment ? null : new Date(now.getTime() + ttlMs);
  return inTx(db, async (tx) => {
    const mine = await reservationsOf(tx, shop, orderId);
    // Settled or released: the warehouse has (or had) the order; reserving again would count it twice.
    if (mine.some((r) => r.settledAt || r.releasedAt)) return { reserved: [], unchanged: true };
    const same = mine.length === wanted.size && mine.every((r) => wanted.get(r.goodsCode) === r.quantity);
    if (same) {
      // Paid since: the expiry starts now.
      if (expiresAt && mine.some((r) => r.expiresAt === null)) await startExpiry(tx, shop, orderId, expiresAt);
      return { reserved: [], unchanged: true };
    }
    const codes = [...new Set([...wanted.keys(), ...mine.map((r) => r.goodsCode)])];
    await lockGoods(tx, shop, codes);
    const figures = await goodsFigures(tx, shop, codes);
    const own = new Map(mine.map((r) => [r.goodsCode, r.quantity]));
    const reserved = [...wanted].map(([goodsCode, quantity]) => {
      const f = figures.get(goodsCode);
      // Never read yet: unknown, not oversold.
      const free = f ? f.available - (f.reserved - (own.get(goodsCode) ?? 0)) : Number.POSITIVE_INFINITY;
      return { goodsCode, quantity, covered: free >= quantity };
    });
    await insertReservations(tx, shop, orderId, reserved, now, expiresAt);
    const short = reserved.filter((r) => !r.covered);
    if (short.length) {
      await raiseStockAlert(tx, {
        shop,
        kind: 'stock.oversold',
        subjectRef: `order:${orderId}`,
        severity: 'warning',
        message: `Order ${orderId} took ${short.map((s) => `${s.quantity} × ${s.goodsCode}`).join(', ')} the warehouse had no free units for`,
        details: { short },
      });
    }
    await enqueue(tx, stockSyncJobSpec(shop, { mode: 'goods', goods: codes, read: false }));
    return { reserved, unchanged: false };
  });
}

/** The warehouse has the order (DN confirmed) or the order is gone (cancelled): release at the next read. */
export async function settleOrderReservations(db: Db, shop: string, orderId: string, reason: 'confirmed' | 'cancelled', now: Date = new Date()): Promise<string[]> {
  return inTx(db, async (tx) => {
    const goods = await settleReservations(tx, shop, orderId, reason, now);
    if (goods.length) await enqueue(tx, stockSyncJobSpec(shop, { mode: 'goods', goods, read: true }));
    return goods;
  });
}

/** Releases reservations past their expiry (an order that never reached the warehouse), with an alert each. */
export async function expireOrderReservations(db: PrismaClient, shop: string, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await expireReservations(tx, shop, now);
    if (rows.length === 0) return 0;
    for (const orderId of new Set(rows.map((r) => r.orderId))) {
      await raiseStockAlert(tx, {
        shop,
        kind: 'stock.reservation_expired',
        subjectRef: `order:${orderId}`,
        severity: 'warning',
        message: `Stock held for order ${orderId} was released after its expiry: the order never reached the warehouse (check it)`,
        details: { lines: rows.filter((r) => r.orderId === orderId).map((r) => ({ goodsCode: r.goodsCode, quantity: r.quantity })) },
      });
    }
    await enqueue(tx, stockSyncJobSpec(shop, { mode: 'goods', goods: [...new Set(rows.map((r) => r.goodsCode))], read: false }));
    return rows.length;
  });
}
