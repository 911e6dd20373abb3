// The UI document route on its own: every client-side path answers index.html with the API key filled in and
// the CSP; hashed assets are served immutable; without a build, a clear 503.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiRouter } from '../../../server/http/admin-api/ui-route.js';

describe('UI route', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-dist-'));
  const sanitizeShop = (s: string) => (/^[a-z0-9-]+\.myshopify\.com$/.test(s) ? s : null);
  let base = '';
  let baseMissing = '';
  const servers: import('node:http').Server[] = [];
  beforeAll(async () => {
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<meta name="shopify-api-key" content="%SHOPIFY_API_KEY%" /><div id="root"></div>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    for (const [dir, set] of [[dist, (u: string) => (base = u)], [path.join(dist, 'nope'), (u: string) => (baseMissing = u)]] as const) {
      const s = express().use(uiRouter({ apiKey: 'key-123', sanitizeShop, distDir: dir })).listen(0, '127.0.0.1');
      await new Promise((r) => s.once('listening', r));
      servers.push(s);
      set(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('every page path (incl. an order detail deep link) gets index.html with the API key and the shop\'s CSP, never cached', async () => {
    for (const p of ['/', '/mappings', '/orders', `/orders/${encodeURIComponent('gid://shopify/Order/1')}`, '/jobs', '/stock', '/returns', '/settings']) {
      const res = await fetch(`${base}${p}?shop=a-shop.myshopify.com`);
      expect(res.status, p).toBe(200);
      expect(await res.text()).toContain('content="key-123"');
      expect(res.headers.get('content-security-policy')).toBe('frame-ancestors https://a-shop.myshopify.com https://admin.shopify.com;');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('assets are immutable for a year; unknown paths are not the UI', async () => {
    const a = await fetch(`${base}/assets/index-abc.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/wp-admin`)).status).toBe(404);
  });

  it('without a build: 503 saying how to build, still with the CSP', async () => {
    const res = await fetch(`${baseMissing}/mappings`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build:web/);
    expect(res.headers.get('content-security-policy')).toBe('frame-ancestors https://admin.shopify.com;');
  });
});
