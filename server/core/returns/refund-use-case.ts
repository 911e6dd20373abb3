// Refunds (docs/returns.md). A refund is immutable once created, so its event payload is recorded as is:
//  - lines refunded before they shipped (restock type cancel, or no_restock on a line with unshipped units)
//    must not ship: they are handed to the ORDER sync (server/core/orders/order-sync-use-case.ts), which
//    re-reads the order and replaces the warehouse order's lines while it is a draft or flags it otherwise;
//  - lines of a refund that settles a platform return are that return's case (no second inbound);
//  - other lines (return / no_restock of shipped units) become return lines decided by the restock-type rules.
import type { PrismaClient } from '@prisma/client';
import type { RefundInput } from './return-ports.js';
import { reasonKey } from './dispositions.js';
import { caseStatusOf, isReturnLineState, type ReturnLineState } from './return-state.js';
import { addLines, ensureCase, findCase, findCaseBySource, updateCase, type NewLine } from '../../db/repos/return-case-repo.js';
import { advanceLine } from './advance-line.js';
import { findOrderSync, raiseAlert } from '../../db/repos/order-sync-repo.js';
import { enqueueMany } from '../../queue/enqueue.js';
import { refundApplyJobSpec, returnProcessJobSpec } from './return-jobs.js';
import { PermanentError } from '../errors.js';

/** Reason key of lines handled by the order sync (never matched against disposition rules). */
export const UNSHIPPED_KEY = 'order:unshipped';

const tail = (gid: string) => gid.slice(gid.lastIndexOf('/') + 1);

export interface RecordRefundResult {
  caseId: bigint | null;
  returnLines: number;
  unshippedLines: number;
  coveredByReturn: number;
}

/** Records the refund's case and lines and enqueues its jobs, in one transaction (safe to repeat). */
export async function recordRefund(prisma: PrismaClient, shop: string, refund: RefundInput, now: Date): Promise<RecordRefundResult> {
  const unshipped = refund.lines.filter((l) => l.quantity > 0 && !l.fulfilled && (l.restockType === 'cancel' || l.restockType === 'no_restock'));
  const covered = refund.returnId ? refund.lines.filter((l) => l.quantity > 0 && l.fulfilled && l.restockType === 'return') : [];
  const returned = refund.lines.filter((l) => l.quantity > 0 && !unshipped.includes(l) && !covered.includes(l) && l.restockType !== 'cancel');
  if (unshipped.length === 0 && returned.length === 0) {
    // The return's own case handles its units; make sure it exists and runs even if returns/approve was missed.
    if (refund.returnId && covered.length > 0) await ensureReturnCase(prisma, shop, refund.returnId, refund.orderId);
    return { caseId: null, returnLines: 0, unshippedLines: 0, coveredByReturn: covered.length };
  }

  return prisma.$transaction(async (tx) => {
    const order = await findOrderSync(tx, shop, refund.orderId);
    const c = await ensureCase(tx, {
      shop,
      source: 'refund',
      sourceId: refund.refundId,
      name: `${order?.orderName ?? `#${tail(refund.orderId)}`}-F${tail(refund.refundId)}`,
      orderId: refund.orderId,
      orderName: order?.orderName ?? null,
    });
    const lines: NewLine[] = [
      ...unshipped.map((l) => ({ sourceLineId: l.id, lineItemId: l.lineItemId, variantId: l.variantId, sku: l.sku, quantity: l.quantity, reasonKey: UNSHIPPED_KEY, restockType: l.restockType })),
      ...returned.map((l) => ({ sourceLineId: l.id, lineItemId: l.lineItemId, variantId: l.variantId, sku: l.sku, quantity: l.quantity, reasonKey: reasonKey(null, l.restockType), restockType: l.restockType })),
    ];
    const created = await addLines(tx, shop, c.id, lines, now);
    // A repeat of the event (created nothing) enqueues nothing: the first delivery's jobs do the work.
    if (created.length > 0) {
      await enqueueMany(tx, [
        ...(created.some((l) => l.reasonKey === UNSHIPPED_KEY) ? [refundApplyJobSpec(shop, refund.orderId, c.id)] : []),
        ...(created.some((l) => l.reasonKey !== UNSHIPPED_KEY) ? [returnProcessJobSpec(shop, c.id)] : []),
      ]);
    }
    return { caseId: c.id, returnLines: returned.length, unshippedLines: unshipped.length, coveredByReturn: covered.length };
  });
}

/** Creates the case of a platform return when it is new and runs it (a known case is left to its own events). */
async function ensureReturnCase(prisma: PrismaClient, shop: string, returnId: string, orderId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const existing = await findCaseBySource(tx, shop, returnId);
    if (existing) return;
    const c = await ensureCase(tx, { shop, source: 'return', sourceId: returnId, name: null, orderId });
    await enqueueMany(tx, [returnProcessJobSpec(shop, c.id)]);
  });
}

export interface RefundApplyDeps {
  prisma: PrismaClient;
  /** The orders feature's sync of this order (re-reads it; replaces draft DN lines or flags the order). */
  syncOrder: (orderId: string) => Promise<unknown>;
  now: () => Date;
}

/** refund.apply: hands the unshipped lines to the order sync and records what the warehouse order became. */
export async function applyRefundToOrder(deps: RefundApplyDeps, shop: string, caseId: bigint): Promise<{ outcome: string }> {
  const { prisma } = deps;
  const c = await findCase(prisma, shop, caseId);
  if (!c || !c.orderId) throw new PermanentError('returns.no_case', `refund case ${caseId} does not exist for ${shop}`);
  const mine = c.lines.filter((l) => l.reasonKey === UNSHIPPED_KEY);
  for (const l of mine.filter((x) => x.state === 'received')) {
    await advanceLine(prisma, shop, l.id, 'received', 'order_update_requested', { stateReason: 'refunded before shipping: warehouse order to be reduced' }, { restockType: l.restockType }, deps.now());
  }
  const open = (await findCase(prisma, shop, caseId))!.lines.filter((l) => l.reasonKey === UNSHIPPED_KEY && l.state === 'order_update_requested');
  if (open.length === 0) return { outcome: 'unchanged' };

  await deps.syncOrder(c.orderId);
  const order = await findOrderSync(prisma, shop, c.orderId);
  let to: ReturnLineState;
  let reason: string;
  if (!order || !order.dnCode) {
    to = 'dn_adjusted';
    reason = 'no warehouse order yet: it will be created without the refunded units';
  } else if (order.flags.includes('edit_not_applied') || order.state === 'cancel_requested_in_warehouse') {
    to = 'flagged_for_warehouse';
    reason = `warehouse order ${order.dnCode} is past its draft status (${order.dnState ?? order.state}): reduce it in GreaterWMS`;
  } else {
    to = 'dn_adjusted';
    reason = order.state === 'cancelled' ? `warehouse order ${order.dnCode} cancelled` : `warehouse order ${order.dnCode} now has ${JSON.stringify(order.lines.map((l) => [l.goodsCode, l.quantity]))}`;
  }
  for (const l of open) {
    await advanceLine(prisma, shop, l.id, 'order_update_requested', to, { stateReason: reason }, { orderState: order?.state ?? null, dnCode: order?.dnCode ?? null, dnState: order?.dnState ?? null, flags: order?.flags ?? [] }, deps.now());
  }
  if (to === 'flagged_for_warehouse') {
    await raiseAlert(prisma, {
      shop,
      kind: 'refund.flagged_for_warehouse',
      subjectRef: `return:${c.sourceId}`,
      message: `Refund ${c.name ?? c.sourceId}: ${reason}`,
      details: { lines: open.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
    });
  }
  const after = (await findCase(prisma, shop, caseId))!;
  const status = caseStatusOf(after.lines.map((l) => (isReturnLineState(l.state) ? l.state : 'failed')));
  if (status !== after.status) await updateCase(prisma, shop, caseId, { status });
  return { outcome: to };
}
