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

/** Stock page: per variant × location what the warehouse says, buffer, reservations, what is published. */
export async function listStock(db: PrismaClient, shop: string, q: { query: string; page: number; pageSize: number }) {
  const where: Prisma.Sql[] = [Prisma.sql`l.shop = ${shop}`];
  if (q.query) where.push(Prisma.sql`(l.sku ILIKE ${likePattern(q.query)} OR v.product_title ILIKE ${likePattern(q.query)})`);
  const rows = await db.$queryRaw<
    {
      variant_id: string; location_id: string; sku: string | null; product_title: string | null; title: string | null; wms_available: number; buffer: number;
      buffer_override: number | null; reserved: number; publish: number; seen: number | null; pushed_at: Date | null; status: string; last_error: string | null; total: bigint;
    }[]
  >`SELECT l.variant_id, l.location_id, l.sku, v.product_title, v.title, l.wms_available, l.buffer, b.units AS buffer_override, l.reserved, l.publish,
           l.seen, l.pushed_at, l.status, l.last_error, count(*) OVER () AS total
    FROM stock_level l
    LEFT JOIN catalogue_variant v ON v.shop = l.shop AND v.variant_id = l.variant_id
    LEFT JOIN stock_buffer b ON b.shop = l.shop AND b.variant_id = l.variant_id
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY l.sku NULLS LAST, l.variant_id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    rows: rows.map((r) => ({
      variantId: r.variant_id,
      locationId: r.location_id,
      sku: r.sku,
      productTitle: r.product_title,
      title: r.title,
      wmsAvailable: r.wms_available,
      buffer: r.buffer,
      bufferOverride: r.buffer_override,
      reserved: r.reserved,
      publish: r.publish,
      seen: r.seen,
      pushedAt: r.pushed_at,
      status: r.status,
      lastError: r.last_error,
    })),
  };
}

export function lastStockRun(db: PrismaClient, shop: string) {
  return db.stockSyncRun.findFirst({ where: { shop }, orderBy: { id: 'desc' } });
}

export function bufferOf(db: PrismaClient, shop: string, variantId: string) {
  return db.stockBuffer.findUnique({ where: { shop_variantId: { shop, variantId } } });
}
