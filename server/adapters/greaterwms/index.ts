// Building the GreaterWMS warehouse for a shop. One TenantWriteLock per process (shared by every client, so two
// shops on one tenant still serialise), PostgreSQL-backed when a pool is given (several worker processes).
import type pg from 'pg';
import type { Logger } from 'pino';
import { GreaterWmsWarehouse, type GreaterWmsWarehouseOptions } from './greaterwms-adapter.js';
import { GreaterWmsClient } from './greaterwms-client.js';
import { TenantWriteLock } from './tenant-write-lock.js';

export { GreaterWmsWarehouse } from './greaterwms-adapter.js';
export { GreaterWmsClient } from './greaterwms-client.js';
export * from './greaterwms-errors.js';

export interface GreaterWmsConnection {
  baseUrl: string;
  token: string;
  operator: number;
}

let processLock: TenantWriteLock | undefined;

/** The process-wide write lock; the first call decides whether it is PostgreSQL-backed. */
export function greaterWmsWriteLock(pool?: pg.Pool): TenantWriteLock {
  processLock ??= new TenantWriteLock(pool);
  return processLock;
}

export function createGreaterWmsWarehouse(
  conn: GreaterWmsConnection,
  opts: {
    /** config().GREATERWMS_TIMEOUT_MS */
    timeoutMs: number;
    pool?: pg.Pool;
    logger?: Logger;
    warehouse?: Omit<GreaterWmsWarehouseOptions, 'client'>;
  },
): GreaterWmsWarehouse {
  const client = new GreaterWmsClient({
    ...conn,
    timeoutMs: opts.timeoutMs,
    logger: opts.logger,
    lock: greaterWmsWriteLock(opts.pool),
  });
  return new GreaterWmsWarehouse({ ...opts.warehouse, client });
}
