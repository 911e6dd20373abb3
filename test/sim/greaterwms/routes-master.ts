// Auth-free user endpoints (/register/, /login/, /warehouse/multiple/) and master data: warehouse, staff,
// supplier, customer, driver (+ dispatch list), goods lookup tables, goods, bins.
import {
  apiError,
  applyFilters,
  applyOrdering,
  q,
  assertText,
  bodyObj,
  json,
  key,
  notFound,
  paginate,
  pyInt,
  pyStr,
  REQUIRED_FIELD,
  sortedNames,
  t,
  tIso,
  ApiError,
  PythonCrash,
  type Ctx,
  type FilterSpec,
  type SimRequest,
  type SimResponse,
} from './http-kit.js';
import { pyRound } from './python.js';
import {
  LOOKUP_FIELD,
  LOOKUP_TABLES,
  registerTenant,
  where,
  type BinRow,
  type Db,
  type DriverRow,
  type GoodsRow,
  type LookupTable,
  type PartyRow,
  type StaffRow,
} from './store.js';

export interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handler: (ctx: Ctx) => SimResponse;
}

export interface PublicCtx extends SimRequest {
  db: Db;
}
export interface PublicRoute {
  method: string;
  pattern: RegExp;
  handler: (ctx: PublicCtx) => SimResponse;
}

function ip(ctx: SimRequest): string {
  const fwd = ctx.headers['x-forwarded-for'];
  const f = Array.isArray(fwd) ? fwd[0] : fwd;
  return f ? f.split(',')[0]!.trim() : ctx.remoteIp.replace(/^::ffff:/, '');
}

function plainBody(ctx: SimRequest): Record<string, unknown> {
  const b = ctx.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export const publicRoutes: PublicRoute[] = [
  {
    method: 'POST',
    pattern: /^\/register\/$/,
    handler: (ctx) => {
      // userregister/views.py + utils/fbmsg.py (English texts), checked in this order.
      const b = plainBody(ctx);
      const name = pyStr(b.name);
      const fail = (code: string, msg: string) => json({ code, msg, ip: ip(ctx), data: name });
      if (ctx.db.users.some((u) => u.name === name)) return fail('1022', 'User Is Exists');
      if (b.password1 === undefined || b.password1 === null || pyStr(b.password1) === '') return fail('1024', 'Password Can Not Be Empty');
      if (b.password2 === undefined || b.password2 === null || pyStr(b.password2) === '') return fail('1025', 'Please Confirm The Password');
      const p1 = pyStr(b.password1);
      if (p1 !== pyStr(b.password2)) return fail('1026', 'Password Is Not Same One');
      const user = registerTenant(ctx.db, name, p1);
      return json({ code: '200', msg: 'Success Create', data: { name, openid: user.openid, user_id: user.staffId }, ip: ip(ctx) });
    },
  },
  {
    method: 'POST',
    pattern: /^\/login\/$/,
    handler: (ctx) => {
      const b = plainBody(ctx);
      const name = pyStr(b.name ?? '');
      const password = pyStr(b.password ?? '');
      const user = ctx.db.users.find((u) => u.name === name && u.password === password);
      if (!user) return json({ code: '1011', msg: 'User Name Or Password Error', data: { name, password } });
      return json({ code: '200', msg: 'Success Create', data: { name, openid: user.openid, user_id: user.staffId }, ip: ip(ctx) });
    },
  },
  {
    // warehouse/views.py MultipleViewSet: authentication_classes = [] -> every tenant's openid leaks.
    method: 'GET',
    pattern: /^\/warehouse\/multiple\/$/,
    handler: (ctx) => paginate(ctx, applyOrdering(ctx.db.warehouse.filter((w) => !w.is_delete), ctx).map((w) => warehouseOut(w))),
  },
];

function warehouseOut(w: Db['warehouse'][number]) {
  return {
    id: w.id,
    warehouse_name: w.warehouse_name,
    warehouse_city: w.warehouse_city,
    warehouse_address: w.warehouse_address,
    warehouse_contact: w.warehouse_contact,
    warehouse_manager: w.warehouse_manager,
    creater: w.creater,
    openid: w.openid,
    ...t(w),
  };
}

/** Serializer "required" check: one Chinese message per missing field, HTTP 200 + status_code 400. */
export function requireFields(data: Record<string, unknown>, fields: string[]): void {
  const errors: Record<string, unknown> = {};
  for (const f of fields) if (!(f in data) || data[f] === null) errors[f] = [REQUIRED_FIELD];
  if (Object.keys(errors).length > 0) throw new ApiError(errors, 400);
}

function mine<T extends { openid: string; is_delete: boolean }>(ctx: Ctx, rows: readonly T[]): T[] {
  return rows.filter((r) => r.openid === ctx.openid && !r.is_delete);
}

function byId<T extends { id: number; openid: string; is_delete: boolean }>(ctx: Ctx, rows: T[]): T {
  const id = Number(ctx.params[0]);
  const r = rows.find((x) => x.id === id && x.openid === ctx.openid && !x.is_delete);
  if (!r) throw notFound();
  return r;
}

/** Meta.ordering by a name column (customer, supplier, driver, staff, bins, lookup tables). */
function byText<T>(f: (r: T) => string): (a: T, b: T) => number {
  return (a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
}

const TIME_SPEC: FilterSpec = { id: 'number', create_time: 'time', update_time: 'time' };

// --- parties (supplier / customer) ----------------------------------------------------------------------

function partyRoutes(kind: 'supplier' | 'customer'): Route[] {
  const p = kind;
  const fields = [`${p}_name`, `${p}_city`, `${p}_address`, `${p}_contact`, `${p}_manager`, `${p}_level`, 'creater'];
  const out = (r: PartyRow, withOpenid: boolean) => ({
    id: r.id,
    ...(withOpenid ? { openid: r.openid } : {}),
    [`${p}_name`]: r.name,
    [`${p}_city`]: r.city,
    [`${p}_address`]: r.address,
    [`${p}_contact`]: r.contact,
    [`${p}_manager`]: r.manager,
    [`${p}_level`]: r.level,
    creater: r.creater,
    ...(withOpenid ? tIso(r) : t(r)),
  });
  const spec: FilterSpec = {
    ...TIME_SPEC,
    [`${p}_name`]: 'text',
    [`${p}_city`]: 'text',
    [`${p}_address`]: 'text',
    [`${p}_contact`]: 'text',
    [`${p}_manager`]: 'text',
    [`${p}_level`]: 'number',
    creater: 'text',
  };
  const table = (ctx: Ctx) => ctx.db[kind];
  const view = (r: PartyRow) => ({ ...r, [`${p}_name`]: r.name, [`${p}_city`]: r.city, [`${p}_address`]: r.address, [`${p}_contact`]: r.contact, [`${p}_manager`]: r.manager, [`${p}_level`]: r.level });
  const apply = (r: PartyRow, data: Record<string, unknown>) => {
    for (const f of fields) if (f in data) for (const v of [data[f]]) assertText(v);
    if (`${p}_name` in data) r.name = pyStr(data[`${p}_name`]);
    if (`${p}_city` in data) r.city = pyStr(data[`${p}_city`]);
    if (`${p}_address` in data) r.address = pyStr(data[`${p}_address`]);
    if (`${p}_contact` in data) r.contact = pyStr(data[`${p}_contact`]);
    if (`${p}_manager` in data) r.manager = pyStr(data[`${p}_manager`]);
    if (`${p}_level` in data) r.level = pyInt(data[`${p}_level`]);
    if ('creater' in data) r.creater = pyStr(data.creater);
  };
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/${p}/$`),
      auth: true,
      handler: (ctx) => {
        // Meta.ordering = ['customer_name'] / ['supplier_name']
        const rows = applyOrdering(applyFilters(mine(ctx, table(ctx)).map(view) as unknown as PartyRow[], ctx, spec), ctx, byText((r) => r.name));
        return paginate(ctx, rows.map((r) => out(r, false)));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/${p}/$`),
      auth: true,
      handler: (ctx) => {
        const data = bodyObj(ctx);
        const name = pyStr(key(data, `${p}_name`));
        if (mine(ctx, table(ctx)).some((r) => r.name === name)) throw apiError('Data exists');
        for (const f of fields) if (f in data) assertText(data[f]);
        requireFields(data, fields);
        const row: PartyRow = { ...ctx.db.base(kind, ctx.openid), name, city: '', address: '', contact: '', manager: '', level: 0, creater: '' };
        apply(row, data);
        table(ctx).push(row);
        return json(out(row, true));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/${p}/(\\d+)/$`),
      auth: true,
      handler: (ctx) => json(out(byId(ctx, table(ctx)), false)),
    },
    ...['PUT', 'PATCH'].map(
      (method): Route => ({
        method,
        pattern: new RegExp(`^/${p}/(\\d+)/$`),
        auth: true,
        handler: (ctx) => {
          const row = byId(ctx, table(ctx));
          const data = bodyObj(ctx);
          if (method === 'PUT') requireFields(data, fields);
          apply(row, data);
          row.update_time = ctx.db.now();
          return json(out(row, true));
        },
      }),
    ),
    {
      method: 'DELETE',
      pattern: new RegExp(`^/${p}/(\\d+)/$`),
      auth: true,
      handler: (ctx) => {
        const row = byId(ctx, table(ctx));
        row.is_delete = true;
        return json(out(row, false));
      },
    },
  ];
}

// --- drivers ----------------------------------------------------------------------------------------------

function driverOut(r: DriverRow, create: boolean) {
  return {
    id: r.id,
    ...(create ? { openid: r.openid } : {}),
    driver_name: r.driver_name,
    contact: r.contact,
    license_plate: r.license_plate,
    creater: r.creater,
    ...(create ? tIso(r) : t(r)),
  };
}

const driverRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/driver\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(
        ctx,
        applyOrdering(
          applyFilters(mine(ctx, ctx.db.driver), ctx, { ...TIME_SPEC, driver_name: 'text', license_plate: 'text', contact: 'text', creater: 'text' }),
          ctx,
          byText((r) => r.driver_name),
        ).map((r) =>
          driverOut(r, false),
        ),
      ),
  },
  {
    method: 'POST',
    pattern: /^\/driver\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const name = pyStr(key(data, 'driver_name'));
      if (mine(ctx, ctx.db.driver).some((r) => r.driver_name === name)) throw apiError('Data exists');
      for (const f of ['driver_name', 'license_plate', 'contact', 'creater']) if (f in data) assertText(data[f]);
      requireFields(data, ['driver_name', 'license_plate', 'contact', 'creater']);
      const row: DriverRow = {
        ...ctx.db.base('driver', ctx.openid),
        driver_name: name,
        license_plate: pyStr(data.license_plate),
        contact: pyStr(data.contact),
        creater: pyStr(data.creater),
      };
      ctx.db.driver.push(row);
      return json(driverOut(row, true));
    },
  },
  {
    method: 'GET',
    pattern: /^\/driver\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(driverOut(byId(ctx, ctx.db.driver), false)),
  },
  {
    method: 'GET',
    pattern: /^\/driver\/dispatchlist\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(
        ctx,
        applyOrdering(applyFilters(mine(ctx, ctx.db.dispatch), ctx, { ...TIME_SPEC, driver_name: 'text', dn_code: 'text', contact: 'text', creater: 'text' }), ctx).map((r) => ({
          id: r.id,
          driver_name: r.driver_name,
          dn_code: r.dn_code,
          contact: r.contact,
          creater: r.creater,
          ...t(r),
        })),
      ),
  },
];

// --- staff ------------------------------------------------------------------------------------------------

function staffOut(r: StaffRow, create: boolean) {
  return {
    id: r.id,
    ...(create ? { openid: r.openid } : {}),
    staff_name: r.staff_name,
    staff_type: r.staff_type,
    check_code: r.check_code,
    error_check_code_counter: r.error_check_code_counter,
    is_lock: r.is_lock,
    ...(create ? tIso(r) : t(r)),
  };
}

const staffRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/staff\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(
        ctx,
        applyOrdering(applyFilters(mine(ctx, ctx.db.staff), ctx, { ...TIME_SPEC, staff_name: 'text', staff_type: 'text', check_code: 'number' }), ctx, byText((r) => r.staff_name)).map(
          (r) => staffOut(r, false),
        ),
      ),
  },
  {
    method: 'POST',
    pattern: /^\/staff\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const name = pyStr(key(data, 'staff_name'));
      if (mine(ctx, ctx.db.staff).some((r) => r.staff_name === name)) throw apiError('Data Exists');
      for (const f of ['staff_name', 'staff_type']) if (f in data) assertText(data[f]);
      requireFields(data, ['staff_name', 'staff_type', 'check_code']);
      const row: StaffRow = {
        ...ctx.db.base('staff', ctx.openid),
        staff_name: name,
        staff_type: pyStr(data.staff_type),
        check_code: pyInt(data.check_code),
        is_lock: false,
        error_check_code_counter: 0,
      };
      ctx.db.staff.push(row);
      return json(staffOut(row, true));
    },
  },
  {
    method: 'GET',
    pattern: /^\/staff\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(staffOut(byId(ctx, ctx.db.staff), false)),
  },
];

// --- warehouse ----------------------------------------------------------------------------------------------

const warehouseRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/warehouse\/$/,
    auth: true,
    handler: (ctx) => paginate(ctx, applyOrdering(mine(ctx, ctx.db.warehouse), ctx).map(warehouseOut)),
  },
  {
    method: 'POST',
    pattern: /^\/warehouse\/$/,
    auth: true,
    handler: (ctx) => {
      if (mine(ctx, ctx.db.warehouse).length >= 1) throw apiError('You Just Can Add 1 Warehouse');
      throw apiError('You Just Can Add 1 Warehouse');
    },
  },
];

// --- goods lookup tables ------------------------------------------------------------------------------------

function lookupRoutes(tbl: LookupTable): Route[] {
  const field = LOOKUP_FIELD[tbl];
  const out = (r: { id: number; openid: string; value: string; creater: string } & Parameters<typeof t>[0], create: boolean) => ({
    id: r.id,
    ...(create ? { openid: r.openid } : {}),
    [field]: r.value,
    creater: r.creater,
    ...(create ? tIso(r) : t(r)),
  });
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/${tbl}/$`),
      auth: true,
      handler: (ctx) => {
        const rows = mine(ctx, ctx.db.lookups[tbl]).map((r) => ({ ...r, [field]: r.value }));
        const filtered = applyFilters(rows, ctx, { ...TIME_SPEC, [field]: 'text', creater: 'text' });
        // Lookup tables are ordered by their value (Meta.ordering), as the transcript's /goodsunit/ shows.
        const ordered = applyOrdering(filtered, ctx, (a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
        return paginate(ctx, ordered.map((r) => out(r, false)));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/${tbl}/$`),
      auth: true,
      handler: (ctx) => {
        const data = bodyObj(ctx);
        const value = pyStr(key(data, field));
        if (mine(ctx, ctx.db.lookups[tbl]).some((r) => r.value === value)) throw apiError('Data exists');
        for (const f of [field, 'creater']) if (f in data) assertText(data[f]);
        requireFields(data, [field, 'creater']);
        const row = { ...ctx.db.base(tbl, ctx.openid), value, creater: pyStr(data.creater) };
        ctx.db.lookups[tbl].push(row);
        return json(out(row, true));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/${tbl}/(\\d+)/$`),
      auth: true,
      handler: (ctx) => json(out(byId(ctx, ctx.db.lookups[tbl]), false)),
    },
  ];
}

// --- goods ------------------------------------------------------------------------------------------------------

const GOODS_FIELDS = [
  'goods_code',
  'goods_desc',
  'goods_supplier',
  'goods_weight',
  'goods_w',
  'goods_d',
  'goods_h',
  'unit_volume',
  'goods_unit',
  'goods_class',
  'goods_brand',
  'goods_color',
  'goods_shape',
  'goods_specs',
  'goods_origin',
  'goods_cost',
  'goods_price',
  'creater',
  'bar_code',
];
const GOODS_LOOKUP_CHECKS: [string, LookupTable | 'supplier', string][] = [
  ['goods_supplier', 'supplier', 'Supplier does not exists or it has been changed'],
  ['goods_unit', 'goodsunit', 'Goods Unit does not exists or it has been changed'],
  ['goods_class', 'goodsclass', 'Goods Class does not exists or it has been changed'],
  ['goods_brand', 'goodsbrand', 'Goods Brand does not exists or it has been changed'],
  ['goods_color', 'goodscolor', 'Goods Color does not exists or it has been changed'],
  ['goods_shape', 'goodsshape', 'Goods Shape does not exists or it has been changed'],
  ['goods_specs', 'goodsspecs', 'Goods Specs does not exists or it has been changed'],
  ['goods_origin', 'goodsorigin', 'Goods Origin does not exists or it has been changed'],
];

export function goodsOut(g: GoodsRow, create: boolean) {
  const core = {
    goods_code: g.goods_code,
    goods_desc: g.goods_desc,
    goods_supplier: g.goods_supplier,
    goods_weight: g.goods_weight,
    goods_w: g.goods_w,
    goods_d: g.goods_d,
    goods_h: g.goods_h,
    unit_volume: g.unit_volume,
    goods_unit: g.goods_unit,
    goods_class: g.goods_class,
    goods_brand: g.goods_brand,
    goods_color: g.goods_color,
    goods_shape: g.goods_shape,
    goods_specs: g.goods_specs,
    goods_origin: g.goods_origin,
    goods_cost: g.goods_cost,
    goods_price: g.goods_price,
    creater: g.creater,
    bar_code: g.bar_code,
  };
  if (create) return { id: g.id, openid: g.openid, ...core, safety_stock: g.safety_stock, ...tIso(g) };
  return { id: g.id, ...core, ...t(g), safety_stock: g.safety_stock };
}

const GOODS_SPEC: FilterSpec = {
  ...TIME_SPEC,
  goods_code: 'text',
  goods_desc: 'text',
  goods_supplier: 'text',
  goods_unit: 'text',
  goods_class: 'text',
  goods_brand: 'text',
  goods_color: 'text',
  goods_shape: 'text',
  goods_specs: 'text',
  goods_origin: 'text',
  creater: 'text',
  goods_weight: 'number',
  goods_cost: 'number',
  goods_price: 'number',
};

function goodsExtras(ctx: Ctx): [string, unknown][] {
  const names = (tbl: LookupTable) => sortedNames(mine(ctx, ctx.db.lookups[tbl]).map((r) => r.value));
  return [
    ['goods_unit_list', names('goodsunit')],
    ['goods_class_list', names('goodsclass')],
    ['goods_brand_list', names('goodsbrand')],
    ['goods_color_list', names('goodscolor')],
    ['goods_shape_list', names('goodsshape')],
    ['goods_specs_list', names('goodsspecs')],
    ['goods_origin_list', names('goodsorigin')],
    ['supplier_list', sortedNames(mine(ctx, ctx.db.supplier).map((r) => r.name))],
  ];
}

function checkGoodsLookups(ctx: Ctx, data: Record<string, unknown>): void {
  for (const [f, tbl, msg] of GOODS_LOOKUP_CHECKS) {
    const v = pyStr(key(data, f));
    const exists = tbl === 'supplier' ? mine(ctx, ctx.db.supplier).some((r) => r.name === v) : mine(ctx, ctx.db.lookups[tbl]).some((r) => r.value === v);
    if (!exists) throw apiError(msg);
  }
}

/** Python float(x): numbers and numeric strings; anything else crashes (ValueError/TypeError). */
function pyFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'string') throw new PythonCrash('ValueError', `could not convert string to float: '${v}'`);
  throw new PythonCrash('TypeError', `float() argument must be a string or a number, not '${v === null ? 'NoneType' : typeof v}'`);
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(n)) return n;
  throw new ApiError({ detail: '请填写合法的数字。' }, 400);
}

function applyGoods(g: GoodsRow, data: Record<string, unknown>): void {
  const s = (f: keyof GoodsRow) => {
    if (f in data) (g as unknown as Record<string, unknown>)[f] = pyStr(data[f]);
  };
  const n = (f: keyof GoodsRow) => {
    if (f in data) (g as unknown as Record<string, unknown>)[f] = num(data[f]);
  };
  (['goods_desc', 'goods_supplier', 'goods_unit', 'goods_class', 'goods_brand', 'goods_color', 'goods_shape', 'goods_specs', 'goods_origin', 'creater'] as const).forEach(s);
  (['goods_weight', 'goods_w', 'goods_d', 'goods_h', 'goods_cost', 'goods_price'] as const).forEach(n);
  if ('safety_stock' in data) g.safety_stock = pyInt(data.safety_stock);
  g.unit_volume = pyRound((g.goods_w * g.goods_d * g.goods_h) / 1e9, 4);
}

const goodsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/goods\/$/,
    auth: true,
    handler: (ctx) => {
      // ?goods_code=<code> (how a client finds one goods): start from that code's rows; applyFilters still
      // applies every condition, so the answer is the scan's (q() sees no goods_code when filters are disabled).
      const code = q(ctx, 'goods_code');
      const base = code ? where(ctx.db.goods, 'goods_code', code) : ctx.db.goods;
      const rows = applyOrdering(applyFilters(mine(ctx, base), ctx, GOODS_SPEC), ctx);
      return paginate(ctx, rows, 'drf', goodsExtras(ctx), (g) => goodsOut(g, false));
    },
  },
  {
    method: 'POST',
    pattern: /^\/goods\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      // goods/views.py create: unit_volume = round(float(w) * float(d) * float(h) / 1e9, 4) comes first.
      for (const f of ['goods_w', 'goods_d', 'goods_h']) pyFloat(key(data, f));
      const code = pyStr(key(data, 'goods_code'));
      if (mine(ctx, where(ctx.db.goods, 'goods_code', code)).some((g) => g.goods_code === code)) throw apiError('Data Exists');
      checkGoodsLookups(ctx, data);
      for (const f of GOODS_FIELDS) if (f in data) assertText(data[f]);
      requireFields(data, GOODS_FIELDS);
      const at = ctx.db.now();
      const g: GoodsRow = {
        ...ctx.db.base('goods', ctx.openid, at),
        goods_code: code,
        goods_desc: '',
        goods_supplier: '',
        goods_weight: 0,
        goods_w: 0,
        goods_d: 0,
        goods_h: 0,
        unit_volume: 0,
        goods_unit: '',
        goods_class: '',
        goods_brand: '',
        goods_color: '',
        goods_shape: '',
        goods_specs: '',
        goods_origin: '',
        goods_cost: 0,
        goods_price: 0,
        creater: '',
        bar_code: ctx.db.token(code),
        safety_stock: 0,
      };
      applyGoods(g, data);
      ctx.db.goods.push(g);
      return json(goodsOut(g, true));
    },
  },
  {
    method: 'GET',
    pattern: /^\/goods\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(goodsOut(byId(ctx, ctx.db.goods), false)),
  },
  ...['PUT', 'PATCH'].map(
    (method): Route => ({
      method,
      pattern: /^\/goods\/(\d+)\/$/,
      auth: true,
      handler: (ctx) => {
        const g = byId(ctx, ctx.db.goods);
        const data = bodyObj(ctx);
        if (method === 'PUT') for (const f of ['goods_w', 'goods_d', 'goods_h']) pyFloat(key(data, f));
        // goods/views.py update/partial_update read every lookup key -> KeyError (HTML 500) when one is missing.
        checkGoodsLookups(ctx, data);
        for (const f of GOODS_FIELDS) if (f in data) assertText(data[f]);
        if (method === 'PUT') requireFields(data, GOODS_FIELDS.filter((f) => f !== 'goods_code'));
        applyGoods(g, data);
        g.update_time = ctx.db.now();
        return json(goodsOut(g, true));
      },
    }),
  ),
  {
    method: 'DELETE',
    pattern: /^\/goods\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => {
      const g = byId(ctx, ctx.db.goods);
      g.is_delete = true;
      return json(goodsOut(g, false));
    },
  },
];

// --- bins -----------------------------------------------------------------------------------------------------

function binOut(b: BinRow, create: boolean) {
  return {
    id: b.id,
    ...(create ? { openid: b.openid } : {}),
    bin_name: b.bin_name,
    bin_size: b.bin_size,
    bin_property: b.bin_property,
    empty_label: b.empty_label,
    creater: b.creater,
    bar_code: b.bar_code,
    ...(create ? tIso(b) : t(b)),
  };
}

const binRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/binset\/$/,
    auth: true,
    handler: (ctx) => {
      const rows = applyOrdering(
        applyFilters(mine(ctx, ctx.db.binset), ctx, { ...TIME_SPEC, bin_name: 'text', bin_size: 'text', bin_property: 'text', empty_label: 'bool', creater: 'text' }),
        ctx,
        byText((b) => b.bin_name),
      );
      return paginate(
        ctx,
        rows.map((b) => binOut(b, false)),
        'origin',
        [
          ['bin_size_list', sortedNames(mine(ctx, ctx.db.binsize).map((r) => r.bin_size))],
          ['bin_property_list', ['Damage', 'Holding', 'Inspection', 'Normal']],
        ],
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/binset\/$/,
    auth: true,
    handler: (ctx) => {
      const data = bodyObj(ctx);
      const name = pyStr(key(data, 'bin_name'));
      if (mine(ctx, ctx.db.binset).some((b) => b.bin_name === name)) throw apiError('Data exists');
      for (const f of ['bin_name', 'bin_size', 'bin_property', 'creater']) if (f in data) assertText(data[f]);
      requireFields(data, ['bin_name', 'bin_size', 'bin_property', 'creater']);
      if (!mine(ctx, ctx.db.binsize).some((s) => s.bin_size === pyStr(data.bin_size))) throw apiError('Bin size does not exists or it has been changed');
      if (!['Normal', 'Damage', 'Inspection', 'Holding'].includes(pyStr(data.bin_property)))
        throw apiError('Bin property does not exists or it has been changed');
      const b: BinRow = {
        ...ctx.db.base('binset', ctx.openid),
        bin_name: name,
        bin_size: pyStr(data.bin_size),
        bin_property: pyStr(data.bin_property),
        empty_label: true,
        bar_code: ctx.db.token(name),
        creater: pyStr(data.creater),
      };
      ctx.db.binset.push(b);
      return json(binOut(b, true));
    },
  },
  {
    method: 'GET',
    pattern: /^\/binset\/(\d+)\/$/,
    auth: true,
    handler: (ctx) => json(binOut(byId(ctx, ctx.db.binset), false)),
  },
  {
    method: 'GET',
    pattern: /^\/binsize\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(
        ctx,
        applyOrdering(mine(ctx, ctx.db.binsize), ctx).map((s) => ({
          id: s.id,
          bin_size: s.bin_size,
          bin_size_w: s.bin_size_w,
          bin_size_d: s.bin_size_d,
          bin_size_h: s.bin_size_h,
          creater: s.creater,
          ...t(s),
        })),
      ),
  },
  {
    method: 'GET',
    pattern: /^\/binproperty\/$/,
    auth: true,
    handler: (ctx) =>
      paginate(
        ctx,
        ['Damage', 'Inspection', 'Normal', 'Holding'].map((p, i) => ({ id: i + 1, bin_property: p, creater: 'GreaterWMS', create_time: '2021-01-01 00:00:00', update_time: '2021-01-01 00:00:00' })),
      ),
  },
];

export const masterRoutes: Route[] = [
  ...warehouseRoutes,
  ...staffRoutes,
  ...partyRoutes('supplier'),
  ...partyRoutes('customer'),
  ...driverRoutes,
  ...LOOKUP_TABLES.flatMap(lookupRoutes),
  ...goodsRoutes,
  ...binRoutes,
];
