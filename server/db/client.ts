// Prisma client over node-postgres (driver adapter; no query-engine binary) plus a raw pg pool for the
// queue's hand-written SQL and LISTEN/NOTIFY. Both point at the same database.
import { PrismaClient } from '@prisma/client';
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
