// Contract: stock reads (by SKU, all pages, changed since a cursor, missing row = 0) and return inbounds
// (created once, optionally received into a bin of a given kind, resumable after a crash at any step).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockLevel } from '../../../server/core/ports.js';
import { GreaterWmsConnectionResetError } from '../../../server/adapters/greaterwms/greaterwms-errors.js';
import type { GreaterWmsWarehouse } from '../../../server/adapters/greaterwms/greaterwms-adapter.js';
import type { GreaterWmsHttp } from '../../../server/adapters/greaterwms/greaterwms-http.js';
import type { AsnHeader, AsnLine } from '../../../server/adapters/greaterwms/greaterwms-types.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { clientFor, dispatch, dnHeaders, openTarget, orderNumberBase, pickAll, rawFor, release, warehouseFor, type ContractTarget } from './target.js';

let t: ContractTarget;
let wh: GreaterWmsWarehouse;
let raw: GreaterWmsHttp;
let proxy: FaultProxy;
const sku = (x: string) => `CT${t.runId}-${x}`;
let r = 0;
const ret = (lines: [string, number][], receiveInto?: 'sellable' | 'inspection' | 'holding' | 'damaged') => {
  r++;
  return {
    returnId: `gid://shopify/Return/${t.runId}${r}`,
    returnName: `#${2000 + r}-R1`,
    lines: lines.map(([s, quantity]) => ({ sku: sku(s), quantity })),
    receiveInto,
  };
};
const level = async (s: string): Promise<StockLevel> => (await wh.readStock({ skus: [sku(s)] })).levels[0]!;

beforeAll(async () => {
  t = await openTarget();
  wh = warehouseFor(t);
  raw = rawFor(t);
  proxy = await startFaultProxy(t.url);
  for (const s of ['S1', 'S2', 'S3', 'S4', 'Z1']) await wh.ensureProduct({ sku: sku(s), title: `Stock ${s}` });
});
afterAll(async () => {
  await proxy?.close();
  await t?.close();
});

describe('stock', () => {
  it('a SKU the warehouse has no row for reads as 0 (rows are created lazily)', async () => {
    expect(await level('S4')).toMatchObject({ sku: sku('S4'), warehouseCode: sku('S4'), available: 0, onHand: 0, updatedAt: null });
  });

  it('received into a Normal bin: available and on hand; by SKU, and in the full read (all pages)', async () => {
    const res = await wh.createReturnInbound(ret([['S1', 4]], 'sellable'));
    expect(res).toMatchObject({ created: true, received: true });
    expect(await level('S1')).toMatchObject({ available: 4, onHand: 4, incoming: 0 });
    const all = await warehouseFor(t, { pageSize: 1000 }).readStock();
    expect(all.levels.find((l) => l.warehouseCode === sku('S1'))).toMatchObject({ available: 4, sku: null });
  });

  it('many SKUs at once (above the per-code limit) come from one paged full read, unknown ones as 0', async () => {
    // Page size 2 exercises paging on the simulator; a real tenant's whole stock list is read in pages of 1000.
    const many = warehouseFor(t, { pageSize: t.kind === 'real' ? 1000 : 2 }, { perCodeStockLimit: 1 });
    const { levels } = await many.readStock({ skus: [sku('S1'), sku('S4'), sku('NOPE')] });
    expect(levels.map((l) => [l.sku, l.available])).toEqual([
      [sku('S1'), 4],
      [sku('S4'), 0],
      [sku('NOPE'), 0],
    ]);
  });

  it('changes since a cursor: a later change shows up, an older row does not', async () => {
    // One-second timestamps and a cursor that re-reads its own second (so nothing changed in it is missed):
    // space the changes by more than a second so S1 lies strictly before the cursor.
    const pause = () => new Promise((res) => setTimeout(res, 1100));
    await pause();
    await wh.createReturnInbound(ret([['S4', 1]]));
    const first = await wh.readStockChanges(null);
    expect(first.nextCursor).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(first.levels.map((l) => l.warehouseCode)).toEqual(expect.arrayContaining([sku('S1'), sku('S4')]));
    await pause();
    await wh.createReturnInbound(ret([['S2', 2]], 'sellable'));
    const changes = await wh.readStockChanges(first.nextCursor);
    const codes = changes.levels.map((l) => l.warehouseCode);
    expect(codes).toContain(sku('S2'));
    expect(codes).not.toContain(sku('S1'));
    expect(changes.nextCursor! >= first.nextCursor!).toBe(true);
  });

  it('a row that reaches 0 is deleted by the warehouse and reads as 0', async () => {
    await wh.createReturnInbound(ret([['Z1', 1]], 'sellable'));
    expect((await level('Z1')).onHand).toBe(1);
    const o = await wh.createOutboundOrder({
      orderId: `gid://shopify/Order/${t.runId}Z`,
      orderName: `#${orderNumberBase()}`,
      lines: [{ sku: sku('Z1'), quantity: 1 }],
      recipient: { name: 'Zero' },
    });
    const h = (await dnHeaders(raw, o.ref.code))[0]!;
    await release(raw, h.id);
    await pickAll(raw, h);
    await clientFor(t).ensureDriver(`Driver ${t.runId}`);
    await dispatch(raw, h, `Driver ${t.runId}`);
    expect(await clientFor(t).stockOf(sku('Z1'))).toBeNull();
    expect(await level('Z1')).toMatchObject({ available: 0, onHand: 0, updatedAt: null });
  });
});

describe('return inbound', () => {
  it('announced only: created once, repeat does nothing, stock shows it as incoming', async () => {
    const input = ret([['S3', 2]]);
    const a = await wh.createReturnInbound(input);
    expect(a).toMatchObject({ created: true, received: false, code: `CR${t.runId}-${2000 + r}-R1` });
    const b = await wh.createReturnInbound(input);
    expect(b).toMatchObject({ created: false, steps: [] });
    const headers = (await raw.listAll<AsnHeader>('/asn/list/', { asn_code: a.code })).filter((h) => h.asn_code === a.code);
    expect(headers).toHaveLength(1);
    expect(await level('S3')).toMatchObject({ incoming: 2, available: 0 });
  });

  it.each([
    ['inspection', 'inspection'],
    ['holding', 'holding'],
    ['damaged', 'damaged'],
  ] as const)('received into a %s bin: counted there, not sellable', async (into, field) => {
    const s = `Q${into.slice(0, 2).toUpperCase()}`;
    await wh.ensureProduct({ sku: sku(s), title: `Quarantine ${into}` });
    const res = await wh.createReturnInbound(ret([[s, 3]], into));
    expect(res.received).toBe(true);
    const l = await level(s);
    expect(l[field]).toBe(3);
    expect(l.available).toBe(0);
    expect(l.onHand).toBe(3);
  });

  it('crash after preload (a worker died mid-receive): the repeat continues from where it stopped', async () => {
    await wh.ensureProduct({ sku: sku('R1'), title: 'resume' });
    const input = ret([['R1', 2]], 'sellable');
    await wh.createReturnInbound({ ...input, receiveInto: null });
    const h = (await raw.listAll<AsnHeader>('/asn/list/', { asn_code: wh.returnCode(input) }))[0]!;
    await raw.post(`/asn/preload/${h.id}/`, {});
    const res = await wh.createReturnInbound(input);
    expect(res.steps).toEqual(['presort', 'sorted', `movetobin:${sku('R1')}`]);
    expect(res.received).toBe(true);
    expect((await level('R1')).available).toBe(2);
  });

  it('answer lost after a put-away committed: the repeat does not put away twice', async () => {
    await wh.ensureProduct({ sku: sku('R2'), title: 'lost put-away' });
    const input = ret([['R2', 3]], 'sellable');
    const viaProxy = warehouseFor({ ...t, url: proxy.url });
    const fired = proxy.inject({ method: 'POST', path: /^\/asn\/movetobin\/\d+\/$/, action: 'drop-after-commit' });
    const err = await viaProxy.createReturnInbound(input).catch((e: unknown) => e);
    await fired;
    expect(err).toBeInstanceOf(GreaterWmsConnectionResetError);
    const res = await viaProxy.createReturnInbound(input);
    expect(res.received).toBe(true);
    expect(res.steps).toEqual([]);
    expect((await level('R2')).available).toBe(3);
    const lines = (await raw.listAll<AsnLine>('/asn/detail/', { asn_code: res.code })).filter((l) => l.asn_code === res.code);
    expect(lines.map((l) => [l.goods_code, l.sorted_qty, l.asn_status])).toEqual([[sku('R2'), 3, 5]]);
  });

  it('header left without lines by a crash: completed, not duplicated', async () => {
    await wh.ensureProduct({ sku: sku('R3'), title: 'orphan asn' });
    const input = ret([['R3', 1]]);
    await raw.post('/asn/list/', { creater: input.returnId }, { custom_asn: wh.returnCode(input) });
    const res = await wh.createReturnInbound(input);
    expect(res).toMatchObject({ created: false, steps: ['lines'] });
    const all = await raw.listAll<AsnHeader>('/asn/list/', { asn_code: res.code });
    expect(all.filter((h) => h.asn_code === res.code)).toHaveLength(1);
  });

  it('a return of an unknown product is refused before anything is created', async () => {
    const input = ret([['GHOST', 1]]);
    const err = await wh.createReturnInbound(input).catch((e: Error) => e);
    expect((err as Error).message).toContain(`${sku('GHOST')} does not exist`);
    const probe = await raw
      .post('/asn/detail/', { asn_code: wh.returnCode(input), supplier: `Returns ${t.runId}`, goods_code: [sku('S1')], goods_qty: [1] })
      .catch((e: Error) => e);
    expect((probe as Error).message).toContain('ASN Code does not exists');
  });
});
