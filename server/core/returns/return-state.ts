// The state machine of one returned line (what the merchant sees per line; docs/returns.md). Every move goes
// through `transition()`, which rejects moves the machine does not allow: a late, repeated or out-of-order
// event can never move a line backwards (e.g. a second refund webhook re-announcing a put-away line).
//
//  received ─► needs_rule ─(rule saved)─► disposition_decided ─► inbound_created ─► received_in_warehouse ─► put_away ─► stock_reflected
//     │                                        └─► written_off (write_off: audit only, no inbound)
//     └─► order_update_requested ─► dn_adjusted | flagged_for_warehouse     (refund before shipping)
//  cancelled: the return was cancelled/declined before anything reached the warehouse.
//  failed: the warehouse refused the inbound (unknown goods, no bin of the kind…); retried by a rule save or the next event.

export const RETURN_LINE_STATES = [
  'received',
  'needs_rule',
  'disposition_decided',
  'inbound_created',
  'received_in_warehouse',
  'put_away',
  'stock_reflected',
  'written_off',
  'order_update_requested',
  'dn_adjusted',
  'flagged_for_warehouse',
  'cancelled',
  'failed',
] as const;
export type ReturnLineState = (typeof RETURN_LINE_STATES)[number];

const NEXT: Record<ReturnLineState, readonly ReturnLineState[]> = {
  received: ['needs_rule', 'disposition_decided', 'order_update_requested', 'cancelled'],
  needs_rule: ['disposition_decided', 'cancelled'],
  disposition_decided: ['inbound_created', 'written_off', 'cancelled', 'failed'],
  // inbound_created → put_away directly: automatic receiving, or staff received and put away between two polls.
  inbound_created: ['received_in_warehouse', 'put_away', 'failed'],
  received_in_warehouse: ['put_away'],
  put_away: ['stock_reflected'],
  stock_reflected: [],
  written_off: [],
  order_update_requested: ['dn_adjusted', 'flagged_for_warehouse'],
  dn_adjusted: [],
  flagged_for_warehouse: [],
  cancelled: [],
  // A failed inbound is retried from its decided disposition (the inbound code is deterministic).
  failed: ['disposition_decided', 'cancelled'],
};

export class InvalidReturnTransitionError extends Error {
  constructor(
    readonly from: ReturnLineState,
    readonly to: ReturnLineState,
  ) {
    super(`return line cannot move from ${from} to ${to}`);
    this.name = 'InvalidReturnTransitionError';
  }
}

export function isReturnLineState(s: string): s is ReturnLineState {
  return (RETURN_LINE_STATES as readonly string[]).includes(s);
}

export function canMove(from: ReturnLineState, to: ReturnLineState): boolean {
  return NEXT[from].includes(to);
}

/** Returns `to` when the move is allowed; throws InvalidReturnTransitionError otherwise. */
export function transition(from: ReturnLineState, to: ReturnLineState): ReturnLineState {
  if (!canMove(from, to)) throw new InvalidReturnTransitionError(from, to);
  return to;
}

export function isTerminal(state: ReturnLineState): boolean {
  return NEXT[state].length === 0;
}

/** Lines waiting for the warehouse to receive / put away their inbound (the poll watches these). */
export const AWAITING_WAREHOUSE: readonly ReturnLineState[] = ['inbound_created', 'received_in_warehouse', 'put_away'];

export type ReturnCaseStatus = 'open' | 'needs_rule' | 'failed' | 'done' | 'cancelled';

/** The case's status shown in lists, derived from its lines. */
export function caseStatusOf(states: ReturnLineState[]): ReturnCaseStatus {
  if (states.includes('needs_rule')) return 'needs_rule';
  if (states.includes('failed')) return 'failed';
  if (states.length > 0 && states.every((s) => s === 'cancelled')) return 'cancelled';
  if (states.length > 0 && states.every(isTerminal)) return 'done';
  return 'open';
}
