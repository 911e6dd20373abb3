// Failure classification shared by every adapter and the job queue. An adapter throws one of these (or a
// subclass with a precise name); the queue retries a RetryableError with backoff and fails a PermanentError
// at once, keeping its message as the job's visible reason. Anything else is treated as retryable.

export abstract class ClassifiedError extends Error {
  abstract readonly retryable: boolean;
  /** Machine-readable reason, e.g. "wms.token_rejected", "shopify.throttled". */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Worth trying again later: network errors, timeouts, 5xx, 429/throttled, lock contention. */
export class RetryableError extends ClassifiedError {
  readonly retryable = true;
  /** A server-given hint (Retry-After, throttle restore time); the queue waits at least this long. */
  readonly retryAfterMs?: number;
  constructor(code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(code, message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Will fail the same way every time: validation, unknown goods, auth rejected. A person must act. */
export class PermanentError extends ClassifiedError {
  readonly retryable = false;
}

export function isRetryable(err: unknown): boolean {
  return err instanceof ClassifiedError ? err.retryable : true;
}
