// The stock cycle against both simulators over real HTTP (GreaterWMS → database → Shopify): arithmetic as the
// storefront sees it, compare-and-set conflicts, idempotency keys on retries, activation, batching, vanished rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStockHarness, type StockHarness } from './stock-harness.js';
import { setBuffer } from '../../../server/db/repos/stock-repo.js';
import { RetryableError } from '../../../server/core/errors.js';
import { PUSH_CONCURRENCY, runStockSync } from '../../../server/core/stock/stock-sync-use-case.js';
import { listStock, requestStockSync, setVariantBuffer, stockSyncProgress } from '../../../server/core/stock/stock-visibility-use-case.js';

const ADDRESS = { name: 'Ada Lovelace', address1: '12 St James Sq', city: 'London', zip: 'SW1Y 4JH', country: 'GB' };

function noDuplicatePairs(h: StockHarness): void {
  for (const call of h.sets) {
    const ids = call.items.map((i) => `${i.inventoryItemId}|${call.locationId}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(call.items.length).toBeLessThanOrEqual(250);
  }
}

function setSimAvailable(h: StockHarness, sku: string, value: number): void {
  const item = [...h.shopify.store.shop(h.shop).inventoryItems.values()].find((i) => i.sku === sku)!;
  const level = [...item.levels.values()][0]!;
  level.quantities.available = value;
}

describe('stock cycle against the simulators', () => {
  let h: StockHarness;
  beforeAll(async () => {
    h = await startStockHarness(
      [
        { sku: 'PLAIN-1', wms: 10, shopify: 3 },
        { sku: 'BUF-1', wms: 2, shopify: 5 },
        { sku: 'BOLT', wms: 7, shopify: null, noVariant: true },
        { sku: 'NUT', wms: 5, shopify: null, noVariant: true },
        { sku: 'KIT-1', wms: 0, shopify: 0, components: [{ goodsCode: 'BOLT', quantity: 2 }, { goodsCode: 'NUT', quantity: 1 }] },
        { sku: 'EMPTY-1', wms: 0, shopify: 4 },
        { sku: 'NEW-1', wms: 6, shopify: null },
        { sku: 'VAN-1', wms: 3, shopify: 0 },
      ],
      { defaultBuffer: 1 },
    );
    await setBuffer(h.db.prisma, h.shop, h.variantId('BUF-1'), 5);
  }, 60_000);
  afterAll(async () => h?.close());

  it('full cycle: buffer (default and override larger than stock → 0, never negative), bundle = min floor(component / qty), goods without a warehouse row → 0, item not stocked → activated and set', async () => {
    const r = await h.sync();
    expect({
      plain: h.available('PLAIN-1'),
      buf: h.available('BUF-1'),
      kit: h.available('KIT-1'),
      empty: h.available('EMPTY-1'),
      fresh: h.available('NEW-1'),
      van: h.available('VAN-1'),
    }).toEqual({ plain: 9, buf: 0, kit: 2, empty: 0, fresh: 5, van: 2 });
    expect(r.activated).toBe(1);
    const kit = await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: h.shop, sku: 'KIT-1' } });
    expect(kit).toMatchObject({ wmsAvailable: 3, buffer: 1, reserved: 0, publish: 2, seen: 2 });
    expect(kit.pushedAt).not.toBeNull();
    const buf = await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: h.shop, sku: 'BUF-1' } });
    expect(buf).toMatchObject({ wmsAvailable: 2, buffer: 5, publish: 0 });
    noDuplicatePairs(h);
    const run = await h.db.prisma.stockSyncRun.findUniqueOrThrow({ where: { id: r.runId } });
    expect(run).toMatchObject({ mode: 'full', total: 6, error: null });
    expect(run.finishedAt).not.toBeNull();
  });

  it('a second full cycle with nothing changed sends no quantity set at all', async () => {
    const before = h.sets.length;
    const r = await h.sync();
    expect(r.changed).toBe(0);
    expect(h.sets.length).toBe(before);
  });

  it('CAS conflict (quantity changed in Shopify behind our back) → stale, re-read, recomputed value pushed once', async () => {
    setSimAvailable(h, 'PLAIN-1', 42);
    h.wms.control.stockIn(h.wmsToken, 'PLAIN-1', 5);
    const item = (await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: h.shop, sku: 'PLAIN-1' } })).inventoryItemId!;
    const from = h.sets.length;
    const r = await h.sync();
    expect(h.available('PLAIN-1')).toBe(14);
    expect(r.staleRetries).toBe(1);
    const mine = h.sets.slice(from).flatMap((c) => c.items.filter((i) => i.inventoryItemId === item));
    // First with the value we had seen (9) → stale; then once with the value re-read (42).
    expect(mine).toEqual([
      { inventoryItemId: item, quantity: 14, expected: 9 },
      { inventoryItemId: item, quantity: 14, expected: 42 },
    ]);
    const rejected = await h.db.prisma.stockPushBatch.count({ where: { shop: h.shop, state: 'rejected' } });
    expect(rejected).toBe(1);
  });

  it('retried push (Shopify 503 three times, job fails) reuses its outbox idempotency key and quantities; applied once', async () => {
    h.wms.control.stockIn(h.wmsToken, 'NEW-1', 4);
    h.shopify.faults.failNext(3, 503);
    const from = h.sets.length;
    await expect(h.sync()).rejects.toBeInstanceOf(RetryableError);
    const pending = await h.db.prisma.stockPushBatch.findFirstOrThrow({ where: { shop: h.shop, state: 'pending' } });
    expect(h.sets.slice(from).map((s) => s.idempotencyKey)).toEqual([pending.idempotencyKey]);
    await h.sync();
    const resent = h.sets.slice(from + 1)[0]!;
    expect(resent.idempotencyKey).toBe(pending.idempotencyKey);
    expect(resent.items).toEqual(h.sets[from]!.items);
    expect(await h.db.prisma.stockPushBatch.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ state: 'done' });
    expect(h.available('NEW-1')).toBe(9);
    // Every HTTP attempt of that batch carried the same key (3 refused by the fault + 1 answered).
    const attempts = h.shopify.calls.filter((c) => (c.variables as { idempotencyKey?: string } | null)?.idempotencyKey === pending.idempotencyKey);
    expect(attempts.map((c) => c.status)).toEqual([503, 503, 503, 200]);
  });

  it('ITEM_NOT_STOCKED_AT_LOCATION on set → activated, then set', async () => {
    const item = [...h.shopify.store.shop(h.shop).inventoryItems.values()].find((i) => i.sku === 'PLAIN-1')!;
    item.levels.clear();
    h.wms.control.stockIn(h.wmsToken, 'PLAIN-1', 1);
    const r = await h.sync();
    expect(r.activated).toBe(1);
    expect(h.available('PLAIN-1')).toBe(15);
    const refused = await h.db.prisma.stockPushBatch.findFirst({ where: { shop: h.shop, state: 'rejected', error: { contains: 'ITEM_NOT_STOCKED_AT_LOCATION' } } });
    expect(refused).not.toBeNull();
  });

  it('goods whose warehouse row vanished at 0 (all dispatched) → 0 on the next full cycle', async () => {
    const order = await h.warehouse.createOutboundOrder({ orderId: 'gid://shopify/Order/900', orderName: '#900', lines: [{ sku: 'VAN-1', quantity: 3 }], recipient: ADDRESS });
    h.wms.control.ship(h.wmsToken, { code: order.ref.code });
    const rows = await h.warehouse.readStock();
    expect(rows.levels.some((l) => l.warehouseCode === 'VAN-1')).toBe(false);
    await h.sync();
    expect(h.available('VAN-1')).toBe(0);
    expect(await h.db.prisma.stockGoods.findUniqueOrThrow({ where: { shop_goodsCode: { shop: h.shop, goodsCode: 'VAN-1' } } })).toMatchObject({ available: 0 });
  });
});

describe('batching', () => {
  let h: StockHarness;
  beforeAll(async () => {
    h = await startStockHarness(Array.from({ length: 260 }, (_, i) => ({ sku: `B-${String(i).padStart(3, '0')}`, wms: 1 + (i % 7), shopify: 0 })));
  }, 120_000);
  afterAll(async () => h?.close());

  it('260 changed items → two calls (250 + 10), no item/location pair twice in a call', async () => {
    const r = await h.sync();
    expect(r.pushed).toBe(260);
    expect(h.sets.map((s) => s.items.length).sort((x, y) => y - x)).toEqual([250, 10]); // sent concurrently: any order
    noDuplicatePairs(h);
    expect(h.available('B-259')).toBe(1 + (259 % 7));
  });
});

describe('percentage buffer of the shop', () => {
  let h: StockHarness;
  beforeAll(async () => {
    h = await startStockHarness([
      { sku: 'PCT-25', wms: 25, shopify: 0 },
      { sku: 'PCT-1', wms: 1, shopify: 1 },
      { sku: 'PCT-OWN', wms: 25, shopify: 0 },
    ]);
    await h.db.prisma.shop.update({ where: { domain: h.shop }, data: { settings: { stockBuffer: 2, stockBufferPercent: 10 } } });
    await setBuffer(h.db.prisma, h.shop, h.variantId('PCT-OWN'), 1);
  }, 60_000);
  afterAll(async () => h?.close());

  it("holds back max(units, ceil(10 % of sellable)); a variant's own buffer replaces both", async () => {
    await h.sync();
    expect({ p25: h.available('PCT-25'), p1: h.available('PCT-1'), own: h.available('PCT-OWN') }).toEqual({ p25: 22, p1: 0, own: 24 });
    const level = await h.db.prisma.stockLevel.findFirstOrThrow({ where: { shop: h.shop, sku: 'PCT-25' } });
    expect(level).toMatchObject({ wmsAvailable: 25, buffer: 3, publish: 22 });
  });
});

describe('cold cycle on 1,300 variants never seen', () => {
  let h: StockHarness;
  beforeAll(async () => {
    // 5 goods shared by 1,300 variants (G-1 … G-5 hold 1 … 5): the simulator's 500 requests/s limit stays far away.
    h = await startStockHarness([
      ...Array.from({ length: 5 }, (_, g) => ({ sku: `G-${g + 1}`, wms: g + 1, shopify: null, noVariant: true })),
      ...Array.from({ length: 1_300 }, (_, i) => ({ sku: `C-${String(i).padStart(4, '0')}`, wms: 0, shopify: i % 3, components: [{ goodsCode: `G-${1 + (i % 5)}`, quantity: 1 }] })),
    ]);
  }, 120_000);
  afterAll(async () => h?.close());

  it('looks up item and current value in one pass (one call per 250 variants, no second read), runs at most PUSH_CONCURRENCY push batches at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const base = h.deps.storefront;
    h.deps.storefront = {
      ...base,
      maxBatch: base.maxBatch,
      // Each set is held 100 ms so overlapping batches are visible whatever the machine's speed.
      setAvailable: async (input) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          await new Promise((r) => setTimeout(r, 100));
          return await base.setAvailable(input);
        } finally {
          inFlight--;
        }
      },
    };
    const from = h.shopify.calls.length;
    const r = await h.sync();
    const ops = h.shopify.calls.slice(from).map((c) => /^\s*(?:query|mutation)\s+(\w+)/.exec(c.query ?? '')?.[1]);
    expect(ops.filter((o) => o === 'VariantInventoryAtLocation')).toHaveLength(6); // 5 × 250 + 50
    expect(ops).not.toContain('AvailableAtLocation');
    // Variants already showing the warehouse figure (shopify = wms) are not pushed: seen came from the lookup.
    const same = Array.from({ length: 1_300 }, (_, i) => i).filter((i) => 1 + (i % 5) === i % 3).length;
    expect(r.changed).toBe(1_300 - same);
    expect(h.sets.map((s) => s.items.length).sort((x, y) => y - x)).toEqual([250, 250, 250, 250, 1_300 - same - 1_000]); // 1,128 changed
    expect(maxInFlight).toBe(PUSH_CONCURRENCY);
    noDuplicatePairs(h);
    for (const i of [0, 1, 7, 649, 1_299]) expect(h.available(`C-${String(i).padStart(4, '0')}`)).toBe(1 + (i % 5));
    const seenAt = await h.db.prisma.stockLevel.count({ where: { shop: h.shop, seenAt: null } });
    expect(seenAt).toBe(0);
  });
});

describe('concurrent pushes against a small cost bucket', () => {
  let h: StockHarness;
  beforeAll(async () => {
    // 60 points restoring 10/s: the location read (52) and six lookups (4 each) leave too little for four 10-point
    // sets at once. Without pacing, sets throttled together wake together and run out of attempts (checked).
    h = await startStockHarness(
      [
        ...Array.from({ length: 5 }, (_, g) => ({ sku: `G-${g + 1}`, wms: g + 1, shopify: null, noVariant: true })),
        ...Array.from({ length: 1_300 }, (_, i) => ({ sku: `T-${String(i).padStart(4, '0')}`, wms: 0, shopify: 0, components: [{ goodsCode: `G-${1 + (i % 5)}`, quantity: 1 }] })),
      ],
      { shop: 'stock-throttle.myshopify.com', throttle: { maximumAvailable: 60, restoreRate: 10 } },
    );
  }, 120_000);
  afterAll(async () => h?.close());

  it('throttled batches wait for the bucket and are resent with their own key: one cycle, every value set, nothing refused', async () => {
    const r = await h.sync();
    const sets = h.shopify.calls.filter((c) => /^\s*mutation\s+InventorySetQuantities/.test(c.query ?? ''));
    expect(r.pushed).toBe(1_300);
    // 6 batches (5 × 250 + 50), each answered once; a throttled attempt carried the same key as its answer.
    const keys = (c: (typeof sets)[number]) => (c.variables as { idempotencyKey: string }).idempotencyKey;
    const answered = sets.filter((c) => !c.throttled && c.status === 200);
    expect(new Set(answered.map(keys)).size).toBe(6);
    for (const t of sets.filter((c) => c.throttled)) expect(answered.map(keys)).toContain(keys(t));
    expect(await h.db.prisma.stockPushBatch.count({ where: { shop: h.shop, state: { not: 'done' } } })).toBe(0);
    for (const i of [0, 1, 4, 650, 1_299]) expect(h.available(`T-${String(i).padStart(4, '0')}`)).toBe(1 + (i % 5));
  });
});

describe('drift in the storefront, visibility, sync now', () => {
  let h: StockHarness;
  beforeAll(async () => {
    h = await startStockHarness([{ sku: 'DRIFT-1', wms: 6, shopify: 0 }, { sku: 'OTHER-1', wms: 2, shopify: 2 }]);
    await h.sync();
  }, 60_000);
  afterAll(async () => h?.close());

  it('storefront restocked by itself (refund with restock) while the warehouse is unchanged: a plain full cycle sends nothing, a verifying one sets it back once', async () => {
    setSimAvailable(h, 'DRIFT-1', 7);
    const from = h.sets.length;
    await h.sync({ kind: 'full' });
    expect(h.sets.length).toBe(from);
    expect(h.available('DRIFT-1')).toBe(7);
    await h.sync({ kind: 'full', verify: true });
    expect(h.sets.slice(from).flatMap((c) => c.items)).toEqual([{ inventoryItemId: expect.any(String), quantity: 6, expected: 7 }]);
    expect(h.available('DRIFT-1')).toBe(6);
    // verifyEveryMs: a full cycle verifies when no verifying run finished within the interval.
    setSimAvailable(h, 'DRIFT-1', 9);
    await runStockSync({ ...h.deps, verifyEveryMs: 3_600_000 }, h.shop, { kind: 'full' });
    expect(h.available('DRIFT-1')).toBe(9); // verified a moment ago: not again
    await runStockSync({ ...h.deps, verifyEveryMs: 0 }, h.shop, { kind: 'full' });
    expect(h.available('DRIFT-1')).toBe(6);
  });

  it('per-SKU view, buffer override, sync now queued once, progress of the runs', async () => {
    await setVariantBuffer(h.db.prisma, h.shop, h.variantId('OTHER-1'), 1);
    await expect(setVariantBuffer(h.db.prisma, h.shop, h.variantId('OTHER-1'), -1)).rejects.toThrow(/buffer/);
    const a = await requestStockSync(h.db.prisma, h.shop);
    const b = await requestStockSync(h.db.prisma, h.shop);
    expect([a.queued, b.queued]).toEqual([true, false]);
    const job = await h.db.prisma.job.findUniqueOrThrow({ where: { id: a.jobId } });
    expect(job.payload).toEqual({ mode: 'full', verify: true });
    await h.sync({ kind: 'full', verify: true });
    const rows = await listStock(h.db.prisma, h.shop, { sku: 'OTHER-1' });
    expect(rows).toEqual([
      expect.objectContaining({ sku: 'OTHER-1', warehouse: 2, buffer: 1, reserved: 0, published: 1, storefront: 1, status: 'ok', lastError: null }),
    ]);
    expect(rows[0]!.pushedAt).toBeInstanceOf(Date);
    const progress = await stockSyncProgress(h.db.prisma, h.shop, 1);
    expect(progress[0]).toMatchObject({ mode: 'full+verify', total: 2, changed: 1, pushed: 1, percent: 100, error: null });
  });
});
