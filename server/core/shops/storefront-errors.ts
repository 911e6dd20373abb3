// A storefront write refused for a reason the caller can act on (stale compare-and-swap, unknown item,
// not stocked at the location…). Platform-neutral: `codes` are the platform's machine-readable reasons.
import { PermanentError } from '../errors.js';

export class StorefrontRejected extends PermanentError {
  constructor(
    readonly operation: string,
    readonly codes: string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super('storefront.rejected', `${operation}: ${message}`, options);
  }
  has(code: string): boolean {
    return this.codes.includes(code);
  }
}
