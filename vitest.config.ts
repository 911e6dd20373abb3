import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Process-level tests (real servers, SIGKILL, embedded PostgreSQL starts) need more than 5 s.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2 cores: more parallel files only add contention for PostgreSQL.
    maxWorkers: 2,
  },
});
