// A fresh database per test file (or per call), cloned from the migrated template.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { PrismaClient } from '@prisma/client';
import { createPool, createPrisma } from '../../server/db/client.js';

export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  drop: () => Promise<void>;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: inject('dbServerUrl') });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Creates an empty, migrated database and clients for it. Call drop() in afterAll. */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `wms_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('dbTemplate')}`));
  const url = new URL(inject('dbServerUrl'));
  url.pathname = `/${name}`;
  const prisma = createPrisma(url.toString(), opts.poolSize ?? 5);
  const pool = createPool(url.toString(), opts.poolSize ?? 5);
  return {
    url: url.toString(),
    name,
    prisma,
    pool,
    drop: async () => {
      await prisma.$disconnect();
      await pool.end();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
