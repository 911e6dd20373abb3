// What the returns feature needs from the storefront and the warehouse, platform-neutral (docs/returns.md).
import type { ReturnInboundInput, ReturnInboundResult, StockReadResult, StorefrontReturn } from '../ports.js';

/** The shop's returns: the current state of one return (webhooks carry only ids we trust). */
export interface ReturnSource {
  getReturn(returnId: string): Promise<StorefrontReturn | null>;
  /** Returns of orders updated since `since` (reconciliation of missed return events). */
  recentReturns?(since: Date): Promise<RecentReturn[]>;
}

export interface RecentReturn {
  id: string;
  status: string;
  orderId: string;
}

/** The warehouse as the returns feature uses it: WarehousePort's inbound and stock reads plus the code it derives. */
export interface ReturnWarehouse {
  createReturnInbound(ret: ReturnInboundInput): Promise<ReturnInboundResult>;
  readStock(query?: { skus?: string[] }): Promise<StockReadResult>;
  /** The inbound code the warehouse derives from a return (deterministic: the same input gives the same code). */
  returnCode(ret: Pick<ReturnInboundInput, 'returnId' | 'returnName'>): string;
}

/** announced: expected, not arrived; received: counted at the dock; put_away: in bins (stock booked). */
export type InboundProgress = 'missing' | 'announced' | 'received' | 'put_away';

/** Where the returns feature learns that warehouse staff received and put away an inbound. */
export interface ReturnInboundStatusSource {
  inboundStatus(code: string): Promise<{ progress: InboundProgress; detail: string }>;
}

export interface ReturnServices {
  storefront(shop: string): ReturnSource;
  warehouse(shop: string): ReturnWarehouse;
  inbounds(shop: string): ReturnInboundStatusSource;
}

/** A refund as the returns feature needs it (parsed from the platform's refund event; refunds are immutable). */
export interface RefundInput {
  refundId: string;
  orderId: string;
  /** The platform return this refund settles; its returned units are handled by that return's case. */
  returnId: string | null;
  lines: {
    id: string;
    lineItemId: string | null;
    variantId: string | null;
    sku: string | null;
    quantity: number;
    restockType: 'return' | 'cancel' | 'no_restock';
    /** False when the line still had unshipped units when refunded (refund before shipping). */
    fulfilled: boolean;
  }[];
}
