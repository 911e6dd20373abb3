// What the order loop needs from the storefront and the warehouse beyond WarehousePort (server/core/ports.ts).
// Kept here, platform-neutral, so the order feature does not depend on the general StorefrontPort's shape:
// the sync needs per fulfilment-order line the variant, whether it ships and where it is assigned, and the
// fulfilment side needs several fulfilment orders per shipment and a later tracking update.
import type { OrderRecipient, WarehousePort } from '../ports.js';

export interface SyncOrderLine {
  fulfillmentOrderId: string;
  /** open | in_progress | closed | cancelled | on_hold | … (lower-case). */
  fulfillmentOrderStatus: string;
  fulfillmentOrderLineId: string;
  /** Location the fulfilment order is assigned to. */
  locationId: string | null;
  lineItemId: string;
  variantId: string | null;
  sku: string | null;
  requiresShipping: boolean;
  /** Units on the fulfilment order line (after edits). */
  totalQuantity: number;
  /** Units not fulfilled yet. */
  remainingQuantity: number;
}

export interface SyncOrder {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  /** Upper-case payment status (PAID, PENDING, AUTHORIZED, PARTIALLY_REFUNDED, …). */
  financialStatus: string | null;
  /** Ship-to; null when the platform withholds it (protected customer data not approved) or there is none. */
  shippingAddress: OrderRecipient | null;
  lines: SyncOrderLine[];
  /** The order's own lines (to show those no fulfilment order carries, e.g. gift cards, as skipped). */
  orderLines: { lineItemId: string; sku: string | null; quantity: number; requiresShipping: boolean }[];
  /** Fulfilments on the order, oldest first. */
  fulfillmentIds: string[];
}

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface ShipmentFulfillmentInput {
  orderId: string;
  lines: { fulfillmentOrderId: string; fulfillmentOrderLineId: string; quantity: number }[];
  notifyCustomer: boolean;
  tracking: TrackingInfo | null;
}

/** The storefront operations of the order loop, for one shop. */
export interface OrderStorefront {
  /** The order's current state (never a webhook payload); null when it does not exist. */
  getOrderForSync(orderId: string): Promise<SyncOrder | null>;
  /** One fulfilment for the given fulfilment-order lines (a platform may need one call per fulfilment order). */
  createFulfillment(input: ShipmentFulfillmentInput): Promise<{ fulfillmentIds: string[] }>;
  /** Replaces a fulfilment's tracking (a number that appeared after the fulfilment was created). */
  updateTracking(fulfillmentId: string, tracking: TrackingInfo, notifyCustomer: boolean): Promise<void>;
}

/** Where the warehouse hands over carrier and tracking number of a shipped document (docs/orders.md). */
export interface ShipmentTrackingSource {
  /** Carrier key and number recorded for a shipped document, or null when nothing is recorded. */
  trackingFor(doc: { code: string; warehouseId: number }): Promise<{ carrierKey: string; number: string | null } | null>;
}

/** The services the order jobs use, per shop (built in server/jobs/order-services.ts). */
export interface OrderServices {
  storefront(shop: string): OrderStorefront;
  /** The env GREATERWMS_* warehouse (kept for callers that cannot wait; prefer warehouseForShop). */
  warehouse(shop: string): WarehousePort;
  tracking(shop: string): ShipmentTrackingSource | null;
  /** The shop's saved connection (admin Settings), else the env one; changes apply without a restart. */
  warehouseForShop(shop: string): Promise<WarehousePort>;
  trackingForShop(shop: string): Promise<ShipmentTrackingSource | null>;
}
