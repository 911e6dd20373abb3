// WarehousePort over GreaterWMS: maps platform-neutral orders/stock/returns to DNs, stock rows and ASNs.
// Every GreaterWMS name (dn_code, customer, can_order_stock, …) stays in this folder.
import type {
  CancelOutboundResult,
  ConnectionTestResult,
  OutboundDocState,
  OutboundLineState,
  OutboundOrderInput,
  OutboundOrderRef,
  OutboundOrderResult,
  OutboundOrderStatus,
  OutboundReadQuery,
  OutboundReadResult,
  OutboundState,
  ReturnDisposition,
  ReturnInboundInput,
  ReturnInboundResult,
  StockChangesResult,
  StockLevel,
  StockReadResult,
  WarehousePort,
  WarehouseProductInput,
  WarehouseProductRef,
} from '../../core/ports.js';
import { GreaterWmsClient } from './greaterwms-client.js';
import { listTime, type BinProperty, type DnHeader, type DnLine, type StockRow } from './greaterwms-types.js';
import { assertCodePrefix, documentCode, safeCode, truncate } from './text-transformer.js';

export type CustomerStrategy =
  /** One GreaterWMS customer per order ("SHOP-1001 Jane Doe"): back orders are traceable by customer alone. */
  | 'per-order'
  /** One customer for every order (sharedCustomerName): fewer master-data rows; back orders linked by create time. */
  | 'shared';

export interface GreaterWmsWarehouseOptions {
  client: GreaterWmsClient;
  /** DN code = prefix + order name digits/letters, e.g. "SHOP-" + "#1001" → "SHOP-1001". */
  orderCodePrefix?: string;
  /** ASN code of a return = prefix + return name, e.g. "RET-" + "#1001-R1" → "RET-1001-R1". */
  returnCodePrefix?: string;
  customerStrategy?: CustomerStrategy;
  sharedCustomerName?: string;
  /** GreaterWMS has no return document: a return is an ASN from this supplier. */
  returnsSupplierName?: string;
  /** Up to this many SKUs, readStock({skus}) asks per code; above it reads every row once (1000 per page). */
  perCodeStockLimit?: number;
  /**
   * readOutboundOrders without a cursor: up to this many distinct customers it reads per customer (2 small
   * calls each); above it reads every DN created since the oldest ref (2 paged calls in all).
   */
  perCustomerReadLimit?: number;
}

const STATES: Record<number, OutboundState> = {
  1: 'draft',
  2: 'confirmed',
  3: 'allocated',
  4: 'picked',
  5: 'shipped',
  6: 'delivered',
};

const BIN_OF: Record<ReturnDisposition, BinProperty> = {
  sellable: 'Normal',
  inspection: 'Inspection',
  holding: 'Holding',
  damaged: 'Damage',
};

export class GreaterWmsWarehouse implements WarehousePort {
  readonly client: GreaterWmsClient;
  private readonly orderPrefix: string;
  private readonly returnPrefix: string;
  private readonly strategy: CustomerStrategy;
  private readonly sharedCustomer: string;
  private readonly returnsSupplier: string;
  private readonly perCodeStockLimit: number;
  private readonly perCustomerReadLimit: number;

  constructor(opts: GreaterWmsWarehouseOptions) {
    this.client = opts.client;
    this.orderPrefix = opts.orderCodePrefix ?? 'SHOP-';
    this.returnPrefix = opts.returnCodePrefix ?? 'RET-';
    assertCodePrefix(this.orderPrefix);
    assertCodePrefix(this.returnPrefix);
    if (this.orderPrefix === this.returnPrefix) throw new Error('order and return code prefixes must differ');
    this.strategy = opts.customerStrategy ?? 'per-order';
    this.sharedCustomer = opts.sharedCustomerName ?? 'Shopify Customer';
    this.returnsSupplier = opts.returnsSupplierName ?? 'Shopify Returns';
    // 20: below it, N small requests beat paging through the whole stock list.
    this.perCodeStockLimit = opts.perCodeStockLimit ?? 20;
    // 5: 10 small calls cost about what two paged reads of a busy tenant's recent DNs cost.
    this.perCustomerReadLimit = opts.perCustomerReadLimit ?? 5;
  }

  testConnection(): Promise<ConnectionTestResult> {
    return this.client.testConnection();
  }

  /** The DN code of a shop order (deterministic). */
  orderCode(order: Pick<OutboundOrderInput, 'orderName' | 'orderId'>): string {
    return documentCode(this.orderPrefix, order.orderName, order.orderId);
  }

  returnCode(ret: Pick<ReturnInboundInput, 'returnName' | 'returnId'>): string {
    return documentCode(this.returnPrefix, ret.returnName, ret.returnId);
  }

  async ensureProduct(p: WarehouseProductInput): Promise<WarehouseProductRef> {
    const r = await this.client.ensureGoods({
      goods_code: p.sku,
      goods_desc: p.title,
      goods_weight: p.weightGrams,
      goods_w: p.widthMm,
      goods_d: p.depthMm,
      goods_h: p.heightMm,
      goods_price: p.price,
      goods_cost: p.cost,
    });
    return { sku: p.sku, warehouseCode: r.goods_code, created: r.created };
  }

  async createOutboundOrder(order: OutboundOrderInput): Promise<OutboundOrderResult> {
    const code = this.orderCode(order);
    const r = order.recipient;
    const customerName =
      this.strategy === 'per-order' ? truncate(`${code} ${r.name ?? ''}`.trim(), 255) : this.sharedCustomer;
    const res = await this.client.createDn({
      dn_code: code,
      // The shop reference, also on the warehouse side (searchable in its UI). Back orders do not keep it
      // (their creater is the operator's staff name), so the ref we return is what links them.
      creater: truncate(order.orderId, 255),
      customer: {
        name: customerName,
        city: [r.city, r.province, r.zip, r.country].filter(Boolean).join(', '),
        address: [r.company, r.address1, r.address2].filter(Boolean).join(', '),
        contact: [r.phone, r.email].filter(Boolean).join(' '),
        manager: r.name,
      },
      lines: order.lines.map((l) => ({ goods_code: l.sku, goods_qty: l.quantity })),
      customerIsPerOrder: this.strategy === 'per-order',
      distinctCreateSecond: this.strategy === 'shared',
    });
    const h = res.header;
    const ref: OutboundOrderRef = {
      orderId: order.orderId,
      code,
      warehouseId: h.back_order_label ? null : h.id,
      recipientKey: h.customer || safeCode(customerName),
      createdAt: listTime(h.create_time),
    };
    return { ref, state: STATES[h.dn_status] ?? 'draft', created: res.created, steps: res.steps, warnings: res.warnings };
  }

  async readOutboundOrders(query: OutboundReadQuery): Promise<OutboundReadResult> {
    const cursor = query.cursor ?? null;
    let headers: DnHeader[];
    let lines: DnLine[];
    let nextCursor: string | null;
    if (cursor) {
      headers = await this.client.listDnHeaders({ update_time__gte: cursor });
      // Lines are read per changed document below: a bulk "lines changed since" read could hold only some of
      // a document's lines.
      lines = [];
      nextCursor = maxTime(cursor, ...headers.map((h) => h.update_time));
    } else {
      // The newest change before we start reading: anything later is >= it and shows up with this cursor.
      const newest = await this.client.http.page<DnHeader>('/dn/list/', { ordering: '-update_time' }, 1, 1);
      nextCursor = newest.results[0] ? listTime(newest.results[0].update_time) : null;
      const customers = new Set(query.refs.map((r) => r.recipientKey));
      if (customers.size > this.perCustomerReadLimit) {
        // Many orders: everything created since the oldest ref, in two paged reads. Back orders keep their
        // original's create_time and every line is created after its header, so nothing of ours is older.
        const since = query.refs.map((r) => r.createdAt).sort()[0]!;
        headers = await this.client.listDnHeaders({ create_time__gte: since });
        lines = await this.client.listDnLines({ create_time__gte: since });
      } else {
        headers = [];
        lines = [];
        for (const customer of customers) {
          headers.push(...(await this.client.listDnHeaders({ customer })).filter((h) => h.customer === customer));
          lines.push(...(await this.client.listDnLines({ customer })).filter((l) => l.customer === customer));
        }
      }
      // A ref whose header moved to another customer (renamed in the UI) is still found by its code.
      for (const ref of query.refs) {
        if (!headers.some((h) => h.dn_code === ref.code)) headers.push(...(await this.client.findDnHeaders(ref.code)));
      }
    }

    // Keyed by code AND customer: a generated back-order code can repeat (reference §5.3), a customer + code can not.
    const docKey = (code: string, customer: string) => `${code}\0${customer}`;
    const linesByDoc = groupBy(lines, (l) => docKey(l.dn_code, l.customer));
    const docOf = async (h: DnHeader): Promise<OutboundDocState> => {
      let ls = linesByDoc.get(docKey(h.dn_code, h.customer));
      if (!ls) {
        ls = (await this.client.findDnLines(h.dn_code)).filter((l) => l.customer === h.customer);
        linesByDoc.set(docKey(h.dn_code, h.customer), ls);
      }
      return toDoc(h, ls);
    };

    const orders: OutboundOrderStatus[] = [];
    const linked = new Set<number>();
    const refsByOrigin = groupBy(query.refs, (r) => `${r.recipientKey}\0${r.createdAt}`);
    for (const ref of query.refs) {
      const main = headers.find((h) => h.dn_code === ref.code && !h.back_order_label) ?? null;
      const candidates = headers.filter(
        (h) => h.back_order_label && h.customer === ref.recipientKey && listTime(h.create_time) === ref.createdAt,
      );
      // Two of our orders with the same customer and create second (shared customer, other writers): ambiguous.
      const ambiguous = (refsByOrigin.get(`${ref.recipientKey}\0${ref.createdAt}`)?.length ?? 0) > 1;
      const backs = ambiguous ? [] : candidates;
      for (const b of backs) linked.add(b.id);
      if (!main && backs.length === 0 && cursor) continue;
      orders.push({ ref, main: main ? await docOf(main) : null, backOrders: await Promise.all(backs.map(docOf)) });
    }
    const unlinkedBackOrders: OutboundDocState[] = [];
    for (const h of headers) {
      if (h.back_order_label && !linked.has(h.id) && query.refs.some((r) => r.recipientKey === h.customer)) {
        unlinkedBackOrders.push(await docOf(h));
      }
    }
    return { orders, unlinkedBackOrders, nextCursor };
  }

  async cancelOutboundOrder(ref: OutboundOrderRef): Promise<CancelOutboundResult> {
    const r = await this.client.cancelDn(ref.code, { customer: ref.recipientKey, createTime: ref.createdAt });
    if (r.outcome === 'already_confirmed') {
      return { outcome: 'already_confirmed', state: STATES[r.status] ?? 'confirmed', detail: `already confirmed in the warehouse: ${r.detail}` };
    }
    return r.outcome === 'cancelled' ? { outcome: 'cancelled' } : { outcome: 'absent' };
  }

  async readStock(query: { skus?: string[] } = {}): Promise<StockReadResult> {
    if (!query.skus) return { levels: (await this.client.listStock()).map((row) => toLevel(row, null)) };
    const codes = new Map(query.skus.map((sku) => [sku, safeCode(sku)]));
    const rows = new Map<string, StockRow>();
    if (codes.size <= this.perCodeStockLimit) {
      for (const code of new Set(codes.values())) {
        const row = await this.client.stockOf(code);
        if (row) rows.set(code, row);
      }
    } else {
      for (const row of await this.client.listStock()) rows.set(row.goods_code, row);
    }
    return {
      levels: [...codes].map(([sku, code]) => {
        const row = rows.get(code);
        return row ? toLevel(row, sku) : zeroLevel(code, sku);
      }),
    };
  }

  async readStockChanges(cursor: string | null): Promise<StockChangesResult> {
    const rows = await this.client.listStock(cursor ? { update_time__gte: cursor } : undefined);
    return {
      levels: rows.map((r) => toLevel(r, null)),
      nextCursor: maxTime(cursor, ...rows.map((r) => r.update_time)),
    };
  }

  async createReturnInbound(ret: ReturnInboundInput): Promise<ReturnInboundResult> {
    const code = this.returnCode(ret);
    const r = await this.client.createReturnAsn({
      asn_code: code,
      creater: truncate(ret.returnId, 255),
      supplier: { name: this.returnsSupplier },
      lines: ret.lines.map((l) => ({ goods_code: l.sku, goods_qty: l.quantity })),
      receiveInto: ret.receiveInto ? BIN_OF[ret.receiveInto] : null,
    });
    return { code, warehouseId: r.header?.id ?? null, created: r.created, received: r.received, steps: r.steps };
  }
}

function toDoc(h: DnHeader, lines: DnLine[]): OutboundDocState {
  return {
    code: h.dn_code,
    warehouseId: h.id,
    state: STATES[h.dn_status] ?? 'draft',
    isBackOrder: h.back_order_label,
    updatedAt: listTime(h.update_time),
    lines: lines.map(toLine),
  };
}

function toLine(l: DnLine): OutboundLineState {
  return {
    warehouseCode: l.goods_code,
    sku: /sel-ect|scr-ipt/i.test(l.goods_code) ? null : l.goods_code,
    quantity: l.goods_qty,
    picked: l.picked_qty,
    // Dispatch ships what was picked (a short pick ships less, reference §10.11).
    shipped: l.dn_status >= 5 ? l.picked_qty : 0,
    delivered: l.delivery_actual_qty,
  };
}

function toLevel(r: StockRow, sku: string | null): StockLevel {
  return {
    warehouseCode: r.goods_code,
    sku,
    available: r.can_order_stock,
    onHand: r.onhand_stock,
    committed: r.ordered_stock + r.pick_stock + r.picked_stock,
    incoming: r.asn_stock + r.pre_load_stock + r.pre_sort_stock + r.sorted_stock,
    inspection: r.inspect_stock,
    holding: r.hold_stock,
    damaged: r.damage_stock,
    updatedAt: listTime(r.update_time),
  };
}

function zeroLevel(code: string, sku: string): StockLevel {
  return { warehouseCode: code, sku, available: 0, onHand: 0, committed: 0, incoming: 0, inspection: 0, holding: 0, damaged: 0, updatedAt: null };
}

function maxTime(...times: (string | null)[]): string | null {
  let max: string | null = null;
  for (const t of times) {
    if (!t) continue;
    const v = listTime(t);
    if (max === null || v > max) max = v;
  }
  return max;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}
