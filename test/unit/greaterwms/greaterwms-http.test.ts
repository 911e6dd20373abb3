// The transport against a real local HTTP server: headers, query encoding, count-based paging (the server
// hands out none:// next links like GreaterWMS's dn/page.py), timeouts and connection resets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GreaterWmsHttp, buildQuery } from '../../../server/adapters/greaterwms/greaterwms-http.js';
import {
  GreaterWmsConnectionResetError,
  GreaterWmsServerCrashError,
  GreaterWmsTimeoutError,
  GreaterWmsTokenRejectedError,
} from '../../../server/adapters/greaterwms/greaterwms-errors.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}
let seen: Seen[] = [];
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => {};
let server: http.Server;
let base: string;

const ROWS = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, dn_code: `SHOP-${1001 + i}` }));

function sendJson(res: http.ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A /dn/list/ like GreaterWMS: max_page/page, count, and next links built with the (missing) Origin scheme. */
function dnList(req: http.IncomingMessage, res: http.ServerResponse) {
  const u = new URL(req.url!, 'http://x');
  const size = Number(u.searchParams.get('max_page') ?? 30);
  const page = Number(u.searchParams.get('page') ?? 1);
  const pages = Math.ceil(ROWS.length / size);
  if (page > pages) return sendJson(res, { detail: '无效页面。', status_code: 404 });
  const scheme = req.headers.origin ? new URL(req.headers.origin).protocol.replace(':', '') : 'none';
  sendJson(res, {
    customer_list: [],
    count: ROWS.length,
    next: page < pages ? `${scheme}://${req.headers.host}/dn/list/?max_page=${size}&page=${page + 1}` : null,
    previous: null,
    results: ROWS.slice((page - 1) * size, page * size),
  });
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  handler = dnList;
});

const client = (extra: Partial<ConstructorParameters<typeof GreaterWmsHttp>[0]> = {}) =>
  new GreaterWmsHttp({ baseUrl: `${base}/`, token: 'tok-secret-123', operator: 7, pageSize: 2, timeoutMs: 2000, ...extra });

describe('requests', () => {
  it('sends token and operator headers, never Authorization', async () => {
    await client().page('/dn/list/', undefined, 1);
    expect(seen[0]!.headers.token).toBe('tok-secret-123');
    expect(seen[0]!.headers.operator).toBe('7');
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('percent-encodes every query value (a raw ":" breaks /dn/list/ paging with "Wrong API Url")', async () => {
    expect(buildQuery({ creater__icontains: 'shopify:gid', customer: 'Jane Doe 1001', dn_status__in: [1, 2], x: undefined })).toBe(
      '?creater__icontains=shopify%3Agid&customer=Jane%20Doe%201001&dn_status__in=1%2C2',
    );
    await client().page('/dn/list/', { creater__icontains: 'shopify:gid://shopify/Order/1' }, 1);
    expect(seen[0]!.url).toContain('creater__icontains=shopify%3Agid%3A%2F%2Fshopify%2FOrder%2F1');
    expect(seen[0]!.url).not.toContain(':');
  });
});

describe('pagination', () => {
  it('reads every page from count and page size, ignoring the none:// next links', async () => {
    const rows = await client().listAll<{ id: number }>('/dn/list/', { dn_status__in: [1, 2] });
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.map((s) => new URL(s.url, 'http://x').searchParams.get('page'))).toEqual([null, '2', '3']);
    for (const s of seen) {
      const q = new URL(s.url, 'http://x').searchParams;
      expect(q.get('max_page')).toBe('2');
      expect(q.get('ordering')).toBe('id');
      expect(q.get('dn_status__in')).toBe('1,2');
    }
  });

  it('page size is capped at 1000 (GreaterWMS max_page limit)', async () => {
    await client({ pageSize: 5000 }).listAll('/dn/list/');
    expect(new URL(seen[0]!.url, 'http://x').searchParams.get('max_page')).toBe('1000');
    expect(seen).toHaveLength(1);
  });

  it('a page that vanished meanwhile ("无效页面。") ends the read with what was read', async () => {
    handler = (req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? 1);
      if (page >= 2) return sendJson(res, { detail: '无效页面。', status_code: 404 });
      sendJson(res, { count: 5, next: 'none://h/', previous: null, results: ROWS.slice(0, 2) });
    };
    expect((await client().listAll('/dn/list/')).length).toBe(2);
  });

  it('rows that shift between pages are de-duplicated by id', async () => {
    handler = (req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? 1);
      const results = page === 1 ? ROWS.slice(0, 2) : page === 2 ? ROWS.slice(1, 3) : ROWS.slice(3, 5);
      sendJson(res, { count: 5, next: null, previous: null, results });
    };
    expect((await client().listAll<{ id: number }>('/dn/list/')).map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('failures', () => {
  it('an answer later than timeoutMs → retryable timeout naming the configured limit', async () => {
    handler = () => {}; // never answers
    const err = await client({ timeoutMs: 150, getRetries: 0 }).get<never>('/warehouse/').catch((e: Error) => e);
    expect(err).toBeInstanceOf(GreaterWmsTimeoutError);
    expect(err.message).toContain('150 ms');
  });

  it('connection reset: a GET is repeated once, a POST never (its effect is unknown)', async () => {
    handler = (req) => req.socket.destroy();
    const g = await client().get<never>('/warehouse/').catch((e: Error) => e);
    expect(g).toBeInstanceOf(GreaterWmsConnectionResetError);
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(2);
    seen = [];
    const p = await client().post('/dn/list/', { creater: 'x' }, { custom_dn: 'SHOP-1' }).catch((e: Error) => e);
    expect(p).toBeInstanceOf(GreaterWmsConnectionResetError);
    expect(seen).toHaveLength(1);
  });

  it('a GET that fails once on the network and then works returns the data', async () => {
    let n = 0;
    handler = (req, res) => (n++ === 0 ? req.socket.destroy() : dnList(req, res));
    const page = await client().page('/dn/list/', undefined, 1);
    expect(page.count).toBe(5);
  });

  it('HTML debug page (HTTP 500) → typed crash error; token refusal in a 200 body → token rejected', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><head><title>AttributeError\n          at /dn/detail/</title>');
    };
    await expect(client().post('/dn/detail/', {})).rejects.toBeInstanceOf(GreaterWmsServerCrashError);
    handler = (_req, res) => sendJson(res, { detail: 'User Does Not Exists', status_code: 500 });
    const err = await client().get<never>('/warehouse/').catch((e: Error) => e);
    expect(err).toBeInstanceOf(GreaterWmsTokenRejectedError);
    expect(err.message).not.toContain('tok-secret-123');
  });
});
