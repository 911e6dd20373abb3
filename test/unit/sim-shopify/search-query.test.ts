// Shopify search syntax as the simulator reads it: comparisons, quotes, AND, negation; unknown keys and free
// text fail loudly rather than being ignored.
import { describe, expect, it } from 'vitest';
import { applyTerm, compareTime, parseSearch } from '../../sim/shopify/search-query.js';

describe('parseSearch', () => {
  it('reads comparisons, quoted values, AND and negation', () => {
    expect(parseSearch(`updated_at:>='2026-06-01T10:00:00Z' AND -status:cancelled name:"#1001"`, ['updated_at', 'status', 'name'], 'orders')).toEqual([
      { key: 'updated_at', op: '>=', value: '2026-06-01T10:00:00Z', negated: false },
      { key: 'status', op: ':', value: 'cancelled', negated: true },
      { key: 'name', op: ':', value: '#1001', negated: false },
    ]);
  });

  it('an unknown key names the supported ones', () => {
    expect(() => parseSearch('tag:wms', ['sku'], 'productVariants')).toThrow(/search key "tag" in productVariants is not supported \(supported: sku\)/);
  });

  it('free text is refused', () => {
    expect(() => parseSearch('mug', ['sku'], 'productVariants')).toThrow(/free-text search "mug"/);
  });

  it('time comparisons and negation', () => {
    const [gt] = parseSearch("updated_at:>'2026-06-01T10:00:00Z'", ['updated_at'], 'orders');
    expect(compareTime('2026-06-01T10:00:01Z', gt!)).toBe(true);
    expect(compareTime('2026-06-01T10:00:00Z', gt!)).toBe(false);
    const [neg] = parseSearch('-status:open', ['status'], 'orders');
    expect(applyTerm(true, neg!)).toBe(false);
    expect(() => compareTime('2026-06-01T10:00:00Z', { key: 'updated_at', op: '>', value: 'yesterday', negated: false })).toThrow(/cannot read date/);
  });
});
