// Read models of the admin pages that are not owned by one feature's use cases: orders with their sync state,
// an order's audit trail (external calls, jobs, shipments), open alerts. Every query is scoped by shop.
import { Prisma, type PrismaClient } from '@prisma/client';
import { likePattern } from '../../core/catalogue/catalogue-repo.js';

/** Filter groups of the orders page → the order states they cover. */
export const ORDER_FILTERS = {
  all: null,
  needs_attention: ['needs_mapping', 'needs_address', 'failed', 'cancel_requested_in_warehouse'],
  needs_mapping: ['needs_mapping'],
  needs_address: ['needs_address'],
  failed: ['failed'],
  queued: ['received', 'queued'],
  in_warehouse: ['in_warehouse', 'partially_shipped'],
  shipped: ['shipped', 'fulfilled'],
  cancelled: ['cancelled', 'cancelled_in_warehouse', 'cancel_requested_in_warehouse'],
} as const satisfies Record<string, readonly string[] | null>;
export type OrderFilter = keyof typeof ORDER_FILTERS;

export async function listOrders(db: PrismaClient, shop: string, q: { filter: OrderFilter; query: string; page: number; pageSize: number }) {
  const states = ORDER_FILTERS[q.filter];
  const where: Prisma.Sql[] = [Prisma.sql`shop = ${shop}`];
  if (states) where.push(Prisma.sql`state IN (${Prisma.join(states)})`);
  if (q.query) where.push(Prisma.sql`(order_name ILIKE ${likePattern(q.query)} OR order_id ILIKE ${likePattern(q.query)} OR dn_code ILIKE ${likePattern(q.query)})`);
  const rows = await db.$queryRaw<
    { order_id: string; order_name: string | null; state: string; state_reason: string | null; missing_skus: unknown; dn_code: string | null; updated_at: Date; total: bigint }[]
  >`SELECT order_id, order_name, state, state_reason, missing_skus, dn_code, updated_at, count(*) OVER () AS total
    FROM order_sync WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY updated_at DESC, id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    orders: rows.map((r) => ({
      orderId: r.order_id,
      orderName: r.order_name,
      state: r.state,
      stateReason: r.state_reason,
      missingSkus: r.missing_skus,
      dnCode: r.dn_code,
      updatedAt: r.updated_at,
    })),
  };
}

export async function orderCounts(db: PrismaClient, shop: string): Promise<Record<string, number>> {
  const rows = await db.orderSync.groupBy({ by: ['state'], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.state, r._count._all]));
}

export async function orderDetail(db: PrismaClient, shop: string, orderId: string) {
  const order = await db.orderSync.findUnique({ where: { shop_orderId: { shop, orderId } } });
  if (!order) return null;
  const [calls, jobs, shipments] = await Promise.all([
    db.externalCall.findMany({ where: { shop, orderId }, orderBy: { id: 'desc' }, take: 200 }),
    // The order's jobs share its ordering key (server/core/orders/order-jobs.ts); payload match covers the rest.
    db.job.findMany({
      where: { shop, OR: [{ payload: { path: ['orderId'], equals: orderId } }] },
      orderBy: { id: 'desc' },
      take: 50,
    }),
    db.orderShipment.findMany({ where: { shop, orderId }, orderBy: { id: 'asc' } }),
  ]);
  return { order, calls, jobs, shipments };
}

export function openAlerts(db: PrismaClient, shop: string) {
  return db.alert.findMany({ where: { shop, resolvedAt: null }, orderBy: { id: 'desc' }, take: 50 });
}

export async function resolveAlert(db: PrismaClient, shop: string, id: bigint, at: Date): Promise<boolean> {
  const r = await db.alert.updateMany({ where: { id, shop, resolvedAt: null }, data: { resolvedAt: at } });
  return r.count === 1;
}
