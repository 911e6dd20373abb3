// Real processes: 60 refunds (returned goods, automatic receiving) while the worker processes are SIGKILLed at
// random points and restarted → exactly one ASN per refund, each with the refunded quantity once, every line
// stock_reflected, and GreaterWMS's sellable stock up by exactly the refunded units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, type Spawned } from '../../helpers/process.js';
import { killWorkersAtRandom, startHarness, spawnHarnessWorker, SHOP, type Harness } from '../orders/harness.js';
import { refundPayload } from '../../sim/shopify/payloads.js';

const REFUNDS = 60;

describe('returns workers SIGKILLed at random points', () => {
  let h: Harness;
  const procs: (Spawned & { pid?: number })[] = [];
  beforeAll(async () => {
    h = await startHarness({ worker: false, products: [{ sku: 'MUG-1', stock: 1000 }, { sku: 'TEA-1', stock: 1000 }] });
    await h.db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: { returnsAutoReceive: true } } });
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) if (p.pid && isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    await h?.close();
  });

  const start = () => spawnHarnessWorker(h, procs, 'returns worker');

  it('60 refunds, workers killed every 0.2–0.8 s → 60 ASNs, 0 duplicates, quantities once, stock up by the refunded units', async () => {
    const before = (h.wms.control.snapshot(h.wmsToken).stock as { goods_code: string; can_order_stock: number }[]).find((r) => r.goods_code === 'MUG-1')!.can_order_stock;
    const s = h.shopify.store.shop(SHOP);
    const refunds: { payload: Record<string, unknown>; qty: number }[] = [];
    for (let i = 0; i < REFUNDS; i++) {
      const qty = 1 + (i % 3);
      const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 3 }, { sku: 'TEA-1', quantity: 1 }]);
      const order = s.orders.get(Number(o.id.split('/').pop()))!;
      const payload = refundPayload(s, order, {
        id: h.shopify.store.id(),
        createdAt: h.shopify.store.nowIso(),
        lines: [{ lineItemId: order.lineItems.find((li) => li.sku === 'MUG-1')!.id, quantity: qty, restockType: 'return' }],
      }) as Record<string, unknown>;
      refunds.push({ payload, qty });
    }
    const killer = await killWorkersAtRandom(start, { count: 2, minMs: 200, maxMs: 800 });
    const url = `${h.appUrl}/webhooks`;
    for (let i = 0; i < REFUNDS; i += 10) {
      await Promise.all(refunds.slice(i, i + 10).map((r) => h.shopify.webhooks.send({ shop: SHOP, topic: 'refunds/create', payload: r.payload, url } as never)));
    }
    await h.waitFor(async () => (await h.db.prisma.returnLine.count({ where: { shop: SHOP, state: 'stock_reflected' } })) === REFUNDS, `${REFUNDS} lines stock_reflected`, 240_000);
    const kills = await killer.stop();

    console.info(`returns worker-kill: ${kills} SIGKILLs while ${REFUNDS} refunds were announced and received`);
    expect(kills).toBeGreaterThanOrEqual(3);
    const lines = await h.db.prisma.returnLine.findMany({ where: { shop: SHOP }, include: { returnCase: true } });
    expect(lines).toHaveLength(REFUNDS);
    const snap = h.wms.control.snapshot(h.wmsToken) as unknown as { asn: { asn_code: string; asn_status: number }[]; asnLines: { asn_code: string; goods_code: string; goods_qty: number }[]; stock: { goods_code: string; can_order_stock: number }[] };
    const ours = snap.asn.filter((a) => a.asn_code.startsWith('RET-'));
    expect(ours).toHaveLength(REFUNDS);
    expect(new Set(ours.map((a) => a.asn_code)).size).toBe(REFUNDS);
    expect(ours.every((a) => a.asn_status === 5)).toBe(true);
    for (const r of refunds) {
      const line = lines.find((l) => l.returnCase.sourceId === r.payload.admin_graphql_api_id)!;
      expect(snap.asnLines.filter((l) => l.asn_code === line.inboundCode).map((l) => [l.goods_code, l.goods_qty]), line.inboundCode!).toEqual([['MUG-1', r.qty]]);
    }
    const total = refunds.reduce((n, r) => n + r.qty, 0);
    expect(snap.stock.find((r) => r.goods_code === 'MUG-1')!.can_order_stock - before).toBe(total);
  }, 300_000);
});
