// resumeHeldOrders: re-runs the sync of a shop's held or failed orders (e.g. after protected customer data
// access was granted, after fixing the warehouse connection, or from an admin "retry all" button). Each
// order re-reads its current state, so resuming an order that is still blocked just holds it again.
import type { PrismaClient } from '@prisma/client';
import { enqueueMany } from '../../queue/enqueue.js';
import { ordersInState } from '../../db/repos/order-sync-repo.js';
import { orderSyncJobSpec } from './order-jobs.js';

export const RESUMABLE_STATES = ['needs_address', 'needs_mapping', 'failed', 'received'] as const;

export async function resumeHeldOrders(
  prisma: PrismaClient,
  shop: string,
  states: readonly (typeof RESUMABLE_STATES)[number][] = RESUMABLE_STATES,
): Promise<{ resumed: number }> {
  return prisma.$transaction(async (tx) => {
    const rows = await ordersInState(tx, shop, [...states]);
    await enqueueMany(tx, rows.map((r) => orderSyncJobSpec(shop, r.orderId)));
    return { resumed: rows.length };
  });
}
