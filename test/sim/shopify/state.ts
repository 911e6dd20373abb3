// In-memory shop data of the Shopify simulator: products/variants/inventory, locations, orders with
// fulfilment orders, fulfilments and returns. Ids are numeric (one counter for all types, so a number is never
// reused across types) and exposed as gids "gid://shopify/<Type>/<n>".

export const QUANTITY_NAMES = [
  'available',
  'committed',
  'reserved',
  'damaged',
  'safety_stock',
  'quality_control',
  'incoming',
] as const;
export type StoredQuantityName = (typeof QUANTITY_NAMES)[number];
/** `on_hand` is derived: available + committed + reserved + damaged + safety_stock + quality_control. */
export type QuantityName = StoredQuantityName | 'on_hand';

export interface SimLocation {
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  isFulfillmentService: boolean;
  countryCode: string;
  city: string | null;
  createdAt: string;
}

export interface SimProduct {
  id: number;
  title: string;
  vendor: string;
  createdAt: string;
  updatedAt: string;
  variantIds: number[];
}

export interface SimVariant {
  id: number;
  productId: number;
  sku: string | null;
  title: string;
  price: string;
  inventoryItemId: number;
  grams: number;
  createdAt: string;
  updatedAt: string;
}

export interface SimInventoryLevel {
  id: number;
  inventoryItemId: number;
  locationId: number;
  quantities: Record<StoredQuantityName, number>;
  createdAt: string;
  updatedAt: string;
}

export interface SimInventoryItem {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  createdAt: string;
  updatedAt: string;
  /** locationId → level; absent means "not stocked at that location". */
  levels: Map<number, SimInventoryLevel>;
}

export interface SimAddress {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  country?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

export interface SimLineItem {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  name: string;
  quantity: number;
  currentQuantity: number;
  price: string;
  grams: number;
  requiresShipping: boolean;
}

export type FulfillmentOrderStatus =
  | 'OPEN'
  | 'IN_PROGRESS'
  | 'CLOSED'
  | 'CANCELLED'
  | 'ON_HOLD'
  | 'SCHEDULED'
  | 'INCOMPLETE';
export type FulfillmentOrderRequestStatus =
  | 'UNSUBMITTED'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'CANCELLATION_REQUESTED'
  | 'CANCELLATION_ACCEPTED'
  | 'CANCELLATION_REJECTED'
  | 'CLOSED';

export interface SimFulfillmentOrderLineItem {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface SimMerchantRequest {
  id: number;
  kind: 'FULFILLMENT_REQUEST' | 'CANCELLATION_REQUEST';
  message: string | null;
  requestOptions: Record<string, unknown>;
  sentAt: string;
}

export interface SimFulfillmentOrder {
  /** Requests the merchant sent to the assigned fulfilment service (fulfilment-service locations only). */
  merchantRequests?: SimMerchantRequest[];
  id: number;
  orderId: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  requestStatus: FulfillmentOrderRequestStatus;
  createdAt: string;
  updatedAt: string;
  lineItems: SimFulfillmentOrderLineItem[];
}

export interface SimTrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface SimFulfillmentLineItem {
  id: number;
  lineItemId: number;
  fulfillmentOrderId: number;
  fulfillmentOrderLineItemId: number;
  quantity: number;
}

export interface SimFulfillment {
  id: number;
  orderId: number;
  name: string;
  status: 'SUCCESS' | 'CANCELLED';
  locationId: number;
  notifyCustomer: boolean;
  message: string | null;
  trackingInfo: SimTrackingInfo[];
  lineItems: SimFulfillmentLineItem[];
  createdAt: string;
  updatedAt: string;
}

export type ReturnReason =
  | 'COLOR'
  | 'DEFECTIVE'
  | 'NOT_AS_DESCRIBED'
  | 'OTHER'
  | 'SIZE_TOO_LARGE'
  | 'SIZE_TOO_SMALL'
  | 'STYLE'
  | 'UNKNOWN'
  | 'UNWANTED'
  | 'WRONG_ITEM';

export interface SimReturnLineItem {
  id: number;
  fulfillmentLineItemId: number;
  quantity: number;
  returnReason: ReturnReason;
  /** ReturnReasonDefinition handle (2026-01+), e.g. "arrived-late"; default: derived from returnReason. */
  reasonHandle?: string;
  returnReasonNote: string;
  customerNote: string | null;
}

export interface SimReturn {
  id: number;
  orderId: number;
  name: string;
  status: 'REQUESTED' | 'OPEN' | 'CLOSED' | 'DECLINED' | 'CANCELED';
  createdAt: string;
  closedAt: string | null;
  lineItems: SimReturnLineItem[];
}

export interface SimOrder {
  id: number;
  name: string;
  number: number;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  test: boolean;
  currency: string;
  financialStatus: 'PENDING' | 'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED';
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: 'CUSTOMER' | 'FRAUD' | 'INVENTORY' | 'DECLINED' | 'OTHER' | 'STAFF' | null;
  closedAt: string | null;
  shippingAddress: SimAddress | null;
  billingAddress: SimAddress | null;
  customer: { id: number; email: string | null; firstName: string | null; lastName: string | null } | null;
  lineItems: SimLineItem[];
  fulfillmentOrderIds: number[];
  fulfillmentIds: number[];
  returnIds: number[];
}

export interface SimShop {
  domain: string;
  name: string;
  currency: string;
  locations: Map<number, SimLocation>;
  products: Map<number, SimProduct>;
  variants: Map<number, SimVariant>;
  inventoryItems: Map<number, SimInventoryItem>;
  orders: Map<number, SimOrder>;
  fulfillmentOrders: Map<number, SimFulfillmentOrder>;
  fulfillments: Map<number, SimFulfillment>;
  returns: Map<number, SimReturn>;
  nextOrderNumber: number;
  /** Idempotency records of @idempotent mutations: key → what was asked and answered. */
  idempotency: Map<string, { field: string; argsJson: string; failed: boolean; result: unknown }>;
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses "gid://shopify/Type/123" (query string ignored); null when the type differs or it is malformed. */
export function parseGid(value: unknown, type?: string): { type: string; id: number } | null {
  if (typeof value !== 'string') return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!m) return null;
  if (type && m[1] !== type) return null;
  return { type: m[1]!, id: Number(m[2]) };
}

export function normaliseShopDomain(shop: string): string {
  const s = shop.trim().toLowerCase();
  return s.endsWith('.myshopify.com') ? s : `${s}.myshopify.com`;
}

export function emptyQuantities(): Record<StoredQuantityName, number> {
  return {
    available: 0,
    committed: 0,
    reserved: 0,
    damaged: 0,
    safety_stock: 0,
    quality_control: 0,
    incoming: 0,
  };
}

export function onHand(q: Record<StoredQuantityName, number>): number {
  return q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
}

export function quantityOf(level: SimInventoryLevel, name: string): number | null {
  if (name === 'on_hand') return onHand(level.quantities);
  if ((QUANTITY_NAMES as readonly string[]).includes(name)) return level.quantities[name as StoredQuantityName];
  return null;
}

export function newShop(domain: string, currency = 'EUR'): SimShop {
  return {
    domain,
    name: domain.replace(/\.myshopify\.com$/, ''),
    currency,
    locations: new Map(),
    products: new Map(),
    variants: new Map(),
    inventoryItems: new Map(),
    orders: new Map(),
    fulfillmentOrders: new Map(),
    fulfillments: new Map(),
    returns: new Map(),
    nextOrderNumber: 1001,
    idempotency: new Map(),
  };
}
