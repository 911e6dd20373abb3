// Turns an order's lines into warehouse lines through the SKU↔goods mapping (pure; no I/O).
// - lines that need no shipping (gift cards, digital) or belong to another location are skipped, with why;
// - a variant without a mapping is reported as missing (the order waits in `needs_mapping`);
// - a bundle maps to several goods with quantities: its components are sent, multiplied by the line quantity;
// - the same goods from several lines are summed into one warehouse line (GreaterWMS adds quantities when a
//   goods code is posted twice, so one line per goods code is also the idempotent shape).

export interface OrderLineForSync {
  lineId: string;
  variantId: string | null;
  sku: string | null;
  quantity: number;
  requiresShipping: boolean;
  /** Location the line is assigned to (fulfilment order); null when not known. */
  locationId: string | null;
}

export interface MappingComponent {
  goodsCode: string;
  quantity: number;
}

export interface ResolvedLines {
  lines: { goodsCode: string; quantity: number; sourceLineIds: string[] }[];
  skipped: { lineId: string; reason: 'no_shipping_required' | 'other_location' | 'zero_quantity' }[];
  missing: { lineId: string; variantId: string | null; sku: string | null }[];
}

export function resolveWarehouseLines(
  orderLines: readonly OrderLineForSync[],
  mappingFor: (variantId: string) => readonly MappingComponent[] | undefined,
  warehouseLocationIds: ReadonlySet<string>,
): ResolvedLines {
  const totals = new Map<string, { quantity: number; sourceLineIds: string[] }>();
  const skipped: ResolvedLines['skipped'] = [];
  const missing: ResolvedLines['missing'] = [];
  for (const line of orderLines) {
    if (!line.requiresShipping) {
      skipped.push({ lineId: line.lineId, reason: 'no_shipping_required' });
      continue;
    }
    if (line.locationId !== null && !warehouseLocationIds.has(line.locationId)) {
      skipped.push({ lineId: line.lineId, reason: 'other_location' });
      continue;
    }
    if (line.quantity <= 0) {
      skipped.push({ lineId: line.lineId, reason: 'zero_quantity' });
      continue;
    }
    const components = line.variantId ? mappingFor(line.variantId) : undefined;
    if (!components || components.length === 0) {
      missing.push({ lineId: line.lineId, variantId: line.variantId, sku: line.sku });
      continue;
    }
    for (const c of components) {
      const entry = totals.get(c.goodsCode) ?? { quantity: 0, sourceLineIds: [] };
      entry.quantity += c.quantity * line.quantity;
      if (!entry.sourceLineIds.includes(line.lineId)) entry.sourceLineIds.push(line.lineId);
      totals.set(c.goodsCode, entry);
    }
  }
  const lines = [...totals.entries()]
    .map(([goodsCode, v]) => ({ goodsCode, ...v }))
    .sort((a, b) => a.goodsCode.localeCompare(b.goodsCode));
  return { lines, skipped, missing };
}
