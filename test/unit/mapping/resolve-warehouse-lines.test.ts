import { describe, expect, it } from 'vitest';
import { resolveWarehouseLines, type MappingComponent, type OrderLineForSync } from '../../../server/core/mapping/resolve-warehouse-lines.js';

const WAREHOUSE = new Set(['loc-wms']);
const line = (over: Partial<OrderLineForSync>): OrderLineForSync => ({
  lineId: 'l1', variantId: 'v1', sku: 'SKU-1', quantity: 1, requiresShipping: true, locationId: 'loc-wms', ...over,
});
const mappings: Record<string, MappingComponent[]> = {
  v1: [{ goodsCode: 'G1001', quantity: 1 }],
  v2: [{ goodsCode: 'G2002', quantity: 1 }],
  kit: [{ goodsCode: 'G1001', quantity: 2 }, { goodsCode: 'G3003', quantity: 1 }],
};
const lookup = (id: string) => mappings[id];

describe('order lines → warehouse lines', () => {
  it('mapped lines become one warehouse line per goods code with the ordered quantity', () => {
    const r = resolveWarehouseLines([line({ quantity: 3 }), line({ lineId: 'l2', variantId: 'v2', sku: 'SKU-2' })], lookup, WAREHOUSE);
    expect(r.lines).toEqual([
      { goodsCode: 'G1001', quantity: 3, sourceLineIds: ['l1'] },
      { goodsCode: 'G2002', quantity: 1, sourceLineIds: ['l2'] },
    ]);
    expect(r.missing).toEqual([]);
  });

  it('a bundle sends its components multiplied by the line quantity and sums goods shared with other lines', () => {
    const r = resolveWarehouseLines([line({ quantity: 1 }), line({ lineId: 'k', variantId: 'kit', quantity: 2 })], lookup, WAREHOUSE);
    expect(r.lines).toEqual([
      { goodsCode: 'G1001', quantity: 5, sourceLineIds: ['l1', 'k'] },
      { goodsCode: 'G3003', quantity: 2, sourceLineIds: ['k'] },
    ]);
  });

  it('gift cards, lines of other locations and zero quantities are skipped with a reason', () => {
    const r = resolveWarehouseLines(
      [line({ lineId: 'gift', requiresShipping: false }), line({ lineId: 'shop', locationId: 'loc-store' }), line({ lineId: 'z', quantity: 0 })],
      lookup,
      WAREHOUSE,
    );
    expect(r.lines).toEqual([]);
    expect(r.skipped.map((s) => [s.lineId, s.reason])).toEqual([
      ['gift', 'no_shipping_required'],
      ['shop', 'other_location'],
      ['z', 'zero_quantity'],
    ]);
  });

  it('an unmapped variant (or a custom line without variant) is reported missing with its SKU', () => {
    const r = resolveWarehouseLines([line({ lineId: 'u', variantId: 'v9', sku: 'NEW-9' }), line({ lineId: 'c', variantId: null, sku: null })], lookup, WAREHOUSE);
    expect(r.missing).toEqual([
      { lineId: 'u', variantId: 'v9', sku: 'NEW-9' },
      { lineId: 'c', variantId: null, sku: null },
    ]);
    expect(r.lines).toEqual([]);
  });
});
