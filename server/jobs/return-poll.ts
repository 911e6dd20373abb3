// returns.poll (scheduled per installed shop): GreaterWMS has no webhooks, so cases with lines waiting for the
// warehouse (announced, received, put away) are re-run; each run reads its inbounds' status.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError } from '../core/errors.js';
import { caseIdsWithLinesIn } from '../db/repos/return-case-repo.js';
import { AWAITING_WAREHOUSE } from '../core/returns/return-state.js';
import { returnProcessJobSpec } from '../core/returns/return-jobs.js';
import { enqueueMany } from '../queue/enqueue.js';

/** 5 min: returns take days to arrive; a put-away shows up in the shop's stock within one interval + the stock sync. */
export const RETURNS_POLL_INTERVAL_MS = 5 * 60_000;

export function returnsPollJob(deps: JobDeps): JobHandler<{ shop?: string }> {
  return async (job, ctx) => {
    const shop = job.shop ?? job.payload?.shop;
    if (!shop) throw new PermanentError('returns.no_shop', 'returns.poll needs a shop');
    const ids = await caseIdsWithLinesIn(deps.prisma, shop, AWAITING_WAREHOUSE);
    await enqueueMany(deps.prisma, ids.map((id) => returnProcessJobSpec(shop, id)));
    if (ids.length) ctx.log.debug({ shop, cases: ids.length }, 'returns awaiting the warehouse re-run');
  };
}
