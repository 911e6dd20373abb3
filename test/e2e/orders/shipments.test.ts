// Shipments back and edits, end to end against both simulators: a short allocation splits a back order
// (partial fulfilment of what shipped, the back order tracked until it ships too), a short pick (partial,
// flagged), a bundle, edits while the DN is a draft (lines replaced) and after confirmation (flagged), and a
// lost fulfillmentCreate answer (no second fulfilment).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOP, type Harness } from './harness.js';
import { saveMapping } from '../../../server/core/mapping/save-mapping-use-case.js';
import { orderServicesFrom } from '../../../server/jobs/order-services.js';
import { RetryableError } from '../../../server/core/errors.js';

interface SimFulfilment {
  orderId: string;
  lineItems: { quantity: number; sku?: string }[];
  trackingInfo: { number: string | null }[];
}

describe('shipments back and edits against both simulators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'MUG-1', stock: 500 }, { sku: 'LOW-1', stock: 1 }, { sku: 'SET-1', stock: 0 }, { sku: 'TEA-1', stock: 500 }], unmapped: ['SET-1'] });
    // A bundle: one SET-1 = 2 mugs + 1 tea.
    await saveMapping(h.db.prisma, SHOP, { variantId: h.variantId('SET-1'), sku: 'SET-1', components: [{ goodsCode: 'MUG-1', quantity: 2 }, { goodsCode: 'TEA-1', quantity: 1 }] });
  }, 60_000);
  afterAll(async () => h?.close());

  const state = async (id: string) => (await h.orderRow(id))?.state;
  const waitState = (id: string, s: string) => h.waitFor(async () => (await state(id)) === s, `order ${id} → ${s}`);
  const fulfilmentsOf = (id: string) => (h.shopify.fulfillments(SHOP) as unknown as SimFulfilment[]).filter((f) => String(f.orderId).endsWith(id.split('/').pop()!));
  const units = (fs: SimFulfilment[]) => fs.flatMap((f) => f.lineItems).reduce((s, l) => s + l.quantity, 0);
  const drained = () => h.waitFor(async () => (await h.db.prisma.job.count({ where: { state: { in: ['pending', 'running'] } } })) === 0, 'queue drained');

  it('back order: 1 of 3 in stock → partial fulfilment of 1 (partially_shipped); the back order ships later → second fulfilment of 2 → fulfilled', async () => {
    const o = await h.placeOrder([{ sku: 'LOW-1', quantity: 3 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    h.wms.control.release(h.wmsToken, { code });
    const back = h.dns().find((d) => d.back_order_label && d.customer === h.dns().find((x) => x.dn_code === code)!.customer)!;
    expect(back).toBeDefined();
    h.wms.control.pick(h.wmsToken, { code });
    h.wms.control.dispatch(h.wmsToken, { code }, 'DHL 111');
    await h.poll();
    await waitState(o.id, 'partially_shipped');
    await drained();
    expect(units(fulfilmentsOf(o.id))).toBe(1);

    h.wms.control.stockIn(h.wmsToken, 'LOW-1', 5);
    h.wms.control.ship(h.wmsToken, { code: back.dn_code }, 'DHL 222');
    await h.poll();
    await waitState(o.id, 'fulfilled');
    const fs = fulfilmentsOf(o.id);
    expect(fs.map((f) => units([f]))).toEqual([1, 2]);
    expect(fs.map((f) => f.trackingInfo[0]?.number)).toEqual(['111', '222']);
    // A later poll changes nothing.
    await h.poll();
    await drained();
    expect(fulfilmentsOf(o.id)).toHaveLength(2);
  });

  it('short pick: 4 ordered, 3 picked and dispatched → fulfilment of 3, partially_shipped with a short_shipped alert', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 4 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    h.wms.control.release(h.wmsToken, { code });
    h.wms.control.pick(h.wmsToken, { code }, { 'MUG-1': 1 });
    h.wms.control.dispatch(h.wmsToken, { code }, 'DHL 333');
    await h.poll();
    await waitState(o.id, 'partially_shipped');
    await drained();
    expect(units(fulfilmentsOf(o.id))).toBe(3);
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'order.short_shipped', subjectRef: `order:${o.id}` } })).toBe(1);
  });

  it('bundle: 2 × SET-1 → DN of 4 MUG-1 + 2 TEA-1 → fulfilled as 2 SET-1', async () => {
    const o = await h.placeOrder([{ sku: 'SET-1', quantity: 2 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 4], ['TEA-1', 2]]);
    h.wms.control.ship(h.wmsToken, { code }, 'DHL 444');
    await h.poll();
    await waitState(o.id, 'fulfilled');
    expect(units(fulfilmentsOf(o.id))).toBe(2);
  });

  it('edit while the DN is a draft (confirmation failing) → DN lines replaced, not added; edit after confirmation → flagged edit_not_applied + alert', async () => {
    const fault = h.wms.control.faults.add({ method: 'POST', path: '/dn/neworder/', action: { kind: 'http503' } });
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 3 }, { sku: 'TEA-1', quantity: 1 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'queued');
    const code = (await h.orderRow(o.id))!.dnCode!;
    await h.waitFor(async () => h.dnLines(code).length > 0, 'draft lines');
    h.shopify.editOrder(SHOP, o.id, [{ sku: 'MUG-1', delta: -2 }]);
    await h.webhook('orders/updated', o.id);
    await new Promise((r) => setTimeout(r, 300));
    h.wms.control.faults.remove(fault);
    await waitState(o.id, 'in_warehouse');
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 1], ['TEA-1', 1]]);

    h.shopify.editOrder(SHOP, o.id, [{ sku: 'TEA-1', delta: -1 }]);
    await h.webhook('orders/updated', o.id);
    await h.waitFor(async () => (await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'order.edit_not_applied', subjectRef: `order:${o.id}` } })) === 1, 'edit flagged');
    const row = await h.db.prisma.orderSync.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: o.id } } });
    expect(row.flags).toEqual(['edit_not_applied']);
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 1], ['TEA-1', 1]]);
  });

  it('fulfillmentCreate answer lost (Shopify created it, our call failed) → the retry finds it and creates no second fulfilment', async () => {
    const real = orderServicesFrom(h.deps);
    let lost = 0;
    h.deps.orderServices = {
      warehouse: real.warehouse,
      tracking: real.tracking,
      warehouseForShop: real.warehouseForShop,
      trackingForShop: real.trackingForShop,
      storefront: (shop: string) => {
        const sf = real.storefront(shop);
        return {
          ...sf,
          createFulfillment: async (input: Parameters<typeof sf.createFulfillment>[0]) => {
            const r = await sf.createFulfillment(input);
            if (lost++ === 0) throw new RetryableError('test.lost_answer', 'connection reset after Shopify committed');
            return r;
          },
        };
      },
    };
    try {
      const o = await h.placeOrder([{ sku: 'TEA-1', quantity: 2 }]);
      await h.webhook('orders/create', o.id);
      await waitState(o.id, 'in_warehouse');
      h.wms.control.ship(h.wmsToken, { code: (await h.orderRow(o.id))!.dnCode! }, 'DHL 555');
      await h.poll();
      await waitState(o.id, 'fulfilled');
      await drained();
      expect(lost).toBe(1);
      expect(fulfilmentsOf(o.id)).toHaveLength(1);
      const calls = await h.db.prisma.externalCall.findMany({ where: { orderId: o.id, operation: 'createFulfillment' } });
      expect(calls.map((c) => c.outcome)).toEqual(['error']);
    } finally {
      delete h.deps.orderServices;
    }
  });
});
