import { describe, expect, it } from 'vitest';
import { canTransition, InvalidTransitionError, isTerminal, ORDER_STATES, transition } from '../../../server/core/orders/order-state.js';

describe('order sync state machine', () => {
  it('happy path received → queued → in_warehouse → shipped → fulfilled is allowed step by step', () => {
    let s = transition('received', 'queued');
    s = transition(s, 'in_warehouse');
    s = transition(s, 'shipped');
    expect(transition(s, 'fulfilled')).toBe('fulfilled');
  });

  it('a stale event can never move a shipped order back into the warehouse', () => {
    expect(() => transition('shipped', 'in_warehouse')).toThrow(InvalidTransitionError);
    expect(() => transition('fulfilled', 'queued')).toThrow(/fulfilled to queued/);
  });

  it('an unmapped SKU holds the order and saving the mapping resumes it', () => {
    expect(transition(transition('received', 'needs_mapping'), 'queued')).toBe('queued');
  });

  it('cancel after confirmation in the warehouse goes through cancel_requested_in_warehouse, not cancelled', () => {
    expect(canTransition('in_warehouse', 'cancel_requested_in_warehouse')).toBe(true);
    expect(canTransition('partially_shipped', 'cancelled')).toBe(false);
  });

  it('fulfilled, cancelled and cancelled_in_warehouse are the only terminal states', () => {
    expect(ORDER_STATES.filter(isTerminal).sort()).toEqual(['cancelled', 'cancelled_in_warehouse', 'fulfilled', 'not_for_warehouse']);
  });
});
