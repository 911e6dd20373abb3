// Malformed requests get the real server's kind of answer (JSON error or HTML 500) and never take the
// simulator down: it still answers normally afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { createDn, createGoods, startGw, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

describe('GreaterWMS simulator: malformed input', () => {
  it('invalid JSON -> DRF ParseError as HTTP 200 + status_code 400', async () => {
    gw = await startGw();
    const r = await fetch(`${gw.sim.url}/dn/list/?custom_dn=J-1`, {
      method: 'POST',
      headers: { token: gw.tenant.token, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)', status_code: 400 });
  });

  it('missing keys, wrong types and short arrays crash like Python (HTML 500) and write nothing; the server keeps answering', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-MF');
    await createDn(gw, 'MF-1', [['SKU-MF', 1]]);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/dn/detail/', { dn_code: 'MF-1' }, 'KeyError'],
      ['POST', '/dn/detail/', { dn_code: 'MF-1', customer: 'Jane Unit', goods_code: ['SKU-MF'], goods_qty: ['two'] }, 'ValueError'],
      ['POST', '/dn/detail/', { dn_code: 'MF-1', customer: 'Jane Unit', goods_code: ['SKU-MF', 'SKU-MF'], goods_qty: [1] }, 'IndexError'],
      ['POST', '/asn/detail/', { asn_code: 'X', supplier: 'Supplier Name-1' }, 'detail:ASN Code does not exists'],
      ['POST', '/asn/detail/', { asn_code: 'MF-ASN-1', supplier: 'Supplier Name-1' }, 'KeyError'],
      ['POST', '/goods/', { goods_desc: 'no code' }, 'KeyError'],
      ['POST', '/dn/list/', { creater: 'x' }, ''], // valid: generated code
    ];
    await gw.post('/asn/list/?custom_asn=MF-ASN-1', { creater: 'x' });
    for (const [method, path, body, exc] of cases) {
      const r = await gw.call(method, path, body);
      if (exc.startsWith('detail:')) {
        expect(r.body).toEqual({ detail: exc.slice('detail:'.length), status_code: 500 });
      } else if (exc) {
        expect([path, r.status]).toEqual([path, 500]);
        expect(r.text).toContain(`<title>${exc}\n`);
      } else {
        expect(r.status).toBe(200);
      }
    }
    const lines = (await gw.get('/dn/detail/?dn_code=MF-1')).body.results;
    expect(lines.map((l: { goods_qty: number }) => l.goods_qty)).toEqual([1]);
    expect((await gw.get('/warehouse/')).body.count).toBe(1);
  });

  it('routing like Django: no trailing slash -> GET 301 / POST HTML 500, unknown path -> HTML 404, wrong method -> 405 body', async () => {
    gw = await startGw();
    const get = await gw.get('/goods');
    expect([get.status, (await fetch(`${gw.sim.url}/goods?max_page=1`, { redirect: 'manual', headers: { token: gw.tenant.token } })).headers.get('location')]).toEqual([
      301,
      '/goods/?max_page=1',
    ]);
    const post = await gw.post('/goods', {});
    expect(post.status).toBe(500);
    expect(post.text).toContain('RuntimeError');
    const unknown = await gw.get('/nope/');
    expect([unknown.status, unknown.contentType]).toEqual([404, 'text/html; charset=utf-8']);
    const wrong = await gw.del('/stock/list/');
    expect(wrong.body).toEqual({ detail: '方法 “DELETE” 不被允许。', status_code: 405 });
  });
});
