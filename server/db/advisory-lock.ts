// Cross-process mutual exclusion with PostgreSQL session advisory locks. The lock lives on one pooled
// connection for the duration of `fn`; if the process dies the connection closes and PostgreSQL releases the
// lock at once, so a crashed worker can never leave a tenant locked.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export class AdvisoryLockTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`advisory lock "${key}" not obtained within ${waitedMs} ms`);
    this.name = 'AdvisoryLockTimeoutError';
  }
}

/** Two int4 keys from a namespace and a key (pg_advisory_lock(int, int) form; 2^-64 collision odds). */
export function advisoryKeys(namespace: string, key: string): [number, number] {
  const h = createHash('sha256').update(namespace).update('\0').update(key).digest();
  return [h.readInt32BE(0), h.readInt32BE(4)];
}

/**
 * Runs fn while holding the advisory lock (namespace, key). Waits at most timeoutMs (PostgreSQL's lock_timeout
 * applies to advisory locks) and then throws AdvisoryLockTimeoutError.
 */
export async function withAdvisoryLock<T>(
  pool: pg.Pool,
  namespace: string,
  key: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const [k1, k2] = advisoryKeys(namespace, key);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [k1, k2]);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') throw new AdvisoryLockTimeoutError(`${namespace}:${key}`, timeoutMs);
      throw err;
    } finally {
      await client.query('RESET lock_timeout').catch((e: Error) => (broken = e));
    }
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [k1, k2]).catch((e: Error) => (broken = e));
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: destroy it rather than reuse it.
    client.release(broken);
  }
}
