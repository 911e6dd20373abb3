// webhook.process and its handlers against a real database: uninstall, scopes update and the three
// compliance topics, each checked by reading the database afterwards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { deliver, jobDeps, runWebhookJobs, toRecord, jobContext, PLATFORM_HANDLERS } from './job-helpers.js';
import { webhookProcessJob } from '../../../server/jobs/webhook-process.js';
import type { JobDeps } from '../../../server/jobs/registry.js';
import { webhookPruneJob } from '../../../server/jobs/webhook-prune.js';

const SHOP = 'alpha.myshopify.com';
const OTHER = 'beta.myshopify.com';

const ALICE = { id: 207119551, email: 'alice@example.com', phone: '+16135551111', first_name: 'Alice', last_name: 'Liddell', street: '1 Rabbit Hole' };
const BOB = { id: 115310627, email: 'bob@example.com', phone: '+16135552222', first_name: 'Bob', last_name: 'Builder', street: '9 Site Road' };

function order(id: number, c: typeof ALICE) {
  const { street, ...customer } = c;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id % 10000}`,
    email: customer.email,
    phone: customer.phone,
    updated_at: '2026-12-01T10:00:00Z',
    customer: { ...customer, default_address: { address1: street, city: 'Oxford', zip: 'OX1' } },
    shipping_address: { name: `${customer.first_name} ${customer.last_name}`, address1: street, city: 'Oxford', zip: 'OX1', country_code: 'GB', phone: customer.phone },
    line_items: [{ id: id + 1, sku: 'SKU-1', quantity: 2, name: 'Teapot' }],
  };
}

describe('webhook.process handlers', () => {
  let db: TestDatabase;
  let deps: JobDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = jobDeps(db.prisma, db.pool);
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe('TRUNCATE webhook_event, job, alert, session, shop');
    for (const domain of [SHOP, OTHER]) {
      await db.prisma.shop.create({ data: { domain, installedAt: new Date('2026-11-01T00:00:00Z') } });
      await db.prisma.session.create({ data: { id: `offline_${domain}`, shop: domain, state: '', accessToken: `shpat_${domain}`, refreshToken: 'rt' } });
    }
  });

  it('app/uninstalled: shop marked, sessions deleted, pending shop jobs discarded, inbox jobs kept; a second uninstall is a no-op without error', async () => {
    await enqueue(db.prisma, { type: 'stock.push', payload: {}, shop: SHOP });
    await enqueue(db.prisma, { type: 'stock.push', payload: {}, shop: OTHER });
    await deliver(db.prisma, SHOP, 'orders/create', order(1001, ALICE)); // inbox job: must survive the uninstall
    await deliver(db.prisma, SHOP, 'app/uninstalled', { id: 1, domain: SHOP });
    await runWebhookJobs(deps);

    const shop = await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(shop.uninstalledAt).not.toBeNull();
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.prisma.session.count({ where: { shop: OTHER } })).toBe(1);
    const jobs = await db.prisma.job.findMany({ where: { type: 'stock.push' }, orderBy: { shop: 'asc' } });
    expect(jobs.map((j) => [j.shop, j.state])).toEqual([[SHOP, 'discarded'], [OTHER, 'pending']]);
    const events = await db.prisma.webhookEvent.findMany({ where: { shop: SHOP }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.topic, e.status])).toEqual([['orders/create', 'recorded'], ['app/uninstalled', 'processed']]);

    // Shopify delivers the uninstall again (another webhook id): processed without error, nothing changes.
    const firstUninstalledAt = shop.uninstalledAt;
    await deliver(db.prisma, SHOP, 'app/uninstalled', { id: 1, domain: SHOP });
    await expect(runWebhookJobs(deps)).resolves.toBe(1);
    const again = await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(again.uninstalledAt).toEqual(firstUninstalledAt);
  });

  it('the same webhook.process job run twice (worker crashed after the handler): the second run changes nothing', async () => {
    const d = await deliver(db.prisma, SHOP, 'app/uninstalled', { id: 1 });
    const handler = webhookProcessJob(deps, PLATFORM_HANDLERS);
    await handler(await toRecord(db.prisma, d!.jobId!), jobContext());
    const after1 = await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: d!.eventId } });
    await handler(await toRecord(db.prisma, d!.jobId!), jobContext());
    const after2 = await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: d!.eventId } });
    expect(after2.processedAt).toEqual(after1.processedAt);
  });

  it('app/uninstalled that fired before a re-install is stale: the new sessions stay', async () => {
    await db.prisma.shop.update({ where: { domain: SHOP }, data: { installedAt: new Date('2026-12-02T00:00:00Z') } });
    await deliver(db.prisma, SHOP, 'app/uninstalled', { id: 1 }, { triggeredAt: new Date('2026-12-01T00:00:00Z') });
    await runWebhookJobs(deps);
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(1);
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeNull();
    expect((await db.prisma.webhookEvent.findFirstOrThrow({ where: { topic: 'app/uninstalled' } })).status).toBe('stale');
  });

  it('app/scopes_update: the shop and its offline session get the granted scopes', async () => {
    await deliver(db.prisma, SHOP, 'app/scopes_update', { id: 1, previous: ['read_orders'], current: ['read_orders', 'read_products'], updated_at: new Date().toISOString() });
    await runWebhookJobs(deps);
    expect((await db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).scopes).toBe('read_orders,read_products');
    expect((await db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).scope).toBe('read_orders,read_products');
  });

  it('customers/data_request: the export lists every stored record about the customer (events and job payloads), not other customers', async () => {
    await deliver(db.prisma, SHOP, 'orders/create', order(1001, ALICE));
    await deliver(db.prisma, SHOP, 'orders/create', order(1002, BOB));
    await enqueue(db.prisma, { type: 'order.send', payload: { orderId: 'gid://shopify/Order/1001', contactEmail: ALICE.email }, shop: SHOP });
    await runWebhookJobs(deps);
    await deliver(db.prisma, SHOP, 'customers/data_request', {
      shop_domain: SHOP, customer: { id: ALICE.id, email: ALICE.email, phone: ALICE.phone }, orders_requested: [1001], data_request: { id: 9999 },
    });
    await runWebhookJobs(deps);

    const req = await db.prisma.webhookEvent.findFirstOrThrow({ where: { topic: 'customers/data_request' } });
    expect(req.status).toBe('processed');
    const report = req.result as { records: { source: string; kind: string; personalData: Record<string, unknown> }[] };
    expect(report.records.map((r) => `${r.source}:${r.kind}`).sort()).toEqual(['job:order.send', 'webhook_event:orders/create']);
    const orderRecord = report.records.find((r) => r.source === 'webhook_event')!;
    expect(orderRecord.personalData).toMatchObject({ email: ALICE.email, 'shipping_address.address1': '1 Rabbit Hole', 'customer.first_name': 'Alice' });
    expect(JSON.stringify(report)).not.toContain(BOB.email);
    const alert = await db.prisma.alert.findFirstOrThrow({ where: { shop: SHOP, kind: 'compliance.data_request' } });
    expect(alert.message).toContain('2 record(s)');
  });

  it('customers/redact: the customer\'s personal data is gone from stored payloads, job payloads, exports and alerts; ids and other customers stay', async () => {
    await deliver(db.prisma, SHOP, 'orders/create', order(1001, ALICE));
    await deliver(db.prisma, SHOP, 'orders/create', order(1002, BOB));
    await deliver(db.prisma, OTHER, 'orders/create', order(1003, ALICE)); // another shop: not this request's business
    await enqueue(db.prisma, { type: 'order.send', payload: { orderId: 'gid://shopify/Order/1001', contactEmail: ALICE.email, firstName: 'Alice' }, shop: SHOP });
    await db.prisma.alert.create({ data: { shop: SHOP, kind: 'order.rejected', message: `Warehouse rejected order for ${ALICE.email}`, details: { email: ALICE.email } } });
    await deliver(db.prisma, SHOP, 'customers/data_request', { shop_domain: SHOP, customer: { id: ALICE.id, email: ALICE.email, phone: ALICE.phone }, orders_requested: [1001] });
    await runWebhookJobs(deps);

    await deliver(db.prisma, SHOP, 'customers/redact', { shop_domain: SHOP, customer: { id: ALICE.id, email: ALICE.email, phone: ALICE.phone }, orders_to_redact: [1001] });
    await runWebhookJobs(deps);

    const leaks = async (needle: string, shop: string) => {
      const rows = await db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT (SELECT count(*) FROM webhook_event WHERE shop = ${shop} AND (payload::text ILIKE ${'%' + needle + '%'} OR coalesce(result::text, '') ILIKE ${'%' + needle + '%'}))
             + (SELECT count(*) FROM job WHERE shop = ${shop} AND (payload::text ILIKE ${'%' + needle + '%'} OR coalesce(last_error, '') ILIKE ${'%' + needle + '%'}))
             + (SELECT count(*) FROM alert WHERE shop = ${shop} AND (message ILIKE ${'%' + needle + '%'} OR details::text ILIKE ${'%' + needle + '%'})) AS n`;
      return Number(rows[0]!.n);
    };
    for (const needle of [ALICE.email, ALICE.phone, 'Liddell', 'Rabbit Hole']) expect(await leaks(needle, SHOP), needle).toBe(0);
    // Bob's order in the same shop and Alice's order in another shop are untouched.
    expect(await leaks(BOB.email, SHOP)).toBeGreaterThan(0);
    expect(await leaks(ALICE.email, OTHER)).toBeGreaterThan(0);
    // Ids, SKUs and quantities survive, so order links keep working.
    const redacted = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, resourceId: 'gid://shopify/Order/1001' } });
    expect(redacted.payload).toMatchObject({ id: 1001, name: '#1001', line_items: [{ sku: 'SKU-1', quantity: 2 }], email: '[redacted]' });
    const redactEvent = await db.prisma.webhookEvent.findFirstOrThrow({ where: { topic: 'customers/redact' } });
    expect(redactEvent.status).toBe('processed');
  });

  it('shop/redact: every row of the shop is deleted (a bare audit line of the request stays); the other shop is untouched', async () => {
    await deliver(db.prisma, SHOP, 'orders/create', order(1001, ALICE));
    await runWebhookJobs(deps);
    await enqueue(db.prisma, { type: 'stock.push', payload: { sku: 'SKU-1' }, shop: SHOP });
    await db.prisma.alert.create({ data: { shop: SHOP, kind: 'x', message: 'x' } });
    await deliver(db.prisma, OTHER, 'orders/create', order(1003, BOB));
    await db.prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date('2026-11-20T00:00:00Z') } });

    // A feature table the compliance code does not know by name (any table with a shop column), with a child
    // table referencing it: both are purged for the shop, the other shop's rows stay.
    await db.prisma.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS feature_parent (id int PRIMARY KEY, shop text NOT NULL)');
    await db.prisma.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS feature_child (id int PRIMARY KEY, shop text NOT NULL, parent_id int NOT NULL REFERENCES feature_parent(id))');
    await db.prisma.$executeRawUnsafe(`INSERT INTO feature_parent VALUES (1, '${SHOP}'), (2, '${OTHER}')`);
    await db.prisma.$executeRawUnsafe(`INSERT INTO feature_child VALUES (1, '${SHOP}', 1), (2, '${OTHER}', 2)`);

    const d = await deliver(db.prisma, SHOP, 'shop/redact', { shop_id: 1, shop_domain: SHOP });
    await runWebhookJobs(deps);

    const featureRows = await db.prisma.$queryRawUnsafe<{ shop: string }[]>('SELECT shop FROM feature_parent UNION ALL SELECT shop FROM feature_child');
    expect(featureRows.map((r) => r.shop)).toEqual([OTHER, OTHER]);

    expect(await db.prisma.shop.count({ where: { domain: SHOP } })).toBe(0);
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.prisma.alert.count({ where: { shop: SHOP } })).toBe(0);
    const jobs = await db.prisma.job.findMany({ where: { shop: SHOP } });
    expect(jobs.map((j) => j.id)).toEqual([d!.jobId]); // only the shop/redact job itself (the worker finishes it)
    const events = await db.prisma.webhookEvent.findMany({ where: { shop: SHOP } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'shop/redact', status: 'processed', payload: {} });
    // The other shop keeps everything.
    expect(await db.prisma.shop.count({ where: { domain: OTHER } })).toBe(1);
    expect(await db.prisma.webhookEvent.count({ where: { shop: OTHER } })).toBe(1);
    expect(await db.prisma.session.count({ where: { shop: OTHER } })).toBe(1);
  });

  it('shop/redact for a shop re-installed after the request fired: nothing deleted', async () => {
    await db.prisma.shop.update({ where: { domain: SHOP }, data: { installedAt: new Date('2026-12-03T00:00:00Z') } });
    await deliver(db.prisma, SHOP, 'shop/redact', { shop_id: 1, shop_domain: SHOP }, { triggeredAt: new Date('2026-12-02T00:00:00Z') });
    await runWebhookJobs(deps);
    expect(await db.prisma.shop.count({ where: { domain: SHOP } })).toBe(1);
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(1);
  });
});

describe('webhooks.prune', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('deletes finished events older than 30 days; keeps recent ones and any event still waiting for its job', async () => {
    const old = new Date(Date.now() - 31 * 24 * 60 * 60_000);
    const mk = (webhookId: string, status: string, receivedAt: Date) =>
      db.prisma.webhookEvent.create({ data: { shop: SHOP, webhookId, topic: 'orders/create', payload: {}, status, receivedAt } });
    await mk('old-processed', 'processed', old);
    await mk('old-ignored', 'ignored', old);
    await mk('old-received', 'received', old);
    await mk('new-processed', 'processed', new Date());
    const deps = jobDeps(db.prisma, db.pool);
    await webhookPruneJob(deps)(await toRecord(db.prisma, (await enqueue(db.prisma, { type: 'webhooks.prune', payload: {} })).id), jobContext());
    const left = await db.prisma.webhookEvent.findMany({ orderBy: { webhookId: 'asc' } });
    expect(left.map((e) => e.webhookId)).toEqual(['new-processed', 'old-received']);
  });
});
