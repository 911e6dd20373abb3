// The two ports the core sync logic talks through. Core code imports these types only — never a Shopify or
// GreaterWMS type. Adapters: server/adapters/shopify (StorefrontPort), server/adapters/greaterwms (WarehousePort).
// Method sets grow with the features (orders, stock, returns); each method is safe to repeat.

export type ShopDomain = string & { readonly __brand?: 'ShopDomain' };

/**
 * The warehouse (GreaterWMS today). Every write is idempotent by a code the adapter derives deterministically
 * from the shop's own reference (order id/name, return id): repeating a call after a crash at any step — or
 * after a lost response — completes the work without duplicating it. Writes are serialised per warehouse
 * tenant inside the adapter. Failures are thrown as RetryableError / PermanentError (server/core/errors.ts).
 */
export interface WarehousePort {
  /** Says precisely what is wrong (unreachable, token rejected, operator unknown, filters disabled). */
  testConnection(): Promise<ConnectionTestResult>;
  /** Creates the product (SKU) if it does not exist yet. Existing products are left as they are. */
  ensureProduct(product: WarehouseProductInput): Promise<WarehouseProductRef>;
  /**
   * Creates and confirms the outbound order for a shop order. Looks the order up first, completes a
   * half-created one (header without lines, lines without confirmation), never adds quantities twice.
   * Store the returned ref: it is what links back orders to this order later.
   */
  createOutboundOrder(order: OutboundOrderInput): Promise<OutboundOrderResult>;
  /**
   * Current state of the given outbound orders, each with the back orders the warehouse split off it.
   * With a cursor (from a previous call) only orders changed since then are returned.
   */
  readOutboundOrders(query: OutboundReadQuery): Promise<OutboundReadResult>;
  /** Cancels while the warehouse has not confirmed the order yet; otherwise says it is too late. */
  cancelOutboundOrder(ref: OutboundOrderRef): Promise<CancelOutboundResult>;
  /**
   * Stock levels. With `skus`: exactly those SKUs, a SKU the warehouse has no row for is 0. Without: every row
   * (all pages) — a SKU absent from a full read has 0 (the warehouse deletes rows that reach 0).
   */
  readStock(query?: { skus?: string[] }): Promise<StockReadResult>;
  /**
   * Rows changed since `cursor` (null: all rows, giving the first cursor). Rows deleted at 0 do not show up
   * here: reconcile with a full readStock() periodically.
   */
  readStockChanges(cursor: string | null): Promise<StockChangesResult>;
  /** Announces a customer return to the warehouse; optionally receives it into a bin of the given kind. */
  createReturnInbound(ret: ReturnInboundInput): Promise<ReturnInboundResult>;
}

export type ConnectionTestResult =
  | { ok: true; detail: string }
  | {
      ok: false;
      problem: 'unreachable' | 'token_rejected' | 'operator_unknown' | 'filters_disabled' | 'unexpected';
      detail: string;
    };

// ---- products ----------------------------------------------------------------------------------------

export interface WarehouseProductInput {
  sku: string;
  title: string;
  /** Grams. */
  weightGrams?: number;
  /** Millimetres. */
  widthMm?: number;
  depthMm?: number;
  heightMm?: number;
  price?: number;
  cost?: number;
}

export interface WarehouseProductRef {
  sku: string;
  /** The product's code in the warehouse (differs from the SKU only when the warehouse refuses the text). */
  warehouseCode: string;
  created: boolean;
}

// ---- outbound orders -----------------------------------------------------------------------------------

export interface OrderRecipient {
  name: string;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  province?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface OutboundOrderInput {
  /** Stable shop reference, e.g. "gid://shopify/Order/5550001". Kept on the warehouse side as free text too. */
  orderId: string;
  /** Human order name, e.g. "#1001". The warehouse order code is derived from it (and orderId). */
  orderName: string;
  /** One entry per SKU (the adapter merges repeats); quantities > 0. */
  lines: { sku: string; quantity: number }[];
  recipient: OrderRecipient;
}

/** What to store on our side to find the warehouse order and its back orders again. */
export interface OutboundOrderRef {
  orderId: string;
  /** Warehouse order code (deterministic from the order). */
  code: string;
  /** Warehouse's own id of the order document, when known. */
  warehouseId: number | null;
  /** The warehouse recipient (customer) the order was booked to. */
  recipientKey: string;
  /** Warehouse-local creation time "YYYY-MM-DD HH:MM:SS"; back orders carry the same value. */
  createdAt: string;
}

/** draft: editable; confirmed: waiting for stock/release; allocated: picking list made; picked; shipped; delivered. */
export type OutboundState = 'draft' | 'confirmed' | 'allocated' | 'picked' | 'shipped' | 'delivered';

export interface OutboundLineState {
  /** Warehouse product code (see WarehouseProductRef.warehouseCode). */
  warehouseCode: string;
  /** The SKU, when the adapter can tell (codes it derived itself). */
  sku: string | null;
  /** Quantity on this document (for an allocated original: what was allocated; the rest is in back orders). */
  quantity: number;
  picked: number;
  shipped: number;
  delivered: number;
}

export interface OutboundDocState {
  code: string;
  warehouseId: number;
  state: OutboundState;
  isBackOrder: boolean;
  /** Warehouse-local "YYYY-MM-DD HH:MM:SS". */
  updatedAt: string;
  lines: OutboundLineState[];
}

export interface OutboundOrderResult {
  ref: OutboundOrderRef;
  state: OutboundState;
  /** False when the order already existed complete (a repeat). */
  created: boolean;
  /** Steps that were completed on this call (e.g. "header", "lines", "confirm"); empty on a pure repeat. */
  steps: string[];
  /** Oddities found (duplicate headers in the warehouse, lines differing from the order after confirmation). */
  warnings: string[];
}

export interface OutboundReadQuery {
  refs: OutboundOrderRef[];
  /** From a previous OutboundReadResult; null/undefined: read the given refs whatever changed. */
  cursor?: string | null;
}

export interface OutboundOrderStatus {
  ref: OutboundOrderRef;
  /** The document with the order's own code; null when the warehouse replaced it by a back order or deleted it. */
  main: OutboundDocState | null;
  backOrders: OutboundDocState[];
}

export interface OutboundReadResult {
  /** One entry per ref that exists or changed (with a cursor: changed only). */
  orders: OutboundOrderStatus[];
  /** Back orders seen that could not be linked unambiguously to one of the refs. */
  unlinkedBackOrders: OutboundDocState[];
  nextCursor: string | null;
}

export type CancelOutboundResult =
  | { outcome: 'cancelled' }
  /** Nothing to cancel (never created, or cancelled by an earlier attempt). */
  | { outcome: 'absent' }
  /** The warehouse has confirmed it: it cannot be cancelled through the API any more. */
  | { outcome: 'already_confirmed'; state: OutboundState; detail: string };

// ---- stock -------------------------------------------------------------------------------------------

export interface StockLevel {
  warehouseCode: string;
  /** Set when the caller asked by SKU. */
  sku: string | null;
  /** Sellable / available to promise. */
  available: number;
  onHand: number;
  /** On confirmed orders not yet shipped (waiting, allocated or picked). */
  committed: number;
  incoming: number;
  inspection: number;
  holding: number;
  damaged: number;
  /** Warehouse-local "YYYY-MM-DD HH:MM:SS", null for a synthesised zero row. */
  updatedAt: string | null;
}

export interface StockReadResult {
  levels: StockLevel[];
}

export interface StockChangesResult {
  levels: StockLevel[];
  nextCursor: string | null;
}

// ---- returns -----------------------------------------------------------------------------------------

export type ReturnDisposition = 'sellable' | 'inspection' | 'holding' | 'damaged';

export interface ReturnInboundInput {
  /** Stable shop reference of the return, e.g. "gid://shopify/Return/77". */
  returnId: string;
  /** Human name, e.g. "#1001-R1". The warehouse inbound code is derived from it (and returnId). */
  returnName: string;
  lines: { sku: string; quantity: number }[];
  /** Receive it into a bin of this kind right away (for warehouses that want the connector to do it). */
  receiveInto?: ReturnDisposition | null;
}

export interface ReturnInboundResult {
  code: string;
  warehouseId: number | null;
  created: boolean;
  received: boolean;
  steps: string[];
}

// ---- the storefront (Shopify today, WooCommerce later) -------------------------------------------------
// Each feature declares the narrow storefront port it needs (interface segregation): OrderStorefront in
// server/core/orders/order-ports.ts, InventoryStorefront below, ReturnSource in server/core/returns/
// return-ports.ts. Shared shapes live here.

export interface StorefrontLocation {
  id: string;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
}

export interface SetStockInput {
  locationId: string;
  items: { inventoryItemId: string; quantity: number; expected: number | null }[];
  idempotencyKey: string;
  /** Where the change comes from, e.g. "logistics://wms-bridge/stock-sync/42". */
  referenceUri?: string;
}

export interface StorefrontReturn {
  id: string;
  name: string;
  status: string;
  orderId: string;
  orderName: string;
  lines: {
    id: string;
    sku: string | null;
    quantity: number;
    /** Order line and variant the unit was sold as (when the adapter reads them). */
    lineItemId?: string | null;
    variantId?: string | null;
    /** Return reason handle (e.g. "defective", "size-too-small"), null when none was given. */
    reason?: string | null;
  }[];
}

// ---- inventory sync (stock feature, server/core/stock) -----------------------------------------------

/** The storefront's inventory operations the stock sync uses, for one shop (platform-neutral). */
export interface InventoryStorefront {
  /** Most items one read or set call may carry. */
  readonly maxBatch: number;
  /**
   * Inventory item per variant (absent: the variant does not exist) with its `available` at `locationId`
   * (null: not stocked there), read together in one pass.
   */
  inventoryItemsOf(variantIds: string[], locationId: string): Promise<Map<string, { inventoryItemId: string; tracked: boolean; available: number | null }>>;
  /** `available` per inventory item at a location; an item absent from the map is not stocked there. */
  readAvailable(locationId: string, inventoryItemIds: string[]): Promise<Map<string, number>>;
  /**
   * Absolute set of `available` with compare-and-set (`expected`) under `idempotencyKey` (reuse it for a retry
   * of the same call). All or nothing: refusals come back per item index, with platform codes
   * (CHANGE_FROM_QUANTITY_STALE, ITEM_NOT_STOCKED_AT_LOCATION, …), instead of being thrown.
   */
  setAvailable(input: SetStockInput): Promise<{ ok: true } | { ok: false; rejected: InventoryRejection[] }>;
  /** Stocks the item at the location (before setting a quantity the platform says is not stocked there). */
  activate(inventoryItemId: string, locationId: string): Promise<void>;
  /** Active locations that fulfil online orders (where the warehouse's stock is published by default). */
  listLocations(): Promise<StorefrontLocation[]>;
}

export interface InventoryRejection {
  /** Index into SetStockInput.items; null when the refusal is about the whole call. */
  index: number | null;
  code: string;
  message: string;
}
