// Reservations against both simulators: concurrent intakes for the last unit, the published value held at 0
// while the warehouse still shows the unit, release only by a warehouse read that started after the DN was
// confirmed (or the order cancelled), expiry with an alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStockHarness, type StockHarness } from './stock-harness.js';
import { expireOrderReservations, reserveForOrder, settleOrderReservations } from '../../../server/core/stock/reservations.js';

const ADDRESS = { name: 'Ada Lovelace', address1: '12 St James Sq', city: 'London', zip: 'SW1Y 4JH', country: 'GB' };
const open = (h: StockHarness, goodsCode: string) => h.db.prisma.stockReservation.findMany({ where: { shop: h.shop, goodsCode, releasedAt: null }, orderBy: { id: 'asc' } });

describe('reservations', () => {
  let h: StockHarness;
  beforeAll(async () => {
    h = await startStockHarness([
      { sku: 'LAST-1', wms: 1, shopify: 1 },
      { sku: 'CXL-1', wms: 4, shopify: 4 },
      { sku: 'EXP-1', wms: 5, shopify: 5 },
    ]);
    await h.sync();
  }, 60_000);
  afterAll(async () => h?.close());

  it('two concurrent intakes for the last unit: exactly one is covered, the other is alerted as oversold; the storefront shows 0', async () => {
    const [a, b] = await Promise.all([
      reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/1', [{ goodsCode: 'LAST-1', quantity: 1 }]),
      reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/2', [{ goodsCode: 'LAST-1', quantity: 1 }]),
    ]);
    expect([a.reserved[0]!.covered, b.reserved[0]!.covered].sort()).toEqual([false, true]);
    const alerts = await h.db.prisma.alert.findMany({ where: { shop: h.shop, kind: 'stock.oversold' } });
    expect(alerts).toHaveLength(1);
    // The intake enqueued a goods push; run it as the worker would.
    const jobs = await h.db.prisma.job.findMany({ where: { type: 'stock.sync', shop: h.shop } });
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs[0]!.payload).toEqual({ mode: 'goods', goods: ['LAST-1'], read: false });
    await h.sync({ kind: 'goods', goods: ['LAST-1'], read: false });
    expect(h.available('LAST-1')).toBe(0);
  });

  it('a repeat intake with the same lines changes nothing', async () => {
    const again = await reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/1', [{ goodsCode: 'LAST-1', quantity: 1 }]);
    expect(again.unchanged).toBe(true);
    expect(await open(h, 'LAST-1')).toHaveLength(2);
  });

  it('a full poll while the warehouse still shows the unit keeps the storefront at 0', async () => {
    await h.sync();
    expect(h.available('LAST-1')).toBe(0);
    const level = await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: h.shop, sku: 'LAST-1' } });
    expect(level).toMatchObject({ wmsAvailable: 1, reserved: 1, publish: 0 });
  });

  it('DN confirmed: a read that started before the settle keeps the reservation; the next read releases it; a later intake is not reserved again', async () => {
    await h.warehouse.createOutboundOrder({ orderId: 'gid://shopify/Order/1', orderName: '#1', lines: [{ sku: 'LAST-1', quantity: 1 }], recipient: ADDRESS });
    // Settled "in the future" relative to the read: the read cannot be known to reflect the DN.
    await settleOrderReservations(h.db.prisma, h.shop, 'gid://shopify/Order/1', 'confirmed', new Date(Date.now() + 60_000));
    await h.sync({ kind: 'goods', goods: ['LAST-1'], read: true });
    expect(await open(h, 'LAST-1')).toHaveLength(2);
    await h.db.prisma.stockReservation.updateMany({ where: { shop: h.shop, orderId: 'gid://shopify/Order/1' }, data: { settledAt: new Date(Date.now() - 1) } });
    await h.sync({ kind: 'goods', goods: ['LAST-1'], read: true });
    const left = await open(h, 'LAST-1');
    expect(left.map((r) => r.orderId)).toEqual(['gid://shopify/Order/2']);
    expect(h.available('LAST-1')).toBe(0);
    const repeat = await reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/1', [{ goodsCode: 'LAST-1', quantity: 1 }]);
    expect(repeat).toEqual({ reserved: [], unchanged: true });
  });

  it('order cancelled before the warehouse had it: released at the next read, the units come back', async () => {
    await reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/3', [{ goodsCode: 'CXL-1', quantity: 3 }]);
    await h.sync({ kind: 'goods', goods: ['CXL-1'], read: false });
    expect(h.available('CXL-1')).toBe(1);
    const goods = await settleOrderReservations(h.db.prisma, h.shop, 'gid://shopify/Order/3', 'cancelled');
    expect(goods).toEqual(['CXL-1']);
    await h.sync({ kind: 'goods', goods, read: true });
    expect(h.available('CXL-1')).toBe(4);
    const r = await h.db.prisma.stockReservation.findFirstOrThrow({ where: { shop: h.shop, orderId: 'gid://shopify/Order/3' } });
    expect(r.releaseReason).toBe('cancelled');
    expect(r.releasedAt).not.toBeNull();
  });

  it('reservation past its expiry → released with an alert, value restored', async () => {
    const now = new Date();
    await reserveForOrder(h.db.prisma, h.shop, 'gid://shopify/Order/4', [{ goodsCode: 'EXP-1', quantity: 2 }], now, 1000);
    await h.sync({ kind: 'goods', goods: ['EXP-1'], read: false });
    expect(h.available('EXP-1')).toBe(3);
    expect(await expireOrderReservations(h.db.prisma, h.shop, new Date(now.getTime() + 500))).toBe(0);
    expect(await expireOrderReservations(h.db.prisma, h.shop, new Date(now.getTime() + 2000))).toBe(1);
    const alert = await h.db.prisma.alert.findFirstOrThrow({ where: { shop: h.shop, kind: 'stock.reservation_expired' } });
    expect(alert.subjectRef).toBe('order:gid://shopify/Order/4');
    await h.sync({ kind: 'goods', goods: ['EXP-1'], read: false });
    expect(h.available('EXP-1')).toBe(5);
  });

  it('hot cycle reads only goods sold within the window', async () => {
    const r = await h.sync({ kind: 'hot' });
    // LAST-1 (order 2 still open), CXL-1 and EXP-1 were all sold just now: 3 goods, 3 variants.
    expect(r.variants).toBe(3);
    const quiet = await h.sync({ kind: 'hot' });
    expect(quiet.changed).toBe(0);
  });
});
