// Pure logic of the admin UI: query strings, the bundle editor's drafts and server field errors, labels.
import { describe, expect, it } from 'vitest';
import { queryString } from '../../../web/src/lib/api.js';
import { formatComponents, fromDrafts, orderStateTone, rowErrors, toDrafts } from '../../../web/src/lib/mapping-text.js';
import { reasonLabel } from '../../../web/src/pages/ReturnsPage.js';

describe('admin UI logic', () => {
  it('queryString leaves out empty values and the server defaults (page 1, filter all), encodes the rest', () => {
    expect(queryString({ page: 1, filter: 'all', query: '' })).toBe('');
    expect(queryString({ page: 2, filter: 'unmapped', query: 'mug & tea', pageSize: 50 })).toBe('?page=2&filter=unmapped&query=mug+%26+tea&pageSize=50');
  });

  it('a bundle shows as "A ×1 + B ×2"; an unmapped variant starts its editor with its SKU as the goods code', () => {
    expect(formatComponents([{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-1', quantity: 2 }])).toBe('MUG-1 ×1 + TEA-1 ×2');
    expect(toDrafts([], 'MUG-1')).toEqual([{ goodsCode: 'MUG-1', quantity: '1' }]);
    expect(toDrafts([{ goodsCode: 'A', quantity: 3 }], 'X')).toEqual([{ goodsCode: 'A', quantity: '3' }]);
  });

  it('drafts → request: blank rows dropped, codes trimmed, a non-numeric quantity is sent as typed for the server to reject', () => {
    expect(fromDrafts([{ goodsCode: ' A ', quantity: '2' }, { goodsCode: '', quantity: '1' }, { goodsCode: 'B', quantity: 'x' }])).toEqual([
      { goodsCode: 'A', quantity: 2 },
      { goodsCode: 'B', quantity: 'x' },
    ]);
  });

  it('server field errors land on the right editor row and field; unrelated keys are ignored', () => {
    expect(rowErrors({ 'components.1.goodsCode': 'Goods X does not exist', 'components.0.quantity': 'At least 1', 'components.5.goodsCode': 'out of range', buffer: 'x' }, 2)).toEqual([
      { quantity: 'At least 1' },
      { goodsCode: 'Goods X does not exist' },
    ]);
  });

  it('order state tones and reason labels', () => {
    expect(orderStateTone('failed')).toBe('critical');
    expect(orderStateTone('needs_mapping')).toBe('warning');
    expect(orderStateTone('shipped')).toBe('success');
    expect(reasonLabel('reason:size-too-small')).toBe('Size too small');
    expect(reasonLabel('restock:no_restock')).toBe('Refund without restock');
  });
});
