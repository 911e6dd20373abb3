// Data layer of the order loop: order_sync, order_shipment, sku_mapping, carrier_mapping, external_call and the
// order alerts. Every query is scoped by shop.
import type { Prisma, PrismaClient } from '@prisma/client';
import type { Tx } from '../client.js';

export type Db = PrismaClient | Tx;

export interface WarehouseLine {
  goodsCode: string;
  quantity: number;
}

/** A fulfilment-order line the warehouse ships, and the goods one unit of it takes. */
export interface LineMapEntry {
  fulfillmentOrderId: string;
  fulfillmentOrderLineId: string;
  quantity: number;
  components: { goodsCode: string; quantity: number }[];
}

export interface OrderSyncRow {
  id: bigint;
  shop: string;
  orderId: string;
  orderName: string | null;
  state: string;
  stateReason: string | null;
  missingSkus: unknown;
  lines: WarehouseLine[];
  lineMap: LineMapEntry[];
  dnCode: string | null;
  dnRef: unknown;
  dnState: string | null;
  flags: string[];
  pollDone: boolean;
}

function toRow(r: NonNullable<Awaited<ReturnType<PrismaClient['orderSync']['findUnique']>>>): OrderSyncRow {
  return {
    id: r.id,
    shop: r.shop,
    orderId: r.orderId,
    orderName: r.orderName,
    state: r.state,
    stateReason: r.stateReason,
    missingSkus: r.missingSkus,
    lines: r.lines as unknown as WarehouseLine[],
    lineMap: r.lineMap as unknown as LineMapEntry[],
    dnCode: r.dnCode,
    dnRef: r.dnRef,
    dnState: r.dnState,
    flags: r.flags as unknown as string[],
    pollDone: r.pollDone,
  };
}

export async function findOrderSync(db: Db, shop: string, orderId: string): Promise<OrderSyncRow | null> {
  const r = await db.orderSync.findUnique({ where: { shop_orderId: { shop, orderId } } });
  return r ? toRow(r) : null;
}

/** The order's row, created in state `received` when new (a repeat changes nothing). */
export async function ensureOrderSync(db: Db, shop: string, orderId: string, orderName: string | null): Promise<OrderSyncRow> {
  const r = await db.orderSync.upsert({
    where: { shop_orderId: { shop, orderId } },
    create: { shop, orderId, orderName },
    update: {},
  });
  return toRow(r);
}

export interface OrderSyncPatch {
  orderName?: string;
  state?: string;
  stateReason?: string | null;
  missingSkus?: unknown[];
  skippedLines?: unknown[];
  lines?: WarehouseLine[];
  lineMap?: LineMapEntry[];
  dnCode?: string | null;
  dnRef?: unknown;
  dnState?: string | null;
  flags?: string[];
  pollDone?: boolean;
  orderUpdatedAt?: Date | null;
}

export async function updateOrderSync(db: Db, shop: string, orderId: string, patch: OrderSyncPatch): Promise<void> {
  // undefined = leave as is (dnRef is never cleared, so no Prisma.DbNull handling is needed).
  const data = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Prisma.OrderSyncUpdateManyMutationInput;
  await db.orderSync.updateMany({ where: { shop, orderId }, data });
}

export async function ordersInState(db: Db, shop: string, states: string[]): Promise<OrderSyncRow[]> {
  const rows = await db.orderSync.findMany({ where: { shop, state: { in: states } }, orderBy: { id: 'asc' } });
  return rows.map(toRow);
}

/** Orders whose warehouse documents are still to be watched (the shipments poll). */
export async function ordersToPoll(db: Db, shop: string, limit: number): Promise<OrderSyncRow[]> {
  const rows = await db.orderSync.findMany({
    where: { shop, pollDone: false, dnCode: { not: null }, state: { in: ['in_warehouse', 'partially_shipped', 'cancel_requested_in_warehouse'] } },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map(toRow).filter((r) => r.dnRef !== null);
}

// ---- mappings -------------------------------------------------------------------------------------------

export interface MappingComponentRow {
  goodsCode: string;
  quantity: number;
}

export async function mappingsFor(db: Db, shop: string, variantIds: string[]): Promise<Map<string, MappingComponentRow[]>> {
  if (variantIds.length === 0) return new Map();
  const rows = await db.skuMapping.findMany({ where: { shop, variantId: { in: variantIds } } });
  return new Map(rows.map((r) => [r.variantId, r.components as unknown as MappingComponentRow[]]));
}

export async function upsertSkuMapping(db: Db, shop: string, variantId: string, sku: string | null, components: MappingComponentRow[]): Promise<void> {
  await db.skuMapping.upsert({
    where: { shop_variantId: { shop, variantId } },
    create: { shop, variantId, sku, components: components as never },
    update: { sku, components: components as never },
  });
}

export async function carrierFor(db: Db, shop: string, driverKey: string) {
  return db.carrierMapping.findUnique({ where: { shop_driverKey: { shop, driverKey: driverKey.toLowerCase() } } });
}

export async function upsertCarrierMapping(db: Db, shop: string, driverKey: string, company: string, trackingUrlTemplate: string | null): Promise<void> {
  const key = driverKey.toLowerCase();
  await db.carrierMapping.upsert({
    where: { shop_driverKey: { shop, driverKey: key } },
    create: { shop, driverKey: key, company, trackingUrlTemplate },
    update: { company, trackingUrlTemplate },
  });
}

// ---- shop settings ---------------------------------------------------------------------------------------

export interface OrderShopSettings {
  /** Send the platform's shipping confirmation to the customer (default true). */
  notifyCustomer: boolean;
  /** Locations the warehouse ships from; empty = every location. */
  warehouseLocationIds: string[];
  /** The shop's own choice (admin settings); null = the server's ORDER_TRIGGER. */
  orderTrigger: 'created' | 'paid' | null;
  /** The shop's shipment poll interval (admin settings, minutes); null = every scheduled tick. */
  shipmentPollMinutes: number | null;
}

export async function orderSettings(db: Db, shop: string): Promise<OrderShopSettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const s = (row?.settings ?? {}) as Record<string, unknown>;
  return {
    notifyCustomer: typeof s.notifyCustomer === 'boolean' ? s.notifyCustomer : true,
    warehouseLocationIds: Array.isArray(s.warehouseLocationIds) ? s.warehouseLocationIds.filter((x): x is string => typeof x === 'string') : [],
    orderTrigger: s.orderTrigger === 'created' || s.orderTrigger === 'paid' ? s.orderTrigger : null,
    shipmentPollMinutes: typeof s.shipmentPollMinutes === 'number' && s.shipmentPollMinutes > 0 ? s.shipmentPollMinutes : null,
  };
}

// ---- shipments -------------------------------------------------------------------------------------------

export interface ShipmentLine {
  fulfillmentOrderId: string;
  fulfillmentOrderLineId: string;
  quantity: number;
}

export interface ShipmentRow {
  id: bigint;
  shop: string;
  orderId: string;
  docKey: string;
  lines: ShipmentLine[];
  fulfillmentId: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  trackingSent: boolean;
  fulfillmentsBefore: string[] | null;
  failedReason: string | null;
  createdAt: Date;
}

function toShipment(r: NonNullable<Awaited<ReturnType<PrismaClient['orderShipment']['findFirst']>>>): ShipmentRow {
  return { ...r, lines: r.lines as unknown as ShipmentLine[], fulfillmentsBefore: (r.fulfillmentsBefore as string[] | null) ?? null };
}

export async function shipmentsOf(db: Db, shop: string, orderId: string): Promise<ShipmentRow[]> {
  const rows = await db.orderShipment.findMany({ where: { shop, orderId }, orderBy: { id: 'asc' } });
  return rows.map(toShipment);
}

export async function findShipment(db: Db, shop: string, id: bigint): Promise<ShipmentRow | null> {
  const r = await db.orderShipment.findFirst({ where: { shop, id } });
  return r ? toShipment(r) : null;
}

/** Inserts a shipment unless one exists for the document; returns the new row or null. */
export async function insertShipment(db: Db, shop: string, orderId: string, docKey: string, lines: ShipmentLine[]): Promise<ShipmentRow | null> {
  const r = await db.orderShipment.createMany({ data: [{ shop, orderId, docKey, lines: lines as never }], skipDuplicates: true });
  if (r.count === 0) return null;
  const row = await db.orderShipment.findFirst({ where: { shop, orderId, docKey } });
  return row ? toShipment(row) : null;
}

export async function updateShipment(
  db: Db,
  shop: string,
  id: bigint,
  data: Partial<Pick<ShipmentRow, 'fulfillmentId' | 'trackingCompany' | 'trackingNumber' | 'trackingUrl' | 'trackingSent' | 'failedReason'>> & { fulfillmentsBefore?: string[] },
): Promise<void> {
  await db.orderShipment.updateMany({ where: { shop, id }, data: data as never });
}

/** Fulfilled shipments created after `since` whose number is missing or not sent yet. */
export async function shipmentsAwaitingTracking(db: Db, shop: string, since: Date): Promise<ShipmentRow[]> {
  const rows = await db.orderShipment.findMany({
    where: { shop, fulfillmentId: { not: null }, failedReason: null, createdAt: { gte: since }, OR: [{ trackingNumber: null }, { trackingSent: false }] },
  });
  return rows.map(toShipment);
}

// ---- audit and alerts ------------------------------------------------------------------------------------

export interface ExternalCallRecord {
  shop: string;
  orderId: string | null;
  system: 'warehouse' | 'storefront';
  operation: string;
  outcome: 'ok' | 'error';
  errorCode: string | null;
  durationMs: number;
  at: Date;
}

export async function recordExternalCall(db: Db, c: ExternalCallRecord): Promise<void> {
  await db.externalCall.create({ data: c });
}

/** When the shop's warehouse documents were last read by the poll (null: never). */
export async function lastWarehouseRead(db: Db, shop: string): Promise<Date | null> {
  const r = await db.externalCall.findFirst({ where: { shop, system: 'warehouse', operation: 'readOutboundOrders', outcome: 'ok' }, orderBy: { id: 'desc' }, select: { at: true } });
  return r?.at ?? null;
}

export async function externalCallsOf(db: Db, shop: string, orderId: string) {
  return db.externalCall.findMany({ where: { shop, orderId }, orderBy: { id: 'asc' } });
}

/** Raises an alert unless the same one (kind + subject) is open already. */
export async function raiseAlert(
  db: Db,
  a: { shop: string; kind: string; subjectRef: string; message: string; severity?: 'info' | 'warning' | 'error'; details?: unknown },
): Promise<void> {
  const open = await db.alert.findFirst({ where: { shop: a.shop, kind: a.kind, subjectRef: a.subjectRef, resolvedAt: null } });
  if (open) return;
  await db.alert.create({
    data: { shop: a.shop, kind: a.kind, subjectRef: a.subjectRef, message: a.message, severity: a.severity ?? 'error', details: (a.details ?? {}) as never },
  });
}

export async function resolveAlerts(db: Db, shop: string, subjectRef: string, kinds: string[], at: Date): Promise<void> {
  await db.alert.updateMany({ where: { shop, subjectRef, kind: { in: kinds }, resolvedAt: null }, data: { resolvedAt: at } });
}
