// Request context, GreaterWMS error shapes (HTTP 200 + status_code body, Django HTML 500 pages), DRF-style
// pagination (with the asn/dn/binset Origin-header link bug) and django-filter style query filtering.
import type { Db, Row, StaffRow, UserRow } from './store.js';
import type { Stamp } from './python.js';
import { fmtIso, fmtList, parseLocalTime, parseQs, pySorted, removeQueryParam, replaceQueryParam } from './python.js';

export interface SimRequest {
  method: string;
  path: string;
  rawQuery: string;
  query: Map<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  remoteIp: string;
  /** The body was not valid JSON: DRF raises ParseError when the view reads request.data. */
  bodyParseError?: boolean;
}

export interface Ctx extends SimRequest {
  db: Db;
  user: UserRow;
  openid: string;
  params: string[];
}

export interface SimResponse {
  status: number;
  contentType: string;
  body: unknown; // JSON value, or string for HTML/text
  headers?: Record<string, string>;
}

export const JSON_TYPE = 'application/json';
export const HTML_TYPE = 'text/html; charset=utf-8';

export function json(body: unknown, status = 200): SimResponse {
  return { status, contentType: JSON_TYPE, body };
}

/** DRF APIException rendered by utils/my_exceptions.py: HTTP 200, status code copied into the body. */
export class ApiError extends Error {
  constructor(
    readonly body: Record<string, unknown>,
    readonly statusCode = 500,
  ) {
    super(String(body.detail ?? JSON.stringify(body)));
  }
}

export function apiError(detail: string, statusCode = 500): ApiError {
  return new ApiError({ detail }, statusCode);
}

export const NOT_FOUND_DETAIL = '未找到。';
export const INVALID_PAGE_DETAIL = '无效页面。';
export const REQUIRED_FIELD = '该字段是必填项。';
export const BAD_DATA = 'Bad Data can‘not be store';

export function notFound(): ApiError {
  return apiError(NOT_FOUND_DETAIL, 404);
}

/** An uncaught Python exception: Django's DEBUG=True technical 500 page, a real HTTP 500. */
export class PythonCrash extends Error {
  constructor(
    readonly excType: string,
    readonly excValue: string,
  ) {
    super(`${excType}: ${excValue}`);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

export function technical500(excType: string, excValue: string, path: string, method: string): SimResponse {
  // The first lines reproduce Django 3.2's technical_500.html byte for byte (the trace recorded them).
  const body =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n' +
    '  <meta name="robots" content="NONE,NOARCHIVE">\n' +
    `  <title>${escapeHtml(excType)}\n          at ${escapeHtml(path)}</title>\n` +
    '  <style type="text/css">html * { padding:0; margin:0; }</style>\n</head>\n<body>\n<div id="summary">\n' +
    `  <h1>${escapeHtml(excType)}\n       at ${escapeHtml(path)}</h1>\n` +
    `  <pre class="exception_value">${escapeHtml(excValue)}</pre>\n` +
    '  <table class="meta">\n' +
    `    <tr><th>Request Method:</th><td>${escapeHtml(method)}</td></tr>\n` +
    `    <tr><th>Exception Type:</th><td>${escapeHtml(excType)}</td></tr>\n` +
    `    <tr><th>Exception Value:</th><td><pre>${escapeHtml(excValue)}</pre></td></tr>\n` +
    '    <tr><th>Python Version:</th><td>3.11.2</td></tr>\n  </table>\n</div>\n' +
    '<div id="explanation"><p>You’re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p></div>\n' +
    '</body>\n</html>\n';
  return { status: 500, contentType: HTML_TYPE, body };
}

export function technical404(path: string): SimResponse {
  const body =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">\n' +
    `  <title>Page not found at ${escapeHtml(path)}</title>\n  <meta name="robots" content="NONE,NOARCHIVE">\n</head>\n<body>\n` +
    `  <h1>Page not found <span>(404)</span></h1>\n  <p>The current path, <code>${escapeHtml(path.replace(/^\//, ''))}</code>, didn’t match any of these.</p>\n</body>\n</html>\n`;
  return { status: 404, contentType: HTML_TYPE, body };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers used by handlers

export function header(ctx: SimRequest, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function q(ctx: SimRequest, name: string): string | undefined {
  const v = ctx.query.get(name);
  return v ? v[v.length - 1] : undefined;
}

/** Body as a dict; a missing key read with data['key'] is a Python KeyError -> HTML 500. */
export function bodyObj(ctx: Ctx): Record<string, unknown> {
  if (ctx.bodyParseError) throw new ApiError({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' }, 400);
  const b = ctx.body;
  if (b && typeof b === 'object' && !Array.isArray(b)) return b as Record<string, unknown>;
  return {};
}

export function key(data: Record<string, unknown>, k: string): unknown {
  if (!(k in data)) throw new PythonCrash('KeyError', `'${k}'`);
  return data[k];
}

/** Python int(x): ints, numeric strings; anything else is a ValueError/TypeError crash. */
export function pyInt(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
  if (typeof v === 'string') throw new PythonCrash('ValueError', `invalid literal for int() with base 10: '${v}'`);
  throw new PythonCrash('TypeError', `int() argument must be a string, a bytes-like object or a number, not '${v === null ? 'NoneType' : typeof v}'`);
}

export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** utils/datasolve.py data_validate: any value containing "script" or "select" is refused. */
export function textOk(v: unknown): boolean {
  return !/script|select/i.test(pyStr(v));
}

export function assertText(v: unknown): void {
  if (!textOk(v)) throw apiError(BAD_DATA);
}

/** staff.objects.filter(openid=…, id=HTTP_OPERATOR).first().staff_name */
export function operatorStaff(ctx: Ctx): StaffRow {
  const op = header(ctx, 'operator');
  if (op === undefined) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'staff_name'");
  if (!/^\s*\d+\s*$/.test(op)) throw new PythonCrash('ValueError', `Field 'id' expected a number but got '${op}'.`);
  const s = ctx.db.staff.find((r) => r.openid === ctx.openid && r.id === Number(op));
  if (!s) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'staff_name'");
  return s;
}

export function t(row: Row): { create_time: string; update_time: string } {
  return { create_time: fmtList(row.create_time), update_time: fmtList(row.update_time) };
}

export function tIso(row: Row): { create_time: string; update_time: string } {
  return { create_time: fmtIso(row.create_time), update_time: fmtIso(row.update_time) };
}

// ---------------------------------------------------------------------------------------------------------
// Filtering (django-filter) and ordering

export type FieldKind = 'text' | 'number' | 'time' | 'bool';
export type FilterSpec = Record<string, FieldKind>;

const LOOKUPS: Record<FieldKind, string[]> = {
  // Text fields declare exact/iexact/contains/icontains only: `goods_code__in` is silently ignored (real quirk).
  text: ['exact', 'iexact', 'contains', 'icontains'],
  number: ['exact', 'gt', 'gte', 'lt', 'lte', 'in', 'range'],
  time: ['exact', 'gt', 'gte', 'lt', 'lte', 'range', 'year', 'month', 'day'],
  bool: ['exact'],
};

function rawField(row: Row, field: string): unknown {
  return (row as unknown as Record<string, unknown>)[field];
}

function matches(kind: FieldKind, lookup: string, value: unknown, arg: string): boolean {
  if (kind === 'text') {
    const s = String(value ?? '');
    if (lookup === 'exact') return s === arg;
    if (lookup === 'iexact') return s.toLowerCase() === arg.toLowerCase();
    if (lookup === 'contains') return s.includes(arg);
    return s.toLowerCase().includes(arg.toLowerCase());
  }
  if (kind === 'bool') {
    const want = /^(true|1|yes|on)$/i.test(arg) ? true : /^(false|0|no|off)$/i.test(arg) ? false : undefined;
    return want === undefined ? true : value === want;
  }
  if (kind === 'number') {
    const n = Number(value);
    if (lookup === 'in') return arg.split(',').map((x) => Number(x.trim())).includes(n);
    if (lookup === 'range') {
      const [a, b] = arg.split(',').map((x) => Number(x.trim()));
      return n >= (a ?? -Infinity) && n <= (b ?? Infinity);
    }
    const a = Number(arg);
    if (Number.isNaN(a)) return true;
    return lookup === 'exact' ? n === a : lookup === 'gt' ? n > a : lookup === 'gte' ? n >= a : lookup === 'lt' ? n < a : n <= a;
  }
  // time: stored with microseconds (naive Shanghai time); the filter value is a naive local time string.
  const st = value as Stamp;
  if (lookup === 'year' || lookup === 'month' || lookup === 'day') {
    const local = fmtList(st);
    const part = lookup === 'year' ? local.slice(0, 4) : lookup === 'month' ? local.slice(5, 7) : local.slice(8, 10);
    return Number(part) === Number(arg);
  }
  const us = st.ms * 1000 + st.micro;
  if (lookup === 'range') {
    const [a, b] = arg.split(',').map((x) => parseLocalTime(x));
    if (a === undefined || b === undefined) return true;
    return us >= a * 1000 && us <= b * 1000;
  }
  const a = parseLocalTime(arg);
  if (a === undefined) return true;
  const au = a * 1000;
  return lookup === 'exact' ? us === au : lookup === 'gt' ? us > au : lookup === 'gte' ? us >= au : lookup === 'lt' ? us < au : us <= au;
}

export function applyFilters<T extends Row>(rows: T[], ctx: SimRequest, spec: FilterSpec): T[] {
  const conds: { field: string; kind: FieldKind; lookup: string; arg: string }[] = [];
  for (const [k, vals] of ctx.query) {
    const m = /^(.+?)(?:__(\w+))?$/.exec(k);
    if (!m) continue;
    const field = m[1]!;
    const lookup = m[2] ?? 'exact';
    const kind = spec[field];
    if (!kind || !LOOKUPS[kind].includes(lookup)) continue; // unknown params are ignored silently
    const arg = vals[vals.length - 1]!;
    if (arg === '') continue; // django-filter skips empty values
    conds.push({ field, kind, lookup, arg });
  }
  return rows.filter((r) => conds.every((c) => matches(c.kind, c.lookup, rawField(r, c.field), c.arg)));
}

/** Default ordering is Meta.ordering = ['-id'] nearly everywhere; ?ordering= accepts id/create_time/update_time. */
export function applyOrdering<T extends Row>(rows: T[], ctx: SimRequest, fallback: (a: T, b: T) => number = (a, b) => b.id - a.id): T[] {
  const param = q(ctx, 'ordering');
  const out = [...rows];
  const terms = (param ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => ['id', 'create_time', 'update_time'].includes(s.replace(/^-/, '')));
  if (terms.length === 0) return out.sort(fallback);
  const val = (r: T, f: string) => (f === 'id' ? r.id : (rawField(r, f) as { ms: number; micro: number }).ms * 1000 + (rawField(r, f) as { micro: number }).micro);
  return out.sort((a, b) => {
    for (const term of terms) {
      const desc = term.startsWith('-');
      const f = term.replace(/^-/, '');
      const d = val(a, f) - val(b, f);
      if (d !== 0) return desc ? -d : d;
    }
    return b.id - a.id;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Pagination

export type LinkStyle = 'drf' | 'origin';

export function absoluteUri(ctx: SimRequest): string {
  const host = header(ctx, 'host') ?? 'localhost';
  return `http://${host}${ctx.path}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`;
}

/** asn/page.py, dn/page.py, binset/page.py: scheme = str(Origin).split(':')[0]; >2 colons -> "Wrong API Url". */
function originLink(ctx: SimRequest, page: number, previous: boolean): string {
  const url = absoluteUri(ctx);
  const sslCheck = String(header(ctx, 'origin') ?? 'None').split(':')[0]!;
  const parts = url.split(':');
  if (parts.length !== 2 && parts.length !== 3) throw apiError('Wrong API Url');
  const rebuilt = [sslCheck, ...parts.slice(1)].join(':');
  if (previous && page === 1) return removeQueryParam(rebuilt, 'page');
  return replaceQueryParam(rebuilt, 'page', page);
}

function drfLink(ctx: SimRequest, page: number, previous: boolean): string {
  const url = absoluteUri(ctx);
  if (previous && page === 1) return removeQueryParam(url, 'page');
  return replaceQueryParam(url, 'page', page);
}

/** `render` turns the page's rows into their JSON (only the page's: rendering 10,000 stock rows per page was most of a read). */
export function paginate<T>(
  ctx: SimRequest,
  rows: T[],
  style: LinkStyle = 'drf',
  extras: [string, unknown][] = [],
  render: (row: T) => unknown = (row) => row,
): SimResponse {
  let size = 30;
  const mp = q(ctx, 'max_page');
  if (mp !== undefined && /^\d+$/.test(mp) && Number(mp) > 0) size = Math.min(Number(mp), 1000);
  const count = rows.length;
  const numPages = Math.max(1, Math.ceil(count / size));
  const pRaw = q(ctx, 'page') ?? '1';
  let page: number;
  if (pRaw === 'last') page = numPages;
  else if (/^\d+$/.test(pRaw) && Number(pRaw) >= 1 && Number(pRaw) <= numPages) page = Number(pRaw);
  else throw apiError(INVALID_PAGE_DETAIL, 404);
  const results = rows.slice((page - 1) * size, page * size).map(render);
  const link = style === 'origin' ? originLink : drfLink;
  const next = page < numPages ? link(ctx, page + 1, false) : null;
  const previous = page > 1 ? link(ctx, page - 1, true) : null;
  const body: Record<string, unknown> = {};
  for (const [k, v] of extras) body[k] = v;
  Object.assign(body, { count, next, previous, results });
  return json(body);
}

export function sortedNames(names: string[]): string[] {
  return pySorted(names);
}

export function parseQuery(raw: string): Map<string, string[]> {
  return parseQs(raw);
}
