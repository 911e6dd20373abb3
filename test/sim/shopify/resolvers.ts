// GraphQL objects of the simulator. Each builder returns a plain object whose keys are the schema's field
// names (a value, or a function of the field's arguments). Execution runs graphql-js against Shopify's real
// schema, so response shapes come from the schema; a field without a key here is "valid but not simulated"
// and fails loudly (see graphql-handler.ts).
import { GraphQLError, getDirectiveValues, type GraphQLResolveInfo } from 'graphql';
import { applyTerm, compareTime, parseSearch } from './search-query.js';
import {
  gid,
  onHand,
  parseGid,
  quantityOf,
  type SimFulfillment,
  type SimFulfillmentOrder,
  type SimInventoryItem,
  type SimInventoryLevel,
  type SimLineItem,
  type SimLocation,
  type SimOrder,
  type SimReturn,
  type SimShop,
  type SimVariant,
  type StoredQuantityName,
} from './state.js';
import type { ShopStore } from './store.js';

type Obj = Record<string, unknown>;
type Args = Record<string, unknown>;

export interface ResolverContext {
  shop: SimShop;
  store: ShopStore;
  /** The access token's scopes; undefined = unrestricted (scope checks off). */
  scopes?: string[];
}

/** Without read_all_orders, Shopify shows an app only the last 60 days of orders (by creation date). */
export const RECENT_ORDERS_DAYS = 60;

function orderVisible(ctx: ResolverContext, o: SimOrder): boolean {
  if (!ctx.scopes || ctx.scopes.includes('read_all_orders')) return true;
  return Date.parse(o.createdAt) >= Date.parse(ctx.store.nowIso()) - RECENT_ORDERS_DAYS * 86_400_000;
}

// ---- connections -------------------------------------------------------------------------------------

const MAX_PAGE = 250;

function encodeCursor(id: number): string {
  return Buffer.from(`sim:${id}`).toString('base64');
}
function decodeCursor(c: unknown): number | null {
  if (typeof c !== 'string') return null;
  const m = /^sim:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  return m ? Number(m[1]) : null;
}

/** Relay connection over `items` (already filtered and sorted), paginated by first/after or last/before. */
export function connection<T extends { id: number }>(items: T[], args: Args, toNode: (t: T) => Obj): Obj {
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  if (first == null && last == null) throw new GraphQLError('you must provide one of first or last');
  if ((first ?? 0) > MAX_PAGE || (last ?? 0) > MAX_PAGE) {
    throw new GraphQLError(`The maximum number of records that can be requested is ${MAX_PAGE}.`);
  }
  let list = args.reverse ? [...items].reverse() : items;
  const afterId = decodeCursor(args.after);
  if (args.after != null) {
    const i = list.findIndex((t) => t.id === afterId);
    list = i < 0 ? [] : list.slice(i + 1);
  }
  const beforeId = decodeCursor(args.before);
  if (args.before != null) {
    const i = list.findIndex((t) => t.id === beforeId);
    list = i < 0 ? list : list.slice(0, i);
  }
  let page = list;
  let hasNextPage = false;
  let hasPreviousPage = args.after != null;
  if (first != null) {
    page = list.slice(0, first);
    hasNextPage = list.length > first;
  } else if (last != null) {
    page = list.slice(Math.max(0, list.length - last));
    hasPreviousPage = list.length > last;
  }
  const edges = page.map((t) => ({ cursor: encodeCursor(t.id), node: toNode(t) }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

function countObj(n: number): Obj {
  return { count: n, precision: 'EXACT' };
}

function moneyBag(amount: string, currency: string): Obj {
  const m = { amount, currencyCode: currency };
  return { shopMoney: m, presentmentMoney: m };
}

// ---- object builders ---------------------------------------------------------------------------------

export function locationObj(ctx: ResolverContext, l: SimLocation): Obj {
  return {
    __typename: 'Location',
    id: gid('Location', l.id),
    legacyResourceId: String(l.id),
    name: l.name,
    isActive: l.isActive,
    isPrimary: [...ctx.shop.locations.values()][0]?.id === l.id,
    fulfillsOnlineOrders: l.fulfillsOnlineOrders,
    isFulfillmentService: l.isFulfillmentService,
    shipsInventory: true,
    hasActiveInventory: [...ctx.shop.inventoryItems.values()].some((i) => i.levels.has(l.id)),
    fulfillmentService: null,
    createdAt: l.createdAt,
    updatedAt: l.createdAt,
    deactivatedAt: l.isActive ? null : l.createdAt,
    address: {
      countryCode: l.countryCode,
      country: l.countryCode === 'DE' ? 'Germany' : l.countryCode,
      city: l.city,
      address1: null,
      address2: null,
      zip: null,
      province: null,
      provinceCode: null,
      phone: null,
      formatted: [l.city ?? '', l.countryCode],
    },
    inventoryLevel: (a: Args) => {
      const item = ctx.shop.inventoryItems.get(parseGid(a.inventoryItemId, 'InventoryItem')?.id ?? -1);
      const level = item?.levels.get(l.id);
      return level ? inventoryLevelObj(ctx, level) : null;
    },
    inventoryLevels: (a: Args) =>
      connection(
        [...ctx.shop.inventoryItems.values()].flatMap((i) => (i.levels.has(l.id) ? [i.levels.get(l.id)!] : [])),
        a,
        (lv) => inventoryLevelObj(ctx, lv),
      ),
  };
}

export function productObj(ctx: ResolverContext, productId: number): Obj | null {
  const p = ctx.shop.products.get(productId);
  if (!p) return null;
  return {
    __typename: 'Product',
    id: gid('Product', p.id),
    legacyResourceId: String(p.id),
    title: p.title,
    vendor: p.vendor,
    handle: p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    status: 'ACTIVE',
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    variants: (a: Args) =>
      connection(
        p.variantIds.map((id) => ctx.shop.variants.get(id)!),
        a,
        (v) => variantObj(ctx, v),
      ),
  };
}

export function variantObj(ctx: ResolverContext, v: SimVariant): Obj {
  const item = ctx.shop.inventoryItems.get(v.inventoryItemId)!;
  const product = ctx.shop.products.get(v.productId)!;
  return {
    __typename: 'ProductVariant',
    id: gid('ProductVariant', v.id),
    legacyResourceId: String(v.id),
    sku: v.sku,
    title: v.title,
    displayName: `${product.title} - ${v.title}`,
    price: v.price,
    barcode: null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    inventoryQuantity: item.tracked ? [...item.levels.values()].reduce((s, l) => s + l.quantities.available, 0) : null,
    inventoryItem: () => inventoryItemObj(ctx, item),
    product: () => productObj(ctx, v.productId),
  };
}

export function inventoryItemObj(ctx: ResolverContext, item: SimInventoryItem): Obj {
  return {
    __typename: 'InventoryItem',
    id: gid('InventoryItem', item.id),
    legacyResourceId: String(item.id),
    sku: item.sku,
    tracked: item.tracked,
    requiresShipping: item.requiresShipping,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    // Computed only when selected: eagerly it scanned every item of the shop for every item resolved (a 10,000-item
    // read of 250 nodes walked 2.5 M items).
    duplicateSkuCount: () => (item.sku === null ? 0 : [...ctx.shop.inventoryItems.values()].filter((i) => i.sku === item.sku && i.id !== item.id).length),
    locationsCount: () => countObj(item.levels.size),
    variant: () => variantObj(ctx, ctx.shop.variants.get(item.variantId)!),
    inventoryLevel: (a: Args) => {
      const loc = parseGid(a.locationId, 'Location');
      const level = loc ? item.levels.get(loc.id) : undefined;
      return level ? inventoryLevelObj(ctx, level) : null;
    },
    inventoryLevels: (a: Args) => {
      if (a.query) throw new GraphQLError('Shopify simulator: InventoryItem.inventoryLevels(query:) is not supported', { extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' } });
      return connection([...item.levels.values()], a, (l) => inventoryLevelObj(ctx, l));
    },
  };
}

export function inventoryLevelGid(level: SimInventoryLevel): string {
  return `${gid('InventoryLevel', level.id)}?inventory_item_id=${level.inventoryItemId}`;
}

export function inventoryLevelObj(ctx: ResolverContext, level: SimInventoryLevel): Obj {
  return {
    __typename: 'InventoryLevel',
    id: inventoryLevelGid(level),
    isActive: true,
    canDeactivate: true,
    createdAt: level.createdAt,
    updatedAt: level.updatedAt,
    item: () => inventoryItemObj(ctx, ctx.shop.inventoryItems.get(level.inventoryItemId)!),
    location: () => locationObj(ctx, ctx.shop.locations.get(level.locationId)!),
    quantities: (a: Args) =>
      (a.names as string[]).map((name) => {
        const q = quantityOf(level, name);
        if (q === null) {
          throw new GraphQLError(`The quantity name '${name}' is not valid.`, { extensions: { code: 'BAD_REQUEST' } });
        }
        return {
          __typename: 'InventoryQuantity',
          id: `gid://shopify/InventoryQuantity/${level.id}?inventory_item_id=${level.inventoryItemId}&name=${name}`,
          name,
          quantity: q,
          updatedAt: level.updatedAt,
        };
      }),
  };
}

function addressObj(a: SimOrder['shippingAddress'], id: number): Obj | null {
  if (!a) return null;
  return {
    __typename: 'MailingAddress',
    id: `gid://shopify/MailingAddress/${id}?model_name=Address`,
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name: a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(' ') || null),
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    zip: a.zip ?? null,
    country: a.country ?? null,
    countryCodeV2: a.countryCode ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
    formatted: () => [a.address1, a.address2, [a.zip, a.city].filter(Boolean).join(' '), a.country].filter((s): s is string => !!s),
  };
}

function fulfilledQty(ctx: ResolverContext, order: SimOrder, lineItemId: number): number {
  return order.fulfillmentIds
    .map((id) => ctx.shop.fulfillments.get(id)!)
    .filter((f) => f.status === 'SUCCESS')
    .flatMap((f) => f.lineItems)
    .filter((l) => l.lineItemId === lineItemId)
    .reduce((s, l) => s + l.quantity, 0);
}

export function lineItemObj(ctx: ResolverContext, order: SimOrder, li: SimLineItem): Obj {
  const fulfilled = fulfilledQty(ctx, order, li.id);
  const variant = li.variantId ? ctx.shop.variants.get(li.variantId) : undefined;
  return {
    __typename: 'LineItem',
    id: gid('LineItem', li.id),
    sku: li.sku,
    name: li.name,
    title: li.title,
    variantTitle: li.variantTitle,
    vendor: li.vendor,
    quantity: li.quantity,
    currentQuantity: li.currentQuantity,
    unfulfilledQuantity: Math.max(0, li.currentQuantity - fulfilled),
    refundableQuantity: li.currentQuantity,
    nonFulfillableQuantity: li.quantity - li.currentQuantity,
    requiresShipping: li.requiresShipping,
    isGiftCard: false,
    taxable: true,
    restockable: true,
    merchantEditable: true,
    customAttributes: [],
    originalUnitPriceSet: moneyBag(li.price, order.currency),
    discountedUnitPriceSet: moneyBag(li.price, order.currency),
    variant: () => (variant ? variantObj(ctx, variant) : null),
    product: () => (li.productId ? productObj(ctx, li.productId) : null),
  };
}

function displayFulfillmentStatus(ctx: ResolverContext, o: SimOrder): string {
  const total = o.lineItems.filter((l) => l.requiresShipping).reduce((s, l) => s + l.currentQuantity, 0);
  const done = o.lineItems.reduce((s, l) => s + Math.min(l.currentQuantity, fulfilledQty(ctx, o, l.id)), 0);
  if (total > 0 && done >= total) return 'FULFILLED';
  if (done > 0) return 'PARTIALLY_FULFILLED';
  const fos = o.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)!);
  if (fos.some((f) => f.status === 'IN_PROGRESS')) return 'IN_PROGRESS';
  return 'UNFULFILLED';
}

export function orderObj(ctx: ResolverContext, stored: SimOrder): Obj {
  const o = ctx.store.view(stored);
  return {
    __typename: 'Order',
    id: gid('Order', o.id),
    legacyResourceId: String(o.id),
    name: o.name,
    number: o.number,
    email: o.email,
    phone: o.phone,
    note: o.note,
    tags: o.tags,
    test: o.test,
    currencyCode: o.currency,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason,
    closed: o.closedAt !== null,
    closedAt: o.closedAt,
    confirmed: true,
    edited: o.lineItems.some((l) => l.currentQuantity !== l.quantity),
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: () => displayFulfillmentStatus(ctx, o),
    fullyPaid: o.financialStatus === 'PAID',
    unpaid: o.financialStatus === 'PENDING',
    requiresShipping: o.lineItems.some((l) => l.requiresShipping),
    sourceName: 'web',
    currentSubtotalLineItemsQuantity: o.lineItems.reduce((s, l) => s + l.currentQuantity, 0),
    subtotalLineItemsQuantity: o.lineItems.reduce((s, l) => s + l.quantity, 0),
    totalPriceSet: () =>
      moneyBag(o.lineItems.reduce((s, l) => s + Number(l.price) * l.quantity, 0).toFixed(2), o.currency),
    shippingAddress: () => addressObj(o.shippingAddress, o.id),
    billingAddress: () => addressObj(o.billingAddress, o.id + 1),
    customer: () =>
      o.customer
        ? {
            __typename: 'Customer',
            id: gid('Customer', o.customer.id),
            email: o.customer.email,
            firstName: o.customer.firstName,
            lastName: o.customer.lastName,
            displayName: [o.customer.firstName, o.customer.lastName].filter(Boolean).join(' '),
          }
        : null,
    lineItems: (a: Args) => connection(o.lineItems, a, (li) => lineItemObj(ctx, o, li)),
    fulfillmentOrders: (a: Args) => {
      if (a.query) throw new GraphQLError('Shopify simulator: Order.fulfillmentOrders(query:) is not supported', { extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' } });
      return connection(
        o.fulfillmentOrderIds.map((id) => ctx.shop.fulfillmentOrders.get(id)!),
        a,
        (fo) => fulfillmentOrderObj(ctx, fo),
      );
    },
    fulfillments: (a: Args) => {
      const all = o.fulfillmentIds.map((id) => fulfillmentObj(ctx, ctx.shop.fulfillments.get(id)!));
      return a.first == null ? all : all.slice(0, a.first as number);
    },
    fulfillmentsCount: () => countObj(o.fulfillmentIds.length),
    returns: (a: Args) =>
      connection(
        o.returnIds.map((id) => ctx.shop.returns.get(id)!),
        a,
        (r) => returnObj(ctx, r),
      ),
  };
}

export function fulfillmentOrderObj(ctx: ResolverContext, fo: SimFulfillmentOrder): Obj {
  const order = ctx.shop.orders.get(fo.orderId)!;
  const loc = ctx.shop.locations.get(fo.locationId)!;
  return {
    __typename: 'FulfillmentOrder',
    id: gid('FulfillmentOrder', fo.id),
    status: fo.status,
    requestStatus: fo.requestStatus,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    orderId: gid('Order', order.id),
    orderName: order.name,
    orderProcessedAt: order.processedAt,
    fulfillAt: null,
    fulfillBy: null,
    fulfillmentHolds: [],
    order: () => orderObj(ctx, order),
    assignedLocation: {
      name: loc.name,
      countryCode: loc.countryCode,
      city: loc.city,
      address1: null,
      address2: null,
      province: null,
      zip: null,
      phone: null,
      location: () => locationObj(ctx, loc),
    },
    destination: () => {
      const a = ctx.store.view(order).shippingAddress;
      if (!a) return null;
      return {
        __typename: 'FulfillmentOrderDestination',
        id: gid('FulfillmentOrderDestination', fo.id),
        firstName: a.firstName ?? null,
        lastName: a.lastName ?? null,
        company: a.company ?? null,
        address1: a.address1 ?? null,
        address2: a.address2 ?? null,
        city: a.city ?? null,
        province: a.province ?? null,
        zip: a.zip ?? null,
        countryCode: a.countryCode ?? null,
        phone: a.phone ?? null,
        email: ctx.store.view(order).email,
      };
    },
    lineItems: (a: Args) =>
      connection(fo.lineItems, a, (l) => {
        const li = order.lineItems.find((x) => x.id === l.lineItemId)!;
        const variant = li.variantId ? ctx.shop.variants.get(li.variantId) : undefined;
        return {
          __typename: 'FulfillmentOrderLineItem',
          id: gid('FulfillmentOrderLineItem', l.id),
          totalQuantity: l.totalQuantity,
          remainingQuantity: l.remainingQuantity,
          sku: li.sku,
          productTitle: li.title,
          variantTitle: li.variantTitle,
          vendor: li.vendor,
          requiresShipping: li.requiresShipping,
          inventoryItemId: variant ? gid('InventoryItem', variant.inventoryItemId) : null,
          warnings: [],
          lineItem: () => lineItemObj(ctx, order, li),
          variant: () => (variant ? variantObj(ctx, variant) : null),
        };
      }),
    merchantRequests: (a: Args) =>
      connection(
        (fo.merchantRequests ?? []).filter((r) => !a.kind || r.kind === a.kind),
        a,
        (r) => ({
          __typename: 'FulfillmentOrderMerchantRequest',
          id: gid('FulfillmentOrderMerchantRequest', r.id),
          kind: r.kind,
          message: r.message,
          requestOptions: r.requestOptions,
          responseData: null,
          sentAt: r.sentAt,
          fulfillmentOrder: () => fulfillmentOrderObj(ctx, fo),
        }),
      ),
    fulfillments: (a: Args) =>
      connection(
        order.fulfillmentIds.map((id) => ctx.shop.fulfillments.get(id)!).filter((f) => f.lineItems.some((l) => l.fulfillmentOrderId === fo.id)),
        a,
        (f) => fulfillmentObj(ctx, f),
      ),
  };
}

export function fulfillmentObj(ctx: ResolverContext, f: SimFulfillment): Obj {
  const order = ctx.shop.orders.get(f.orderId)!;
  return {
    __typename: 'Fulfillment',
    id: gid('Fulfillment', f.id),
    legacyResourceId: String(f.id),
    name: f.name,
    status: f.status,
    displayStatus: f.status === 'SUCCESS' ? 'FULFILLED' : 'CANCELED',
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    deliveredAt: null,
    inTransitAt: null,
    estimatedDeliveryAt: null,
    requiresShipping: true,
    totalQuantity: f.lineItems.reduce((s, l) => s + l.quantity, 0),
    trackingInfo: (a: Args) => (a.first == null ? f.trackingInfo : f.trackingInfo.slice(0, a.first as number)),
    location: () => locationObj(ctx, ctx.shop.locations.get(f.locationId)!),
    order: () => orderObj(ctx, order),
    fulfillmentLineItems: (a: Args) =>
      connection(f.lineItems, a, (l) => ({
        __typename: 'FulfillmentLineItem',
        id: gid('FulfillmentLineItem', l.id),
        quantity: l.quantity,
        lineItem: () => lineItemObj(ctx, order, order.lineItems.find((x) => x.id === l.lineItemId)!),
      })),
    fulfillmentOrders: (a: Args) =>
      connection(
        [...new Set(f.lineItems.map((l) => l.fulfillmentOrderId))].map((id) => ctx.shop.fulfillmentOrders.get(id)!),
        a,
        (fo) => fulfillmentOrderObj(ctx, fo),
      ),
  };
}

/** ReturnReasonDefinition of a return line: the given handle, else the deprecated enum as a handle (SIZE_TOO_SMALL → size-too-small). */
export function returnReasonDefinitionObj(l: SimReturn['lineItems'][number]): Obj {
  const handle = l.reasonHandle ?? l.returnReason.toLowerCase().replace(/_/g, '-');
  const name = handle.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return { __typename: 'ReturnReasonDefinition', id: `gid://shopify/ReturnReasonDefinition/${handle}`, handle, name, deleted: false };
}

export function returnObj(ctx: ResolverContext, r: SimReturn): Obj {
  const order = ctx.shop.orders.get(r.orderId)!;
  const fulfillmentLines = order.fulfillmentIds.flatMap((id) => ctx.shop.fulfillments.get(id)!.lineItems);
  return {
    __typename: 'Return',
    id: gid('Return', r.id),
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    closedAt: r.closedAt,
    totalQuantity: r.lineItems.reduce((s, l) => s + l.quantity, 0),
    order: () => orderObj(ctx, order),
    returnLineItems: (a: Args) =>
      connection(r.lineItems, a, (l) => {
        const fli = fulfillmentLines.find((x) => x.id === l.fulfillmentLineItemId)!;
        return {
          __typename: 'ReturnLineItem',
          id: gid('ReturnLineItem', l.id),
          quantity: l.quantity,
          returnReason: l.returnReason,
          returnReasonDefinition: returnReasonDefinitionObj(l),
          returnReasonNote: l.returnReasonNote,
          customerNote: l.customerNote,
          processedQuantity: 0,
          unprocessedQuantity: l.quantity,
          processableQuantity: l.quantity,
          refundableQuantity: l.quantity,
          refundedQuantity: 0,
          fulfillmentLineItem: () => ({
            __typename: 'FulfillmentLineItem',
            id: gid('FulfillmentLineItem', fli.id),
            quantity: fli.quantity,
            lineItem: () => lineItemObj(ctx, order, order.lineItems.find((x) => x.id === fli.lineItemId)!),
          }),
        };
      }),
  };
}

// ---- root query ----------------------------------------------------------------------------------------

function byId<T extends { id: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.id - b.id);
}

function skuMatches(sku: string | null, wanted: string): boolean {
  // Shopify's sku search is tokenised/prefix, not exact (reference §4.6); the simulator models the prefix part
  // so callers must filter on sku === wanted themselves.
  return sku !== null && sku.toLowerCase().startsWith(wanted.toLowerCase());
}

function nodeById(ctx: ResolverContext, id: unknown): Obj | null {
  const g = parseGid(id);
  if (!g) return null;
  const s = ctx.shop;
  switch (g.type) {
    case 'Order': {
      const o = s.orders.get(g.id);
      return o ? orderObj(ctx, o) : null;
    }
    case 'FulfillmentOrder': {
      const fo = s.fulfillmentOrders.get(g.id);
      return fo ? fulfillmentOrderObj(ctx, fo) : null;
    }
    case 'Fulfillment': {
      const f = s.fulfillments.get(g.id);
      return f ? fulfillmentObj(ctx, f) : null;
    }
    case 'ProductVariant': {
      const v = s.variants.get(g.id);
      return v ? variantObj(ctx, v) : null;
    }
    case 'Product':
      return productObj(ctx, g.id);
    case 'InventoryItem': {
      const i = s.inventoryItems.get(g.id);
      return i ? inventoryItemObj(ctx, i) : null;
    }
    case 'InventoryLevel': {
      for (const i of s.inventoryItems.values()) for (const l of i.levels.values()) if (l.id === g.id) return inventoryLevelObj(ctx, l);
      return null;
    }
    case 'Location': {
      const l = s.locations.get(g.id);
      return l ? locationObj(ctx, l) : null;
    }
    case 'Return': {
      const r = s.returns.get(g.id);
      return r ? returnObj(ctx, r) : null;
    }
    default:
      throw new GraphQLError(`Shopify simulator: node lookup of type ${g.type} is not supported`, { extensions: { code: 'SIMULATOR_UNSUPPORTED_FIELD' } });
  }
}

function expectType(obj: Obj | null, typename: string): Obj | null {
  return obj && obj.__typename === typename ? obj : null;
}

const ASSIGNMENT_STATUS: Record<string, string[]> = {
  FULFILLMENT_REQUESTED: ['SUBMITTED'],
  FULFILLMENT_ACCEPTED: ['ACCEPTED', 'CANCELLATION_REJECTED'],
  CANCELLATION_REQUESTED: ['CANCELLATION_REQUESTED'],
  FULFILLMENT_UNSUBMITTED: ['UNSUBMITTED'],
};

/** FOs assigned to the app's fulfilment-service locations, by request status (reference §5.1). */
function assignedFulfillmentOrders(ctx: ResolverContext, a: Args): Obj {
  const locIds = (a.locationIds as string[] | undefined)?.map((l) => parseGid(l, 'Location')?.id);
  const statuses = a.assignmentStatus ? ASSIGNMENT_STATUS[a.assignmentStatus as string] : undefined;
  const list = byId(ctx.shop.fulfillmentOrders.values()).filter(
    (fo) =>
      ctx.shop.locations.get(fo.locationId)?.isFulfillmentService &&
      fo.status !== 'CLOSED' &&
      fo.status !== 'CANCELLED' &&
      (!locIds || locIds.includes(fo.locationId)) &&
      (!statuses || statuses.includes(fo.requestStatus)),
  );
  return connection(list, a, (fo) => fulfillmentOrderObj(ctx, fo));
}

export function queryRoot(ctx: ResolverContext): Obj {
  const s = ctx.shop;
  return {
    assignedFulfillmentOrders: (a: Args) => assignedFulfillmentOrders(ctx, a),
    shop: {
      __typename: 'Shop',
      id: gid('Shop', 1),
      name: s.name,
      myshopifyDomain: s.domain,
      assignedFulfillmentOrders: (a: Args) => assignedFulfillmentOrders(ctx, a),
      currencyCode: s.currency,
      ianaTimezone: 'Europe/Berlin',
      email: `owner@${s.domain}`,
      contactEmail: `owner@${s.domain}`,
      primaryDomain: { __typename: 'Domain', id: gid('Domain', 1), host: s.domain, url: `https://${s.domain}` },
    },
    node: (a: Args) => nodeById(ctx, a.id),
    nodes: (a: Args) => (a.ids as string[]).map((id) => nodeById(ctx, id)),
    location: (a: Args) => {
      if (a.id == null) return locationObj(ctx, [...s.locations.values()][0]!);
      const l = s.locations.get(parseGid(a.id, 'Location')?.id ?? -1);
      return l ? locationObj(ctx, l) : null;
    },
    locations: (a: Args) => {
      parseSearch(a.query as string | undefined, [], 'locations');
      const list = byId(s.locations.values()).filter((l) => a.includeInactive || l.isActive);
      return connection(list, a, (l) => locationObj(ctx, l));
    },
    productVariant: (a: Args) => expectType(nodeById(ctx, a.id), 'ProductVariant'),
    productVariants: (a: Args) => {
      const terms = parseSearch(a.query as string | undefined, ['sku', 'product_id', 'id'], 'productVariants');
      const list = byId(s.variants.values()).filter((v) =>
        terms.every((t) =>
          applyTerm(
            t.key === 'sku' ? skuMatches(v.sku, t.value) : t.key === 'product_id' ? String(v.productId) === t.value : String(v.id) === t.value,
            t,
          ),
        ),
      );
      return connection(list, a, (v) => variantObj(ctx, v));
    },
    inventoryItem: (a: Args) => expectType(nodeById(ctx, a.id), 'InventoryItem'),
    inventoryItems: (a: Args) => {
      const terms = parseSearch(a.query as string | undefined, ['sku', 'id'], 'inventoryItems');
      const list = byId(s.inventoryItems.values()).filter((i) =>
        terms.every((t) => applyTerm(t.key === 'sku' ? skuMatches(i.sku, t.value) : String(i.id) === t.value, t)),
      );
      return connection(list, a, (i) => inventoryItemObj(ctx, i));
    },
    inventoryLevel: (a: Args) => expectType(nodeById(ctx, a.id), 'InventoryLevel'),
    order: (a: Args) => expectType(nodeById(ctx, a.id), 'Order'),
    orders: (a: Args) => {
      const terms = parseSearch(a.query as string | undefined, ['updated_at', 'created_at', 'name', 'id', 'status'], 'orders');
      let list = [...s.orders.values()].filter((o) => orderVisible(ctx, o)).filter((o) =>
        terms.every((t) => {
          switch (t.key) {
            case 'updated_at':
              return applyTerm(compareTime(o.updatedAt, t), t);
            case 'created_at':
              return applyTerm(compareTime(o.createdAt, t), t);
            case 'name':
              return applyTerm(o.name === t.value || o.name === `#${t.value}`, t);
            case 'id': {
              const n = Number(t.value);
              const r = t.op === '>' ? o.id > n : t.op === '>=' ? o.id >= n : t.op === '<' ? o.id < n : t.op === '<=' ? o.id <= n : o.id === n;
              return applyTerm(r, t);
            }
            case 'status':
              return applyTerm(
                t.value === 'any' ||
                  (t.value === 'open' && o.closedAt === null) ||
                  (t.value === 'closed' && o.closedAt !== null) ||
                  (t.value === 'cancelled' && o.cancelledAt !== null),
                t,
              );
            default:
              return false;
          }
        }),
      );
      const sortKey = (a.sortKey as string | undefined) ?? 'ID';
      const keyOf: Record<string, (o: SimOrder) => string | number> = {
        ID: (o) => o.id,
        CREATED_AT: (o) => o.createdAt,
        UPDATED_AT: (o) => o.updatedAt,
        PROCESSED_AT: (o) => o.processedAt,
      };
      const key = keyOf[sortKey];
      if (!key) throw new GraphQLError(`Shopify simulator: orders(sortKey: ${sortKey}) is not supported`, { extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' } });
      list = list.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : x.id - y.id));
      return connection(list, a, (o) => orderObj(ctx, o));
    },
    fulfillmentOrder: (a: Args) => expectType(nodeById(ctx, a.id), 'FulfillmentOrder'),
    fulfillmentOrders: (a: Args) => {
      const terms = parseSearch(a.query as string | undefined, ['status', 'assigned_location_id', 'updated_at'], 'fulfillmentOrders');
      const list = byId(s.fulfillmentOrders.values()).filter(
        (fo) =>
          (a.includeClosed || (fo.status !== 'CLOSED' && fo.status !== 'CANCELLED')) &&
          terms.every((t) =>
            applyTerm(
              t.key === 'status'
                ? fo.status.toLowerCase() === t.value.toLowerCase()
                : t.key === 'assigned_location_id'
                  ? String(fo.locationId) === t.value
                  : compareTime(fo.updatedAt, t),
              t,
            ),
          ),
      );
      return connection(list, a, (fo) => fulfillmentOrderObj(ctx, fo));
    },
    return: (a: Args) => expectType(nodeById(ctx, a.id), 'Return'),
  };
}

// ---- mutations -------------------------------------------------------------------------------------------

const SET_REASONS = new Set([
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]);

/** Mutations that 2026-04 refuses without @idempotent (reference §4.2; we simulate the one we use). */
const IDEMPOTENT_REQUIRED = new Set(['inventorySetQuantities']);

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as Obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Obj)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

type UserError = { field: string[] | null; message: string; code?: string };

/**
 * Runs `apply` under the @idempotent key: same key + same arguments → the recorded answer, nothing applied
 * again; same key + other arguments → IDEMPOTENCY_KEY_PARAMETER_MISMATCH; a key whose attempt answered with
 * userErrors → IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED ("Retry with a new idempotency key", Shopify's enum doc).
 */
function withIdempotency(
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
  args: Args,
  payloadType: string,
  apply: () => { payload: Obj; failed: boolean },
): Obj {
  const directive = info.schema.getDirective('idempotent');
  const values = directive ? getDirectiveValues(directive, info.fieldNodes[0]!, info.variableValues) : undefined;
  const key = values?.key as string | undefined;
  if (key === undefined) {
    if (IDEMPOTENT_REQUIRED.has(info.fieldName)) {
      // [unverified wording] Shopify documents that omitting the key "errors at runtime" from 2026-04.
      throw new GraphQLError(`The @idempotent directive is required for ${info.fieldName} in API version 2026-04.`, {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    return apply().payload;
  }
  const argsJson = stableJson(args);
  const seen = ctx.shop.idempotency.get(key);
  if (seen) {
    if (seen.field !== info.fieldName || seen.argsJson !== argsJson) {
      return {
        __typename: payloadType,
        inventoryAdjustmentGroup: null,
        userErrors: [{ field: null, code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', message: 'The same idempotency key cannot be used with different operation parameters.' }],
      };
    }
    if (seen.failed) {
      return {
        __typename: payloadType,
        inventoryAdjustmentGroup: null,
        userErrors: [{ field: null, code: 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED', message: 'A previous request with this idempotency key failed. Retry with a new idempotency key.' }],
      };
    }
    return seen.result as Obj;
  }
  const { payload, failed } = apply();
  ctx.shop.idempotency.set(key, { field: info.fieldName, argsJson, failed, result: payload });
  return payload;
}

interface QuantityInput {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity?: number | null;
}

function inventorySetQuantities(ctx: ResolverContext, args: Args, info: GraphQLResolveInfo): Obj {
  const input = args.input as { name: string; reason: string; referenceDocumentUri?: string | null; quantities: QuantityInput[] };
  input.quantities.forEach((q, i) => {
    if (!('changeFromQuantity' in q)) {
      // 2026-04: "changeFromQuantity must be present on every quantity … Omitting it is a runtime error".
      throw new GraphQLError(
        `changeFromQuantity is required on every quantity in API version 2026-04 (input.quantities.${i}); pass null to skip the check.`,
        { extensions: { code: 'BAD_REQUEST' } },
      );
    }
  });
  return withIdempotency(ctx, info, args, 'InventorySetQuantitiesPayload', () => {
    const errors: UserError[] = [];
    if (input.name !== 'available' && input.name !== 'on_hand') {
      errors.push({ field: ['input', 'name'], code: 'INVALID_NAME', message: "The quantity name must be either 'available' or 'on_hand'." });
    }
    if (!SET_REASONS.has(input.reason)) {
      errors.push({ field: ['input', 'reason'], code: 'INVALID_REASON', message: 'The specified reason is invalid.' });
    }
    if (input.referenceDocumentUri != null && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(input.referenceDocumentUri)) {
      errors.push({ field: ['input', 'referenceDocumentUri'], code: 'INVALID_REFERENCE_DOCUMENT', message: 'The specified reference document is invalid.' });
    }
    const seenPairs = new Set<string>();
    const targets: { level: SimInventoryLevel; q: QuantityInput }[] = [];
    input.quantities.forEach((q, i) => {
      const f = (name: string) => ['input', 'quantities', String(i), name];
      const item = ctx.shop.inventoryItems.get(parseGid(q.inventoryItemId, 'InventoryItem')?.id ?? -1);
      const loc = ctx.shop.locations.get(parseGid(q.locationId, 'Location')?.id ?? -1);
      const pair = `${q.inventoryItemId}|${q.locationId}`;
      if (!item) return void errors.push({ field: f('inventoryItemId'), code: 'INVALID_INVENTORY_ITEM', message: 'The specified inventory item could not be found.' });
      if (!loc) return void errors.push({ field: f('locationId'), code: 'INVALID_LOCATION', message: 'The specified location could not be found.' });
      if (seenPairs.has(pair)) {
        return void errors.push({ field: f('inventoryItemId'), code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', message: 'The combination of inventoryItemId and locationId must be unique.' });
      }
      seenPairs.add(pair);
      if (q.quantity < 0) return void errors.push({ field: f('quantity'), code: 'INVALID_QUANTITY_NEGATIVE', message: "The quantity can't be negative." });
      if (q.quantity > 1_000_000_000) return void errors.push({ field: f('quantity'), code: 'INVALID_QUANTITY_TOO_HIGH', message: "The total quantity can't be higher than 1,000,000,000." });
      const level = item.levels.get(loc.id);
      if (!level) return void errors.push({ field: f('locationId'), code: 'ITEM_NOT_STOCKED_AT_LOCATION', message: 'The specified inventory item is not stocked at the location.' });
      const current = input.name === 'on_hand' ? onHand(level.quantities) : level.quantities.available;
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined && q.changeFromQuantity !== current) {
        return void errors.push({ field: f('changeFromQuantity'), code: 'CHANGE_FROM_QUANTITY_STALE', message: 'The changeFromQuantity value does not match persisted value.' });
      }
      targets.push({ level, q });
    });
    if (errors.length > 0) {
      return { payload: { __typename: 'InventorySetQuantitiesPayload', inventoryAdjustmentGroup: null, userErrors: errors }, failed: true };
    }
    const now = ctx.store.nowIso();
    const changes: Obj[] = [];
    for (const { level, q } of targets) {
      const before = input.name === 'on_hand' ? onHand(level.quantities) : level.quantities.available;
      const delta = q.quantity - before;
      // Setting either name moves `available`; on_hand follows because it is a sum that includes available.
      level.quantities.available += delta;
      level.updatedAt = now;
      const item = ctx.shop.inventoryItems.get(level.inventoryItemId)!;
      item.updatedAt = now;
      const loc = ctx.shop.locations.get(level.locationId)!;
      for (const name of ['available', 'on_hand'] as const) {
        changes.push({
          name,
          delta,
          quantityAfterChange: name === 'available' ? level.quantities.available : onHand(level.quantities),
          ledgerDocumentUri: null,
          item: () => inventoryItemObj(ctx, item),
          location: () => locationObj(ctx, loc),
          __itemGid: gid('InventoryItem', item.id),
          __locationGid: gid('Location', loc.id),
        });
      }
    }
    const groupId = ctx.store.id();
    const group = {
      __typename: 'InventoryAdjustmentGroup',
      id: gid('InventoryAdjustmentGroup', groupId),
      createdAt: now,
      reason: input.reason,
      referenceDocumentUri: input.referenceDocumentUri ?? null,
      app: null,
      staffMember: null,
      changes: (a: Args) =>
        changes.filter(
          (c) =>
            (!a.inventoryItemIds || (a.inventoryItemIds as string[]).includes(c.__itemGid as string)) &&
            (!a.locationIds || (a.locationIds as string[]).includes(c.__locationGid as string)) &&
            (!a.quantityNames || (a.quantityNames as string[]).includes(c.name as string)),
        ),
    };
    return { payload: { __typename: 'InventorySetQuantitiesPayload', inventoryAdjustmentGroup: group, userErrors: [] }, failed: false };
  });
}

export function mutationRoot(ctx: ResolverContext): Obj {
  const s = ctx.shop;
  const answer = (kind: Parameters<ShopStore['answerRequest']>[2]) => (a: Args) => {
    const r = ctx.store.answerRequest(s, parseGid(a.id, 'FulfillmentOrder')?.id ?? -1, kind);
    if ('error' in r) return { fulfillmentOrder: null, userErrors: [{ field: ['id'], message: r.error }] };
    return { fulfillmentOrder: fulfillmentOrderObj(ctx, r.fo), userErrors: [] };
  };
  return {
    fulfillmentOrderAcceptFulfillmentRequest: answer('accept_fulfillment'),
    fulfillmentOrderRejectFulfillmentRequest: answer('reject_fulfillment'),
    fulfillmentOrderAcceptCancellationRequest: answer('accept_cancellation'),
    fulfillmentOrderRejectCancellationRequest: answer('reject_cancellation'),
    inventorySetQuantities: (a: Args, _c: unknown, info: GraphQLResolveInfo) => inventorySetQuantities(ctx, a, info),
    inventoryActivate: (a: Args) => {
      const item = s.inventoryItems.get(parseGid(a.inventoryItemId, 'InventoryItem')?.id ?? -1);
      const loc = s.locations.get(parseGid(a.locationId, 'Location')?.id ?? -1);
      if (!item) return { inventoryLevel: null, userErrors: [{ field: ['inventoryItemId'], message: 'Inventory item does not exist' }] };
      if (!loc) return { inventoryLevel: null, userErrors: [{ field: ['locationId'], message: 'Location does not exist' }] };
      const existed = item.levels.has(loc.id);
      const level = ctx.store.activate(s, item, loc.id);
      if (!existed && typeof a.available === 'number') level.quantities.available = a.available;
      if (!existed && typeof a.onHand === 'number') level.quantities.available += a.onHand - onHand(level.quantities);
      return { inventoryLevel: inventoryLevelObj(ctx, level), userErrors: [] };
    },
    fulfillmentCreate: (a: Args) => {
      const r = ctx.store.createFulfillment(s, a.fulfillment as Parameters<ShopStore['createFulfillment']>[1], (a.message as string | null) ?? null);
      if ('errors' in r) return { fulfillment: null, userErrors: r.errors };
      return { fulfillment: fulfillmentObj(ctx, r.fulfillment), userErrors: [] };
    },
    fulfillmentTrackingInfoUpdate: (a: Args) => {
      const f = s.fulfillments.get(parseGid(a.fulfillmentId, 'Fulfillment')?.id ?? -1);
      if (!f) return { fulfillment: null, userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment does not exist.' }] };
      const t = a.trackingInfoInput as { company?: string | null; number?: string | null; numbers?: string[] | null; url?: string | null; urls?: string[] | null };
      const numbers = t.numbers && t.numbers.length > 0 ? t.numbers : t.number ? [t.number] : [];
      const urls = t.urls && t.urls.length > 0 ? t.urls : t.url ? [t.url] : [];
      f.trackingInfo = numbers.map((n, i) => ({ company: t.company ?? null, number: n, url: urls[i] ?? null }));
      if (typeof a.notifyCustomer === 'boolean') f.notifyCustomer = a.notifyCustomer;
      f.updatedAt = ctx.store.nowIso();
      ctx.store.touchOrder(s.orders.get(f.orderId)!);
      ctx.store.emit({ kind: 'order_updated', shop: s.domain, orderId: f.orderId });
      return { fulfillment: fulfillmentObj(ctx, f), userErrors: [] };
    },
  };
}

/** Quantity names for StoredQuantityName narrowing in other modules. */
export type { StoredQuantityName };
