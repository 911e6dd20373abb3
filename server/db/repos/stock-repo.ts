// Data layer of the stock sync: stock_goods, stock_level, stock_buffer, stock_reservation, stock_push_batch,
// stock_sync_run. Every query is scoped by shop. Bulk writes use unnest() so a 10,000-SKU cycle is a handful of
// statements, not 10,000.
import { Prisma, type PrismaClient } from '@prisma/client';
import type { Tx } from '../client.js';

export type Db = PrismaClient | Tx;

/**
 * Rows per bulk statement. Every parameter array is serialised a few times on its way to PostgreSQL (Prisma,
 * pg); 2,000 rows keep that transient near a megabyte while a 10,000-SKU cycle still needs only 5 statements
 * (one statement of 10,000 rows cost ~15 MB of peak RSS in bench:stock).
 */
export const BULK_ROWS = 2_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BULK_ROWS) out.push(rows.slice(i, i + BULK_ROWS));
  return out;
}

// ---- settings and mappings --------------------------------------------------------------------------------

export interface StockShopSettings {
  /** Units kept back from every variant without an override (Shop.settings.stockBuffer). */
  bufferDefault: number | null;
  /** Percent of a variant's sellable units kept back when more than bufferDefault (Shop.settings.stockBufferPercent; 0: none). */
  bufferPercent: number;
  /** Storefront location the warehouse's stock is published at (stockLocationId, else the first warehouse location). */
  locationId: string | null;
  /** The merchant's full-reconcile interval (Settings → "Check stock every"); null: the scheduler's default. */
  fullIntervalMinutes: number | null;
}

export async function stockShopSettings(db: Db, shop: string): Promise<StockShopSettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const s = (row?.settings ?? {}) as Record<string, unknown>;
  const wl = Array.isArray(s.warehouseLocationIds) ? s.warehouseLocationIds.filter((x): x is string => typeof x === 'string') : [];
  return {
    bufferDefault: typeof s.stockBuffer === 'number' && s.stockBuffer >= 0 ? Math.floor(s.stockBuffer) : null,
    bufferPercent: typeof s.stockBufferPercent === 'number' && s.stockBufferPercent > 0 ? Math.min(100, s.stockBufferPercent) : 0,
    locationId: typeof s.stockLocationId === 'string' ? s.stockLocationId : (wl[0] ?? null),
    fullIntervalMinutes: typeof s.stockPollMinutes === 'number' && s.stockPollMinutes > 0 ? s.stockPollMinutes : null,
  };
}

export interface MappingRow {
  variantId: string;
  sku: string | null;
  components: { goodsCode: string; quantity: number }[];
}

/** The shop's mappings; with `goods`, only those with a component among them (a hot cycle of 100 goods reads ~100, not the catalogue). */
export async function allMappings(db: Db, shop: string, goods?: string[]): Promise<MappingRow[]> {
  if (goods) {
    const rows = await db.$queryRaw<{ variant_id: string; sku: string | null; components: MappingRow['components'] }[]>`
      SELECT m.variant_id, m.sku, m.components FROM sku_mapping m
      WHERE m.shop = ${shop} AND EXISTS (
        SELECT 1 FROM jsonb_array_elements(m.components) AS c WHERE c->>'goodsCode' = ANY(${goods}::text[]))`;
    return rows.map((r) => ({ variantId: r.variant_id, sku: r.sku, components: r.components }));
  }
  const rows = await db.skuMapping.findMany({ where: { shop }, select: { variantId: true, sku: true, components: true } });
  return rows.map((r) => ({ variantId: r.variantId, sku: r.sku, components: r.components as unknown as MappingRow['components'] }));
}

export async function buffersOf(db: Db, shop: string): Promise<Map<string, number>> {
  const rows = await db.stockBuffer.findMany({ where: { shop }, select: { variantId: true, units: true } });
  return new Map(rows.map((r) => [r.variantId, r.units]));
}

export async function setBuffer(db: Db, shop: string, variantId: string, units: number | null): Promise<void> {
  if (units === null) {
    await db.stockBuffer.deleteMany({ where: { shop, variantId } });
    return;
  }
  await db.stockBuffer.upsert({ where: { shop_variantId: { shop, variantId } }, create: { shop, variantId, units }, update: { units } });
}

// ---- warehouse figures ----------------------------------------------------------------------------------

export interface GoodsRow {
  goodsCode: string;
  available: number;
  reserved: number;
}

/**
 * Stores a warehouse read that started at `readAt`. `full`: goods absent from the read are set to 0 (GreaterWMS
 * deletes rows at 0). Then reservations settled before `readAt` for the goods read are released: the read
 * reflects them (a confirmed DN lowered can_order; a cancelled order never did).
 */
export async function applyWarehouseRead(db: Db, shop: string, levels: { goodsCode: string; available: number }[], readAt: Date, full: boolean): Promise<number> {
  for (const part of chunks(levels)) {
    await db.$executeRaw`
      INSERT INTO stock_goods (shop, goods_code, available, read_at)
      SELECT ${shop}, c, q, ${readAt} FROM unnest(${part.map((l) => l.goodsCode)}::text[], ${part.map((l) => Math.max(0, Math.floor(l.available)))}::int[]) AS t(c, q)
      ON CONFLICT (shop, goods_code) DO UPDATE SET available = EXCLUDED.available, read_at = EXCLUDED.read_at
      WHERE stock_goods.read_at <= EXCLUDED.read_at`;
  }
  if (full) {
    // Every goods code in the read now has read_at >= readAt (stored above, or a newer read's): what is older
    // was not in the read. No need to send the codes again.
    await db.$executeRaw`
      UPDATE stock_goods SET available = 0, read_at = ${readAt}
      WHERE shop = ${shop} AND read_at < ${readAt}`;
  }
  const codes = full ? [] : levels.map((l) => l.goodsCode);
  return full
    ? db.$executeRaw`
      UPDATE stock_reservation SET released_at = now()
      WHERE shop = ${shop} AND released_at IS NULL AND settled_at IS NOT NULL AND settled_at <= ${readAt}`
    : db.$executeRaw`
      UPDATE stock_reservation SET released_at = now()
      WHERE shop = ${shop} AND released_at IS NULL AND settled_at IS NOT NULL AND settled_at <= ${readAt}
        AND goods_code = ANY(${codes}::text[])`;
}

/** Available and open reservations per goods code (all goods of the shop when `codes` is omitted). */
export async function goodsFigures(db: Db, shop: string, codes?: string[]): Promise<Map<string, GoodsRow>> {
  const filter = codes ? Prisma.sql`AND g.goods_code = ANY(${codes}::text[])` : Prisma.empty;
  const rows = await db.$queryRaw<{ goods_code: string; available: number; reserved: bigint | number | null }[]>`
    SELECT g.goods_code, g.available,
      (SELECT COALESCE(SUM(r.quantity), 0) FROM stock_reservation r
        WHERE r.shop = g.shop AND r.goods_code = g.goods_code AND r.released_at IS NULL) AS reserved
    FROM stock_goods g WHERE g.shop = ${shop} ${filter}`;
  const out = new Map<string, GoodsRow>(rows.map((r) => [r.goods_code, { goodsCode: r.goods_code, available: r.available, reserved: Number(r.reserved ?? 0) }]));
  // Reservations on goods never read yet still count.
  const orphan = await db.$queryRaw<{ goods_code: string; reserved: bigint | number }[]>`
    SELECT goods_code, SUM(quantity) AS reserved FROM stock_reservation
    WHERE shop = ${shop} AND released_at IS NULL ${codes ? Prisma.sql`AND goods_code = ANY(${codes}::text[])` : Prisma.empty}
    GROUP BY goods_code`;
  for (const o of orphan) if (!out.has(o.goods_code)) out.set(o.goods_code, { goodsCode: o.goods_code, available: 0, reserved: Number(o.reserved) });
  return out;
}

/** Goods sold (reserved at intake) since `since`, plus goods with reservations waiting for a warehouse read. */
export async function hotGoods(db: Db, shop: string, since: Date): Promise<string[]> {
  const rows = await db.$queryRaw<{ goods_code: string }[]>`
    SELECT goods_code FROM stock_goods WHERE shop = ${shop} AND last_sold_at >= ${since}
    UNION
    SELECT goods_code FROM stock_reservation WHERE shop = ${shop} AND released_at IS NULL AND settled_at IS NOT NULL
    ORDER BY 1`;
  return rows.map((r) => r.goods_code);
}

// ---- published levels -----------------------------------------------------------------------------------

export interface LevelRow {
  variantId: string;
  locationId: string;
  inventoryItemId: string | null;
  sku: string | null;
  wmsAvailable: number;
  buffer: number;
  reserved: number;
  publish: number;
  seen: number | null;
  status: string;
}

export async function levelsOf(db: Db, shop: string, locationId: string, variantIds?: string[]): Promise<Map<string, LevelRow>> {
  const rows = await db.stockLevel.findMany({
    where: { shop, locationId, ...(variantIds ? { variantId: { in: variantIds } } : {}) },
    select: { variantId: true, locationId: true, inventoryItemId: true, sku: true, wmsAvailable: true, buffer: true, reserved: true, publish: true, seen: true, status: true },
  });
  return new Map(rows.map((r) => [r.variantId, r]));
}

const LEVEL_FIELDS = ['inventoryItemId', 'sku', 'wmsAvailable', 'buffer', 'reserved', 'publish', 'seen', 'status'] as const;

/** True when `row` differs from the stored `prev` in a column saveLevels writes. */
export function levelChanged(prev: LevelRow | undefined, row: LevelRow): boolean {
  return !prev || LEVEL_FIELDS.some((f) => prev[f] !== row[f]);
}

/**
 * Writes computed values (and inventory item / status) for many variants in one statement. `seenAt`: the rows
 * whose `seen` was just read from the storefront get it as seen_at (the cold cycle's lookup reads item and value
 * together, so no second 10,000-row statement). Callers pass only rows that changed (levelChanged): a steady
 * cycle then sends ~1 % of the catalogue instead of 10 columns × every variant.
 */
export async function saveLevels(db: Db, shop: string, all: LevelRow[], seenAt?: { at: Date; variantIds: ReadonlySet<string> }): Promise<void> {
  for (const rows of chunks(all)) {
    const col = <K extends keyof LevelRow>(k: K) => rows.map((r) => r[k]);
    const seenNow = rows.map((r) => seenAt?.variantIds.has(r.variantId) ?? false);
    await db.$executeRaw`
      INSERT INTO stock_level (shop, variant_id, location_id, inventory_item_id, sku, wms_available, buffer, reserved, publish, seen, status, seen_at, updated_at)
      SELECT ${shop}, v, l, i, s, w, b, r, p, n, st, CASE WHEN sn THEN ${seenAt?.at ?? null}::timestamptz END, now()
      FROM unnest(${col('variantId')}::text[], ${col('locationId')}::text[], ${col('inventoryItemId')}::text[], ${col('sku')}::text[],
                  ${col('wmsAvailable')}::int[], ${col('buffer')}::int[], ${col('reserved')}::int[], ${col('publish')}::int[],
                  ${col('seen')}::int[], ${col('status')}::text[], ${seenNow}::boolean[]) AS t(v, l, i, s, w, b, r, p, n, st, sn)
      ON CONFLICT (shop, variant_id, location_id) DO UPDATE SET
        inventory_item_id = EXCLUDED.inventory_item_id, sku = EXCLUDED.sku, wms_available = EXCLUDED.wms_available,
        buffer = EXCLUDED.buffer, reserved = EXCLUDED.reserved, publish = EXCLUDED.publish, seen = EXCLUDED.seen,
        status = EXCLUDED.status, seen_at = COALESCE(EXCLUDED.seen_at, stock_level.seen_at),
        last_error = CASE WHEN EXCLUDED.seen_at IS NULL THEN stock_level.last_error END, updated_at = now()
      WHERE (stock_level.inventory_item_id, stock_level.sku, stock_level.wms_available, stock_level.buffer, stock_level.reserved,
             stock_level.publish, stock_level.seen, stock_level.status)
        IS DISTINCT FROM (EXCLUDED.inventory_item_id, EXCLUDED.sku, EXCLUDED.wms_available, EXCLUDED.buffer, EXCLUDED.reserved,
             EXCLUDED.publish, EXCLUDED.seen, EXCLUDED.status)
        OR EXCLUDED.seen_at IS NOT NULL`;
  }
}

/** Storefront quantities seen (read or set by us); `pushed` also stamps pushed_at. */
export async function markSeen(db: Db, shop: string, locationId: string, all: { variantId: string; quantity: number }[], at: Date, pushed: boolean): Promise<void> {
  for (const seen of chunks(all)) {
    await db.$executeRaw`
      UPDATE stock_level AS s SET seen = t.q, seen_at = ${at}, pushed_at = CASE WHEN ${pushed} THEN ${at}::timestamptz ELSE s.pushed_at END,
        status = 'ok', last_error = NULL
      FROM unnest(${seen.map((x) => x.variantId)}::text[], ${seen.map((x) => x.quantity)}::int[]) AS t(v, q)
      WHERE s.shop = ${shop} AND s.location_id = ${locationId} AND s.variant_id = t.v`;
  }
}

export async function forgetSeen(db: Db, shop: string, locationId: string, variantIds: string[]): Promise<void> {
  if (variantIds.length === 0) return;
  await db.stockLevel.updateMany({ where: { shop, locationId, variantId: { in: variantIds } }, data: { seen: null } });
}

export async function markLevelError(db: Db, shop: string, locationId: string, variantId: string, status: string, error: string | null): Promise<void> {
  await db.stockLevel.updateMany({ where: { shop, locationId, variantId }, data: { status, lastError: error } });
}

/** Per-SKU visibility: warehouse figure, buffer, reservations, published value, last seen/pushed. */
export async function stockOverview(db: Db, shop: string, opts: { sku?: string; take?: number; skip?: number } = {}) {
  return db.stockLevel.findMany({
    where: { shop, ...(opts.sku ? { sku: opts.sku } : {}) },
    orderBy: [{ sku: 'asc' }, { variantId: 'asc' }],
    take: opts.take ?? 100,
    skip: opts.skip ?? 0,
  });
}

// ---- reservations ----------------------------------------------------------------------------------------

export async function lockGoods(tx: Tx, shop: string, codes: string[]): Promise<void> {
  // Sorted: two intakes locking overlapping goods always lock in the same order (no deadlock).
  for (const c of [...new Set(codes)].sort()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stock:${shop}:${c}`}, 0))`;
}

export async function reservationsOf(db: Db, shop: string, orderId: string) {
  return db.stockReservation.findMany({ where: { shop, orderId } });
}

export async function insertReservations(
  tx: Tx,
  shop: string,
  orderId: string,
  lines: { goodsCode: string; quantity: number; covered: boolean }[],
  now: Date,
  expiresAt: Date | null,
): Promise<void> {
  await tx.stockReservation.deleteMany({ where: { shop, orderId, settledAt: null, releasedAt: null } });
  if (lines.length === 0) return;
  await tx.stockReservation.createMany({ data: lines.map((l) => ({ shop, orderId, goodsCode: l.goodsCode, quantity: l.quantity, covered: l.covered, createdAt: now, expiresAt })) });
  await tx.$executeRaw`
    INSERT INTO stock_goods (shop, goods_code, available, read_at, last_sold_at)
    SELECT ${shop}, c, 0, 'epoch'::timestamptz, ${now} FROM unnest(${lines.map((l) => l.goodsCode)}::text[]) AS t(c)
    ON CONFLICT (shop, goods_code) DO UPDATE SET last_sold_at = EXCLUDED.last_sold_at`;
}

/** Gives an order's open reservations without an expiry (they waited for payment) the expiry `at`. */
export async function startExpiry(db: Db, shop: string, orderId: string, at: Date): Promise<void> {
  await db.stockReservation.updateMany({ where: { shop, orderId, expiresAt: null, settledAt: null, releasedAt: null }, data: { expiresAt: at } });
}

export async function settleReservations(db: Db, shop: string, orderId: string, reason: string, at: Date): Promise<string[]> {
  const rows = await db.stockReservation.findMany({ where: { shop, orderId, releasedAt: null, settledAt: null }, select: { goodsCode: true } });
  if (rows.length === 0) return [];
  await db.stockReservation.updateMany({ where: { shop, orderId, releasedAt: null, settledAt: null }, data: { settledAt: at, releaseReason: reason } });
  return rows.map((r) => r.goodsCode);
}

export async function expireReservations(db: Db, shop: string, now: Date) {
  const rows = await db.stockReservation.findMany({ where: { shop, releasedAt: null, expiresAt: { lt: now } } });
  if (rows.length === 0) return rows;
  await db.stockReservation.updateMany({ where: { id: { in: rows.map((r) => r.id) }, releasedAt: null }, data: { releasedAt: now, releaseReason: 'expired' } });
  return rows;
}

// ---- push outbox and runs --------------------------------------------------------------------------------

export interface PushItem {
  variantId: string;
  inventoryItemId: string;
  quantity: number;
  expected: number | null;
}

export async function createPushBatch(db: Db, shop: string, locationId: string, key: string, items: PushItem[]): Promise<bigint> {
  const row = await db.stockPushBatch.create({ data: { shop, locationId, idempotencyKey: key, items: items as never }, select: { id: true } });
  return row.id;
}

export async function pendingPushBatches(db: Db, shop: string) {
  const rows = await db.stockPushBatch.findMany({ where: { shop, state: 'pending' }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ ...r, items: r.items as unknown as PushItem[] }));
}

export async function finishPushBatch(db: Db, id: bigint, state: 'done' | 'rejected', error: string | null, at: Date): Promise<void> {
  await db.stockPushBatch.update({ where: { id }, data: { state, error, sentAt: at } });
}

export async function startRun(db: Db, shop: string, mode: string, at: Date): Promise<bigint> {
  return (await db.stockSyncRun.create({ data: { shop, mode, startedAt: at }, select: { id: true } })).id;
}

export async function updateRun(
  db: Db,
  id: bigint,
  patch: Partial<{ total: number; processed: number; changed: number; pushed: number; warehouseCalls: number; storefrontCalls: number; error: string | null; finishedAt: Date }>,
): Promise<void> {
  await db.stockSyncRun.update({ where: { id }, data: patch });
}

/** A finished verifying full run started after `since`, if any. */
export async function lastVerifiedRun(db: Db, shop: string, since: Date) {
  return db.stockSyncRun.findFirst({ where: { shop, mode: 'full+verify', error: null, finishedAt: { not: null }, startedAt: { gte: since } }, select: { id: true } });
}

/** Start of the shop's latest successful full cycle (verifying or not), or null. */
export async function lastFullRunStart(db: Db, shop: string): Promise<Date | null> {
  const run = await db.stockSyncRun.findFirst({
    where: { shop, mode: { startsWith: 'full' }, error: null, finishedAt: { not: null } },
    orderBy: { id: 'desc' },
    select: { startedAt: true },
  });
  return run?.startedAt ?? null;
}

export async function lastRuns(db: Db, shop: string, take = 5) {
  return db.stockSyncRun.findMany({ where: { shop }, orderBy: { id: 'desc' }, take });
}

/** Raises an alert unless the same one (kind + subject) is open already. */
export async function raiseStockAlert(
  db: Db,
  a: { shop: string; kind: string; subjectRef: string; message: string; severity?: 'info' | 'warning' | 'error'; details?: unknown },
): Promise<void> {
  const open = await db.alert.findFirst({ where: { shop: a.shop, kind: a.kind, subjectRef: a.subjectRef, resolvedAt: null }, select: { id: true } });
  if (open) return;
  await db.alert.create({ data: { shop: a.shop, kind: a.kind, subjectRef: a.subjectRef, message: a.message, severity: a.severity ?? 'error', details: (a.details ?? {}) as never } });
}
