// return.process (payload {caseId}, ordering key per case): runs processReturnCase
// (server/core/returns/return-process-use-case.ts). A permanent failure — or a retryable one on the last
// attempt — is shown on the case (statusReason + alert) and the job ends: the next event, the poll or a rule
// save runs the case again.
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { PermanentError, isRetryable } from '../core/errors.js';
import { processReturnCase } from '../core/returns/return-process-use-case.js';
import { findCase, updateCase } from '../db/repos/return-case-repo.js';
import { raiseAlert } from '../db/repos/order-sync-repo.js';
import { returnServicesFrom } from './return-services.js';

export function returnProcessJob(deps: JobDeps): JobHandler<{ caseId?: string }> {
  return async (job, ctx) => {
    const shop = job.shop;
    const raw = job.payload?.caseId;
    if (!shop || typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new PermanentError('returns.bad_job', `return.process needs a shop and a caseId, got ${JSON.stringify(job.payload)}`);
    const caseId = BigInt(raw);
    const services = returnServicesFrom(deps);
    try {
      const r = await processReturnCase(
        { prisma: deps.prisma, storefront: services.storefront(shop), warehouse: services.warehouse(shop), inbounds: services.inbounds(shop), now: deps.now, log: ctx.log },
        shop,
        caseId,
      );
      ctx.log.debug({ shop, caseId: raw, ...r }, 'return case processed');
    } catch (err) {
      if (isRetryable(err) && job.attempts < job.maxAttempts) throw err;
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      ctx.log.error({ err, shop, caseId: raw }, 'return case processing failed');
      const c = await findCase(deps.prisma, shop, caseId);
      if (!c) return;
      await updateCase(deps.prisma, shop, caseId, { statusReason: reason });
      await raiseAlert(deps.prisma, { shop, kind: 'return.failed', subjectRef: `return:${c.sourceId}`, message: `Return ${c.name ?? c.sourceId} could not be processed: ${reason.slice(0, 300)}` });
    }
  };
}
