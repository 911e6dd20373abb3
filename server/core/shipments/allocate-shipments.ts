// Turns what the warehouse shipped (goods per document) into storefront fulfilment lines (pure; no I/O).
// Shipments are allocated cumulatively over the order's shipped documents in a fixed order: the goods shipped
// so far are spread greedily over the fulfilment-order lines (a bundle counts only when all its components
// have shipped), and a document gets the units that became fulfillable with it. Repeating the computation
// with the same documents gives the same answer, so a poll that runs twice never fulfils twice.
import type { LineMapEntry, ShipmentLine } from '../../db/repos/order-sync-repo.js';

export interface ShippedDoc {
  docKey: string;
  /** goods code → units shipped on this document. */
  goods: Map<string, number>;
}

/** Units of each fulfilment-order line the given goods cover (lines in lineMap order, greedy). */
export function fulfillableUnits(lineMap: readonly LineMapEntry[], goods: ReadonlyMap<string, number>): Map<string, number> {
  const pool = new Map(goods);
  const units = new Map<string, number>();
  for (const line of lineMap) {
    let n = line.quantity;
    for (const c of line.components) n = Math.min(n, Math.floor((pool.get(c.goodsCode) ?? 0) / c.quantity));
    n = Math.max(0, n);
    for (const c of line.components) pool.set(c.goodsCode, (pool.get(c.goodsCode) ?? 0) - n * c.quantity);
    units.set(line.fulfillmentOrderLineId, n);
  }
  return units;
}

/**
 * New shipment lines per document. `docs` in a stable order (the poll sorts by doc key); `recorded` maps a
 * doc key already stored to its lines (kept as they are: they may already be fulfilled).
 */
export function allocateShipments(
  lineMap: readonly LineMapEntry[],
  docs: readonly ShippedDoc[],
  recorded: ReadonlyMap<string, readonly ShipmentLine[]>,
): { docKey: string; lines: ShipmentLine[] }[] {
  const cumulative = new Map<string, number>();
  const assigned = new Map<string, number>();
  const out: { docKey: string; lines: ShipmentLine[] }[] = [];
  for (const [, lines] of recorded) for (const l of lines) assigned.set(l.fulfillmentOrderLineId, (assigned.get(l.fulfillmentOrderLineId) ?? 0) + l.quantity);
  for (const doc of docs) {
    for (const [g, q] of doc.goods) cumulative.set(g, (cumulative.get(g) ?? 0) + q);
    if (recorded.has(doc.docKey)) continue;
    const total = fulfillableUnits(lineMap, cumulative);
    const lines: ShipmentLine[] = [];
    for (const line of lineMap) {
      const n = (total.get(line.fulfillmentOrderLineId) ?? 0) - (assigned.get(line.fulfillmentOrderLineId) ?? 0);
      if (n > 0) {
        lines.push({ fulfillmentOrderId: line.fulfillmentOrderId, fulfillmentOrderLineId: line.fulfillmentOrderLineId, quantity: n });
        assigned.set(line.fulfillmentOrderLineId, (assigned.get(line.fulfillmentOrderLineId) ?? 0) + n);
      }
    }
    out.push({ docKey: doc.docKey, lines });
  }
  return out;
}

/** "{number}" in the template replaced by the URL-encoded number. */
export function trackingUrl(template: string | null | undefined, number: string | null): string | null {
  if (!template || !number) return null;
  return template.replaceAll('{number}', encodeURIComponent(number));
}
