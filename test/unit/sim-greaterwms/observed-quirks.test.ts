// One test per quirk in greaterwms-api.md §8 "Observed in this review", against the simulator over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import { createDn, createGoods, request, seedGoods, startGw, stockRow, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

describe('GreaterWMS simulator: quirks observed in the review (api doc §8)', () => {
  it('HTTP 200 for errors: token missing / unknown / Bearer-only and business errors carry status_code in a 200 body', async () => {
    gw = await startGw();
    const none = await request(gw.sim.url, 'GET', '/warehouse/');
    expect([none.status, none.contentType, none.body]).toEqual([200, 'application/json', { detail: 'Please Add Token To Your Request Headers', status_code: 500 }]);
    const unknown = await request(gw.sim.url, 'GET', '/warehouse/', undefined, { token: 'doesnotexist' });
    expect(unknown.body).toEqual({ detail: 'User Does Not Exists', status_code: 500 });
    const bearer = await request(gw.sim.url, 'GET', '/warehouse/', undefined, { authorization: `Bearer ${gw.tenant.token}` });
    expect(bearer.body).toEqual({ detail: 'Please Add Token To Your Request Headers', status_code: 500 });
    const business = await gw.post('/dn/detail/', { dn_code: 'NOPE-1', customer: 'x', goods_code: ['A00001'], goods_qty: [1] });
    expect([business.status, business.body]).toEqual([200, { detail: 'DN Code does not exists', status_code: 500 }]);
    const validation = await gw.post('/customer/', { customer_name: 'Only Name' });
    expect(validation.status).toBe(200);
    expect(validation.body).toEqual({
      customer_city: ['该字段是必填项。'],
      customer_address: ['该字段是必填项。'],
      customer_contact: ['该字段是必填项。'],
      customer_manager: ['该字段是必填项。'],
      customer_level: ['该字段是必填项。'],
      creater: ['该字段是必填项。'],
      status_code: 400,
    });
  });

  it('none:// pagination links without an Origin header on /dn/list/, /asn/list/ and /binset/; Origin scheme used when sent', async () => {
    gw = await startGw();
    const bins = await gw.get('/binset/?max_page=5');
    expect(bins.body.count).toBe(12);
    expect(bins.body.next).toMatch(/^none:\/\/127\.0\.0\.1:\d+\/binset\/\?max_page=5&page=2$/);
    const withOrigin = await gw.get('/binset/?max_page=5', { origin: 'https://myapp.example' });
    expect(withOrigin.body.next).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/binset\/\?max_page=5&page=2$/);
    const page3 = await gw.get('/binset/?max_page=5&page=3');
    expect(page3.body.previous).toMatch(/^none:\/\/.*\/binset\/\?max_page=5&page=2$/);
    // utils/page.py lists build normal http:// links
    const customers = await gw.get('/customer/?max_page=2');
    expect(customers.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/customer\/\?max_page=2&page=2$/);
  });

  it('missing operator -> a real HTTP 500 with the Django HTML debug page (AttributeError); unknown operator too', async () => {
    gw = await startGw();
    await createGoods(gw, 'SKU-OP-1');
    const h = await gw.post('/dn/list/?custom_dn=OP-1', { creater: 'x' });
    expect(h.body.dn_code).toBe('OP-1');
    await gw.post('/customer/', { customer_name: 'C1', customer_city: 'x', customer_address: 'x', customer_contact: 'x', customer_manager: 'x', customer_level: 1, creater: 'x' });
    const body = { dn_code: 'OP-1', customer: 'C1', goods_code: ['SKU-OP-1'], goods_qty: [1] };
    const variants: Record<string, string>[] = [{ token: gw.tenant.token }, { token: gw.tenant.token, operator: '99999' }];
    for (const headers of variants) {
      const r = await request(gw.sim.url, 'POST', '/dn/detail/', body, headers);
      expect(r.status).toBe(500);
      expect(r.contentType).toBe('text/html; charset=utf-8');
      expect(r.text).toContain('<title>AttributeError\n          at /dn/detail/</title>');
    }
    expect(await stockRow(gw, 'SKU-OP-1')).toBeUndefined(); // nothing written
  });

  it('custom codes without digits -> HTTP 500 HTML IndexError, for DN and ASN', async () => {
    gw = await startGw();
    const dn = await gw.post('/dn/list/?custom_dn=ABC', { creater: 'x' });
    expect([dn.status, dn.contentType]).toEqual([500, 'text/html; charset=utf-8']);
    expect(dn.text).toContain('<title>IndexError\n          at /dn/list/</title>');
    const asn = await gw.post('/asn/list/?custom_asn=RET', { creater: 'x' });
    expect(asn.status).toBe(500);
    expect(asn.text).toContain('IndexError');
  });

  it('duplicate DN/ASN codes accepted: a second header with the same code is created', async () => {
    gw = await startGw();
    const a = await gw.post('/dn/list/?custom_dn=SHOP-1001', { creater: 'first' });
    const b = await gw.post('/dn/list/?custom_dn=SHOP-1001', { creater: 'retry' });
    expect([a.body.dn_code, b.body.dn_code]).toEqual(['SHOP-1001', 'SHOP-1001']);
    expect(b.body.id).toBe(a.body.id + 1);
    const x = await gw.post('/asn/list/?custom_asn=RET-1002', { creater: 'first' });
    const y = await gw.post('/asn/list/?custom_asn=RET-1002', { creater: 'retry' });
    expect([x.body.asn_code, y.body.asn_code, y.body.id]).toEqual(['RET-1002', 'RET-1002', x.body.id + 1]);
  });

  it('back-order code collisions: DN202506291 short -> back order DN202506292, the same code a client may use next', async () => {
    gw = await startGw();
    await seedGoods(gw, 'SKU-BC', 1);
    const id = await createDn(gw, 'DN202506291', [['SKU-BC', 3]]);
    await gw.post(`/dn/neworder/${id}/`);
    expect((await gw.put(`/dn/orderrelease/${id}/`)).body).toEqual({ detail: 'success' });
    const bo = await gw.get('/dn/list/?back_order_label=true');
    expect(bo.body.results.map((r: { dn_code: string }) => r.dn_code)).toEqual(['DN202506292']);
    const clash = await gw.post('/dn/list/?custom_dn=DN202506292', { creater: 'next order' });
    expect(clash.body.dn_code).toBe('DN202506292'); // accepted: two unrelated DNs now share the code
  });

  it('wrong-password login echoes the password; login returns openid and user_id', async () => {
    gw = await startGw();
    const bad = await request(gw.sim.url, 'POST', '/login/', { name: 'unit_admin', password: 'wrong' });
    expect(bad.body).toEqual({ code: '1011', msg: 'User Name Or Password Error', data: { name: 'unit_admin', password: 'wrong' } });
    const ok = await request(gw.sim.url, 'POST', '/login/', { name: 'unit_admin', password: gw.tenant.password });
    expect(ok.body.data).toEqual({ name: 'unit_admin', openid: gw.tenant.token, user_id: gw.tenant.operator });
    const again = await request(gw.sim.url, 'POST', '/register/', { name: 'unit_admin', password1: 'a', password2: 'a' });
    expect(again.body).toMatchObject({ code: '1022', msg: 'User Is Exists', data: 'unit_admin' });
    const reg = (b: Record<string, unknown>) => request(gw.sim.url, 'POST', '/register/', b).then((r) => [r.body.code, r.body.msg]);
    expect(await reg({ name: 'n1', password2: 'a' })).toEqual(['1024', 'Password Can Not Be Empty']);
    expect(await reg({ name: 'n1', password1: 'a', password2: '' })).toEqual(['1025', 'Please Confirm The Password']);
    expect(await reg({ name: 'n1', password1: 'a', password2: 'b' })).toEqual(['1026', 'Password Is Not Same One']);
  });

  it('/warehouse/multiple/ leaks every tenant openid without any token', async () => {
    gw = await startGw();
    const other = gw.sim.control.createTenant({ name: 'other_tenant' });
    const r = await request(gw.sim.url, 'GET', '/warehouse/multiple/');
    expect(r.body.count).toBe(2);
    expect(r.body.results.map((w: { openid: string }) => w.openid).sort()).toEqual([gw.tenant.token, other.token].sort());
  });

  it('filters silently disabled with django-filter >= 22.1 (filtersDisabled option): a filter on a missing code returns everything', async () => {
    gw = await startGw({ filtersDisabled: true });
    const r = await gw.get('/goods/?goods_code=DOES-NOT-EXIST');
    expect(r.body.count).toBe(41);
    const paged = await gw.get('/goods/?goods_code=DOES-NOT-EXIST&max_page=10&page=2');
    expect(paged.body.results).toHaveLength(10); // pagination still works
    await gw.sim.close();
    gw = await startGw();
    expect((await gw.get('/goods/?goods_code=DOES-NOT-EXIST')).body.count).toBe(0);
  });

  it('text containing "select"/"script" (any case) is refused: "Bad Data can‘not be store"', async () => {
    gw = await startGw();
    for (const desc of ['Selected gift box', 'Description: mug', 'JavaScript mug']) {
      const r = await createGoods(gw, `SKU-TXT-${desc.length}`, { goods_desc: desc });
      expect(r.body).toEqual({ detail: 'Bad Data can‘not be store', status_code: 500 });
    }
    const dn = await gw.post('/dn/list/?custom_dn=SELECT-1', { creater: 'x' });
    expect(dn.body).toEqual({ detail: 'Bad Data can‘not be store', status_code: 500 });
    expect((await gw.get('/goods/?goods_code__icontains=SKU-TXT')).body.count).toBe(0);
  });

  it('goods_code__in is not a declared stock filter: it is ignored and every row comes back', async () => {
    gw = await startGw();
    for (const c of ['SKU-IN-1', 'SKU-IN-2', 'SKU-IN-3']) await seedGoods(gw, c, 1);
    const r = await gw.get('/stock/list/?goods_code__in=SKU-IN-1');
    expect(r.body.count).toBe(3);
  });

  it('throttle (VisitThrottle): beyond the per-second limit per tenant, IP and method -> HTTP 200 + status_code 429', async () => {
    gw = await startGw({ throttlePerSecond: 3 }); // the real limit is 500/s; 3 keeps the test small
    for (let i = 0; i < 3; i++) expect((await gw.get('/warehouse/')).body.count).toBe(1);
    const refused = await gw.get('/warehouse/');
    expect([refused.status, refused.body]).toEqual([200, { detail: '请求超过了限速。 Expected available in 1 second.', status_code: 429 }]);
    expect((await gw.post('/dn/list/?custom_dn=TH-1', { creater: 'x' })).body.dn_code).toBe('TH-1'); // other method: own budget
    const other = gw.sim.control.createTenant({ name: 'other_th' });
    expect((await request(gw.sim.url, 'GET', '/warehouse/', undefined, { token: other.token })).body.count).toBe(1); // other tenant
    gw.sim.control.advanceClock(1_000);
    expect((await gw.get('/warehouse/')).body.count).toBe(1);
  });
});
