// GreaterWMS operations in GreaterWMS terms, each safe to repeat after a crash at any step. Writes run under
// the tenant's write lock (one writer per tenant across all processes). Every lookup also filters its results
// locally by the exact key, so a server whose filters are silently disabled (django-filter >= 22.1, reference
// §0.2) makes us slower, never wrong.
import { PermanentError } from '../../core/errors.js';
import {
  GreaterWmsNotFoundError,
  GreaterWmsRejectedError,
  GreaterWmsTimeoutError,
  isCodeMissing,
  isDataExists,
} from './greaterwms-errors.js';
import { GreaterWmsHttp, type GreaterWmsHttpOptions } from './greaterwms-http.js';
import {
  listTime,
  type AsnHeader,
  type AsnLine,
  type BinProperty,
  type BinRow,
  type DnHeader,
  type DnLine,
  type GoodsRow,
  type StaffRow,
  type StockRow,
  type WarehouseRow,
} from './greaterwms-types.js';
import { TenantWriteLock, type WriteLock } from './tenant-write-lock.js';
import { safeCode, safeText } from './text-transformer.js';

export interface GreaterWmsClientOptions extends GreaterWmsHttpOptions {
  /** Shared by every client of the process (so two clients of one tenant still serialise). */
  lock?: WriteLock;
  /** Free text stored as `creater` on what we create. */
  creater?: string;
  /**
   * After a write timed out, keep the tenant locked this long before the next writer may start: GreaterWMS
   * keeps running the request we gave up on (a release of a big DN on SQLite can take longer than our
   * timeout), and the next writer's lookups must see its result. Default: the request timeout.
   */
  writeDrainMs?: number;
  /** Values for goods' required lookup fields; created in the tenant when missing. */
  goodsDefaults?: Partial<GoodsLookups>;
}

export interface GoodsLookups {
  supplier: string;
  unit: string;
  class: string;
  brand: string;
  color: string;
  shape: string;
  specs: string;
  origin: string;
}

const DEFAULT_LOOKUPS: GoodsLookups = {
  supplier: 'WMS Bridge',
  unit: 'Piece',
  class: 'WMS Bridge',
  brand: 'WMS Bridge',
  color: 'N/A',
  shape: 'N/A',
  specs: 'N/A',
  origin: 'N/A',
};

/** resource path and its name field, per lookup. */
const LOOKUP_RESOURCES: Record<Exclude<keyof GoodsLookups, 'supplier'>, [string, string]> = {
  unit: ['/goodsunit/', 'goods_unit'],
  class: ['/goodsclass/', 'goods_class'],
  brand: ['/goodsbrand/', 'goods_brand'],
  color: ['/goodscolor/', 'goods_color'],
  shape: ['/goodsshape/', 'goods_shape'],
  specs: ['/goodsspecs/', 'goods_specs'],
  origin: ['/goodsorigin/', 'goods_origin'],
};

/**
 * Tenants whose lookup values were checked by this process (clients are cheap and built per job; the 8 list
 * reads are not). Bounded by the number of tenants × lookup configurations. If someone deletes a value in the
 * GreaterWMS UI later, the goods POST names it ("Goods Unit does not exists…") and ensureGoods re-checks once.
 */
const LOOKUPS_DONE = new Set<string>();

export interface GoodsInput {
  goods_code: string;
  goods_desc: string;
  goods_weight?: number;
  goods_w?: number;
  goods_d?: number;
  goods_h?: number;
  goods_price?: number;
  goods_cost?: number;
}

export interface PartyInput {
  name: string;
  city?: string | null;
  address?: string | null;
  contact?: string | null;
  manager?: string | null;
}

export interface DnLineInput {
  goods_code: string;
  goods_qty: number;
}

export interface CreateDnInput {
  dn_code: string;
  /** Header free text; we put the shop order reference here (searchable in the GreaterWMS UI). */
  creater: string;
  customer: PartyInput;
  lines: DnLineInput[];
  /**
   * The customer is used by this DN only (one customer per order): then any DN of that customer — e.g. a back
   * order left after the original vanished at release — means the order exists already.
   */
  customerIsPerOrder: boolean;
  /**
   * Shared customers: back orders are linked by customer + create_time (second precision), so keep the lock
   * until the server clock passed the header's second; no other header of the tenant can share it.
   */
  distinctCreateSecond: boolean;
}

export interface CreateDnResult {
  header: DnHeader;
  /** Back orders found instead of the header (the original vanished at release). */
  backOrders: DnHeader[];
  created: boolean;
  steps: string[];
  warnings: string[];
}

export interface ReturnAsnInput {
  asn_code: string;
  creater: string;
  supplier: PartyInput;
  lines: DnLineInput[];
  /** Drive it through preload → presort → sorted → move-to-bin into a bin of this property. */
  receiveInto?: BinProperty | null;
  /** A specific bin (must have the given property); default: the first bin of that property by id. */
  binName?: string | null;
}

export interface ReturnAsnResult {
  header: AsnHeader | null;
  created: boolean;
  received: boolean;
  steps: string[];
}

export type CancelDnResult =
  | { outcome: 'cancelled'; ids: number[] }
  | { outcome: 'absent' }
  | { outcome: 'already_confirmed'; status: number; detail: string };

export type ConnectionProblem = 'unreachable' | 'token_rejected' | 'operator_unknown' | 'filters_disabled' | 'unexpected';

export class GreaterWmsClient {
  readonly http: GreaterWmsHttp;
  private readonly lock: WriteLock;
  private readonly creater: string;
  private readonly lookups: GoodsLookups;
  private lookupsReady = false;
  private readonly binCache = new Map<BinProperty, string>();
  private readonly writeDrainMs: number;

  constructor(opts: GreaterWmsClientOptions) {
    this.http = new GreaterWmsHttp(opts);
    this.lock = opts.lock ?? new TenantWriteLock();
    this.creater = safeText(opts.creater ?? 'wms-bridge');
    this.lookups = { ...DEFAULT_LOOKUPS, ...opts.goodsDefaults };
    this.writeDrainMs = opts.writeDrainMs ?? this.http.timeoutMs;
  }

  /** Runs fn as the tenant's only writer. Operations below take it themselves; do not nest. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(this.http.tenantKey, async () => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof GreaterWmsTimeoutError && err.method !== 'GET' && this.writeDrainMs > 0) {
          await new Promise((r) => setTimeout(r, this.writeDrainMs));
        }
        throw err;
      }
    });
  }

  // ---- connection ----------------------------------------------------------------------------------------

  /** Checks reachability, token, operator and that filters work; never throws. */
  async testConnection(): Promise<{ ok: true; detail: string } | { ok: false; problem: ConnectionProblem; detail: string }> {
    let warehouse: string;
    try {
      const page = await this.http.page<WarehouseRow>('/warehouse/', undefined, 1, 10);
      warehouse = page.results[0]?.warehouse_name ?? '(no warehouse)';
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'wms.unreachable' || e.code === 'wms.timeout' || e.code === 'wms.connection_reset') {
        return { ok: false, problem: 'unreachable', detail: `cannot reach ${this.http.baseUrl}: ${e.message}` };
      }
      if (e.code === 'wms.token_rejected') {
        return { ok: false, problem: 'token_rejected', detail: `GreaterWMS rejected the token: ${e.message}` };
      }
      return { ok: false, problem: 'unexpected', detail: e.message ?? String(err) };
    }
    let staff: StaffRow;
    try {
      staff = await this.http.get<StaffRow>(`/staff/${this.http.operator}/`);
    } catch (err) {
      if (err instanceof GreaterWmsNotFoundError) {
        return {
          ok: false,
          problem: 'operator_unknown',
          detail: `GreaterWMS has no staff with id ${this.http.operator} for this token; set the operator to a staff id of this warehouse`,
        };
      }
      return { ok: false, problem: 'unexpected', detail: (err as Error).message };
    }
    try {
      // A code that cannot exist: with working filters the answer is empty. Unfiltered lists come back whole.
      const probe = await this.http.page<GoodsRow>('/goods/', { goods_code: 'wms-bridge-filter-probe-0' }, 1, 1);
      if (probe.count > 0) {
        return {
          ok: false,
          problem: 'filters_disabled',
          detail:
            'GreaterWMS ignores query filters (built with django-filter >= 22.1?): filtering goods by a non-existent code returned rows',
        };
      }
    } catch (err) {
      return { ok: false, problem: 'unexpected', detail: (err as Error).message };
    }
    const locked = staff.is_lock ? ' (staff is locked in GreaterWMS)' : '';
    return {
      ok: true,
      detail: `connected to warehouse "${warehouse}" as staff "${staff.staff_name}" (id ${staff.id}, ${staff.staff_type})${locked}`,
    };
  }

  // ---- master data -----------------------------------------------------------------------------------------

  ensureGoods(g: GoodsInput): Promise<{ goods_code: string; created: boolean }> {
    return this.exclusive(() => this.ensureGoodsUnlocked(g));
  }
  ensureCustomer(p: PartyInput): Promise<{ name: string; created: boolean }> {
    return this.exclusive(() => this.ensureParty('customer', p));
  }
  ensureSupplier(p: PartyInput): Promise<{ name: string; created: boolean }> {
    return this.exclusive(() => this.ensureParty('supplier', p));
  }
  ensureDriver(name: string, plate = 'n/a', contact = 'n/a'): Promise<{ name: string; created: boolean }> {
    return this.exclusive(async () => {
      const driver_name = safeCode(name);
      const found = await this.findByName<{ id: number; driver_name: string }>('/driver/', 'driver_name', driver_name);
      if (found) return { name: driver_name, created: false };
      return this.createOrExists(
        '/driver/',
        { driver_name, license_plate: safeText(plate), contact: safeText(contact), creater: this.creater },
        driver_name,
      );
    });
  }

  private async ensureGoodsUnlocked(g: GoodsInput): Promise<{ goods_code: string; created: boolean }> {
    const goods_code = safeCode(g.goods_code);
    if (await this.findByName<GoodsRow>('/goods/', 'goods_code', goods_code)) return { goods_code, created: false };
    await this.ensureLookups();
    const w = g.goods_w ?? 0;
    const d = g.goods_d ?? 0;
    const h = g.goods_h ?? 0;
    const body = {
      goods_code,
      goods_desc: safeText(g.goods_desc || goods_code),
      goods_supplier: this.lookups.supplier,
      goods_weight: g.goods_weight ?? 0,
      goods_w: w,
      goods_d: d,
      goods_h: h,
      unit_volume: (w * d * h) / 1e9,
      goods_unit: this.lookups.unit,
      goods_class: this.lookups.class,
      goods_brand: this.lookups.brand,
      goods_color: this.lookups.color,
      goods_shape: this.lookups.shape,
      goods_specs: this.lookups.specs,
      goods_origin: this.lookups.origin,
      goods_cost: g.goods_cost ?? 0,
      goods_price: g.goods_price ?? 0,
      creater: this.creater,
      // Required by the serializer, overwritten by the server with md5(goods_code + time).
      bar_code: goods_code,
    };
    try {
      const r = await this.createOrExists('/goods/', body, goods_code);
      return { goods_code, created: r.created };
    } catch (err) {
      // A lookup value deleted in the UI since we checked: check again once, then retry the POST.
      if (!(err instanceof GreaterWmsRejectedError && /does not exists or it has been changed/i.test(err.detail))) throw err;
      LOOKUPS_DONE.delete(`${this.http.tenantKey}\0${JSON.stringify(this.lookups)}`);
      this.lookupsReady = false;
      await this.ensureLookups();
      const r = await this.createOrExists('/goods/', body, goods_code);
      return { goods_code, created: r.created };
    }
  }

  /** The goods lookup values (unit, class, …) and the default supplier must exist before a goods POST. */
  private async ensureLookups(): Promise<void> {
    const cacheKey = `${this.http.tenantKey}\0${JSON.stringify(this.lookups)}`;
    if (this.lookupsReady || LOOKUPS_DONE.has(cacheKey)) return;
    await this.ensureParty('supplier', { name: this.lookups.supplier });
    for (const [key, [path, field]] of Object.entries(LOOKUP_RESOURCES) as [keyof typeof LOOKUP_RESOURCES, [string, string]][]) {
      const value = this.lookups[key];
      const rows = await this.http.listAll<{ id: number } & Record<string, unknown>>(path);
      if (rows.some((r) => r[field] === value)) continue;
      await this.createOrExists(path, { [field]: value, creater: this.creater }, value);
    }
    this.lookupsReady = true;
    LOOKUPS_DONE.add(cacheKey);
  }

  private async ensureParty(kind: 'customer' | 'supplier', p: PartyInput): Promise<{ name: string; created: boolean }> {
    const name = safeCode(p.name);
    const key = `${kind}_name`;
    if (await this.findByName(`/${kind}/`, key, name)) return { name, created: false };
    // Every field is required and may not be blank (DRF CharField): "n/a" stands in for what we do not know.
    const body = {
      [key]: name,
      [`${kind}_city`]: safeText(p.city || 'n/a'),
      [`${kind}_address`]: safeText(p.address || 'n/a'),
      [`${kind}_contact`]: safeText(p.contact || 'n/a'),
      [`${kind}_manager`]: safeText(p.manager || 'n/a'),
      [`${kind}_level`]: 1,
      creater: this.creater,
    };
    return this.createOrExists(`/${kind}/`, body, name);
  }

  private async findByName<T extends { id: number }>(path: string, field: string, value: string): Promise<T | undefined> {
    const rows = await this.http.listAll<T>(path, { [field]: value });
    return rows.find((r) => (r as unknown as Record<string, unknown>)[field] === value);
  }

  /** POST; "Data exists" (a live duplicate, e.g. created by our own earlier attempt whose answer was lost) = done. */
  private async createOrExists(path: string, body: Record<string, unknown>, name: string): Promise<{ name: string; created: boolean }> {
    try {
      await this.http.post(path, body);
      return { name, created: true };
    } catch (err) {
      if (isDataExists(err)) return { name, created: false };
      throw err;
    }
  }

  // ---- outbound (DN) -----------------------------------------------------------------------------------------

  /**
   * Creates header + lines and confirms (neworder), repeat-safe:
   *  - looks the DN up by dn_code (and, with per-order customers, by customer) before creating anything;
   *  - a header without lines is invisible to every read (reference §10.2), so when nothing is visible it first
   *    POSTs the lines: "DN Code does not exists" proves there is no orphan header, success completes one;
   *  - lines are compared before writing: a detail POST adds quantities, so existing lines are replaced (PUT)
   *    when they differ and left alone when they match;
   *  - confirms only a status-1 DN.
   */
  createDn(input: CreateDnInput): Promise<CreateDnResult> {
    return this.exclusive(async () => {
      const steps: string[] = [];
      const warnings: string[] = [];
      const code = input.dn_code;
      const wanted = mergeLines(input.lines);
      if (wanted.length === 0) throw new PermanentError('wms.empty_order', `DN ${code} has no lines with a quantity > 0`);
      const customer = (await this.ensureParty('customer', input.customer)).name;
      const body = {
        dn_code: code,
        customer,
        goods_code: wanted.map((l) => l.goods_code),
        goods_qty: wanted.map((l) => l.goods_qty),
      };

      let headers = await this.findDnHeaders(code);
      if (headers.length === 0 && input.customerIsPerOrder) {
        const ofCustomer = (await this.http.listAll<DnHeader>('/dn/list/', { customer })).filter((h) => h.customer === customer);
        const backOrders = ofCustomer.filter((h) => h.back_order_label);
        if (backOrders.length > 0) {
          // The original was replaced by a back order at release (nothing allocatable): it exists.
          return { header: backOrders[0]!, backOrders, created: false, steps, warnings };
        }
      }
      let created = false;
      if (headers.length === 0) {
        const lines = await this.findDnLines(code);
        if (lines.length > 0) {
          throw new PermanentError('wms.inconsistent', `DN ${code} has lines but no visible header in GreaterWMS`);
        }
        try {
          await this.http.post('/dn/detail/', body);
          steps.push('lines');
          warnings.push(`completed a header-only DN ${code} left by an earlier attempt`);
        } catch (err) {
          if (!isCodeMissing(err)) throw err;
          // A header whose lines are then refused could never be removed (invisible, DELETE answers 404):
          // check what would make the detail POST fail before creating it.
          await this.assertGoodsExist(wanted);
          const header = await this.http.post<DnHeader>('/dn/list/', { creater: safeText(input.creater) }, { custom_dn: code });
          steps.push('header');
          created = true;
          await this.http.post('/dn/detail/', body);
          steps.push('lines');
          if (input.distinctCreateSecond) await waitPastSecond(header.create_time);
        }
        headers = await this.findDnHeaders(code);
        if (headers.length === 0) throw new PermanentError('wms.inconsistent', `DN ${code} not visible after its lines were posted`);
      }
      if (headers.length > 1) {
        warnings.push(`GreaterWMS holds ${headers.length} headers with dn_code ${code} (ids ${headers.map((h) => h.id).join(', ')})`);
      }
      let header = headers[0]!;
      if (header.dn_status === 1) {
        const lines = await this.findDnLines(code);
        if (lines.length === 0) {
          await this.http.post('/dn/detail/', body);
          steps.push('lines');
        } else if (!sameLines(lines, wanted)) {
          // Replace, never add: a POST would sum with what is there (e.g. lines posted by a lost attempt).
          await this.http.put('/dn/detail/', body);
          steps.push('lines-replaced');
        }
        try {
          header = await this.http.post<DnHeader>(`/dn/neworder/${header.id}/`, {});
          steps.push('confirm');
        } catch (err) {
          if (!(err instanceof GreaterWmsRejectedError && /Not Pre Order/i.test(err.detail))) throw err;
        }
        headers = await this.findDnHeaders(code);
        header = headers.find((h) => h.id === header.id) ?? header;
      } else {
        const lines = await this.findDnLines(code);
        if (!sameLines(lines.filter((l) => !l.back_order_label), wanted) && header.dn_status === 2) {
          warnings.push(`DN ${code} is confirmed with lines that differ from the order`);
        }
      }
      return { header: { ...header, create_time: listTime(header.create_time) }, backOrders: [], created, steps, warnings };
    });
  }

  /** Visible headers with exactly this dn_code, oldest first. */
  async findDnHeaders(code: string): Promise<DnHeader[]> {
    const rows = await this.http.listAll<DnHeader>('/dn/list/', { dn_code: code });
    return rows.filter((h) => h.dn_code === code).sort((a, b) => a.id - b.id);
  }

  async findDnLines(code: string): Promise<DnLine[]> {
    const rows = await this.http.listAll<DnLine>('/dn/detail/', { dn_code: code });
    return rows.filter((l) => l.dn_code === code);
  }

  /** DN headers by any of the list filters (dn_status__in, update_time__gte, customer, back_order_label, …). */
  listDnHeaders(query: Record<string, string | number | boolean | readonly (string | number)[]>): Promise<DnHeader[]> {
    return this.http.listAll<DnHeader>('/dn/list/', query);
  }

  listDnLines(query: Record<string, string | number | boolean | readonly (string | number)[]>): Promise<DnLine[]> {
    return this.http.listAll<DnLine>('/dn/detail/', query);
  }

  /**
   * Cancels (soft-deletes) every header with this code while at status 1. At status >= 2 GreaterWMS refuses
   * ("This order has Confirmed or Deliveried"): a typed result, not an error. When the code is gone but a back
   * order of the same customer and create time exists, the original was replaced at release: too late as well.
   */
  cancelDn(code: string, origin?: { customer: string; createTime: string }): Promise<CancelDnResult> {
    return this.exclusive(async () => {
      const headers = await this.findDnHeaders(code);
      if (headers.length === 0) {
        if (origin) {
          const back = (await this.findBackOrders(origin.customer)).filter((h) => listTime(h.create_time) === listTime(origin.createTime));
          if (back.length > 0) {
            return {
              outcome: 'already_confirmed',
              status: back[0]!.dn_status,
              detail: `replaced in the warehouse by back order ${back.map((b) => b.dn_code).join(', ')}`,
            };
          }
        }
        return { outcome: 'absent' };
      }
      const confirmed = headers.find((h) => h.dn_status >= 2);
      if (confirmed) {
        return { outcome: 'already_confirmed', status: confirmed.dn_status, detail: `DN ${code} is at status ${confirmed.dn_status}` };
      }
      const ids: number[] = [];
      for (const h of headers) {
        try {
          await this.http.delete(`/dn/list/${h.id}/`);
          ids.push(h.id);
        } catch (err) {
          if (err instanceof GreaterWmsNotFoundError) continue; // deleted meanwhile
          if (err instanceof GreaterWmsRejectedError && /Confirmed or Deliveried/i.test(err.detail)) {
            return { outcome: 'already_confirmed', status: 2, detail: err.detail };
          }
          throw err;
        }
      }
      return { outcome: 'cancelled', ids };
    });
  }

  async findBackOrders(customer: string): Promise<DnHeader[]> {
    const rows = await this.http.listAll<DnHeader>('/dn/list/', { customer, back_order_label: 'true' });
    return rows.filter((h) => h.customer === customer && h.back_order_label);
  }

  // ---- stock -------------------------------------------------------------------------------------------------

  /** Every stock row (all pages), or those matching the filters (e.g. update_time__gte). */
  listStock(query?: Record<string, string | number>): Promise<StockRow[]> {
    return this.http.listAll<StockRow>('/stock/list/', query);
  }

  /** The row of one goods code, or null (no row = 0 of everything). */
  async stockOf(goodsCode: string): Promise<StockRow | null> {
    const rows = await this.http.listAll<StockRow>('/stock/list/', { goods_code: goodsCode });
    return rows.find((r) => r.goods_code === goodsCode) ?? null;
  }

  // ---- returns (ASN) -----------------------------------------------------------------------------------------

  /**
   * Creates the return ASN (supplier = the returns supplier) and optionally receives it into a bin of the
   * given property. Repeat-safe like createDn; the receiving walk re-reads status and line progress
   * (sorted_qty) before each step, so a lost answer is never applied twice.
   */
  createReturnAsn(input: ReturnAsnInput): Promise<ReturnAsnResult> {
    return this.exclusive(async () => {
      const steps: string[] = [];
      const code = input.asn_code;
      const wanted = mergeLines(input.lines);
      if (wanted.length === 0) throw new PermanentError('wms.empty_return', `ASN ${code} has no lines with a quantity > 0`);
      const supplier = (await this.ensureParty('supplier', input.supplier)).name;
      // An unknown goods code crashes the ASN detail POST (None.goods_weight): say it clearly instead.
      await this.assertGoodsExist(wanted);
      const body = { asn_code: code, supplier, goods_code: wanted.map((l) => l.goods_code), goods_qty: wanted.map((l) => l.goods_qty) };
      let created = false;
      let header = (await this.findAsnHeaders(code))[0];
      if (!header) {
        try {
          await this.http.post('/asn/detail/', body);
          steps.push('lines');
        } catch (err) {
          if (!isCodeMissing(err)) throw err;
          await this.http.post('/asn/list/', { creater: safeText(input.creater) }, { custom_asn: code });
          steps.push('header');
          created = true;
          await this.http.post('/asn/detail/', body);
          steps.push('lines');
        }
        header = (await this.findAsnHeaders(code))[0];
        if (!header) throw new PermanentError('wms.inconsistent', `ASN ${code} not visible after its lines were posted`);
      } else if (header.asn_status === 1) {
        const lines = await this.findAsnLines(code);
        if (lines.length === 0) {
          await this.http.post('/asn/detail/', body);
          steps.push('lines');
        } else if (!sameLines(lines, wanted)) {
          await this.http.put('/asn/detail/', body);
          steps.push('lines-replaced');
        }
      }
      if (!input.receiveInto) return { header, created, received: header.asn_status >= 5, steps };

      const bin = input.binName ? await this.checkBin(input.binName, input.receiveInto) : await this.binOf(input.receiveInto);
      for (let guard = 0; guard < 8 && header.asn_status < 5; guard++) {
        if (header.asn_status === 1) {
          await this.http.post(`/asn/preload/${header.id}/`, {});
          steps.push('preload');
        } else if (header.asn_status === 2) {
          await this.http.post(`/asn/presort/${header.id}/`, {});
          steps.push('presort');
        } else if (header.asn_status === 3) {
          const lines = await this.findAsnLines(code);
          await this.http.post(`/asn/sorted/${header.id}/`, {
            asn_code: code,
            supplier,
            goodsData: lines.map((l) => ({ goods_code: l.goods_code, goods_actual_qty: l.goods_qty })),
          });
          steps.push('sorted');
        } else if (header.asn_status === 4) {
          // Line ids change on edits (reference §10.5): always use the ids just read.
          for (const l of await this.findAsnLines(code)) {
            const left = l.goods_actual_qty - l.sorted_qty;
            if (l.asn_status !== 4 || left <= 0) continue;
            await this.http.post(`/asn/movetobin/${l.id}/`, { asn_code: code, goods_code: l.goods_code, bin_name: bin, qty: left });
            steps.push(`movetobin:${l.goods_code}`);
          }
        }
        const again = (await this.findAsnHeaders(code)).find((h) => h.id === header!.id);
        if (!again) throw new PermanentError('wms.inconsistent', `ASN ${code} disappeared while receiving`);
        if (again.asn_status === header.asn_status && header.asn_status === 4) {
          throw new PermanentError('wms.receive_stuck', `ASN ${code} stays at status 4 after put-away`);
        }
        header = again;
      }
      return { header, created, received: header.asn_status >= 5, steps };
    });
  }

  async findAsnHeaders(code: string): Promise<AsnHeader[]> {
    const rows = await this.http.listAll<AsnHeader>('/asn/list/', { asn_code: code });
    return rows.filter((h) => h.asn_code === code).sort((a, b) => a.id - b.id);
  }

  async findAsnLines(code: string): Promise<AsnLine[]> {
    const rows = await this.http.listAll<AsnLine>('/asn/detail/', { asn_code: code });
    return rows.filter((l) => l.asn_code === code);
  }

  private async assertGoodsExist(lines: DnLineInput[]): Promise<void> {
    const missing: string[] = [];
    for (const l of lines) {
      if (!(await this.findByName<GoodsRow>('/goods/', 'goods_code', l.goods_code))) missing.push(l.goods_code);
    }
    if (missing.length) throw new PermanentError('wms.unknown_goods', `goods ${missing.join(', ')} does not exist in GreaterWMS`);
  }

  private async binOf(property: BinProperty): Promise<string> {
    const cached = this.binCache.get(property);
    if (cached) return cached;
    const bins = await this.http.listAll<BinRow>('/binset/');
    const bin = bins.filter((b) => b.bin_property === property).sort((a, b) => a.id - b.id)[0];
    if (!bin) throw new PermanentError('wms.no_bin', `GreaterWMS has no bin with property ${property}`);
    this.binCache.set(property, bin.bin_name);
    return bin.bin_name;
  }

  private async checkBin(name: string, property: BinProperty): Promise<string> {
    const bin = await this.findByName<BinRow>('/binset/', 'bin_name', name);
    if (!bin) throw new PermanentError('wms.no_bin', `GreaterWMS has no bin ${name}`);
    if (bin.bin_property !== property) {
      throw new PermanentError('wms.bin_property', `bin ${name} is ${bin.bin_property}, not ${property}`);
    }
    return name;
  }
}

/** Sums repeated goods codes (GreaterWMS merges them anyway) and drops zero quantities ("Qty Must > 0"). */
export function mergeLines(lines: DnLineInput[]): DnLineInput[] {
  const m = new Map<string, number>();
  for (const l of lines) {
    if (!Number.isInteger(l.goods_qty) || l.goods_qty < 0) {
      throw new PermanentError('wms.bad_quantity', `quantity ${l.goods_qty} of ${l.goods_code} is not a whole number >= 0`);
    }
    const code = safeCode(l.goods_code);
    m.set(code, (m.get(code) ?? 0) + l.goods_qty);
  }
  return [...m].filter(([, q]) => q > 0).map(([goods_code, goods_qty]) => ({ goods_code, goods_qty }));
}

function sameLines(existing: { goods_code: string; goods_qty: number }[], wanted: DnLineInput[]): boolean {
  const have = new Map<string, number>();
  for (const l of existing) have.set(l.goods_code, (have.get(l.goods_code) ?? 0) + l.goods_qty);
  return have.size === wanted.length && wanted.every((w) => have.get(w.goods_code) === w.goods_qty);
}

/** Sleeps until the server clock (as seen in a create_time with microseconds) has passed into the next second. */
async function waitPastSecond(createTime: string): Promise<void> {
  const frac = /\.(\d+)/.exec(createTime)?.[1];
  const usedMs = frac ? Number(`0.${frac}`) * 1000 : 0;
  // +50 ms: the header's second must be over on the server before anyone else creates a header.
  await new Promise((r) => setTimeout(r, Math.ceil(1000 - usedMs) + 50));
}
