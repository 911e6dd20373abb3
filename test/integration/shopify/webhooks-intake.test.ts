// POST /webhooks against a real PostgreSQL and the real queue enqueue: what is stored, what is rejected.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.js';
import { createLogger } from '../../../server/logger.js';
import { webhooksRouter } from '../../../server/http/webhooks-route.js';
import { createShopifyApi } from '../../../server/adapters/shopify/shopify-api.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { API_KEY, API_SECRET, SHOP, post, signedDelivery } from './webhook-helpers.js';

describe('webhook intake (POST /webhooks)', () => {
  let db: TestDatabase;
  let server: Server;
  let base: string;
  // What the app logged (JSON lines), to check each delivery leaves one line saying what happened.
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const log = createLogger({ destination: new Writable({ write: (c, _e, cb) => (logged.push(JSON.parse(String(c))), cb()) }) });
    const shopify = createShopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, appUrl: 'http://localhost:3000', scopes: ['read_orders'] });
    const router = webhooksRouter({ shopify, pool: db.pool, log });
    server = createApp({ log, pool: db.pool, intakeRouters: [router] }).listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS fail_job_insert ON job');
    await db.prisma.$executeRawUnsafe('TRUNCATE webhook_event, job');
    logged.length = 0;
  });

  const counts = async () => ({
    events: await db.prisma.webhookEvent.count(),
    jobs: await db.prisma.job.count(),
  });

  it('bad HMAC: 401 and nothing stored', async () => {
    const d = signedDelivery('orders/create', { id: 1 }, { secret: 'someone-elses-secret' });
    const res = await post(base, d);
    expect(res.status).toBe(401);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('missing HMAC header: 401 and nothing stored', async () => {
    const d = signedDelivery('orders/create', { id: 1 });
    delete d.headers['x-shopify-hmac-sha256'];
    expect((await post(base, d)).status).toBe(401);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('body tampered after signing: 401 and nothing stored', async () => {
    const d = signedDelivery('orders/create', { id: 1, total: '10.00' });
    d.body = d.body.replace('10.00', '0.01');
    expect((await post(base, d)).status).toBe(401);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('valid HMAC but malformed JSON: 400 and nothing stored', async () => {
    const body = '{"id": 1,';
    const signed = signedDelivery('orders/create', {});
    signed.body = body;
    signed.headers['x-shopify-hmac-sha256'] = createHmac('sha256', API_SECRET).update(body).digest('base64');
    expect((await post(base, signed)).status).toBe(400);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('valid HMAC but no webhook id header: 400 and nothing stored', async () => {
    const d = signedDelivery('orders/create', { id: 1 });
    delete d.headers['x-shopify-webhook-id'];
    expect((await post(base, d)).status).toBe(400);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('body over the size limit: 413 and nothing stored', async () => {
    const d = signedDelivery('orders/create', { id: 1, note: 'x'.repeat(3 * 1024 * 1024) });
    expect((await post(base, d)).status).toBe(413);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('valid delivery: 200, one event with its headers kept, one webhook.process job for it', async () => {
    const triggeredAt = '2026-12-01T10:00:00.123Z';
    const d = signedDelivery('orders/create', { id: 820982911946154500, admin_graphql_api_id: 'gid://shopify/Order/820982911946154500', updated_at: '2026-12-01T10:00:00Z' }, { triggeredAt });
    const res = await post(base, d);
    expect(res.status).toBe(200);
    const [event] = await db.prisma.webhookEvent.findMany();
    expect(event).toMatchObject({
      shop: SHOP,
      topic: 'orders/create',
      webhookId: d.headers['x-shopify-webhook-id'],
      eventId: d.headers['x-shopify-event-id'],
      apiVersion: '2026-04',
      status: 'received',
      resourceId: 'gid://shopify/Order/820982911946154500',
    });
    expect(event!.triggeredAt?.toISOString()).toBe(triggeredAt);
    const jobs = await db.prisma.job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: 'webhook.process', shop: SHOP, payload: { webhookEventId: event!.id.toString() } });
    expect(jobs[0]!.orderingKey).toBe(`shopify:${SHOP}:order:820982911946154500`);
  });

  it('the same delivery 3× (one after another): one stored event, one job, every answer 200', async () => {
    const d = signedDelivery('orders/updated', { id: 5, updated_at: '2026-12-01T10:00:00Z' });
    for (let i = 0; i < 3; i++) expect((await post(base, d)).status).toBe(200);
    expect(await counts()).toEqual({ events: 1, jobs: 1 });
  });

  it('the same delivery 3× at the same moment: one stored event, one job', async () => {
    const d = signedDelivery('orders/updated', { id: 6 });
    const statuses = await Promise.all([post(base, d), post(base, d), post(base, d)].map(async (p) => (await p).status));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await counts()).toEqual({ events: 1, jobs: 1 });
  });

  it('the same event (X-Shopify-Event-Id) delivered under two webhook ids for one topic: stored once', async () => {
    const eventId = randomUUID();
    await post(base, signedDelivery('orders/updated', { id: 7 }, { eventId }));
    await post(base, signedDelivery('orders/updated', { id: 7 }, { eventId }));
    expect(await counts()).toEqual({ events: 1, jobs: 1 });
  });

  it('40 different deliveries at once, each sent twice (group commit): 40 events, 40 jobs, each job pointing at its own event', async () => {
    const deliveries = Array.from({ length: 40 }, (_, i) => signedDelivery('orders/create', { id: 1000 + i }));
    const statuses = await Promise.all([...deliveries, ...deliveries].map(async (d) => (await post(base, d)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await counts()).toEqual({ events: 40, jobs: 40 });
    const events = await db.prisma.webhookEvent.findMany();
    const jobs = await db.prisma.job.findMany();
    const jobEventIds = jobs.map((j) => (j.payload as { webhookEventId: string }).webhookEventId).sort();
    expect(jobEventIds).toEqual(events.map((e) => e.id.toString()).sort());
    for (const e of events) expect(e.resourceId).toBe(`gid://shopify/Order/${(e.payload as { id: number }).id}`);
  });

  it('one delivery PostgreSQL cannot store (\\u0000 in a string) among good ones: only it fails (500), the others are stored', async () => {
    const good = Array.from({ length: 10 }, (_, i) => signedDelivery('orders/create', { id: 2000 + i }));
    const bad = signedDelivery('orders/create', { id: 2999, note: 'nul\u0000byte' });
    const results = await Promise.all([...good, bad].map(async (d) => (await post(base, d)).status));
    expect(results.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(results[10]).toBe(500);
    expect(await counts()).toEqual({ events: 10, jobs: 10 });
  });

  it('an "events"-type delivery (un-prefixed shopify-* headers) is accepted the same way', async () => {
    const body = JSON.stringify({ id: 31, admin_graphql_api_id: 'gid://shopify/Order/31' });
    const headers = {
      'content-type': 'application/json',
      'shopify-hmac-sha256': createHmac('sha256', API_SECRET).update(body).digest('base64'),
      'shopify-topic': 'orders/updated',
      'shopify-shop-domain': SHOP,
      'shopify-api-version': '2026-04',
      'shopify-webhook-id': randomUUID(),
      'shopify-event-id': randomUUID(),
      'shopify-triggered-at': '2026-12-01T10:00:00.000Z',
    };
    expect((await fetch(`${base}/webhooks`, { method: 'POST', headers, body })).status).toBe(200);
    const [event] = await db.prisma.webhookEvent.findMany();
    expect(event).toMatchObject({ topic: 'orders/updated', webhookId: headers['shopify-webhook-id'], eventId: headers['shopify-event-id'], resourceId: 'gid://shopify/Order/31' });
    expect(await db.prisma.job.count()).toBe(1);
  });

  it('a topic we do not handle: 200, recorded as ignored, no job', async () => {
    const res = await post(base, signedDelivery('products/update', { id: 99 }));
    expect(res.status).toBe(200);
    const events = await db.prisma.webhookEvent.findMany();
    expect(events.map((e) => [e.topic, e.status])).toEqual([['products/update', 'ignored']]);
    expect(await db.prisma.job.count()).toBe(0);
  });

  // The event row and its job are written by ONE statement; these tests make the job insert fail inside the
  // database (a trigger) and show the event row is never left behind.
  const failJobInserts = async (message: string) => {
    await db.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION fail_job_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$ LANGUAGE plpgsql`,
    );
    await db.prisma.$executeRawUnsafe('CREATE TRIGGER fail_job_insert BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION fail_job_insert()');
  };

  it('the job insert fails: the event row is not stored either (never an event without its job); the retry stores both', async () => {
    await failJobInserts('queue insert failed');
    const d = signedDelivery('orders/create', { id: 8 });
    const res = await post(base, d);
    expect(res.status).toBe(500);
    expect(await counts()).toEqual({ events: 0, jobs: 0 });

    await db.prisma.$executeRawUnsafe('DROP TRIGGER fail_job_insert ON job'); // Shopify retries the same delivery
    expect((await post(base, d)).status).toBe(200);
    expect(await counts()).toEqual({ events: 1, jobs: 1 });
  });

  it('a failing job insert among a burst of deliveries: nothing half-written, every delivery answered 500', async () => {
    await failJobInserts('disk full');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(base, signedDelivery('orders/create', { id: 100 + i }))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(500));
    expect(await counts()).toEqual({ events: 0, jobs: 0 });
  });

  it('every delivery leaves one log line with its webhook id and outcome (stored, duplicate, bad HMAC, too large, failed), and no secret or payload', async () => {
    const ok = signedDelivery('orders/create', { id: 4242, email: 'private@example.com' });
    const forged = signedDelivery('orders/create', { id: 1 }, { secret: 'someone-elses-secret' });
    const large = signedDelivery('orders/create', { id: 2, note: 'x'.repeat(3 * 1024 * 1024) });
    const nul = signedDelivery('orders/create', { id: 3, note: 'nul\u0000byte' });
    for (const d of [ok, ok, forged, large, nul]) await post(base, d);
    const lines = logged.filter((l) => 'webhookId' in l);
    const line = (d: typeof ok) => lines.filter((l) => l.webhookId === d.headers['x-shopify-webhook-id']).map((l) => [l.msg, l.status]);
    expect(line(ok)).toEqual([['webhook stored', 200], ['webhook duplicate ignored', 200]]);
    expect(line(forged)).toEqual([['webhook rejected', 401]]);
    expect(line(large)).toEqual([['webhook rejected', 413]]);
    expect(line(nul)).toEqual([['webhook intake failed', 500]]);
    expect(lines.find((l) => l.msg === 'webhook rejected' && l.status === 401)).toMatchObject({ reason: 'invalid_hmac' });
    const text = JSON.stringify(logged);
    expect(text).not.toContain('private@example.com');
    expect(text).not.toContain(API_SECRET);
    expect(text).not.toContain(ok.headers['x-shopify-hmac-sha256']);
  });

  it('a statement stuck on a lock does not hold up the intake: later deliveries commit meanwhile, the stuck one when the lock goes', async () => {
    // Another transaction holds order 777's ordering-key lock (as a long enqueue of that order's job would).
    const holder = await db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`shopify:${SHOP}:order:777`]);
      let stuckStatus = 0;
      const stuck = post(base, signedDelivery('orders/create', { id: 777 })).then((r) => (stuckStatus = r.status));
      await new Promise((r) => setTimeout(r, 100)); // its statement is now waiting on the lock
      const others = await Promise.all(Array.from({ length: 5 }, (_, i) => post(base, signedDelivery('orders/create', { id: 800 + i }))));
      expect(others.map((r) => r.status)).toEqual(Array(5).fill(200));
      expect(stuckStatus).toBe(0); // still waiting
      expect(await counts()).toEqual({ events: 5, jobs: 5 });
      await holder.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`shopify:${SHOP}:order:777`]);
      await stuck;
      expect(stuckStatus).toBe(200);
      expect(await counts()).toEqual({ events: 6, jobs: 6 });
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
  });
});
