// Prisma CLI configuration. The JavaScript schema engine (`engine: 'js'`) runs migrations through
// @prisma/adapter-pg, so no engine binary has to be downloaded: installs and migrations work offline.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { migrationAdapterFactory } from './server/db/migration-adapter.js';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL must be set for Prisma CLI commands (npm run db:migrate sets it for you)');
    return migrationAdapterFactory(url);
  },
});
