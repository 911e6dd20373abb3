import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { Router } from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.js';
import { createLogger } from '../../../server/logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';

describe('HTTP edge', () => {
  let db: TestDatabase;
  let server: Server;
  let base: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const destination = new Writable({ write: (c, _e, cb) => { logLines.push(c.toString()); cb(); } });
    const boom = Router().get('/boom', () => {
      throw new Error('secret internals at /srv/app.ts:42');
    });
    const app = createApp({ log: createLogger({ destination }), pool: db.pool, routers: [boom] });
    server = app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await db?.drop();
  });

  it('healthz answers while the process is alive', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('readyz is 200 on a migrated database', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });

  it('readyz is 503 naming the pending migration when one is not applied', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name FROM _prisma_migrations LIMIT 1');
    await client.query('UPDATE _prisma_migrations SET finished_at = NULL');
    try {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.pending).toContain(rows[0].migration_name);
    } finally {
      await client.query('UPDATE _prisma_migrations SET finished_at = now()');
      await client.end();
    }
  });

  it('readyz is 503 when the database is unreachable', async () => {
    const deadPool = new pg.Pool({ connectionString: 'postgresql://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const app = createApp({ log: createLogger({ level: 'silent' }), pool: deadPool });
    const s = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).reason).toBe('database unreachable');
    } finally {
      s.close();
      await deadPool.end();
    }
  });

  it('unknown routes get a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect((await res.json()).error).toBe('not_found');
  });

  it('a crash in a route is a JSON 500 without the stack, logged with the request id', async () => {
    const res = await fetch(`${base}/boom`, { headers: { 'x-request-id': 'req-test-1' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('app.ts');
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'Internal server error' });
    expect(res.headers.get('x-request-id')).toBe('req-test-1');
    const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'req-test-1' || l.req?.id === 'req-test-1');
    expect(logged.length).toBeGreaterThan(0);
  });
});
