// The built admin UI in a real browser (Debian's chromium via playwright-core), served by the app with a
// session token minted by the Shopify simulator, against the GreaterWMS simulator: edit a mapping (a bad goods
// code shows its error, a bundle saves), auto-match with preview, a CSV with two bad rows (report, nothing
// applied), retry a failed order and a dead job, the alerts banner, settings with Test connection. Each page
// is saved as a screenshot under test/artifacts/ and its content is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enqueue } from '../../server/queue/enqueue.js';
import { SHOP_A, startAdminHarness, type AdminHarness } from '../integration/admin-api/admin-harness.js';
import { artifactPath, ensureWebBuilt, launchChromium, newAdminContext } from './chromium.js';

describe('admin UI in Chromium', () => {
  let h: AdminHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    [h, browser] = await Promise.all([startAdminHarness(), launchChromium()]);
    await h.install(SHOP_A);
    context = await newAdminContext(browser);
    page = await context.newPage();
    // A missing element fails the step in 10 s with the locator named, not the whole test at 30 s.
    page.setDefaultTimeout(10_000);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Opens a page as Shopify's admin would: ?shop&host&id_token&embedded (a fresh 60 s session token each time). */
  const open = async (path: string) => {
    const q = new URLSearchParams({ shop: SHOP_A, host: Buffer.from(`admin.shopify.com/store/admin-a`).toString('base64url'), embedded: '1', id_token: h.token(SHOP_A) });
    const res = await page.goto(`${h.url}${path}?${q}`);
    expect(res?.headers()['content-security-policy']).toBe(`frame-ancestors https://${SHOP_A} https://admin.shopify.com;`);
  };
  const mapping = async (sku: string) => {
    const v = await h.db.prisma.catalogueVariant.findFirstOrThrow({ where: { shop: SHOP_A, sku } });
    return (await h.db.prisma.skuMapping.findUnique({ where: { shop_variantId: { shop: SHOP_A, variantId: v.variantId } } }))?.components ?? null;
  };

  it('mappings page lists the catalogue; editing a mapping: unknown goods shows its error, a bundle saves and shows as a bundle', async () => {
    await open('/mappings');
    await page.getByText('Blue mug').waitFor();
    expect(await page.getByText('Page 1 of 1 · 7 variants').count()).toBe(1);
    expect(await page.getByText('Unmapped', { exact: true }).count()).toBeGreaterThanOrEqual(7);
    await page.waitForFunction(() => !document.body.innerText.includes('Loading variants…'));
    await page.screenshot({ path: artifactPath('mappings.png'), fullPage: true });

    await page.getByRole('button', { name: 'Edit mapping of GIFT-1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Goods code 1').fill('NOPE-1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Goods NOPE-1 does not exist in GreaterWMS').waitFor();
    expect(await mapping('GIFT-1')).toBeNull();

    await dialog.getByLabel('Goods code 1').fill('MUG-1');
    await dialog.getByRole('button', { name: 'Add component' }).click();
    await dialog.getByLabel('Goods code 2').fill('TEA-1');
    await dialog.getByLabel('Quantity').nth(1).fill('2');
    await page.screenshot({ path: artifactPath('mapping-edit.png') });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Mapping saved').waitFor();
    await page.getByText('MUG-1 ×1 + TEA-1 ×2').waitFor();
    expect(await mapping('GIFT-1')).toEqual([{ goodsCode: 'MUG-1', quantity: 1 }, { goodsCode: 'TEA-1', quantity: 2 }]);

    // Filter tab and search go to the server.
    await page.getByRole('tab', { name: 'Bundles' }).click();
    await page.getByText('Page 1 of 1 · 1 variants').waitFor();
    await page.getByRole('tab', { name: 'All' }).click();
    // The Bundles view also read "Page 1 of 1 · 1 variants": wait for the search's own answer, not that text.
    const searched = page.waitForResponse((r) => r.url().includes('/api/mappings?') && r.url().includes('query=poster'));
    await page.getByPlaceholder('Search SKU, product, variant or goods code').fill('poster');
    await searched;
    await expect.poll(() => page.getByText('Blue mug').count()).toBe(0);
    await page.getByText('Page 1 of 1 · 1 variants').waitFor();
  });

  it('keyboard: from the search field, Tab reaches the first row\'s Edit button, Enter opens the editor, Escape closes it', async () => {
    await open('/mappings');
    await page.getByText('Blue mug').waitFor();
    await page.getByPlaceholder('Search SKU, product, variant or goods code').focus();
    let label: string | null = null;
    for (let i = 0; i < 15 && !label?.startsWith('Edit mapping of'); i++) {
      await page.keyboard.press('Tab');
      label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
    }
    expect(label).toBe('Edit mapping of MUG-1');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByLabel('Goods code 1').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('auto-match: the preview lists SKUs equal to goods codes; unticking one maps only the others', async () => {
    await open('/mappings');
    await page.getByRole('button', { name: 'Auto-match' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('3 unmapped variants have SKUs equal to a warehouse goods code.').waitFor();
    for (const sku of ['MUG-1', 'TEA-1', 'SPOON-1']) expect(await dialog.getByText(new RegExp(`^${sku} — `)).count()).toBe(1);
    await dialog.getByText(/^SPOON-1 — /).click();
    await page.screenshot({ path: artifactPath('auto-match.png') });
    await dialog.getByRole('button', { name: 'Map 2 variants' }).click();
    await page.getByText('2 variants mapped').waitFor();
    expect(await mapping('MUG-1')).toEqual([{ goodsCode: 'MUG-1', quantity: 1 }]);
    expect(await mapping('TEA-1')).toEqual([{ goodsCode: 'TEA-1', quantity: 1 }]);
    expect(await mapping('SPOON-1')).toBeNull();
  });

  it('CSV import with two bad rows: both reported by line, nothing applied', async () => {
    await open('/mappings');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog');
    const csv = ['sku,goods_code,quantity', 'SPOON-1,SPOON-1,1', 'POSTER-1,POSTER-X,1', 'MUG-1,MUG-1,-3'].join('\n');
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'mappings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText('Nothing was imported: 2 rows have problems').waitFor();
    expect(await dialog.getByText('Line 3 (POSTER-1): Goods POSTER-X does not exist in GreaterWMS').count()).toBe(1);
    expect(await dialog.getByText('Line 4 (MUG-1): Quantity "-3" must be a whole number of at least 1').count()).toBe(1);
    await page.screenshot({ path: artifactPath('csv-import-errors.png') });
    expect(await mapping('SPOON-1')).toBeNull();
  });

  it('orders: the failed filter shows the failed order; its detail has the audit trail; Retry sync and Retry of its dead job queue them; alerts banner', async () => {
    const orderId = 'gid://shopify/Order/7001';
    await h.db.prisma.orderSync.create({ data: { shop: SHOP_A, orderId, orderName: '#7001', state: 'failed', stateReason: 'GreaterWMS refused the order: goods GIFT-1 does not exist' } });
    await h.db.prisma.orderSync.create({ data: { shop: SHOP_A, orderId: 'gid://shopify/Order/7002', orderName: '#7002', state: 'in_warehouse', dnCode: 'SHOP-7002' } });
    await h.db.prisma.externalCall.create({ data: { shop: SHOP_A, orderId, system: 'warehouse', operation: 'createOutboundOrder', outcome: 'error', errorCode: 'wms.unknown_goods', durationMs: 41 } });
    const dead = await enqueue(h.db.prisma, { type: 'fulfilment.create', payload: { orderId }, shop: SHOP_A, runAt: new Date(Date.now() + 3600_000) });
    await h.db.prisma.job.update({ where: { id: dead.id }, data: { state: 'dead', attempts: 25, lastError: 'Shopify refused the fulfilment' } });
    await h.db.prisma.alert.create({ data: { shop: SHOP_A, kind: 'order.failed', message: 'Order #7001 could not be sent to the warehouse', subjectRef: 'order:7001' } });

    await open('/orders');
    await page.getByText('1 open alert').waitFor();
    expect(await page.getByText('Order #7001 could not be sent to the warehouse').count()).toBe(1);
    await page.getByRole('tab', { name: 'Failed' }).click();
    await page.getByRole('button', { name: 'Open order #7001' }).waitFor();
    await page.waitForFunction(() => !document.body.innerText.includes('#7002'));
    await page.screenshot({ path: artifactPath('orders-failed.png'), fullPage: true });

    await page.getByRole('button', { name: 'Open order #7001' }).click();
    await page.getByText('Audit trail').waitFor();
    expect(await page.getByText('createOutboundOrder').count()).toBe(1);
    expect(await page.getByText('error wms.unknown_goods').count()).toBe(1);
    expect(await page.getByText('GreaterWMS refused the order: goods GIFT-1 does not exist').count()).toBe(1);
    await page.screenshot({ path: artifactPath('order-detail.png'), fullPage: true });
    await page.getByRole('button', { name: 'Retry sync' }).click();
    await page.getByText('Order sync queued').waitFor();
    expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'order.sync', state: 'pending', payload: { path: ['orderId'], equals: orderId } } })).toBe(1);
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await page.getByText(`Job #${dead.id} will run again`).waitFor();
    expect((await h.db.prisma.job.findUniqueOrThrow({ where: { id: dead.id } })).state).toBe('pending');
  });

  it('jobs: failed jobs listed with their error; Discard drops one', async () => {
    const job = await enqueue(h.db.prisma, { type: 'shipments.poll', payload: { shop: SHOP_A }, shop: SHOP_A, runAt: new Date(Date.now() + 3600_000) });
    await h.db.prisma.job.update({ where: { id: job.id }, data: { state: 'failed', attempts: 1, lastError: 'GreaterWMS is not configured for this shop (Settings)' } });
    await open('/jobs');
    await page.getByText('GreaterWMS is not configured for this shop (Settings)').waitFor();
    expect(await page.getByText(`#${job.id} shipments.poll`).count()).toBe(1);
    await page.screenshot({ path: artifactPath('jobs.png'), fullPage: true });
    await page.getByRole('button', { name: `Discard job ${job.id}` }).click();
    await page.getByText(`Job #${job.id} discarded`).waitFor();
    expect((await h.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).state).toBe('discarded');
  });

  it('return rules: a return waiting for a rule is shown; adding the rule resumes it; changing a default rule is saved as the shop\'s own', async () => {
    await h.db.prisma.returnCase.create({
      data: {
        shop: SHOP_A, source: 'return', sourceId: 'gid://shopify/Return/88', name: '#7001-R1', orderName: '#7001', status: 'needs_rule',
        lines: { create: [{ shop: SHOP_A, sourceLineId: 'r1', sku: 'MUG-1', quantity: 2, reasonKey: 'reason:arrived-late', state: 'needs_rule' }] },
      },
    });
    await open('/returns');
    await page.getByText('1 return is waiting for a rule').waitFor();
    expect(await page.getByText('#7001-R1 (order #7001): 2× MUG-1 — Arrived late').count()).toBe(1);
    await page.screenshot({ path: artifactPath('returns-rules.png'), fullPage: true });
    await page.getByRole('button', { name: 'Add a rule for "Arrived late"' }).click();
    expect(await page.getByLabel('Return reason').inputValue()).toBe('reason:arrived-late');
    await page.getByLabel('Disposition', { exact: true }).selectOption('hold');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Rule saved · 1 waiting return(s) resumed').waitFor();
    const rule = await h.db.prisma.dispositionRule.findUniqueOrThrow({ where: { shop_reasonKey: { shop: SHOP_A, reasonKey: 'reason:arrived-late' } } });
    expect(rule.disposition).toBe('hold');
    expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'return.process', state: 'pending' } })).toBe(1);

    // The rules list is re-read after the save (the new rule adds a row): act on the list as it now stands.
    await page.getByRole('row', { name: /Arrived late/ }).getByText('Yours').waitFor();
    await page.getByLabel('Disposition for Defective').selectOption('inspect');
    await expect.poll(async () => (await h.db.prisma.dispositionRule.findUnique({ where: { shop_reasonKey: { shop: SHOP_A, reasonKey: 'reason:defective' } } }))?.disposition, { timeout: 10_000 }).toBe('inspect');
    await page.getByRole('row', { name: /Defective/ }).getByText('Yours').waitFor();
  });

  it('stock: per SKU the warehouse figure, buffer, reservations, published value; Sync now queues a full cycle', async () => {
    const v = await h.db.prisma.catalogueVariant.findFirstOrThrow({ where: { shop: SHOP_A, sku: 'TEA-1' } });
    await h.db.prisma.stockLevel.create({ data: { shop: SHOP_A, variantId: v.variantId, locationId: 'gid://shopify/Location/1', sku: 'TEA-1', wmsAvailable: 57, buffer: 2, reserved: 4, publish: 51, seen: 51, pushedAt: new Date() } });
    await open('/stock');
    await page.getByText('TEA-1').waitFor();
    const row = page.getByRole('row', { name: /TEA-1/ });
    expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/TEA-1 Green tea – 100 g 57 2 4 51/);
    await page.screenshot({ path: artifactPath('stock.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('Stock sync queued').waitFor();
    expect(await h.db.prisma.job.count({ where: { shop: SHOP_A, type: 'stock.sync', state: 'pending' } })).toBe(1);
  });

  it('settings: Test connection answers precisely (rejected token, then connected); saving stores the token and shows only its last 4 characters', async () => {
    await open('/settings');
    await page.getByLabel('GreaterWMS URL').waitFor();
    expect(await page.getByLabel('GreaterWMS URL').inputValue()).toBe(h.wms.url);
    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connection failed (token rejected)').waitFor();
    await page.getByLabel('API token').fill(h.tenant.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connected', { exact: true }).waitFor();
    expect(await page.getByText(/connected to warehouse .* as staff/).count()).toBe(1);
    await page.getByLabel('Default stock buffer (units held back)').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    await page.getByText(`Stored token ends in ${h.tenant.token.slice(-4)}. Leave empty to keep it.`).waitFor();
    expect(await page.getByLabel('API token').inputValue()).toBe('');
    expect(await page.content()).not.toContain(h.tenant.token);
    await page.screenshot({ path: artifactPath('settings.png'), fullPage: true });
    const row = await h.db.prisma.warehouseConnection.findUniqueOrThrow({ where: { shop: SHOP_A } });
    expect(row.tokenEnc).not.toContain(h.tenant.token);
  });
});
