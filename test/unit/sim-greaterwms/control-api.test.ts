// The simulator's control API: tenants/staff, warehouse staff actions over HTTP, clock, snapshots.
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER, createDn, createGoods, request, seedGoods, startGw, stockRow, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

const ctl = (g: Gw, path: string, body: Record<string, unknown> = {}) => request(g.sim.url, 'POST', `/__sim/${path}`, { token: g.tenant.token, ...body });

describe('GreaterWMS simulator: control API', () => {
  it('POST /__sim/tenants registers a tenant like /register/ (token works, operator is its admin staff id)', async () => {
    gw = await startGw();
    const t = await request(gw.sim.url, 'POST', '/__sim/tenants', { name: 'via_http' });
    expect(t.body).toMatchObject({ name: 'via_http', operator: expect.any(Number), token: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const staff = await request(gw.sim.url, 'GET', `/staff/${t.body.operator}/`, undefined, { token: t.body.token });
    expect(staff.body).toMatchObject({ staff_name: 'via_http', staff_type: 'Admin' });
    const s = await request(gw.sim.url, 'POST', '/__sim/staff', { token: t.body.token, staff_name: 'bot' });
    expect((await request(gw.sim.url, 'GET', `/staff/${s.body.id}/`, undefined, { token: t.body.token })).body.staff_name).toBe('bot');
    expect((await request(gw.sim.url, 'POST', '/__sim/tenants', { name: 'via_http' })).status).toBe(400);
  });

  it('warehouse staff over HTTP: stock-in, release, short pick, dispatch, deliver', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-CT');
    expect((await ctl(gw, 'warehouse/stock-in', { goods_code: 'SKU-CT', qty: 4 })).body).toEqual({ ok: true });
    const id = await createDn(gw, 'CT-1', [['SKU-CT', 3]]);
    await gw.post(`/dn/neworder/${id}/`);
    expect((await ctl(gw, 'warehouse/release', { dn_code: 'CT-1' })).body).toEqual({ ok: true });
    expect((await ctl(gw, 'warehouse/pick', { dn_id: id, short: { 'SKU-CT': 1 } })).body).toEqual({ ok: true });
    expect((await gw.get('/dn/detail/?dn_code=CT-1')).body.results[0]).toMatchObject({ picked_qty: 2, dn_status: 4 });
    expect((await ctl(gw, 'warehouse/dispatch', { dn_id: id, driver: 'Courier X' })).body).toEqual({ ok: true });
    expect((await ctl(gw, 'warehouse/deliver', { dn_id: id })).body).toEqual({ ok: true });
    expect((await gw.get(`/dn/list/${id}/`)).body.dn_status).toBe(6);
    expect(await stockRow(gw, 'SKU-CT')).toMatchObject({ goods_qty: 2, onhand_stock: 2, can_order_stock: 2 });
    const refused = await ctl(gw, 'warehouse/release', { dn_id: id });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('This Order Does Not in Release Status');
  });

  it('receive-asn with an actual quantity and a bin, then move-stock from Inspection to Normal makes it sellable', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-RA');
    const a = await gw.post('/asn/list/?custom_asn=RET-1', { creater: 'x' });
    await gw.post('/asn/detail/', { asn_code: 'RET-1', supplier: 'Supplier Name-1', goods_code: ['SKU-RA'], goods_qty: [3] });
    expect((await ctl(gw, 'warehouse/receive-asn', { asn_id: a.body.id, actual: { 'SKU-RA': 2 }, bin: 'B010101' })).body).toEqual({ ok: true });
    expect((await gw.get(`/asn/list/${a.body.id}/`)).body.asn_status).toBe(5);
    expect(await stockRow(gw, 'SKU-RA')).toMatchObject({ goods_qty: 2, onhand_stock: 2, inspect_stock: 2, can_order_stock: 0 });
    expect((await ctl(gw, 'warehouse/move-stock', { goods_code: 'SKU-RA', from_bin: 'B010101', to_bin: 'A010102', qty: 2 })).body).toEqual({ ok: true });
    expect(await stockRow(gw, 'SKU-RA')).toMatchObject({ onhand_stock: 2, inspect_stock: 0, can_order_stock: 2 });
    expect((await gw.get('/binset/?bin_name=B010101')).body.results[0].empty_label).toBe(true);
  });

  it('ship = release + full pick + dispatch; snapshot shows the rows as the API renders them', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-SH', 2);
    const id = await createDn(gw, 'SH-1', [['SKU-SH', 2]]);
    await gw.post(`/dn/neworder/${id}/`);
    gw.sim.control.ship(gw.tenant.token, { id });
    const snap = gw.sim.control.snapshot(gw.tenant.token);
    expect(snap.dn).toEqual([expect.objectContaining({ dn_code: 'SH-1', dn_status: 5, customer: CUSTOMER.customer_name })]);
    expect(snap.stock).toEqual([]); // shipped everything: the stock row was deleted
  });

  it('advanceClock moves update_time forward, so update_time__gte polling sees only later changes', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-TM1', 1);
    await seedGoods(gw, 'SKU-TM2', 1);
    gw.sim.control.advanceClock(60_000);
    const createdAt = (await gw.get('/goods/?goods_code=SKU-TM1')).body.results[0].create_time as string;
    const cursor = new Date(Date.parse(createdAt.replace(' ', 'T') + 'Z') + 30_000).toISOString().replace('T', ' ').slice(0, 19);
    gw.sim.control.stockIn(gw.tenant.token, 'SKU-TM2', 1);
    const changed = await gw.get(`/stock/list/?update_time__gte=${encodeURIComponent(cursor)}`);
    expect(changed.body.results.map((r: { goods_code: string }) => r.goods_code)).toEqual(['SKU-TM2']);
    const all = await gw.get('/stock/list/?update_time__gte=2000-01-01%2000%3A00%3A00');
    expect(all.body.count).toBe(2);
  });
});
