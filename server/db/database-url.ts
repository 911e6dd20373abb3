// Resolves the database to use: DATABASE_URL when set, else an embedded PostgreSQL.
import pg from 'pg';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export const EMBEDDED_DB_NAME = 'wms_bridge';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server (no-op for an external database). */
  stop: () => Promise<void>;
}

export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently: fine
  } finally {
    await client.end();
  }
}

export async function resolveDatabase(opts: {
  databaseUrl?: string;
  embeddedDir: string;
  embeddedPort: number;
  log?: Logger;
}): Promise<ResolvedDatabase> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, embedded: false, stop: async () => {} };
  opts.log?.info({ dir: opts.embeddedDir, port: opts.embeddedPort }, 'DATABASE_URL not set: starting embedded PostgreSQL');
  const server = await startEmbeddedPostgres({ dir: opts.embeddedDir, port: opts.embeddedPort, log: opts.log });
  const url = server.url(EMBEDDED_DB_NAME);
  try {
    await ensureDatabaseExists(url);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url, embedded: true, stop: server.stop };
}
