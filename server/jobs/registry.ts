// Job type → handler wiring: the one place a job type is registered. To add one, write its handler
// (server/jobs/<type>-job.ts, a factory taking JobDeps) and add ONE line to `buildJobHandlers`:
//   'webhook.process': job(webhookProcessJob(deps)),
// Optional per-type retry policy: one line in `jobRetryPolicies` (defaults in server/queue/retry-policy.ts).
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { JobHandler } from '../queue/types.js';
import type { RetryPolicy } from '../queue/retry-policy.js';
import { pruneJobsHandler } from '../queue/prune.js';
import { webhookProcessJob } from './webhook-process.js';
import { ordersReconcileJob } from './orders-reconcile.js';
import { webhookPruneJob } from './webhook-prune.js';
import { orderSyncJob } from './order-sync.js';
import { shipmentsPollJob } from './shipments-poll.js';
import { fulfilmentCreateJob } from './fulfilment-create.js';
import { stockSyncJob } from './stock-sync.js';
import { reservationExpireJob } from './reservation-expire.js';
import { returnProcessJob } from './return-process.js';
import { refundApplyJob } from './refund-apply.js';
import { returnsPollJob } from './return-poll.js';
import { returnsReconcileJob } from './return-reconcile.js';
import { catalogueSyncJob } from './catalogue-sync.js';

/** What job handlers may use. Other areas add their services here as named (optional) fields. */
export interface JobDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  log: Logger;
  config: Config;
  /** The queue's clock (tests inject one). */
  now: () => Date;
  /** Open bag: services added by other areas (warehouse/storefront adapters, …) until they get a typed field. */
  [service: string]: unknown;
}

/** Erases a handler's payload type for the registry (handlers validate their own payloads). */
export function job<P>(handler: JobHandler<P>): JobHandler {
  return handler as JobHandler;
}

export function buildJobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return {
    'jobs.prune': job(pruneJobsHandler(deps)),
    'webhook.process': job(webhookProcessJob(deps)),
    'orders.reconcile': job(ordersReconcileJob(deps)),
    'webhooks.prune': job(webhookPruneJob(deps)),
    'order.sync': job(orderSyncJob(deps)),
    'shipments.poll': job(shipmentsPollJob(deps)),
    'fulfilment.create': job(fulfilmentCreateJob(deps)),
    'stock.sync': job(stockSyncJob(deps)),
    'reservations.expire': job(reservationExpireJob(deps)),
    'return.process': job(returnProcessJob(deps)),
    'refund.apply': job(refundApplyJob(deps)),
    'returns.poll': job(returnsPollJob(deps)),
    'returns.reconcile': job(returnsReconcileJob(deps)),
    'catalogue.sync': job(catalogueSyncJob(deps)),
  };
}

/** Per job type retry overrides (maxAttempts, baseDelayMs, maxDelayMs, jitter). */
export const jobRetryPolicies: Record<string, Partial<RetryPolicy>> = {
  // Housekeeping: the next hourly run tries again anyway.
  'jobs.prune': { maxAttempts: 3 },
  // Stock cycles share one ordering key per shop: a long retry would hold the shop's later cycles; the last attempt
  // alerts and the next scheduled cycle (1 min hot, 15 min full) tries again. 4 attempts = 5 s, 10 s, 20 s waits.
  'stock.sync': { maxAttempts: 4 },
};
