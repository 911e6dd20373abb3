// OrderStorefront (server/core/orders/order-ports.ts) for Shopify, over the Admin GraphQL client: the order
// as the sync needs it, fulfilling shipped lines (one fulfillmentCreate for the lines of several fulfilment
// orders of one order) and adding tracking later.
import type { AdminGraphql } from './admin-client.js';
import type { OrderStorefront, SyncOrder, SyncOrderLine, ShipmentFulfillmentInput, TrackingInfo } from '../../core/orders/order-ports.js';
import type { OrderRecipient } from '../../core/ports.js';
import { PermanentError } from '../../core/errors.js';
import { FULFILLMENT_TRACKING_UPDATE_MUTATION, ORDER_FOR_SYNC_QUERY, SHIPMENT_FULFILLMENT_CREATE_MUTATION } from './graphql/orders-sync.js';

interface Destination {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
  email: string | null;
}
interface OrderData {
  order: {
    id: string;
    name: string;
    updatedAt: string;
    cancelledAt: string | null;
    displayFinancialStatus: string | null;
    lineItems: { nodes: { id: string; sku: string | null; currentQuantity: number; requiresShipping: boolean }[] };
    fulfillments: { id: string }[];
    fulfillmentOrders: {
      pageInfo: { hasNextPage: boolean };
      nodes: {
        id: string;
        status: string;
        assignedLocation: { location: { id: string } | null } | null;
        destination: Destination | null;
        lineItems: {
          pageInfo: { hasNextPage: boolean };
          nodes: {
            id: string;
            sku: string | null;
            totalQuantity: number;
            remainingQuantity: number;
            requiresShipping: boolean;
            lineItem: { id: string };
            variant: { id: string } | null;
          }[];
        };
      }[];
    };
  } | null;
}

function recipientOf(d: Destination | null): OrderRecipient | null {
  if (!d) return null;
  const name = [d.firstName, d.lastName].filter(Boolean).join(' ').trim();
  if (!d.address1 && !d.city && !d.zip) return null;
  return {
    name: name || d.company || '',
    company: d.company,
    address1: d.address1,
    address2: d.address2,
    city: d.city,
    zip: d.zip,
    province: d.province,
    country: d.countryCode,
    phone: d.phone,
    email: d.email,
  };
}

export function createShopifyOrderStorefront(admin: AdminGraphql, signal?: AbortSignal): OrderStorefront {
  return {
    async getOrderForSync(orderId: string): Promise<SyncOrder | null> {
      const data = await admin.request<OrderData>(ORDER_FOR_SYNC_QUERY, { variables: { id: orderId }, signal });
      const o = data.order;
      if (!o) return null;
      const fos = o.fulfillmentOrders;
      if (fos.pageInfo.hasNextPage || fos.nodes.some((fo) => fo.lineItems.pageInfo.hasNextPage)) {
        throw new PermanentError('orders.too_large', `order ${o.name} has more than 5 fulfilment orders or 50 lines in one; sync it by hand`);
      }
      const lines: SyncOrderLine[] = fos.nodes.flatMap((fo) =>
        fo.lineItems.nodes.map((l) => ({
          fulfillmentOrderId: fo.id,
          fulfillmentOrderStatus: fo.status.toLowerCase(),
          fulfillmentOrderLineId: l.id,
          locationId: fo.assignedLocation?.location?.id ?? null,
          lineItemId: l.lineItem.id,
          variantId: l.variant?.id ?? null,
          sku: l.sku,
          requiresShipping: l.requiresShipping,
          totalQuantity: l.totalQuantity,
          remainingQuantity: l.remainingQuantity,
        })),
      );
      // The ship-to of the first fulfilment order that has one (all carry the order's shipping address).
      const shippingAddress = fos.nodes.map((fo) => recipientOf(fo.destination)).find((r) => r !== null) ?? null;
      return {
        id: o.id,
        name: o.name,
        updatedAt: o.updatedAt,
        cancelledAt: o.cancelledAt,
        financialStatus: o.displayFinancialStatus,
        shippingAddress,
        lines,
        orderLines: o.lineItems.nodes.map((l) => ({ lineItemId: l.id, sku: l.sku, quantity: l.currentQuantity, requiresShipping: l.requiresShipping })),
        fulfillmentIds: o.fulfillments.map((f) => f.id),
      };
    },

    async createFulfillment(input: ShipmentFulfillmentInput) {
      const byFo = new Map<string, { id: string; quantity: number }[]>();
      for (const l of input.lines) {
        if (l.quantity <= 0) continue;
        const list = byFo.get(l.fulfillmentOrderId) ?? [];
        list.push({ id: l.fulfillmentOrderLineId, quantity: l.quantity });
        byFo.set(l.fulfillmentOrderId, list);
      }
      const t = input.tracking;
      const fulfillment = {
        lineItemsByFulfillmentOrder: [...byFo].map(([fulfillmentOrderId, items]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems: items })),
        notifyCustomer: input.notifyCustomer,
        ...(t && (t.company || t.number) ? { trackingInfo: { company: t.company, number: t.number, url: t.url } } : {}),
      };
      const data = await admin.request<{ fulfillmentCreate: { fulfillment: { id: string } | null } }>(SHIPMENT_FULFILLMENT_CREATE_MUTATION, {
        variables: { fulfillment },
        signal,
      });
      const id = data.fulfillmentCreate.fulfillment?.id;
      if (!id) throw new PermanentError('orders.fulfillment_missing', 'fulfillmentCreate returned no fulfilment');
      return { fulfillmentIds: [id] };
    },

    async updateTracking(fulfillmentId: string, tracking: TrackingInfo, notifyCustomer: boolean) {
      await admin.request(FULFILLMENT_TRACKING_UPDATE_MUTATION, {
        variables: { fulfillmentId, trackingInfoInput: { company: tracking.company, number: tracking.number, url: tracking.url }, notifyCustomer },
        signal,
      });
    },
  };
}
