// Contract: auth failures, the connection test, and the error shapes of the target, through the client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../../server/core/errors.js';
import {
  GreaterWmsNotFoundError,
  GreaterWmsServerCrashError,
  GreaterWmsTextRefusedError,
  GreaterWmsTokenRejectedError,
  GreaterWmsUnreachableError,
} from '../../../server/adapters/greaterwms/greaterwms-errors.js';
import { GreaterWmsHttp } from '../../../server/adapters/greaterwms/greaterwms-http.js';
import { clientFor, dnLines, openTarget, orderNumberBase, rawFor, warehouseFor, type ContractTarget } from './target.js';

let t: ContractTarget;
let base = 0;
beforeAll(async () => {
  t = await openTarget();
  base = orderNumberBase();
});
afterAll(async () => {
  await t?.close();
});

describe('connection test', () => {
  it('good URL, token and operator: ok, naming the warehouse and the staff', async () => {
    const r = await warehouseFor(t).testConnection();
    expect(r).toMatchObject({ ok: true });
    expect(r.detail).toMatch(/connected to warehouse ".+" as staff ".+" \(id \d+/);
  });

  it('wrong token → token_rejected', async () => {
    const r = await warehouseFor({ ...t, token: `nope${t.runId}` }).testConnection();
    expect(r).toMatchObject({ ok: false, problem: 'token_rejected' });
  });

  it('empty-looking token (Bearer-style mistake) → token_rejected, not retried forever', async () => {
    const client = clientFor({ ...t, token: `Bearer ${t.token}` });
    const err = await client.ensureGoods({ goods_code: `CT${t.runId}-X1`, goods_desc: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreaterWmsTokenRejectedError);
    expect(isRetryable(err)).toBe(false);
    expect((err as Error).message).toMatch(/^GreaterWMS rejected the token/);
  });

  it('operator that is no staff of this tenant → operator_unknown', async () => {
    const r = await warehouseFor({ ...t, operator: 987_654_321 }).testConnection();
    expect(r).toMatchObject({ ok: false, problem: 'operator_unknown' });
    expect(r.detail).toContain('987654321');
  });

  it('nothing listening → unreachable (and operations fail retryably)', async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const dead = { ...t, url: `http://127.0.0.1:${port}` };
    expect(await warehouseFor(dead).testConnection()).toMatchObject({ ok: false, problem: 'unreachable' });
    const err = await clientFor(dead).ensureGoods({ goods_code: 'X1', goods_desc: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreaterWmsUnreachableError);
    expect(isRetryable(err)).toBe(true);
  });

  it('a URL that is not GreaterWMS (HTML page) → unexpected, saying so', async () => {
    const s = http.createServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Router login</body></html>');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const r = await warehouseFor({ ...t, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` }).testConnection();
      expect(r).toMatchObject({ ok: false, problem: 'unexpected' });
      expect(r.detail).toMatch(/not JSON/);
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});

describe('error shapes of the target', () => {
  it('custom DN code without a digit → HTML 500 crash, typed permanent; nothing created', async () => {
    const raw = rawFor(t);
    const err = await raw.post('/dn/list/', { creater: 'x' }, { custom_dn: `CT${t.runId}-ABC` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreaterWmsServerCrashError);
    expect((err as GreaterWmsServerCrashError).exception).toBe('IndexError');
  });

  it('missing operator on a write → HTML 500 crash naming the missing header; lines unchanged', async () => {
    const wh = warehouseFor(t);
    await wh.ensureProduct({ sku: `CT${t.runId}-E1`, title: 'Error shape goods' });
    const order = await wh.createOutboundOrder({
      orderId: `gid://shopify/Order/${t.runId}E`,
      orderName: `#${base + 10}`,
      lines: [{ sku: `CT${t.runId}-E1`, quantity: 1 }],
      recipient: { name: 'Err Shape' },
    });
    const noOperator = new GreaterWmsHttp({ baseUrl: t.url, token: t.token, operator: t.operator });
    const err = await (noOperator as unknown as { request: (...a: unknown[]) => Promise<unknown> })
      .request('POST', '/dn/detail/', undefined, { dn_code: order.ref.code, customer: order.ref.recipientKey, goods_code: [`CT${t.runId}-E1`], goods_qty: [1] }, false)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreaterWmsServerCrashError);
    expect((err as Error).message).toContain('operator header is missing');
    expect(await dnLines(rawFor(t), order.ref.code)).toEqual({ [`CT${t.runId}-E1`]: 1 });
  });

  it('text with "select" is refused raw, and passes through the client transform', async () => {
    const raw = rawFor(t);
    const sku = `CT${t.runId}-SEL1`;
    const wh = warehouseFor(t);
    const r = await wh.ensureProduct({ sku, title: 'Selected gift box — JavaScript edition' });
    expect(r).toEqual({ sku, warehouseCode: sku, created: true });
    const goods = (await raw.listAll<{ id: number; goods_code: string; goods_desc: string }>('/goods/', { goods_code: sku }))[0]!;
    expect(goods.goods_desc.replaceAll('\u00AD', '')).toBe('Selected gift box — JavaScript edition');
    const full = { ...goods, goods_desc: 'Selected gift box', goods_code: `${sku}-B` } as Record<string, unknown>;
    delete full.id;
    const refused = await raw.post('/goods/', full).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GreaterWmsTextRefusedError);
  });

  it('ensureProduct twice: created once ("Data Exists" never surfaces)', async () => {
    const wh = warehouseFor(t);
    const sku = `CT${t.runId}-D1`;
    expect((await wh.ensureProduct({ sku, title: 'Dup' })).created).toBe(true);
    expect((await wh.ensureProduct({ sku, title: 'Dup' })).created).toBe(false);
    const raw = rawFor(t);
    expect((await raw.listAll<{ id: number; goods_code: string }>('/goods/', { goods_code: sku })).filter((g) => g.goods_code === sku)).toHaveLength(1);
  });

  it('the goods supplier deleted in the GreaterWMS UI after we checked it: recreated, and the goods created', async () => {
    const wh = warehouseFor(t);
    await wh.ensureProduct({ sku: `CT${t.runId}-L1`, title: 'before' });
    const raw = rawFor(t);
    const name = `Supplier ${t.runId}`;
    const supplier = (await raw.listAll<{ id: number; supplier_name: string }>('/supplier/', { supplier_name: name })).find((x) => x.supplier_name === name)!;
    await raw.delete(`/supplier/${supplier.id}/`);
    const r = await warehouseFor(t).ensureProduct({ sku: `CT${t.runId}-L2`, title: 'after' });
    expect(r.created).toBe(true);
    expect((await raw.listAll<{ id: number; supplier_name: string }>('/supplier/', { supplier_name: name })).some((x) => x.supplier_name === name)).toBe(true);
  });

  it('a SKU containing "select" gets a visible code break, the same every time', async () => {
    const wh = warehouseFor(t);
    const sku = `CT${t.runId}-SELECT-2`;
    const a = await wh.ensureProduct({ sku, title: 'odd sku' });
    const b = await wh.ensureProduct({ sku, title: 'odd sku' });
    expect(a.warehouseCode).toBe(`CT${t.runId}-SEL-ECT-2`);
    expect(b).toEqual({ ...a, created: false });
  });

  it('GET of an id that is not ours/hidden → Chinese not-found body, typed NotFound', async () => {
    const err = await rawFor(t).get('/dn/list/987654321/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GreaterWmsNotFoundError);
  });

  it('unknown goods on an order → permanent refusal naming the code, no DN left half-made', async () => {
    const wh = warehouseFor(t);
    const err = await wh
      .createOutboundOrder({ orderId: `gid://x/${t.runId}U`, orderName: `#${base + 20}`, lines: [{ sku: `CT${t.runId}-NOPE`, quantity: 1 }], recipient: { name: 'U' } })
      .catch((e: unknown) => e);
    expect(isRetryable(err)).toBe(false);
    expect((err as Error).message).toContain(`CT${t.runId}-NOPE`);
    // A header-only DN would be invisible, un-cancellable and block nothing: the client must not create one.
    const raw = rawFor(t);
    const probe = await raw
      .post('/dn/detail/', { dn_code: `CT${t.runId}-${base + 20}`, customer: 'x', goods_code: ['x'], goods_qty: [1] })
      .catch((e: Error) => e);
    expect((probe as Error).message).toContain('DN Code does not exists');
  });
});
