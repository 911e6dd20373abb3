// Public contract of the job queue (server/queue). Producers enqueue JobSpecs; the worker runs the
// JobHandler registered for each type. Handlers throw RetryableError/PermanentError (server/core/errors.ts).
import type { Logger } from 'pino';

export interface JobSpec<P = unknown> {
  type: string;
  payload: P;
  /** Shop domain the job acts for (scopes listing and purging). */
  shop?: string | null;
  /** Dedupe: while a job with this key is pending or running, enqueueing it again does nothing. */
  uniqueKey?: string | null;
  /** With `uniqueKey`: replace the pending job's payload (and runAt) instead of doing nothing. */
  replacePending?: boolean;
  /** Jobs with the same ordering key run one at a time in enqueue order (e.g. `order:123`). */
  orderingKey?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

export interface JobRecord<P = unknown> {
  id: bigint;
  type: string;
  payload: P;
  shop: string | null;
  attempts: number;
  maxAttempts: number;
  orderingKey: string | null;
  enqueuedKey: string | null;
  createdAt: Date;
}

export interface JobContext {
  log: Logger;
  /** Aborted when the worker shuts down or loses the lease; long handlers should stop early. */
  signal: AbortSignal;
  /** Extends the lease for long work (the worker also heartbeats on its own). */
  heartbeat: () => Promise<void>;
}

export type JobHandler<P = unknown> = (job: JobRecord<P>, ctx: JobContext) => Promise<void>;
