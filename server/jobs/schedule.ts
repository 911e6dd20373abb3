// Recurring jobs, declared in one place. The scheduler (server/queue/scheduler.ts) enqueues each entry once
// per slot across all processes. To add one, add an entry: a fixed spec, or a function returning one spec
// per shop (e.g. `jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ … shop }))`).
import type { ScheduleEntry } from '../queue/scheduler.js';
import { installedShops } from '../core/shops/shop-repo.js';
import { config } from '../config.js';
import { RETURNS_POLL_INTERVAL_MS } from './return-poll.js';
import { RETURNS_RECONCILE_INTERVAL_MS } from './return-reconcile.js';
import { stockSyncJobSpec } from '../core/stock/stock-jobs.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function buildSchedule(): ScheduleEntry[] {
  return [
    // Retention (server/queue/prune.ts): hourly keeps each run's delete small.
    { name: 'jobs.prune', everyMs: HOUR, jobs: { type: 'jobs.prune', payload: {} } },
    // Missed-webhook safety net (server/jobs/orders-reconcile.ts): every 15 min per installed shop costs
    // ~60 query points per page, far below the bucket; a missed order is picked up within ~25 min.
    {
      name: 'orders.reconcile',
      everyMs: 15 * MINUTE,
      jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ type: 'orders.reconcile', payload: { shop }, shop })),
    },
    // Shipments back from the warehouse (server/jobs/shipments-poll.ts): GreaterWMS has no webhooks.
    { name: 'shipments.poll', everyMs: config().SHIPMENT_POLL_INTERVAL_MS, jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ type: 'shipments.poll', payload: { shop }, shop })) },
    // Stock (server/jobs/stock-sync.ts, docs/stock.md): full reconcile, fast cycle for recently sold goods, expiry.
    { name: 'stock.full', everyMs: config().STOCK_FULL_INTERVAL_MS, jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => stockSyncJobSpec(shop, { mode: 'full' })) },
    { name: 'stock.hot', everyMs: config().STOCK_HOT_INTERVAL_MS, jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => stockSyncJobSpec(shop, { mode: 'hot' })) },
    { name: 'reservations.expire', everyMs: 5 * MINUTE, jobs: { type: 'reservations.expire', payload: {} } },
    // Inbox retention (server/jobs/webhook-prune.ts): finished webhook events older than 30 days.
    { name: 'webhooks.prune', everyMs: 24 * HOUR, jobs: { type: 'webhooks.prune', payload: {} } },
    // Return inbounds received/put away by warehouse staff (server/jobs/return-poll.ts): GreaterWMS has no webhooks.
    { name: 'returns.poll', everyMs: RETURNS_POLL_INTERVAL_MS, jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ type: 'returns.poll', payload: { shop }, shop })) },
    // Missed returns/* webhooks (server/jobs/return-reconcile.ts): returns of orders updated in the last day.
    { name: 'returns.reconcile', everyMs: RETURNS_RECONCILE_INTERVAL_MS, jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ type: 'returns.reconcile', payload: { shop }, shop })) },
  ];
}
