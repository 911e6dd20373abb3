// Replays a recorded GreaterWMS trace (greaterwms-api.md §10 format) against a running server and compares
// every answer. Only the trace's declared volatile fields are normalised; ids and codes that are volatile
// (tokens, bar codes, t_codes) must be reproduced CONSISTENTLY: once trace value X has been seen as simulator
// value Y, X must always map to Y (and Y to X), and later requests that send X are sent with Y.
import http from 'node:http';
import { readFileSync } from 'node:fs';

export interface TraceHeader {
  trace: string;
  server: string;
  volatile_fields: string[];
  volatile_notes?: string;
  demo_goods_pattern: string;
}

export interface TraceStep {
  step: number;
  note: string;
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; content_type: string; body: unknown };
}

export interface Trace {
  header: TraceHeader;
  steps: TraceStep[];
}

export function loadTrace(file: string): Trace {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = JSON.parse(lines[0]!) as TraceHeader;
  return { header, steps: lines.slice(1).map((l) => JSON.parse(l) as TraceStep) };
}

export interface StepResult {
  step: number;
  note: string;
  method: string;
  path: string;
  mismatches: string[];
  actual: { status: number; contentType: string; body: unknown };
}

/**
 * The recorder kept only the first 200 characters of non-JSON bodies (Django's HTML debug pages); a text
 * body matches when the simulator's first 200 characters are identical.
 */
export const TEXT_PREFIX_CHARS = 200;

/** A recorded body that was shortened beyond use (the transcript's "... (174 lines total, truncated)"). */
export const TRUNCATED_BODY = '__truncated__';

/** The host the trace was recorded against; replayed as the Host header so absolute links compare. */
export const RECORDED_HOST = '127.0.0.1:8008';

class Comparator {
  readonly bindings = new Map<string, string>(); // trace value -> simulator value
  private readonly reverse = new Map<string, string>();
  private readonly volatile: Set<string>;
  private readonly demo: RegExp;

  constructor(header: TraceHeader) {
    this.volatile = new Set(header.volatile_fields);
    this.demo = new RegExp(header.demo_goods_pattern);
  }

  bind(traceValue: string, simValue: string, where: string, out: string[]): void {
    const known = this.bindings.get(traceValue);
    const back = this.reverse.get(simValue);
    if (known === undefined && back === undefined) {
      this.bindings.set(traceValue, simValue);
      this.reverse.set(simValue, traceValue);
      return;
    }
    if (known !== simValue || back !== traceValue)
      out.push(`${where}: inconsistent volatile value: trace ${JSON.stringify(traceValue)} was ${JSON.stringify(known)}, now ${JSON.stringify(simValue)}`);
  }

  /** Substitutes bound values (and the <TOKEN>/<OPERATOR> placeholders) into request strings. */
  substitute(v: unknown): unknown {
    if (typeof v === 'string') {
      let s = this.bindings.get(v) ?? v;
      for (const ph of ['<TOKEN>', '<OPERATOR>']) {
        const b = this.bindings.get(ph);
        if (b !== undefined) s = s.split(ph).join(b);
      }
      return s;
    }
    if (Array.isArray(v)) return v.map((x) => this.substitute(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.substitute(x)]));
    return v;
  }

  compare(expected: unknown, actual: unknown, where: string, keyName: string | undefined, out: string[], demoObject = false): void {
    if (keyName !== undefined && (this.volatile.has(keyName) || (demoObject && keyName !== 'goods_code' && keyName !== 'id'))) {
      this.compareVolatile(expected, actual, where, keyName, out);
      return;
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) {
        out.push(`${where}: expected an array, got ${JSON.stringify(actual)?.slice(0, 120)}`);
        return;
      }
      if (expected.length !== actual.length) out.push(`${where}: expected ${expected.length} items, got ${actual.length}`);
      for (let i = 0; i < Math.min(expected.length, actual.length); i++) this.compare(expected[i], actual[i], `${where}[${i}]`, undefined, out);
      return;
    }
    if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        out.push(`${where}: expected an object, got ${JSON.stringify(actual)?.slice(0, 120)}`);
        return;
      }
      const e = expected as Record<string, unknown>;
      const a = actual as Record<string, unknown>;
      const isDemo = typeof e.goods_code === 'string' && this.demo.test(e.goods_code);
      for (const k of Object.keys(e)) {
        if (!(k in a)) out.push(`${where}.${k}: missing`);
        else this.compare(e[k], a[k], `${where}.${k}`, k, out, isDemo);
      }
      for (const k of Object.keys(a)) if (!(k in e)) out.push(`${where}.${k}: unexpected key (value ${JSON.stringify(a[k])?.slice(0, 80)})`);
      return;
    }
    if (typeof expected === 'string' && (expected === '<TOKEN>' || expected === '<OPERATOR>')) {
      if (typeof actual !== 'string' && typeof actual !== 'number') out.push(`${where}: expected ${expected}, got ${JSON.stringify(actual)}`);
      else this.bind(expected, String(actual), where, out);
      return;
    }
    if (expected !== actual) out.push(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  private compareVolatile(expected: unknown, actual: unknown, where: string, keyName: string, out: string[]): void {
    if (expected === null || actual === null) {
      if (expected !== actual) out.push(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return;
    }
    if (typeof expected !== typeof actual) {
      out.push(`${where}: volatile ${keyName} type differs: expected ${typeof expected}, got ${typeof actual}`);
      return;
    }
    if (typeof expected !== 'string') return; // a volatile number (transportation_cost) only needs its type
    const act = actual as string;
    if (keyName === 'create_time' || keyName === 'update_time') {
      const shape = (s: string) => s.replace(/\d/g, '9');
      if (shape(expected) !== shape(act)) out.push(`${where}: time format differs: expected like ${JSON.stringify(expected)}, got ${JSON.stringify(act)}`);
      return;
    }
    if (keyName === 'openid' || keyName === 'token') {
      this.bind(expected, act, where, out);
      return;
    }
    if (keyName === 't_code' || keyName === 'bar_code') {
      if (!/^[0-9a-f]{32}$/.test(act)) out.push(`${where}: ${keyName} is not a 32-hex md5: ${JSON.stringify(act)}`);
      this.bind(expected, act, where, out);
    }
    // Random demo values (warehouse city/contact, bin_size, demo goods attributes): type only.
  }
}

function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; contentType: string; text: string }> {
  const u = new URL(baseUrl);
  const payload = body === null || body === undefined ? undefined : JSON.stringify(body);
  const hdrs: Record<string, string> = { host: RECORDED_HOST, ...headers };
  if (payload !== undefined) {
    hdrs['content-type'] = 'application/json';
    hdrs['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers: hdrs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Media type without parameters: the recorder stored "text/html" for Django's "text/html; charset=utf-8". */
export function mediaType(ct: string): string {
  return ct.split(';')[0]!.trim().toLowerCase();
}

/** Compares one recorded answer with an actual one (exported for the gate's self-test). */
export function compareStep(cmp: Comparator, step: TraceStep, actual: { status: number; contentType: string; body: unknown }): string[] {
  const out: string[] = [];
  if (actual.status !== step.response.status) out.push(`status: expected ${step.response.status}, got ${actual.status}`);
  if (mediaType(actual.contentType) !== mediaType(step.response.content_type))
    out.push(`content type: expected ${step.response.content_type}, got ${actual.contentType}`);
  const exp = step.response.body;
  if (exp === TRUNCATED_BODY) return out; // the recording kept no body to compare
  if (typeof exp === 'string') {
    const got = typeof actual.body === 'string' ? actual.body : JSON.stringify(actual.body);
    const prefix = got.slice(0, TEXT_PREFIX_CHARS);
    if (prefix !== exp) out.push(`body: text differs: expected ${JSON.stringify(exp)}, got ${JSON.stringify(prefix)}`);
  } else {
    cmp.compare(exp, actual.body, 'body', undefined, out);
  }
  return out;
}

export function newComparator(header: TraceHeader): Comparator {
  return new Comparator(header);
}

export type { Comparator };

/** Replays every step in order against `baseUrl`; never stops early so one run reports every mismatch. */
export async function replayTrace(trace: Trace, baseUrl: string, alter?: (step: TraceStep) => TraceStep): Promise<StepResult[]> {
  const cmp = new Comparator(trace.header);
  const results: StepResult[] = [];
  for (const original of trace.steps) {
    const step = alter ? alter(original) : original;
    const headers = cmp.substitute(step.request.headers) as Record<string, string>;
    const body = cmp.substitute(step.request.body);
    const res = await send(baseUrl, step.request.method, step.request.path, headers, body);
    let parsed: unknown = res.text;
    if (mediaType(res.contentType) === 'application/json') {
      try {
        parsed = JSON.parse(res.text);
      } catch {
        parsed = res.text;
      }
    }
    const actual = { status: res.status, contentType: res.contentType, body: parsed };
    const mismatches = compareStep(cmp, step, actual);
    // The register answer defines <OPERATOR> (data.user_id) for every later request.
    if (step.step === 1 && parsed && typeof parsed === 'object') {
      const data = (parsed as { data?: { user_id?: unknown } }).data;
      if (data?.user_id !== undefined && !cmp.bindings.has('<OPERATOR>')) cmp.bindings.set('<OPERATOR>', String(data.user_id));
    }
    results.push({ step: step.step, note: step.note, method: step.request.method, path: step.request.path, mismatches, actual });
  }
  return results;
}
