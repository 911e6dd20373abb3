// Audit trail of external calls made for an order: what, when, outcome, duration. Only the operation name and
// the error code are kept (no payloads, so no personal data).
import type { Db } from '../../db/repos/order-sync-repo.js';
import { recordExternalCall } from '../../db/repos/order-sync-repo.js';
import type { ClassifiedError } from '../errors.js';

export type Audited = <T>(system: 'warehouse' | 'storefront', operation: string, orderId: string | null, fn: () => Promise<T>) => Promise<T>;

export function auditor(db: Db, shop: string, now: () => Date = () => new Date()): Audited {
  return async (system, operation, orderId, fn) => {
    const at = now();
    const started = performance.now();
    let outcome: 'ok' | 'error' = 'ok';
    let errorCode: string | null = null;
    try {
      return await fn();
    } catch (err) {
      outcome = 'error';
      errorCode = (err as ClassifiedError).code ?? (err as Error).name ?? 'error';
      throw err;
    } finally {
      const durationMs = Math.round(performance.now() - started);
      // An audit write failing must not turn a successful external call into a retried one.
      await recordExternalCall(db, { shop, orderId, system, operation, outcome, errorCode, durationMs, at }).catch(() => {});
    }
  };
}
