// `npm run db:migration:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that turns the schema as of the last committed migration into the current prisma/schema.prisma.
// (`prisma migrate dev` cannot be used: the offline JS schema engine has no shadow database.)
// Review the file, add what Prisma cannot express (partial indexes, data moves), then `npm run db:migrate`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../server/db/migrate.js';
import { schemaDiffSql } from '../server/db/schema-sql.js';
import { resolveDatabase } from '../server/db/database-url.js';
import { config } from '../server/config.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration:new -- <name in snake_case>');
  process.exit(2);
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
const lastMigrationCommit = git('log', '-1', '--format=%H', '--', 'prisma/migrations');
const baseSchema = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'schema.prisma');
fs.writeFileSync(baseSchema, lastMigrationCommit ? git('show', `${lastMigrationCommit}:prisma/schema.prisma`) : '');
const cfg = config();
const db = await resolveDatabase({ databaseUrl: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_PG_DIR, embeddedPort: cfg.EMBEDDED_PG_PORT });
let sql: string;
try {
  sql = await schemaDiffSql(lastMigrationCommit ? baseSchema : null, db.url);
} finally {
  await db.stop();
}
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log('schema unchanged since the last migration: nothing written');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(ROOT_DIR, 'prisma', 'migrations', `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${path.relative(ROOT_DIR, dir)}/migration.sql — review it, then npm run db:migrate`);
