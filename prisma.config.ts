// Prisma CLI configuration. The JavaScript schema engine (`engine: 'js'`) runs migrations through
// @prisma/adapter-pg, so no engine binary has to be downloaded: installs and migrations work offline.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { migrationAdapterFactory } from './server/db/migration-adapter.js';

// `prisma generate` needs no database, but without DATABASE_URL the CLI cannot resolve the schema's
// `env("DATABASE_URL")` and falls back to downloading a query engine — which fails offline (seen on a clean
// `npm ci`). A placeholder keeps generate offline; commands that connect still get the clear error below.
const databaseUrlGiven = Boolean(process.env.DATABASE_URL);
process.env.DATABASE_URL ??= 'postgresql://placeholder@127.0.0.1:5432/placeholder';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!databaseUrlGiven || !url) throw new Error('DATABASE_URL must be set for Prisma CLI commands (npm run db:migrate sets it for you)');
    return migrationAdapterFactory(url);
  },
});
