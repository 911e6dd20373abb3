// Linking back orders to their orders (GreaterWMS gives a back order a new unrelated code; only customer and
// create_time tie it to the original). The client underneath is replaced by an in-memory list of documents
// shaped like real /dn/list/ and /dn/detail/ rows, so ambiguous cases can be set up exactly.
import { describe, expect, it } from 'vitest';
import { GreaterWmsWarehouse } from '../../../server/adapters/greaterwms/greaterwms-adapter.js';
import type { GreaterWmsClient } from '../../../server/adapters/greaterwms/greaterwms-client.js';
import type { DnHeader, DnLine } from '../../../server/adapters/greaterwms/greaterwms-types.js';
import type { OutboundOrderRef } from '../../../server/core/ports.js';

const T = '2026-12-05 04:15:19';
let nextId = 1;
function dn(code: string, customer: string, status: number, back: boolean, createTime = T, lines: [string, number][] = [['SKU-1', 1]]) {
  const id = nextId++;
  const header: DnHeader = { id, dn_code: code, dn_status: status, customer, creater: 'x', back_order_label: back, create_time: createTime, update_time: T };
  const ls: DnLine[] = lines.map(([goods_code, goods_qty], i) => ({
    id: id * 100 + i, dn_code: code, dn_status: status, customer, goods_code, goods_qty, pick_qty: 0, picked_qty: 0, intransit_qty: 0,
    delivery_actual_qty: 0, delivery_shortage_qty: 0, delivery_more_qty: 0, delivery_damage_qty: 0, back_order_label: back, create_time: createTime, update_time: T,
  }));
  return { header, lines: ls };
}

function warehouseOver(docs: ReturnType<typeof dn>[]) {
  const headers = docs.map((d) => d.header);
  const lines = docs.flatMap((d) => d.lines);
  const match = (q: Record<string, unknown>) => (r: { customer: string; dn_code: string }) =>
    (q.customer === undefined || r.customer === q.customer) && (q.dn_code === undefined || r.dn_code === q.dn_code);
  const client = {
    http: { page: async () => ({ count: headers.length, next: null, previous: null, results: [headers[0]] }) },
    listDnHeaders: async (q: Record<string, unknown>) => headers.filter(match(q)),
    listDnLines: async (q: Record<string, unknown>) => lines.filter(match(q)),
    findDnHeaders: async (code: string) => headers.filter((h) => h.dn_code === code),
    findDnLines: async (code: string) => lines.filter((l) => l.dn_code === code),
  } as unknown as GreaterWmsClient;
  return new GreaterWmsWarehouse({ client });
}

const ref = (code: string, customer: string, createdAt = T): OutboundOrderRef => ({ orderId: code, code, warehouseId: null, recipientKey: customer, createdAt });

describe('back-order linking', () => {
  it('links by customer + create time, not by code; the original replaced at release reads as main=null', async () => {
    const w = warehouseOver([
      dn('SHOP-1001', 'Shared', 3, false, T, [['SKU-1', 3]]),
      dn('DN00001002', 'Shared', 2, true, T, [['SKU-1', 2]]),
      dn('DN00001003', 'Shared', 2, true, '2026-12-05 04:15:20', [['SKU-2', 1]]), // the vanished SHOP-1002
    ]);
    const { orders, unlinkedBackOrders } = await w.readOutboundOrders({
      refs: [ref('SHOP-1001', 'Shared'), ref('SHOP-1002', 'Shared', '2026-12-05 04:15:20')],
    });
    expect(orders[0]!.main!.code).toBe('SHOP-1001');
    expect(orders[0]!.backOrders.map((b) => [b.code, b.lines[0]!.quantity])).toEqual([['DN00001002', 2]]);
    expect(orders[1]!.main).toBeNull();
    expect(orders[1]!.backOrders.map((b) => b.code)).toEqual(['DN00001003']);
    expect(unlinkedBackOrders).toEqual([]);
  });

  it('two of our orders with the same customer and create second: the back order is reported unlinked, never guessed', async () => {
    const w = warehouseOver([
      dn('SHOP-2001', 'Shared', 3, false),
      dn('SHOP-2002', 'Shared', 3, false),
      dn('DN00002003', 'Shared', 2, true),
    ]);
    const { orders, unlinkedBackOrders } = await w.readOutboundOrders({ refs: [ref('SHOP-2001', 'Shared'), ref('SHOP-2002', 'Shared')] });
    expect(orders.map((o) => o.backOrders.length)).toEqual([0, 0]);
    expect(unlinkedBackOrders.map((b) => b.code)).toEqual(['DN00002003']);
  });

  it('a back-order code that repeats for another customer does not lend that customer\'s lines', async () => {
    const w = warehouseOver([
      dn('SHOP-3001', 'Mine', 3, false),
      dn('DN00003002', 'Mine', 2, true, T, [['SKU-1', 2]]),
      dn('DN00003002', 'Someone else', 2, true, T, [['SKU-9', 7]]),
    ]);
    const { orders } = await w.readOutboundOrders({ refs: [ref('SHOP-3001', 'Mine')], cursor: '2000-01-01 00:00:00' });
    expect(orders[0]!.backOrders).toHaveLength(1);
    expect(orders[0]!.backOrders[0]!.lines).toEqual([expect.objectContaining({ warehouseCode: 'SKU-1', quantity: 2 })]);
  });
});
