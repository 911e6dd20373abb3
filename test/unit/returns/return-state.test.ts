// The return line state machine and the disposition helpers (pure).
import { describe, expect, it } from 'vitest';
import { RETURN_LINE_STATES, InvalidReturnTransitionError, canMove, caseStatusOf, isTerminal, transition, type ReturnLineState } from '../../../server/core/returns/return-state.js';
import { binKindOf, isReasonKey, reasonKey, DISPOSITIONS } from '../../../server/core/returns/dispositions.js';

// The happy paths the feature relies on, written out independently of the table in return-state.ts.
const PATHS: ReturnLineState[][] = [
  ['received', 'disposition_decided', 'inbound_created', 'received_in_warehouse', 'put_away', 'stock_reflected'],
  ['received', 'needs_rule', 'disposition_decided', 'inbound_created', 'put_away', 'stock_reflected'],
  ['received', 'disposition_decided', 'written_off'],
  ['received', 'order_update_requested', 'dn_adjusted'],
  ['received', 'order_update_requested', 'flagged_for_warehouse'],
  ['received', 'disposition_decided', 'failed', 'disposition_decided', 'inbound_created'],
  ['received', 'needs_rule', 'cancelled'],
];

describe('return line state machine', () => {
  it.each(PATHS.map((p) => [p.join(' → '), p]))('allows %s', (_n, path) => {
    for (let i = 1; i < path.length; i++) expect(transition(path[i - 1]!, path[i]!)).toBe(path[i]);
  });

  it.each([
    ['stock_reflected', 'received'], // a late duplicate can never move a finished line back
    ['put_away', 'inbound_created'],
    ['inbound_created', 'disposition_decided'], // never announced twice
    ['inbound_created', 'cancelled'], // in the warehouse: withdrawal is an alert, not a silent cancel
    ['needs_rule', 'inbound_created'], // no inbound without a decided disposition
    ['received', 'inbound_created'],
    ['received', 'stock_reflected'],
    ['written_off', 'disposition_decided'],
    ['dn_adjusted', 'flagged_for_warehouse'],
    ['order_update_requested', 'inbound_created'], // refunded before shipping: never an inbound
    ['cancelled', 'received'],
  ] as [ReturnLineState, ReturnLineState][])('rejects %s → %s with InvalidReturnTransitionError', (from, to) => {
    expect(canMove(from, to)).toBe(false);
    expect(() => transition(from, to)).toThrow(InvalidReturnTransitionError);
    expect(() => transition(from, to)).toThrow(`return line cannot move from ${from} to ${to}`);
  });

  it('no state moves to itself, terminal states have no exit, and every non-terminal state can reach a terminal one', () => {
    for (const s of RETURN_LINE_STATES) expect(canMove(s, s)).toBe(false);
    expect(RETURN_LINE_STATES.filter(isTerminal).sort()).toEqual(['cancelled', 'dn_adjusted', 'flagged_for_warehouse', 'stock_reflected', 'written_off']);
    for (const start of RETURN_LINE_STATES) {
      const seen = new Set<ReturnLineState>([start]);
      const queue = [start];
      while (queue.length) {
        const s = queue.shift()!;
        for (const t of RETURN_LINE_STATES) {
          if (canMove(s, t) && !seen.has(t)) {
            seen.add(t);
            queue.push(t);
          }
        }
      }
      expect([...seen].some(isTerminal), `${start} reaches a terminal state`).toBe(true);
    }
  });

  it('case status: needs_rule wins, then failed; all cancelled → cancelled; all terminal → done; else open', () => {
    expect(caseStatusOf(['stock_reflected', 'needs_rule', 'failed'])).toBe('needs_rule');
    expect(caseStatusOf(['stock_reflected', 'failed'])).toBe('failed');
    expect(caseStatusOf(['cancelled', 'cancelled'])).toBe('cancelled');
    expect(caseStatusOf(['stock_reflected', 'written_off', 'cancelled'])).toBe('done');
    expect(caseStatusOf(['stock_reflected', 'inbound_created'])).toBe('open');
    expect(caseStatusOf([])).toBe('open');
  });
});

describe('dispositions', () => {
  it('reason key: the reason handle normalised, else the restock type', () => {
    expect(reasonKey('SIZE_TOO_SMALL', 'return')).toBe('reason:size-too-small');
    expect(reasonKey(' Arrived late ', null)).toBe('reason:arrived-late');
    expect(reasonKey(null, 'no_restock')).toBe('restock:no_restock');
    expect(reasonKey('', null)).toBe('restock:return');
  });

  it('valid rule keys are what reasonKey produces; cancel is not a rule (refund before shipping goes to the order)', () => {
    expect(isReasonKey('reason:arrived-late')).toBe(true);
    expect(isReasonKey('restock:return')).toBe(true);
    expect(isReasonKey('restock:no_restock')).toBe(true);
    expect(isReasonKey('restock:cancel')).toBe(false);
    expect(isReasonKey('order:unshipped')).toBe(false);
    expect(isReasonKey('reason:')).toBe(false);
    expect(isReasonKey('reason:Has Spaces')).toBe(false);
  });

  it('each disposition maps to its bin kind; write_off has none (no inbound)', () => {
    expect(Object.fromEntries(DISPOSITIONS.map((d) => [d, binKindOf(d)]))).toEqual({ restock: 'sellable', inspect: 'inspection', hold: 'holding', damaged: 'damaged', write_off: null });
  });
});
