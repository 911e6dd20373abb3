// A bundle through the whole app against both simulators: its sellable quantity is min floor(component / qty)
// in Shopify, an order for it reserves and ships its components, and the plain product sharing a component
// drops with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOP, type Harness } from '../orders/harness.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import { saveMapping } from '../../../server/core/mapping/save-mapping-use-case.js';
import { stockSyncJobSpec } from '../../../server/core/stock/stock-jobs.js';

describe('bundle (order loop + stock sync, both simulators)', () => {
  let h: Harness;
  const available = (sku: string) => h.shopify.quantities(SHOP, sku)?.available;
  const idle = () => h.waitFor(async () => (await h.db.prisma.job.count({ where: { type: { in: ['stock.sync', 'order.sync'] }, state: { in: ['pending', 'running'] } } })) === 0, 'jobs done');

  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'MUG-1', stock: 7 }, { sku: 'TEA-1', stock: 5 }, { sku: 'GIFTSET', stock: 0 }] });
    await saveMapping(h.db.prisma, SHOP, { variantId: h.variantId('GIFTSET'), sku: 'GIFTSET', components: [{ goodsCode: 'MUG-1', quantity: 2 }, { goodsCode: 'TEA-1', quantity: 1 }] });
  }, 60_000);
  afterAll(async () => h?.close());

  it('bundle publishes min floor(component / qty); an order for it sends and reserves the components; the shared component drops for the plain product too', async () => {
    await enqueue(h.db.prisma, stockSyncJobSpec(SHOP, { mode: 'full' }));
    await idle();
    expect({ set: available('GIFTSET'), mug: available('MUG-1'), tea: available('TEA-1') }).toEqual({ set: 3, mug: 7, tea: 5 });

    const o = await h.placeOrder([{ sku: 'GIFTSET', quantity: 2 }]);
    await h.webhook('orders/create', o.id);
    await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', 'bundle order in warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 4], ['TEA-1', 2]]);
    const reserved = await h.db.prisma.stockReservation.findMany({ where: { shop: SHOP, orderId: o.id }, orderBy: { goodsCode: 'asc' } });
    expect(reserved.map((r) => [r.goodsCode, r.quantity])).toEqual([['MUG-1', 4], ['TEA-1', 2]]);
    await h.waitFor(async () => (await h.db.prisma.stockReservation.count({ where: { shop: SHOP, releasedAt: null } })) === 0, 'released after the DN read');
    await idle();
    // Warehouse now: MUG 3, TEA 3 → set floor(3/2)=1, mug 3, tea 3.
    expect({ set: available('GIFTSET'), mug: available('MUG-1'), tea: available('TEA-1') }).toEqual({ set: 1, mug: 3, tea: 3 });
  }, 60_000);
});
