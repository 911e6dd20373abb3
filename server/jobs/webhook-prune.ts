// webhooks.prune (scheduled daily): the inbox keeps finished events for WEBHOOK_RETENTION_DAYS, then deletes
// them — data minimisation (payloads hold customer data) and a bounded table. Events still waiting for their
// job ("received") are never pruned. Reconciliation only compares recent events (its window is minutes to a
// day), so older rows are not needed for it.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { pruneFinishedWebhookEvents } from '../adapters/shopify/webhook-event-repo.js';

export const WEBHOOK_PRUNE_JOB = 'webhooks.prune';
/** 30 days: long enough to investigate a month-old sync problem, short enough to hold little personal data. */
export const WEBHOOK_RETENTION_DAYS = 30;
/** Rows per DELETE: short statements, no long lock on the inbox while deliveries keep arriving. */
const BATCH = 1000;

export function webhookPruneJob(deps: JobDeps): JobHandler {
  return async (_job, ctx) => {
    const before = new Date(deps.now().getTime() - WEBHOOK_RETENTION_DAYS * 24 * 60 * 60_000);
    let total = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const n = await pruneFinishedWebhookEvents(deps.prisma, before, BATCH);
      total += n;
      if (n < BATCH) break;
    }
    if (total) ctx.log.info({ deleted: total, before }, 'old webhook events pruned');
  };
}
