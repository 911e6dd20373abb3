// Fault injection modes of the GreaterWMS simulator, each observed from a real HTTP client.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../sim/greaterwms/faults.js';
import { request, startGw, type Gw } from './helpers.js';

let gw: Gw;
afterEach(async () => {
  await gw?.sim.close();
});

/** A raw request that reports how it ended: an answer, a dropped connection, or still waiting at `waitMs`. */
function rawCall(url: string, method: string, path: string, headers: Record<string, string>, body: unknown, waitMs: number) {
  const u = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ outcome: 'answer' | 'dropped' | 'pending'; status?: number; text?: string; error?: string }>((resolve) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method, path, agent: false, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ outcome: 'answer', status: res.statusCode, text }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ outcome: 'pending' });
    }, waitMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ outcome: 'dropped', error: (err as NodeJS.ErrnoException).code ?? err.message });
    });
    req.on('close', () => clearTimeout(timer));
    if (payload) req.write(payload);
    req.end();
  });
}

describe('GreaterWMS simulator: fault injection', () => {
  it('latency: the answer never arrives before the injected delay, and is then the normal answer', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'GET', path: '/warehouse/', action: { kind: 'latency', ms: 150 }, times: 1 });
    const t0 = performance.now();
    const slow = await gw.get('/warehouse/');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145); // lower bound only: never flaky on a slow machine
    expect(slow.body.count).toBe(1);
  });

  it('http503 and html500 answer without touching state', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', path: '/dn/list/', action: { kind: 'http503' }, times: 1 });
    gw.sim.control.faults.add({ method: 'POST', path: '/dn/list/', action: { kind: 'html500' }, times: 1 });
    const a = await gw.post('/dn/list/?custom_dn=F-1', { creater: 'x' });
    expect([a.status, a.contentType.split(';')[0]]).toEqual([503, 'text/html']);
    const b = await gw.post('/dn/list/?custom_dn=F-1', { creater: 'x' });
    expect(b.status).toBe(500);
    expect(b.text).toContain('<title>OperationalError\n          at /dn/list/</title>');
    const c = await gw.post('/dn/list/?custom_dn=F-1', { creater: 'x' });
    expect(c.body.id).toBe(1); // the two failed attempts created nothing
  });

  it('respond: a canned GreaterWMS-style error (HTTP 200 + status_code 429 throttle body)', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ path: '/stock/list/', action: { kind: 'respond', status: 200, body: { detail: 'Request was throttled.', status_code: 429 } }, times: 2 });
    expect((await gw.get('/stock/list/')).body).toEqual({ detail: 'Request was throttled.', status_code: 429 });
    expect((await gw.get('/stock/list/')).body.status_code).toBe(429);
    expect((await gw.get('/stock/list/')).body.count).toBe(0); // the rule retired after 2 requests
    expect(gw.sim.control.faults.list()).toEqual([]);
  });

  it('timeout: the request is held open and never answered; nothing is written', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', path: '/dn/list/', action: { kind: 'timeout' }, times: 1 });
    const held = rawCall(gw.sim.url, 'POST', '/dn/list/?custom_dn=T-1', { token: gw.tenant.token }, { creater: 'x' }, 300);
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.sim.control.heldRequests()).toBe(1);
    expect((await held).outcome).toBe('pending');
    expect((await gw.get('/dn/list/')).body.count).toBe(0);
    expect((await gw.post('/dn/list/?custom_dn=T-1', { creater: 'x' })).body.id).toBe(1);
  });

  it('reset: the connection drops before processing; nothing is written', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', path: '/customer/', action: { kind: 'reset' }, times: 1 });
    const body = { customer_name: 'R1', customer_city: 'x', customer_address: 'x', customer_contact: 'x', customer_manager: 'x', customer_level: 1, creater: 'x' };
    const r = await rawCall(gw.sim.url, 'POST', '/customer/', { token: gw.tenant.token }, body, 5_000);
    expect(r.outcome).toBe('dropped');
    expect((await gw.get('/customer/?customer_name=R1')).body.count).toBe(0);
  });

  it('commitThenDrop: the write is committed but the client only sees a dropped connection (a retry then duplicates)', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', path: '/dn/list/', action: { kind: 'commitThenDrop' }, times: 1 });
    const r = await rawCall(gw.sim.url, 'POST', '/dn/list/?custom_dn=C-1', { token: gw.tenant.token }, { creater: 'x' }, 5_000);
    expect(r.outcome).toBe('dropped');
    // The header exists (hidden from /dn/list/ until it has lines) — a blind retry creates a second one.
    const retry = await gw.post('/dn/list/?custom_dn=C-1', { creater: 'x' });
    expect(retry.body.id).toBe(2);
  });

  it('selection by method and path prefix / pattern: other endpoints are untouched', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', pathPattern: '^/dn/(detail|list)/$', action: { kind: 'http503' } });
    expect((await gw.get('/dn/list/')).status).toBe(200);
    expect((await gw.post('/dn/list/?custom_dn=S-1', { creater: 'x' })).status).toBe(503);
    expect((await gw.post('/asn/list/?custom_asn=S-1', { creater: 'x' })).status).toBe(200);
    gw.sim.control.faults.clear();
    expect((await gw.post('/dn/list/?custom_dn=S-1', { creater: 'x' })).status).toBe(200);
  });

  it('probability with a seed: the same seed affects exactly the same requests', async () => {
    const pattern = (seed: number) => {
      const f = new FaultInjector(seed);
      f.add({ path: '/stock/', probability: 0.3, action: { kind: 'http503' } });
      return Array.from({ length: 40 }, () => (f.decide('GET', '/stock/list/').terminal ? 1 : 0)).join('');
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(3);
    expect(hits).toBeLessThan(25);
    gw = await startGw({ seed: 7 });
    gw.sim.control.faults.seed(7);
    gw.sim.control.faults.add({ path: '/stock/', probability: 0.3, action: { kind: 'http503' } });
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) seen.push((await gw.get('/stock/list/')).status === 503 ? 1 : 0);
    expect(seen.join('')).toBe(pattern(7));
  });

  it('the HTTP control API adds, lists, seeds and clears faults', async () => {
    gw = await startGw();
    const add = await request(gw.sim.url, 'POST', '/__sim/faults', { path: '/goods/', times: 1, action: { kind: 'http503' } });
    expect(add.body.id).toBeGreaterThan(0);
    expect((await request(gw.sim.url, 'GET', '/__sim/faults')).body).toHaveLength(1);
    expect((await gw.get('/goods/')).status).toBe(503);
    expect((await gw.get('/goods/')).status).toBe(200);
    await request(gw.sim.url, 'POST', '/__sim/faults', { path: '/goods/', action: { kind: 'http503' } });
    await request(gw.sim.url, 'DELETE', '/__sim/faults');
    expect((await gw.get('/goods/')).status).toBe(200);
    const bad = await request(gw.sim.url, 'POST', '/__sim/faults', { path: '/goods/', action: { kind: 'explode' } });
    expect(bad.status).toBe(400);
    expect((await request(gw.sim.url, 'POST', '/__sim/faults/seed', { seed: 3 })).body).toEqual({ ok: true });
  });

  it('maxConcurrentWrites reports overlapping writes of one tenant (serialised client = 1, parallel = 2); reads do not count', async () => {
    gw = await startGw();
    gw.sim.control.faults.add({ method: 'POST', action: { kind: 'latency', ms: 80 } });
    await gw.post('/dn/list/?custom_dn=W-1', { creater: 'x' });
    await gw.post('/dn/list/?custom_dn=W-2', { creater: 'x' });
    await Promise.all([gw.get('/dn/list/'), gw.get('/goods/')]);
    expect(gw.sim.control.maxConcurrentWrites(gw.tenant.token)).toBe(1);
    await Promise.all([gw.post('/dn/list/?custom_dn=W-3', { creater: 'x' }), gw.post('/dn/list/?custom_dn=W-4', { creater: 'x' })]);
    expect(gw.sim.control.maxConcurrentWrites(gw.tenant.token)).toBe(2);
    gw.sim.control.resetConcurrentWrites();
    expect(gw.sim.control.maxConcurrentWrites(gw.tenant.token)).toBe(0);
  });
});
