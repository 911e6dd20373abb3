// Applies prisma/migrations with `prisma migrate deploy` (the CLI's offline JavaScript schema engine,
// configured in prisma.config.ts), and checks whether every migration has been applied (for /readyz).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT_DIR } from '../root-dir.js';

export { ROOT_DIR };
const MIGRATIONS_DIR = path.join(ROOT_DIR, 'prisma', 'migrations');
const PRISMA_CLI = path.join(ROOT_DIR, 'node_modules', 'prisma', 'build', 'index.js');

export function migrationNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

// Prisma's WebAssembly schema engine leaves a 10 s timer running after `migrate deploy` has finished
// (seen with 6.19.3: work done in ~1 s, exit after ~11 s). The CLI prints one of these lines only after the
// migrations are committed, so we stop waiting there; anything else is a failure and shows its output.
const DONE_LINES = [/All migrations have been successfully applied/, /No pending migrations to apply/];

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const child = spawn(process.execPath, [PRISMA_CLI, 'migrate', 'deploy'], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let done = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (!done && DONE_LINES.some((re) => re.test(output))) {
      done = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  if (!done && code !== 0) throw new Error(`prisma migrate deploy failed: ${output.trim()}`);
}

/** Names of migrations in prisma/migrations that are not applied (finished) in the database. */
export async function pendingMigrations(client: pg.ClientBase | pg.Pool): Promise<string[]> {
  let applied = new Set<string>();
  try {
    const res = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(res.rows.map((r) => r.migration_name));
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // table missing: nothing applied
  }
  return migrationNames().filter((m) => !applied.has(m));
}
