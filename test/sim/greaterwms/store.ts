// In-memory "database" of the simulator: one instance per simulator, tables shared by all tenants (ids are
// global per table, as in the real SQLite/MySQL database), every row tagged with its tenant's openid.
import { makeRandom, md5, type Stamp } from './python.js';

export interface Row {
  id: number;
  openid: string;
  is_delete: boolean;
  create_time: Stamp;
  update_time: Stamp;
}

export interface UserRow {
  name: string;
  password: string;
  openid: string;
  appid: string;
  staffId: number;
}

export interface StaffRow extends Row {
  staff_name: string;
  staff_type: string;
  check_code: number;
  is_lock: boolean;
  error_check_code_counter: number;
}
export interface WarehouseRow extends Row {
  warehouse_name: string;
  warehouse_city: string;
  warehouse_address: string;
  warehouse_contact: string;
  warehouse_manager: string;
  creater: string;
}
export interface PartyRow extends Row {
  name: string;
  city: string;
  address: string;
  contact: string;
  manager: string;
  level: number;
  creater: string;
}
export interface DriverRow extends Row {
  driver_name: string;
  license_plate: string;
  contact: string;
  creater: string;
}
export interface LookupRow extends Row {
  value: string;
  creater: string;
}
export interface GoodsRow extends Row {
  goods_code: string;
  goods_desc: string;
  goods_supplier: string;
  goods_weight: number;
  goods_w: number;
  goods_d: number;
  goods_h: number;
  unit_volume: number;
  goods_unit: string;
  goods_class: string;
  goods_brand: string;
  goods_color: string;
  goods_shape: string;
  goods_specs: string;
  goods_origin: string;
  goods_cost: number;
  goods_price: number;
  creater: string;
  bar_code: string;
  safety_stock: number;
}
export interface BinRow extends Row {
  bin_name: string;
  bin_size: string;
  bin_property: string;
  empty_label: boolean;
  bar_code: string;
  creater: string;
}
export interface BinSizeRow extends Row {
  bin_size: string;
  bin_size_w: number;
  bin_size_d: number;
  bin_size_h: number;
  creater: string;
}
export const STOCK_FIELDS = [
  'goods_qty',
  'onhand_stock',
  'can_order_stock',
  'inspect_stock',
  'hold_stock',
  'damage_stock',
  'asn_stock',
  'dn_stock',
  'pre_load_stock',
  'pre_sort_stock',
  'sorted_stock',
  'pick_stock',
  'picked_stock',
  'back_order_stock',
  'ordered_stock',
] as const;
export type StockField = (typeof STOCK_FIELDS)[number];
export type StockRow = Row & Record<StockField, number> & { goods_code: string; goods_desc: string; supplier: string };
export interface StockBinRow extends Row {
  bin_name: string;
  goods_code: string;
  goods_desc: string;
  goods_qty: number;
  pick_qty: number;
  picked_qty: number;
  bin_size: string;
  bin_property: string;
  t_code: string;
}
export interface AsnListRow extends Row {
  asn_code: string;
  asn_status: number;
  supplier: string;
  total_weight: number;
  total_volume: number;
  total_cost: number;
  transportation_fee: TransportationFee;
  bar_code: string;
  creater: string;
}
export interface AsnDetailRow extends Row {
  asn_code: string;
  asn_status: number;
  supplier: string;
  goods_code: string;
  goods_desc: string;
  goods_qty: number;
  goods_actual_qty: number;
  sorted_qty: number;
  goods_shortage_qty: number;
  goods_more_qty: number;
  goods_damage_qty: number;
  goods_weight: number;
  goods_volume: number;
  goods_cost: number;
  creater: string;
}
export interface DnListRow extends Row {
  dn_code: string;
  dn_status: number;
  customer: string;
  total_weight: number;
  total_volume: number;
  total_cost: number;
  transportation_fee: TransportationFee;
  back_order_label: boolean;
  bar_code: string;
  creater: string;
}
export interface DnDetailRow extends Row {
  dn_code: string;
  dn_status: number;
  customer: string;
  goods_code: string;
  goods_desc: string;
  goods_qty: number;
  pick_qty: number;
  picked_qty: number;
  intransit_qty: number;
  delivery_actual_qty: number;
  delivery_shortage_qty: number;
  delivery_more_qty: number;
  delivery_damage_qty: number;
  goods_weight: number;
  goods_volume: number;
  goods_cost: number;
  back_order_label: boolean;
  creater: string;
}
export interface PickingRow extends Row {
  dn_code: string;
  bin_name: string;
  goods_code: string;
  picking_status: number;
  pick_qty: number;
  picked_qty: number;
  t_code: string;
  creater: string;
}
export interface DispatchRow extends Row {
  driver_name: string;
  dn_code: string;
  contact: string;
  creater: string;
}
export interface FreightRow extends Row {
  send_city: string;
  receiver_city: string;
  weight_fee: number;
  volume_fee: number;
  min_payment: number;
  transportation_supplier: string;
  creater: string;
}
export type TransportationFee = Record<string, never> | { detail: { transportation_supplier: string; transportation_cost: number }[] };

export const LOOKUP_TABLES = ['goodsunit', 'goodsclass', 'goodsbrand', 'goodscolor', 'goodsshape', 'goodsspecs', 'goodsorigin'] as const;
export type LookupTable = (typeof LOOKUP_TABLES)[number];
/** Field name of each lookup table's single value, e.g. goodsunit -> goods_unit. */
export const LOOKUP_FIELD: Record<LookupTable, string> = {
  goodsunit: 'goods_unit',
  goodsclass: 'goods_class',
  goodsbrand: 'goods_brand',
  goodscolor: 'goods_color',
  goodsshape: 'goods_shape',
  goodsspecs: 'goods_specs',
  goodsorigin: 'goods_origin',
};

export class Db {
  private seq = new Map<string, number>();
  private microSeq = 0;
  users: UserRow[] = [];
  staff: StaffRow[] = [];
  warehouse: WarehouseRow[] = [];
  supplier: PartyRow[] = [];
  customer: PartyRow[] = [];
  driver: DriverRow[] = [];
  lookups: Record<LookupTable, LookupRow[]> = {
    goodsunit: [],
    goodsclass: [],
    goodsbrand: [],
    goodscolor: [],
    goodsshape: [],
    goodsspecs: [],
    goodsorigin: [],
  };
  goods: GoodsRow[] = [];
  binset: BinRow[] = [];
  binsize: BinSizeRow[] = [];
  stocklist: StockRow[] = [];
  stockbin: StockBinRow[] = [];
  asnlist: AsnListRow[] = [];
  asndetail: AsnDetailRow[] = [];
  dnlist: DnListRow[] = [];
  dndetail: DnDetailRow[] = [];
  picking: PickingRow[] = [];
  dispatch: DispatchRow[] = [];
  freight: FreightRow[] = [];
  /** Offset added to the wall clock; tests move time forward without sleeping. */
  clockOffsetMs = 0;
  /** See SimulatorOptions.filtersDisabled. */
  filtersDisabled = false;
  /** See SimulatorOptions.throttlePerSecond; request times per "openid|ip|method". */
  throttlePerSecond = 500;
  throttleLog = new Map<string, number[]>();
  random: () => number;

  constructor(seed = 1) {
    this.random = makeRandom(seed);
  }

  nextId(table: string): number {
    const n = (this.seq.get(table) ?? 0) + 1;
    this.seq.set(table, n);
    return n;
  }

  now(): Stamp {
    this.microSeq = (this.microSeq + 1) % 1000;
    return { ms: Date.now() + this.clockOffsetMs, micro: this.microSeq };
  }

  /** Base row fields for a new row of `table`. */
  base(table: string, openid: string, at?: Stamp): Row {
    const t = at ?? this.now();
    return { id: this.nextId(table), openid, is_delete: false, create_time: t, update_time: t };
  }

  /** bar_code / t_code values: md5 of something unique, like GreaterWMS's Md5.md5(code + time). */
  token(seed: string): string {
    return md5(`${seed}${Date.now()}${this.random()}`);
  }
}

export function touch(row: Row, db: Db): void {
  row.update_time = db.now();
}

// ---------------------------------------------------------------------------------------------------------
// Demo data created by /register/ (userregister/views.py): random values where the real server uses random.

export const DEMO_CITIES = [
  'beijing',
  'chengdu',
  'chongqing',
  'guangzhou',
  'hangzhou',
  'hefei',
  'kunming',
  'nanjing',
  'shanghai',
  'shenzhen',
  'suzhou',
  'wuhan',
];
const DEMO_UNITS = ['Box', 'Package', 'Piece', 'Pallet'];
const DEMO_CLASSES = [
  'Arts & Crafts',
  'Automotive',
  'Baby',
  'Computers',
  'Electronics',
  'Health',
  'Industrial',
  'Kitchen',
  'Luggage',
  'Movies',
  'Smart Home',
  'Software',
];
const DEMO_COLORS = ['Red', 'Orange', 'Yellow', 'Green', 'Blue', 'Indigo', 'Purple'];
const DEMO_SHAPES = ['Square', 'Rectangle', 'Cone', 'Cylinder', 'Irregular'];
const DEMO_SPECS = ['1 x 10', '3 x 3', '5 x 5', '6 x 6'];
const DEMO_BIN_SIZES = ['Big', 'Floor', 'Small', 'Tiny'];
const DEMO_BINS: [string, string][] = [
  ['A010101', 'Normal'],
  ['A010102', 'Normal'],
  ['A010103', 'Normal'],
  ['B010101', 'Inspection'],
  ['B010102', 'Inspection'],
  ['B010103', 'Inspection'],
  ['B020101', 'Holding'],
  ['B020102', 'Holding'],
  ['B020103', 'Holding'],
  ['B030101', 'Damage'],
  ['B030102', 'Damage'],
  ['B030103', 'Damage'],
];
export const BIN_PROPERTIES = ['Damage', 'Inspection', 'Normal', 'Holding'];

function pick<T>(db: Db, xs: readonly T[]): T {
  return xs[Math.floor(db.random() * xs.length)]!;
}

function randInt(db: Db, lo: number, hi: number): number {
  return lo + Math.floor(db.random() * (hi - lo + 1));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Creates the tenant and everything /register/ seeds. Returns the new user. */
export function registerTenant(db: Db, name: string, password: string): UserRow {
  const at = db.now();
  const openid = md5(`${name}${at.ms}${db.random()}`);
  const admin: StaffRow = {
    ...db.base('staff', openid, at),
    staff_name: name,
    staff_type: 'Admin',
    check_code: 8888,
    is_lock: false,
    error_check_code_counter: 0,
  };
  db.staff.push(admin);
  const user: UserRow = { name, password, openid, appid: md5(`${openid}appid`), staffId: admin.id };
  db.users.push(user);
  db.warehouse.push({
    ...db.base('warehouse', openid, at),
    warehouse_name: 'Center Warehouse',
    warehouse_city: pick(db, DEMO_CITIES),
    warehouse_address: 'People’s Square # 666 Room 2F',
    warehouse_contact: String(randInt(db, 13000000000, 19999999999)),
    warehouse_manager: 'Tim.Yao',
    creater: 'DemoData',
  });
  for (let i = 1; i <= 41; i++) {
    const party = (): Omit<PartyRow, keyof Row | 'name'> => ({
      city: pick(db, DEMO_CITIES),
      address: `Address-${i}`,
      contact: String(randInt(db, 13000000000, 19999999999)),
      manager: `Manager-${i}`,
      level: randInt(db, 1, 3),
      creater: 'DemoData',
    });
    db.supplier.push({ ...db.base('supplier', openid, at), name: `Supplier Name-${i}`, ...party() });
    db.customer.push({ ...db.base('customer', openid, at), name: `Customer Name-${i}`, ...party() });
    db.driver.push({
      ...db.base('driver', openid, at),
      driver_name: `Driver Name-${i}`,
      license_plate: `${randInt(db, 10000, 99999)}`,
      contact: String(randInt(db, 13000000000, 19999999999)),
      creater: 'DemoData',
    });
  }
  const staffTypes = ['Manager', 'Supervisor', 'Inbound', 'Outbound', 'StockControl', 'Customer', 'Supplier'];
  for (let i = 1; i <= 79; i++) {
    db.staff.push({
      ...db.base('staff', openid, at),
      staff_name: `Staff Name-${i}`,
      staff_type: pick(db, staffTypes),
      check_code: randInt(db, 1000, 9999),
      is_lock: false,
      error_check_code_counter: 0,
    });
  }
  const seedLookup = (t: LookupTable, values: string[]) => {
    for (const v of values) db.lookups[t].push({ ...db.base(t, openid, at), value: v, creater: 'DemoData' });
  };
  seedLookup('goodsunit', DEMO_UNITS);
  seedLookup('goodsclass', DEMO_CLASSES);
  seedLookup(
    'goodsbrand',
    Array.from({ length: 41 }, (_, i) => `Brand Name-${i + 1}`),
  );
  seedLookup('goodscolor', DEMO_COLORS);
  seedLookup('goodsshape', DEMO_SHAPES);
  seedLookup('goodsspecs', DEMO_SPECS);
  seedLookup('goodsorigin', DEMO_CITIES);
  for (const s of DEMO_BIN_SIZES) {
    db.binsize.push({
      ...db.base('binsize', openid, at),
      bin_size: s,
      bin_size_w: randInt(db, 500, 2000),
      bin_size_d: randInt(db, 500, 2000),
      bin_size_h: randInt(db, 500, 2000),
      creater: 'DemoData',
    });
  }
  for (const [name, prop] of DEMO_BINS) {
    db.binset.push({
      ...db.base('binset', openid, at),
      bin_name: name,
      bin_size: pick(db, DEMO_BIN_SIZES),
      bin_property: prop,
      empty_label: true,
      bar_code: md5(name + openid),
      creater: 'DemoData',
    });
  }
  for (let i = 1; i <= 41; i++) {
    const w = round2(100 + db.random() * 900);
    const d = round2(100 + db.random() * 900);
    const h = round2(10 + db.random() * 90);
    db.goods.push({
      ...db.base('goods', openid, at),
      goods_code: `A0000${i}`,
      goods_desc: `Goods Desc-${i}`,
      goods_supplier: `Supplier Name-${randInt(db, 1, 41)}`,
      goods_weight: randInt(db, 100, 10000),
      goods_w: w,
      goods_d: d,
      goods_h: h,
      unit_volume: Math.round((w * d * h) / 1e9 / 0.0001) * 0.0001,
      goods_unit: pick(db, DEMO_UNITS),
      goods_class: pick(db, DEMO_CLASSES),
      goods_brand: `Brand Name-${randInt(db, 1, 41)}`,
      goods_color: pick(db, DEMO_COLORS),
      goods_shape: pick(db, DEMO_SHAPES),
      goods_specs: pick(db, DEMO_SPECS),
      goods_origin: pick(db, DEMO_CITIES),
      goods_cost: round2(10 + db.random() * 90),
      goods_price: round2(100 + db.random() * 900),
      creater: 'DemoData',
      bar_code: md5(`A0000${i}${at.ms}`),
      safety_stock: 0,
    });
  }
  // Freight table: one "Supplier" rate per city pair, so any party in a demo city gets one quote.
  for (const from of DEMO_CITIES) {
    for (const to of DEMO_CITIES) {
      db.freight.push({
        ...db.base('freight', openid, at),
        send_city: from,
        receiver_city: to,
        weight_fee: randInt(db, 5, 20),
        volume_fee: randInt(db, 50, 200),
        min_payment: randInt(db, 200, 300),
        transportation_supplier: 'Supplier',
        creater: 'DemoData',
      });
    }
  }
  return user;
}

// ---------------------------------------------------------------------------------------------------------
// Lookup index. A scan per lookup made every request O(table): seeding 10,000 goods with stock took ~14 min
// (bench:stock setup), quadratic in the catalogue. where() returns the candidates for one field value, in array
// order, from an index instead, and the caller still applies its whole predicate to them, so answers are the
// same as the scan's. That holds because (1) the indexed fields (openid, codes, ids) are never changed after a
// row is inserted, and (2) a table only grows by push() or is replaced by a new array (filter()): the index is
// keyed by the array itself and indexes rows appended since its last use. A shorter array than indexed is
// rebuilt from scratch (nothing shrinks in place today; this keeps it exact if something ever does).

interface FieldIndex {
  indexed: number;
  map: Map<unknown, unknown[]>;
}
const INDEXES = new WeakMap<object, Map<string, FieldIndex>>();

export function where<T extends object, K extends keyof T & string>(rows: T[], field: K, value: T[K]): readonly T[] {
  let byField = INDEXES.get(rows);
  if (!byField) INDEXES.set(rows, (byField = new Map()));
  let idx = byField.get(field);
  if (!idx || idx.indexed > rows.length) byField.set(field, (idx = { indexed: 0, map: new Map() }));
  for (; idx.indexed < rows.length; idx.indexed++) {
    const row = rows[idx.indexed]!;
    const k = row[field];
    const list = idx.map.get(k);
    if (list) list.push(row);
    else idx.map.set(k, [row]);
  }
  return (idx.map.get(value) ?? []) as T[];
}
