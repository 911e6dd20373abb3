// The oversell window through the whole app against both simulators (real HTTP, real worker): orders arrive as
// signed webhooks, order.sync reserves at intake, stock.sync pushes; GreaterWMS is kept from taking the orders
// for a while (503 on customer creation), so the warehouse still shows the last unit during a full poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOP, type Harness } from '../orders/harness.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { stockSyncJobSpec } from '../../../server/core/stock/stock-jobs.js';
import { expireOrderReservations } from '../../../server/core/stock/reservations.js';

describe('oversell window (order loop + stock sync, both simulators)', () => {
  let h: Harness;
  const available = () => h.shopify.quantities(SHOP, 'LAST-1')?.available;
  const openReservations = () => h.db.prisma.stockReservation.findMany({ where: { shop: SHOP, releasedAt: null } });
  const fullSync = async () => {
    const before = await h.db.prisma.stockSyncRun.count({ where: { shop: SHOP, mode: { startsWith: 'full' }, finishedAt: { not: null } } });
    await enqueue(h.db.prisma, stockSyncJobSpec(SHOP, { mode: 'full' }));
    // 45 s: on a loaded machine a cycle may hit the harness's 2 s GreaterWMS timeout once and wait out one
    // queue backoff (5 s, 10 s) before it runs again.
    await h
      .waitFor(async () => (await h.db.prisma.stockSyncRun.count({ where: { shop: SHOP, mode: { startsWith: 'full' }, finishedAt: { not: null } } })) > before, 'a full stock cycle', 45_000)
      .catch(async (e) => {
        console.log(await h.db.prisma.job.findMany({ where: { type: 'stock.sync' }, select: { state: true, attempts: true, lastError: true, runAt: true, payload: true } }));
        throw e;
      });
  };
  const idle = () =>
    h.waitFor(async () => (await h.db.prisma.job.count({ where: { type: 'stock.sync', state: { in: ['pending', 'running'] } } })) === 0, 'stock jobs done', 45_000).catch(async (e) => {
      console.log(await h.db.prisma.job.findMany({ where: { type: 'stock.sync' }, select: { state: true, attempts: true, lastError: true, runAt: true, payload: true } }));
      throw e;
    });

  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'LAST-1', stock: 1 }] });
  }, 60_000);
  afterAll(async () => h?.close());

  it('two orders for the last unit between polls: 0 after the first, held at 0 by a poll that still sees the unit, oversold alert for the second, reservations released once GreaterWMS has the DNs', async () => {
    await fullSync();
    expect(available()).toBe(1);

    const block = h.wms.control.faults.add({ method: 'POST', path: '/customer/', action: { kind: 'http503' } });
    const o1 = await h.placeOrder([{ sku: 'LAST-1', quantity: 1 }]);
    await h.webhook('orders/create', o1.id);
    await h.waitFor(async () => (await openReservations()).length === 1, 'first reservation');
    await idle();
    expect(available()).toBe(0);

    // A poll between the orders: GreaterWMS still says 1 (no DN yet); the reservation keeps the storefront at 0.
    await fullSync();
    expect(available()).toBe(0);
    const level = await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: 'LAST-1' } });
    expect(level).toMatchObject({ wmsAvailable: 1, reserved: 1, publish: 0 });

    const o2 = await h.placeOrder([{ sku: 'LAST-1', quantity: 1 }]);
    await h.webhook('orders/create', o2.id);
    await h.waitFor(async () => (await openReservations()).length === 2, 'second reservation');
    await idle();
    const oversold = await h.db.prisma.alert.findMany({ where: { shop: SHOP, kind: 'stock.oversold' } });
    expect(oversold.map((a) => a.subjectRef)).toEqual([`order:${o2.id}`]);
    expect(available()).toBe(0); // Shopify had -1 after the second order; the push sets the warehouse truth, 0

    h.wms.control.faults.remove(block);
    for (const o of [o1, o2]) await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', `order ${o.name} in warehouse`, 30_000);
    await h.waitFor(async () => (await openReservations()).length === 0, 'reservations released after the DN reads');
    await idle();
    expect(available()).toBe(0);
    const released = await h.db.prisma.stockReservation.findMany({ where: { shop: SHOP } });
    expect(released.map((r) => r.releaseReason)).toEqual(['confirmed', 'confirmed']);

    // Nothing left over: new stock shows in full.
    h.wms.control.stockIn(h.wmsToken, 'LAST-1', 5);
    await fullSync();
    expect(available()).toBe(5);
  }, 240_000);
});

describe('paid trigger: an unpaid order holds its units from intake (order loop + stock sync, both simulators)', () => {
  let h: Harness;
  const available = (sku: string) => h.shopify.quantities(SHOP, sku)?.available;
  const reservationsOf = (orderId: string) => h.db.prisma.stockReservation.findMany({ where: { shop: SHOP, orderId } });
  const idle = () => h.waitFor(async () => (await h.db.prisma.job.count({ where: { type: { in: ['stock.sync', 'order.sync', 'webhook.process'] }, state: { in: ['pending', 'running'] } } })) === 0, 'jobs done', 45_000);
  const fullSync = async () => {
    await enqueue(h.db.prisma, stockSyncJobSpec(SHOP, { mode: 'full' }));
    await idle();
  };
  const simOrder = (id: string) => h.shopify.store.shop(SHOP).orders.get(Number(id.split('/').pop()))!;

  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'PAY-1', stock: 1 }, { sku: 'CXL-P', stock: 1 }] });
    await h.db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: { orderTrigger: 'paid' } } });
    await fullSync();
  }, 60_000);
  afterAll(async () => h?.close());

  it('unpaid order for the last unit: Shopify shows 0 before payment, a poll keeps it, no expiry while unpaid; paid → DN, expiry would start, released by the DN read', async () => {
    expect(available('PAY-1')).toBe(1);
    const o = await h.placeOrder([{ sku: 'PAY-1', quantity: 1 }], { financialStatus: 'PENDING' });
    await h.webhook('orders/create', o.id);
    await h.waitFor(async () => (await reservationsOf(o.id)).length === 1, 'reservation of the unpaid order');
    await idle();
    expect((await h.orderRow(o.id))?.stateReason).toMatch(/waiting for payment/);
    expect(h.dns()).toHaveLength(0); // no DN before payment
    expect(available('PAY-1')).toBe(0);
    await fullSync(); // GreaterWMS still has the unit: the hold keeps the storefront at 0
    expect(available('PAY-1')).toBe(0);
    const [held] = await reservationsOf(o.id);
    expect(held).toMatchObject({ expiresAt: null, releasedAt: null });
    // A long-pending unpaid order does not expire (Shopify keeps its units committed until it is cancelled).
    expect(await expireOrderReservations(h.db.prisma, SHOP, new Date(Date.now() + 365 * 86_400_000))).toBe(0);

    const order = simOrder(o.id);
    order.financialStatus = 'PAID';
    h.shopify.store.touchOrder(order);
    await h.webhook('orders/updated', o.id); // the app subscribes to orders/updated, which a payment sends
    await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', 'paid order in the warehouse', 30_000);
    await h.waitFor(async () => (await reservationsOf(o.id)).every((r) => r.releasedAt), 'released after the DN read');
    await idle();
    const [done] = await reservationsOf(o.id);
    expect(done).toMatchObject({ releaseReason: 'confirmed' });
    expect(done!.expiresAt).not.toBeNull(); // the TTL started once the DN could be created
    expect(available('PAY-1')).toBe(0);
  }, 120_000);

  it('cancelled while unpaid: the reservation is released and the warehouse figure pushed back', async () => {
    const o = await h.placeOrder([{ sku: 'CXL-P', quantity: 1 }], { financialStatus: 'PENDING' });
    await h.webhook('orders/create', o.id);
    await h.waitFor(async () => (await reservationsOf(o.id)).length === 1, 'reservation of the unpaid order');
    await idle();
    expect(available('CXL-P')).toBe(0);

    h.shopify.cancelOrder(SHOP, o.id);
    // Cancelled without a restock in Shopify: only our push can bring the unit back on sale.
    const item = [...h.shopify.store.shop(SHOP).inventoryItems.values()].find((i) => i.sku === 'CXL-P')!;
    [...item.levels.values()][0]!.quantities.available = 0;
    await h.webhook('orders/cancelled', o.id);
    await h.waitFor(async () => (await reservationsOf(o.id)).every((r) => r.releasedAt), 'reservation released after the cancel');
    await idle();
    const [r] = await reservationsOf(o.id);
    expect(r).toMatchObject({ releaseReason: 'cancelled' });
    expect((await h.orderRow(o.id))?.state).toBe('cancelled');
    expect(available('CXL-P')).toBe(1);
  }, 120_000);
});
