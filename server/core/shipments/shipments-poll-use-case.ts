// shipments.poll (per shop, scheduled): reads the warehouse documents of every order in progress in one bulk
// call, records a shipment per newly dispatched document (DN or back order) and enqueues its fulfilment in the
// same transaction; a document that vanished → `cancelled_in_warehouse` + alert.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import type { OutboundDocState, OutboundOrderRef, WarehousePort } from '../ports.js';
import type { Audited } from '../orders/audit.js';
import type { ShipmentTrackingSource } from '../orders/order-ports.js';
import { canTransition, type OrderState } from '../orders/order-state.js';
import { fulfilmentJobSpec } from '../orders/order-jobs.js';
import { enqueue } from '../../queue/enqueue.js';
import { allocateShipments, type ShippedDoc } from './allocate-shipments.js';
import {
  insertShipment,
  lastWarehouseRead,
  orderSettings,
  ordersToPoll,
  raiseAlert,
  shipmentsAwaitingTracking,
  shipmentsOf,
  updateOrderSync,
  updateShipment,
  type OrderSyncRow,
} from '../../db/repos/order-sync-repo.js';

/** Orders per poll: the bulk read costs two paged calls whatever the count; 500 bounds one transaction set. */
const POLL_BATCH = 500;
/** A tracking number may be added to a dispatched document for this long (then we stop asking). */
const TRACKING_WINDOW_MS = 24 * 60 * 60_000;

export interface PollDeps {
  prisma: PrismaClient;
  warehouse: WarehousePort;
  tracking: ShipmentTrackingSource | null;
  audit: Audited;
  now: () => Date;
  log: Logger;
}

export interface PollResult {
  polled: number;
  newShipments: number;
  vanished: number;
  trackingLater: number;
}

const SHIPPED = new Set(['shipped', 'delivered']);
const docKeyOf = (d: OutboundDocState) => `${d.code}#${d.warehouseId}`;

export async function pollShipments(deps: PollDeps, shop: string, opts: { force?: boolean } = {}): Promise<PollResult> {
  const result: PollResult = { polled: 0, newShipments: 0, vanished: 0, trackingLater: 0 };
  // The schedule ticks every SHIPMENT_POLL_INTERVAL_MS; a shop that chose a slower interval skips ticks
  // (10 s slack so a tick a little early is not skipped).
  const { shipmentPollMinutes } = await orderSettings(deps.prisma, shop);
  const last = shipmentPollMinutes && !opts.force ? await lastWarehouseRead(deps.prisma, shop) : null;
  if (last && deps.now().getTime() - last.getTime() < shipmentPollMinutes! * 60_000 - 10_000) return result;
  const rows = await ordersToPoll(deps.prisma, shop, POLL_BATCH);
  if (rows.length > 0) {
    result.polled = rows.length;
    const byOrder = new Map(rows.map((r) => [r.orderId, r]));
    const read = await deps.audit('warehouse', 'readOutboundOrders', null, () => deps.warehouse.readOutboundOrders({ refs: rows.map((r) => r.dnRef as OutboundOrderRef) }));
    for (const status of read.orders) {
      const row = byOrder.get(status.ref.orderId);
      if (!row) continue;
      const docs = [status.main, ...status.backOrders].filter((d): d is OutboundDocState => d !== null);
      if (docs.length === 0) {
        result.vanished++;
        await vanished(deps, shop, row);
        continue;
      }
      result.newShipments += await recordShipments(deps, shop, row, docs);
    }
  }
  if (deps.tracking) result.trackingLater = await trackingLater(deps, shop);
  return result;
}

async function vanished(deps: PollDeps, shop: string, row: OrderSyncRow): Promise<void> {
  const expected = row.state === 'cancel_requested_in_warehouse';
  if (!canTransition(row.state as OrderState, 'cancelled_in_warehouse')) return;
  await deps.prisma.$transaction(async (tx) => {
    await updateOrderSync(tx, shop, row.orderId, { state: 'cancelled_in_warehouse', dnState: 'deleted', pollDone: true, stateReason: `DN ${row.dnCode} no longer exists in the warehouse` });
    await raiseAlert(tx, {
      shop,
      kind: 'order.cancelled_in_warehouse',
      subjectRef: `order:${row.orderId}`,
      severity: expected ? 'info' : 'error',
      message: expected
        ? `Order ${row.orderName ?? row.orderId}: the warehouse removed DN ${row.dnCode} as requested`
        : `Order ${row.orderName ?? row.orderId}: DN ${row.dnCode} was deleted in the warehouse; the order will not ship from there`,
    });
  });
}

async function recordShipments(deps: PollDeps, shop: string, row: OrderSyncRow, docs: OutboundDocState[]): Promise<number> {
  const shipped = docs.filter((d) => SHIPPED.has(d.state)).sort((a, b) => a.warehouseId - b.warehouseId);
  const dnState = [...new Set(docs.map((d) => d.state))].join('+');
  const allShipped = shipped.length === docs.length;
  const existing = await shipmentsOf(deps.prisma, shop, row.orderId);
  const recorded = new Map(existing.map((s) => [s.docKey, s.lines]));
  const shippedDocs: ShippedDoc[] = shipped.map((d) => {
    const goods = new Map<string, number>();
    for (const l of d.lines) goods.set(l.warehouseCode, (goods.get(l.warehouseCode) ?? 0) + l.shipped);
    return { docKey: docKeyOf(d), goods };
  });
  const fresh = allocateShipments(row.lineMap, shippedDocs, recorded);
  const ordered = row.lineMap.reduce((s, l) => s + l.quantity, 0);
  const assigned = [...existing.flatMap((s) => s.lines), ...fresh.flatMap((f) => f.lines)].reduce((s, l) => s + l.quantity, 0);
  let next: OrderState = row.state as OrderState;
  if (assigned > 0 || allShipped) next = allShipped && assigned >= ordered ? 'shipped' : 'partially_shipped';
  if (row.state === 'cancel_requested_in_warehouse' && assigned === 0) next = row.state;
  const move = next !== row.state && canTransition(row.state as OrderState, next);
  let created = 0;
  await deps.prisma.$transaction(async (tx) => {
    for (const f of fresh) {
      const s = await insertShipment(tx, shop, row.orderId, f.docKey, f.lines);
      if (s && f.lines.length > 0) {
        await enqueue(tx, fulfilmentJobSpec(shop, row.orderId, s.id));
        created++;
      }
    }
    await updateOrderSync(tx, shop, row.orderId, {
      dnState,
      ...(move ? { state: next } : {}),
      // Everything dispatched: nothing more will come from the warehouse for this order.
      ...(allShipped ? { pollDone: true } : {}),
      ...(allShipped && assigned < ordered ? { stateReason: `warehouse shipped ${assigned} of ${ordered} units (short pick)` } : {}),
    });
    if (allShipped && assigned < ordered) {
      await raiseAlert(tx, {
        shop,
        kind: 'order.short_shipped',
        subjectRef: `order:${row.orderId}`,
        severity: 'warning',
        message: `Order ${row.orderName ?? row.orderId}: the warehouse shipped ${assigned} of ${ordered} units; the rest stays unfulfilled`,
      });
    }
  });
  return created;
}

/** Fulfilled shipments without a number: ask the warehouse again; a number that appeared → tracking update. */
async function trackingLater(deps: PollDeps, shop: string): Promise<number> {
  const waiting = await shipmentsAwaitingTracking(deps.prisma, shop, new Date(deps.now().getTime() - TRACKING_WINDOW_MS));
  let n = 0;
  for (const s of waiting) {
    if (s.trackingNumber && !s.trackingSent) {
      // Known but not sent (its job was busy when the number arrived): send it now.
      await enqueue(deps.prisma, fulfilmentJobSpec(shop, s.orderId, s.id));
      n++;
      continue;
    }
    const [code, id] = s.docKey.split('#');
    const t = await deps.audit('warehouse', 'trackingFor', s.orderId, () => deps.tracking!.trackingFor({ code: code!, warehouseId: Number(id) }));
    if (!t?.number) continue;
    await deps.prisma.$transaction(async (tx) => {
      await updateShipment(tx, shop, s.id, { trackingNumber: t.number, trackingSent: false });
      await enqueue(tx, fulfilmentJobSpec(shop, s.orderId, s.id));
    });
    n++;
  }
  return n;
}
