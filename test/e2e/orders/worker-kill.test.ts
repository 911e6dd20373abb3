// Real processes: 200 order webhooks while the worker process is SIGKILLed at random points (and restarted)
// → 200 DNs in GreaterWMS, none duplicated, none lost, every one with the right lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, type Spawned } from '../../helpers/process.js';
import { killWorkersAtRandom, startHarness, spawnHarnessWorker, SHOP, type Harness } from './harness.js';

const ORDERS = 200;

describe('order workers SIGKILLed at random points', () => {
  let h: Harness;
  const procs: (Spawned & { pid?: number })[] = [];
  beforeAll(async () => {
    // The in-test worker stays off: only the child processes work.
    h = await startHarness({ worker: false, products: [{ sku: 'MUG-1', stock: 10_000 }, { sku: 'TEA-1', stock: 10_000 }] });
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) if (p.pid && isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    await h?.close();
  });

  const start = () => spawnHarnessWorker(h, procs, 'order worker', { ORDER_TRIGGER: 'created' });

  it('200 orders, workers killed every 0.3–1.5 s → 200 DNs, 0 duplicates, 0 lost, right lines', async () => {
    const orders: { id: string; qty: number }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const qty = 1 + (i % 4);
      const o = await h.placeOrder([{ sku: 'MUG-1', quantity: qty }, { sku: 'TEA-1', quantity: 1 }]);
      orders.push({ id: o.id, qty });
    }
    const killer = await killWorkersAtRandom(start, { count: 2, minMs: 300, maxMs: 1500 });
    // Deliver in batches of 20 (Shopify's sender runs concurrently) while the killer runs.
    for (let i = 0; i < ORDERS; i += 20) await Promise.all(orders.slice(i, i + 20).map((o) => h.webhook('orders/create', o.id)));
    await h.waitFor(async () => (await h.db.prisma.orderSync.count({ where: { shop: SHOP, state: 'in_warehouse' } })) === ORDERS, `${ORDERS} orders in_warehouse`, 240_000);
    const kills = await killer.stop();

    console.info(`worker-kill: ${kills} SIGKILLs while ${ORDERS} orders were synced`);
    expect(kills).toBeGreaterThanOrEqual(3);
    const rows = await h.db.prisma.orderSync.findMany({ where: { shop: SHOP } });
    expect(rows).toHaveLength(ORDERS);
    const dns = h.dns();
    const codes = rows.map((r) => r.dnCode!);
    expect(new Set(codes).size).toBe(ORDERS);
    const headersPerCode = new Map<string, number>();
    for (const d of dns) headersPerCode.set(d.dn_code, (headersPerCode.get(d.dn_code) ?? 0) + 1);
    expect(dns).toHaveLength(ORDERS); // no stray or duplicate headers
    expect(codes.filter((c) => headersPerCode.get(c) !== 1)).toEqual([]);
    const snap = h.wms.control.snapshot(h.wmsToken) as unknown as { dnLines: { dn_code: string; goods_code: string; goods_qty: number }[] };
    for (const o of orders) {
      const code = rows.find((r) => r.orderId === o.id)!.dnCode!;
      const lines = snap.dnLines.filter((l) => l.dn_code === code).map((l) => [l.goods_code, l.goods_qty]).sort();
      expect(lines, code).toEqual([['MUG-1', o.qty], ['TEA-1', 1]]);
    }
  }, 300_000);
});
