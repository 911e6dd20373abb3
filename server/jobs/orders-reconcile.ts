// orders.reconcile (scheduled, one job per installed shop): Shopify does not guarantee webhook delivery,
// so we list the orders updated since the last run and, for each one whose latest update we never
// received, store a stand-in event ("reconcile:<order>:<updatedAt>", source reconcile) and enqueue
// webhook.process for it exactly like a delivered webhook (same transaction, same dedupe).
import type { JobHandler } from '../queue/types.js';
import type { JobDeps } from './registry.js';
import { enqueue } from '../queue/enqueue.js';
import { PermanentError } from '../core/errors.js';
import { findShop, setOrdersReconciledAt } from '../core/shops/shop-repo.js';
import { shopifyPlatformFrom } from '../adapters/shopify/platform.js';
import { ORDERS_UPDATED_SINCE_QUERY } from '../adapters/shopify/graphql/orders.js';
import { latestSeenOrderUpdates } from '../adapters/shopify/webhook-event-repo.js';
import { recordDeliveryInTx } from '../adapters/shopify/webhook-intake.js';

export const ORDERS_RECONCILE_JOB = 'orders.reconcile';
/** Orders updated in the last 10 min are left alone: their webhooks are normally seconds away. */
export const RECONCILE_GRACE_MS = 10 * 60_000;
/** First run of a shop looks back one day (Shopify says deliveries can be delayed up to a day). */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60_000;
/** 50 orders per page ≈ 50–60 cost points; 20 pages per run, the rest continues on the next run. */
const PAGE_SIZE = 50;
const MAX_PAGES = 20;

interface OrderNode {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
}
interface OrdersPage {
  orders: { nodes: OrderNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export interface ReconcilePayload {
  shop?: string;
}

export function ordersReconcileJob(deps: JobDeps): JobHandler<ReconcilePayload> {
  return async (job, ctx) => {
    const shop = job.shop ?? job.payload?.shop;
    if (!shop) throw new PermanentError('reconcile.no_shop', 'orders.reconcile needs a shop');
    const row = await findShop(deps.prisma, shop);
    if (!row || row.uninstalledAt) return; // uninstalled since it was scheduled
    const until = new Date(deps.now().getTime() - RECONCILE_GRACE_MS);
    const since = row.ordersReconciledAt ?? new Date(until.getTime() - FIRST_LOOKBACK_MS);
    if (since >= until) return;

    const admin = shopifyPlatformFrom(deps).admin(shop);
    const query = `updated_at:>'${since.toISOString()}' AND updated_at:<='${until.toISOString()}'`;
    let after: string | null = null;
    let enqueued = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      ctx.signal.throwIfAborted();
      const data: OrdersPage = await admin.request<OrdersPage>(ORDERS_UPDATED_SINCE_QUERY, { variables: { first: PAGE_SIZE, after, query }, signal: ctx.signal });
      const nodes = data.orders.nodes;
      const seen = await latestSeenOrderUpdates(deps.prisma, shop, nodes.map((n) => n.id));
      const missing = nodes.filter((n) => {
        const s = seen.get(n.id);
        return !s || s.getTime() < new Date(n.updatedAt).getTime();
      });
      const last = nodes[nodes.length - 1];
      const more = data.orders.pageInfo.hasNextPage && !!last;
      await deps.prisma.$transaction(async (tx) => {
        for (const n of missing) {
          const legacy = Number(n.legacyResourceId);
          const payload = {
            id: Number.isSafeInteger(legacy) ? legacy : n.legacyResourceId,
            admin_graphql_api_id: n.id,
            name: n.name,
            created_at: n.createdAt,
            updated_at: n.updatedAt,
            cancelled_at: n.cancelledAt,
            // Only what the list query returned: handlers re-fetch the order anyway.
            reconciled: true,
          };
          const r = await recordDeliveryInTx(tx, enqueue, {
            shop,
            topic: seen.has(n.id) ? 'orders/updated' : 'orders/create',
            webhookId: `reconcile:${n.id}:${n.updatedAt}`,
            source: 'reconcile',
            triggeredAt: n.updatedAt,
            payloadJson: JSON.stringify(payload),
            payload,
          });
          if (r.stored) enqueued++;
        }
        // Cursor moves with the work: a crash re-reads at most this page (stand-ins dedupe on webhook id).
        // (1 ms back: orders sharing that updated_at are re-read next run, and found already seen.)
        await setOrdersReconciledAt(tx, shop, more ? new Date(new Date(last.updatedAt).getTime() - 1) : until);
      });
      if (!more) break;
      after = data.orders.pageInfo.endCursor;
    }
    if (enqueued) ctx.log.warn({ shop, enqueued }, 'orders reconciled: webhooks had been missed');
  };
}
