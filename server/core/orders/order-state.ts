// The order sync state machine (what the merchant sees per order). Every transition goes through
// `transition()`, which rejects moves the machine does not allow, so a late or duplicated event can never move
// an order backwards (e.g. a stale "received" after "shipped").

export const ORDER_STATES = [
  'received',
  'needs_mapping',
  'needs_address',
  'queued',
  'in_warehouse',
  'partially_shipped',
  'shipped',
  'fulfilled',
  'cancelled',
  'cancel_requested_in_warehouse',
  'cancelled_in_warehouse',
  'failed',
  // Nothing on the order for the warehouse (digital only, other locations, already fulfilled elsewhere).
  'not_for_warehouse',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const HELD: OrderState[] = ['needs_mapping', 'needs_address'];

/** Allowed moves. `failed` can be retried back to `queued`; holds resume to `queued` when resolved. */
const NEXT: Record<OrderState, readonly OrderState[]> = {
  received: ['needs_mapping', 'needs_address', 'queued', 'cancelled', 'failed', 'not_for_warehouse'],
  needs_mapping: ['needs_address', 'queued', 'cancelled', 'failed', 'needs_mapping', 'not_for_warehouse'],
  needs_address: ['needs_mapping', 'queued', 'cancelled', 'failed', 'needs_address', 'not_for_warehouse'],
  // queued → cancel_requested_in_warehouse: the create's answer was lost after the warehouse confirmed it.
  queued: [...HELD, 'in_warehouse', 'cancelled', 'cancel_requested_in_warehouse', 'failed'],
  in_warehouse: ['partially_shipped', 'shipped', 'cancelled', 'cancel_requested_in_warehouse', 'cancelled_in_warehouse', 'failed'],
  partially_shipped: ['shipped', 'fulfilled', 'cancel_requested_in_warehouse', 'cancelled_in_warehouse', 'failed'],
  shipped: ['fulfilled', 'failed'],
  fulfilled: [],
  cancelled: [],
  cancel_requested_in_warehouse: ['cancelled_in_warehouse', 'partially_shipped', 'shipped', 'cancelled'],
  cancelled_in_warehouse: [],
  failed: ['queued', 'cancelled', 'needs_mapping', 'needs_address', 'not_for_warehouse'],
  not_for_warehouse: [],
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: OrderState,
    readonly to: OrderState,
  ) {
    super(`order cannot move from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

/** Returns `to` when the move is allowed; throws InvalidTransitionError otherwise. */
export function transition(from: OrderState, to: OrderState): OrderState {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  return to;
}

export function isTerminal(state: OrderState): boolean {
  return NEXT[state].length === 0;
}
