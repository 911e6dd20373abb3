// The admin JSON API against both simulators over real HTTP: session-token security on every route, shop
// isolation, the mappings page's operations (list/search/filter, edit with goods validation, auto-match,
// CSV import/export), orders with retry, jobs retry/discard, alerts, settings (token encrypted at rest,
// never sent back) with the connection test, and the UI document's CSP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockShopSettings } from '../../../server/db/repos/stock-repo.js';
import { ADMIN_API_ROUTES } from '../../../server/http/admin-api/admin-api-route.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { SHOP_A, SHOP_B, startAdminHarness, type AdminHarness } from './admin-harness.js';

describe('admin API', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness();
    await h.install(SHOP_A);
    await h.install(SHOP_B);
  }, 60_000);
  afterAll(async () => h?.close());

  const concrete = (path: string) => path.replace(':variantId', encodeURIComponent('gid://shopify/ProductVariant/1')).replace(':orderId', 'x').replace(':id', '1');

  describe('security: every route', () => {
    for (const [method, path] of ADMIN_API_ROUTES) {
      it(`${method.toUpperCase()} ${path}: no token / forged / expired / other app → 401; token for shop B naming shop A → 403`, async () => {
        const p = concrete(path);
        expect((await h.api(method, p, { token: null, body: method === 'get' ? undefined : {} })).status).toBe(401);
        for (const variant of ['forged', 'expired', 'other-app', 'not-yet-valid'] as const) {
          const res = await h.api(method, p, { token: h.shopify.sessionToken(SHOP_A, variant), body: method === 'get' ? undefined : {} });
          expect(res.status, variant).toBe(401);
          expect(res.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
        }
        const sep = p.includes('?') ? '&' : '?';
        const foreign = await h.api(method, `${p}${sep}shop=${SHOP_A}`, { shop: SHOP_B, body: method === 'get' ? undefined : {} });
        expect(foreign.status).toBe(403);
        const header = await h.api(method, p, { shop: SHOP_B, headers: { 'x-shopify-shop-domain': SHOP_A }, body: method === 'get' ? undefined : {} });
        expect(header.status).toBe(403);
      });
    }
  });

  describe('shop isolation', () => {
    it("shop B sees only its own variants, cannot change, delete or read shop A's mapping, order, job or alert", async () => {
      const mug = await h.variantId(SHOP_A, 'MUG-1');
      expect((await h.api('put', `/api/mappings/${encodeURIComponent(mug)}`, { shop: SHOP_A, body: { components: [{ goodsCode: 'MUG-1', quantity: 1 }] } })).status).toBe(200);

      const listB = await (await h.api('get', '/api/mappings', { shop: SHOP_B })).json();
      expect(listB.rows.map((r: { sku: string }) => r.sku)).toEqual(['LAMP-9']);
      const put = await h.api('put', `/api/mappings/${encodeURIComponent(mug)}`, { shop: SHOP_B, body: { components: [{ goodsCode: 'TEA-1', quantity: 5 }] } });
      expect(put.status).toBe(404);
      expect((await h.api('delete', `/api/mappings/${encodeURIComponent(mug)}`, { shop: SHOP_B })).status).toBe(404);
      const row = await h.db.prisma.skuMapping.findUniqueOrThrow({ where: { shop_variantId: { shop: SHOP_A, variantId: mug } } });
      expect(row.components).toEqual([{ goodsCode: 'MUG-1', quantity: 1 }]);

      await h.db.prisma.orderSync.create({ data: { shop: SHOP_A, orderId: 'gid://shopify/Order/900', orderName: '#900', state: 'failed', stateReason: 'boom' } });
      const job = await enqueue(h.db.prisma, { type: 'order.sync', payload: { orderId: 'gid://shopify/Order/900' }, shop: SHOP_A, runAt: new Date(Date.now() + 3600_000) });
      await h.db.prisma.job.update({ where: { id: job.id }, data: { state: 'dead', lastError: 'gave up' } });
      const alert = await h.db.prisma.alert.create({ data: { shop: SHOP_A, kind: 'job.dead', message: 'A job died' } });

      expect((await h.api('get', `/api/orders/${encodeURIComponent('gid://shopify/Order/900')}`, { shop: SHOP_B })).status).toBe(404);
      expect((await h.api('post', `/api/orders/${encodeURIComponent('gid://shopify/Order/900')}/retry`, { shop: SHOP_B })).status).toBe(404);
      expect((await (await h.api('get', '/api/orders', { shop: SHOP_B })).json()).total).toBe(0);
      expect((await h.api('post', `/api/jobs/${job.id}/retry`, { shop: SHOP_B })).status).toBe(409);
      expect((await h.api('post', `/api/jobs/${job.id}/discard`, { shop: SHOP_B })).status).toBe(409);
      expect((await h.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).state).toBe('dead');
      expect((await (await h.api('get', '/api/jobs?state=dead', { shop: SHOP_B })).json()).jobs).toEqual([]);
      expect((await (await h.api('get', '/api/alerts', { shop: SHOP_B })).json()).alerts).toEqual([]);
      expect((await h.api('post', `/api/alerts/${alert.id}/resolve`, { shop: SHOP_B })).status).toBe(404);
      expect((await h.db.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).resolvedAt).toBeNull();

      // And shop A, with its own token, can act on them.
      expect((await h.api('post', `/api/jobs/${job.id}/discard`, { shop: SHOP_A })).status).toBe(200);
      expect((await h.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).state).toBe('discarded');
      expect((await h.api('post', `/api/alerts/${alert.id}/resolve`, { shop: SHOP_A })).status).toBe(200);
      await h.api('delete', `/api/mappings/${encodeURIComponent(mug)}`, { shop: SHOP_A });
    });

    it("shop B's settings never show shop A's saved connection", async () => {
      const save = await h.api('put', '/api/settings', { shop: SHOP_A, body: settingsBody({ warehouseToken: 'shop-a-secret-token-1234' }) });
      expect(save.status).toBe(200);
      const b = await (await h.api('get', '/api/settings', { shop: SHOP_B })).json();
      expect(b.connectionSource).toBe('env');
      expect(JSON.stringify(b)).not.toContain('1234');
      await h.db.prisma.warehouseConnection.deleteMany({ where: { shop: SHOP_A } });
    });
  });

  const settingsBody = (o: Record<string, unknown> = {}) => ({
    warehouseUrl: h.wms.url,
    warehouseOperator: h.tenant.operator,
    orderTrigger: 'paid',
    shipmentPollMinutes: 2,
    stockPollMinutes: 5,
    defaultBuffer: 1,
    notifyCustomer: true,
    ...o,
  });

  describe('mappings', () => {
    it('catalogue sync pulled every variant of the shop with titles; list pages, searches and filters server-side', async () => {
      const all = await (await h.api('get', '/api/mappings?pageSize=3')).json();
      expect(all.total).toBe(7);
      expect(all.rows).toHaveLength(3);
      expect(all.catalogue).toMatchObject({ state: 'done', fetched: 7 });
      const page3 = await (await h.api('get', '/api/mappings?pageSize=3&page=3')).json();
      expect(page3.rows).toHaveLength(1);
      const search = await (await h.api('get', '/api/mappings?query=TEA-')).json();
      expect(search.rows.map((r: { sku: string }) => r.sku)).toEqual(['TEA-1']);
      const byTitle = await (await h.api('get', '/api/mappings?query=sticker')).json();
      expect(byTitle.total).toBe(2);
      // % is literal, not a wildcard.
      expect((await (await h.api('get', '/api/mappings?query=%25')).json()).total).toBe(0);
      const bad = await h.api('get', '/api/mappings?filter=nonsense&pageSize=0');
      expect(bad.status).toBe(422);
      expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(['filter', 'pageSize']);
    });

    it('inline edit: goods unknown to GreaterWMS → 422 naming the component; a valid bundle saves and resumes orders waiting for a mapping', async () => {
      const gift = await h.variantId(SHOP_A, 'GIFT-1');
      const path = `/api/mappings/${encodeURIComponent(gift)}`;
      const bad = await h.api('put', path, { body: { components: [{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'NOPE-7', quantity: 2 }] } });
      expect(bad.status).toBe(422);
      expect((await bad.json()).fieldErrors).toEqual({ 'components.1.goodsCode': 'Goods NOPE-7 does not exist in GreaterWMS' });
      const zero = await h.api('put', path, { body: { components: [{ goodsCode: 'MUG-1', quantity: 0 }] } });
      expect((await zero.json()).fieldErrors).toEqual({ 'components.0.quantity': 'At least 1' });
      expect(await h.db.prisma.skuMapping.count({ where: { shop: SHOP_A, variantId: gift } })).toBe(0);

      await h.db.prisma.orderSync.create({ data: { shop: SHOP_A, orderId: 'gid://shopify/Order/901', state: 'needs_mapping', missingSkus: ['GIFT-1'] } });
      const ok = await h.api('put', path, { body: { components: [{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-1', quantity: 2 }] } });
      expect(ok.status).toBe(200);
      expect((await ok.json()).resumedOrders).toBe(1);
      const bundles = await (await h.api('get', '/api/mappings?filter=bundles')).json();
      expect(bundles.rows).toEqual([expect.objectContaining({ sku: 'GIFT-1', components: [{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-1', quantity: 2 }] })]);
      expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'order.sync', payload: { path: ['orderId'], equals: 'gid://shopify/Order/901' } } })).toBe(1);
      await h.db.prisma.orderSync.delete({ where: { shop_orderId: { shop: SHOP_A, orderId: 'gid://shopify/Order/901' } } });
      await h.api('delete', path);
    });

    it('auto-match: preview lists only unmapped variants whose SKU is a goods code, writes nothing; apply maps the kept ones', async () => {
      const preview = await (await h.api('post', '/api/mappings/auto-match/preview')).json();
      expect(preview.matches.map((m: { sku: string }) => m.sku).sort()).toEqual(['MUG-1', 'SPOON-1', 'TEA-1']);
      expect(preview.unmatched).toBe(4); // GIFT-1, POSTER-1, DUP-1 ×2
      expect(await h.db.prisma.skuMapping.count({ where: { shop: SHOP_A } })).toBe(0);
      const keep = preview.matches.filter((m: { sku: string }) => m.sku !== 'SPOON-1').map((m: { variantId: string }) => m.variantId);
      const applied = await (await h.api('post', '/api/mappings/auto-match/apply', { body: { variantIds: keep } })).json();
      expect(applied).toMatchObject({ applied: 2, skipped: 0 });
      const mapped = await (await h.api('get', '/api/mappings?filter=mapped')).json();
      expect(mapped.rows.map((r: { sku: string }) => r.sku).sort()).toEqual(['MUG-1', 'TEA-1']);
      const unmapped = await (await h.api('get', '/api/mappings?filter=unmapped')).json();
      expect(unmapped.total).toBe(5);
      const empty = await h.api('post', '/api/mappings/auto-match/apply', { body: { variantIds: [] } });
      expect((await empty.json()).fieldErrors).toEqual({ variantIds: 'Choose at least one match' });
      await h.db.prisma.skuMapping.deleteMany({ where: { shop: SHOP_A } });
    });

    it('CSV import with two bad rows: 422 with both rows reported by line, nothing applied; the corrected file applies whole (bundle included)', async () => {
      const bad = ['sku,goods_code,quantity', 'MUG-1,MUG-1,1', 'POSTER-1,POSTER-X,1', 'TEA-1,TEA-1,two', 'GIFT-1,MUG-1,1', 'GIFT-1,TEA-1,2', 'SPOON-1,,'].join('\n');
      const r = await h.api('post', '/api/mappings/import', { body: bad });
      expect(r.status).toBe(422);
      const body = await r.json();
      expect(body.applied).toBe(false);
      expect(body.errors).toEqual([
        { line: 3, sku: 'POSTER-1', message: 'Goods POSTER-X does not exist in GreaterWMS' },
        { line: 4, sku: 'TEA-1', message: 'Quantity "two" must be a whole number of at least 1' },
      ]);
      expect(await h.db.prisma.skuMapping.count({ where: { shop: SHOP_A } })).toBe(0);

      const dup = await (await h.api('post', '/api/mappings/import', { body: 'sku,goods_code\nDUP-1,MUG-1\nNOSUCH-1,MUG-1' })).json();
      expect(dup.errors.map((e: { message: string }) => e.message)).toEqual(['SKU DUP-1 is on 2 variants: add the variant_id column', 'No variant has SKU NOSUCH-1']);
      expect((await (await h.api('post', '/api/mappings/import', { body: 'name,code\nx,y' })).json()).errors[0].message).toMatch(/header must name/);

      const good = ['sku,goods_code,quantity', 'MUG-1,MUG-1,1', 'TEA-1,TEA-1,1', 'GIFT-1,MUG-1,1', 'GIFT-1,TEA-1,2', 'SPOON-1,,'].join('\n');
      const ok = await h.api('post', '/api/mappings/import', { body: good });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ applied: true, mappings: 3, skippedRows: 1, errors: [] });
    });

    it('CSV export: one row per component, unmapped variants with an empty goods code; re-importing the export changes nothing', async () => {
      const res = await h.api('get', '/api/mappings/export');
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      const text = await res.text();
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe('variant_id,sku,product,variant,goods_code,quantity');
      expect(lines.filter((l) => l.includes(',GIFT-1,'))).toHaveLength(2);
      expect(lines.find((l) => l.includes(',POSTER-1,'))).toMatch(/,,$/);
      const before = await h.db.prisma.skuMapping.findMany({ where: { shop: SHOP_A }, orderBy: { variantId: 'asc' }, select: { variantId: true, components: true } });
      const again = await (await h.api('post', '/api/mappings/import', { body: text })).json();
      expect(again).toMatchObject({ applied: true, mappings: 3 });
      const after = await h.db.prisma.skuMapping.findMany({ where: { shop: SHOP_A }, orderBy: { variantId: 'asc' }, select: { variantId: true, components: true } });
      expect(after).toEqual(before);
    });

    it('a shop whose catalogue was never read gets a catalogue.sync enqueued on its first mappings page', async () => {
      await h.db.prisma.catalogueSync.delete({ where: { shop: SHOP_B } });
      await h.db.prisma.catalogueVariant.deleteMany({ where: { shop: SHOP_B } });
      const r = await (await h.api('get', '/api/mappings', { shop: SHOP_B })).json();
      expect(r.catalogue.state).toBe('running');
      expect(await h.db.prisma.job.count({ where: { shop: SHOP_B, type: 'catalogue.sync' } })).toBe(1);
      await h.install(SHOP_B);
    });

    it('refresh catalogue enqueues one catalogue.sync job per shop however often it is pressed', async () => {
      expect((await (await h.api('post', '/api/catalogue/refresh')).json()).enqueued).toBe(true);
      expect((await (await h.api('post', '/api/catalogue/refresh')).json()).enqueued).toBe(false);
      expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'catalogue.sync' } })).toBe(1);
    });
  });

  describe('orders, jobs, alerts', () => {
    it('orders list by filter with counts; detail with audit trail; retry of a failed order enqueues its sync; a shipped order cannot be retried', async () => {
      await h.db.prisma.orderSync.createMany({
        data: [
          { shop: SHOP_A, orderId: 'gid://shopify/Order/1', orderName: '#1001', state: 'failed', stateReason: 'wms.unknown_goods: goods X does not exist' },
          { shop: SHOP_A, orderId: 'gid://shopify/Order/2', orderName: '#1002', state: 'in_warehouse', dnCode: 'SHOP-1002' },
          { shop: SHOP_A, orderId: 'gid://shopify/Order/3', orderName: '#1003', state: 'shipped' },
        ],
      });
      await h.db.prisma.externalCall.create({ data: { shop: SHOP_A, orderId: 'gid://shopify/Order/1', system: 'warehouse', operation: 'createOutboundOrder', outcome: 'error', errorCode: 'wms.unknown_goods', durationMs: 12 } });
      const failed = await (await h.api('get', '/api/orders?filter=failed')).json();
      expect(failed.orders.map((o: { orderName: string }) => o.orderName)).toContain('#1001');
      expect(failed.orders.every((o: { state: string }) => o.state === 'failed')).toBe(true);
      expect(failed.counts).toMatchObject({ in_warehouse: 1, shipped: 1 });
      const search = await (await h.api('get', '/api/orders?query=SHOP-1002')).json();
      expect(search.orders.map((o: { orderName: string }) => o.orderName)).toEqual(['#1002']);
      const detail = await (await h.api('get', `/api/orders/${encodeURIComponent('gid://shopify/Order/1')}`)).json();
      expect(detail.order.stateReason).toMatch(/does not exist/);
      expect(detail.calls).toEqual([expect.objectContaining({ operation: 'createOutboundOrder', outcome: 'error', errorCode: 'wms.unknown_goods' })]);
      expect((await h.api('post', `/api/orders/${encodeURIComponent('gid://shopify/Order/1')}/retry`)).status).toBe(202);
      expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'order.sync', state: 'pending', payload: { path: ['orderId'], equals: 'gid://shopify/Order/1' } } })).toBe(1);
      const shipped = await h.api('post', `/api/orders/${encodeURIComponent('gid://shopify/Order/3')}/retry`);
      expect(shipped.status).toBe(409);
    });

    it('jobs: a dead job is listed and retried (pending again); retrying a pending one is refused; alerts list and resolve', async () => {
      const job = await enqueue(h.db.prisma, { type: 'fulfilment.create', payload: { orderId: 'gid://shopify/Order/2' }, shop: SHOP_A, runAt: new Date(Date.now() + 3600_000) });
      await h.db.prisma.job.update({ where: { id: job.id }, data: { state: 'dead', lastError: 'fulfilment refused', attempts: 25 } });
      const dead = await (await h.api('get', '/api/jobs?state=dead')).json();
      expect(dead.jobs.map((j: { id: string }) => j.id)).toContain(String(job.id));
      expect((await h.api('post', `/api/jobs/${job.id}/retry`)).status).toBe(200);
      expect((await h.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).state).toBe('pending');
      expect((await h.api('post', '/api/jobs/abc/retry')).status).toBe(422);
      const a = await h.db.prisma.alert.create({ data: { shop: SHOP_A, kind: 'order.failed', message: 'Order #1001 failed', subjectRef: 'order:1' } });
      const alerts = await (await h.api('get', '/api/alerts')).json();
      expect(alerts.alerts.map((x: { message: string }) => x.message)).toContain('Order #1001 failed');
      expect((await h.api('post', `/api/alerts/${a.id}/resolve`)).status).toBe(200);
      expect((await h.api('post', `/api/alerts/${a.id}/resolve`)).status).toBe(404);
    });
  });

  describe('settings', () => {
    it('save: the token is stored AES-256-GCM encrypted (not in the row in clear), only its last 4 characters come back', async () => {
      const res = await h.api('put', '/api/settings', { body: settingsBody({ warehouseToken: h.tenant.token, defaultBuffer: 3, orderTrigger: 'created' }) });
      expect(res.status).toBe(200);
      const view = await res.json();
      expect(view).toMatchObject({ connectionSource: 'shop', defaultBuffer: 3, orderTrigger: 'created', warehouseTokenHint: `••••${h.tenant.token.slice(-4)}` });
      expect(JSON.stringify(view)).not.toContain(h.tenant.token);
      const row = await h.db.prisma.warehouseConnection.findUniqueOrThrow({ where: { shop: SHOP_A } });
      expect(row.tokenEnc).toMatch(/^v1:/);
      expect(row.tokenEnc).not.toContain(h.tenant.token);
      const got = await (await h.api('get', '/api/settings')).text();
      expect(got).not.toContain(h.tenant.token);
      // Other features' keys in the same JSON survive (orders' warehouseLocationIds).
      await h.db.prisma.shop.update({ where: { domain: SHOP_A }, data: { settings: { ...(view as object), warehouseLocationIds: ['gid://shopify/Location/1'] } } });
      await h.api('put', '/api/settings', { body: settingsBody() });
      const s = (await h.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).settings as Record<string, unknown>;
      expect(s.warehouseLocationIds).toEqual(['gid://shopify/Location/1']);
      // Saving without a token kept the stored one, and the mappings page still reaches the warehouse with it.
      expect((await h.api('post', '/api/mappings/auto-match/preview')).status).toBe(200);
    });

    it('invalid settings → 422 with a message per field', async () => {
      const res = await h.api('put', '/api/settings', { body: settingsBody({ warehouseUrl: 'wms', warehouseOperator: 0, shipmentPollMinutes: 0, orderTrigger: 'never', defaultBufferPercent: 150 }) });
      expect(res.status).toBe(422);
      expect((await res.json()).fieldErrors).toEqual({
        warehouseUrl: 'Enter the full address, e.g. http://wms.local:8008',
        warehouseOperator: 'Staff ids start at 1',
        orderTrigger: 'Choose when orders go to the warehouse',
        shipmentPollMinutes: 'At least 1 minute',
        defaultBufferPercent: 'At most 100',
      });
    });

    it('percentage buffer: saved where the stock sync reads it, shown back; a save without it keeps it', async () => {
      const view = await (await h.api('put', '/api/settings', { body: settingsBody({ defaultBufferPercent: 12.5 }) })).json();
      expect(view).toMatchObject({ defaultBuffer: 1, defaultBufferPercent: 12.5 });
      await h.api('put', '/api/settings', { body: settingsBody() });
      expect(await stockShopSettings(h.db.prisma, SHOP_A)).toMatchObject({ bufferDefault: 1, bufferPercent: 12.5 });
      expect((await (await h.api('get', '/api/settings')).json()).defaultBufferPercent).toBe(12.5);
    });

    it('test connection gives a precise answer: ok with warehouse and staff; token rejected; operator unknown; unreachable', async () => {
      const ok = await (await h.api('post', '/api/settings/test-connection', { body: { warehouseUrl: h.wms.url, warehouseOperator: h.tenant.operator, warehouseToken: h.tenant.token } })).json();
      expect(ok).toMatchObject({ ok: true });
      expect(ok.detail).toMatch(/connected to warehouse .* as staff/);
      const badToken = await (await h.api('post', '/api/settings/test-connection', { body: { warehouseUrl: h.wms.url, warehouseOperator: h.tenant.operator, warehouseToken: 'wrong-token' } })).json();
      expect(badToken).toMatchObject({ ok: false, problem: 'token_rejected' });
      const badOperator = await (await h.api('post', '/api/settings/test-connection', { body: { warehouseUrl: h.wms.url, warehouseOperator: 999 } })).json();
      expect(badOperator).toMatchObject({ ok: false, problem: 'operator_unknown' });
      const down = await (await h.api('post', '/api/settings/test-connection', { body: { warehouseUrl: 'http://127.0.0.1:9', warehouseOperator: 1 } })).json();
      expect(down).toMatchObject({ ok: false, problem: 'unreachable' });
    });
  });

  describe('returns rules and stock', () => {
    it('rules list has the seeded defaults; a return waiting for a rule is listed; saving its rule resumes it; a bad key or disposition → 422', async () => {
      await h.db.prisma.returnCase.create({
        data: {
          shop: SHOP_A, source: 'return', sourceId: 'gid://shopify/Return/55', name: '#1001-R1', status: 'needs_rule',
          lines: { create: [{ shop: SHOP_A, sourceLineId: 'l1', sku: 'MUG-1', quantity: 1, reasonKey: 'reason:arrived-late', state: 'needs_rule' }] },
        },
      });
      const r = await (await h.api('get', '/api/returns/rules')).json();
      expect(r.rules).toContainEqual({ reasonKey: 'reason:defective', disposition: 'damaged', isDefault: true });
      expect(r.waiting.map((c: { name: string }) => c.name)).toEqual(['#1001-R1']);
      expect((await (await h.api('get', '/api/returns/rules', { shop: SHOP_B })).json()).waiting).toEqual([]);
      const bad = await h.api('put', '/api/returns/rules', { body: { reasonKey: 'Arrived late!!', disposition: 'burn' } });
      expect(bad.status).toBe(422);
      expect(Object.keys((await bad.json()).fieldErrors)).toEqual(['disposition']);
      const badKey = await h.api('put', '/api/returns/rules', { body: { reasonKey: 'late!!', disposition: 'inspect' } });
      expect((await badKey.json()).fieldErrors).toEqual({ reasonKey: 'Use a reason handle such as "defective" (letters, digits, dashes)' });
      const ok = await h.api('put', '/api/returns/rules', { body: { reasonKey: 'reason:arrived-late', disposition: 'inspect' } });
      expect(await ok.json()).toEqual({ reasonKey: 'reason:arrived-late', resumedCases: 1 });
      const after = await (await h.api('get', '/api/returns/rules')).json();
      expect(after.rules).toContainEqual({ reasonKey: 'reason:arrived-late', disposition: 'inspect', isDefault: false });
      expect((await (await h.api('get', '/api/returns/rules', { shop: SHOP_B })).json()).rules).not.toContainEqual(expect.objectContaining({ reasonKey: 'reason:arrived-late' }));
    });

    it('stock page rows (WMS figure, buffer, reservations, published, last push) for the shop only; sync now enqueues one full cycle; a buffer saved with a mapping is stored', async () => {
      const mug = await h.variantId(SHOP_A, 'MUG-1');
      await h.db.prisma.stockLevel.create({ data: { shop: SHOP_A, variantId: mug, locationId: 'gid://shopify/Location/1', sku: 'MUG-1', wmsAvailable: 40, buffer: 2, reserved: 3, publish: 35, seen: 35, pushedAt: new Date() } });
      const s = await (await h.api('get', '/api/stock?query=mug')).json();
      expect(s.rows).toEqual([expect.objectContaining({ sku: 'MUG-1', productTitle: 'Blue mug', wmsAvailable: 40, buffer: 2, reserved: 3, publish: 35 })]);
      expect((await (await h.api('get', '/api/stock', { shop: SHOP_B })).json()).rows).toEqual([]);
      expect((await (await h.api('post', '/api/stock/sync')).json()).enqueued).toBe(true);
      expect((await (await h.api('post', '/api/stock/sync')).json()).enqueued).toBe(false);
      const put = await h.api('put', `/api/mappings/${encodeURIComponent(mug)}`, { body: { components: [{ goodsCode: 'MUG-1', quantity: 1 }], buffer: 4 } });
      expect(put.status).toBe(200);
      expect((await h.db.prisma.stockBuffer.findUniqueOrThrow({ where: { shop_variantId: { shop: SHOP_A, variantId: mug } } })).units).toBe(4);
      const list = await (await h.api('get', '/api/mappings?query=MUG-1')).json();
      expect(list.rows[0]).toMatchObject({ sku: 'MUG-1', buffer: 4 });
      const neg = await h.api('put', `/api/mappings/${encodeURIComponent(mug)}`, { body: { components: [{ goodsCode: 'MUG-1', quantity: 1 }], buffer: -1 } });
      expect((await neg.json()).fieldErrors).toEqual({ buffer: 'Cannot be negative' });
    });
  });

  describe('UI document', () => {
    it('CSP frame-ancestors names the shop of the request and admin.shopify.com; a bogus shop is left out', async () => {
      const res = await fetch(`${h.url}/mappings?shop=${SHOP_A}&host=abc`);
      expect(res.headers.get('content-security-policy')).toBe(`frame-ancestors https://${SHOP_A} https://admin.shopify.com;`);
      const evil = await fetch(`${h.url}/?shop=evil.example.com`);
      expect(evil.headers.get('content-security-policy')).toBe('frame-ancestors https://admin.shopify.com;');
    });
  });
});
