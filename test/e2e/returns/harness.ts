// Returns end to end against both simulators over real HTTP: the orders e2e harness (test database, GreaterWMS
// simulator tenant with stocked goods, Shopify simulator shop, the app's POST /webhooks) with a queue worker
// that also runs the returns jobs with fast retries, plus helpers to ship an order and read return state.
import { Worker } from '../../../server/queue/worker.js';
import { buildJobHandlers } from '../../../server/jobs/registry.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { RETURNS_POLL_JOB } from '../../../server/core/returns/return-jobs.js';
import { refundPayload } from '../../sim/shopify/payloads.js';
import { FAST_RETRY, SHOP, silentLog, startHarness, type Harness } from '../orders/harness.js';

export { SHOP };

export interface StockRow {
  goods_code: string;
  can_order_stock: number;
  inspect_stock: number;
  hold_stock: number;
  damage_stock: number;
  asn_stock: number;
}

export interface ReturnsHarness extends Harness {
  returnsWorker: Worker;
  /** Places an order, lets the app send it to the warehouse, ships it there and waits for the fulfilment. */
  shippedOrder(lines: { sku: string; quantity: number }[]): Promise<{ id: string; name: string }>;
  /** refunds/create with a payload built once (so repeats are the same refund), signed, through POST /webhooks. */
  refundPayload(orderId: string, lines: { sku: string; quantity: number; restockType: 'no_restock' | 'cancel' | 'return' }[]): Record<string, unknown>;
  sendRefund(payload: Record<string, unknown>, webhookId?: string): Promise<void>;
  sendReturn(topic: string, returnId: string, webhookId?: string): Promise<void>;
  pollReturns(): Promise<void>;
  lines(sourceId: string): Promise<{ id: bigint; sku: string | null; state: string; disposition: string | null; inboundCode: string | null; quantity: number }[]>;
  waitLines(sourceId: string, pred: (states: string[]) => boolean, what: string): Promise<string[]>;
  stock(code: string): StockRow;
  asns(): { asn_code: string; asn_status: number }[];
  asnLines(code: string): { goods_code: string; goods_qty: number }[];
  setAutoReceive(on: boolean): Promise<void>;
  drained(): Promise<void>;
}

export async function startReturnsHarness(products: { sku: string; stock: number }[]): Promise<ReturnsHarness> {
  const h = await startHarness({ products, worker: false });
  const types = ['order.sync', 'fulfilment.create', 'shipments.poll', 'webhook.process', 'return.process', 'refund.apply', 'returns.poll', 'returns.reconcile'];
  const returnsWorker = new Worker({
    pool: h.db.pool,
    log: silentLog,
    handlers: buildJobHandlers(h.deps),
    retryPolicies: Object.fromEntries(types.map((t) => [t, FAST_RETRY])),
    concurrency: 4,
    pollIntervalMs: 100,
  });
  await returnsWorker.start();
  const snap = () => h.wms.control.snapshot(h.wmsToken);
  const url = `${h.appUrl}/webhooks`;
  const rh: ReturnsHarness = {
    ...h,
    returnsWorker,
    async shippedOrder(lines) {
      const o = await h.placeOrder(lines);
      await h.webhook('orders/create', o.id);
      await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', `order ${o.name} in_warehouse`);
      const code = (await h.orderRow(o.id))!.dnCode!;
      h.wms.control.ship(h.wmsToken, { code }, 'DHL 123');
      await h.poll();
      await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'fulfilled', `order ${o.name} fulfilled`);
      return o;
    },
    refundPayload(orderId, lines) {
      const s = h.shopify.store.shop(SHOP);
      const order = s.orders.get(Number(orderId.split('/').pop()))!;
      const fo = s.fulfillmentOrders.get(order.fulfillmentOrderIds[0] ?? -1);
      return refundPayload(s, order, {
        id: h.shopify.store.id(),
        createdAt: h.shopify.store.nowIso(),
        lines: lines.map((l) => ({ lineItemId: order.lineItems.find((li) => li.sku === l.sku)!.id, quantity: l.quantity, restockType: l.restockType, locationId: fo?.locationId ?? null })),
      }) as Record<string, unknown>;
    },
    async sendRefund(payload, webhookId) {
      await h.shopify.webhooks.send({ shop: SHOP, topic: 'refunds/create', payload, url, ...(webhookId ? { webhookId } : {}) } as never);
    },
    async sendReturn(topic, returnId, webhookId) {
      await h.shopify.webhooks.sendReturn(SHOP, topic, returnId, { url, ...(webhookId ? { webhookId } : {}) } as never);
    },
    async pollReturns() {
      await enqueue(h.db.prisma, { type: RETURNS_POLL_JOB, payload: { shop: SHOP }, shop: SHOP });
    },
    async lines(sourceId) {
      const c = await h.db.prisma.returnCase.findUnique({ where: { shop_sourceId: { shop: SHOP, sourceId } }, include: { lines: { orderBy: { id: 'asc' } } } });
      return c?.lines ?? [];
    },
    async waitLines(sourceId, pred, what) {
      return h.waitFor(async () => {
        const states = (await rh.lines(sourceId)).map((l) => l.state);
        return states.length > 0 && pred(states) ? states : false;
      }, `${what} (${sourceId})`);
    },
    stock(code) {
      const row = (snap().stock as StockRow[]).find((r) => r.goods_code === code);
      return row ?? { goods_code: code, can_order_stock: 0, inspect_stock: 0, hold_stock: 0, damage_stock: 0, asn_stock: 0 };
    },
    asns() {
      return (snap().asn as { asn_code: string; asn_status: number }[]).filter((a) => a.asn_code.startsWith('RET-'));
    },
    asnLines(code) {
      return (snap().asnLines as { asn_code: string; goods_code: string; goods_qty: number }[]).filter((l) => l.asn_code === code);
    },
    async setAutoReceive(on) {
      const row = await h.db.prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
      await h.db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: { ...(row.settings as object), returnsAutoReceive: on } } });
    },
    async drained() {
      await h.waitFor(async () => (await h.db.prisma.job.count({ where: { state: { in: ['pending', 'running'] }, runAt: { lte: new Date(Date.now() + 1000) } } })) === 0, 'queue drained');
    },
    async close() {
      await returnsWorker.stop().catch(() => {});
      await h.close();
    },
  };
  return rh;
}
