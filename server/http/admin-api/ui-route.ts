// Serves the built admin UI (web/dist, `npm run build:web`). Documents get
// Content-Security-Policy: frame-ancestors https://<shop> https://admin.shopify.com — the admin may frame the
// app, nobody else may (clickjacking). The shop comes from the ?shop= of Shopify's document request (checked
// with sanitizeShop); without one, only admin.shopify.com. index.html gets the API key for App Bridge.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { ROOT_DIR } from '../../root-dir.js';

export const WEB_DIST_DIR = path.join(ROOT_DIR, 'web', 'dist');

/** Client-side routes of the SPA (server answers index.html for them). */
export const UI_PATHS = ['/', '/mappings', '/orders', '/orders/*rest', '/jobs', '/settings', '/returns', '/stock'];

export function frameAncestors(shop: string | null): string {
  return `frame-ancestors ${shop ? `https://${shop} ` : ''}https://admin.shopify.com;`;
}

export function uiRouter(deps: { apiKey: string; sanitizeShop: (shop: string) => string | null; distDir?: string }): Router {
  const dist = deps.distDir ?? WEB_DIST_DIR;
  const router = express.Router();
  let cached: string | null = null;
  const indexHtml = (): string | null => {
    if (cached) return cached;
    const file = path.join(dist, 'index.html');
    if (!fs.existsSync(file)) return null;
    cached = fs.readFileSync(file, 'utf8').replaceAll('%SHOPIFY_API_KEY%', deps.apiKey.replace(/[^\w-]/g, ''));
    return cached;
  };
  // Hashed file names: cache for a year; index.html itself is never cached (it names the current hashes).
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  router.get(UI_PATHS, (req, res) => {
    const shopParam = typeof req.query.shop === 'string' ? req.query.shop : '';
    let shop: string | null = null;
    try {
      shop = shopParam ? deps.sanitizeShop(shopParam) : null;
    } catch {
      shop = null;
    }
    res.setHeader('Content-Security-Policy', frameAncestors(shop));
    res.setHeader('Cache-Control', 'no-store');
    const html = indexHtml();
    if (!html) {
      res.status(503).type('text/plain').send('The admin UI is not built: run `npm run build:web`.');
      return;
    }
    res.status(200).type('html').send(html);
  });
  return router;
}
