// ASN, DN and stock endpoints. Validation order and error texts follow GreaterWMS 2.1.50 as recorded.
import {
  apiError,
  applyFilters,
  applyOrdering,
  assertText,
  bodyObj,
  json,
  key,
  notFound,
  operatorStaff,
  paginate,
  pyInt,
  pyStr,
  PythonCrash,
  q,
  sortedNames,
  t,
  tIso,
  type Ctx,
  type FilterSpec,
} from './http-kit.js';
import type { Route } from './routes-master.js';
import { requireFields } from './routes-master.js';
import { fmtCompactDate, fmtList, parseLocalTime } from './python.js';
import { STOCK_FIELDS, type AsnDetailRow, type AsnListRow, type DnDetailRow, type DnListRow, type StockBinRow, type StockRow } from './store.js';
import {
  asnById,
  asnLines,
  cancelAsn,
  cancelDn,
  confirmDn,
  dispatchDn,
  dnById,
  dnHeaders,
  dnLines,
  goodsOf,
  moveToBin,
  moveBinStock,
  pickDn,
  podDn,
  preloadAsn,
  presortAsn,
  releaseAll,
  releaseDn,
  sortAsn,
  writeAsnLines,
  writeDnLines,
  type Actor,
  type LineInput,
} from './warehouse-ops.js';

const TIMES: FilterSpec = { id: 'number', create_time: 'time', update_time: 'time' };

function actor(ctx: Ctx): Actor {
  return { db: ctx.db, openid: ctx.openid, staffName: operatorStaff(ctx).staff_name };
}

function pk(ctx: Ctx): number {
  return Number(ctx.params[0]);
}

/** dn_data_validate / asn_data_validate on ?custom_dn= / ?custom_asn=: no "select"/"script", at least one digit. */
function customCode(ctx: Ctx, param: string): string | undefined {
  const v = q(ctx, param);
  if (v === undefined) return undefined;
  assertText(v);
  if (!/\d/.test(v)) throw new PythonCrash('IndexError', 'list index out of range');
  return v;
}

function generatedCode(ctx: Ctx, prefix: 'DN' | 'ASN', headers: { id: number; openid: string; is_delete: boolean; code: string }[]): string {
  const today = fmtCompactDate(ctx.db.now());
  const newest = headers.filter((h) => h.openid === ctx.openid && !h.is_delete).sort((a, b) => b.id - a.id)[0];
  const m = newest ? new RegExp(`^${prefix}${today}(\\d+)$`).exec(newest.code) : null;
  return `${prefix}${today}${m ? Number(m[1]) + 1 : 1}`;
}

/** Reads the parallel arrays goods_code / goods_qty and validates each line like the detail serializers. */
function lineInputs(ctx: Ctx, data: Record<string, unknown>, missingGoods: (code: string) => never): LineInput[] {
  const codes = key(data, 'goods_code');
  const qtys = key(data, 'goods_qty');
  const codeList = Array.isArray(codes) ? codes : [codes];
  const qtyList = Array.isArray(qtys) ? qtys : [qtys];
  const out: LineInput[] = [];
  for (let i = 0; i < codeList.length; i++) {
    const code = pyStr(codeList[i]);
    const goods = goodsOf(ctx.db, ctx.openid, code);
    if (!goods) missingGoods(code);
    if (i >= qtyList.length) throw new PythonCrash('IndexError', 'list index out of range');
    const qty = pyInt(qtyList[i]);
    assertText(code);
    if (qty <= 0) throw apiError('Qty Must > 0');
    out.push({ goods: goods!, qty });
  }
  return out;
}

// --- DN serializers -------------------------------------------------------------------------------------

function dnGet(h: DnListRow) {
  return {
    id: h.id,
    dn_code: h.dn_code,
    dn_status: h.dn_status,
    customer: h.customer,
    creater: h.creater,
    bar_code: h.bar_code,
    ...t(h),
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    back_order_label: h.back_order_label,
    transportation_fee: h.transportation_fee,
  };
}

function dnCreated(h: DnListRow) {
  return {
    id: h.id,
    openid: h.openid,
    dn_code: h.dn_code,
    customer: h.customer,
    bar_code: h.bar_code,
    creater: h.creater,
    dn_status: h.dn_status,
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    back_order_label: h.back_order_label,
    transportation_fee: h.transportation_fee,
    ...tIso(h),
  };
}

function dnUpdated(h: DnListRow) {
  return {
    id: h.id,
    dn_code: h.dn_code,
    dn_status: h.dn_status,
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    customer: h.customer,
    creater: h.creater,
    bar_code: h.bar_code,
    back_order_label: h.back_order_label,
    openid: h.openid,
    transportation_fee: h.transportation_fee,
    ...tIso(h),
  };
}

export function dnLineGet(l: DnDetailRow) {
  return {
    id: l.id,
    dn_code: l.dn_code,
    dn_status: l.dn_status,
    customer: l.customer,
    goods_code: l.goods_code,
    goods_desc: l.goods_desc,
    goods_qty: l.goods_qty,
    pick_qty: l.pick_qty,
    picked_qty: l.picked_qty,
    intransit_qty: l.intransit_qty,
    delivery_actual_qty: l.delivery_actual_qty,
    delivery_shortage_qty: l.delivery_shortage_qty,
    delivery_more_qty: l.delivery_more_qty,
    delivery_damage_qty: l.delivery_damage_qty,
    goods_weight: l.goods_weight,
    goods_volume: l.goods_volume,
    goods_cost: l.goods_cost,
    creater: l.creater,
    ...t(l),
    back_order_label: l.back_order_label,
  };
}

const DN_SPEC: FilterSpec = {
  ...TIMES,
  dn_code: 'text',
  dn_status: 'number',
  customer: 'text',
  creater: 'text',
  back_order_label: 'bool',
  total_weight: 'number',
  total_volume: 'number',
  total_cost: 'number',
};
const DN_DETAIL_SPEC: FilterSpec = { ...DN_SPEC, goods_code: 'text', goods_desc: 'text', goods_qty: 'number', pick_qty: 'number', picked_qty: 'number' };

/**
 * DnListViewSet / AsnListViewSet get_queryset hard-delete header-only status-1 headers created before the 1st of
 * the current month (server local time), then hide the remaining ones (customer/supplier == "").
 */
function purgeStaleHeaders<T extends { openid: string; create_time: { ms: number }; id: number }>(ctx: Ctx, rows: T[], isEmpty: (r: T) => boolean): T[] {
  const now = ctx.db.now();
  const monthStart = parseLocalTime(`${fmtList(now).slice(0, 8)}01 00:00:00`)!;
  return rows.filter((r) => !(r.openid === ctx.openid && isEmpty(r) && r.create_time.ms < monthStart));
}

function visibleDn(ctx: Ctx): DnListRow[] {
  ctx.db.dnlist = purgeStaleHeaders(ctx, ctx.db.dnlist, (h) => h.customer === '' && h.dn_status === 1);
  return dnHeaders(ctx.db, ctx.openid).filter((h) => h.customer !== '');
}

function visibleDnById(ctx: Ctx): DnListRow {
  const h = visibleDn(ctx).find((x) => x.id === pk(ctx));
  if (!h) throw notFound();
  return h;
}

function dnDetailWrite(ctx: Ctx, replace: boolean) {
  const data = bodyObj(ctx);
  const dnCode = pyStr(key(data, 'dn_code'));
  const headers = dnHeaders(ctx.db, ctx.openid).filter((h) => h.dn_code === dnCode && (!replace || h.dn_status === 1));
  if (headers.length === 0) throw apiError(replace ? 'DN Code has been Confirmed or does not exists' : 'DN Code does not exists');
  const customer = pyStr(key(data, 'customer'));
  if (!ctx.db.customer.some((c) => c.openid === ctx.openid && c.name === customer && !c.is_delete))
    throw apiError(replace ? 'Customer does not exists' : 'customer does not exists');
  const a = actor(ctx);
  assertText(dnCode);
  assertText(customer);
  const inputs = lineInputs(ctx, data, (code) => {
    throw apiError(`${code} does not exists`);
  });
  writeDnLines(a, dnCode, customer, inputs, replace);
  return json({ detail: 'success' });
}

const dnRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/dn\/list\/$/,
    auth: true,
    handler: (ctx) => {
      const rows = applyOrdering(applyFilters(visibleDn(ctx), ctx, DN_SPEC), ctx);
      const customers = sortedNames(ctx.db.customer.filter((c) => c.openid === ctx.openid && !c.is_delete).map((c) => c.name));
      return paginate(ctx, rows.map(dnGet), 'origin', [['customer_list', customers]]);
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/list\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const custom = customCode(ctx, 'custom_dn');
      const code = custom ?? generatedCode(ctx, 'DN', ctx.db.dnlist.map((h) => ({ ...h, code: h.dn_code })));
      if ('creater' in data) assertText(data.creater);
      requireFields(data, ['creater']);
      const h: DnListRow = {
        ...ctx.db.base('dnlist', ctx.openid),
        dn_code: code,
        dn_status: 1,
        customer: '',
        total_weight: 0,
        total_volume: 0,
        total_cost: 0,
        transportation_fee: {},
        back_order_label: false,
        bar_code: ctx.db.token(code),
        creater: pyStr(data.creater),
      };
      ctx.db.dnlist.push(h);
      return json(dnCreated(h));
    },
  },
  { method: 'GET', pattern: /^\/dn\/list\/(\d+)\/$/, auth: true, handler: (ctx) => json(dnGet(visibleDnById(ctx))) },
  {
    method: 'DELETE',
    pattern: /^\/dn\/list\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      visibleDn(ctx);
      cancelDn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/dn\/detail\/$/,
    auth: true,
    handler: (ctx) => {
      const lines = ctx.db.dndetail.filter((l) => l.openid === ctx.openid && !l.is_delete);
      return paginate(ctx, applyOrdering(applyFilters(lines, ctx, DN_DETAIL_SPEC), ctx).map(dnLineGet));
    },
  },
  { method: 'POST', pattern: /^\/dn\/detail\/$/, auth: true, handler: (ctx) => dnDetailWrite(ctx, false) },
  { method: 'PUT', pattern: /^\/dn\/detail\/$/, auth: true, handler: (ctx) => dnDetailWrite(ctx, true) },
  {
    method: 'GET',
    pattern: /^\/dn\/detail\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const l = ctx.db.dndetail.find((x) => x.openid === ctx.openid && x.id === pk(ctx) && !x.is_delete);
      if (!l) throw notFound();
      return json(dnLineGet(l));
    },
  },
  {
    // Only back-order lines still at status 2 can be deleted.
    method: 'DELETE',
    pattern: /^\/dn\/detail\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const l = ctx.db.dndetail.find((x) => x.openid === ctx.openid && x.id === pk(ctx) && !x.is_delete);
      if (!l) throw notFound();
      if (!(l.dn_status === 2 && l.back_order_label)) throw apiError('This order has Confirmed or Deliveried');
      l.is_delete = true;
      const st = ctx.db.stocklist.find((s) => s.openid === ctx.openid && s.goods_code === l.goods_code);
      if (st) {
        st.back_order_stock -= l.goods_qty;
        st.ordered_stock -= l.goods_qty;
      }
      if (!dnLines(ctx.db, ctx.openid, l.dn_code).length)
        for (const h of ctx.db.dnlist.filter((h) => h.openid === ctx.openid && h.dn_code === l.dn_code)) h.is_delete = true;
      return json({ detail: 'success' });
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/neworder\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(dnUpdated(confirmDn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx)))),
  },
  {
    method: 'PUT',
    pattern: /^\/dn\/orderrelease\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      // get_queryset filters dn_status=2: any other status is simply "not found".
      const h = dnHeaders(ctx.db, ctx.openid).find((x) => x.id === pk(ctx) && x.dn_status === 2);
      if (!h) throw notFound();
      releaseDn(actor(ctx), h);
      return json({ detail: 'success' });
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/orderrelease\/$/,
    auth: true,
    handler: (ctx) => {
      releaseAll(actor(ctx));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/dn\/pickinglist\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = ctx.db.dnlist.find((x) => x.openid === ctx.openid && x.id === pk(ctx));
      if (!h) throw notFound();
      if (h.dn_status < 3) throw apiError('No Picking List Been Created');
      const rows = ctx.db.picking.filter((p) => p.openid === ctx.openid && p.dn_code === h.dn_code).sort((a, b) => b.id - a.id);
      return json(rows.map(pickingGet));
    },
  },
  {
    method: 'GET',
    pattern: /^\/dn\/pickinglistfilter\/$/,
    auth: true,
    handler: (ctx) => {
      const rows = ctx.db.picking.filter((p) => p.openid === ctx.openid);
      const spec: FilterSpec = { ...TIMES, dn_code: 'text', bin_name: 'text', goods_code: 'text', picking_status: 'number', creater: 'text', t_code: 'text' };
      return paginate(ctx, applyOrdering(applyFilters(rows, ctx, spec), ctx).map(pickingGet));
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/picked\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = dnById(ctx.db, ctx.openid, pk(ctx));
      return doPick(ctx, h);
    },
  },
  {
    method: 'PUT',
    pattern: /^\/dn\/picked\/$/,
    auth: true,
    handler: (ctx) => {
      const code = pyStr(key(bodyObj(ctx), 'dn_code'));
      const h = dnHeaders(ctx.db, ctx.openid).find((x) => x.dn_code === code);
      if (!h) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'dn_status'");
      return doPick(ctx, h);
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/dispatch\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = dnById(ctx.db, ctx.openid, pk(ctx));
      if (h.dn_status !== 4) throw apiError('This DN Status Not Picked');
      const data = bodyObj(ctx);
      const driver = pyStr(key(data, 'driver'));
      if (driver === '') throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'contact'"); // issue #133
      if (!ctx.db.driver.some((d) => d.openid === ctx.openid && d.driver_name === driver && !d.is_delete)) throw apiError('Driver Does Not Exists');
      dispatchDn(actor(ctx), h, driver);
      return json({ detail: 'success' });
    },
  },
  {
    method: 'POST',
    pattern: /^\/dn\/pod\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = dnById(ctx.db, ctx.openid, pk(ctx));
      const data = bodyObj(ctx);
      const goodsData = key(data, 'goodsData');
      const list = (Array.isArray(goodsData) ? goodsData : []) as Record<string, unknown>[];
      const inputs = list.map((g) => {
        const intransit = g.intransit_qty;
        const damage = g.delivery_damage_qty;
        // Compared with "<" in Python: a string against an int is a TypeError.
        if (typeof intransit !== 'number' || typeof damage !== 'number')
          throw new PythonCrash('TypeError', "'<' not supported between instances of 'str' and 'int'");
        return { goods_code: pyStr(g.goods_code), intransit_qty: intransit, delivery_damage_qty: damage };
      });
      podDn({ db: ctx.db, openid: ctx.openid, staffName: '' }, h, inputs);
      return json({ detail: 'success' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/dn\/viewprint\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = visibleDnById(ctx);
      const c = ctx.db.customer.find((x) => x.openid === ctx.openid && x.name === h.customer && !x.is_delete);
      const w = ctx.db.warehouse.find((x) => x.openid === ctx.openid);
      return json({
        dn_detail: dnLines(ctx.db, ctx.openid, h.dn_code).map(dnLineGet),
        customer_detail: c
          ? { customer_name: c.name, customer_city: c.city, customer_address: c.address, customer_contact: c.contact }
          : {},
        warehouse_detail: w
          ? { warehouse_name: w.warehouse_name, warehouse_city: w.warehouse_city, warehouse_address: w.warehouse_address, warehouse_contact: w.warehouse_contact }
          : {},
      });
    },
  },
];

function doPick(ctx: Ctx, h: DnListRow) {
  if (h.dn_status !== 3) throw apiError('This dn Status Not Pre Pick');
  const data = bodyObj(ctx);
  const customer = pyStr(data.customer ?? h.customer);
  const goodsData = key(data, 'goodsData');
  const list = (Array.isArray(goodsData) ? goodsData : []) as Record<string, unknown>[];
  const inputs = list.map((g) => ({ goods_code: pyStr(g.goods_code), t_code: pyStr(g.t_code), pick_qty: pyInt(g.pick_qty ?? g.picked_qty) }));
  const a = actor(ctx);
  pickDn(a, h, customer, inputs);
  return json({ Detail: 'success' });
}

function pickingGet(p: ReturnType<Ctx['db']['picking']['slice']>[number]) {
  return {
    id: p.id,
    dn_code: p.dn_code,
    bin_name: p.bin_name,
    goods_code: p.goods_code,
    picking_status: p.picking_status,
    pick_qty: p.pick_qty,
    picked_qty: p.picked_qty,
    creater: p.creater,
    t_code: p.t_code,
    ...t(p),
  };
}

// --- ASN ---------------------------------------------------------------------------------------------------

function asnGet(h: AsnListRow) {
  return {
    id: h.id,
    asn_code: h.asn_code,
    asn_status: h.asn_status,
    supplier: h.supplier,
    bar_code: h.bar_code,
    creater: h.creater,
    ...t(h),
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    transportation_fee: h.transportation_fee,
  };
}

function asnCreated(h: AsnListRow) {
  return {
    id: h.id,
    openid: h.openid,
    asn_code: h.asn_code,
    supplier: h.supplier,
    bar_code: h.bar_code,
    creater: h.creater,
    asn_status: h.asn_status,
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    transportation_fee: h.transportation_fee,
    ...tIso(h),
  };
}

function asnUpdated(h: AsnListRow) {
  return {
    id: h.id,
    asn_code: h.asn_code,
    asn_status: h.asn_status,
    total_weight: h.total_weight,
    total_volume: h.total_volume,
    total_cost: h.total_cost,
    supplier: h.supplier,
    creater: h.creater,
    bar_code: h.bar_code,
    openid: h.openid,
    transportation_fee: h.transportation_fee,
    ...tIso(h),
  };
}

export function asnLineGet(l: AsnDetailRow) {
  return {
    id: l.id,
    asn_code: l.asn_code,
    supplier: l.supplier,
    goods_code: l.goods_code,
    goods_desc: l.goods_desc,
    goods_qty: l.goods_qty,
    goods_actual_qty: l.goods_actual_qty,
    sorted_qty: l.sorted_qty,
    goods_shortage_qty: l.goods_shortage_qty,
    goods_more_qty: l.goods_more_qty,
    goods_damage_qty: l.goods_damage_qty,
    creater: l.creater,
    ...t(l),
    asn_status: l.asn_status,
    goods_weight: l.goods_weight,
    goods_volume: l.goods_volume,
    goods_cost: l.goods_cost,
  };
}

const ASN_SPEC: FilterSpec = { ...TIMES, asn_code: 'text', asn_status: 'number', supplier: 'text', creater: 'text' };
const ASN_DETAIL_SPEC: FilterSpec = { ...ASN_SPEC, goods_code: 'text', goods_desc: 'text', goods_qty: 'number' };

function visibleAsn(ctx: Ctx): AsnListRow[] {
  ctx.db.asnlist = purgeStaleHeaders(ctx, ctx.db.asnlist, (h) => h.supplier === '' && h.asn_status === 1);
  return ctx.db.asnlist.filter((h) => h.openid === ctx.openid && !h.is_delete && h.supplier !== '');
}

function asnDetailWrite(ctx: Ctx, replace: boolean) {
  const data = bodyObj(ctx);
  const asnCode = pyStr(key(data, 'asn_code'));
  const headers = ctx.db.asnlist.filter((h) => h.openid === ctx.openid && !h.is_delete && h.asn_code === asnCode);
  if (headers.length === 0) throw apiError('ASN Code does not exists');
  if (replace && !headers.some((h) => h.asn_status === 1)) throw apiError('This ASN Status Is Not 1');
  const supplier = pyStr(key(data, 'supplier'));
  if (!ctx.db.supplier.some((s) => s.openid === ctx.openid && s.name === supplier && !s.is_delete)) throw apiError('Supplier does not exists');
  const a = actor(ctx);
  assertText(asnCode);
  assertText(supplier);
  const inputs = lineInputs(ctx, data, () => {
    throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'goods_weight'");
  });
  writeAsnLines(a, asnCode, supplier, inputs, replace);
  return json({ detail: 'success' });
}

function sortedInputs(ctx: Ctx) {
  const data = bodyObj(ctx);
  const goodsData = key(data, 'goodsData');
  const list = (Array.isArray(goodsData) ? goodsData : []) as Record<string, unknown>[];
  return list.map((g) => ({ goods_code: pyStr(g.goods_code), goods_actual_qty: pyInt(g.goods_actual_qty) }));
}

const asnRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/asn\/list\/$/,
    auth: true,
    handler: (ctx) => {
      const rows = applyOrdering(applyFilters(visibleAsn(ctx), ctx, ASN_SPEC), ctx);
      const suppliers = sortedNames(ctx.db.supplier.filter((s) => s.openid === ctx.openid && !s.is_delete).map((s) => s.name));
      return paginate(ctx, rows.map(asnGet), 'origin', [['supplier_list', suppliers]]);
    },
  },
  {
    method: 'POST',
    pattern: /^\/asn\/list\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const custom = customCode(ctx, 'custom_asn');
      const code = custom ?? generatedCode(ctx, 'ASN', ctx.db.asnlist.map((h) => ({ ...h, code: h.asn_code })));
      if ('creater' in data) assertText(data.creater);
      requireFields(data, ['creater']);
      const h: AsnListRow = {
        ...ctx.db.base('asnlist', ctx.openid),
        asn_code: code,
        asn_status: 1,
        supplier: '',
        total_weight: 0,
        total_volume: 0,
        total_cost: 0,
        transportation_fee: {},
        bar_code: ctx.db.token(code),
        creater: pyStr(data.creater),
      };
      ctx.db.asnlist.push(h);
      return json(asnCreated(h));
    },
  },
  {
    method: 'GET',
    pattern: /^\/asn\/list\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      visibleAsn(ctx);
      return json(asnGet(asnById(ctx.db, ctx.openid, pk(ctx), true)));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/asn\/list\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      visibleAsn(ctx);
      return json(asnGet(cancelAsn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx))));
    },
  },
  {
    method: 'GET',
    pattern: /^\/asn\/detail\/$/,
    auth: true,
    handler: (ctx) => {
      const lines = ctx.db.asndetail.filter((l) => l.openid === ctx.openid && !l.is_delete);
      return paginate(ctx, applyOrdering(applyFilters(lines, ctx, ASN_DETAIL_SPEC), ctx).map(asnLineGet));
    },
  },
  { method: 'POST', pattern: /^\/asn\/detail\/$/, auth: true, handler: (ctx) => asnDetailWrite(ctx, false) },
  { method: 'PUT', pattern: /^\/asn\/detail\/$/, auth: true, handler: (ctx) => asnDetailWrite(ctx, true) },
  {
    method: 'POST',
    pattern: /^\/asn\/preload\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(asnUpdated(preloadAsn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx)))),
  },
  {
    method: 'POST',
    pattern: /^\/asn\/presort\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(asnUpdated(presortAsn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx)))),
  },
  {
    method: 'POST',
    pattern: /^\/asn\/sorted\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      sortAsn({ db: ctx.db, openid: ctx.openid, staffName: '' }, pk(ctx), sortedInputs(ctx));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/asn\/sorted\/$/,
    auth: true,
    handler: (ctx) => {
      const code = pyStr(key(bodyObj(ctx), 'asn_code'));
      const h = ctx.db.asnlist.find((x) => x.openid === ctx.openid && !x.is_delete && x.asn_code === code);
      if (!h) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'asn_status'");
      sortAsn({ db: ctx.db, openid: ctx.openid, staffName: '' }, h.id, sortedInputs(ctx));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'POST',
    pattern: /^\/asn\/movetobin\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const a = actor(ctx);
      moveToBin(a, pk(ctx), pyStr(key(data, 'goods_code')), pyStr(key(data, 'bin_name')), pyInt(key(data, 'qty')));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/asn\/movetobin\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const a = actor(ctx);
      const asnCode = pyStr(key(data, 'asn_code'));
      const bin = pyStr(key(data, 'bin_name'));
      const res = key(data, 'res_data');
      for (const r of (Array.isArray(res) ? res : []) as Record<string, unknown>[]) {
        const code = pyStr(r.goods_code);
        const line = asnLines(ctx.db, ctx.openid, asnCode, 4).find((l) => l.goods_code === code);
        if (!line) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'id'");
        moveToBin(a, line.id, code, bin, pyInt(r.qty));
      }
      return json({ detail: 'success' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/asn\/viewprint\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const h = asnById(ctx.db, ctx.openid, pk(ctx), true);
      const s = ctx.db.supplier.find((x) => x.openid === ctx.openid && x.name === h.supplier && !x.is_delete);
      const w = ctx.db.warehouse.find((x) => x.openid === ctx.openid);
      return json({
        asn_detail: asnLines(ctx.db, ctx.openid, h.asn_code).map(asnLineGet),
        supplier_detail: s ? { supplier_name: s.name, supplier_city: s.city, supplier_address: s.address, supplier_contact: s.contact } : {},
        warehouse_detail: w
          ? { warehouse_name: w.warehouse_name, warehouse_city: w.warehouse_city, warehouse_address: w.warehouse_address, warehouse_contact: w.warehouse_contact }
          : {},
      });
    },
  },
];

// --- stock ---------------------------------------------------------------------------------------------------

export function stockGet(s: StockRow) {
  return {
    id: s.id,
    goods_code: s.goods_code,
    goods_desc: s.goods_desc,
    goods_qty: s.goods_qty,
    onhand_stock: s.onhand_stock,
    can_order_stock: s.can_order_stock,
    inspect_stock: s.inspect_stock,
    hold_stock: s.hold_stock,
    damage_stock: s.damage_stock,
    asn_stock: s.asn_stock,
    dn_stock: s.dn_stock,
    pre_load_stock: s.pre_load_stock,
    pre_sort_stock: s.pre_sort_stock,
    sorted_stock: s.sorted_stock,
    pick_stock: s.pick_stock,
    picked_stock: s.picked_stock,
    back_order_stock: s.back_order_stock,
    ...t(s),
    ordered_stock: s.ordered_stock,
    supplier: s.supplier,
  };
}

export function stockBinGet(b: StockBinRow) {
  return {
    id: b.id,
    bin_name: b.bin_name,
    goods_code: b.goods_code,
    goods_desc: b.goods_desc,
    goods_qty: b.goods_qty,
    pick_qty: b.pick_qty,
    picked_qty: b.picked_qty,
    bin_size: b.bin_size,
    bin_property: b.bin_property,
    qty: 0,
    t_code: b.t_code,
    ...t(b),
  };
}

const STOCK_SPEC: FilterSpec = {
  ...TIMES,
  goods_code: 'text',
  goods_desc: 'text',
  supplier: 'text',
  ...Object.fromEntries(STOCK_FIELDS.map((f) => [f, 'number'])),
};
const STOCK_BIN_SPEC: FilterSpec = {
  ...TIMES,
  bin_name: 'text',
  goods_code: 'text',
  goods_desc: 'text',
  bin_size: 'text',
  bin_property: 'text',
  t_code: 'text',
  goods_qty: 'number',
  pick_qty: 'number',
  picked_qty: 'number',
};

const stockRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/stock\/list\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(ctx, applyOrdering(applyFilters(ctx.db.stocklist.filter((s) => s.openid === ctx.openid && !s.is_delete), ctx, STOCK_SPEC), ctx), 'drf', [], stockGet),
  },
  {
    method: 'GET',
    pattern: /^\/stock\/list\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const s = ctx.db.stocklist.find((x) => x.openid === ctx.openid && x.id === pk(ctx) && !x.is_delete);
      if (!s) throw notFound();
      return json(stockGet(s));
    },
  },
  {
    method: 'GET',
    pattern: /^\/stock\/bin\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(ctx, applyOrdering(applyFilters(ctx.db.stockbin.filter((s) => s.openid === ctx.openid && !s.is_delete), ctx, STOCK_BIN_SPEC), ctx).map(stockBinGet)),
  },
  {
    method: 'POST',
    pattern: /^\/stock\/bin\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const a = actor(ctx);
      moveBinStock(a, pk(ctx), pyStr(key(data, 'goods_code')), pyStr(key(data, 'move_to_bin')), pyInt(key(data, 'move_qty')));
      return json({ detail: 'success' });
    },
  },
  {
    method: 'GET',
    pattern: /^\/stock\/bin\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const s = ctx.db.stockbin.find((x) => x.openid === ctx.openid && x.id === pk(ctx) && !x.is_delete);
      if (!s) throw notFound();
      return json(stockBinGet(s));
    },
  },
];

export const flowRoutes: Route[] = [...asnRoutes, ...dnRoutes, ...stockRoutes];
