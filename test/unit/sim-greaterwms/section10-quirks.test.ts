// One test per behaviour listed in greaterwms-api.md §10 ("seen while recording traces"), over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER, createDn, createGoods, seedGoods, startGw, stockRow, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

async function confirmAndRelease(g: Gw, id: number, headers?: Record<string, string>) {
  expect((await g.post(`/dn/neworder/${id}/`)).body.dn_status).toBe(2);
  return g.put(`/dn/orderrelease/${id}/`, {}, headers);
}

describe('GreaterWMS simulator: behaviour seen while recording traces (api doc §10)', () => {
  it('§10.1 Chinese not-found texts: 未找到。 for a missing id, 无效页面。 for a page past the end', async () => {
    gw = await startGw();
    expect((await gw.get('/dn/list/999/')).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.get('/goods/999999/')).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.get('/goods/?page=99')).body).toEqual({ detail: '无效页面。', status_code: 404 });
    expect((await gw.get('/stock/list/?page=2')).body).toEqual({ detail: '无效页面。', status_code: 404 });
    expect((await gw.get('/stock/list/?page=1')).body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('§10.2 header-only DN: GET and DELETE answer 404, neworder "Please Enter The DN Detail", and it consumes a generated number', async () => {
    gw = await startGw();
    const a = await gw.post('/dn/list/', { creater: 'x' });
    expect(a.body.dn_code).toMatch(/^DN\d{8}1$/);
    expect((await gw.get(`/dn/list/${a.body.id}/`)).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.del(`/dn/list/${a.body.id}/`)).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.post(`/dn/neworder/${a.body.id}/`)).body).toEqual({ detail: 'Please Enter The DN Detail', status_code: 500 });
    expect((await gw.get(`/dn/list/?dn_code=${a.body.dn_code}`)).body.count).toBe(0);
    const b = await gw.post('/dn/list/', { creater: 'x' });
    expect(b.body.dn_code).toBe(a.body.dn_code.replace(/1$/, '2'));
  });

  it('header-only DN/ASN headers from before the 1st of the current month are hard-deleted by the next list read (transcript note)', async () => {
    gw = await startGw();
    const dn = await gw.post('/dn/list/?custom_dn=OLD-1', { creater: 'x' });
    const asn = await gw.post('/asn/list/?custom_asn=OLD-1', { creater: 'x' });
    gw.sim.control.advanceClock(32 * 24 * 3600 * 1000); // always crosses a month start
    expect((await gw.post(`/dn/neworder/${dn.body.id}/`)).body.detail).toBe('Please Enter The DN Detail'); // not a list read
    await gw.get('/dn/list/');
    await gw.get('/asn/list/');
    expect((await gw.post(`/dn/neworder/${dn.body.id}/`)).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.post(`/asn/preload/${asn.body.id}/`)).body).toEqual({ detail: '未找到。', status_code: 404 });
  });

  it('§10.3 a line quantity of 0 -> "Qty Must > 0", nothing written', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-Q0');
    await createDn(gw, 'Q-1', [['SKU-Q0', 1]]);
    const r = await gw.post('/dn/detail/', { dn_code: 'Q-1', customer: CUSTOMER.customer_name, goods_code: ['SKU-Q0'], goods_qty: [0] });
    expect(r.body).toEqual({ detail: 'Qty Must > 0', status_code: 500 });
    expect((await stockRow(gw, 'SKU-Q0'))!.dn_stock).toBe(1);
  });

  it('§10.4 "Wrong API Url" when the raw query holds an unencoded ":" and there is a next/previous page; %3A works', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-URL');
    await createDn(gw, 'URL-1', [['SKU-URL', 1]]);
    await createDn(gw, 'URL-2', [['SKU-URL', 1]]);
    // createDn stores creater "shop:<code>"
    expect((await gw.get('/dn/list/?max_page=1&creater__icontains=shop:URL')).body).toEqual({ detail: 'Wrong API Url', status_code: 500 });
    expect((await gw.get('/dn/list/?max_page=1&page=2&creater__icontains=shop:URL')).body).toEqual({ detail: 'Wrong API Url', status_code: 500 });
    const encoded = await gw.get('/dn/list/?max_page=1&creater__icontains=shop%3AURL');
    expect(encoded.body.count).toBe(2);
    expect(encoded.body.next).toMatch(/^none:\/\/.*\/dn\/list\/\?creater__icontains=shop%3AURL&max_page=1&page=2$/);
    // a single page has no links to build, so the raw colon passes
    expect((await gw.get('/dn/list/?creater__icontains=shop:URL')).body.count).toBe(2);
  });

  it('§10.5 line ids renewed on edit: a repeated detail POST merges into a new row, PUT creates new ids, ASN duplicates merge', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-L1');
    await createGoods(gw, 'SKU-L2');
    await createDn(gw, 'LINE-1', [['SKU-L1', 2], ['SKU-L2', 3]]);
    const before = (await gw.get('/dn/detail/?dn_code=LINE-1&ordering=id')).body.results;
    await gw.post('/dn/detail/', { dn_code: 'LINE-1', customer: CUSTOMER.customer_name, goods_code: ['SKU-L1', 'SKU-L2'], goods_qty: [2, 3] });
    const merged = (await gw.get('/dn/detail/?dn_code=LINE-1&ordering=id')).body.results;
    expect(merged.map((l: { goods_code: string; goods_qty: number }) => [l.goods_code, l.goods_qty])).toEqual([
      ['SKU-L2', 6],
      ['SKU-L1', 4],
    ]);
    expect(merged.map((l: { id: number }) => l.id)).toEqual([before[1].id + 3, before[1].id + 4]); // two posted rows consumed ids too
    expect((await stockRow(gw, 'SKU-L1'))!.dn_stock).toBe(4);
    await gw.put('/dn/detail/', { dn_code: 'LINE-1', customer: CUSTOMER.customer_name, goods_code: ['SKU-L1'], goods_qty: [1] });
    const replaced = (await gw.get('/dn/detail/?dn_code=LINE-1')).body.results;
    expect(replaced.map((l: { id: number; goods_qty: number }) => [l.id, l.goods_qty])).toEqual([[merged[1].id + 1, 1]]);
    expect([(await stockRow(gw, 'SKU-L1'))!.dn_stock, (await stockRow(gw, 'SKU-L2'))!.dn_stock]).toEqual([1, 0]);
    const asn = await gw.post('/asn/list/?custom_asn=ASN-DUP-1', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'ASN-DUP-1', supplier: 'Supplier Name-1', goods_code: ['SKU-L1', 'SKU-L1'], goods_qty: [2, 5] });
    const lines = (await gw.get('/asn/detail/?asn_code=ASN-DUP-1')).body.results;
    expect(lines.map((l: { goods_code: string; goods_qty: number }) => [l.goods_code, l.goods_qty])).toEqual([['SKU-L1', 7]]);
    expect(asn.body.asn_code).toBe('ASN-DUP-1');
  });

  it('§10.6 ASN cancel: DELETE returns the header, refusal "This ASN Status Is Not \'1\'", cancelled goods keep zeroed stock rows', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-AC');
    const a = await gw.post('/asn/list/?custom_asn=PO-AC-1', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'PO-AC-1', supplier: 'Supplier Name-1', goods_code: ['SKU-AC'], goods_qty: [4] });
    expect(await stockRow(gw, 'SKU-AC')).toMatchObject({ goods_qty: 4, asn_stock: 4 });
    const del = await gw.del(`/asn/list/${a.body.id}/`);
    expect(del.body).toMatchObject({ id: a.body.id, asn_code: 'PO-AC-1', asn_status: 1, supplier: 'Supplier Name-1' });
    const row = (await stockRow(gw, 'SKU-AC'))!;
    expect(Object.entries(row).filter(([k, v]) => k.endsWith('_stock') || k === 'goods_qty' ? v !== 0 : false)).toEqual([]);
    const b = await gw.post('/asn/list/?custom_asn=PO-AC-2', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'PO-AC-2', supplier: 'Supplier Name-1', goods_code: ['SKU-AC'], goods_qty: [1] });
    await gw.post(`/asn/preload/${b.body.id}/`);
    expect((await gw.del(`/asn/list/${b.body.id}/`)).body).toEqual({ detail: "This ASN Status Is Not '1'", status_code: 500 });
  });

  it('§10.7 presort on a status-1 ASN -> "This ASN Status Is Not 2" (no skipping preload)', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-PS');
    const a = await gw.post('/asn/list/?custom_asn=PO-PS-1', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'PO-PS-1', supplier: 'Supplier Name-1', goods_code: ['SKU-PS'], goods_qty: [1] });
    expect((await gw.post(`/asn/presort/${a.body.id}/`)).body).toEqual({ detail: 'This ASN Status Is Not 2', status_code: 500 });
  });

  it("§10.8 a back order's creater is the operator's staff name, not the original header's creater", async () => {
    gw = await startGw();
    const staffId = gw.sim.control.createStaff(gw.tenant.token, 'connector-bot');
    await seedGoods(gw, 'SKU-CR', 1);
    const id = await createDn(gw, 'CR-1001', [['SKU-CR', 3]]);
    await confirmAndRelease(gw, id, { operator: String(staffId) });
    const list = (await gw.get('/dn/list/?customer=Jane%20Unit&ordering=id')).body.results;
    expect(list.map((d: { dn_code: string; creater: string; back_order_label: boolean }) => [d.dn_code, d.creater, d.back_order_label])).toEqual([
      ['CR-1001', 'shop:CR-1001', false],
      ['DN00001002', 'connector-bot', true],
    ]);
  });

  it('§10.9 releasing a back order while there is still no sellable stock answers success and changes nothing', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-NS');
    const id = await createDn(gw, 'NS-3001', [['SKU-NS', 2]]);
    await confirmAndRelease(gw, id);
    const bo = (await gw.get('/dn/list/?back_order_label=true')).body.results[0];
    const before = await stockRow(gw, 'SKU-NS');
    expect((await gw.put(`/dn/orderrelease/${bo.id}/`)).body).toEqual({ detail: 'success' });
    const after = (await gw.get('/dn/list/?back_order_label=true')).body;
    expect(after.count).toBe(1);
    expect(after.results[0]).toMatchObject({ id: bo.id, dn_code: bo.dn_code, dn_status: 2 });
    expect(await stockRow(gw, 'SKU-NS')).toEqual(before);
  });

  it('§10.10 release with nothing allocatable (stock only in an Inspection bin): original 404, lines gone, back order replaces it', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-IN', 5, 'B010101');
    expect(await stockRow(gw, 'SKU-IN')).toMatchObject({ onhand_stock: 5, inspect_stock: 5, can_order_stock: 0 });
    const id = await createDn(gw, 'NA-2001', [['SKU-IN', 2]]);
    expect((await confirmAndRelease(gw, id)).body).toEqual({ detail: 'success' });
    expect((await gw.get(`/dn/list/${id}/`)).body).toEqual({ detail: '未找到。', status_code: 404 });
    expect((await gw.get('/dn/detail/?dn_code=NA-2001')).body.count).toBe(0);
    const bo = (await gw.get('/dn/list/?customer=Jane%20Unit')).body.results;
    expect(bo.map((d: { dn_code: string; dn_status: number; back_order_label: boolean }) => [d.dn_code, d.dn_status, d.back_order_label])).toEqual([
      ['DN00002002', 2, true],
    ]);
    expect(await stockRow(gw, 'SKU-IN')).toMatchObject({ ordered_stock: 2, back_order_stock: 2, pick_stock: 0, can_order_stock: 0 });
  });

  it('§10.11 short pick: line pick_qty 0 / picked_qty = picked, picking row keeps the plan, bin keeps the unit, dispatch ships picked', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-SP', 5);
    const id = await createDn(gw, 'SP-1', [['SKU-SP', 3]]);
    await confirmAndRelease(gw, id);
    const [row] = (await gw.get(`/dn/pickinglist/${id}/`)).body;
    expect(row).toMatchObject({ pick_qty: 3, picked_qty: 0, picking_status: 0, bin_name: 'A010101' });
    const picked = await gw.post(`/dn/picked/${id}/`, {
      dn_code: 'SP-1',
      customer: CUSTOMER.customer_name,
      goodsData: [{ goods_code: 'SKU-SP', t_code: row.t_code, pick_qty: 2 }],
    });
    expect(picked.body).toEqual({ Detail: 'success' });
    const line = (await gw.get('/dn/detail/?dn_code=SP-1')).body.results[0];
    expect(line).toMatchObject({ goods_qty: 3, pick_qty: 0, picked_qty: 2, dn_status: 4 });
    expect((await gw.get(`/dn/pickinglist/${id}/`)).body[0]).toMatchObject({ pick_qty: 3, picked_qty: 2, picking_status: 1 });
    expect((await gw.get('/stock/bin/?goods_code=SKU-SP')).body.results[0]).toMatchObject({ goods_qty: 3, pick_qty: 0, picked_qty: 2 });
    expect(await stockRow(gw, 'SKU-SP')).toMatchObject({ goods_qty: 5, onhand_stock: 3, can_order_stock: 3, pick_stock: 0, picked_stock: 2 });
    await gw.post('/driver/', { driver_name: 'Courier', license_plate: 'X', contact: '1', creater: 'x' });
    expect((await gw.post(`/dn/dispatch/${id}/`, { dn_code: 'SP-1', driver: 'Courier' })).body).toEqual({ detail: 'success' });
    expect((await gw.get('/dn/detail/?dn_code=SP-1')).body.results[0]).toMatchObject({ intransit_qty: 2, delivery_shortage_qty: 0, dn_status: 5 });
    expect(await stockRow(gw, 'SKU-SP')).toMatchObject({ goods_qty: 3, onhand_stock: 3, can_order_stock: 3, picked_stock: 0 });
  });

  it('§10.12 over-delivery: goods_more_qty 1, stock goods_qty +1, line finishes only when every received unit is put away', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-OD');
    const a = await gw.post('/asn/list/?custom_asn=PO-OD-1', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'PO-OD-1', supplier: 'Supplier Name-1', goods_code: ['SKU-OD'], goods_qty: [5] });
    await gw.post(`/asn/preload/${a.body.id}/`);
    await gw.post(`/asn/presort/${a.body.id}/`);
    await gw.post(`/asn/sorted/${a.body.id}/`, { asn_code: 'PO-OD-1', supplier: 'Supplier Name-1', goodsData: [{ goods_code: 'SKU-OD', goods_actual_qty: 6 }] });
    const line = (await gw.get('/asn/detail/?asn_code=PO-OD-1')).body.results[0];
    expect(line).toMatchObject({ goods_qty: 5, goods_actual_qty: 6, goods_more_qty: 1, goods_shortage_qty: 0, asn_status: 4 });
    expect(await stockRow(gw, 'SKU-OD')).toMatchObject({ goods_qty: 6, sorted_stock: 6 });
    await gw.post(`/asn/movetobin/${line.id}/`, { asn_code: 'PO-OD-1', goods_code: 'SKU-OD', bin_name: 'A010101', qty: 5 });
    expect((await gw.get('/asn/detail/?asn_code=PO-OD-1')).body.results[0].asn_status).toBe(4);
    const over = await gw.post(`/asn/movetobin/${line.id}/`, { asn_code: 'PO-OD-1', goods_code: 'SKU-OD', bin_name: 'A010101', qty: 2 });
    expect(over.body).toEqual({ detail: 'Move Qty must < Actual Arrive Qty', status_code: 500 });
    await gw.post(`/asn/movetobin/${line.id}/`, { asn_code: 'PO-OD-1', goods_code: 'SKU-OD', bin_name: 'A010101', qty: 1 });
    expect((await gw.get('/asn/detail/?asn_code=PO-OD-1')).body.results[0].asn_status).toBe(5);
    expect((await gw.get(`/asn/list/${a.body.id}/`)).body.asn_status).toBe(5);
    expect(await stockRow(gw, 'SKU-OD')).toMatchObject({ goods_qty: 6, onhand_stock: 6, can_order_stock: 6, sorted_stock: 0 });
  });

  it('§10.13 Holding bin put-away raises onhand/hold, not can_order; empty_label turns true once the last stock is dispatched', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-HB', 2, 'B020101');
    expect(await stockRow(gw, 'SKU-HB')).toMatchObject({ onhand_stock: 2, hold_stock: 2, can_order_stock: 0 });
    await seedGoods(gw, 'SKU-EL', 2, 'A010103');
    const bin = async () => (await gw.get('/binset/?bin_name=A010103')).body.results[0].empty_label;
    expect(await bin()).toBe(false);
    const id = await createDn(gw, 'EL-1', [['SKU-EL', 2]]);
    await confirmAndRelease(gw, id);
    gw.sim.control.pick(gw.tenant.token, { id });
    expect(await bin()).toBe(false);
    gw.sim.control.dispatch(gw.tenant.token, { id });
    expect(await bin()).toBe(true);
    expect(await stockRow(gw, 'SKU-EL')).toBeUndefined(); // goods_qty and back_order_stock reached 0: row deleted
  });
});
