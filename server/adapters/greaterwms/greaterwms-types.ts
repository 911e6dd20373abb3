// Shapes of GreaterWMS 2.1.x resources as the API returns them (list/get serializers; see
// ../shared reference greaterwms-api.md §2–§5). Only the fields the connector reads are typed.

export interface DnHeader {
  id: number;
  dn_code: string;
  dn_status: number;
  customer: string;
  creater: string;
  back_order_label: boolean;
  /** "YYYY-MM-DD HH:MM:SS" in lists; ISO with microseconds in create answers. */
  create_time: string;
  update_time: string;
}

export interface DnLine {
  id: number;
  dn_code: string;
  dn_status: number;
  customer: string;
  goods_code: string;
  goods_qty: number;
  pick_qty: number;
  picked_qty: number;
  intransit_qty: number;
  delivery_actual_qty: number;
  delivery_shortage_qty: number;
  delivery_more_qty: number;
  delivery_damage_qty: number;
  back_order_label: boolean;
  create_time: string;
  update_time: string;
}

export interface AsnHeader {
  id: number;
  asn_code: string;
  asn_status: number;
  supplier: string;
  creater: string;
  create_time: string;
  update_time: string;
}

export interface AsnLine {
  id: number;
  asn_code: string;
  asn_status: number;
  supplier: string;
  goods_code: string;
  goods_qty: number;
  goods_actual_qty: number;
  sorted_qty: number;
  create_time: string;
  update_time: string;
}

export interface StockRow {
  id: number;
  goods_code: string;
  goods_desc: string;
  goods_qty: number;
  onhand_stock: number;
  can_order_stock: number;
  ordered_stock: number;
  inspect_stock: number;
  hold_stock: number;
  damage_stock: number;
  asn_stock: number;
  dn_stock: number;
  pre_load_stock: number;
  pre_sort_stock: number;
  sorted_stock: number;
  pick_stock: number;
  picked_stock: number;
  back_order_stock: number;
  create_time: string;
  update_time: string;
}

export interface GoodsRow {
  id: number;
  goods_code: string;
  goods_desc: string;
}

export interface BinRow {
  id: number;
  bin_name: string;
  bin_property: string;
}

export interface StaffRow {
  id: number;
  staff_name: string;
  staff_type: string;
  is_lock?: boolean;
}

export interface WarehouseRow {
  id: number;
  warehouse_name: string;
}

export type BinProperty = 'Normal' | 'Inspection' | 'Holding' | 'Damage';

/** "2026-12-05T03:43:34.558909" or "2026-12-05 03:43:34" → "2026-12-05 03:43:34" (the list format). */
export function listTime(t: string): string {
  return t.replace('T', ' ').slice(0, 19);
}
