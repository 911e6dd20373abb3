// HTTP transport to one GreaterWMS tenant: auth headers, timeouts, error detection on every answer, query
// encoding, and pagination computed from `count` (never from the `next` links, which asn/dn/binset build with
// the request's Origin scheme and so read "none://host/…" for a server-to-server call).
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  GreaterWmsBadResponseError,
  GreaterWmsNotFoundError,
  classifyAnswer,
  classifyNetworkError,
  type WmsCallInfo,
} from './greaterwms-errors.js';

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface GreaterWmsHttpOptions {
  /** e.g. "http://wms.local:8008" (no /api prefix; GreaterWMS serves resources at the root). */
  baseUrl: string;
  /** The tenant's openid, sent as the `token` header (GreaterWMS reads no Authorization header). */
  token: string;
  /** Staff id sent as the `operator` header; GreaterWMS crashes (HTML 500) on write endpoints without it. */
  operator: number;
  /** Per request. Default 15 000 ms (config GREATERWMS_TIMEOUT_MS): a release of a big DN on SQLite takes seconds. */
  timeoutMs?: number;
  /** Page size for list reads; GreaterWMS caps `max_page` at 1000. Tests lower it to exercise paging. */
  pageSize?: number;
  /** A GET that fails on the network is repeated this many times at once (reads are safe to repeat). */
  getRetries?: number;
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_PAGE_SIZE = 1000;

/** Percent-encodes every value (a raw ":" in a query makes /dn/list/ answer "Wrong API Url" when it pages). */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    const s = Array.isArray(v) ? v.join(',') : String(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export class GreaterWmsHttp {
  readonly baseUrl: string;
  readonly operator: number;
  readonly timeoutMs: number;
  readonly pageSize: number;
  /** Identifies the tenant without revealing the token (logs, lock keys). */
  readonly tenantKey: string;
  private readonly token: string;
  private readonly getRetries: number;
  private readonly fetchImpl: typeof fetch;
  private readonly log?: Logger;

  constructor(opts: GreaterWmsHttpOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.operator = opts.operator;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, opts.pageSize ?? MAX_PAGE_SIZE));
    this.getRetries = opts.getRetries ?? 1;
    this.fetchImpl = opts.fetch ?? fetch;
    this.log = opts.logger;
    this.tenantKey = createHash('sha256').update(`${this.baseUrl}\0${this.token}`).digest('hex').slice(0, 16);
  }

  get<T>(path: string, query?: Query, opts: { withOperator?: boolean } = {}): Promise<T> {
    return this.request<T>('GET', path, query, undefined, opts.withOperator ?? true);
  }
  post<T>(path: string, body: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, query, body ?? {});
  }
  put<T>(path: string, body: unknown, query?: Query): Promise<T> {
    return this.request<T>('PUT', path, query, body ?? {});
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path, undefined, undefined);
  }

  /** One page (1-based) of a list endpoint, shape-checked. */
  async page<T>(path: string, query: Query | undefined, page: number, size = this.pageSize): Promise<Page<T>> {
    const body = await this.get<unknown>(path, { ...query, max_page: size, page: page > 1 ? page : undefined });
    const b = body as Partial<Page<T>>;
    if (typeof b?.count !== 'number' || !Array.isArray(b.results)) {
      throw new GreaterWmsBadResponseError({ method: 'GET', path }, 'a list without count/results');
    }
    return b as Page<T>;
  }

  /**
   * Every row of a list: page count from `count` and the page size, ordered by id so rows do not move
   * between pages, de-duplicated by id. A page that vanished because rows were deleted meanwhile
   * ("无效页面。", 404) ends the read.
   */
  async listAll<T extends { id: number }>(path: string, query?: Query, size = this.pageSize): Promise<T[]> {
    const q = { ordering: 'id', ...query };
    const first = await this.page<T>(path, q, 1, size);
    const rows = new Map<number, T>();
    for (const r of first.results) rows.set(r.id, r);
    const pages = Math.ceil(first.count / size);
    for (let p = 2; p <= pages; p++) {
      try {
        const next = await this.page<T>(path, q, p, size);
        for (const r of next.results) rows.set(r.id, r);
      } catch (err) {
        if (err instanceof GreaterWmsNotFoundError) break;
        throw err;
      }
    }
    return [...rows.values()];
  }

  private async request<T>(
    method: string,
    path: string,
    query: Query | undefined,
    body: unknown,
    withOperator = true,
  ): Promise<T> {
    const fullPath = `${path}${buildQuery(query)}`;
    const call: WmsCallInfo & { operatorSent: boolean } = { method, path: fullPath, operatorSent: withOperator };
    const headers: Record<string, string> = { accept: 'application/json', token: this.token };
    if (withOperator) headers.operator = String(this.operator);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const attempts = method === 'GET' ? 1 + this.getRetries : 1;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${fullPath}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        const classified = classifyNetworkError(call, err, this.timeoutMs);
        this.log?.warn({ method, path: fullPath, attempt, err: classified.message }, 'greaterwms call failed');
        if (attempt < attempts) continue;
        throw classified;
      }
      this.log?.debug({ method, path: fullPath, status: res.status, ms: Date.now() - started }, 'greaterwms call');
      return classifyAnswer(call, {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        text,
        retryAfter: res.headers.get('retry-after'),
      }) as T;
    }
  }
}
