// `npm run db:migrate`: applies migrations to DATABASE_URL, or to the embedded PostgreSQL when unset.
import { config } from '../config.js';
import { createLogger } from '../logger.js';
import { resolveDatabase } from './database-url.js';
import { migrateDeploy } from './migrate.js';

const cfg = config();
const log = createLogger({ level: cfg.LOG_LEVEL });
const db = await resolveDatabase({ databaseUrl: cfg.DATABASE_URL, embeddedDir: cfg.EMBEDDED_PG_DIR, embeddedPort: cfg.EMBEDDED_PG_PORT, log });
try {
  await migrateDeploy(db.url);
  log.info('migrations applied');
} finally {
  await db.stop();
}
