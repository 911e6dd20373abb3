// Returns and refunds end to end against both simulators (real HTTP, real database, real queue worker):
// each disposition ends in the right GreaterWMS stock bucket, unknown reason → needs_rule → rule saved →
// resumed, staff receiving followed by the poll, duplicate refund webhooks and lost answers → one ASN,
// repeated refunds for one order, refund before shipping → DN adjusted (draft) or flagged (confirmed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReturnsHarness, SHOP, type ReturnsHarness } from './harness.js';
import { saveDispositionRule } from '../../../server/core/returns/disposition-rules-use-case.js';
import { enqueue } from '../../../server/queue/enqueue.js';

describe('returns and refunds against both simulators', () => {
  let h: ReturnsHarness;
  beforeAll(async () => {
    h = await startReturnsHarness([
      { sku: 'MUG-1', stock: 500 },
      { sku: 'TEA-1', stock: 500 },
      { sku: 'CUP-1', stock: 500 },
      { sku: 'HAT-1', stock: 500 },
      { sku: 'BAG-1', stock: 500 },
    ]);
  }, 60_000);
  afterAll(async () => h?.close());

  const done = (s: string[]) => s.every((x) => ['stock_reflected', 'written_off', 'dn_adjusted', 'flagged_for_warehouse', 'cancelled'].includes(x));

  it('partial return with four reasons (automatic receiving): restock → Normal (sellable), inspect → Inspection, hold (shop rule) → Holding, damaged → Damage; one ASN per disposition; Shopify stock never touched directly', async () => {
    await h.setAutoReceive(true);
    await saveDispositionRule(h.db.prisma, SHOP, { reasonKey: 'other', disposition: 'hold' }); // overrides the default (inspect)
    const o = await h.shippedOrder([{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEA-1', quantity: 1 }, { sku: 'CUP-1', quantity: 1 }, { sku: 'HAT-1', quantity: 1 }]);
    const before = Object.fromEntries(['MUG-1', 'TEA-1', 'CUP-1', 'HAT-1'].map((s) => [s, h.stock(s)]));
    const rid = h.shopify.createReturn(SHOP, o.id, [
      { sku: 'MUG-1', quantity: 1, reason: 'SIZE_TOO_SMALL' }, // partial: 1 of 2
      { sku: 'TEA-1', quantity: 1, reasonHandle: 'not-as-described' },
      { sku: 'CUP-1', quantity: 1, reason: 'DEFECTIVE' },
      { sku: 'HAT-1', quantity: 1, reason: 'OTHER' },
    ]);
    await h.sendReturn('returns/approve', rid);
    await h.waitLines(rid, (s) => s.length === 4 && s.every((x) => x === 'stock_reflected'), 'all four lines stock_reflected');

    const lines = await h.lines(rid);
    expect(lines.map((l) => [l.sku, l.disposition])).toEqual([['MUG-1', 'restock'], ['TEA-1', 'inspect'], ['CUP-1', 'damaged'], ['HAT-1', 'hold']]);
    const after = (s: string) => h.stock(s);
    expect(after('MUG-1').can_order_stock - before['MUG-1']!.can_order_stock).toBe(1);
    expect(after('TEA-1').inspect_stock - before['TEA-1']!.inspect_stock).toBe(1);
    expect(after('TEA-1').can_order_stock).toBe(before['TEA-1']!.can_order_stock);
    expect(after('CUP-1').damage_stock - before['CUP-1']!.damage_stock).toBe(1);
    expect(after('HAT-1').hold_stock - before['HAT-1']!.hold_stock).toBe(1);
    const name = o.name.replace('#', '');
    expect(h.asns().filter((a) => a.asn_code.startsWith(`RET-${name}-R1-`)).map((a) => [a.asn_code, a.asn_status]).sort()).toEqual([
      [`RET-${name}-R1-DAMAGED`, 5],
      [`RET-${name}-R1-HOLD`, 5],
      [`RET-${name}-R1-INSPECT`, 5],
      [`RET-${name}-R1-RESTOCK`, 5],
    ]);
    // Every step recorded for the line.
    const t = await h.db.prisma.returnTransition.findMany({ where: { shop: SHOP, lineId: lines[0]!.id }, orderBy: { id: 'asc' } });
    expect(t.map((x) => x.toState)).toEqual(['received', 'disposition_decided', 'inbound_created', 'put_away', 'stock_reflected']);
    // Returned stock reaches Shopify only through the stock sync (issue 7), never restocked directly:
    // Any inventory write comes from the stock sync (its reference URI), none adjusts or disposes returned units.
    const writes = h.shopify.calls.filter((c) => c.rootFields.some((f) => /^inventory(Set|Adjust)|reverseFulfillmentOrderDispose/.test(f)));
    for (const w of writes) {
      expect(w.rootFields).toEqual(['inventorySetQuantities']);
      expect((w.variables as { input: { referenceDocumentUri: string } }).input.referenceDocumentUri).toMatch(/^logistics:\/\/wms-bridge\/stock-sync\//);
    }
    // The case status is written after the last line's step, by the same job: wait for it rather than race it.
    await h.waitFor(async () => (await h.db.prisma.returnCase.findFirst({ where: { shop: SHOP, sourceId: rid } }))?.status === 'done', 'return case done');

    // A late duplicate of the approval changes nothing.
    const count = await h.db.prisma.returnTransition.count({ where: { shop: SHOP } });
    await h.sendReturn('returns/approve', rid);
    await h.drained();
    expect(await h.db.prisma.returnTransition.count({ where: { shop: SHOP } })).toBe(count);
    expect(h.asns().filter((a) => a.asn_code.startsWith(`RET-${name}-R1-`))).toHaveLength(4);
  });

  it('staff receiving (automatic receiving off): ASN announced at status 1, staff puts it away into a Normal bin, the poll moves the line to put_away → stock_reflected', async () => {
    await h.setAutoReceive(false);
    const o = await h.shippedOrder([{ sku: 'BAG-1', quantity: 1 }]);
    const before = h.stock('BAG-1').can_order_stock;
    const rid = h.shopify.createReturn(SHOP, o.id, [{ sku: 'BAG-1', quantity: 1, reason: 'UNWANTED' }]);
    await h.sendReturn('returns/approve', rid);
    await h.waitLines(rid, (s) => s[0] === 'inbound_created', 'line announced');
    const code = (await h.lines(rid))[0]!.inboundCode!;
    expect(h.asns().filter((a) => a.asn_code === code).map((a) => a.asn_status)).toEqual([1]);
    await h.pollReturns();
    await h.drained();
    expect((await h.lines(rid))[0]!.state).toBe('inbound_created'); // nothing happened in the warehouse yet

    h.wms.control.receiveAsn(h.wmsToken, { code }, { bin: 'A010101' });
    await h.pollReturns();
    await h.waitLines(rid, (s) => s[0] === 'stock_reflected', 'line stock_reflected after staff put-away');
    expect(h.stock('BAG-1').can_order_stock - before).toBe(1);
  });

  it('unknown reason → needs_rule with an alert and no ASN; saving a rule resumes it → Inspection bin; alert resolved', async () => {
    await h.setAutoReceive(true);
    const o = await h.shippedOrder([{ sku: 'TEA-1', quantity: 2 }]);
    const before = h.stock('TEA-1').inspect_stock;
    const rid = h.shopify.createReturn(SHOP, o.id, [{ sku: 'TEA-1', quantity: 2, reasonHandle: 'arrived-late' }]);
    await h.sendReturn('returns/approve', rid);
    await h.waitLines(rid, (s) => s[0] === 'needs_rule', 'needs_rule');
    await h.drained();
    const c = await h.db.prisma.returnCase.findFirstOrThrow({ where: { shop: SHOP, sourceId: rid } });
    expect(c.status).toBe('needs_rule');
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.needs_rule', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(1);
    expect(h.asns().filter((a) => a.asn_code.includes(o.name.replace('#', '')))).toHaveLength(0);

    const r = await saveDispositionRule(h.db.prisma, SHOP, { reasonKey: 'arrived-late', disposition: 'inspect' });
    expect(r).toMatchObject({ reasonKey: 'reason:arrived-late' });
    expect(r.resumedCases).toBeGreaterThanOrEqual(1);
    await h.waitLines(rid, (s) => s[0] === 'stock_reflected', 'resumed to stock_reflected');
    expect(h.stock('TEA-1').inspect_stock - before).toBe(2);
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.needs_rule', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(0);
    const t = await h.db.prisma.returnTransition.findMany({ where: { shop: SHOP, lineId: (await h.lines(rid))[0]!.id }, orderBy: { id: 'asc' } });
    expect(t.map((x) => x.toState)).toEqual(['received', 'needs_rule', 'disposition_decided', 'inbound_created', 'put_away', 'stock_reflected']);
  });

  it('refund webhook delivered 5 times (same delivery twice, other deliveries of the same refund) at once → one case, one ASN with the quantity once', async () => {
    const o = await h.shippedOrder([{ sku: 'MUG-1', quantity: 3 }]);
    const payload = h.refundPayload(o.id, [{ sku: 'MUG-1', quantity: 2, restockType: 'return' }]);
    const before = h.stock('MUG-1').can_order_stock;
    await Promise.all([h.sendRefund(payload, 'dup-a'), h.sendRefund(payload, 'dup-a'), h.sendRefund(payload, 'dup-b'), h.sendRefund(payload), h.sendRefund(payload)]);
    const refundId = payload.admin_graphql_api_id as string;
    await h.waitLines(refundId, (s) => s.every((x) => x === 'stock_reflected'), 'refund line stock_reflected');
    await h.drained();
    expect(await h.db.prisma.returnCase.count({ where: { shop: SHOP, sourceId: refundId } })).toBe(1);
    const lines = await h.lines(refundId);
    expect(lines.map((l) => [l.sku, l.quantity, l.disposition])).toEqual([['MUG-1', 2, 'restock']]);
    const mine = h.asns().filter((a) => a.asn_code === lines[0]!.inboundCode);
    expect(mine).toHaveLength(1);
    expect(h.asnLines(lines[0]!.inboundCode!).map((l) => [l.goods_code, l.goods_qty])).toEqual([['MUG-1', 2]]);
    expect(h.stock('MUG-1').can_order_stock - before).toBe(2);
  });

  for (const [step, rule] of [
    ['lines probe', { method: 'POST', path: '/asn/detail/' }],
    ['header', { method: 'POST', path: '/asn/list/' }],
    ['put-away', { method: 'POST', path: '/asn/movetobin/' }],
  ] as const) {
    it(`lost answer (committed, then the connection dropped) at the ASN ${step} step → one ASN, quantity once, stock once`, async () => {
      const o = await h.shippedOrder([{ sku: 'CUP-1', quantity: 2 }]);
      const before = h.stock('CUP-1').can_order_stock;
      h.wms.control.faults.add({ ...rule, times: 1, action: { kind: 'commitThenDrop' } });
      const payload = h.refundPayload(o.id, [{ sku: 'CUP-1', quantity: 2, restockType: 'return' }]);
      await h.sendRefund(payload);
      const refundId = payload.admin_graphql_api_id as string;
      await h.waitLines(refundId, (s) => s.every((x) => x === 'stock_reflected'), 'refund line stock_reflected');
      expect(h.wms.control.faults.list()).toHaveLength(0); // the drop did happen
      const code = (await h.lines(refundId))[0]!.inboundCode!;
      expect(h.asns().filter((a) => a.asn_code === code)).toHaveLength(1);
      expect(h.asnLines(code).map((l) => [l.goods_code, l.goods_qty])).toEqual([['CUP-1', 2]]);
      expect(h.stock('CUP-1').can_order_stock - before).toBe(2);
    });
  }

  it('two refunds for one order, and a no_restock refund: two cases, two ASNs; the no_restock line is written off (no ASN)', async () => {
    const o = await h.shippedOrder([{ sku: 'HAT-1', quantity: 3 }]);
    const asnsBefore = h.asns().length;
    const p1 = h.refundPayload(o.id, [{ sku: 'HAT-1', quantity: 1, restockType: 'return' }]);
    const p2 = h.refundPayload(o.id, [{ sku: 'HAT-1', quantity: 1, restockType: 'return' }]);
    const p3 = h.refundPayload(o.id, [{ sku: 'HAT-1', quantity: 1, restockType: 'no_restock' }]);
    await h.sendRefund(p1);
    await h.sendRefund(p2);
    await h.sendRefund(p3);
    for (const p of [p1, p2]) await h.waitLines(p.admin_graphql_api_id as string, (s) => s[0] === 'stock_reflected', 'refund stock_reflected');
    await h.waitLines(p3.admin_graphql_api_id as string, (s) => s[0] === 'written_off', 'no_restock written off');
    expect(h.asns().length - asnsBefore).toBe(2);
    const codes = await Promise.all([p1, p2].map(async (p) => (await h.lines(p.admin_graphql_api_id as string))[0]!.inboundCode));
    expect(new Set(codes).size).toBe(2);
    expect((await h.lines(p3.admin_graphql_api_id as string))[0]!.inboundCode).toBeNull();
  });

  it('refund before shipping while the DN is still a draft (confirmation failing): the order sync replaces its lines → dn_adjusted, one DN with the reduced quantity, no ASN', async () => {
    const fault = h.wms.control.faults.add({ method: 'POST', path: '/dn/neworder/', action: { kind: 'http503' } });
    let removed = false;
    try {
      const o = await h.placeOrder([{ sku: 'BAG-1', quantity: 3 }]);
      await h.webhook('orders/create', o.id);
      await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'queued', 'order queued');
      const code = (await h.orderRow(o.id))!.dnCode!;
      await h.waitFor(async () => h.dns().some((d) => d.dn_code === code && d.dn_status === 1 && d.customer !== ''), 'draft DN with lines');
      // What Shopify does on a cancel refund: the unfulfilled quantity leaves the order and its fulfilment order.
      h.shopify.editOrder(SHOP, o.id, [{ sku: 'BAG-1', delta: -1 }]);
      const payload = h.refundPayload(o.id, [{ sku: 'BAG-1', quantity: 1, restockType: 'cancel' }]);
      const asnsBefore = h.asns().length;
      await h.sendRefund(payload);
      const refundId = payload.admin_graphql_api_id as string;
      await h.waitLines(refundId, (s) => s[0] === 'received', 'refund recorded');
      h.wms.control.faults.remove(fault);
      removed = true;
      await h.waitLines(refundId, (s) => s[0] === 'dn_adjusted', 'dn_adjusted');
      await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', 'order in_warehouse');
      expect(h.dns().filter((d) => d.dn_code === code).map((d) => d.dn_status)).toEqual([2]);
      expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty])).toEqual([['BAG-1', 2]]);
      expect(h.asns().length).toBe(asnsBefore);
    } finally {
      if (!removed) h.wms.control.faults.remove(fault);
    }
  });

  it('refund before shipping once the warehouse confirmed the DN (status 2): flagged_for_warehouse with an alert, DN left as it is', async () => {
    const o = await h.placeOrder([{ sku: 'MUG-1', quantity: 3 }]);
    await h.webhook('orders/create', o.id);
    await h.waitFor(async () => (await h.orderRow(o.id))?.state === 'in_warehouse', 'order in_warehouse');
    const code = (await h.orderRow(o.id))!.dnCode!;
    h.shopify.editOrder(SHOP, o.id, [{ sku: 'MUG-1', delta: -1 }]);
    const payload = h.refundPayload(o.id, [{ sku: 'MUG-1', quantity: 1, restockType: 'cancel' }]);
    await h.sendRefund(payload);
    const refundId = payload.admin_graphql_api_id as string;
    await h.waitLines(refundId, (s) => s[0] === 'flagged_for_warehouse', 'flagged_for_warehouse');
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'refund.flagged_for_warehouse', subjectRef: `return:${refundId}` } })).toBe(1);
    expect(h.dnLines(code).map((l) => [l.goods_code, l.goods_qty])).toEqual([['MUG-1', 3]]);
    expect((await h.lines(refundId))[0]!.inboundCode).toBeNull();
  });

  it('a requested (not yet approved) return waits; once approved but cancelled while waiting for a rule, its lines are cancelled without reaching the warehouse', async () => {
    const o = await h.shippedOrder([{ sku: 'CUP-1', quantity: 1 }]);
    const rid = h.shopify.createReturn(SHOP, o.id, [{ sku: 'CUP-1', quantity: 1, reasonHandle: 'gift-duplicate' }], 'REQUESTED');
    await h.sendReturn('returns/approve', rid); // arrives while still requested: no lines yet
    await h.drained();
    expect(await h.lines(rid)).toEqual([]);
    expect((await h.db.prisma.returnCase.findFirstOrThrow({ where: { shop: SHOP, sourceId: rid } })).statusReason).toMatch(/waiting for the return to be approved/);

    const simReturn = h.shopify.store.shop(SHOP).returns.get(Number(rid.split('/').pop()))!;
    simReturn.status = 'OPEN';
    await h.sendReturn('returns/approve', rid);
    await h.waitLines(rid, (s) => s[0] === 'needs_rule', 'needs_rule');
    simReturn.status = 'CANCELED';
    await h.sendReturn('returns/cancel', rid);
    await h.waitLines(rid, (s) => s[0] === 'cancelled', 'cancelled');
    await h.drained();
    const c = await h.db.prisma.returnCase.findFirstOrThrow({ where: { shop: SHOP, sourceId: rid } });
    expect(c.status).toBe('cancelled');
    expect(await h.db.prisma.alert.count({ where: { shop: SHOP, kind: 'return.needs_rule', subjectRef: `return:${rid}`, resolvedAt: null } })).toBe(0);
    expect(h.asns().filter((a) => a.asn_code.includes(`${o.name.replace('#', '')}-R`))).toHaveLength(0);
    expect(done((await h.lines(rid)).map((l) => l.state))).toBe(true);
  });

  it('missed returns/* webhooks: returns.reconcile finds the return of a recently updated order and processes it; a missed cancellation re-runs its case', async () => {
    await h.setAutoReceive(true);
    const o = await h.shippedOrder([{ sku: 'HAT-1', quantity: 2 }]);
    const before = h.stock('HAT-1').can_order_stock;
    const rid = h.shopify.createReturn(SHOP, o.id, [{ sku: 'HAT-1', quantity: 1, reason: 'UNWANTED' }]); // no webhook sent
    const stuck = h.shopify.createReturn(SHOP, o.id, [{ sku: 'HAT-1', quantity: 1, reasonHandle: 'never-decided' }]);
    await h.sendReturn('returns/approve', stuck);
    await h.waitLines(stuck, (s) => s[0] === 'needs_rule', 'needs_rule');
    h.shopify.store.shop(SHOP).returns.get(Number(stuck.split('/').pop()))!.status = 'CANCELED'; // returns/cancel never delivered
    await enqueue(h.db.prisma, { type: 'returns.reconcile', payload: { shop: SHOP }, shop: SHOP });
    await h.waitLines(rid, (s) => s[0] === 'stock_reflected', 'reconciled return stock_reflected');
    await h.waitLines(stuck, (s) => s[0] === 'cancelled', 'missed cancellation applied');
    expect(h.stock('HAT-1').can_order_stock - before).toBe(1);
    // A second run changes nothing (no second case, no new ASN).
    const asns = h.asns().length;
    await enqueue(h.db.prisma, { type: 'returns.reconcile', payload: { shop: SHOP }, shop: SHOP });
    await h.drained();
    expect(h.asns().length).toBe(asns);
    expect(await h.db.prisma.returnCase.count({ where: { shop: SHOP, sourceId: rid } })).toBe(1);
  });
});
