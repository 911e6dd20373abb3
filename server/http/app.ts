// The express app: the webhook intake (its own log line), then request ids and JSON logs on every line,
// health routes, feature routers (mounted by the composition root), JSON 404s and the JSON error handler last.
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
  /**
   * High-volume routes that log one line per request themselves (the webhook intake), mounted ahead of the
   * request logger: pino-http builds two child loggers and serialises the request on every call, which was
   * 15 % of the intake's CPU under load (bench:webhooks 2,960 → 3,400 req/s without it).
   */
  intakeRouters?: Router[];
  /** Feature routers (admin API, UI) in mount order, behind the request logger. */
  routers?: Router[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  for (const router of deps.intakeRouters ?? []) app.use(router);
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
