// Contract: outbound orders — create (repeat-safe after a crash at every step), status in bulk with back
// orders, cancel. Crashes are reproduced target-agnostically: partial steps done with raw calls (what a
// killed worker leaves behind), and lost answers with a proxy that commits upstream and then drops the
// connection (works in front of the simulator and a real GreaterWMS alike).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../../server/core/errors.js';
import type { OutboundOrderInput } from '../../../server/core/ports.js';
import { GreaterWmsConnectionResetError } from '../../../server/adapters/greaterwms/greaterwms-errors.js';
import { GreaterWmsClient } from '../../../server/adapters/greaterwms/greaterwms-client.js';
import { GreaterWmsWarehouse } from '../../../server/adapters/greaterwms/greaterwms-adapter.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import {
  clientFor,
  dispatch,
  dnHeaders,
  dnLines,
  openTarget,
  orderNumberBase,
  pgLock,
  pickAll,
  rawFor,
  release,
  warehouseFor,
  type ContractTarget,
} from './target.js';
import type { GreaterWmsHttp } from '../../../server/adapters/greaterwms/greaterwms-http.js';
import type { DnHeader } from '../../../server/adapters/greaterwms/greaterwms-types.js';

let t: ContractTarget;
let wh: GreaterWmsWarehouse;
let raw: GreaterWmsHttp;
let proxy: FaultProxy;
let A: string; // plenty of stock
let B: string; // 3 in stock
let C: string; // never in stock
let n = 0;

const order = (lines: [string, number][], extra: Partial<OutboundOrderInput> = {}): OutboundOrderInput => {
  n += 10;
  return {
    orderId: `gid://shopify/Order/${t.runId}${n}`,
    orderName: `#${n}`,
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
    recipient: { name: `Jane ${n}`, address1: '1 Main St', city: 'Berlin', zip: '10115', country: 'DE', phone: '+49 30 1' },
    ...extra,
  };
};

beforeAll(async () => {
  t = await openTarget();
  n = orderNumberBase();
  wh = warehouseFor(t);
  raw = rawFor(t);
  proxy = await startFaultProxy(t.url);
  [A, B, C] = ['A', 'B', 'C'].map((x) => `CT${t.runId}-${x}`) as [string, string, string];
  for (const sku of [A, B, C]) await wh.ensureProduct({ sku, title: `Goods ${sku}`, weightGrams: 250, price: 10 });
  // Stock through the connector's own receiving path: a received inbound into a Normal (sellable) bin.
  const seeded = await wh.createReturnInbound({
    returnId: `seed-${t.runId}`,
    returnName: 'SEED1',
    lines: [
      { sku: A, quantity: 50 },
      { sku: B, quantity: 3 },
    ],
    receiveInto: 'sellable',
  });
  expect(seeded.received).toBe(true);
});
afterAll(async () => {
  await proxy?.close();
  await t?.close();
});

describe('create', () => {
  it('creates header, lines and confirms; a repeat changes nothing', async () => {
    const o = order([[A, 2], [B, 1]]);
    const first = await wh.createOutboundOrder(o);
    expect(first).toMatchObject({ state: 'confirmed', created: true, steps: ['header', 'lines', 'confirm'] });
    expect(first.ref.code).toBe(`CT${t.runId}-${n}`);
    expect(first.ref.createdAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const again = await wh.createOutboundOrder(o);
    expect(again).toMatchObject({ state: 'confirmed', created: false, steps: [] });
    expect(again.ref).toEqual(first.ref);
    expect(await dnHeaders(raw, first.ref.code)).toHaveLength(1);
    expect(await dnLines(raw, first.ref.code)).toEqual({ [A]: 2, [B]: 1 });
    // The shop reference is on the warehouse side too (free text), and on ours (the ref).
    expect((await dnHeaders(raw, first.ref.code))[0]!.creater).toBe(o.orderId);
  });

  it('crash after the header (header-only DN, invisible to every read): the repeat completes it', async () => {
    const o = order([[A, 1]]);
    const code = wh.orderCode(o);
    await raw.post('/dn/list/', { creater: o.orderId }, { custom_dn: code });
    expect(await dnHeaders(raw, code)).toHaveLength(0); // invisible
    const r = await wh.createOutboundOrder(o);
    expect(r.state).toBe('confirmed');
    expect(r.steps).toEqual(['lines', 'confirm']);
    expect(r.warnings.join()).toMatch(/header-only/);
    expect(await dnHeaders(raw, code)).toHaveLength(1);
    expect(await dnLines(raw, code)).toEqual({ [A]: 1 });
  });

  it('crash after some lines: the repeat replaces them instead of adding (a detail POST sums quantities)', async () => {
    const o = order([[A, 3], [B, 1]]);
    const code = wh.orderCode(o);
    const customer = `${code} ${o.recipient.name}`;
    await clientFor(t).ensureCustomer({ name: customer });
    await raw.post('/dn/list/', { creater: o.orderId }, { custom_dn: code });
    await raw.post('/dn/detail/', { dn_code: code, customer, goods_code: [A], goods_qty: [2] });
    const r = await wh.createOutboundOrder(o);
    expect(r.steps).toEqual(['lines-replaced', 'confirm']);
    expect(await dnLines(raw, code)).toEqual({ [A]: 3, [B]: 1 });
    expect(r.state).toBe('confirmed');
  });

  it('crash after all lines, before confirming: the repeat only confirms', async () => {
    const o = order([[A, 1]]);
    const code = wh.orderCode(o);
    const customer = `${code} ${o.recipient.name}`;
    await clientFor(t).ensureCustomer({ name: customer });
    await raw.post('/dn/list/', { creater: o.orderId }, { custom_dn: code });
    await raw.post('/dn/detail/', { dn_code: code, customer, goods_code: [A], goods_qty: [1] });
    const r = await wh.createOutboundOrder(o);
    expect(r.steps).toEqual(['confirm']);
    expect(await dnLines(raw, code)).toEqual({ [A]: 1 });
  });

  it.each([
    // The first detail POST of a new order is the orphan probe ("DN Code does not exists"): skip it.
    ['header POST', /^\/dn\/list\/\?custom_dn=/, 0],
    ['lines POST', /^\/dn\/detail\/$/, 1],
    ['confirm POST', /^\/dn\/neworder\/\d+\/$/, 0],
  ])('answer lost after the %s committed: retryable error, then the repeat ends with one DN and exact lines', async (_name, path, skip) => {
    const o = order([[A, 2]]);
    const viaProxy = warehouseFor({ ...t, url: proxy.url });
    const fired = proxy.inject({ method: 'POST', path, action: 'drop-after-commit', skip });
    const err = await viaProxy.createOutboundOrder(o).catch((e: unknown) => e);
    await fired;
    expect(err).toBeInstanceOf(GreaterWmsConnectionResetError);
    expect(isRetryable(err)).toBe(true);
    const r = await viaProxy.createOutboundOrder(o);
    expect(r.state).toBe('confirmed');
    expect(await dnHeaders(raw, r.ref.code)).toHaveLength(1);
    expect(await dnLines(raw, r.ref.code)).toEqual({ [A]: 2 });
  });

  it('recipient texts with "select"/"script" pass the filter; the customer keeps a readable name', async () => {
    const o = order([[A, 1]], {
      recipient: { name: 'Scripta Selectra', address1: '1 Select Street', city: 'Scriptville', company: 'Selection Ltd', phone: '1' },
    });
    const r = await wh.createOutboundOrder(o);
    expect(r.state).toBe('confirmed');
    expect(r.ref.recipientKey).toBe(`${r.ref.code} Scr-ipta Sel-ectra`);
    const customers = await raw.listAll<{ id: number; customer_name: string; customer_address: string }>('/customer/', { customer_name: r.ref.recipientKey });
    expect(customers[0]!.customer_address.replaceAll('\u00AD', '')).toBe('Selection Ltd, 1 Select Street');
  });

  it('two workers (separate processes, PostgreSQL lock) create the same order at once: one DN', async () => {
    const o = order([[A, 1]]);
    const l1 = pgLock();
    const l2 = pgLock();
    try {
      const w1 = warehouseFor(t, { lock: l1.lock });
      const w2 = warehouseFor(t, { lock: l2.lock });
      const [r1, r2] = await Promise.all([w1.createOutboundOrder(o), w2.createOutboundOrder(o)]);
      expect([r1.created, r2.created].sort()).toEqual([false, true]);
      expect(await dnHeaders(raw, r1.ref.code)).toHaveLength(1);
      expect(await dnLines(raw, r1.ref.code)).toEqual({ [A]: 1 });
    } finally {
      await l1.close();
      await l2.close();
    }
  });
});

describe('status, back orders, cancel', () => {
  it('follows an order through release, pick and dispatch (bulk read by ref)', async () => {
    const r = await wh.createOutboundOrder(order([[A, 2]]));
    const state = async () => (await wh.readOutboundOrders({ refs: [r.ref] })).orders[0]!;
    expect((await state()).main).toMatchObject({ state: 'confirmed', isBackOrder: false });
    const h = (await dnHeaders(raw, r.ref.code))[0]!;
    await release(raw, h.id);
    expect((await state()).main!.state).toBe('allocated');
    await pickAll(raw, h);
    expect((await state()).main!.state).toBe('picked');
    await clientFor(t).ensureDriver(`Driver ${t.runId}`);
    await dispatch(raw, h, `Driver ${t.runId}`);
    const s = await state();
    expect(s.main).toMatchObject({ state: 'shipped' });
    expect(s.main!.lines).toEqual([expect.objectContaining({ warehouseCode: A, quantity: 2, picked: 2, shipped: 2 })]);
    expect(s.backOrders).toEqual([]);
  });

  it('short stock at release: the back order (new unrelated code) is linked to its order', async () => {
    const r = await wh.createOutboundOrder(order([[B, 5]]));
    const h = (await dnHeaders(raw, r.ref.code))[0]!;
    await release(raw, h.id);
    const { orders } = await wh.readOutboundOrders({ refs: [r.ref] });
    const s = orders[0]!;
    expect(s.main).toMatchObject({ state: 'allocated', lines: [expect.objectContaining({ warehouseCode: B, quantity: 3 })] });
    expect(s.backOrders).toHaveLength(1);
    expect(s.backOrders[0]).toMatchObject({ isBackOrder: true, state: 'confirmed', lines: [expect.objectContaining({ warehouseCode: B, quantity: 2 })] });
    expect(s.backOrders[0]!.code).not.toBe(r.ref.code);
    // Too late to cancel now.
    expect(await wh.cancelOutboundOrder(r.ref)).toMatchObject({ outcome: 'already_confirmed', state: 'allocated' });
  });

  it('nothing allocatable at release: the original vanishes, its back order carries the order', async () => {
    const o = order([[C, 2]]);
    const r = await wh.createOutboundOrder(o);
    const h = (await dnHeaders(raw, r.ref.code))[0]!;
    await release(raw, h.id);
    const s = (await wh.readOutboundOrders({ refs: [r.ref] })).orders[0]!;
    expect(s.main).toBeNull();
    expect(s.backOrders).toEqual([expect.objectContaining({ isBackOrder: true, state: 'confirmed' })]);
    // A repeated create must not make a second DN for an order that lives on as a back order.
    const again = await wh.createOutboundOrder(o);
    expect(again.created).toBe(false);
    expect(await dnHeaders(raw, r.ref.code)).toHaveLength(0);
    const cancel = await wh.cancelOutboundOrder(r.ref);
    expect(cancel).toMatchObject({ outcome: 'already_confirmed' });
  });

  it('with a cursor, only orders changed since are returned', async () => {
    // Server timestamps have one-second precision and the cursor re-reads its own second (never misses a
    // change made in it): space the steps by more than a second so r1 lies strictly before the cursor.
    const pause = () => new Promise((res) => setTimeout(res, 1100));
    const r1 = await wh.createOutboundOrder(order([[A, 1]]));
    await pause();
    const r2 = await wh.createOutboundOrder(order([[A, 1]]));
    const first = await wh.readOutboundOrders({ refs: [r1.ref, r2.ref] });
    expect(first.orders).toHaveLength(2);
    expect(first.nextCursor).toMatch(/^\d{4}-/);
    await pause();
    const h2 = (await dnHeaders(raw, r2.ref.code))[0]!;
    await release(raw, h2.id);
    const after = await wh.readOutboundOrders({ refs: [r1.ref, r2.ref], cursor: first.nextCursor });
    expect(after.orders.map((o) => o.ref.code)).toContain(r2.ref.code);
    expect(after.orders.find((o) => o.ref.code === r2.ref.code)!.main!.state).toBe('allocated');
    expect(after.orders.map((o) => o.ref.code)).not.toContain(r1.ref.code);
  });

  it('back order released when stock arrives: original ships first, the back order later (partial, then full)', async () => {
    const D = `CT${t.runId}-D`;
    await wh.ensureProduct({ sku: D, title: 'partial goods' });
    await wh.createReturnInbound({ returnId: `seedD1-${t.runId}`, returnName: 'SEEDD1', lines: [{ sku: D, quantity: 2 }], receiveInto: 'sellable' });
    const r = await wh.createOutboundOrder(order([[D, 5]]));
    const h = (await dnHeaders(raw, r.ref.code))[0]!;
    await release(raw, h.id);
    await pickAll(raw, h);
    await clientFor(t).ensureDriver(`Driver ${t.runId}`);
    await dispatch(raw, h, `Driver ${t.runId}`);
    let s = (await wh.readOutboundOrders({ refs: [r.ref] })).orders[0]!;
    expect(s.main).toMatchObject({ state: 'shipped', lines: [expect.objectContaining({ quantity: 2, shipped: 2 })] });
    expect(s.backOrders).toEqual([expect.objectContaining({ state: 'confirmed', lines: [expect.objectContaining({ quantity: 3, shipped: 0 })] })]);
    await wh.createReturnInbound({ returnId: `seedD2-${t.runId}`, returnName: 'SEEDD2', lines: [{ sku: D, quantity: 3 }], receiveInto: 'sellable' });
    const back = await raw.get<DnHeader>(`/dn/list/${s.backOrders[0]!.warehouseId}/`);
    await release(raw, s.backOrders[0]!.warehouseId);
    await pickAll(raw, back);
    await dispatch(raw, back, `Driver ${t.runId}`);
    s = (await wh.readOutboundOrders({ refs: [r.ref] })).orders[0]!;
    expect(s.backOrders).toEqual([expect.objectContaining({ state: 'shipped', lines: [expect.objectContaining({ quantity: 3, shipped: 3 })] })]);
  });

  it('short pick: the warehouse ships what was picked, and the read says so', async () => {
    const r = await wh.createOutboundOrder(order([[A, 3]]));
    const h = (await dnHeaders(raw, r.ref.code))[0]!;
    await release(raw, h.id);
    await pickAll(raw, h, 1);
    await clientFor(t).ensureDriver(`Driver ${t.runId}`);
    await dispatch(raw, h, `Driver ${t.runId}`);
    const s = (await wh.readOutboundOrders({ refs: [r.ref] })).orders[0]!;
    expect(s.main).toMatchObject({ state: 'shipped', lines: [expect.objectContaining({ quantity: 3, picked: 2, shipped: 2 })] });
  });

  it('cancel before confirmation cancels; repeat says absent; after confirmation it is refused with a typed result', async () => {
    const o = order([[A, 1]]);
    const code = wh.orderCode(o);
    const customer = `${code} ${o.recipient.name}`;
    await clientFor(t).ensureCustomer({ name: customer });
    await raw.post('/dn/list/', { creater: o.orderId }, { custom_dn: code });
    await raw.post('/dn/detail/', { dn_code: code, customer, goods_code: [A], goods_qty: [1] });
    const ref = { orderId: o.orderId, code, warehouseId: null, recipientKey: customer, createdAt: '2000-01-01 00:00:00' };
    expect(await wh.cancelOutboundOrder(ref)).toEqual({ outcome: 'cancelled' });
    expect(await wh.cancelOutboundOrder(ref)).toEqual({ outcome: 'absent' });
    expect(await dnHeaders(raw, code)).toHaveLength(0);
    const confirmed = await wh.createOutboundOrder(order([[A, 1]]));
    const c = await wh.cancelOutboundOrder(confirmed.ref);
    expect(c).toMatchObject({ outcome: 'already_confirmed', state: 'confirmed' });
    expect((c as { detail: string }).detail).toMatch(/already confirmed in the warehouse/);
  });

  it('shared customer: back orders of two orders of one customer are told apart by create time; reads page', async () => {
    const shared = warehouseFor(t, { pageSize: 2 }, { customerStrategy: 'shared' });
    const r1 = await shared.createOutboundOrder(order([[B, 4]]));
    const r2 = await shared.createOutboundOrder(order([[C, 1]]));
    const r3 = await shared.createOutboundOrder(order([[A, 1]]));
    expect(r1.ref.recipientKey).toBe(r2.ref.recipientKey);
    expect(new Set([r1.ref.createdAt, r2.ref.createdAt, r3.ref.createdAt]).size).toBe(3);
    for (const r of [r1, r2]) await release(raw, (await dnHeaders(raw, r.ref.code))[0]!.id);
    const { orders, unlinkedBackOrders } = await shared.readOutboundOrders({ refs: [r1.ref, r2.ref, r3.ref] });
    const by = new Map(orders.map((o) => [o.ref.code, o]));
    expect(by.get(r1.ref.code)!.backOrders.map((b) => b.lines[0]!.warehouseCode)).toEqual([B]);
    expect(by.get(r2.ref.code)!.main).toBeNull();
    expect(by.get(r2.ref.code)!.backOrders.map((b) => b.lines[0]!.warehouseCode)).toEqual([C]);
    expect(by.get(r3.ref.code)!.backOrders).toEqual([]);
    expect(unlinkedBackOrders).toEqual([]);
  });
});

describe('bulk status read', () => {
  it('many refs: the created-since read gives exactly what the per-customer read gives', async () => {
    const refs = [];
    for (let i = 0; i < 4; i++) refs.push((await wh.createOutboundOrder(order([[A, 1]]))).ref);
    const short = await wh.createOutboundOrder(order([[B, 9]]));
    await release(raw, (await dnHeaders(raw, short.ref.code))[0]!.id);
    refs.push(short.ref);
    const perCustomer = await warehouseFor(t, {}, { perCustomerReadLimit: 100 }).readOutboundOrders({ refs });
    const bulk = await warehouseFor(t, { pageSize: 3 }, { perCustomerReadLimit: 1 }).readOutboundOrders({ refs });
    const norm = (r: typeof bulk) => r.orders.map((o) => ({ code: o.ref.code, main: o.main, backOrders: o.backOrders }));
    expect(norm(bulk)).toEqual(norm(perCustomer));
    expect(bulk.orders).toHaveLength(5);
    expect(bulk.orders[4]!.backOrders).toHaveLength(1);
  });
});

describe('pagination beyond one page', () => {
  it('a filter value with ":" pages fine because values are encoded (raw, the target answers "Wrong API Url")', async () => {
    const client: GreaterWmsClient = clientFor(t, { pageSize: 1 });
    const ours = await client.http.listAll<{ id: number; creater: string }>('/dn/list/', { creater__icontains: `gid://shopify/Order/${t.runId}` });
    expect(ours.length).toBeGreaterThan(2);
    expect(ours.every((h) => h.creater.startsWith(`gid://shopify/Order/${t.runId}`))).toBe(true);
    const unencoded = await fetch(`${t.url}/dn/list/?max_page=1&creater__icontains=gid://shopify/Order/${t.runId}`, {
      headers: { token: t.token, operator: String(t.operator) },
    });
    expect(await unencoded.json()).toEqual({ detail: 'Wrong API Url', status_code: 500 });
  });

  it('list reads with page size 2 return every row (count-based, never the next links)', async () => {
    const client: GreaterWmsClient = clientFor(t, { pageSize: 2 });
    for (let i = 1; i <= 5; i++) await client.ensureGoods({ goods_code: `CT${t.runId}-P${i}`, goods_desc: `page ${i}` });
    const rows = await client.http.listAll<{ id: number; goods_code: string }>('/goods/', { goods_code__icontains: `CT${t.runId}-P` });
    expect(rows.map((r) => r.goods_code).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `CT${t.runId}-P${i}`));
  });
});
