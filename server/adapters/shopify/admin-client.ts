// Every Admin GraphQL call goes through here. Documents come from ./graphql/*.ts (named constants).
//  - Cost throttling arrives as HTTP 200 with errors[].extensions.code = THROTTLED: wait for the bucket to
//    refill ((requested − available) / restoreRate) and retry; past the inline budget, RetryableError with
//    retryAfterMs so the queue reschedules the job instead of holding a worker.
//  - HTTP 429 / 5xx / network errors: short exponential backoff inline, then RetryableError.
//  - 401/403 and other 4xx: PermanentError (a person must act: reinstall, scope missing…).
//  - Mutation userErrors: ShopifyUserErrors (a PermanentError carrying the codes) unless allowUserErrors.
//  - Mutations that 2026-04 makes idempotent-only must carry `@idempotent(key: $idempotencyKey)`; the caller
//    passes the key (persisted with its outbox row so a retry reuses it).
import {
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
  type Session,
} from '@shopify/shopify-api';
import type { Logger } from 'pino';
import { PermanentError, RetryableError } from '../../core/errors.js';
import type { ShopifyApi } from './shopify-api.js';

/** Attempts per call before handing the retry to the job queue (3 = the first call + 2 quick retries). */
export const INLINE_ATTEMPTS = 3;
/** Longer waits are not slept inline: the job is rescheduled (a worker is not held for a bucket refill). */
export const MAX_INLINE_WAIT_MS = 5_000;
/** 5xx/network backoff: 500 ms, 1 s (then the queue's own backoff takes over). */
const BASE_BACKOFF_MS = 500;
/** One call never hangs a worker: Shopify answers well within this or something is wrong. */
const REQUEST_TIMEOUT_MS = 20_000;

/** Mutations whose 2026-04 version rejects a call without @idempotent (changelog 2025-12-12). */
export const IDEMPOTENT_MUTATIONS = [
  'inventorySetQuantities',
  'inventoryAdjustQuantities',
  'inventoryMoveQuantities',
  'inventorySetOnHandQuantities',
  'inventoryShipmentCreate',
  'inventoryShipmentCreateInTransit',
  'inventoryShipmentReceive',
  'refundCreate',
] as const;

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** A mutation answered with userErrors (validation, stale changeFromQuantity…). */
export class ShopifyUserErrors extends PermanentError {
  constructor(
    readonly mutation: string,
    readonly userErrors: UserError[],
  ) {
    super(
      `shopify.user_errors`,
      `${mutation}: ${userErrors.map((e) => `${e.code ?? 'ERROR'} ${e.field?.join('.') ?? ''} ${e.message}`.trim()).join('; ')}`,
    );
  }
  get codes(): string[] {
    return this.userErrors.map((e) => e.code ?? 'ERROR');
  }
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  /** Required for IDEMPOTENT_MUTATIONS; sent as $idempotencyKey. */
  idempotencyKey?: string;
  /** Return data even when a mutation reports userErrors (the caller inspects them). */
  allowUserErrors?: boolean;
  signal?: AbortSignal;
}

export interface AdminGraphql {
  request<T>(document: string, opts?: RequestOptions): Promise<T>;
}

export interface AdminClientDeps {
  shopify: ShopifyApi;
  /** Returns a valid offline session (SessionRepo.offlineSession). */
  session: (shop: string) => Promise<Session>;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds until the bucket holds `needed` points again. */
export function throttleWaitMs(status: ThrottleStatus | undefined, needed: number | undefined): number {
  if (!status || !(status.restoreRate > 0)) return 1_000;
  const want = Math.min(needed ?? status.maximumAvailable / 10, status.maximumAvailable);
  const missing = Math.max(0, want - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1000) + 50; // +50 ms: the bucket refills continuously
}

function mutationFields(document: string): string[] {
  if (!/^\s*(#[^\n]*\n\s*)*mutation\b/m.test(document)) return [];
  return IDEMPOTENT_MUTATIONS.filter((name) => new RegExp(`\\b${name}\\s*\\(`).test(document));
}

export function checkIdempotency(document: string, opts: RequestOptions): void {
  const needing = mutationFields(document);
  if (needing.length === 0) return;
  if (!/@idempotent\s*\(\s*key\s*:\s*\$idempotencyKey\s*\)/.test(document)) {
    throw new TypeError(`${needing.join(', ')} requires @idempotent(key: $idempotencyKey) in Admin API 2026-04`);
  }
  if (!opts.idempotencyKey) throw new TypeError(`${needing.join(', ')} requires an idempotencyKey`);
}

function findUserErrors(data: unknown): { mutation: string; errors: UserError[] } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const [field, value] of Object.entries(data as Record<string, unknown>)) {
    const errors = (value as { userErrors?: UserError[] } | null)?.userErrors;
    if (Array.isArray(errors) && errors.length > 0) return { mutation: field, errors };
  }
  return undefined;
}

interface GraphqlErrorBody {
  errors?: { graphQLErrors?: { message?: string; extensions?: { code?: string } }[] };
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

type Attempt = { retryAfterMs: number; error: RetryableError };

/**
 * Pacing of one client's concurrent calls (a stock cycle sends up to 4 at once). Each answer's throttleStatus
 * says what the shop's bucket holds; an attempt made while other calls of this client are under way (sent, or
 * waiting to retry) waits until that figure, refilled at restoreRate since, minus the points reserved by the
 * attempts in flight, covers its own cost (the requestedQueryCost last seen for the same document). Without it,
 * calls throttled together sleep the same wait, wake together and are throttled again until their attempts run
 * out. A lone call is sent at once, as before: THROTTLED answers are still waited out per call below.
 */
class CostPacer {
  private bucket: (ThrottleStatus & { at: number }) | undefined;
  private reserved = 0;
  /** Calls of this client between their first attempt and their outcome. */
  active = 0;
  private readonly costs = new Map<string, number>();

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  /** Waits for room (or gives up with the wait when it is longer than MAX_INLINE_WAIT_MS); returns the points reserved. */
  async acquire(document: string, shop: string): Promise<number> {
    // Not seen yet: a mutation is assumed at Shopify's usual 10 points, a query at 0 (sent, and learnt from).
    const cost = this.costs.get(document) ?? (/^\s*(#[^\n]*\n\s*)*mutation\b/m.test(document) ? 10 : 0);
    for (;;) {
      const b = this.bucket;
      if (this.active <= 1 || !b || !(b.restoreRate > 0) || cost === 0) break;
      const level = Math.min(b.maximumAvailable, b.currentlyAvailable + ((Date.now() - b.at) / 1000) * b.restoreRate) - this.reserved;
      if (level >= cost) break;
      const wait = Math.ceil(((cost - level) / b.restoreRate) * 1000) + 50; // +50 ms: as throttleWaitMs
      if (wait > MAX_INLINE_WAIT_MS) throw new RetryableError('shopify.throttled', `Shopify cost bucket of ${shop} is empty (paced)`, { retryAfterMs: wait });
      await this.sleep(wait);
    }
    this.reserved += cost;
    return cost;
  }

  release(reserved: number): void {
    this.reserved -= reserved;
  }

  /** Records an answer's cost figures (successful or THROTTLED). */
  observe(document: string, cost: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } | undefined): void {
    if (typeof cost?.requestedQueryCost === 'number') this.costs.set(document, cost.requestedQueryCost);
    if (cost?.throttleStatus) this.bucket = { ...cost.throttleStatus, at: Date.now() };
  }
}

export function createAdminGraphql(deps: AdminClientDeps, shop: string): AdminGraphql {
  const sleep = deps.sleep ?? defaultSleep;
  const pacer = new CostPacer(sleep);

  const classify = (err: unknown): Attempt => {
    if (err instanceof GraphqlQueryError) {
      const body = err.body as GraphqlErrorBody | undefined;
      const gqlErrors = body?.errors?.graphQLErrors ?? [];
      if (gqlErrors.some((e) => e.extensions?.code === 'THROTTLED')) {
        const cost = body?.extensions?.cost;
        const wait = throttleWaitMs(cost?.throttleStatus, cost?.requestedQueryCost);
        return { retryAfterMs: wait, error: new RetryableError('shopify.throttled', `Shopify throttled ${shop} (query cost)`, { cause: err, retryAfterMs: wait }) };
      }
      if (gqlErrors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        return { retryAfterMs: BASE_BACKOFF_MS, error: new RetryableError('shopify.internal', `Shopify internal error: ${err.message}`, { cause: err }) };
      }
      // Invalid document, missing access, etc.: the same call fails again.
      throw new PermanentError('shopify.graphql_error', `Shopify GraphQL error for ${shop}: ${gqlErrors.map((e) => e.message).join('; ') || err.message}`, { cause: err });
    }
    if (err instanceof HttpThrottlingError) {
      const wait = Math.max(1, err.response.retryAfter ?? 1) * 1000;
      return { retryAfterMs: wait, error: new RetryableError('shopify.rate_limited', `Shopify answered 429 for ${shop}`, { cause: err, retryAfterMs: wait }) };
    }
    if (err instanceof HttpInternalError || err instanceof HttpMaxRetriesError) {
      return { retryAfterMs: BASE_BACKOFF_MS, error: new RetryableError('shopify.unavailable', `Shopify ${err.message.split('\n')[0]}`, { cause: err }) };
    }
    if (err instanceof HttpResponseError) {
      const code = err.response.code;
      if (code === 401 || code === 403) {
        throw new PermanentError('shopify.unauthorized', `Shopify refused the token of ${shop} (${code}): reinstall or grant the scope`, { cause: err });
      }
      throw new PermanentError('shopify.http_error', `Shopify answered ${code} for ${shop}`, { cause: err });
    }
    if (err instanceof HttpRequestError || err instanceof TypeError || (err as { name?: string })?.name === 'TimeoutError') {
      return { retryAfterMs: BASE_BACKOFF_MS, error: new RetryableError('shopify.network', `Shopify unreachable: ${(err as Error).message}`, { cause: err }) };
    }
    throw err;
  };

  return {
    async request<T>(document: string, opts: RequestOptions = {}): Promise<T> {
      checkIdempotency(document, opts);
      const variables = opts.idempotencyKey ? { ...opts.variables, idempotencyKey: opts.idempotencyKey } : opts.variables;
      let last: Attempt | undefined;
      pacer.active++;
      try {
        for (let attempt = 1; attempt <= INLINE_ATTEMPTS; attempt++) {
          const session = await deps.session(shop);
          const client = new deps.shopify.clients.Graphql({ session });
          let reserved: number | undefined;
          try {
            reserved = await pacer.acquire(document, shop);
            const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS);
            const res = await client.request<T>(document, { variables, signal }).finally(() => pacer.release(reserved!));
            pacer.observe(document, (res.extensions as GraphqlErrorBody['extensions'])?.cost);
            const data = res.data as T;
            const userErrors = findUserErrors(data);
            if (userErrors && !opts.allowUserErrors) throw new ShopifyUserErrors(userErrors.mutation, userErrors.errors);
            return data;
          } catch (err) {
            if (err instanceof ShopifyUserErrors) throw err;
            if (reserved === undefined) throw err; // the pacer gave up: a RetryableError with its wait
            if (err instanceof GraphqlQueryError) pacer.observe(document, (err.body as GraphqlErrorBody | undefined)?.extensions?.cost);
            last = classify(err);
            const backoff = last.error.code === 'shopify.throttled' || last.error.code === 'shopify.rate_limited' ? last.retryAfterMs : BASE_BACKOFF_MS * 2 ** (attempt - 1);
            if (attempt === INLINE_ATTEMPTS || backoff > MAX_INLINE_WAIT_MS) break;
            deps.log?.debug({ shop, code: last.error.code, attempt, waitMs: backoff }, 'shopify call retried');
            await sleep(backoff);
          }
        }
        throw last!.error;
      } finally {
        pacer.active--;
      }
    },
  };
}
