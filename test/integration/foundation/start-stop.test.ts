// The README's promise: `npm start` with no environment at all comes up on an embedded PostgreSQL.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, spawnTs, waitFor } from '../../helpers/process.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('process start and stop', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wms-start-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('no environment: cold start on embedded PostgreSQL is ready within 15 s; SIGTERM exits 0 within 5 s leaving no postgres', async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const dataDir = path.join(tmp, 'pg');
    const env = { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_PG_DIR: dataDir, LOG_LEVEL: 'warn' };
    const started = Date.now();
    const app = spawnTs('server/main.ts', [], env);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 15_000, `readyz\n${app.output()}`);
    const readyAfter = Date.now() - started;
    expect(readyAfter).toBeLessThan(15_000);
    const postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(isAlive(postmasterPid)).toBe(true);

    const stopAt = Date.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    expect(code, app.output()).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5_000);
    await waitFor(async () => !isAlive(postmasterPid), 2_000, 'postgres to exit');

    // A second start reuses the data directory (no initdb) and comes up again.
    const again = spawnTs('server/main.ts', [], env);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 15_000, `second readyz\n${again.output()}`);
    again.child.kill('SIGINT');
    expect((await again.exited).code, again.output()).toBe(0);
  }, 60_000);

  it('a bad configuration value stops the start with one line naming the variable', async () => {
    const app = spawnTs('server/main.ts', [], { PORT: 'not-a-port', DATABASE_URL: 'postgresql://x@127.0.0.1:1/x' });
    const { code } = await app.exited;
    expect(code).toBe(78);
    const lines = app.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /);
  });

  it('an unknown --role is rejected by name', async () => {
    const app = spawnTs('server/main.ts', ['--role', 'chef'], { DATABASE_URL: 'postgresql://x@127.0.0.1:1/x' });
    expect((await app.exited).code).toBe(78);
    expect(app.output()).toMatch(/ROLES must be a comma-separated list/);
  });
});
