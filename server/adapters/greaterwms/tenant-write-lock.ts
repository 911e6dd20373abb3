// Writes to one GreaterWMS tenant run one at a time. Its workflow endpoints are long read-modify-write loops
// with no transaction (reference §0.3, issue #134: negative bin stock under concurrency), and our own
// idempotency relies on "look up, then create" not racing another writer. Two layers:
//  - in-process: a promise chain per tenant (no database connection is held while queued);
//  - across processes: a PostgreSQL advisory lock per tenant (server/db/advisory-lock.ts), when a pool is given.
import type pg from 'pg';
import { AdvisoryLockTimeoutError, withAdvisoryLock } from '../../db/advisory-lock.js';
import { GreaterWmsLockTimeoutError } from './greaterwms-errors.js';

export interface WriteLock {
  run<T>(tenantKey: string, fn: () => Promise<T>): Promise<T>;
}

const ADVISORY_NAMESPACE = 'greaterwms-tenant-write';

export class TenantWriteLock implements WriteLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * @param pool  PostgreSQL pool for the cross-process lock; omit for single-process use (tests, demo).
   * @param waitMs  How long to wait for the lock before failing retryably. 60 s: one DN creation is ~6 calls of
   *   at most GREATERWMS_TIMEOUT_MS (15 s) each in the worst case, normally well under a second.
   */
  constructor(
    private readonly pool?: pg.Pool,
    private readonly waitMs = 60_000,
  ) {}

  async run<T>(tenantKey: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(tenantKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(tenantKey, tail);
    const started = Date.now();
    try {
      await prev;
      if (!this.pool) return await fn();
      const left = Math.max(1, this.waitMs - (Date.now() - started));
      return await withAdvisoryLock(this.pool, ADVISORY_NAMESPACE, tenantKey, left, fn);
    } catch (err) {
      if (err instanceof AdvisoryLockTimeoutError) throw new GreaterWmsLockTimeoutError(tenantKey, this.waitMs);
      throw err;
    } finally {
      release();
      if (this.tails.get(tenantKey) === tail) this.tails.delete(tenantKey);
    }
  }
}
