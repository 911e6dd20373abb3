// The express app: request ids and JSON logs on every line, health routes, then feature routers
// (mounted by the composition root), JSON 404s and the JSON error handler last.
import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type pg from 'pg';
import { errorHandler, notFound } from './errors.js';
import { healthRoutes } from './health-route.js';

export interface AppDeps {
  log: Logger;
  pool: pg.Pool;
  /** Feature routers (webhooks, admin API, UI) in mount order. */
  routers?: Router[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Lines logged through req.log carry only the request id (not the whole request again).
      quietReqLogger: true,
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(healthRoutes(deps.pool));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
