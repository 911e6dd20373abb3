// Small re-implementations of the Python/Django/DRF behaviour GreaterWMS relies on, so that the simulator's
// numbers, times and links come out exactly as the real server's (round(), urlencode(), naive Shanghai time).
import { createHash } from 'node:crypto';

/** Python's round(x, n): round half to even on the exact decimal value of the double. */
export function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) return x;
  const neg = x < 0;
  // toFixed gives the exact decimal expansion of the double up to 100 digits, enough to spot real ties.
  const s = Math.abs(x).toFixed(Math.min(100, n + 30));
  const [intPart, frac = ''] = s.split('.');
  const keep = frac.slice(0, n);
  const rest = frac.slice(n);
  let digits = (intPart ?? '0') + keep;
  const first = rest[0] ?? '0';
  const tail = rest.slice(1);
  let roundUp = false;
  if (first > '5') roundUp = true;
  else if (first === '5') {
    if (/[1-9]/.test(tail)) roundUp = true;
    else roundUp = Number(digits[digits.length - 1] ?? '0') % 2 === 1;
  }
  if (roundUp) {
    const arr = digits.split('').map(Number);
    let i = arr.length - 1;
    while (i >= 0) {
      if (arr[i]! < 9) {
        arr[i]! += 1;
        break;
      }
      arr[i] = 0;
      i--;
    }
    if (i < 0) arr.unshift(1);
    digits = arr.join('');
  }
  const intLen = digits.length - n;
  const str = n > 0 ? `${digits.slice(0, intLen)}.${digits.slice(intLen)}` : digits;
  const v = Number(str);
  return neg ? -v : v;
}

export function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

// --- time: GreaterWMS runs with TIME_ZONE='Asia/Shanghai', USE_TZ=False (naive local time, UTC+8, no DST) ---
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** A point in time as the DB stores it: epoch milliseconds plus a microsecond part for isoformat(). */
export interface Stamp {
  ms: number;
  micro: number; // 0..999 extra microseconds within the millisecond
}

function parts(st: Stamp) {
  const d = new Date(st.ms + SHANGHAI_OFFSET_MS);
  const p2 = (v: number) => String(v).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    micros: d.getUTCMilliseconds() * 1000 + st.micro,
    compact: `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}`,
  };
}

/** Serializer format used by list/retrieve: "%Y-%m-%d %H:%M:%S". */
export function fmtList(st: Stamp): string {
  const p = parts(st);
  return `${p.date} ${p.time}`;
}

/** Raw datetime.isoformat() as create/update responses render it (no fraction when microseconds are 0). */
export function fmtIso(st: Stamp): string {
  const p = parts(st);
  return p.micros === 0 ? `${p.date}T${p.time}` : `${p.date}T${p.time}.${String(p.micros).padStart(6, '0')}`;
}

export function fmtCompactDate(st: Stamp): string {
  return parts(st).compact;
}

/** Parses a filter value like "2025-01-01 00:00:00" / "2025-01-01T00:00:00" / "2025-01-01" as Shanghai local time. */
export function parseLocalTime(v: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(v.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Math.floor(+(m[7] ?? '0').padEnd(6, '0') / 1000));
  return ms - SHANGHAI_OFFSET_MS;
}

// --- urllib.parse, as used by DRF's replace_query_param/remove_query_param ---

/** urllib.parse.quote_plus with the default safe set (always-safe: letters, digits, "_.-~"). */
export function quotePlus(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function unquotePlus(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s.replace(/\+/g, ' ');
  }
}

/** parse_qs(query, keep_blank_values=True): keys in first-seen order, values as lists. */
export function parseQs(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of query.split(/[&]/)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = unquotePlus(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : unquotePlus(part.slice(eq + 1));
    if (eq < 0) continue; // parse_qs drops "name" without "=" unless strict; matches Python's default
    const list = out.get(k) ?? [];
    list.push(v);
    out.set(k, list);
  }
  return out;
}

function urlencodeSorted(q: Map<string, string[]>): string {
  const keys = [...q.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs: string[] = [];
  for (const k of keys) for (const v of q.get(k)!) pairs.push(`${quotePlus(k)}=${quotePlus(v)}`);
  return pairs.join('&');
}

interface Split {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
}

function urlsplit(url: string): Split {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) return { scheme: '', netloc: '', path: url, query: '' };
  return { scheme: m[1]!.toLowerCase(), netloc: m[2]!, path: m[3]!, query: m[4] ?? '' };
}

function urlunsplit(s: Split): string {
  return `${s.scheme}://${s.netloc}${s.path}${s.query ? `?${s.query}` : ''}`;
}

export function replaceQueryParam(url: string, key: string, val: string | number): string {
  const s = urlsplit(url);
  const q = parseQs(s.query);
  q.set(key, [String(val)]);
  return urlunsplit({ ...s, query: urlencodeSorted(q) });
}

export function removeQueryParam(url: string, key: string): string {
  const s = urlsplit(url);
  const q = parseQs(s.query);
  q.delete(key);
  return urlunsplit({ ...s, query: urlencodeSorted(q) });
}

/** Python's sorted() on str: code point order. */
export function pySorted(xs: string[]): string[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Seedable PRNG (mulberry32) so demo data and fault probabilities are reproducible. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
