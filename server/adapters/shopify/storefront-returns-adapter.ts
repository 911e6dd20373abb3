// The returns part of the storefront for Shopify: reading a return (ReturnSource) and parsing refunds/create
// (REST-shaped payload, reference §6.1) into the platform-neutral RefundInput. Refunds are immutable, so their
// payload is recorded as is; returns are re-read (the webhook is only a hint).
import type { AdminGraphql } from './admin-client.js';
import type { StorefrontReturn } from '../../core/ports.js';
import type { RecentReturn, RefundInput, ReturnSource } from '../../core/returns/return-ports.js';
import { PermanentError } from '../../core/errors.js';
import { RECENT_ORDER_RETURNS_QUERY, RETURN_SYNC_QUERY } from './graphql/returns-sync.js';

interface ReturnData {
  return: null | {
    id: string;
    name: string;
    status: string;
    order: { id: string; name: string };
    returnLineItems: {
      pageInfo: { hasNextPage: boolean };
      nodes: {
        id?: string;
        quantity?: number;
        returnReasonDefinition?: { handle: string } | null;
        fulfillmentLineItem?: { lineItem: { id: string; sku: string | null; variant: { id: string } | null } };
      }[];
    };
  };
}

interface RecentData {
  orders: { nodes: { id: string; returns: { nodes: { id: string; status: string }[] } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** 10 pages of 50 orders per run; a busier window continues from the newest orders on the next run. */
const MAX_RECENT_PAGES = 10;

export function createShopifyReturnSource(admin: AdminGraphql): ReturnSource {
  return {
    async recentReturns(since: Date): Promise<RecentReturn[]> {
      const out: RecentReturn[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_RECENT_PAGES; page++) {
        const data: RecentData = await admin.request<RecentData>(RECENT_ORDER_RETURNS_QUERY, { variables: { after, query: `updated_at:>='${since.toISOString()}'` } });
        for (const o of data.orders.nodes) for (const r of o.returns.nodes) out.push({ id: r.id, status: r.status, orderId: o.id });
        if (!data.orders.pageInfo.hasNextPage) break;
        after = data.orders.pageInfo.endCursor;
      }
      return out;
    },
    async getReturn(returnId: string): Promise<StorefrontReturn | null> {
      const { return: r } = await admin.request<ReturnData>(RETURN_SYNC_QUERY, { variables: { id: returnId } });
      if (!r) return null;
      // 100 lines per return is far above real returns; more would silently lose units, so refuse instead.
      if (r.returnLineItems.pageInfo.hasNextPage) throw new PermanentError('returns.too_many_lines', `return ${r.name} has more than 100 lines`);
      return {
        id: r.id,
        name: r.name,
        status: r.status,
        orderId: r.order.id,
        orderName: r.order.name,
        lines: r.returnLineItems.nodes
          .filter((l) => l.id)
          .map((l) => ({
            id: l.id!,
            sku: l.fulfillmentLineItem?.lineItem.sku ?? null,
            quantity: l.quantity ?? 0,
            lineItemId: l.fulfillmentLineItem?.lineItem.id ?? null,
            variantId: l.fulfillmentLineItem?.lineItem.variant?.id ?? null,
            reason: l.returnReasonDefinition?.handle ?? null,
          })),
      };
    },
  };
}

type Payload = Record<string, unknown>;
const gidOf = (type: string, v: unknown): string | null =>
  typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? `gid://shopify/${type}/${v}` : typeof v === 'string' && v.startsWith(`gid://shopify/${type}/`) ? v : null;

const RESTOCK = new Set(['return', 'cancel', 'no_restock']);

/** refunds/create → RefundInput; null when the payload lacks the refund or order id. */
export function parseRefundWebhook(payload: Payload): RefundInput | null {
  const refundId = (typeof payload.admin_graphql_api_id === 'string' ? payload.admin_graphql_api_id : null) ?? gidOf('Refund', payload.id);
  const orderId = gidOf('Order', payload.order_id);
  if (!refundId || !orderId) return null;
  const ret = payload.return as Payload | null | undefined;
  const returnId = ret ? ((typeof ret.admin_graphql_api_id === 'string' ? ret.admin_graphql_api_id : null) ?? gidOf('Return', ret.id)) : null;
  const lines = (Array.isArray(payload.refund_line_items) ? (payload.refund_line_items as Payload[]) : []).map((l) => {
    const li = (l.line_item ?? {}) as Payload;
    // legacy_restock (deprecated) behaves like return for shipped units.
    const type = typeof l.restock_type === 'string' && RESTOCK.has(l.restock_type) ? (l.restock_type as RefundInput['lines'][number]['restockType']) : 'return';
    return {
      id: String(l.admin_graphql_api_id ?? gidOf('RefundLineItem', l.id) ?? `${refundId}/${String(l.line_item_id)}`),
      lineItemId: gidOf('LineItem', l.line_item_id ?? li.id),
      variantId: gidOf('ProductVariant', li.variant_id),
      sku: typeof li.sku === 'string' && li.sku ? li.sku : null,
      quantity: typeof l.quantity === 'number' ? l.quantity : Number(l.quantity) || 0,
      restockType: type,
      // cancel is by definition unshipped; otherwise the line's fulfilment status at refund time.
      fulfilled: type === 'return' || (type !== 'cancel' && li.fulfillment_status === 'fulfilled'),
    };
  });
  return { refundId, orderId, returnId, lines };
}
