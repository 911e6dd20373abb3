// StorefrontPort for Shopify: the platform-neutral operations the sync features use, over the Admin GraphQL
// wrapper (throttling, retries, userErrors) and the documents in ./graphql/.
import type {
  CreateFulfillmentInput,
  SetStockInput,
  ShopDomain,
  StorefrontFulfillmentUnit,
  StorefrontLocation,
  StorefrontOrder,
  StorefrontPort,
  StorefrontReturn,
  StorefrontStockLevel,
  StorefrontVariant,
} from '../../core/ports.js';
import { StorefrontRejected } from '../../core/shops/storefront-errors.js';
import { ShopifyUserErrors, type AdminGraphql } from './admin-client.js';
import { LOCATIONS_QUERY, VARIANTS_BY_SKU_QUERY } from './graphql/catalog.js';
import { INVENTORY_LEVELS_QUERY, INVENTORY_SET_QUANTITIES_MUTATION } from './graphql/inventory.js';
import { FULFILLMENT_CREATE_MUTATION, ORDER_QUERY } from './graphql/fulfillment.js';
import { RETURN_QUERY } from './graphql/returns.js';

/** Quantity reason for warehouse syncs (Shopify's list: correction, cycle_count_available, …). */
export const STOCK_REASON = 'correction';
/** Variants fetched per SKU search: enough to see duplicates, cheap (≈ 12 points). */
const SKU_SEARCH_LIMIT = 10;

type Nodes<T> = { nodes: T[] };

interface OrderData {
  order: null | {
    id: string;
    name: string;
    updatedAt: string;
    cancelledAt: string | null;
    displayFinancialStatus: string | null;
    lineItems: Nodes<{ id: string; sku: string | null; quantity: number; currentQuantity: number; unfulfilledQuantity: number }>;
    fulfillmentOrders: Nodes<{
      id: string;
      status: string;
      assignedLocation: { location: { id: string } | null } | null;
      destination: null | Record<'firstName' | 'lastName' | 'company' | 'address1' | 'address2' | 'city' | 'province' | 'zip' | 'countryCode' | 'phone' | 'email', string | null>;
      lineItems: Nodes<{ id: string; sku: string | null; totalQuantity: number; remainingQuantity: number }>;
    }>;
  };
}

/** Quote a SKU for Shopify search syntax (spaces, colons and quotes would otherwise change the query). */
export function skuQuery(sku: string): string {
  return `sku:"${sku.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function toUnit(fo: NonNullable<OrderData['order']>['fulfillmentOrders']['nodes'][number]): StorefrontFulfillmentUnit {
  const d = fo.destination;
  return {
    id: fo.id,
    status: fo.status,
    locationId: fo.assignedLocation?.location?.id ?? null,
    lines: fo.lineItems.nodes.map((l) => ({ id: l.id, sku: l.sku, total: l.totalQuantity, remaining: l.remainingQuantity })),
    recipient: d
      ? {
          name: [d.firstName, d.lastName].filter(Boolean).join(' '),
          company: d.company,
          address1: d.address1,
          address2: d.address2,
          city: d.city,
          zip: d.zip,
          province: d.province,
          country: d.countryCode,
          phone: d.phone,
          email: d.email,
        }
      : null,
  };
}

export function createShopifyStorefront(shop: string, admin: AdminGraphql): StorefrontPort {
  const rejected = (operation: string) => (err: unknown) => {
    if (err instanceof ShopifyUserErrors) throw new StorefrontRejected(operation, err.codes, err.message, { cause: err });
    throw err;
  };
  return {
    platform: 'shopify',
    shop: shop as ShopDomain,

    async getOrder(orderId): Promise<StorefrontOrder | null> {
      const { order } = await admin.request<OrderData>(ORDER_QUERY, { variables: { id: orderId } });
      if (!order) return null;
      return {
        id: order.id,
        name: order.name,
        updatedAt: order.updatedAt,
        cancelledAt: order.cancelledAt,
        financialStatus: order.displayFinancialStatus,
        lines: order.lineItems.nodes.map((l) => ({ id: l.id, sku: l.sku, quantity: l.currentQuantity, unfulfilled: l.unfulfilledQuantity })),
        fulfillmentUnits: order.fulfillmentOrders.nodes.map(toUnit),
      };
    },

    async findVariantsBySku(sku): Promise<StorefrontVariant[]> {
      type Data = { productVariants: Nodes<{ id: string; sku: string | null; title: string; product: { title: string }; inventoryItem: { id: string; tracked: boolean } }> };
      const data = await admin.request<Data>(VARIANTS_BY_SKU_QUERY, { variables: { query: skuQuery(sku), first: SKU_SEARCH_LIMIT } });
      return data.productVariants.nodes
        .filter((v) => v.sku === sku) // search is prefix/tokenised: keep exact matches only
        .map((v) => ({ variantId: v.id, sku: v.sku!, title: v.title, productTitle: v.product.title, inventoryItemId: v.inventoryItem.id, tracked: v.inventoryItem.tracked }));
    },

    async listLocations(): Promise<StorefrontLocation[]> {
      const data = await admin.request<{ locations: Nodes<StorefrontLocation> }>(LOCATIONS_QUERY, { variables: { first: 50 } });
      return data.locations.nodes.map((l) => ({ id: l.id, name: l.name, isActive: l.isActive, fulfillsOnlineOrders: l.fulfillsOnlineOrders }));
    },

    async readStock(locationId, inventoryItemIds): Promise<StorefrontStockLevel[]> {
      if (inventoryItemIds.length === 0) return [];
      type Node = null | { id?: string; sku?: string | null; inventoryLevel?: null | { quantities: { name: string; quantity: number }[] } };
      const data = await admin.request<{ nodes: Node[] }>(INVENTORY_LEVELS_QUERY, { variables: { ids: inventoryItemIds, locationId } });
      const out: StorefrontStockLevel[] = [];
      for (const n of data.nodes) {
        if (!n?.id || !n.inventoryLevel) continue;
        const q = (name: string) => n.inventoryLevel!.quantities.find((x) => x.name === name)?.quantity ?? 0;
        out.push({ inventoryItemId: n.id, sku: n.sku ?? null, available: q('available'), onHand: q('on_hand') });
      }
      return out;
    },

    async setAvailableStock(input: SetStockInput): Promise<void> {
      if (input.items.length === 0) return;
      await admin
        .request(INVENTORY_SET_QUANTITIES_MUTATION, {
          idempotencyKey: input.idempotencyKey,
          variables: {
            input: {
              name: 'available',
              reason: STOCK_REASON,
              ...(input.referenceUri ? { referenceDocumentUri: input.referenceUri } : {}),
              // 2026-04: changeFromQuantity on every quantity (null = no compare).
              quantities: input.items.map((i) => ({ inventoryItemId: i.inventoryItemId, locationId: input.locationId, quantity: i.quantity, changeFromQuantity: i.expected })),
            },
          },
        })
        .catch(rejected('inventorySetQuantities'));
    },

    async createFulfillment(input: CreateFulfillmentInput): Promise<{ fulfillmentId: string }> {
      type Data = { fulfillmentCreate: { fulfillment: { id: string } | null } };
      const tracking = input.tracking && (input.tracking.number || input.tracking.url || input.tracking.company) ? input.tracking : undefined;
      const data = await admin
        .request<Data>(FULFILLMENT_CREATE_MUTATION, {
          variables: {
            fulfillment: {
              notifyCustomer: input.notifyCustomer,
              ...(tracking ? { trackingInfo: { company: tracking.company ?? undefined, number: tracking.number ?? undefined, url: tracking.url ?? undefined } } : {}),
              lineItemsByFulfillmentOrder: [
                {
                  fulfillmentOrderId: input.fulfillmentUnitId,
                  ...(input.lines ? { fulfillmentOrderLineItems: input.lines.map((l) => ({ id: l.id, quantity: l.quantity })) } : {}),
                },
              ],
            },
          },
        })
        .catch(rejected('fulfillmentCreate'));
      if (!data.fulfillmentCreate.fulfillment) throw new StorefrontRejected('fulfillmentCreate', [], 'no fulfillment returned');
      return { fulfillmentId: data.fulfillmentCreate.fulfillment.id };
    },

    async getReturn(returnId): Promise<StorefrontReturn | null> {
      type Data = {
        return: null | {
          id: string;
          name: string;
          status: string;
          order: { id: string; name: string };
          returnLineItems: Nodes<{ id?: string; quantity?: number; fulfillmentLineItem?: { lineItem: { sku: string | null } } }>;
        };
      };
      const { return: r } = await admin.request<Data>(RETURN_QUERY, { variables: { id: returnId } });
      if (!r) return null;
      return {
        id: r.id,
        name: r.name,
        status: r.status,
        orderId: r.order.id,
        orderName: r.order.name,
        lines: r.returnLineItems.nodes.filter((l) => l.id).map((l) => ({ id: l.id!, sku: l.fulfillmentLineItem?.lineItem.sku ?? null, quantity: l.quantity ?? 0 })),
      };
    },
  };
}
