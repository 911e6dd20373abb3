// Prisma client over node-postgres (driver adapter; no query-engine binary) plus a raw pg pool for the
// queue's hand-written SQL and LISTEN/NOTIFY. Both point at the same database.
import { PrismaClient, type Prisma } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

export type Db = PrismaClient;
/** A Prisma interactive-transaction client (what `$transaction(async (tx) => …)` hands you). */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function createPrisma(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

export function createPool(databaseUrl: string, poolSize = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client whose server went away (restart, failover) emits 'error'; the pool drops it and the
  // next query reconnects. Without a listener Node would crash the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs one hand-written statement (built with Prisma.sql) and returns its rows. Over a raw pg pool it skips the
 * Prisma client's per-query work (a fifth of the webhook intake's CPU went there); int8 columns then arrive as
 * strings, so callers convert with BigInt(). Over Prisma it joins the caller's transaction.
 */
export type SqlQuery = <T = Record<string, unknown>>(sql: Prisma.Sql) => Promise<T[]>;

export const pgQuery =
  (pool: pg.Pool): SqlQuery =>
  async <T>(sql: Prisma.Sql) =>
    (await pool.query({ text: sql.text, values: sql.values as unknown[] })).rows as T[];

export const prismaQuery =
  (db: Tx): SqlQuery =>
  <T>(sql: Prisma.Sql) =>
    db.$queryRaw<T[]>(sql);
