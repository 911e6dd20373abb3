// /healthz: the process answers. /readyz: the database answers and every migration is applied.
import { Router } from 'express';
import type pg from 'pg';
import { pendingMigrations } from '../db/migrate.js';

export function healthRoutes(pool: pg.Pool): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    try {
      const pending = await pendingMigrations(pool);
      if (pending.length) {
        res.status(503).json({ status: 'not_ready', reason: 'migrations pending', pending });
        return;
      }
      res.json({ status: 'ready' });
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'not_ready', reason: 'database unreachable' });
    }
  });
  return router;
}
