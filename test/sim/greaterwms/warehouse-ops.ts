// The stock-moving workflows (ASN receiving, DN confirm/release/pick/dispatch/POD) as plain functions over the
// in-memory DB. HTTP handlers and the control API (staff actions) both call these, so bookkeeping is identical.
// Semantics follow GreaterWMS 2.1.50 (asn/views.py, dn/views.py) as recorded in greaterwms-trace-a.jsonl.
import { apiError, notFound, PythonCrash } from './http-kit.js';
import { pyRound } from './python.js';
import {
  touch,
  type AsnDetailRow,
  type AsnListRow,
  type Db,
  type DnDetailRow,
  type DnListRow,
  type GoodsRow,
  type StockRow,
  type TransportationFee,
  where,
} from './store.js';

export interface Actor {
  db: Db;
  openid: string;
  staffName: string;
}

// --- stock rows ------------------------------------------------------------------------------------------

export function findStock(db: Db, openid: string, goodsCode: string): StockRow | undefined {
  return where(db.stocklist, 'goods_code', goodsCode).find((s) => s.openid === openid && s.goods_code === goodsCode && !s.is_delete);
}

export function ensureStock(db: Db, openid: string, goods: GoodsRow): StockRow {
  const existing = findStock(db, openid, goods.goods_code);
  if (existing) return existing;
  const row: StockRow = {
    ...db.base('stocklist', openid),
    goods_code: goods.goods_code,
    goods_desc: goods.goods_desc,
    supplier: '',
    goods_qty: 0,
    onhand_stock: 0,
    can_order_stock: 0,
    inspect_stock: 0,
    hold_stock: 0,
    damage_stock: 0,
    asn_stock: 0,
    dn_stock: 0,
    pre_load_stock: 0,
    pre_sort_stock: 0,
    sorted_stock: 0,
    pick_stock: 0,
    picked_stock: 0,
    back_order_stock: 0,
    ordered_stock: 0,
  };
  db.stocklist.push(row);
  return row;
}

/** Stock rows are hard-deleted when goods_qty and back_order_stock are both 0 (only at ASN sorted / DN dispatch). */
function dropEmptyStock(db: Db, row: StockRow): void {
  if (row.goods_qty === 0 && row.back_order_stock === 0) db.stocklist = db.stocklist.filter((s) => s !== row);
}

export function goodsOf(db: Db, openid: string, code: string): GoodsRow | undefined {
  return where(db.goods, 'goods_code', code).find((g) => g.openid === openid && g.goods_code === code && !g.is_delete);
}

// --- freight -------------------------------------------------------------------------------------------------

export function transportationFee(db: Db, openid: string, sendCity: string, receiverCity: string, weight: number, volume: number): TransportationFee {
  const rows = db.freight.filter(
    (f) =>
      f.openid === openid &&
      !f.is_delete &&
      f.send_city.toLowerCase().includes(sendCity.toLowerCase()) &&
      f.receiver_city.toLowerCase().includes(receiverCity.toLowerCase()),
  );
  return {
    detail: rows.map((f) => ({
      transportation_supplier: f.transportation_supplier,
      transportation_cost: pyRound(Math.max(weight * f.weight_fee, volume * f.volume_fee, f.min_payment), 2),
    })),
  };
}

function warehouseCity(db: Db, openid: string): string {
  return db.warehouse.find((w) => w.openid === openid)?.warehouse_city ?? '';
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

// --- DN -------------------------------------------------------------------------------------------------------

export function dnHeaders(db: Db, openid: string): DnListRow[] {
  return db.dnlist.filter((d) => d.openid === openid && !d.is_delete);
}

export function dnLines(db: Db, openid: string, dnCode: string, status?: number): DnDetailRow[] {
  return where(db.dndetail, 'dn_code', dnCode)
    .filter((l) => l.openid === openid && l.dn_code === dnCode && !l.is_delete && (status === undefined || l.dn_status === status))
    .sort((a, b) => b.id - a.id); // Meta.ordering = ['-id']
}

export function dnById(db: Db, openid: string, id: number): DnListRow {
  const h = where(db.dnlist, 'id', id).find((d) => d.openid === openid && d.id === id && !d.is_delete);
  if (!h) throw notFound();
  return h;
}

export interface LineInput {
  goods: GoodsRow;
  qty: number;
}

function newDnLine(a: Actor, dnCode: string, customer: string, li: LineInput, extra: Partial<DnDetailRow> = {}): DnDetailRow {
  return {
    ...a.db.base('dndetail', a.openid),
    dn_code: dnCode,
    dn_status: 1,
    customer,
    goods_code: li.goods.goods_code,
    goods_desc: li.goods.goods_desc,
    goods_qty: li.qty,
    pick_qty: 0,
    picked_qty: 0,
    intransit_qty: 0,
    delivery_actual_qty: 0,
    delivery_shortage_qty: 0,
    delivery_more_qty: 0,
    delivery_damage_qty: 0,
    goods_weight: pyRound((li.goods.goods_weight * li.qty) / 1000, 4),
    goods_volume: pyRound(li.goods.unit_volume * li.qty, 4),
    goods_cost: pyRound(li.goods.goods_price * li.qty, 2),
    back_order_label: false,
    creater: a.staffName,
    ...extra,
  };
}

/**
 * Lines for the same goods are merged on every write: the old rows are deleted and ONE new row (new id) holds
 * the summed quantity. Goods are visited newest line first (default ordering -id), as the trace's ids show.
 */
function mergeDuplicateLines<T extends DnDetailRow | AsnDetailRow>(lines: T[], make: (first: T, qty: number) => T, push: (row: T) => void): void {
  const seen = new Set<string>();
  for (const l of [...lines].sort((a, b) => b.id - a.id)) {
    if (seen.has(l.goods_code)) continue;
    seen.add(l.goods_code);
    const same = lines.filter((x) => x.goods_code === l.goods_code);
    if (same.length < 2) continue;
    for (const s of same) s.is_delete = true;
    push(make(l, sum(same.map((s) => s.goods_qty))));
  }
}

/** POST /dn/detail/ (add, merge) and PUT /dn/detail/ (replace) once the request is validated. */
export function writeDnLines(a: Actor, dnCode: string, customerName: string, inputs: LineInput[], replace: boolean): void {
  const { db, openid } = a;
  if (replace) {
    for (const l of dnLines(db, openid, dnCode)) {
      const st = findStock(db, openid, l.goods_code);
      if (st) st.dn_stock = Math.max(0, st.dn_stock - l.goods_qty);
      l.is_delete = true;
    }
  }
  const created: DnDetailRow[] = [];
  for (const li of inputs) {
    const st = ensureStock(db, openid, li.goods);
    st.dn_stock += li.qty;
    touch(st, db);
    created.push(newDnLine(a, dnCode, customerName, li));
  }
  db.dndetail.push(...created);
  const current = dnLines(db, openid, dnCode, 1);
  mergeDuplicateLines(
    current,
    (first, qty) => newDnLine(a, dnCode, customerName, { goods: goodsOf(db, openid, first.goods_code)!, qty }),
    (row) => db.dndetail.push(row),
  );
  const totalWeight = sum(created.map((c) => c.goods_weight));
  const totalVolume = sum(created.map((c) => c.goods_volume));
  const totalCost = sum(created.map((c) => c.goods_cost));
  const customer = db.customer.find((c) => c.openid === openid && c.name === customerName && !c.is_delete)!;
  const fee = transportationFee(db, openid, warehouseCity(db, openid), customer.city, totalWeight, totalVolume);
  // DnListModel.objects.filter(dn_code=…).update(…): every header with this code, duplicates included.
  for (const h of db.dnlist.filter((d) => d.openid === openid && d.dn_code === dnCode)) {
    h.customer = customerName;
    h.total_weight = totalWeight;
    h.total_volume = totalVolume;
    h.total_cost = totalCost;
    h.transportation_fee = fee;
  }
}

/** POST /dn/neworder/{id}/: 1 -> 2; can_order_stock -= qty (clamped at 0), ordered_stock += qty, dn_stock -= qty. */
export function confirmDn(a: Actor, id: number): DnListRow {
  const { db, openid } = a;
  const h = dnById(db, openid, id);
  if (h.dn_status !== 1) throw apiError('This DN Status Is Not Pre Order');
  const lines = dnLines(db, openid, h.dn_code, 1);
  if (lines.length === 0 || h.customer === '') throw apiError('Please Enter The DN Detail');
  for (const l of lines) {
    const st = ensureStock(db, openid, goodsOf(db, openid, l.goods_code)!);
    st.can_order_stock = Math.max(0, st.can_order_stock - l.goods_qty);
    st.ordered_stock += l.goods_qty;
    st.dn_stock -= l.goods_qty;
    touch(st, db);
    l.dn_status = 2;
    touch(l, db);
  }
  h.dn_status = 2;
  touch(h, db);
  return h;
}

/** DELETE /dn/list/{id}/: only while status 1; soft-deletes header and lines and gives dn_stock back. */
export function cancelDn(a: Actor, id: number): void {
  const { db, openid } = a;
  const h = db.dnlist.find((d) => d.openid === openid && d.id === id && !d.is_delete && d.customer !== '');
  if (!h) throw notFound();
  if (h.dn_status !== 1) throw apiError('This order has Confirmed or Deliveried');
  h.is_delete = true;
  for (const l of dnLines(db, openid, h.dn_code, 1)) {
    const st = findStock(db, openid, l.goods_code);
    if (st) {
      st.dn_stock -= l.goods_qty;
      touch(st, db);
    }
    l.is_delete = true;
  }
}

function normalBins(db: Db, openid: string, goodsCode: string) {
  return db.stockbin
    .filter((b) => b.openid === openid && b.goods_code === goodsCode && b.bin_property === 'Normal' && b.goods_qty > 0 && !b.is_delete)
    .sort((x, y) => x.id - y.id); // FIFO by bin-stock row id
}

/**
 * PUT /dn/orderrelease/{id}/ for one status-2 DN: allocate from Normal bins (FIFO), write the picking list, and
 * split what cannot be allocated into a back-order DN coded "DN" + (first digit run of the newest code + 1).
 */
export function releaseDn(a: Actor, h: DnListRow): void {
  const { db, openid } = a;
  if (h.dn_status !== 2) throw apiError('This Order Does Not in Release Status');
  const lines = dnLines(db, openid, h.dn_code, 2);
  const newest = dnHeaders(db, openid).sort((x, y) => y.id - x.id)[0]!;
  const digits = /\d+/.exec(newest.dn_code);
  const boCode = 'DN' + String(Number(digits ? digits[0] : '0') + 1).padStart(8, '0');
  const picking: Db['picking'] = [];
  const backLines: DnDetailRow[] = [];
  let totalWeight = h.total_weight;
  let totalVolume = h.total_volume;
  let totalCost = h.total_cost;
  const isBack = h.back_order_label;

  const pickFrom = (l: DnDetailRow, bin: Db['stockbin'][number], qty: number, st: StockRow) => {
    bin.pick_qty += qty;
    touch(bin, db);
    if (isBack) {
      st.can_order_stock -= qty;
      st.back_order_stock -= qty;
    }
    st.ordered_stock -= qty;
    st.pick_stock += qty;
    touch(st, db);
    picking.push({
      ...db.base('picking', openid),
      dn_code: l.dn_code,
      bin_name: bin.bin_name,
      goods_code: bin.goods_code,
      picking_status: 0,
      pick_qty: qty,
      picked_qty: 0,
      t_code: bin.t_code,
      creater: a.staffName,
    });
    l.pick_qty += qty;
  };
  const addBackLine = (l: DnDetailRow, g: GoodsRow, qty: number) => {
    const bo: DnDetailRow = {
      ...newDnLine(a, boCode, h.customer, { goods: g, qty }, { dn_status: 2, back_order_label: true }),
      create_time: l.create_time,
    };
    backLines.push(bo);
    totalWeight -= bo.goods_weight;
    totalVolume -= bo.goods_volume;
    totalCost -= bo.goods_cost;
    return bo;
  };

  for (const l of lines) {
    const g = goodsOf(db, openid, l.goods_code)!;
    const st = ensureStock(db, openid, g);
    const bins = normalBins(db, openid, l.goods_code);
    const canPick = st.onhand_stock - st.inspect_stock - st.hold_stock - st.damage_stock - st.pick_stock;
    if (canPick > 0) {
      if (l.goods_qty > canPick) {
        // Short: take everything the Normal bins have, cut the line down, back-order the rest.
        for (const b of bins) {
          const avail = b.goods_qty - b.pick_qty;
          if (avail > 0) pickFrom(l, b, avail, st);
        }
        const backQty = l.goods_qty - l.pick_qty;
        if (!isBack) st.back_order_stock = l.goods_qty - canPick;
        l.goods_qty = l.pick_qty;
        l.dn_status = 3;
        const bo = addBackLine(l, g, backQty);
        l.goods_weight -= bo.goods_weight;
        l.goods_volume -= bo.goods_volume;
        l.goods_cost -= bo.goods_cost;
        touch(l, db);
      } else {
        for (const b of bins) {
          const avail = b.goods_qty - b.pick_qty;
          if (avail <= 0) continue;
          const need = l.goods_qty - l.pick_qty;
          if (need <= 0) break;
          pickFrom(l, b, Math.min(need, avail), st);
          if (l.pick_qty === l.goods_qty) {
            l.dn_status = 3;
            break;
          }
        }
        touch(l, db);
      }
    } else if (canPick === 0 && !isBack) {
      st.back_order_stock += l.goods_qty;
      touch(st, db);
      addBackLine(l, g, l.goods_qty);
      l.is_delete = true;
    }
  }

  const customer = db.customer.find((c) => c.openid === openid && c.name === h.customer && !c.is_delete);
  if (picking.length > 0) {
    db.picking.push(...picking);
    if (backLines.length > 0) {
      const bw = sum(backLines.map((b) => b.goods_weight));
      const bv = sum(backLines.map((b) => b.goods_volume));
      const bc = sum(backLines.map((b) => b.goods_cost));
      const city = customer?.city ?? '';
      db.dnlist.push({
        ...db.base('dnlist', openid),
        create_time: h.create_time,
        dn_code: boCode,
        dn_status: 2,
        customer: h.customer,
        total_weight: bw,
        total_volume: bv,
        total_cost: bc,
        transportation_fee: transportationFee(db, openid, warehouseCity(db, openid), city, bw, bv),
        back_order_label: true,
        bar_code: db.token(boCode),
        creater: a.staffName,
      });
      db.dndetail.push(...backLines);
      h.total_weight = totalWeight;
      h.total_volume = totalVolume;
      h.total_cost = totalCost;
      h.transportation_fee = transportationFee(db, openid, warehouseCity(db, openid), city, totalWeight, totalVolume);
    }
    h.dn_status = 3;
    touch(h, db);
  } else if (backLines.length > 0) {
    // Nothing allocatable at all: the original DN disappears and a back order replaces it.
    db.dndetail.push(...backLines);
    db.dnlist.push({
      ...db.base('dnlist', openid),
      create_time: h.create_time,
      dn_code: boCode,
      dn_status: 2,
      customer: h.customer,
      total_weight: h.total_weight,
      total_volume: h.total_volume,
      total_cost: h.total_cost,
      transportation_fee: h.transportation_fee,
      back_order_label: true,
      bar_code: db.token(boCode),
      creater: a.staffName,
    });
    h.is_delete = true;
    h.dn_status = 3;
    touch(h, db);
  }
  // else: e.g. a back order with still no sellable stock -> success, nothing changes.
}

/** POST /dn/orderrelease/: every status-2 DN of the tenant, oldest create_time first. */
export function releaseAll(a: Actor): void {
  const list = dnHeaders(a.db, a.openid)
    .filter((d) => d.dn_status === 2)
    .sort((x, y) => x.create_time.ms * 1000 + x.create_time.micro - (y.create_time.ms * 1000 + y.create_time.micro) || x.id - y.id);
  for (const h of list) if (!h.is_delete && h.dn_status === 2) releaseDn(a, h);
}

export interface PickInput {
  goods_code: string;
  t_code: string;
  pick_qty: number;
}

/** POST /dn/picked/{id}/: one entry per picking-list row; pick_qty < planned is a short pick. */
export function pickDn(a: Actor, h: DnListRow, customerName: string, goodsData: PickInput[]): void {
  const { db, openid } = a;
  if (h.dn_status !== 3) throw apiError('This dn Status Not Pre Pick');
  const rows = goodsData.map((g) => {
    const p = db.picking.find((r) => r.openid === openid && r.dn_code === h.dn_code && r.picking_status === 0 && r.t_code === g.t_code && !r.is_delete);
    if (!p) throw apiError('Picking list row does not exist');
    if (g.pick_qty < 0) throw apiError(`${g.goods_code} Picked Qty Must >= 0`);
    if (g.pick_qty > p.pick_qty) throw apiError(`${g.goods_code} Picked Qty Must Less Than Pick Qty`);
    return { g, p };
  });
  for (const { g, p } of rows) {
    const st = findStock(db, openid, g.goods_code);
    const line = dnLines(db, openid, h.dn_code).find((l) => l.goods_code === g.goods_code && l.customer === customerName);
    const bin = db.stockbin.find((b) => b.openid === openid && b.t_code === g.t_code && !b.is_delete);
    if (!st || !line || !bin) throw apiError('Picking data does not match the delivery note');
    const picked = g.pick_qty;
    st.onhand_stock -= picked;
    st.picked_stock += picked;
    if (picked === p.pick_qty) {
      st.pick_stock -= picked;
      bin.pick_qty -= picked;
    } else {
      st.pick_stock -= line.pick_qty;
      st.can_order_stock += p.pick_qty - picked; // the unpicked remainder becomes sellable again
      bin.pick_qty -= p.pick_qty;
    }
    bin.goods_qty -= picked;
    bin.picked_qty += picked;
    p.picked_qty = picked;
    p.picking_status = 1;
    line.picked_qty += picked;
    if (line.dn_status === 3) line.dn_status = 4;
    if (line.pick_qty > 0) line.pick_qty = 0;
    for (const r of [st, bin, p, line]) touch(r, db);
  }
  if (!dnLines(db, openid, h.dn_code, 3).length) {
    h.dn_status = 4;
    touch(h, db);
  }
}

/** POST /dn/dispatch/{id}/: 4 -> 5; ships picked_qty, goods_qty/picked_stock down, dispatch record written. */
export function dispatchDn(a: Actor, h: DnListRow, driverName: string): void {
  const { db, openid } = a;
  if (h.dn_status !== 4) throw apiError('This DN Status Not Picked');
  const driver = db.driver.find((d) => d.openid === openid && d.driver_name === driverName && !d.is_delete);
  if (!driver) throw apiError('Driver Does Not Exists');
  for (const l of dnLines(db, openid, h.dn_code, 4)) {
    const st = findStock(db, openid, l.goods_code);
    if (st) {
      st.goods_qty -= l.picked_qty;
      st.picked_stock -= l.picked_qty;
      touch(st, db);
      dropEmptyStock(db, st);
    }
    l.intransit_qty = l.picked_qty;
    l.dn_status = 5;
    touch(l, db);
  }
  for (const p of db.picking.filter((r) => r.openid === openid && r.dn_code === h.dn_code && !r.is_delete)) {
    const bin = db.stockbin.find((b) => b.openid === openid && b.t_code === p.t_code && !b.is_delete);
    if (!bin) continue;
    bin.picked_qty -= p.picked_qty;
    touch(bin, db);
    if (bin.goods_qty <= 0 && bin.pick_qty <= 0 && bin.picked_qty <= 0) {
      db.stockbin = db.stockbin.filter((b) => b !== bin);
      if (!db.stockbin.some((b) => b.openid === openid && b.bin_name === bin.bin_name && !b.is_delete)) {
        const set = db.binset.find((s) => s.openid === openid && s.bin_name === bin.bin_name && !s.is_delete);
        if (set) set.empty_label = true;
      }
    }
  }
  db.dispatch.push({ ...db.base('dispatch', openid), driver_name: driver.driver_name, dn_code: h.dn_code, contact: driver.contact, creater: a.staffName });
  h.dn_status = 5;
  touch(h, db);
}

export interface PodInput {
  goods_code: string;
  intransit_qty: number;
  delivery_damage_qty: number;
}

/** POST /dn/pod/{id}/: 5 -> 6; records delivered / short / more / damaged quantities on the lines. */
export function podDn(a: Actor, h: DnListRow, goodsData: PodInput[]): void {
  const { db, openid } = a;
  if (h.dn_status !== 5) throw apiError('This DN Status Not Dispatched');
  for (const g of goodsData) {
    const l = dnLines(db, openid, h.dn_code, 5).find((x) => x.goods_code === g.goods_code);
    if (!l) continue;
    const delivered = g.intransit_qty;
    if (delivered < l.intransit_qty) l.delivery_shortage_qty = l.intransit_qty - delivered;
    else if (delivered > l.intransit_qty) l.delivery_more_qty = delivered - l.intransit_qty;
    l.delivery_actual_qty = delivered;
    l.delivery_damage_qty = g.delivery_damage_qty;
    l.intransit_qty = 0;
    l.dn_status = 6;
    touch(l, db);
  }
  for (const l of dnLines(db, openid, h.dn_code, 5)) {
    l.dn_status = 6;
    touch(l, db);
  }
  h.dn_status = 6;
  touch(h, db);
}

// --- ASN ---------------------------------------------------------------------------------------------------

export function asnLines(db: Db, openid: string, asnCode: string, status?: number): AsnDetailRow[] {
  return where(db.asndetail, 'asn_code', asnCode)
    .filter((l) => l.openid === openid && l.asn_code === asnCode && !l.is_delete && (status === undefined || l.asn_status === status))
    .sort((x, y) => y.id - x.id);
}

export function asnById(db: Db, openid: string, id: number, hideEmpty = false): AsnListRow {
  const h = where(db.asnlist, 'id', id).find((d) => d.openid === openid && d.id === id && !d.is_delete && (!hideEmpty || d.supplier !== ''));
  if (!h) throw notFound();
  return h;
}

function newAsnLine(a: Actor, asnCode: string, supplier: string, li: LineInput): AsnDetailRow {
  return {
    ...a.db.base('asndetail', a.openid),
    asn_code: asnCode,
    asn_status: 1,
    supplier,
    goods_code: li.goods.goods_code,
    goods_desc: li.goods.goods_desc,
    goods_qty: li.qty,
    goods_actual_qty: 0,
    sorted_qty: 0,
    goods_shortage_qty: 0,
    goods_more_qty: 0,
    goods_damage_qty: 0,
    goods_weight: pyRound((li.goods.goods_weight * li.qty) / 1000, 4),
    goods_volume: pyRound(li.goods.unit_volume * li.qty, 4),
    goods_cost: pyRound(li.goods.goods_cost * li.qty, 2),
    creater: a.staffName,
  };
}

export function writeAsnLines(a: Actor, asnCode: string, supplierName: string, inputs: LineInput[], replace: boolean): void {
  const { db, openid } = a;
  if (replace) {
    for (const l of asnLines(db, openid, asnCode)) {
      const st = findStock(db, openid, l.goods_code);
      if (st) {
        st.goods_qty -= l.goods_qty;
        st.asn_stock -= l.goods_qty;
      }
      l.is_delete = true;
    }
  }
  const created: AsnDetailRow[] = [];
  for (const li of inputs) {
    const st = ensureStock(db, openid, li.goods);
    st.goods_qty += li.qty;
    st.asn_stock += li.qty;
    touch(st, db);
    created.push(newAsnLine(a, asnCode, supplierName, li));
  }
  db.asndetail.push(...created);
  mergeDuplicateLines(
    asnLines(db, openid, asnCode, 1),
    (first, qty) => newAsnLine(a, asnCode, supplierName, { goods: goodsOf(db, openid, first.goods_code)!, qty }),
    (row) => db.asndetail.push(row),
  );
  const tw = sum(created.map((c) => c.goods_weight));
  const tv = sum(created.map((c) => c.goods_volume));
  const tc = sum(created.map((c) => c.goods_cost));
  const supplier = db.supplier.find((s) => s.openid === openid && s.name === supplierName && !s.is_delete)!;
  const fee = transportationFee(db, openid, supplier.city, warehouseCity(db, openid), tw, tv);
  for (const h of where(db.asnlist, 'asn_code', asnCode).filter((x) => x.openid === openid && x.asn_code === asnCode)) {
    h.supplier = supplierName;
    h.total_weight = tw;
    h.total_volume = tv;
    h.total_cost = tc;
    h.transportation_fee = fee;
  }
}

/** DELETE /asn/list/{id}/: status 1 only; stock reversed, rows stay with zero counters. Returns the header. */
export function cancelAsn(a: Actor, id: number): AsnListRow {
  const { db, openid } = a;
  const h = asnById(db, openid, id, true);
  if (h.asn_status !== 1) throw apiError("This ASN Status Is Not '1'");
  for (const l of asnLines(db, openid, h.asn_code, 1)) {
    const st = findStock(db, openid, l.goods_code);
    if (st) {
      st.goods_qty -= l.goods_qty;
      st.asn_stock -= l.goods_qty;
      touch(st, db);
    }
    l.is_delete = true;
  }
  h.is_delete = true;
  return h;
}

function moveAsnStatus(a: Actor, id: number, from: number, fromField: 'asn_stock' | 'pre_load_stock', toField: 'pre_load_stock' | 'pre_sort_stock'): AsnListRow {
  const { db, openid } = a;
  const h = asnById(db, openid, id);
  if (h.asn_status !== from) throw apiError(`This ASN Status Is Not ${from}`);
  const lines = asnLines(db, openid, h.asn_code, from);
  if (lines.length === 0 || h.supplier === '') throw apiError('Please Enter The ASN Detail');
  for (const l of lines) {
    const st = findStock(db, openid, l.goods_code);
    if (st) {
      st[fromField] -= l.goods_qty;
      st[toField] += l.goods_qty;
      touch(st, db);
    }
    l.asn_status = from + 1;
    touch(l, db);
  }
  h.asn_status = from + 1;
  touch(h, db);
  return h;
}

export function preloadAsn(a: Actor, id: number): AsnListRow {
  return moveAsnStatus(a, id, 1, 'asn_stock', 'pre_load_stock');
}

export function presortAsn(a: Actor, id: number): AsnListRow {
  return moveAsnStatus(a, id, 2, 'pre_load_stock', 'pre_sort_stock');
}

export interface SortedInput {
  goods_code: string;
  goods_actual_qty: number;
}

/** POST /asn/sorted/{id}/: 3 -> 4 with the quantities that actually arrived (shortage / over-delivery). */
export function sortAsn(a: Actor, id: number, goodsData: SortedInput[]): void {
  const { db, openid } = a;
  const h = asnById(db, openid, id);
  if (h.asn_status !== 3) throw apiError('This ASN Status Is Not 3');
  for (const g of goodsData) {
    const l = asnLines(db, openid, h.asn_code, 3).find((x) => x.goods_code === g.goods_code);
    if (!l) continue;
    const goods = goodsOf(db, openid, l.goods_code)!;
    const actual = g.goods_actual_qty;
    l.goods_actual_qty = actual;
    l.goods_shortage_qty = actual < l.goods_qty ? l.goods_qty - actual : 0;
    l.goods_more_qty = actual > l.goods_qty ? actual - l.goods_qty : 0;
    l.goods_cost = pyRound(goods.goods_cost * actual, 2);
    l.asn_status = actual === 0 ? 5 : 4;
    touch(l, db);
    const st = findStock(db, openid, l.goods_code);
    if (st) {
      st.pre_sort_stock -= l.goods_qty;
      st.sorted_stock += actual;
      st.goods_qty += actual - l.goods_qty;
      touch(st, db);
      dropEmptyStock(db, st);
    }
  }
  h.total_cost = sum(asnLines(db, openid, h.asn_code).map((l) => l.goods_cost));
  h.asn_status = asnLines(db, openid, h.asn_code).every((l) => l.asn_status === 5) ? 5 : 4;
  touch(h, db);
}

const PROPERTY_FIELD: Record<string, 'can_order_stock' | 'inspect_stock' | 'hold_stock' | 'damage_stock'> = {
  Normal: 'can_order_stock',
  Inspection: 'inspect_stock',
  Holding: 'hold_stock',
  Damage: 'damage_stock',
};

/** POST /asn/movetobin/{line id}/: put-away of `qty` units of a sorted line into a bin. */
export function moveToBin(a: Actor, lineId: number, goodsCode: string, binName: string, qty: number): void {
  const { db, openid } = a;
  const l = where(db.asndetail, 'id', lineId).find((x) => x.openid === openid && x.id === lineId && !x.is_delete);
  if (!l) throw notFound();
  if (l.asn_status !== 4) throw apiError('This ASN Status Is Not 4');
  const bin = db.binset.find((b) => b.openid === openid && b.bin_name === binName && !b.is_delete);
  if (!bin) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'bin_property'");
  if (qty <= 0) throw apiError('Move QTY Must > 0');
  if (l.sorted_qty + qty > l.goods_actual_qty) throw apiError('Move Qty must < Actual Arrive Qty');
  const header = where(db.asnlist, 'asn_code', l.asn_code).find((h) => h.openid === openid && h.asn_code === l.asn_code && !h.is_delete)!;
  const goods = goodsOf(db, openid, goodsCode) ?? goodsOf(db, openid, l.goods_code)!;
  const st = ensureStock(db, openid, goods);
  st.sorted_stock -= qty;
  st.onhand_stock += qty;
  st[PROPERTY_FIELD[bin.bin_property] ?? 'can_order_stock'] += qty;
  touch(st, db);
  db.stockbin.push({
    ...db.base('stockbin', openid, header.create_time),
    update_time: db.now(),
    bin_name: bin.bin_name,
    goods_code: goods.goods_code,
    goods_desc: goods.goods_desc,
    goods_qty: qty,
    pick_qty: 0,
    picked_qty: 0,
    bin_size: bin.bin_size,
    bin_property: bin.bin_property,
    t_code: db.token(`${bin.bin_name}${goods.goods_code}`),
  });
  bin.empty_label = false;
  l.sorted_qty += qty;
  if (l.sorted_qty === l.goods_actual_qty) l.asn_status = 5;
  touch(l, db);
  if (!asnLines(db, openid, l.asn_code, 4).length) {
    header.asn_status = 5;
    touch(header, db);
  }
}

/**
 * POST /stock/bin/{id}/: moves `qty` units of one bin-stock row to another bin. On-hand stays the same; the
 * per-property counters (can_order / inspect / hold / damage) shift when the bins' properties differ.
 */
export function moveBinStock(a: Actor, binStockId: number, goodsCode: string, toBinName: string, qty: number): void {
  const { db, openid } = a;
  const src = db.stockbin.find((b) => b.openid === openid && b.id === binStockId && !b.is_delete);
  if (!src) throw notFound();
  const to = db.binset.find((b) => b.openid === openid && b.bin_name === toBinName && !b.is_delete);
  if (!to) throw new PythonCrash('AttributeError', "'NoneType' object has no attribute 'bin_property'");
  if (qty <= 0) throw apiError('Move QTY Must > 0');
  if (qty > src.goods_qty - src.pick_qty - src.picked_qty) throw apiError('Move Qty must < Bin Qty');
  if (goodsCode !== src.goods_code) throw apiError('Goods Code does not match the bin stock');
  const st = findStock(db, openid, src.goods_code)!;
  st[PROPERTY_FIELD[src.bin_property] ?? 'can_order_stock'] -= qty;
  st[PROPERTY_FIELD[to.bin_property] ?? 'can_order_stock'] += qty;
  touch(st, db);
  src.goods_qty -= qty;
  touch(src, db);
  db.stockbin.push({
    ...db.base('stockbin', openid, src.create_time),
    update_time: db.now(),
    bin_name: to.bin_name,
    goods_code: src.goods_code,
    goods_desc: src.goods_desc,
    goods_qty: qty,
    pick_qty: 0,
    picked_qty: 0,
    bin_size: to.bin_size,
    bin_property: to.bin_property,
    t_code: db.token(`${to.bin_name}${src.goods_code}`),
  });
  to.empty_label = false;
  if (src.goods_qty === 0 && src.pick_qty === 0 && src.picked_qty === 0) {
    db.stockbin = db.stockbin.filter((b) => b !== src);
    if (!db.stockbin.some((b) => b.openid === openid && b.bin_name === src.bin_name && !b.is_delete)) {
      const set = db.binset.find((s) => s.openid === openid && s.bin_name === src.bin_name && !s.is_delete);
      if (set) set.empty_label = true;
    }
  }
}
