// GreaterWMS 2.1.50 simulator: a real HTTP server with in-memory state, the real API's quirks, a control API
// (warehouse staff actions, clock, snapshots) and fault injection. See docs/greaterwms-simulator.md.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector, type ActiveFault, type FaultRule } from './faults.js';
import {
  ApiError,
  JSON_TYPE,
  PythonCrash,
  technical404,
  technical500,
  header,
  parseQuery,
  json,
  type Ctx,
  type SimRequest,
  type SimResponse,
} from './http-kit.js';
import { flowRoutes, stockGet, stockBinGet, dnLineGet, asnLineGet } from './routes-flow.js';
import { masterRoutes, publicRoutes, type Route } from './routes-master.js';
import { Db, registerTenant, where, type DnListRow, type AsnListRow, type StaffRow, type UserRow } from './store.js';
import {
  asnLines,
  confirmDn,
  dispatchDn,
  dnLines,
  moveToBin,
  pickDn,
  podDn,
  preloadAsn,
  presortAsn,
  releaseDn,
  sortAsn,
  writeAsnLines,
  writeDnLines,
  goodsOf,
  moveBinStock,
  type Actor,
} from './warehouse-ops.js';

export type { FaultRule, FaultAction, ActiveFault } from './faults.js';

export const CONTROL_PREFIX = '/__sim/';

export interface TenantInfo {
  name: string;
  password: string;
  /** The API token (`token` header) = the tenant's openid. */
  token: string;
  /** Staff id of the admin created at register (`operator` header). */
  operator: number;
}

export interface ResponseHookInfo {
  method: string;
  path: string;
  rawQuery: string;
}
/** Test-only: rewrite an answer before it is sent (used to prove the fidelity gate can fail). */
export type ResponseHook = (info: ResponseHookInfo, res: SimResponse) => SimResponse;

/** Identifies a DN/ASN for staff actions: its id, or its code (the newest non-deleted header with that code). */
export type DocRef = { id: number } | { code: string };

export interface GreaterWmsControl {
  /** Same as POST /register/: a tenant with its demo data; returns the token and the admin staff id. */
  createTenant(opts?: { name?: string; password?: string }): TenantInfo;
  /** A staff member (e.g. the connector's own "operator"); returns its id. */
  createStaff(token: string, staffName: string, staffType?: string): number;
  /** Staff action: PUT /dn/orderrelease/{id}/ (allocation, picking list, back orders). */
  release(token: string, dn: DocRef): void;
  /** Staff action: confirm picking of every picking-list row; `short` maps goods_code -> units NOT picked. */
  pick(token: string, dn: DocRef, short?: Record<string, number>): void;
  /** Staff action: dispatch with a driver (created when missing). */
  dispatch(token: string, dn: DocRef, driver?: string): void;
  /** Staff action: proof of delivery of everything in transit. */
  deliver(token: string, dn: DocRef): void;
  /** Release, pick in full and dispatch in one go. */
  ship(token: string, dn: DocRef, driver?: string): void;
  /** Staff action: preload, presort, sort (actual quantities, default = expected) and put away into `bin`. */
  receiveAsn(token: string, asn: DocRef, opts?: { actual?: Record<string, number>; bin?: string }): void;
  /** Puts stock into a bin the way a warehouse does it: an ASN from `supplier` received into `bin`. */
  stockIn(token: string, goodsCode: string, qty: number, opts?: { bin?: string; supplier?: string }): void;
  /** Staff action: move `qty` units of `goodsCode` from one bin to another (e.g. Inspection -> Normal). */
  moveStock(token: string, goodsCode: string, fromBin: string, toBin: string, qty: number): void;
  /** Plain copies of a tenant's rows as the API would render them. */
  snapshot(token: string): { stock: unknown[]; stockBins: unknown[]; dn: unknown[]; dnLines: unknown[]; asn: unknown[]; asnLines: unknown[] };
  /** Moves the simulator clock (create/update times) forward without sleeping. */
  advanceClock(ms: number): void;
  faults: {
    add(rule: FaultRule): number;
    remove(id: number): void;
    clear(): void;
    list(): ActiveFault[];
    seed(seed: number): void;
  };
  setResponseHook(hook: ResponseHook | undefined): void;
  /** Requests currently held open by a `timeout` fault. */
  heldRequests(): number;
  /**
   * Highest number of write requests (POST/PUT/PATCH/DELETE) of one tenant that were in flight at the same
   * time since the last reset. GreaterWMS workflows are not transactional, so a client must keep this at 1;
   * add a `latency` fault to make overlaps observable.
   */
  maxConcurrentWrites(token: string): number;
  resetConcurrentWrites(): void;
}

export interface GreaterWmsSimulator {
  url: string;
  close(): Promise<void>;
  control: GreaterWmsControl;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** Seed for demo data and bar codes (and the default fault PRNG seed). */
  seed?: number;
  /**
   * Emulate a deployment built with django-filter >= 22.1 (e.g. distro packages): views use the legacy
   * `filter_class`, so every filter is silently dropped and lists come back unfiltered.
   */
  filtersDisabled?: boolean;
  /**
   * utils/throttle.py VisitThrottle: per tenant, client IP and method, at most this many requests within one
   * second (settings GET_THROTTLE etc. = 500); beyond, DRF's Throttled answer with status_code 429.
   */
  throttlePerSecond?: number;
}

/** Query parameters a view reads itself (not django-filter), kept when filters are disabled. */
const NON_FILTER_PARAMS = new Set(['page', 'max_page', 'ordering', 'custom_dn', 'custom_asn', 'search']);

const allRoutes: Route[] = [...masterRoutes, ...flowRoutes];

function sendResponse(res: http.ServerResponse, r: SimResponse, origin: string | undefined): void {
  const payload = r.contentType.startsWith(JSON_TYPE) ? JSON.stringify(r.body) : String(r.body ?? '');
  const headers: Record<string, string | number> = {
    'Content-Type': r.contentType,
    'Content-Length': Buffer.byteLength(payload),
    Vary: 'Accept, Origin',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    ...(r.headers ?? {}),
  };
  if (origin) headers['Access-Control-Allow-Origin'] = '*';
  res.writeHead(r.status, headers);
  res.end(payload);
}

function crashResponse(err: unknown, req: SimRequest): SimResponse {
  if (err instanceof ApiError) return json({ ...err.body, status_code: err.statusCode });
  if (err instanceof PythonCrash) return technical500(err.excType, err.excValue, req.path, req.method);
  // A bug in the simulator itself: still answer like Django would, and say so on stderr.
  console.error('[greaterwms-sim] internal error', err);
  return technical500('SimulatorError', String(err instanceof Error ? err.stack : err), req.path, req.method);
}

/**
 * VisitThrottle: every request stores a row; rows older than 1 s are dropped; with >= limit rows younger than
 * 1 s for (openid, ip, method) the request is refused. Throttled requests are stored too, as in the real table.
 */
function throttle(db: Db, openid: string, req: SimRequest): SimResponse | undefined {
  const fwd = header(req, 'x-forwarded-for');
  const ip = fwd ? fwd.split(',')[0]!.trim() : req.remoteIp;
  const key = `${openid}|${ip}|${req.method}`;
  const now = Date.now() + db.clockOffsetMs;
  const rows = (db.throttleLog.get(key) ?? []).filter((t) => now - t < 1000);
  rows.push(now);
  db.throttleLog.set(key, rows);
  if (rows.length - 1 >= db.throttlePerSecond) {
    // wait() = 1 - whole seconds since the oldest row = 1; DRF appends its (untranslated) wait sentence.
    return json({ detail: '请求超过了限速。 Expected available in 1 second.', status_code: 429 });
  }
  return undefined;
}

/** Routes one parsed request through auth, routing and the handlers (no faults). */
export function handleApi(db: Db, req: SimRequest): SimResponse {
  try {
    for (const r of publicRoutes) {
      if (r.method === req.method && r.pattern.test(req.path)) return r.handler({ ...req, db });
    }
    const candidates = allRoutes.filter((r) => r.pattern.test(req.path));
    if (candidates.length === 0) {
      const slashed = `${req.path}/`;
      if (!req.path.endsWith('/') && [...allRoutes, ...publicRoutes].some((r) => r.pattern.test(slashed))) {
        // Django APPEND_SLASH: GET is redirected, a POST cannot be and crashes in CommonMiddleware.
        if (req.method === 'GET' || req.method === 'HEAD')
          return { status: 301, contentType: 'text/html; charset=utf-8', body: '', headers: { Location: `${slashed}${req.rawQuery ? `?${req.rawQuery}` : ''}` } };
        return technical500('RuntimeError', `You called this URL via ${req.method}, but the URL doesn’t end in a slash and you have APPEND_SLASH set.`, req.path, req.method);
      }
      return technical404(req.path);
    }
    // utils/auth.py: the token header is the only credential.
    const token = header(req, 'token');
    if (token === undefined || token === '') return json({ detail: 'Please Add Token To Your Request Headers', status_code: 500 });
    const user = db.users.find((u) => u.openid === token);
    if (!user) return json({ detail: 'User Does Not Exists', status_code: 500 });
    const throttled = throttle(db, user.openid, req);
    if (throttled) return throttled;
    const route = candidates.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
    if (!route) return json({ detail: `方法 “${req.method}” 不被允许。`, status_code: 405 });
    const m = route.pattern.exec(req.path)!;
    const query = db.filtersDisabled ? new Map([...req.query].filter(([k]) => NON_FILTER_PARAMS.has(k))) : req.query;
    const ctx: Ctx = { ...req, query, db, user, openid: user.openid, params: m.slice(1) };
    return route.handler(ctx);
  } catch (err) {
    return crashResponse(err, req);
  }
}

function userByToken(db: Db, token: string): UserRow {
  const u = db.users.find((x) => x.openid === token);
  if (!u) throw new Error(`unknown token ${token}`);
  return u;
}

function actorFor(db: Db, token: string): Actor {
  const u = userByToken(db, token);
  const staff = db.staff.find((s) => s.id === u.staffId)!;
  return { db, openid: u.openid, staffName: staff.staff_name };
}

function findDn(db: Db, openid: string, ref: DocRef): DnListRow {
  const h =
    'id' in ref
      ? where(db.dnlist, 'id', ref.id).find((d) => d.openid === openid && d.id === ref.id && !d.is_delete)
      : where(db.dnlist, 'dn_code', ref.code).filter((d) => d.openid === openid && d.dn_code === ref.code && !d.is_delete).sort((a, b) => b.id - a.id)[0];
  if (!h) throw new Error(`DN ${JSON.stringify(ref)} not found`);
  return h;
}

function findAsn(db: Db, openid: string, ref: DocRef): AsnListRow {
  const h =
    'id' in ref
      ? where(db.asnlist, 'id', ref.id).find((d) => d.openid === openid && d.id === ref.id && !d.is_delete)
      : where(db.asnlist, 'asn_code', ref.code).filter((d) => d.openid === openid && d.asn_code === ref.code && !d.is_delete).sort((a, b) => b.id - a.id)[0];
  if (!h) throw new Error(`ASN ${JSON.stringify(ref)} not found`);
  return h;
}

/** Turns an ApiError from a staff action into a plain Error with the GreaterWMS text. */
function staffAction<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError) throw new Error(`GreaterWMS refused: ${JSON.stringify(err.body)}`);
    throw err;
  }
}

interface WriteTracker {
  inFlight: Map<string, number>;
  max: Map<string, number>;
}

function makeControl(db: Db, faults: FaultInjector, hooks: { response?: ResponseHook }, held: Set<Socket>, writes: WriteTracker): GreaterWmsControl {
  let tenantSeq = 0;
  const control: GreaterWmsControl = {
    createTenant(opts = {}) {
      const name = opts.name ?? `sim_tenant_${++tenantSeq}_${db.users.length + 1}`;
      const password = opts.password ?? 'sim-pass-1';
      if (db.users.some((u) => u.name === name)) throw new Error(`user ${name} exists`);
      const u = registerTenant(db, name, password);
      return { name, password, token: u.openid, operator: u.staffId };
    },
    createStaff(token, staffName, staffType = 'Outbound') {
      const u = userByToken(db, token);
      if (db.staff.some((s) => s.openid === u.openid && s.staff_name === staffName && !s.is_delete)) throw new Error(`staff ${staffName} exists`);
      const row: StaffRow = { ...db.base('staff', u.openid), staff_name: staffName, staff_type: staffType, check_code: 1234, is_lock: false, error_check_code_counter: 0 };
      db.staff.push(row);
      return row.id;
    },
    release(token, dn) {
      const a = actorFor(db, token);
      staffAction(() => releaseDn(a, findDn(db, a.openid, dn)));
    },
    pick(token, dn, short = {}) {
      const a = actorFor(db, token);
      const h = findDn(db, a.openid, dn);
      const remaining = { ...short };
      const rows = db.picking.filter((p) => p.openid === a.openid && p.dn_code === h.dn_code && p.picking_status === 0 && !p.is_delete);
      const goodsData = rows.map((p) => {
        const miss = Math.min(remaining[p.goods_code] ?? 0, p.pick_qty);
        remaining[p.goods_code] = (remaining[p.goods_code] ?? 0) - miss;
        return { goods_code: p.goods_code, t_code: p.t_code, pick_qty: p.pick_qty - miss };
      });
      staffAction(() => pickDn(a, h, h.customer, goodsData));
    },
    dispatch(token, dn, driver = 'Driver Name-1') {
      const a = actorFor(db, token);
      if (!db.driver.some((d) => d.openid === a.openid && d.driver_name === driver && !d.is_delete))
        db.driver.push({ ...db.base('driver', a.openid), driver_name: driver, license_plate: 'SIM-1', contact: '10000000000', creater: a.staffName });
      staffAction(() => dispatchDn(a, findDn(db, a.openid, dn), driver));
    },
    deliver(token, dn) {
      const a = actorFor(db, token);
      const h = findDn(db, a.openid, dn);
      const lines = dnLines(db, a.openid, h.dn_code, 5);
      staffAction(() => podDn(a, h, lines.map((l) => ({ goods_code: l.goods_code, intransit_qty: l.intransit_qty, delivery_damage_qty: 0 }))));
    },
    ship(token, dn, driver) {
      control.release(token, dn);
      control.pick(token, dn);
      control.dispatch(token, dn, driver);
    },
    receiveAsn(token, asn, opts = {}) {
      const a = actorFor(db, token);
      const h = findAsn(db, a.openid, asn);
      const bin = opts.bin ?? 'A010101';
      staffAction(() => {
        if (h.asn_status === 1) preloadAsn(a, h.id);
        if (h.asn_status === 2) presortAsn(a, h.id);
        if (h.asn_status === 3) {
          const lines = asnLines(db, a.openid, h.asn_code, 3);
          sortAsn(
            a,
            h.id,
            lines.map((l) => ({ goods_code: l.goods_code, goods_actual_qty: opts.actual?.[l.goods_code] ?? l.goods_qty })),
          );
        }
        for (const l of asnLines(db, a.openid, h.asn_code, 4)) {
          const left = l.goods_actual_qty - l.sorted_qty;
          if (left > 0) moveToBin(a, l.id, l.goods_code, bin, left);
        }
      });
    },
    stockIn(token, goodsCode, qty, opts = {}) {
      const a = actorFor(db, token);
      const goods = goodsOf(db, a.openid, goodsCode);
      if (!goods) throw new Error(`goods ${goodsCode} does not exist`);
      const supplier = opts.supplier ?? 'Supplier Name-1';
      const code = `SIM-IN-${db.asnlist.length + 1}`;
      const h: AsnListRow = {
        ...db.base('asnlist', a.openid),
        asn_code: code,
        asn_status: 1,
        supplier: '',
        total_weight: 0,
        total_volume: 0,
        total_cost: 0,
        transportation_fee: {},
        bar_code: db.token(code),
        creater: 'simulator',
      };
      db.asnlist.push(h);
      staffAction(() => writeAsnLines(a, code, supplier, [{ goods, qty }], false));
      control.receiveAsn(token, { id: h.id }, { bin: opts.bin });
    },
    moveStock(token, goodsCode, fromBin, toBin, qty) {
      const a = actorFor(db, token);
      let left = qty;
      const rows = db.stockbin
        .filter((b) => b.openid === a.openid && b.goods_code === goodsCode && b.bin_name === fromBin && !b.is_delete)
        .sort((x, y) => x.id - y.id);
      for (const r of rows) {
        const take = Math.min(left, r.goods_qty - r.pick_qty - r.picked_qty);
        if (take > 0) staffAction(() => moveBinStock(a, r.id, goodsCode, toBin, take));
        left -= Math.max(0, take);
        if (left <= 0) break;
      }
      if (left > 0) throw new Error(`only ${qty - left} of ${qty} x ${goodsCode} could be moved out of ${fromBin}`);
    },
    snapshot(token) {
      const u = userByToken(db, token);
      const mine = <T extends { openid: string; is_delete: boolean }>(rows: T[]) => rows.filter((r) => r.openid === u.openid && !r.is_delete);
      return {
        stock: mine(db.stocklist).map(stockGet),
        stockBins: mine(db.stockbin).map(stockBinGet),
        dn: mine(db.dnlist).map((d) => ({ id: d.id, dn_code: d.dn_code, dn_status: d.dn_status, customer: d.customer, back_order_label: d.back_order_label, creater: d.creater })),
        dnLines: mine(db.dndetail).map(dnLineGet),
        asn: mine(db.asnlist).map((d) => ({ id: d.id, asn_code: d.asn_code, asn_status: d.asn_status, supplier: d.supplier })),
        asnLines: mine(db.asndetail).map(asnLineGet),
      };
    },
    advanceClock(ms) {
      db.clockOffsetMs += ms;
    },
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
      seed: (seed) => faults.seed(seed),
    },
    setResponseHook(hook) {
      hooks.response = hook;
    },
    heldRequests: () => held.size,
    maxConcurrentWrites: (token) => writes.max.get(token) ?? 0,
    resetConcurrentWrites: () => writes.max.clear(),
  };
  return control;
}

/** Control API over HTTP (for demos and non-TypeScript tests): POST/GET/DELETE under /__sim/. */
function handleControl(control: GreaterWmsControl, method: string, path: string, body: Record<string, unknown>): SimResponse {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length - 1)}`;
  const token = String(body.token ?? '');
  const ref = (kind: 'dn' | 'asn'): DocRef =>
    body[`${kind}_id`] !== undefined ? { id: Number(body[`${kind}_id`]) } : { code: String(body[`${kind}_code`] ?? '') };
  try {
    switch (route) {
      case 'GET /health':
        return json({ ok: true });
      case 'POST /tenants':
        return json(control.createTenant({ name: body.name as string | undefined, password: body.password as string | undefined }));
      case 'POST /staff':
        return json({ id: control.createStaff(token, String(body.staff_name), body.staff_type as string | undefined) });
      case 'POST /warehouse/release':
        control.release(token, ref('dn'));
        return json({ ok: true });
      case 'POST /warehouse/pick':
        control.pick(token, ref('dn'), (body.short as Record<string, number> | undefined) ?? {});
        return json({ ok: true });
      case 'POST /warehouse/dispatch':
        control.dispatch(token, ref('dn'), body.driver as string | undefined);
        return json({ ok: true });
      case 'POST /warehouse/deliver':
        control.deliver(token, ref('dn'));
        return json({ ok: true });
      case 'POST /warehouse/ship':
        control.ship(token, ref('dn'), body.driver as string | undefined);
        return json({ ok: true });
      case 'POST /warehouse/receive-asn':
        control.receiveAsn(token, ref('asn'), { actual: body.actual as Record<string, number> | undefined, bin: body.bin as string | undefined });
        return json({ ok: true });
      case 'POST /warehouse/stock-in':
        control.stockIn(token, String(body.goods_code), Number(body.qty), { bin: body.bin as string | undefined, supplier: body.supplier as string | undefined });
        return json({ ok: true });
      case 'POST /warehouse/move-stock':
        control.moveStock(token, String(body.goods_code), String(body.from_bin), String(body.to_bin), Number(body.qty));
        return json({ ok: true });
      case 'POST /snapshot':
        return json(control.snapshot(token));
      case 'POST /clock':
        control.advanceClock(Number(body.advance_ms ?? 0));
        return json({ ok: true });
      case 'GET /faults':
        return json(control.faults.list());
      case 'POST /faults':
        return json({ id: control.faults.add(body as unknown as FaultRule) });
      case 'DELETE /faults':
        control.faults.clear();
        return json({ ok: true });
      case 'POST /faults/seed':
        control.faults.seed(Number(body.seed));
        return json({ ok: true });
      default:
        return json({ error: `unknown control route ${route}` }, 404);
    }
  } catch (err) {
    return json({ error: err instanceof Error ? err.message : String(err) }, 400);
  }
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return null;
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, string> = {};
    for (const [k, v] of parseQuery(text)) out[k] = v[v.length - 1]!;
    return out;
  }
  try {
    return JSON.parse(text);
  } catch {
    return { __parse_error__: true };
  }
}

export async function startGreaterWmsSimulator(opts: SimulatorOptions = {}): Promise<GreaterWmsSimulator> {
  const db = new Db(opts.seed ?? 1);
  db.filtersDisabled = opts.filtersDisabled ?? false;
  db.throttlePerSecond = opts.throttlePerSecond ?? 500;
  const faults = new FaultInjector(opts.seed ?? 42);
  const hooks: { response?: ResponseHook } = {};
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();
  const writes: WriteTracker = { inFlight: new Map(), max: new Map() };
  const control = makeControl(db, faults, hooks, held, writes);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '/';
        const qi = url.indexOf('?');
        const path = qi < 0 ? url : url.slice(0, qi);
        const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
        const method = (req.method ?? 'GET').toUpperCase();
        const body = parseBody(Buffer.concat(chunks), req.headers['content-type']);
        if (path.startsWith(CONTROL_PREFIX)) {
          const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
          sendResponse(res, handleControl(control, method, path, b), undefined);
          return;
        }
        // Overlap accounting for writes of one tenant, from arrival until the answer (or drop).
        const writeKey = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? header({ headers: req.headers } as SimRequest, 'token') : undefined;
        if (writeKey) {
          const n = (writes.inFlight.get(writeKey) ?? 0) + 1;
          writes.inFlight.set(writeKey, n);
          writes.max.set(writeKey, Math.max(n, writes.max.get(writeKey) ?? 0));
          res.once('close', () => writes.inFlight.set(writeKey, (writes.inFlight.get(writeKey) ?? 1) - 1));
        }
        const decision = faults.decide(method, path);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        const term = decision.terminal;
        if (term?.kind === 'timeout') {
          held.add(req.socket);
          req.socket.once('close', () => held.delete(req.socket));
          return; // never answer
        }
        if (term?.kind === 'reset') {
          req.socket.destroy();
          return;
        }
        const simReq: SimRequest = {
          method,
          path,
          rawQuery,
          query: parseQuery(rawQuery),
          headers: req.headers,
          body: body && typeof body === 'object' && '__parse_error__' in body ? {} : body,
          bodyParseError: Boolean(body && typeof body === 'object' && '__parse_error__' in body),
          remoteIp: req.socket.remoteAddress ?? '127.0.0.1',
        };
        if (term?.kind === 'http503') {
          sendResponse(res, { status: 503, contentType: 'text/html', body: '<html><body><h1>503 Service Unavailable</h1></body></html>\n' }, undefined);
          return;
        }
        if (term?.kind === 'html500') {
          sendResponse(res, technical500(term.excType ?? 'OperationalError', term.excValue ?? 'database is locked', path, method), undefined);
          return;
        }
        if (term?.kind === 'respond') {
          sendResponse(res, { status: term.status, contentType: term.contentType ?? JSON_TYPE, body: term.body }, undefined);
          return;
        }
        let result = handleApi(db, simReq);
        if (term?.kind === 'commitThenDrop') {
          req.socket.destroy(); // the write above is committed; the client never hears about it
          return;
        }
        if (hooks.response) result = hooks.response({ method, path, rawQuery }, result);
        sendResponse(res, result, header(simReq, 'origin'));
      })().catch((err: unknown) => {
        console.error('[greaterwms-sim] request failed', err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // Keep-alive sockets must not keep close() waiting.
  server.keepAliveTimeout = 5_000;

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${addr.port}`,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// Re-exported for tests that want to drive the workflows directly.
export { confirmDn, writeDnLines };
