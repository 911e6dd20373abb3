// Returns data layer and use cases on a real PostgreSQL database, with in-memory storefront/warehouse fakes:
// compare-and-set moves, rule precedence and shop scoping, rule saves resuming needs_rule, refund recording
// idempotency, and processReturnCase's handling of repeats, withdrawals and warehouse failures.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createLogger } from '../../../server/logger.js';
import { ensureCase, addLines, moveLine, ruleFor, rulesOf, findCase } from '../../../server/db/repos/return-case-repo.js';
import { saveDispositionRule, listDispositionRules } from '../../../server/core/returns/disposition-rules-use-case.js';
import { recordRefund, applyRefundToOrder } from '../../../server/core/returns/refund-use-case.js';
import { processReturnCase, type ReturnProcessDeps } from '../../../server/core/returns/return-process-use-case.js';
import type { ReturnInboundInput, StorefrontReturn } from '../../../server/core/ports.js';
import type { InboundProgress } from '../../../server/core/returns/return-ports.js';
import { PermanentError, RetryableError } from '../../../server/core/errors.js';
import { advanceLine } from '../../../server/core/returns/advance-line.js';
import { reconcileReturns } from '../../../server/core/returns/reconcile-returns-use-case.js';
import { updateCase } from '../../../server/db/repos/return-case-repo.js';
import { InvalidReturnTransitionError } from '../../../server/core/returns/return-state.js';
import { updateOrderSync, ensureOrderSync, upsertSkuMapping } from '../../../server/db/repos/order-sync-repo.js';

const log = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const SHOP = 'returns-unit.myshopify.com';
const OTHER = 'other.myshopify.com';
const now = () => new Date();

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 4 });
  await db.prisma.shop.createMany({ data: [{ domain: SHOP, settings: { returnsAutoReceive: true } }, { domain: OTHER }] });
});
afterAll(async () => db?.drop());

describe('moveLine (compare-and-set + audit row)', () => {
  it('two workers moving the same line from the same state: exactly one wins, one audit row per applied move', async () => {
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'refund', sourceId: 'gid://shopify/Refund/cas', name: '#1-F1', orderId: null });
    const [line] = await db.prisma.$transaction((tx) => addLines(tx, SHOP, c.id, [{ sourceLineId: 'l1', lineItemId: null, variantId: null, sku: 'A', quantity: 1, reasonKey: 'restock:return', restockType: 'return' }], now()));
    const results = await Promise.all([
      moveLine(db.prisma, SHOP, line!.id, 'received', 'disposition_decided', { disposition: 'restock' }, {}, now()),
      moveLine(db.prisma, SHOP, line!.id, 'received', 'needs_rule', {}, {}, now()),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const t = await db.prisma.returnTransition.findMany({ where: { shop: SHOP, lineId: line!.id }, orderBy: { id: 'asc' } });
    expect(t.map((x) => [x.fromState, x.toState])).toEqual([[null, 'received'], ['received', (await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state]]);
    // Another shop cannot move it.
    expect(await moveLine(db.prisma, OTHER, line!.id, (await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state, 'cancelled', {}, {}, now())).toBe(false);
  });

  it('advanceLine rejects a move the state machine forbids before writing anything (line and audit unchanged)', async () => {
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'refund', sourceId: 'gid://shopify/Refund/inv', name: null, orderId: null });
    const [line] = await db.prisma.$transaction((tx) => addLines(tx, SHOP, c.id, [{ sourceLineId: 'i', lineItemId: null, variantId: null, sku: 'A', quantity: 1, reasonKey: 'restock:return', restockType: 'return' }], now()));
    await expect(advanceLine(db.prisma, SHOP, line!.id, 'received', 'inbound_created', {}, {}, now())).rejects.toThrow(InvalidReturnTransitionError);
    await expect(advanceLine(db.prisma, SHOP, line!.id, 'received', 'stock_reflected', {}, {}, now())).rejects.toThrow('return line cannot move from received to stock_reflected');
    await expect(advanceLine(db.prisma, SHOP, line!.id, 'bogus', 'cancelled', {}, {}, now())).rejects.toThrow(InvalidReturnTransitionError);
    expect((await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state).toBe('received');
    expect(await db.prisma.returnTransition.count({ where: { shop: SHOP, lineId: line!.id } })).toBe(1);
    expect(await advanceLine(db.prisma, SHOP, line!.id, 'received', 'disposition_decided', { disposition: 'restock' }, {}, now())).toBe(true);
  });

  it('adding the same lines again creates nothing (no second audit row)', async () => {
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'refund', sourceId: 'gid://shopify/Refund/rep', name: null, orderId: null });
    const l = { sourceLineId: 'x', lineItemId: null, variantId: null, sku: 'A', quantity: 2, reasonKey: 'restock:return', restockType: 'return' };
    expect(await db.prisma.$transaction((tx) => addLines(tx, SHOP, c.id, [l], now()))).toHaveLength(1);
    expect(await db.prisma.$transaction((tx) => addLines(tx, SHOP, c.id, [l], now()))).toHaveLength(0);
    expect(await db.prisma.returnTransition.count({ where: { shop: SHOP, lineId: (await findCase(db.prisma, SHOP, c.id))!.lines[0]!.id } })).toBe(1);
  });
});

describe('disposition rules', () => {
  it('seeded defaults apply; a shop rule overrides only for that shop; list marks defaults', async () => {
    expect(await ruleFor(db.prisma, SHOP, 'reason:defective')).toEqual({ reasonKey: 'reason:defective', disposition: 'damaged', isDefault: true });
    expect(await ruleFor(db.prisma, SHOP, 'reason:unknown')).toBeNull();
    await saveDispositionRule(db.prisma, SHOP, { reasonKey: 'reason:defective', disposition: 'inspect' });
    expect(await ruleFor(db.prisma, SHOP, 'reason:defective')).toMatchObject({ disposition: 'inspect', isDefault: false });
    expect(await ruleFor(db.prisma, OTHER, 'reason:defective')).toMatchObject({ disposition: 'damaged', isDefault: true });
    const list = await listDispositionRules(db.prisma, SHOP);
    expect(list.filter((r) => r.reasonKey === 'reason:defective')).toEqual([{ reasonKey: 'reason:defective', disposition: 'inspect', isDefault: false }]);
    expect(list.find((r) => r.reasonKey === 'restock:return')).toEqual({ reasonKey: 'restock:return', disposition: 'restock', isDefault: true });
    expect((await rulesOf(db.prisma, OTHER)).every((r) => r.isDefault)).toBe(true);
  });

  it('invalid keys and dispositions are refused', async () => {
    await expect(saveDispositionRule(db.prisma, SHOP, { reasonKey: 'restock:cancel', disposition: 'restock' })).rejects.toThrow(PermanentError);
    await expect(saveDispositionRule(db.prisma, SHOP, { reasonKey: 'arrived-late', disposition: 'burn' })).rejects.toThrow(/disposition must be one of/);
    await expect(saveDispositionRule(db.prisma, SHOP, { reasonKey: '', disposition: 'hold' })).rejects.toThrow(/invalid reason key/);
  });

  it('saving a rule enqueues return.process for every case with a line in needs_rule (and only those, only this shop)', async () => {
    const waiting = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: 'gid://shopify/Return/w', name: '#9-R1', orderId: null });
    const [l] = await db.prisma.$transaction((tx) => addLines(tx, SHOP, waiting.id, [{ sourceLineId: 'r1', lineItemId: null, variantId: null, sku: 'A', quantity: 1, reasonKey: 'reason:odd', restockType: 'return' }], now()));
    await moveLine(db.prisma, SHOP, l!.id, 'received', 'needs_rule', {}, {}, now());
    const otherShop = await ensureCase(db.prisma, { shop: OTHER, source: 'return', sourceId: 'gid://shopify/Return/w2', name: null, orderId: null });
    const [l2] = await db.prisma.$transaction((tx) => addLines(tx, OTHER, otherShop.id, [{ sourceLineId: 'r1', lineItemId: null, variantId: null, sku: 'A', quantity: 1, reasonKey: 'reason:odd', restockType: 'return' }], now()));
    await moveLine(db.prisma, OTHER, l2!.id, 'received', 'needs_rule', {}, {}, now());
    await db.prisma.job.deleteMany({});
    const r = await saveDispositionRule(db.prisma, SHOP, { reasonKey: 'Odd', disposition: 'hold' });
    expect(r).toEqual({ reasonKey: 'reason:odd', resumedCases: 1 });
    const jobs = await db.prisma.job.findMany({ where: { type: 'return.process' } });
    expect(jobs.map((j) => [j.shop, (j.payload as { caseId: string }).caseId, j.orderingKey])).toEqual([[SHOP, waiting.id.toString(), `return:${SHOP}:${waiting.id}`]]);
  });
});

describe('recordRefund', () => {
  const refund = (id: string, lines: { id: string; restockType: 'return' | 'cancel' | 'no_restock'; fulfilled: boolean }[], returnId: string | null = null) => ({
    refundId: `gid://shopify/Refund/${id}`,
    orderId: 'gid://shopify/Order/500',
    returnId,
    lines: lines.map((l) => ({ id: l.id, lineItemId: 'gid://shopify/LineItem/1', variantId: null, sku: 'A', quantity: 1, restockType: l.restockType, fulfilled: l.fulfilled })),
  });

  beforeEach(async () => {
    await db.prisma.job.deleteMany({});
  });

  it('a repeated refund event adds no line and enqueues nothing; unshipped lines go to refund.apply under the order\'s ordering key', async () => {
    const r = refund('700', [
      { id: 'a', restockType: 'cancel', fulfilled: false },
      { id: 'b', restockType: 'return', fulfilled: true },
    ]);
    const first = await recordRefund(db.prisma, SHOP, r, now());
    expect(first).toMatchObject({ returnLines: 1, unshippedLines: 1 });
    const jobs = await db.prisma.job.findMany({ orderBy: { id: 'asc' } });
    expect(jobs.map((j) => [j.type, j.orderingKey])).toEqual([
      ['refund.apply', `order:${SHOP}:500`],
      ['return.process', `return:${SHOP}:${first.caseId}`],
    ]);
    const again = await recordRefund(db.prisma, SHOP, r, now());
    expect(again.caseId).toBe(first.caseId);
    expect(await db.prisma.job.count()).toBe(2);
    expect(await db.prisma.returnLine.count({ where: { shop: SHOP, caseId: first.caseId! } })).toBe(2);
    expect((await findCase(db.prisma, SHOP, first.caseId!))!.lines.map((l) => l.reasonKey)).toEqual(['order:unshipped', 'restock:return']);
  });

  it('returned lines of a refund that settles a Shopify return belong to that return\'s case: no refund case; the return\'s case is created and run once if returns/approve was missed', async () => {
    const r = await recordRefund(db.prisma, SHOP, refund('701', [{ id: 'a', restockType: 'return', fulfilled: true }], 'gid://shopify/Return/9'), now());
    expect(r).toEqual({ caseId: null, returnLines: 0, unshippedLines: 0, coveredByReturn: 1 });
    expect(await db.prisma.returnCase.count({ where: { sourceId: 'gid://shopify/Refund/701' } })).toBe(0);
    const rc = await db.prisma.returnCase.findUniqueOrThrow({ where: { shop_sourceId: { shop: SHOP, sourceId: 'gid://shopify/Return/9' } } });
    expect((await db.prisma.job.findMany()).map((j) => [j.type, (j.payload as { caseId: string }).caseId])).toEqual([['return.process', rc.id.toString()]]);
    // A second refund for the same (now known) return enqueues nothing more.
    await recordRefund(db.prisma, SHOP, refund('703', [{ id: 'a', restockType: 'return', fulfilled: true }], 'gid://shopify/Return/9'), now());
    expect(await db.prisma.job.count()).toBe(1);
  });

  it('applyRefundToOrder: confirmed warehouse order flagged edit_not_applied → flagged_for_warehouse + alert; calls the order sync once', async () => {
    const r = await recordRefund(db.prisma, SHOP, refund('702', [{ id: 'a', restockType: 'cancel', fulfilled: false }]), now());
    await ensureOrderSync(db.prisma, SHOP, 'gid://shopify/Order/500', '#500');
    await updateOrderSync(db.prisma, SHOP, 'gid://shopify/Order/500', { state: 'in_warehouse', dnCode: 'SHOP-500', dnState: 'confirmed' });
    let synced = 0;
    const out = await applyRefundToOrder(
      {
        prisma: db.prisma,
        now,
        syncOrder: async (orderId) => {
          synced++;
          await updateOrderSync(db.prisma, SHOP, orderId, { flags: ['edit_not_applied'] });
        },
      },
      SHOP,
      r.caseId!,
    );
    expect(out).toEqual({ outcome: 'flagged_for_warehouse' });
    expect(synced).toBe(1);
    expect((await findCase(db.prisma, SHOP, r.caseId!))!.lines.map((l) => l.state)).toEqual(['flagged_for_warehouse']);
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'refund.flagged_for_warehouse' } })).toBe(1);
    // A repeat (job retried after a crash) does nothing.
    expect(await applyRefundToOrder({ prisma: db.prisma, now, syncOrder: async () => void synced++ }, SHOP, r.caseId!)).toEqual({ outcome: 'unchanged' });
    expect(synced).toBe(1);
  });
});

describe('processReturnCase with fakes', () => {
  function fakes(ret: StorefrontReturn) {
    const calls: ReturnInboundInput[] = [];
    const stockReads: string[][] = [];
    const state = { ret, progress: 'announced' as InboundProgress, fail: null as Error | null };
    const deps: ReturnProcessDeps = {
      prisma: db.prisma,
      now,
      log,
      storefront: { getReturn: async () => state.ret },
      warehouse: {
        returnCode: (r) => `RET-${r.returnName.replace(/[^A-Za-z0-9-]/g, '')}`,
        createReturnInbound: async (r) => {
          calls.push(r);
          if (state.fail) throw state.fail;
          return { code: `RET-${r.returnName.replace(/[^A-Za-z0-9-]/g, '')}`, warehouseId: 1, created: calls.length === 1, received: !!r.receiveInto, steps: [] };
        },
        readStock: async (q) => {
          stockReads.push(q?.skus ?? []);
          return { levels: [] };
        },
      },
      inbounds: { inboundStatus: async () => ({ progress: state.progress, detail: 'fake' }) },
    };
    return { deps, calls, state, stockReads };
  }
  const ret = (id: string, status: string, lines: { id: string; sku: string; reason: string | null }[]): StorefrontReturn => ({
    id,
    name: '#42-R1',
    status,
    orderId: 'gid://shopify/Order/42',
    orderName: '#42',
    lines: lines.map((l) => ({ ...l, quantity: 1, variantId: null, lineItemId: null })),
  });

  it('a finished case processed again makes no warehouse call and no transition (no backwards move)', async () => {
    const rid = 'gid://shopify/Return/501';
    const f = fakes(ret(rid, 'OPEN', [{ id: 'r1', sku: 'A', reason: 'unwanted' }, { id: 'r2', sku: 'B', reason: 'defective' }]));
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: rid, name: null, orderId: null });
    const out = await processReturnCase(f.deps, SHOP, c.id);
    expect(out.status).toBe('done');
    expect(f.calls.map((x) => [x.returnName, x.receiveInto, x.lines])).toEqual([
      ['#42-R1-RESTOCK', 'sellable', [{ sku: 'A', quantity: 1 }]],
      ['#42-R1-INSPECT', 'inspection', [{ sku: 'B', quantity: 1 }]], // this shop overrides defective → inspect above
    ]);
    const transitions = await db.prisma.returnTransition.count({ where: { shop: SHOP } });
    await processReturnCase(f.deps, SHOP, c.id);
    expect(f.calls).toHaveLength(2);
    expect(await db.prisma.returnTransition.count({ where: { shop: SHOP } })).toBe(transitions);
  });

  it('a line decided after its case\'s inbound went out gets its own inbound (GreaterWMS cannot add lines to an ASN past status 1); a lost answer repeats the same code with the same lines', async () => {
    const rid = 'gid://shopify/Return/504';
    const f = fakes(ret(rid, 'OPEN', [{ id: 'r1', sku: 'A', reason: 'unwanted' }, { id: 'r2', sku: 'B', reason: 'late-batch' }]));
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: rid, name: null, orderId: null });
    f.state.fail = new RetryableError('wms.connection_reset', 'answer lost');
    await expect(processReturnCase(f.deps, SHOP, c.id)).rejects.toThrow(RetryableError);
    f.state.fail = null;
    await processReturnCase(f.deps, SHOP, c.id);
    expect(f.calls.map((x) => [x.returnId, x.returnName, x.lines])).toEqual([
      [`${rid}#restock`, '#42-R1-RESTOCK', [{ sku: 'A', quantity: 1 }]],
      [`${rid}#restock`, '#42-R1-RESTOCK', [{ sku: 'A', quantity: 1 }]],
    ]);
    const lines = (await findCase(db.prisma, SHOP, c.id))!.lines;
    expect(lines.map((l) => l.state)).toEqual(['stock_reflected', 'needs_rule']);
    await saveDispositionRule(db.prisma, SHOP, { reasonKey: 'late-batch', disposition: 'restock' });
    await processReturnCase(f.deps, SHOP, c.id);
    expect(f.calls[2]).toMatchObject({ returnId: `${rid}#restock#${lines[1]!.id}`, returnName: `#42-R1-RESTOCK-L${lines[1]!.id}`, lines: [{ sku: 'B', quantity: 1 }] });
    const after = (await findCase(db.prisma, SHOP, c.id))!.lines;
    expect(after.map((l) => [l.state, l.inboundCode])).toEqual([
      ['stock_reflected', 'RET-42-R1-RESTOCK'],
      ['stock_reflected', `RET-42-R1-RESTOCK-L${lines[1]!.id}`],
    ]);
  });

  it('a returned bundle is announced as its warehouse components (SKU mapping × returned quantity); an unmapped line by its SKU', async () => {
    await upsertSkuMapping(db.prisma, SHOP, 'gid://shopify/ProductVariant/77', 'GIFT-BOX', [{ goodsCode: 'MUG-1', quantity: 2 }, { goodsCode: 'TEA-1', quantity: 1 }]);
    const rid = 'gid://shopify/Return/503';
    const f = fakes({ ...ret(rid, 'OPEN', []), lines: [
      { id: 'b1', sku: 'GIFT-BOX', quantity: 2, variantId: 'gid://shopify/ProductVariant/77', lineItemId: null, reason: 'unwanted' },
      { id: 'b2', sku: 'TEA-1', quantity: 1, variantId: null, lineItemId: null, reason: 'style' },
    ] });
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: rid, name: null, orderId: null });
    await processReturnCase(f.deps, SHOP, c.id);
    expect(f.calls.map((x) => x.lines)).toEqual([[{ sku: 'MUG-1', quantity: 4 }, { sku: 'TEA-1', quantity: 3 }]]);
    // stock_reflected records the warehouse goods the units came back as, not the bundle's SKU.
    expect(f.stockReads).toEqual([['MUG-1', 'TEA-1'], ['TEA-1']]);
  });

  it('warehouse refuses (permanent): lines failed + alert; a retryable error leaves them decided for the job retry; the next success moves failed → decided → inbound', async () => {
    await db.prisma.shop.update({ where: { domain: SHOP }, data: { settings: { returnsAutoReceive: false } } });
    const rid = 'gid://shopify/Return/502';
    const f = fakes(ret(rid, 'OPEN', [{ id: 'r1', sku: 'A', reason: 'unwanted' }]));
    const c = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: rid, name: null, orderId: null });
    f.state.fail = new RetryableError('wms.timeout', 'no answer');
    await expect(processReturnCase(f.deps, SHOP, c.id)).rejects.toThrow(RetryableError);
    expect((await findCase(db.prisma, SHOP, c.id))!.lines.map((l) => l.state)).toEqual(['disposition_decided']);
    f.state.fail = new PermanentError('wms.unknown_goods', 'goods A does not exist in GreaterWMS');
    expect((await processReturnCase(f.deps, SHOP, c.id)).status).toBe('failed');
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.failed', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(1);
    f.state.fail = null;
    expect((await processReturnCase(f.deps, SHOP, c.id)).status).toBe('open');
    const line = (await findCase(db.prisma, SHOP, c.id))!.lines[0]!;
    expect([line.state, line.inboundCode]).toEqual(['inbound_created', 'RET-42-R1-RESTOCK']);
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.failed', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(0);
    const t = await db.prisma.returnTransition.findMany({ where: { shop: SHOP, lineId: line.id }, orderBy: { id: 'asc' } });
    expect(t.map((x) => x.toState)).toEqual(['received', 'disposition_decided', 'failed', 'disposition_decided', 'inbound_created']);

    // The ASN deleted in the warehouse: alert (the line does not pretend to progress); back again: resolved.
    f.state.progress = 'missing';
    await processReturnCase(f.deps, SHOP, c.id);
    expect((await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state).toBe('inbound_created');
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.inbound_missing', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(1);
    // Staff receive (status 4) then put away (5): followed on the next runs.
    f.state.progress = 'received';
    await processReturnCase(f.deps, SHOP, c.id);
    expect((await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state).toBe('received_in_warehouse');
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.inbound_missing', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(0);
    // Cancelled in the shop after the warehouse got it: the line is not silently cancelled, an alert asks to act.
    f.state.ret = { ...f.state.ret!, status: 'CANCELED' };
    await processReturnCase(f.deps, SHOP, c.id);
    expect((await findCase(db.prisma, SHOP, c.id))!.lines[0]!.state).toBe('received_in_warehouse');
    expect(await db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.withdrawn_after_inbound', subjectRef: `return:${rid}` } })).toBe(1);
  });
});

describe('reconcileReturns', () => {
  it('creates cases only for returns with units coming back, re-runs known open cases whose status changed, leaves finished ones', async () => {
    await db.prisma.job.deleteMany({});
    const open = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: 'gid://shopify/Return/900', name: null, orderId: null });
    await updateCase(db.prisma, SHOP, open.id, { platformStatus: 'OPEN', status: 'needs_rule' });
    const finished = await ensureCase(db.prisma, { shop: SHOP, source: 'return', sourceId: 'gid://shopify/Return/901', name: null, orderId: null });
    await updateCase(db.prisma, SHOP, finished.id, { platformStatus: 'OPEN', status: 'done' });
    const source = {
      getReturn: async () => null,
      recentReturns: async () => [
        { id: 'gid://shopify/Return/900', status: 'CANCELED', orderId: 'gid://shopify/Order/1' }, // cancel missed → re-run
        { id: 'gid://shopify/Return/901', status: 'CLOSED', orderId: 'gid://shopify/Order/1' }, // done: left alone
        { id: 'gid://shopify/Return/902', status: 'OPEN', orderId: 'gid://shopify/Order/2' }, // approve missed → new case
        { id: 'gid://shopify/Return/903', status: 'REQUESTED', orderId: 'gid://shopify/Order/2' }, // not approved: nothing
        { id: 'gid://shopify/Return/904', status: 'DECLINED', orderId: 'gid://shopify/Order/2' },
      ],
    };
    expect(await reconcileReturns(db.prisma, source, SHOP, new Date(0))).toEqual({ created: 1, rerun: 1 });
    const created = await db.prisma.returnCase.findUniqueOrThrow({ where: { shop_sourceId: { shop: SHOP, sourceId: 'gid://shopify/Return/902' } } });
    expect(created.orderId).toBe('gid://shopify/Order/2');
    expect(await db.prisma.returnCase.count({ where: { sourceId: { in: ['gid://shopify/Return/903', 'gid://shopify/Return/904'] } } })).toBe(0);
    const jobs = await db.prisma.job.findMany({ orderBy: { id: 'asc' } });
    expect(jobs.map((j) => (j.payload as { caseId: string }).caseId).sort()).toEqual([open.id.toString(), created.id.toString()].sort());
    // Again: the new case is known now (no platform status recorded yet → re-run, not re-created).
    expect((await reconcileReturns(db.prisma, source, SHOP, new Date(0))).created).toBe(0);
  });
});
