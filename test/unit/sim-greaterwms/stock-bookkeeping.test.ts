// Stock counters through whole workflows, checked against the numbers captured from the real server in
// greaterwms-transcript.md (back-order demo) and the counter rules of greaterwms-api.md §3.
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER, createDn, seedGoods, startGw, stockRow, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

describe('GreaterWMS simulator: stock bookkeeping', () => {
  it('transcript back-order demo: 3 sellable, order 5 -> line cut to 3, back order DN00001004 for 2, counters as captured', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SHOP-SKU-002', 3);
    const id = await createDn(gw, 'SHOP-1003', [['SHOP-SKU-002', 5]]);
    const confirmed = await gw.post(`/dn/neworder/${id}/`);
    expect(confirmed.body).toMatchObject({ dn_status: 2, total_weight: 1.25, total_volume: 0.006, total_cost: 99.5 });
    expect(await stockRow(gw, 'SHOP-SKU-002')).toMatchObject({ goods_qty: 3, onhand_stock: 3, can_order_stock: 0, ordered_stock: 5 });
    expect((await gw.put(`/dn/orderrelease/${id}/`)).body).toEqual({ detail: 'success' });
    const list = (await gw.get('/dn/list/?customer=Jane%20Unit')).body.results;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ dn_code: 'DN00001004', dn_status: 2, creater: 'unit_admin', total_weight: 0.5, total_volume: 0.0024, total_cost: 39.8, back_order_label: true });
    // create_time of the back order is the original's (its only link to the order it came from)
    expect(list[0].create_time).toBe(list[1].create_time);
    // Float arithmetic of the real server reproduced: 0.006 - 0.0024 = 0.0036000000000000003
    expect(list[1]).toMatchObject({ dn_code: 'SHOP-1003', dn_status: 3, total_weight: 0.75, total_volume: 0.0036000000000000003, total_cost: 59.7 });
    const lines = (await gw.get('/dn/detail/?customer=Jane%20Unit')).body.results;
    expect(lines.map((l: Record<string, unknown>) => [l.dn_code, l.goods_qty, l.pick_qty, l.goods_weight, l.goods_volume, l.goods_cost, l.back_order_label])).toEqual([
      ['DN00001004', 2, 0, 0.5, 0.0024, 39.8, true],
      ['SHOP-1003', 3, 3, 0.75, 0.0036000000000000003, 59.7, false],
    ]);
    expect(await stockRow(gw, 'SHOP-SKU-002')).toMatchObject({
      goods_qty: 3,
      onhand_stock: 3,
      can_order_stock: 0,
      pick_stock: 3,
      back_order_stock: 2,
      ordered_stock: 2,
    });
  });

  it('a back order released after stock arrives takes can_order_stock, back_order_stock and ordered_stock down', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-BO', 3);
    const id = await createDn(gw, 'BO-1', [['SKU-BO', 5]]);
    await gw.post(`/dn/neworder/${id}/`);
    await gw.put(`/dn/orderrelease/${id}/`);
    gw.sim.control.stockIn(gw.tenant.token, 'SKU-BO', 2);
    expect(await stockRow(gw, 'SKU-BO')).toMatchObject({ goods_qty: 5, onhand_stock: 5, can_order_stock: 2, back_order_stock: 2, ordered_stock: 2, pick_stock: 3 });
    const bo = (await gw.get('/dn/list/?back_order_label=true')).body.results[0];
    expect((await gw.put(`/dn/orderrelease/${bo.id}/`)).body).toEqual({ detail: 'success' });
    expect((await gw.get(`/dn/list/${bo.id}/`)).body.dn_status).toBe(3);
    expect(await stockRow(gw, 'SKU-BO')).toMatchObject({ can_order_stock: 0, back_order_stock: 0, ordered_stock: 0, pick_stock: 5 });
    expect((await gw.get(`/dn/pickinglist/${bo.id}/`)).body.map((p: { pick_qty: number }) => p.pick_qty)).toEqual([2]);
  });

  it('full cycle: detail POST dn_stock, neworder, release, pick, dispatch, POD; the row is deleted when goods_qty reaches 0', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-CY', 2);
    const id = await createDn(gw, 'CY-1', [['SKU-CY', 2]]);
    expect(await stockRow(gw, 'SKU-CY')).toMatchObject({ dn_stock: 2, can_order_stock: 2 });
    await gw.post(`/dn/neworder/${id}/`);
    expect(await stockRow(gw, 'SKU-CY')).toMatchObject({ dn_stock: 0, can_order_stock: 0, ordered_stock: 2 });
    await gw.put(`/dn/orderrelease/${id}/`);
    expect(await stockRow(gw, 'SKU-CY')).toMatchObject({ ordered_stock: 0, pick_stock: 2 });
    gw.sim.control.pick(gw.tenant.token, { code: 'CY-1' });
    expect(await stockRow(gw, 'SKU-CY')).toMatchObject({ onhand_stock: 0, pick_stock: 0, picked_stock: 2, goods_qty: 2 });
    gw.sim.control.dispatch(gw.tenant.token, { code: 'CY-1' }, 'Van 1');
    expect(await stockRow(gw, 'SKU-CY')).toBeUndefined();
    expect((await gw.get('/driver/dispatchlist/?dn_code=CY-1')).body.results[0]).toMatchObject({ driver_name: 'Van 1', creater: 'unit_admin' });
    const pod = await gw.post(`/dn/pod/${id}/`, { dn_code: 'CY-1', goodsData: [{ goods_code: 'SKU-CY', intransit_qty: 1, delivery_damage_qty: 1 }] });
    expect(pod.body).toEqual({ detail: 'success' });
    expect((await gw.get('/dn/detail/?dn_code=CY-1')).body.results[0]).toMatchObject({
      dn_status: 6,
      intransit_qty: 0,
      delivery_actual_qty: 1,
      delivery_shortage_qty: 1,
      delivery_damage_qty: 1,
    });
  });

  it('cancel at status 1 returns dn_stock; at status 2 it is refused and nothing changes', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-CA', 4);
    const a = await createDn(gw, 'CA-1', [['SKU-CA', 1]]);
    expect((await gw.del(`/dn/list/${a}/`)).body).toEqual({ detail: 'success' });
    expect((await stockRow(gw, 'SKU-CA'))!.dn_stock).toBe(0);
    const b = await createDn(gw, 'CA-2', [['SKU-CA', 1]]);
    await gw.post(`/dn/neworder/${b}/`);
    const before = await stockRow(gw, 'SKU-CA');
    expect((await gw.del(`/dn/list/${b}/`)).body).toEqual({ detail: 'This order has Confirmed or Deliveried', status_code: 500 });
    expect(await stockRow(gw, 'SKU-CA')).toEqual(before);
  });

  it('Damage and Inspection put-away: onhand rises with damage_stock / inspect_stock, can_order_stock does not', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-DM', 1, 'B030101');
    gw.sim.control.stockIn(gw.tenant.token, 'SKU-DM', 2, { bin: 'B010102' });
    gw.sim.control.stockIn(gw.tenant.token, 'SKU-DM', 3, { bin: 'A010102' });
    expect(await stockRow(gw, 'SKU-DM')).toMatchObject({ goods_qty: 6, onhand_stock: 6, damage_stock: 1, inspect_stock: 2, can_order_stock: 3 });
    const bins = (await gw.get('/stock/bin/?goods_code=SKU-DM&ordering=id')).body.results;
    expect(bins.map((b: Record<string, unknown>) => [b.bin_name, b.bin_property, b.goods_qty])).toEqual([
      ['B030101', 'Damage', 1],
      ['B010102', 'Inspection', 2],
      ['A010102', 'Normal', 3],
    ]);
  });

  it('two tenants never see each other: same goods code, separate stock; ids are global per table like the real DB', async () => {
    gw = await startGw();
    const other = gw.sim.control.createTenant({ name: 'tenant_two' });
    await seedGoods(gw, 'SKU-MT', 2);
    const mine = (await gw.get('/goods/?goods_code=SKU-MT')).body.results[0];
    const r = await fetch(`${gw.sim.url}/goods/?goods_code=SKU-MT`, { headers: { token: other.token } });
    expect(((await r.json()) as { count: number }).count).toBe(0);
    expect(other.operator).toBeGreaterThan(gw.tenant.operator);
    expect(mine.id).toBe(42 + 41); // the second tenant's 41 demo goods took ids 42..82
    expect((await gw.get(`/dn/list/?customer=${encodeURIComponent(CUSTOMER.customer_name)}`)).body.count).toBe(0);
  });

  it('every stock-changing step moves the stock row update_time, so update_time__gte polling sees it', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-UT', 5);
    // A cursor just after the row's last change: "YYYY-MM-DD HH:MM:SS" + 1 s (naive times, computed as UTC).
    const cursorAfterLastChange = async (): Promise<string> => {
      const last = (await gw.get('/stock/list/?goods_code=SKU-UT')).body.results[0].update_time as string;
      const next = new Date(Date.parse(`${last.replace(' ', 'T')}Z`) + 1000).toISOString().slice(0, 19).replace('T', ' ');
      gw.sim.control.advanceClock(5_000); // the next change happens later than the cursor
      return encodeURIComponent(next);
    };
    const id = await createDn(gw, 'UT-1', [['SKU-UT', 2]]);
    const steps: [string, () => Promise<unknown>][] = [
      ['neworder', () => gw.post(`/dn/neworder/${id}/`)],
      ['release', () => gw.put(`/dn/orderrelease/${id}/`)],
      ['pick', async () => gw.sim.control.pick(gw.tenant.token, { id })],
      ['dispatch', async () => gw.sim.control.dispatch(gw.tenant.token, { id })],
      ['stock-in', async () => gw.sim.control.stockIn(gw.tenant.token, 'SKU-UT', 1)],
    ];
    for (const [name, step] of steps) {
      const cursor = await cursorAfterLastChange();
      expect([name, (await gw.get(`/stock/list/?goods_code=SKU-UT&update_time__gte=${cursor}`)).body.count]).toEqual([name, 0]);
      await step();
      expect([name, (await gw.get(`/stock/list/?goods_code=SKU-UT&update_time__gte=${cursor}`)).body.count]).toEqual([name, 1]);
    }
  });
});
