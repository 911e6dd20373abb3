// Vitest global setup: one PostgreSQL for the run (DATABASE_URL's server, else an embedded one), and a
// template database migrated once. Each test file clones the template (CREATE DATABASE … TEMPLATE), which
// takes ~50 ms, so files never share state.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded-postgres.js';
import { migrateDeploy, migrationNames, ROOT_DIR } from '../../server/db/migrate.js';
import { ensureDatabaseExists } from '../../server/db/database-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dbServerUrl: string;
    dbTemplate: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const name of migrationNames()) {
    hash.update(name);
    hash.update(fs.readFileSync(path.join(ROOT_DIR, 'prisma', 'migrations', name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

export async function setup(project: TestProject): Promise<void> {
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
    await ensureDatabaseExists(serverUrl);
  } else {
    embedded = await startEmbeddedPostgres({ dir: path.join(ROOT_DIR, '.data', 'test-postgres'), port: 54331 });
    serverUrl = embedded.url('postgres');
  }
  const template = `wms_bridge_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      // Build under a temporary name and rename: a half-migrated template is never picked up.
      const building = `${template}_build_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      await migrateDeploy(url.toString());
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
  } finally {
    await admin.end();
  }
  project.provide('dbServerUrl', serverUrl);
  project.provide('dbTemplate', template);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
