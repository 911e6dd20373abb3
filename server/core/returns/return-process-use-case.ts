// return.process: brings one return case forward as far as it can go (docs/returns.md). Runs one at a time per
// case (job ordering key) and always works from current state: for a shop return it re-reads the return (the
// webhook is only a hint), refund lines are immutable and were recorded when the refund arrived.
//
//   received ─ rule for the reason? ─ no ─► needs_rule (alert; saveDispositionRule re-runs the case)
//                                    └ yes ─► disposition_decided ─ write_off ─► written_off
//                                                                └ else ─► inbound (one per case + disposition,
//                                                                   deterministic code) ─► inbound_created
//   inbound_created ─ warehouse progress (poll, or automatic receiving) ─► received_in_warehouse ─► put_away
//   put_away ─ warehouse stock read for the goods ─► stock_reflected (the stock sync pushes it to the shop)
import type { Logger } from 'pino';
import type { PrismaClient } from '@prisma/client';
import type { StorefrontReturn } from '../ports.js';
import type { ReturnSource, ReturnWarehouse, ReturnInboundStatusSource } from './return-ports.js';
import { binKindOf, isDisposition, reasonKey, type Disposition } from './dispositions.js';
import { canMove, caseStatusOf, isReturnLineState, type ReturnLineState } from './return-state.js';
import {
  addLines,
  findCase,
  patchLine,
  returnSettings,
  ruleFor,
  updateCase,
  type ReturnCaseRow,
  type ReturnLineRow,
} from '../../db/repos/return-case-repo.js';
import { advanceLine } from './advance-line.js';
import { mappingsFor, raiseAlert, resolveAlerts } from '../../db/repos/order-sync-repo.js';
import { PermanentError, isRetryable } from '../errors.js';

export interface ReturnProcessDeps {
  prisma: PrismaClient;
  storefront: ReturnSource;
  warehouse: ReturnWarehouse;
  inbounds: ReturnInboundStatusSource;
  now: () => Date;
  log: Logger;
}

export interface ProcessOutcome {
  status: string;
  lines: { id: string; state: string }[];
}

const subject = (c: { sourceId: string }) => `return:${c.sourceId}`;
const stateOf = (l: ReturnLineRow): ReturnLineState => (isReturnLineState(l.state) ? l.state : 'failed');

/** Platform return statuses whose units are expected back (REQUESTED waits for the merchant's approval). */
const ACTIVE_RETURN = new Set(['OPEN', 'CLOSED']);
const WITHDRAWN_RETURN = new Set(['CANCELED', 'CANCELLED', 'DECLINED']);

export async function processReturnCase(deps: ReturnProcessDeps, shop: string, caseId: bigint): Promise<ProcessOutcome> {
  const { prisma } = deps;
  let c = await findCase(prisma, shop, caseId);
  if (!c) throw new PermanentError('returns.no_case', `return case ${caseId} does not exist for ${shop}`);

  if (c.source === 'return') {
    const ret = await deps.storefront.getReturn(c.sourceId);
    if (!ret) {
      await updateCase(prisma, shop, c.id, { statusReason: 'the return no longer exists in the shop' });
      return finish(deps, shop, c.id);
    }
    await syncReturn(deps, shop, c, ret);
    c = (await findCase(prisma, shop, caseId))!;
    if (WITHDRAWN_RETURN.has(ret.status.toUpperCase())) {
      await withdraw(deps, shop, c, ret.status);
      return finish(deps, shop, c.id);
    }
    if (!ACTIVE_RETURN.has(ret.status.toUpperCase())) {
      await updateCase(prisma, shop, c.id, { statusReason: `waiting for the return to be approved (${ret.status})` });
      return finish(deps, shop, c.id);
    }
  }

  await decide(deps, shop, c);
  c = (await findCase(prisma, shop, caseId))!;
  await announce(deps, shop, c);
  c = (await findCase(prisma, shop, caseId))!;
  await followWarehouse(deps, shop, c);
  return finish(deps, shop, c.id);
}

/** Records the return's current lines (new ones only; quantities of known lines are what was approved). */
async function syncReturn(deps: ReturnProcessDeps, shop: string, c: ReturnCaseRow, ret: StorefrontReturn): Promise<void> {
  await deps.prisma.$transaction(async (tx) => {
    await updateCase(tx, shop, c.id, { name: ret.name, orderId: ret.orderId, orderName: ret.orderName, platformStatus: ret.status });
    if (!ACTIVE_RETURN.has(ret.status.toUpperCase())) return;
    await addLines(
      tx,
      shop,
      c.id,
      ret.lines
        .filter((l) => l.quantity > 0)
        .map((l) => ({
          sourceLineId: l.id,
          lineItemId: l.lineItemId ?? null,
          variantId: l.variantId ?? null,
          sku: l.sku,
          quantity: l.quantity,
          reasonKey: reasonKey(l.reason, 'return'),
          restockType: 'return',
        })),
      deps.now(),
    );
  });
}

async function withdraw(deps: ReturnProcessDeps, shop: string, c: ReturnCaseRow, status: string): Promise<void> {
  await resolveAlerts(deps.prisma, shop, subject(c), ['return.needs_rule'], deps.now());
  const late: ReturnLineRow[] = [];
  for (const l of c.lines) {
    const s = stateOf(l);
    if (canMove(s, 'cancelled')) await advanceLine(deps.prisma, shop, l.id, s, 'cancelled', { stateReason: `return ${status.toLowerCase()} in the shop` }, { platformStatus: status }, deps.now());
    else if (['inbound_created', 'received_in_warehouse'].includes(s)) late.push(l);
  }
  if (late.length) {
    await raiseAlert(deps.prisma, {
      shop,
      kind: 'return.withdrawn_after_inbound',
      subjectRef: subject(c),
      severity: 'warning',
      message: `Return ${c.name ?? c.sourceId} was ${status.toLowerCase()} after the warehouse was told to expect it: remove inbound ${[...new Set(late.map((l) => l.inboundCode))].join(', ')} in GreaterWMS`,
      details: { lines: late.map((l) => ({ id: l.id.toString(), inboundCode: l.inboundCode })) },
    });
  }
}

/** received / needs_rule → disposition_decided by the shop's rule (or the default), else needs_rule + alert. */
async function decide(deps: ReturnProcessDeps, shop: string, c: ReturnCaseRow): Promise<void> {
  const missing = new Set<string>();
  for (const l of c.lines) {
    const s = stateOf(l);
    if (s !== 'received' && s !== 'needs_rule') continue;
    const rule = await ruleFor(deps.prisma, shop, l.reasonKey);
    if (rule && isDisposition(rule.disposition)) {
      await advanceLine(deps.prisma, shop, l.id, s, 'disposition_decided', { disposition: rule.disposition, stateReason: null }, { rule: l.reasonKey, disposition: rule.disposition, default: rule.isDefault }, deps.now());
    } else {
      missing.add(l.reasonKey);
      if (s === 'received') {
        await advanceLine(deps.prisma, shop, l.id, s, 'needs_rule', { stateReason: `no disposition rule for ${l.reasonKey}` }, { reasonKey: l.reasonKey }, deps.now());
      }
    }
  }
  if (missing.size) {
    await raiseAlert(deps.prisma, {
      shop,
      kind: 'return.needs_rule',
      subjectRef: subject(c),
      severity: 'warning',
      message: `Return ${c.name ?? c.sourceId} waits for a decision: no disposition rule for ${[...missing].join(', ')}`,
      details: { reasonKeys: [...missing] },
    });
  } else {
    await resolveAlerts(deps.prisma, shop, subject(c), ['return.needs_rule'], deps.now());
  }
}

/** One inbound per case and disposition: its code tells staff which bin kind the units go to. */
export function inboundName(caseName: string, disposition: Disposition): string {
  return `${caseName}-${disposition.toUpperCase().replace('_', '')}`;
}

/**
 * Inbound of a batch of lines. The first batch of a case + disposition gets the plain name; lines decided later
 * (e.g. a rule saved for one more line after the first inbound went out) get their own inbound, suffixed with
 * the batch's smallest line id, because GreaterWMS cannot add lines to an ASN past its first status.
 */
function inboundInput(c: ReturnCaseRow, disposition: Disposition, firstBatch: boolean, minLineId: bigint): { returnId: string; returnName: string } {
  const base = inboundName(c.name ?? c.sourceId, disposition);
  return firstBatch
    ? { returnId: `${c.sourceId}#${disposition}`, returnName: base }
    : { returnId: `${c.sourceId}#${disposition}#${minLineId}`, returnName: `${base}-L${minLineId}` };
}

async function announce(deps: ReturnProcessDeps, shop: string, caseRow: ReturnCaseRow): Promise<void> {
  let c = caseRow;
  for (const l of c.lines.filter((x) => stateOf(x) === 'disposition_decided' && x.disposition === 'write_off')) {
    await advanceLine(deps.prisma, shop, l.id, 'disposition_decided', 'written_off', { stateReason: 'written off: nothing goes back to the warehouse' }, { disposition: 'write_off' }, deps.now());
  }
  const pending = (l: ReturnLineRow) => (stateOf(l) === 'disposition_decided' || stateOf(l) === 'failed') && !!l.disposition && isDisposition(l.disposition) && l.disposition !== 'write_off';
  if (!c.lines.some(pending)) return;

  // 1. Plan: every pending line gets its inbound code BEFORE the warehouse call, so a crash between the call and
  //    the moves below is repaired with the same code and the same complete line list (never a second inbound).
  const unplanned = new Map<Disposition, ReturnLineRow[]>();
  for (const l of c.lines.filter((x) => pending(x) && !x.inboundCode)) unplanned.set(l.disposition as Disposition, [...(unplanned.get(l.disposition as Disposition) ?? []), l]);
  if (unplanned.size) {
    await deps.prisma.$transaction(async (tx) => {
      for (const [disposition, lines] of unplanned) {
        const firstBatch = !c.lines.some((l) => l.disposition === disposition && l.inboundCode);
        const minId = lines.reduce((m, l) => (l.id < m ? l.id : m), lines[0]!.id);
        const code = deps.warehouse.returnCode(inboundInput(c, disposition, firstBatch, minId));
        for (const l of lines) await patchLine(tx, shop, l.id, { inboundCode: code });
      }
    });
    c = (await findCase(deps.prisma, shop, c.id))!;
  }

  // 2. Announce each planned inbound with ALL lines carrying its code (some may have moved on after a crash).
  const settings = await returnSettings(deps.prisma, shop);
  const variantIds = [...new Set(c.lines.map((l) => l.variantId).filter((v): v is string => !!v))];
  const mappings = await mappingsFor(deps.prisma, shop, variantIds);
  const codes = [...new Set(c.lines.filter(pending).map((l) => l.inboundCode!))];
  for (const code of codes) {
    const onInbound = c.lines.filter((l) => l.inboundCode === code && stateOf(l) !== 'cancelled');
    const lines = onInbound.filter(pending);
    const disposition = lines[0]!.disposition as Disposition;
    const kind = binKindOf(disposition)!;
    const minId = onInbound.reduce((m, l) => (l.id < m ? l.id : m), onInbound[0]!.id);
    const firstBatch = deps.warehouse.returnCode(inboundInput(c, disposition, true, minId)) === code;
    const input = inboundInput(c, disposition, firstBatch, minId);
    const goods = new Map<string, number>();
    for (const l of onInbound) {
      const comps = (l.variantId && mappings.get(l.variantId)) || (l.sku ? [{ goodsCode: l.sku, quantity: 1 }] : []);
      for (const comp of comps) goods.set(comp.goodsCode, (goods.get(comp.goodsCode) ?? 0) + comp.quantity * l.quantity);
    }
    const unmappable = onInbound.filter((l) => !(l.variantId && mappings.get(l.variantId)) && !l.sku);
    try {
      if (unmappable.length) throw new PermanentError('returns.no_goods', `line(s) without SKU or warehouse mapping: ${unmappable.map((l) => l.sourceLineId).join(', ')}`);
      const res = await deps.warehouse.createReturnInbound({
        ...input,
        lines: [...goods].map(([sku, quantity]) => ({ sku, quantity })),
        receiveInto: settings.autoReceive ? kind : null,
      });
      for (const l of lines) {
        let s = stateOf(l);
        if (s === 'failed') {
          await advanceLine(deps.prisma, shop, l.id, s, 'disposition_decided', { stateReason: null }, { retry: true }, deps.now());
          s = 'disposition_decided';
        }
        await advanceLine(deps.prisma, shop, l.id, s, 'inbound_created', { stateReason: null }, { inboundCode: res.code, binKind: kind, created: res.created, steps: res.steps }, deps.now());
        // Automatic receiving: the adapter drove it to "put away" into a bin of the kind (it re-reads before each step).
        if (res.received) await advanceLine(deps.prisma, shop, l.id, 'inbound_created', 'put_away', {}, { inboundCode: res.code, binKind: kind, by: 'connector' }, deps.now());
      }
      await resolveAlerts(deps.prisma, shop, subject(c), ['return.failed'], deps.now());
    } catch (err) {
      if (isRetryable(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      for (const l of lines) {
        const s = stateOf(l);
        if (s !== 'failed') await advanceLine(deps.prisma, shop, l.id, s, 'failed', { stateReason: reason.slice(0, 500) }, { error: reason.slice(0, 500), inboundCode: code }, deps.now());
      }
      await raiseAlert(deps.prisma, {
        shop,
        kind: 'return.failed',
        subjectRef: subject(c),
        message: `Return ${c.name ?? c.sourceId} could not be announced to the warehouse (${code}): ${reason.slice(0, 300)}`,
      });
    }
  }
}

/** Lines on an inbound: follow the warehouse (received, put away) and record the stock once put away. */
async function followWarehouse(deps: ReturnProcessDeps, shop: string, c: ReturnCaseRow): Promise<void> {
  const waiting = c.lines.filter((l) => ['inbound_created', 'received_in_warehouse', 'put_away'].includes(stateOf(l)) && l.inboundCode);
  const byCode = new Map<string, ReturnLineRow[]>();
  for (const l of waiting) byCode.set(l.inboundCode!, [...(byCode.get(l.inboundCode!) ?? []), l]);
  if (byCode.size === 0) return;
  const mappings = await mappingsFor(deps.prisma, shop, [...new Set(waiting.map((l) => l.variantId).filter((v): v is string => !!v))]);
  for (const [code, lines] of byCode) {
    const needsRead = lines.some((l) => stateOf(l) !== 'put_away');
    const st = needsRead ? await deps.inbounds.inboundStatus(code) : { progress: 'put_away' as const, detail: 'put away' };
    if (st.progress === 'missing') {
      // Deleted in the warehouse (or never visible): the units would silently never come back, so say so.
      await raiseAlert(deps.prisma, {
        shop,
        kind: 'return.inbound_missing',
        subjectRef: subject(c),
        message: `Return ${c.name ?? c.sourceId}: inbound ${code} is no longer in GreaterWMS; its units cannot be received`,
        details: { inboundCode: code, lines: lines.map((l) => l.id.toString()) },
      });
      continue;
    }
    await resolveAlerts(deps.prisma, shop, subject(c), ['return.inbound_missing'], deps.now());
    for (const l of lines) {
      let s = stateOf(l);
      if (st.progress === 'received' && s === 'inbound_created') {
        await advanceLine(deps.prisma, shop, l.id, s, 'received_in_warehouse', {}, { inboundCode: code, warehouse: st.detail }, deps.now());
      }
      if (st.progress === 'put_away' && (s === 'inbound_created' || s === 'received_in_warehouse')) {
        await advanceLine(deps.prisma, shop, l.id, s, 'put_away', {}, { inboundCode: code, warehouse: st.detail }, deps.now());
        s = 'put_away';
      }
      if (s === 'put_away') {
        // The warehouse goods the line came back as (a bundle: its components).
        const skus = ((l.variantId && mappings.get(l.variantId)) || (l.sku ? [{ goodsCode: l.sku }] : [])).map((x) => x.goodsCode);
        const levels = skus.length ? (await deps.warehouse.readStock({ skus })).levels : [];
        await advanceLine(
          deps.prisma,
          shop,
          l.id,
          'put_away',
          'stock_reflected',
          { stateReason: null },
          { inboundCode: code, bucket: l.disposition, levels: levels.map((x) => ({ code: x.warehouseCode, available: x.available, inspection: x.inspection, holding: x.holding, damaged: x.damaged })) },
          deps.now(),
        );
      }
    }
  }
}

async function finish(deps: ReturnProcessDeps, shop: string, caseId: bigint): Promise<ProcessOutcome> {
  const c = (await findCase(deps.prisma, shop, caseId))!;
  const states = c.lines.map(stateOf);
  const status = c.platformStatus && WITHDRAWN_RETURN.has(c.platformStatus.toUpperCase()) && states.every((s) => s === 'cancelled' || !canMove(s, 'cancelled')) && states.includes('cancelled') ? 'cancelled' : caseStatusOf(states);
  if (status !== c.status) await updateCase(deps.prisma, shop, caseId, { status });
  return { status, lines: c.lines.map((l) => ({ id: l.id.toString(), state: l.state })) };
}
