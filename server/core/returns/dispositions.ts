// Dispositions: what happens to a returned unit in the warehouse. A per-shop rule maps the return reason (or,
// without a reason, the refund's restock type) to one of them; the seeded defaults (shop "*", see the returns
// migration) apply when the shop has no rule of its own.
import type { ReturnDisposition } from '../ports.js';

export const DISPOSITIONS = ['restock', 'inspect', 'hold', 'damaged', 'write_off'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export function isDisposition(s: string): s is Disposition {
  return (DISPOSITIONS as readonly string[]).includes(s);
}

/** The warehouse bin kind of a disposition; null: no inbound at all (write_off, audit only). */
export function binKindOf(d: Disposition): ReturnDisposition | null {
  switch (d) {
    case 'restock':
      return 'sellable';
    case 'inspect':
      return 'inspection';
    case 'hold':
      return 'holding';
    case 'damaged':
      return 'damaged';
    case 'write_off':
      return null;
  }
}

export type RestockType = 'return' | 'cancel' | 'no_restock';

/** "reason:<handle>" (normalised: lower case, spaces/underscores → "-") or "restock:<type>". */
export function reasonKey(reason: string | null | undefined, restockType: RestockType | null): string {
  const handle = reason?.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (handle) return `reason:${handle}`;
  return `restock:${restockType ?? 'return'}`;
}

/** Valid rule keys: what reasonKey() produces. */
export function isReasonKey(key: string): boolean {
  return /^reason:[a-z0-9][a-z0-9-]{0,99}$/.test(key) || /^restock:(return|no_restock)$/.test(key);
}
