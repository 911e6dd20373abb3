// The order loop end to end against both simulators (real HTTP, real database, real queue worker): order
// webhook → DN in GreaterWMS → warehouse dispatch → fulfilment in Shopify with tracking; duplicates and
// out-of-order deliveries; the mapping and address holds; cancellations and edits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOP, type Harness } from './harness.js';
import { saveMapping } from '../../../server/core/mapping/save-mapping-use-case.js';
import { addTrackingNumber } from '../../../server/core/shipments/add-tracking-use-case.js';

describe('order loop against both simulators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'MUG-1', stock: 500 }, { sku: 'TEA-1', stock: 500 }, { sku: 'NEW-1', stock: 50 }], unmapped: ['NEW-1'] });
  }, 60_000);
  afterAll(async () => h?.close());

  const state = async (id: string) => (await h.orderRow(id))?.state;
  const waitState = (id: string, s: string) => h.waitFor(async () => (await state(id)) === s, `order ${id} → ${s} (now ${String(undefined)})`);

  it('happy path: order → one DN with the right lines and address → dispatched as "DHL <number>" → fulfilled in Shopify with tracking, audit trail recorded', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEA-1', quantity: 3 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const row = (await h.orderRow(o.id))!;
    const dn = h.dns().filter((d) => d.dn_code === row.dnCode);
    expect(dn).toHaveLength(1);
    expect(dn[0]!.dn_status).toBe(2);
    expect(h.dnLines(row.dnCode!).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 2], ['TEA-1', 3]]);
    // Address: one GreaterWMS customer per order, named after the DN code and the recipient, with the address.
    const customers = h.wms.control.snapshot(h.wmsToken) as unknown as { dn: { customer: string }[] };
    const customer = customers.dn.find((d) => (d as unknown as { dn_code: string }).dn_code === row.dnCode)!.customer;
    expect(customer).toContain('Ada Lovelace');

    h.wms.control.ship(h.wmsToken, { code: row.dnCode! }, 'DHL 00340434161094042557');
    await h.poll();
    await waitState(o.id, 'fulfilled');
    const fulfilments = h.shopify.fulfillments(SHOP) as unknown as { orderId: string; trackingInfo: { company: string; number: string; url: string }[]; lineItems: { quantity: number }[] }[];
    const mine = fulfilments.filter((f) => String(f.orderId).endsWith(o.id.split('/').pop()!));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.trackingInfo[0]).toMatchObject({ company: 'DHL Express', number: '00340434161094042557', url: 'https://www.dhl.com/track?tracking-id=00340434161094042557' });
    expect(mine[0]!.lineItems.reduce((s, l) => s + l.quantity, 0)).toBe(5);

    const calls = await h.db.prisma.externalCall.findMany({ where: { shop: SHOP, orderId: o.id }, orderBy: { id: 'asc' } });
    expect(calls.map((c) => `${c.system}:${c.operation}:${c.outcome}`)).toEqual(
      expect.arrayContaining(['storefront:getOrderForSync:ok', 'warehouse:createOutboundOrder:ok', 'storefront:createFulfillment:ok']),
    );
    expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
  });

  it('each webhook delivered 3 times and out of order (updated, create, create, updated, create, updated) → one DN, one fulfilment', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 1 }]);
    const older = new Date(Date.now() - 60_000).toISOString();
    const deliveries = [
      h.webhook('orders/updated', o.id, { webhookId: `u-${o.id}` }),
      h.webhook('orders/create', o.id, { webhookId: `c-${o.id}`, triggeredAt: older }),
      h.webhook('orders/create', o.id, { webhookId: `c-${o.id}`, triggeredAt: older }),
      h.webhook('orders/updated', o.id, { webhookId: `u-${o.id}` }),
      h.webhook('orders/create', o.id, { webhookId: `c2-${o.id}`, triggeredAt: older }),
      h.webhook('orders/updated', o.id, { webhookId: `u2-${o.id}` }),
    ];
    await Promise.all(deliveries);
    await waitState(o.id, 'in_warehouse');
    await h.waitFor(async () => (await h.db.prisma.job.count({ where: { type: { in: ['order.sync', 'webhook.process'] }, state: { in: ['pending', 'running'] } } })) === 0, 'queue drained');
    const code = (await h.orderRow(o.id))!.dnCode!;
    expect(h.dns().filter((d) => d.dn_code === code)).toHaveLength(1);
    h.wms.control.ship(h.wmsToken, { code }, 'UPS');
    await h.poll();
    await h.poll();
    await waitState(o.id, 'fulfilled');
    await h.poll();
    await h.waitFor(async () => (await h.db.prisma.job.count({ where: { state: { in: ['pending', 'running'] } } })) === 0, 'queue drained');
    const mine = (h.shopify.fulfillments(SHOP) as unknown as { orderId: string; trackingInfo: { company: string; number: string | null }[] }[]).filter((f) => String(f.orderId).endsWith(o.id.split('/').pop()!));
    expect(mine).toHaveLength(1);
    // No number from the warehouse: fulfilled without one (carrier "ups" from the driver name kept on our side).
    expect(mine[0]!.trackingInfo.filter((t) => t.number)).toHaveLength(0);
    const shipment = await h.db.prisma.orderShipment.findFirstOrThrow({ where: { shop: SHOP, orderId: o.id } });
    expect([shipment.trackingCompany, shipment.trackingNumber]).toEqual(['ups', null]);

    // The number arrives later (typed in the admin): added with fulfillmentTrackingInfoUpdate, no second fulfilment.
    await addTrackingNumber(h.db.prisma, SHOP, o.id, '1Z 999 AA1 0123 4567 84');
    await h.waitFor(async () => {
      const f = (h.shopify.fulfillments(SHOP) as unknown as { orderId: string; trackingInfo: { company: string | null; number: string | null }[] }[]).filter((x) => String(x.orderId).endsWith(o.id.split('/').pop()!));
      return f.length === 1 && f[0]!.trackingInfo.some((t) => t.number === '1Z999AA10123456784') ? f : false;
    }, 'tracking number added to the fulfilment');
  });

  it('unmapped SKU: held in needs_mapping listing the SKU with an alert; saving the mapping resumes it to one DN', async () => {
    const o = await h.placeOrder([{ sku: 'NEW-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'needs_mapping');
    expect(JSON.stringify((await h.orderRow(o.id))!.missingSkus)).toContain('NEW-1');
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'order.needs_mapping', subjectRef: `order:${o.id}`, resolvedAt: null } })).toBe(1);
    expect(h.dns().filter((d) => d.dn_code.includes(o.name.replace('#', '')))).toHaveLength(0);

    const r = await saveMapping(h.db.prisma, SHOP, { variantId: h.variantId('NEW-1'), sku: 'NEW-1', components: [{ goodsCode: 'NEW-1', quantity: 1 }] });
    expect(r.resumedOrders).toBeGreaterThanOrEqual(1);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual([['MUG-1', 1], ['NEW-1', 2]]);
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'order.needs_mapping', subjectRef: `order:${o.id}`, resolvedAt: null } })).toBe(0);
  });

  it('trigger "paid" (shop setting): an unpaid order waits in received; paid + orders/updated → one DN', async () => {
    await h.db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: { orderTrigger: 'paid' } } });
    try {
      const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 1 }], { financialStatus: 'PENDING' });
      await h.webhook('orders/create', o.id);
      await h.waitFor(async () => (await h.orderRow(o.id))?.stateReason?.startsWith('waiting for payment'), 'waiting for payment');
      expect((await h.orderRow(o.id))!.state).toBe('received');
      h.shopify.store.shop(SHOP).orders.get(Number(o.id.split('/').pop()))!.financialStatus = 'PAID';
      await h.webhook('orders/updated', o.id);
      await waitState(o.id, 'in_warehouse');
      const code = (await h.orderRow(o.id))!.dnCode!;
      expect(h.dns().filter((d) => d.dn_code === code)).toHaveLength(1);
    } finally {
      await h.db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: {} } });
    }
  });

  it('a line that no longer maps after the DN exists (mapping removed, order re-synced) → DN untouched, flagged edit_needs_mapping', async () => {
    const o = await h.placeOrder([{ sku: 'TEA-1', quantity: 2 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    const mapping = await h.db.prisma.skuMapping.findUniqueOrThrow({ where: { shop_variantId: { shop: SHOP, variantId: h.variantId('TEA-1') } } });
    await h.db.prisma.skuMapping.delete({ where: { shop_variantId: { shop: SHOP, variantId: mapping.variantId } } });
    try {
      await h.webhook('orders/updated', o.id);
      await h.waitFor(async () => ((await h.db.prisma.orderSync.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: o.id } } })).flags as string[]).includes('edit_needs_mapping'), 'flagged');
      expect((await h.orderRow(o.id))!.state).toBe('in_warehouse');
      expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty])).toEqual([['TEA-1', 2]]);
    } finally {
      await h.db.prisma.skuMapping.create({ data: { shop: SHOP, variantId: mapping.variantId, sku: mapping.sku, components: mapping.components as never } });
    }
  });

  it('a line that needs no shipping (gift card) is skipped and shown as such; the DN holds only the shipped line', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 1 }, { sku: 'GIFT-25', quantity: 1, requiresShipping: false } as never]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const row = await h.db.prisma.orderSync.findUniqueOrThrow({ where: { shop_orderId: { shop: SHOP, orderId: o.id } } });
    expect((row.skippedLines as { sku: string; reason: string }[]).map((l) => [l.sku, l.reason])).toEqual([['GIFT-25', 'no_shipping_required']]);
    expect(h.dnLines(row.dnCode!).map((l) => [l.goods_code, l.goods_qty])).toEqual([['MUG-1', 1]]);
  });

  it('no shipping address readable (protected customer data not approved) → needs_address, nothing sent to the warehouse', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 1 }], { shippingAddress: null });
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'needs_address');
    expect((await h.orderRow(o.id))!.dnCode).toBeNull();
  });

  it('cancel while the DN is still at status 1 (confirmation failing) → DN deleted, order cancelled', async () => {
    const fault = h.wms.control.faults.add({ method: 'POST', path: '/dn/neworder/', action: { kind: 'http503' } });
    try {
      const o = await h.placeOrder([{ sku: 'TEA-1', quantity: 1 }]);
      await h.webhook('orders/create', o.id);
      await waitState(o.id, 'queued');
      const code = (await h.orderRow(o.id))!.dnCode!;
      await h.waitFor(async () => h.dns().some((d) => d.dn_code === code && d.dn_status === 1 && d.customer !== ''), 'draft DN with lines');
      h.shopify.cancelOrder(SHOP, o.id);
      await h.webhook('orders/cancelled', o.id);
      await waitState(o.id, 'cancelled');
      expect(h.dns().filter((d) => d.dn_code === code)).toHaveLength(0);
    } finally {
      h.wms.control.faults.remove(fault);
    }
  });

  it('cancel once the warehouse released it (status 3) → cancel_requested_in_warehouse + alert; DN kept', async () => {
    const o = await h.placeOrder([{ sku: 'TEA-1', quantity: 1 }]);
    await h.webhook('orders/create', o.id);
    await waitState(o.id, 'in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    h.wms.control.release(h.wmsToken, { code });
    h.shopify.cancelOrder(SHOP, o.id);
    await h.webhook('orders/cancelled', o.id);
    await waitState(o.id, 'cancel_requested_in_warehouse');
    expect(h.dns().filter((d) => d.dn_code === code).map((d) => d.dn_status)).toEqual([3]);
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'order.cancel_requested_in_warehouse', subjectRef: `order:${o.id}` } })).toBe(1);
  });
});
