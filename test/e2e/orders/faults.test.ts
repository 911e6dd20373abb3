// The order loop under warehouse faults (GreaterWMS simulator fault injection over real HTTP): an outage,
// lost answers at each creation step, and random lost answers over many orders — always exactly one DN per
// order with the right lines (quantities never added twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('order loop under GreaterWMS faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ products: [{ sku: 'MUG-1', stock: 5000 }, { sku: 'TEA-1', stock: 5000 }] });
  }, 60_000);
  afterAll(async () => h?.close());

  const inWarehouse = (id: string) => h.waitFor(async () => (await h.orderRow(id))?.state === 'in_warehouse', `order ${id} in_warehouse`, 30_000);
  const assertOneDn = async (id: string, lines: [string, number][]) => {
    const code = (await h.orderRow(id))!.dnCode!;
    const headers = h.dns().filter((d) => d.dn_code === code);
    expect(headers).toHaveLength(1);
    expect(headers[0]!.dn_status).toBe(2);
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty]).sort()).toEqual(lines);
  };

  it('GreaterWMS answers 503 for a while: the order waits (retried, audit shows the errors) and goes through after recovery, one DN', async () => {
    const fault = h.wms.control.faults.add({ action: { kind: 'http503' } });
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 2 }]);
    await h.webhook('orders/create', o.id);
    await h.waitFor(async () => (await h.db.prisma.externalCall.count({ where: { orderId: o.id, system: 'warehouse', outcome: 'error' } })) >= 3, 'three failed attempts');
    expect((await h.orderRow(o.id))!.state).toBe('queued');
    h.wms.control.faults.remove(fault);
    await inWarehouse(o.id);
    await assertOneDn(o.id, [['MUG-1', 2]]);
  });

  for (const [step, rule] of [
    ['customer', { method: 'POST', path: '/customer/' }],
    ['lines probe', { method: 'POST', path: '/dn/detail/' }],
    ['header', { method: 'POST', path: '/dn/list/' }],
    ['confirmation', { method: 'POST', path: '/dn/neworder/' }],
  ] as const) {
    it(`lost answer (committed, then the connection dropped) at the ${step} step → one DN, right lines`, async () => {
      h.wms.control.faults.add({ ...rule, times: 1, action: { kind: 'commitThenDrop' } });
      const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 3 }, { sku: 'TEA-1', quantity: 1 }]);
      await h.webhook('orders/create', o.id);
      await inWarehouse(o.id);
      await assertOneDn(o.id, [['MUG-1', 3], ['TEA-1', 1]]);
      expect(h.wms.control.faults.list()).toHaveLength(0); // the drop did happen
    });
  }

  it('random lost answers on 30 % of writes over 15 orders (seeded) → 15 DNs, none duplicated, none with doubled quantities', async () => {
    h.wms.control.faults.seed(7);
    const fault = h.wms.control.faults.add({ method: 'POST', probability: 0.3, action: { kind: 'commitThenDrop' } });
    try {
      const orders = [];
      for (let i = 0; i < 15; i++) orders.push(await h.placeOrder([{ sku: 'MUG-1', quantity: 1 + (i % 3) }, { sku: 'TEA-1', quantity: 2 }]));
      await Promise.all(orders.map((o) => h.webhook('orders/create', o.id)));
      for (const o of orders) await inWarehouse(o.id);
      for (const [i, o] of orders.entries()) await assertOneDn(o.id, [['MUG-1', 1 + (i % 3)], ['TEA-1', 2]]);
    } finally {
      h.wms.control.faults.remove(fault);
    }
  }, 60_000);
});
