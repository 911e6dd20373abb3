// returns.reconcile: Shopify does not guarantee webhook delivery. Returns of recently updated orders that we
// have no case for (returns/approve missed) get one and are processed; known cases whose platform status
// differs from what we recorded (returns/cancel or /close missed) are re-run. Everything else is left alone.
import type { PrismaClient } from '@prisma/client';
import type { ReturnSource } from './return-ports.js';
import { ensureCase, findCaseBySource } from '../../db/repos/return-case-repo.js';
import { enqueueMany } from '../../queue/enqueue.js';
import { returnProcessJobSpec } from './return-jobs.js';
import type { JobSpec } from '../../queue/types.js';

/** Statuses that never need a new case: nothing is coming back (REQUESTED waits for approval). */
const NOTHING_TO_DO = new Set(['REQUESTED', 'DECLINED', 'CANCELED', 'CANCELLED']);

export async function reconcileReturns(prisma: PrismaClient, source: ReturnSource, shop: string, since: Date): Promise<{ created: number; rerun: number }> {
  if (!source.recentReturns) return { created: 0, rerun: 0 };
  const recent = await source.recentReturns(since);
  let created = 0;
  let rerun = 0;
  const specs: JobSpec[] = [];
  await prisma.$transaction(async (tx) => {
    for (const r of recent) {
      const known = await findCaseBySource(tx, shop, r.id);
      if (!known) {
        if (NOTHING_TO_DO.has(r.status.toUpperCase())) continue;
        const c = await ensureCase(tx, { shop, source: 'return', sourceId: r.id, name: null, orderId: r.orderId });
        specs.push(returnProcessJobSpec(shop, c.id));
        created++;
      } else if ((known.platformStatus ?? '').toUpperCase() !== r.status.toUpperCase() && !['done', 'cancelled'].includes(known.status)) {
        specs.push(returnProcessJobSpec(shop, known.id));
        rerun++;
      }
    }
    await enqueueMany(tx, specs);
  });
  return { created, rerun };
}
