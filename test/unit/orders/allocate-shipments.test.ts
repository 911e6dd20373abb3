import { describe, expect, it } from 'vitest';
import { allocateShipments, fulfillableUnits, trackingUrl } from '../../../server/core/shipments/allocate-shipments.js';
import { parseDriverName } from '../../../server/adapters/greaterwms/dispatch-tracking-adapter.js';

const line = (id: string, quantity: number, components: [string, number][]) => ({
  fulfillmentOrderId: 'fo1',
  fulfillmentOrderLineId: id,
  quantity,
  components: components.map(([goodsCode, q]) => ({ goodsCode, quantity: q })),
});

describe('shipment allocation (warehouse goods shipped → fulfilment-order lines)', () => {
  it('a bundle counts only when all its components shipped; leftovers carry over to the next document', () => {
    const map = [line('set', 2, [['MUG', 2], ['TEA', 1]]), line('mug', 1, [['MUG', 1]])];
    expect(fulfillableUnits(map, new Map([['MUG', 3], ['TEA', 1]]))).toEqual(new Map([['set', 1], ['mug', 1]]));
    const docs = [
      { docKey: 'A#1', goods: new Map([['MUG', 3]]) },
      { docKey: 'B#2', goods: new Map([['MUG', 2], ['TEA', 2]]) },
    ];
    // A: 3 mugs, no tea → only the plain mug line (1); B brings the tea → both sets.
    expect(allocateShipments(map, docs, new Map())).toEqual([
      { docKey: 'A#1', lines: [{ fulfillmentOrderId: 'fo1', fulfillmentOrderLineId: 'mug', quantity: 1 }] },
      { docKey: 'B#2', lines: [{ fulfillmentOrderId: 'fo1', fulfillmentOrderLineId: 'set', quantity: 2 }] },
    ]);
  });

  it('a document already recorded is never allocated again (repeat polls fulfil nothing twice)', () => {
    const map = [line('mug', 3, [['MUG', 1]])];
    const docs = [{ docKey: 'A#1', goods: new Map([['MUG', 1]]) }, { docKey: 'B#2', goods: new Map([['MUG', 2]]) }];
    const recorded = new Map([['A#1', [{ fulfillmentOrderId: 'fo1', fulfillmentOrderLineId: 'mug', quantity: 1 }]]]);
    expect(allocateShipments(map, docs, recorded)).toEqual([{ docKey: 'B#2', lines: [{ fulfillmentOrderId: 'fo1', fulfillmentOrderLineId: 'mug', quantity: 2 }] }]);
    const all = new Map([...recorded, ['B#2', [{ fulfillmentOrderId: 'fo1', fulfillmentOrderLineId: 'mug', quantity: 2 }]]]);
    expect(allocateShipments(map, docs, all)).toEqual([]);
  });

  it('never allocates more than ordered, even when the warehouse shipped more', () => {
    expect(allocateShipments([line('mug', 2, [['MUG', 1]])], [{ docKey: 'A#1', goods: new Map([['MUG', 5]]) }], new Map())[0]!.lines[0]!.quantity).toBe(2);
  });
});

describe('tracking convention (driver name "<carrier> <number>")', () => {
  it('parses carrier and number; carrier only; empty', () => {
    expect(parseDriverName('DHL 0034 0434 1610')).toEqual({ carrierKey: 'dhl', number: '003404341610' });
    expect(parseDriverName('UPS:1Z999AA10123456784')).toEqual({ carrierKey: 'ups', number: '1Z999AA10123456784' });
    expect(parseDriverName('  GLS ')).toEqual({ carrierKey: 'gls', number: null });
    expect(parseDriverName('   ')).toBeNull();
  });
  it('URL template: {number} replaced (encoded); no template or no number → null', () => {
    expect(trackingUrl('https://t.example/?id={number}', 'A B/1')).toBe('https://t.example/?id=A%20B%2F1');
    expect(trackingUrl(null, '1')).toBeNull();
    expect(trackingUrl('https://t.example/{number}', null)).toBeNull();
  });
});
