// Schema SQL from prisma/schema.prisma via `prisma migrate diff` between datamodels. We need this because the
// JS schema engine cannot open a shadow database for `migrate dev` ("PostgreSQL shadow DB must be provided
// through an external factory", 6.19.3) — see docs/architecture.md "Creating a migration". The CLI still
// connects its adapter to `databaseUrl` (any reachable PostgreSQL; nothing is written).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT_DIR } from './migrate.js';

const run = promisify(execFile);
const PRISMA_CLI = path.join(ROOT_DIR, 'node_modules', 'prisma', 'build', 'index.js');

/** SQL that turns a database matching `fromSchemaFile` (or an empty one) into prisma/schema.prisma. */
export async function schemaDiffSql(fromSchemaFile: string | null, databaseUrl: string): Promise<string> {
  const from = fromSchemaFile ? ['--from-schema-datamodel', fromSchemaFile] : ['--from-empty'];
  const { stdout } = await run(
    process.execPath,
    [PRISMA_CLI, 'migrate', 'diff', ...from, '--to-schema-datamodel', path.join('prisma', 'schema.prisma'), '--script'],
    {
      cwd: ROOT_DIR,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}
