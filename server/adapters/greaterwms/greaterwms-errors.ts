// Every way a GreaterWMS call can fail, as typed errors the job queue understands (retryable or permanent),
// and the one function that turns a raw HTTP answer into data or one of these errors.
//
// GreaterWMS 2.1.x answers almost every error with HTTP 200: DRF errors carry `status_code` in the body
// (400 validation, 404 not found, 429 throttled, 500 business refusal); uncaught Python exceptions give a real
// HTTP 500 with Django's HTML debug page (DEBUG=True). So success means: HTTP 2xx, JSON, and no `status_code`.
import { PermanentError, RetryableError } from '../../core/errors.js';

/** Request context attached to every GreaterWMS error (never the token). */
export interface WmsCallInfo {
  method: string;
  /** Path with query, e.g. "/dn/list/?dn_code=SHOP-1001". */
  path: string;
}

const where = (c: WmsCallInfo) => `${c.method} ${c.path}`;

// ---- retryable -----------------------------------------------------------------------------------------

export class GreaterWmsUnreachableError extends RetryableError {
  constructor(call: WmsCallInfo, cause: unknown, reason: string) {
    super('wms.unreachable', `GreaterWMS is unreachable (${reason}) on ${where(call)}`, { cause });
  }
}

/** The connection broke mid-request. A write may or may not have been committed: repeat the idempotent op. */
export class GreaterWmsConnectionResetError extends RetryableError {
  constructor(call: WmsCallInfo, cause: unknown, reason: string) {
    super('wms.connection_reset', `GreaterWMS closed the connection (${reason}) on ${where(call)}`, { cause });
  }
}

export class GreaterWmsTimeoutError extends RetryableError {
  readonly method: string;
  constructor(
    call: WmsCallInfo,
    readonly timeoutMs: number,
  ) {
    super('wms.timeout', `GreaterWMS did not answer within ${timeoutMs} ms on ${where(call)}`);
    this.method = call.method;
  }
}

export class GreaterWmsUnavailableError extends RetryableError {
  constructor(call: WmsCallInfo, readonly httpStatus: number, retryAfterMs?: number) {
    super('wms.unavailable', `GreaterWMS answered HTTP ${httpStatus} on ${where(call)}`, { retryAfterMs });
  }
}

export class GreaterWmsThrottledError extends RetryableError {
  constructor(call: WmsCallInfo, retryAfterMs = 1000) {
    // GreaterWMS throttles per second (utils/throttle.py: 500 requests per method per 1 s).
    super('wms.throttled', `GreaterWMS throttled the request on ${where(call)}`, { retryAfterMs });
  }
}

/** SQLite "database is locked" and similar: an uncaught database exception that passes with time. */
export class GreaterWmsDatabaseBusyError extends RetryableError {
  constructor(call: WmsCallInfo, readonly exception: string) {
    super('wms.database_busy', `GreaterWMS database error (${exception}) on ${where(call)}`);
  }
}

/** Another worker holds this tenant's write lock for too long. */
export class GreaterWmsLockTimeoutError extends RetryableError {
  constructor(tenant: string, waitedMs: number) {
    super('wms.lock_timeout', `waited ${waitedMs} ms for the GreaterWMS write lock of tenant ${tenant}`);
  }
}

// ---- permanent -----------------------------------------------------------------------------------------

export class GreaterWmsTokenRejectedError extends PermanentError {
  constructor(
    call: WmsCallInfo,
    readonly detail: string,
  ) {
    super('wms.token_rejected', `GreaterWMS rejected the token ("${detail}") on ${where(call)}`);
  }
}

/** The operator header names no staff of this tenant (found by the connection test). */
export class GreaterWmsOperatorUnknownError extends PermanentError {
  constructor(readonly operator: number) {
    super('wms.operator_unknown', `GreaterWMS has no staff with id ${operator} for this token (operator header)`);
  }
}

/** A refusal with a `detail` text (DRF APIException, body status_code 500). Same answer on every retry. */
export class GreaterWmsRejectedError extends PermanentError {
  constructor(
    call: WmsCallInfo,
    readonly detail: string,
    readonly bodyStatus: number,
    code = 'wms.rejected',
  ) {
    super(code, `GreaterWMS refused ${where(call)}: ${detail}`);
  }
}

/** The select/script text filter refused a value ("Bad Data can‘not be store"). */
export class GreaterWmsTextRefusedError extends GreaterWmsRejectedError {
  constructor(call: WmsCallInfo, detail: string) {
    super(call, detail, 500, 'wms.text_refused');
  }
}

export class GreaterWmsNotFoundError extends GreaterWmsRejectedError {
  constructor(call: WmsCallInfo, detail: string) {
    super(call, detail, 404, 'wms.not_found');
  }
}

/** DRF serializer errors: `{field: [messages], status_code: 400}`. */
export class GreaterWmsValidationError extends PermanentError {
  constructor(
    call: WmsCallInfo,
    readonly fields: Record<string, string[]>,
  ) {
    const list = Object.entries(fields)
      .map(([k, v]) => `${k}: ${v.join(' ')}`)
      .join('; ');
    super('wms.validation', `GreaterWMS validation failed on ${where(call)}: ${list}`);
  }
}

/** Uncaught Python exception (HTML debug page): the same input crashes it every time. */
export class GreaterWmsServerCrashError extends PermanentError {
  constructor(
    call: WmsCallInfo,
    readonly exception: string,
    hint: string,
  ) {
    super('wms.server_crash', `GreaterWMS crashed with ${exception} on ${where(call)}${hint ? ` — ${hint}` : ''}`);
  }
}

/** Not a GreaterWMS answer (HTML/text where JSON was expected, unexpected shape, wrong base URL). */
export class GreaterWmsBadResponseError extends PermanentError {
  constructor(call: WmsCallInfo, what: string) {
    super('wms.bad_response', `unexpected answer from GreaterWMS on ${where(call)}: ${what}`);
  }
}

// ---- classification -------------------------------------------------------------------------------------

export const TOKEN_DETAILS = ['Please Add Token To Your Request Headers', 'User Does Not Exists'];
const TEXT_REFUSED = /^Bad Data can.not be store$/;
/** Exceptions of the database layer: a locked SQLite file, a dropped MySQL connection. Worth retrying. */
const TRANSIENT_EXCEPTIONS = /^(OperationalError|InterfaceError|DatabaseError|ConnectionError|TimeoutError)$/;

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  retryAfter?: string | null;
}

/** Turns a raw answer into parsed JSON, or throws the matching typed error. Pure: unit-tested on real answers. */
export function classifyAnswer(call: WmsCallInfo & { operatorSent: boolean }, ans: RawAnswer): unknown {
  const isJson = /json/i.test(ans.contentType);
  if (ans.status === 429) throw new GreaterWmsThrottledError(call, retryAfterMs(ans.retryAfter));
  if (ans.status >= 500) {
    const exception = debugPageException(ans.text);
    if (exception) {
      if (TRANSIENT_EXCEPTIONS.test(exception)) throw new GreaterWmsDatabaseBusyError(call, exception);
      throw new GreaterWmsServerCrashError(call, exception, crashHint(exception, call));
    }
    throw new GreaterWmsUnavailableError(call, ans.status, retryAfterMs(ans.retryAfter));
  }
  if (ans.status < 200 || ans.status >= 300) {
    // 404 HTML from Django's URL resolver: a wrong base URL or missing trailing slash, not a retry matter.
    throw new GreaterWmsBadResponseError(call, `HTTP ${ans.status} ${isJson ? ans.text.slice(0, 200) : '(not JSON)'}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(ans.text);
  } catch {
    throw new GreaterWmsBadResponseError(
      call,
      `HTTP ${ans.status} ${ans.contentType || 'no content type'} that is not JSON — is the URL a GreaterWMS server?`,
    );
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && 'status_code' in body) {
    throwBodyError(call, body as Record<string, unknown>);
  }
  return body;
}

function throwBodyError(call: WmsCallInfo, body: Record<string, unknown>): never {
  const code = Number(body.status_code);
  const detail = typeof body.detail === 'string' ? body.detail : typeof body.Detail === 'string' ? body.Detail : null;
  if (detail && TOKEN_DETAILS.includes(detail)) throw new GreaterWmsTokenRejectedError(call, detail);
  if (code === 429) throw new GreaterWmsThrottledError(call);
  if (code === 502 || code === 503 || code === 504) throw new GreaterWmsUnavailableError(call, code);
  if (code === 400 && detail === null) {
    const fields: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k === 'status_code') continue;
      fields[k] = Array.isArray(v) ? v.map(String) : [String(v)];
    }
    throw new GreaterWmsValidationError(call, fields);
  }
  if (code === 404) throw new GreaterWmsNotFoundError(call, detail ?? 'not found');
  if (detail && TEXT_REFUSED.test(detail)) throw new GreaterWmsTextRefusedError(call, detail);
  throw new GreaterWmsRejectedError(call, detail ?? JSON.stringify(body).slice(0, 300), code || 500);
}

/** "<title>IndexError\n at /dn/list/" → "IndexError". Null when the page is not Django's debug page. */
export function debugPageException(text: string): string | null {
  const m = /<title>\s*([A-Za-z_][\w.]*)\s+at\s/.exec(text.slice(0, 4000));
  return m ? m[1]!.split('.').pop()! : null;
}

function crashHint(exception: string, call: WmsCallInfo & { operatorSent: boolean }): string {
  if (!call.operatorSent && exception === 'AttributeError') return 'the operator header is missing';
  if (exception === 'AttributeError') return 'usually an unknown operator (staff id), bin or goods code in the request';
  if (exception === 'IndexError' && /custom_(dn|asn)=/.test(call.path)) return 'a custom code without any digit';
  if (exception === 'KeyError') return 'a required body key is missing';
  return '';
}

function retryAfterMs(h: string | null | undefined): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

/** Maps a fetch/undici failure to unreachable / reset / timeout. */
export function classifyNetworkError(call: WmsCallInfo, err: unknown, timeoutMs: number): Error {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return new GreaterWmsTimeoutError(call, timeoutMs);
  const code = e?.cause?.code ?? e?.code ?? '';
  const message = e?.cause?.message ?? (err instanceof Error ? err.message : String(err));
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code)) {
    return new GreaterWmsUnreachableError(call, err, code);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new GreaterWmsUnreachableError(call, err, 'connect timeout');
  // ECONNRESET, EPIPE, UND_ERR_SOCKET ("other side closed"), a body cut short: the request may have run.
  return new GreaterWmsConnectionResetError(call, err, code || message);
}

/** "Data Exists" (goods) / "Data exists" (customer, supplier, driver, lookups): a create found a live duplicate. */
export function isDataExists(err: unknown): boolean {
  return err instanceof GreaterWmsRejectedError && /^data exists$/i.test(err.detail.trim());
}

/** "DN Code does not exists" / "ASN Code does not exists": no header with that code. */
export function isCodeMissing(err: unknown): boolean {
  return err instanceof GreaterWmsRejectedError && /^(DN|ASN) Code does not exists$/i.test(err.detail.trim());
}
