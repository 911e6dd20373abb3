// order.sync: brings one shop order to the warehouse, and keeps the warehouse order in step with cancellations
// and edits. Always works from the order's CURRENT state read through the storefront (webhooks arrive late,
// twice and out of order); the job runs one at a time per order (ordering key), so this is the only writer
// of an order's row while it runs.
//
//  received ─(trigger not met: waits)─ received
//     ├─ lines without mapping ─► needs_mapping (alert; saveMapping re-runs it)
//     ├─ no ship-to ─► needs_address (alert)
//     └─► queued ─ createOutboundOrder (idempotent by the derived DN code) ─► in_warehouse
//  cancelled in the shop: DN still draft → deleted → cancelled; confirmed → cancel_requested_in_warehouse (alert)
//  edited in the shop: lines replaced while the DN is a draft; later → flag "edit_not_applied" (alert)
import type { Logger } from 'pino';
import type { OrderRecipient, OutboundOrderRef, WarehousePort } from '../ports.js';
import type { OrderStorefront, SyncOrder } from './order-ports.js';
import { canTransition, isTerminal, type OrderState } from './order-state.js';
import { resolveWarehouseLines, type OrderLineForSync } from '../mapping/resolve-warehouse-lines.js';
import type { Audited } from './audit.js';
import { reserveForOrder, settleOrderReservations } from '../stock/reservations.js';
import {
  ensureOrderSync,
  mappingsFor,
  orderSettings,
  raiseAlert,
  resolveAlerts,
  updateOrderSync,
  type Db,
  type LineMapEntry,
  type OrderSyncPatch,
  type OrderSyncRow,
  type WarehouseLine,
} from '../../db/repos/order-sync-repo.js';

export type OrderTrigger = 'created' | 'paid';

/** Payment states that count as "paid" for the paid trigger. */
const PAID = new Set(['PAID', 'PARTIALLY_REFUNDED']);
/** Fulfilment-order states whose lines the warehouse still has to ship. */
const OPEN_FO = new Set(['open', 'in_progress', 'scheduled', 'on_hold', 'incomplete']);

/** The warehouse as the order loop uses it: the port plus the DN code it derives from an order. */
export type OrderWarehouse = WarehousePort & { orderCode(order: { orderId: string; orderName: string }): string };

export interface OrderSyncDeps {
  db: Db;
  storefront: OrderStorefront;
  warehouse: OrderWarehouse;
  audit: Audited;
  trigger: OrderTrigger;
  now: () => Date;
  log: Logger;
}

export type SyncOutcome = OrderState | 'unchanged' | 'order_missing';

const subject = (orderId: string) => `order:${orderId}`;

function sameLines(a: WarehouseLine[], b: WarehouseLine[]): boolean {
  const key = (l: WarehouseLine[]) => JSON.stringify([...l].sort((x, y) => x.goodsCode.localeCompare(y.goodsCode)).map((x) => [x.goodsCode, x.quantity]));
  return key(a) === key(b);
}

export async function syncOrder(deps: OrderSyncDeps, shop: string, orderId: string): Promise<SyncOutcome> {
  const { db, audit } = deps;
  const order = await audit('storefront', 'getOrderForSync', orderId, () => deps.storefront.getOrderForSync(orderId));
  if (!order) {
    deps.log.info({ shop, orderId }, 'order no longer exists in the shop');
    return 'order_missing';
  }
  const row = await ensureOrderSync(db, shop, orderId, order.name);
  if (isTerminal(row.state as OrderState)) return 'unchanged';
  const move = async (to: OrderState, patch: OrderSyncPatch = {}): Promise<SyncOutcome> => {
    const from = row.state as OrderState;
    if (from !== to && !canTransition(from, to)) {
      deps.log.warn({ shop, orderId, from, to }, 'order state move not allowed; left as is');
      return 'unchanged';
    }
    await updateOrderSync(db, shop, orderId, { ...patch, state: to, orderName: order.name, orderUpdatedAt: new Date(order.updatedAt) });
    row.state = to;
    return to;
  };

  if (order.cancelledAt) return cancelInWarehouse(deps, shop, row, order, move);
  if (['shipped', 'partially_shipped', 'cancel_requested_in_warehouse'].includes(row.state)) return 'unchanged';

  const settings = await orderSettings(db, shop);
  const trigger = settings.orderTrigger ?? deps.trigger;
  const awaitingPayment = !row.dnRef && trigger === 'paid' && !PAID.has(order.financialStatus ?? '') && ['received', 'failed'].includes(row.state);

  // Lines for the warehouse: open fulfilment orders at the warehouse's locations, through the SKU mapping.
  const openLines = order.lines.filter((l) => OPEN_FO.has(l.fulfillmentOrderStatus));
  const variantIds = [...new Set(openLines.map((l) => l.variantId).filter((v): v is string => !!v))];
  const mappings = await mappingsFor(db, shop, variantIds);
  const forSync: OrderLineForSync[] = openLines.map((l) => ({
    lineId: l.fulfillmentOrderLineId,
    variantId: l.variantId,
    sku: l.sku,
    quantity: l.totalQuantity,
    requiresShipping: l.requiresShipping,
    locationId: settings.warehouseLocationIds.length ? l.locationId : null,
  }));
  const resolved = resolveWarehouseLines(forSync, (v) => mappings.get(v), new Set(settings.warehouseLocationIds));
  const skippedLines: { lineId: string; sku: string | null; reason: string }[] = resolved.skipped.map((s) => ({ lineId: s.lineId, sku: openLines.find((l) => l.fulfillmentOrderLineId === s.lineId)?.sku ?? null, reason: s.reason }));
  // Order lines no fulfilment order carries: nothing to ship (gift cards, digital), or not assigned anywhere.
  const carried = new Set(order.lines.map((l) => l.lineItemId));
  for (const l of order.orderLines) {
    if (!carried.has(l.lineItemId) && l.quantity > 0) skippedLines.push({ lineId: l.lineItemId, sku: l.sku, reason: l.requiresShipping ? 'no_fulfilment_order' : 'no_shipping_required' });
  }

  // Stock: hold the units until the warehouse has the order (docs/stock.md), from intake and whatever the payment
  // status: Shopify commits inventory when the order is created, paid or not, so a push made while we wait for
  // the payment would otherwise put those units back on sale. Unpaid, the hold has no expiry yet.
  const lines: WarehouseLine[] = resolved.lines.map((l) => ({ goodsCode: l.goodsCode, quantity: l.quantity }));
  if (!row.dnRef && resolved.missing.length === 0 && lines.length > 0) await reserveForOrder(db, shop, orderId, lines, deps.now(), undefined, { awaitingPayment });
  if (awaitingPayment) {
    await updateOrderSync(db, shop, orderId, { stateReason: `waiting for payment (${order.financialStatus ?? 'unknown'})` });
    return 'unchanged';
  }

  if (resolved.missing.length > 0) {
    const missingSkus = resolved.missing.map((m) => ({ lineId: m.lineId, variantId: m.variantId, sku: m.sku }));
    if (row.dnRef) {
      // Edited after the DN exists, with a line we cannot map: never send a DN without it; flag instead.
      await updateOrderSync(db, shop, orderId, { flags: [...new Set([...row.flags, 'edit_needs_mapping'])], missingSkus, stateReason: `edited in the shop with ${missingSkus.length} unmapped line(s); the warehouse order was left as it is` });
      await raiseAlert(db, { shop, kind: 'order.edit_not_applied', subjectRef: subject(orderId), severity: 'warning', message: `Order ${order.name} was edited with unmapped SKUs (${missingSkus.map((m) => m.sku ?? '?').join(', ')}); DN ${row.dnCode} was not changed` });
      return 'unchanged';
    }
    if (row.state !== 'needs_mapping') {
      await raiseAlert(db, {
        shop,
        kind: 'order.needs_mapping',
        subjectRef: subject(orderId),
        severity: 'warning',
        message: `Order ${order.name} waits for a warehouse mapping of ${missingSkus.map((m) => m.sku ?? m.variantId ?? '?').join(', ')}`,
        details: { missingSkus },
      });
    }
    return move('needs_mapping', { missingSkus, skippedLines, stateReason: `no warehouse mapping for ${missingSkus.length} line(s)` });
  }

  const lineMap: LineMapEntry[] = openLines
    .filter((l) => resolved.lines.some((r) => r.sourceLineIds.includes(l.fulfillmentOrderLineId)))
    .map((l) => ({
      fulfillmentOrderId: l.fulfillmentOrderId,
      fulfillmentOrderLineId: l.fulfillmentOrderLineId,
      quantity: l.totalQuantity,
      components: [...(mappings.get(l.variantId!) ?? [])],
    }));

  if (row.dnRef) return applyEdit(deps, shop, row, order, lines, lineMap);

  if (lines.length === 0) {
    await resolveAlerts(db, shop, subject(orderId), ['order.needs_mapping', 'order.needs_address'], deps.now());
    return move('not_for_warehouse', { missingSkus: [], skippedLines, stateReason: 'no line ships from the warehouse' });
  }
  if (!order.shippingAddress || !hasAddress(order.shippingAddress)) {
    if (row.state !== 'needs_address') {
      await raiseAlert(db, {
        shop,
        kind: 'order.needs_address',
        subjectRef: subject(orderId),
        severity: 'warning',
        message: `Order ${order.name} has no shipping address the app may read (protected customer data access?)`,
      });
    }
    return move('needs_address', { missingSkus: [], skippedLines, stateReason: 'no shipping address available' });
  }

  const dnCode = deps.warehouse.orderCode({ orderId, orderName: order.name });
  // Recorded before the call: a crash after the warehouse committed is repaired by the same derived code.
  const q = await move('queued', { missingSkus: [], skippedLines, lines, lineMap, dnCode, stateReason: null });
  if (q === 'unchanged' && row.state !== 'queued') return q;
  const result = await audit('warehouse', 'createOutboundOrder', orderId, () =>
    deps.warehouse.createOutboundOrder({
      orderId,
      orderName: order.name,
      lines: lines.map((l) => ({ sku: l.goodsCode, quantity: l.quantity })),
      recipient: order.shippingAddress!,
    }),
  );
  await resolveAlerts(db, shop, subject(orderId), ['order.needs_mapping', 'order.needs_address', 'order.failed'], deps.now());
  if (result.warnings.length) deps.log.warn({ shop, orderId, warnings: result.warnings }, 'warehouse order created with warnings');
  if (result.state !== 'draft') await settleOrderReservations(db, shop, orderId, 'confirmed', deps.now()); // stock: released at the next warehouse read
  return move('in_warehouse', { dnCode: result.ref.code, dnRef: result.ref, dnState: result.state, stateReason: null });
}

function hasAddress(r: OrderRecipient): boolean {
  return !!(r.address1 || r.city) && !!(r.name || r.company);
}

async function cancelInWarehouse(
  deps: OrderSyncDeps,
  shop: string,
  row: OrderSyncRow,
  order: SyncOrder,
  move: (to: OrderState, patch?: OrderSyncPatch) => Promise<SyncOutcome>,
): Promise<SyncOutcome> {
  const { db } = deps;
  if (['cancelled', 'cancel_requested_in_warehouse', 'shipped', 'fulfilled'].includes(row.state)) return 'unchanged';
  await settleOrderReservations(db, shop, row.orderId, 'cancelled', deps.now()); // stock: released at the next warehouse read
  await resolveAlerts(db, shop, subject(row.orderId), ['order.needs_mapping', 'order.needs_address'], deps.now());
  const code = row.dnCode;
  if (!code) return move('cancelled', { stateReason: 'cancelled in the shop before reaching the warehouse' });
  // Without a stored ref (the create never answered) the derived code still finds a DN it left behind.
  const ref = (row.dnRef as OutboundOrderRef | null) ?? { orderId: row.orderId, code, warehouseId: null, recipientKey: '', createdAt: '' };
  const r = await deps.audit('warehouse', 'cancelOutboundOrder', row.orderId, () => deps.warehouse.cancelOutboundOrder(ref));
  if (r.outcome === 'cancelled' || r.outcome === 'absent') {
    return move('cancelled', { dnState: r.outcome === 'cancelled' ? 'deleted' : row.dnState, pollDone: true, stateReason: `cancelled in the shop; warehouse order ${r.outcome === 'cancelled' ? 'deleted' : 'not found'}` });
  }
  await raiseAlert(db, {
    shop,
    kind: 'order.cancel_requested_in_warehouse',
    subjectRef: subject(row.orderId),
    message: `Order ${order.name} was cancelled in the shop but the warehouse already ${r.state} DN ${code}: stop it in GreaterWMS`,
    details: { dnCode: code, warehouseState: r.state },
  });
  return move('cancel_requested_in_warehouse', { dnState: r.state, stateReason: r.detail });
}

async function applyEdit(
  deps: OrderSyncDeps,
  shop: string,
  row: OrderSyncRow,
  order: SyncOrder,
  lines: WarehouseLine[],
  lineMap: LineMapEntry[],
): Promise<SyncOutcome> {
  if (sameLines(row.lines, lines)) return 'unchanged';
  const { db } = deps;
  if (lines.length > 0) {
    const result = await deps.audit('warehouse', 'createOutboundOrder', row.orderId, () =>
      deps.warehouse.createOutboundOrder({
        orderId: row.orderId,
        orderName: order.name,
        lines: lines.map((l) => ({ sku: l.goodsCode, quantity: l.quantity })),
        recipient: order.shippingAddress ?? { name: order.name },
      }),
    );
    if (result.steps.some((s) => s === 'lines-replaced' || s === 'lines')) {
      await updateOrderSync(db, shop, row.orderId, { lines, lineMap, dnState: result.state, stateReason: 'lines replaced after an edit in the shop' });
      return 'in_warehouse';
    }
  }
  // The warehouse has confirmed the order: its lines can no longer be changed through the API.
  const flags = [...new Set([...row.flags, 'edit_not_applied'])];
  await updateOrderSync(db, shop, row.orderId, { flags, stateReason: 'edited in the shop after the warehouse confirmed it; change the warehouse order by hand' });
  await raiseAlert(db, {
    shop,
    kind: 'order.edit_not_applied',
    subjectRef: subject(row.orderId),
    severity: 'warning',
    message: `Order ${order.name} was edited after the warehouse confirmed DN ${row.dnCode}: change it in GreaterWMS`,
    details: { wanted: lines, sent: row.lines },
  });
  return 'unchanged';
}
