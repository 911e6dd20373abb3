// The simulator's shops and the operations on them (seeding and the behaviour behind the GraphQL mutations).
import {
  emptyQuantities,
  gid,
  newShop,
  normaliseShopDomain,
  onHand,
  type ReturnReason,
  type SimAddress,
  type SimFulfillment,
  type SimFulfillmentOrder,
  type SimInventoryItem,
  type SimInventoryLevel,
  type SimLineItem,
  type SimLocation,
  type SimOrder,
  type SimReturn,
  type SimShop,
  type SimTrackingInfo,
  type SimVariant,
  type StoredQuantityName,
} from './state.js';

export interface Clock {
  now(): number;
}

export interface SeedVariant {
  sku: string | null;
  title?: string;
  price?: string;
  grams?: number;
  tracked?: boolean;
  /** Location name (or numeric id) → quantities at that location; listing a location stocks the item there. */
  stock?: Record<string, number | Partial<Record<StoredQuantityName, number>>>;
}

export interface SeedProduct {
  title: string;
  vendor?: string;
  variants: SeedVariant[];
}

export interface SeedShop {
  /** "acme" or "acme.myshopify.com". */
  shop: string;
  currency?: string;
  /** Defaults to one active location "Main warehouse". */
  locations?: { name: string; isActive?: boolean; fulfillsOnlineOrders?: boolean; isFulfillmentService?: boolean }[];
  products?: SeedProduct[];
}

export interface SeedOrderLine {
  sku: string;
  quantity: number;
  /** Defaults to the variant's price (or "10.00" for a SKU with no variant). */
  price?: string;
  title?: string;
  requiresShipping?: boolean;
}

export interface SeedOrder {
  lines: SeedOrderLine[];
  name?: string;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  financialStatus?: SimOrder['financialStatus'];
  shippingAddress?: SimAddress | null;
  /** Location (name or id) the fulfilment order is assigned to; default the first active location. */
  location?: string | number;
  /** ISO time; defaults to the simulator clock. */
  createdAt?: string;
}

export class SimError extends Error {}

/** What changed in a shop, for the simulator's automatic webhooks. */
export type StoreEvent =
  | { kind: 'order_created' | 'order_cancelled' | 'order_updated' | 'order_fulfilled'; shop: string; orderId: number }
  | { kind: 'order_edited'; shop: string; orderId: number; edit: { id: number; additions: { id: number; delta: number }[]; removals: { id: number; delta: number }[]; createdAt: string } }
  | { kind: 'return_created'; shop: string; orderId: number; returnId: number };

export class ShopStore {
  readonly shops = new Map<string, SimShop>();
  private nextId = 1000;

  /**
   * Protected customer data access (Shopify: levels 1 and 2, granted per app in the Partner Dashboard). Without
   * it, names, addresses, email and phone come back null in GraphQL and webhooks (reference §7, §10.9).
   */
  protectedCustomerData = true;

  /** The order as the app may see it (personal data nulled without protected customer data access). */
  view(order: SimOrder): SimOrder {
    if (this.protectedCustomerData) return order;
    return { ...order, email: null, phone: null, shippingAddress: null, billingAddress: null, customer: null };
  }

  /** Called after each change that Shopify would announce by webhook. */
  onEvent: ((e: StoreEvent) => void) | undefined;

  constructor(private readonly clock: Clock) {}

  emit(e: StoreEvent): void {
    this.onEvent?.(e);
  }

  id(): number {
    return ++this.nextId;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  shop(domain: string): SimShop {
    const s = this.shops.get(normaliseShopDomain(domain));
    if (!s) throw new SimError(`simulator: unknown shop ${domain}`);
    return s;
  }

  hasShop(domain: string): boolean {
    return this.shops.has(normaliseShopDomain(domain));
  }

  /** Creates (or extends) a shop. Returns the shop so tests can read generated ids. */
  seedShop(seed: SeedShop): SimShop {
    const domain = normaliseShopDomain(seed.shop);
    let shop = this.shops.get(domain);
    if (!shop) {
      shop = newShop(domain, seed.currency);
      this.shops.set(domain, shop);
    }
    const locations = seed.locations ?? (shop.locations.size === 0 ? [{ name: 'Main warehouse' }] : []);
    for (const l of locations) this.addLocation(shop.domain, l);
    for (const p of seed.products ?? []) this.addProduct(shop.domain, p);
    return shop;
  }

  addLocation(
    shopDomain: string,
    l: { name: string; isActive?: boolean; fulfillsOnlineOrders?: boolean; isFulfillmentService?: boolean },
  ): SimLocation {
    const shop = this.shop(shopDomain);
    const loc: SimLocation = {
      id: this.id(),
      name: l.name,
      isActive: l.isActive ?? true,
      fulfillsOnlineOrders: l.fulfillsOnlineOrders ?? true,
      isFulfillmentService: l.isFulfillmentService ?? false,
      countryCode: 'DE',
      city: 'Berlin',
      createdAt: this.nowIso(),
    };
    shop.locations.set(loc.id, loc);
    return loc;
  }

  findLocation(shop: SimShop, ref: string | number): SimLocation {
    const byId = typeof ref === 'number' ? shop.locations.get(ref) : undefined;
    const found = byId ?? [...shop.locations.values()].find((l) => l.name === ref || String(l.id) === String(ref));
    if (!found) throw new SimError(`simulator: no location ${ref} in ${shop.domain}`);
    return found;
  }

  addProduct(shopDomain: string, p: SeedProduct): { productId: number; variants: SimVariant[] } {
    const shop = this.shop(shopDomain);
    const now = this.nowIso();
    const product = { id: this.id(), title: p.title, vendor: p.vendor ?? shop.name, createdAt: now, updatedAt: now, variantIds: [] as number[] };
    shop.products.set(product.id, product);
    const variants: SimVariant[] = [];
    for (const v of p.variants) {
      const variant: SimVariant = {
        id: this.id(),
        productId: product.id,
        sku: v.sku,
        title: v.title ?? (p.variants.length === 1 ? 'Default Title' : (v.sku ?? 'Variant')),
        price: v.price ?? '10.00',
        inventoryItemId: 0,
        grams: v.grams ?? 0,
        createdAt: now,
        updatedAt: now,
      };
      const item: SimInventoryItem = {
        id: this.id(),
        variantId: variant.id,
        sku: v.sku,
        tracked: v.tracked ?? true,
        requiresShipping: true,
        createdAt: now,
        updatedAt: now,
        levels: new Map(),
      };
      variant.inventoryItemId = item.id;
      shop.variants.set(variant.id, variant);
      shop.inventoryItems.set(item.id, item);
      product.variantIds.push(variant.id);
      for (const [locRef, q] of Object.entries(v.stock ?? {})) {
        const loc = this.findLocation(shop, /^\d+$/.test(locRef) ? Number(locRef) : locRef);
        const level = this.activate(shop, item, loc.id);
        const quantities = typeof q === 'number' ? { available: q } : q;
        Object.assign(level.quantities, quantities);
      }
      variants.push(variant);
    }
    return { productId: product.id, variants };
  }

  /** Stocks an item at a location (inventoryActivate); returns the existing level when already stocked. */
  activate(shop: SimShop, item: SimInventoryItem, locationId: number): SimInventoryLevel {
    const existing = item.levels.get(locationId);
    if (existing) return existing;
    const now = this.nowIso();
    const level: SimInventoryLevel = {
      id: this.id(),
      inventoryItemId: item.id,
      locationId,
      quantities: emptyQuantities(),
      createdAt: now,
      updatedAt: now,
    };
    item.levels.set(locationId, level);
    void shop;
    return level;
  }

  variantsBySku(shop: SimShop, sku: string): SimVariant[] {
    return [...shop.variants.values()].filter((v) => v.sku === sku);
  }

  addOrder(shopDomain: string, o: SeedOrder): SimOrder {
    const shop = this.shop(shopDomain);
    const created = o.createdAt ?? this.nowIso();
    const number = shop.nextOrderNumber++;
    const location = o.location !== undefined ? this.findLocation(shop, o.location) : [...shop.locations.values()].find((l) => l.isActive);
    if (!location) throw new SimError(`simulator: ${shop.domain} has no active location for the order`);
    const lineItems: SimLineItem[] = o.lines.map((l) => {
      const variant = this.variantsBySku(shop, l.sku)[0];
      const product = variant ? shop.products.get(variant.productId) : undefined;
      const title = l.title ?? product?.title ?? l.sku;
      return {
        id: this.id(),
        variantId: variant?.id ?? null,
        productId: product?.id ?? null,
        sku: l.sku,
        title,
        variantTitle: variant && variant.title !== 'Default Title' ? variant.title : null,
        vendor: product?.vendor ?? null,
        name: variant && variant.title !== 'Default Title' ? `${title} - ${variant.title}` : title,
        quantity: l.quantity,
        currentQuantity: l.quantity,
        price: l.price ?? variant?.price ?? '10.00',
        grams: variant?.grams ?? 0,
        requiresShipping: l.requiresShipping ?? true,
      };
    });
    const order: SimOrder = {
      id: this.id(),
      name: o.name ?? `#${number}`,
      number,
      email: o.email === undefined ? `buyer${number}@example.com` : o.email,
      phone: o.phone ?? null,
      note: o.note ?? null,
      tags: o.tags ?? [],
      test: false,
      currency: shop.currency,
      financialStatus: o.financialStatus ?? 'PAID',
      createdAt: created,
      updatedAt: created,
      processedAt: created,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      shippingAddress:
        o.shippingAddress === undefined
          ? {
              firstName: 'Erika',
              lastName: 'Mustermann',
              name: 'Erika Mustermann',
              address1: 'Hauptstr. 1',
              city: 'Berlin',
              zip: '10115',
              country: 'Germany',
              countryCode: 'DE',
              phone: null,
              company: null,
              address2: null,
              province: null,
              provinceCode: null,
            }
          : o.shippingAddress,
      billingAddress: null,
      customer: { id: this.id(), email: o.email ?? `buyer${number}@example.com`, firstName: 'Erika', lastName: 'Mustermann' },
      lineItems,
      fulfillmentOrderIds: [],
      fulfillmentIds: [],
      returnIds: [],
    };
    shop.orders.set(order.id, order);
    const shippable = lineItems.filter((li) => li.requiresShipping);
    if (shippable.length > 0) {
      const fo: SimFulfillmentOrder = {
        id: this.id(),
        orderId: order.id,
        locationId: location.id,
        status: 'OPEN',
        requestStatus: 'UNSUBMITTED',
        createdAt: created,
        updatedAt: created,
        lineItems: shippable.map((li) => ({ id: this.id(), lineItemId: li.id, totalQuantity: li.quantity, remainingQuantity: li.quantity })),
      };
      shop.fulfillmentOrders.set(fo.id, fo);
      order.fulfillmentOrderIds.push(fo.id);
      // Placing an order commits stock at the assigned location: available → committed (on_hand unchanged).
      for (const li of shippable) this.moveCommitted(shop, li, location.id, li.quantity);
    }
    this.emit({ kind: 'order_created', shop: shop.domain, orderId: order.id });
    return order;
  }

  private moveCommitted(shop: SimShop, li: SimLineItem, locationId: number, qty: number): void {
    const variant = li.variantId ? shop.variants.get(li.variantId) : undefined;
    const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
    const level = item?.tracked ? item.levels.get(locationId) : undefined;
    if (!level) return;
    level.quantities.available -= qty;
    level.quantities.committed += qty;
    level.updatedAt = this.nowIso();
  }

  private releaseCommitted(shop: SimShop, lineItemId: number, locationId: number, qty: number, restock: boolean): void {
    const order = [...shop.orders.values()].find((o) => o.lineItems.some((l) => l.id === lineItemId));
    const li = order?.lineItems.find((l) => l.id === lineItemId);
    const variant = li?.variantId ? shop.variants.get(li.variantId) : undefined;
    const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
    const level = item?.tracked ? item.levels.get(locationId) : undefined;
    if (!level) return;
    level.quantities.committed -= qty;
    if (restock) level.quantities.available += qty;
    level.updatedAt = this.nowIso();
  }

  touchOrder(order: SimOrder): void {
    order.updatedAt = this.nowIso();
  }

  cancelOrder(shopDomain: string, orderId: number, reason: NonNullable<SimOrder['cancelReason']> = 'CUSTOMER'): SimOrder {
    const shop = this.shop(shopDomain);
    const order = shop.orders.get(orderId);
    if (!order) throw new SimError(`simulator: no order ${orderId}`);
    order.cancelledAt = this.nowIso();
    order.cancelReason = reason;
    order.closedAt = order.cancelledAt;
    for (const foId of order.fulfillmentOrderIds) {
      const fo = shop.fulfillmentOrders.get(foId)!;
      if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') continue;
      for (const li of fo.lineItems) {
        this.releaseCommitted(shop, li.lineItemId, fo.locationId, li.remainingQuantity, true);
        li.remainingQuantity = 0;
      }
      fo.status = 'CLOSED';
      fo.updatedAt = order.cancelledAt;
    }
    for (const li of order.lineItems) li.currentQuantity = 0;
    this.touchOrder(order);
    this.emit({ kind: 'order_cancelled', shop: shop.domain, orderId: order.id });
    return order;
  }

  /**
   * An order edit by the merchant: `delta` < 0 removes units of a line (released from the FO and from committed
   * stock), `delta` > 0 adds units to it. Returns the additions/removals for the orders/edited payload.
   */
  editOrder(
    shopDomain: string,
    orderId: number,
    changes: { sku: string; delta: number }[],
  ): { id: number; additions: { id: number; delta: number }[]; removals: { id: number; delta: number }[]; createdAt: string } {
    const shop = this.shop(shopDomain);
    const order = shop.orders.get(orderId);
    if (!order) throw new SimError(`simulator: no order ${orderId}`);
    const edit = { id: this.id(), additions: [] as { id: number; delta: number }[], removals: [] as { id: number; delta: number }[], createdAt: this.nowIso() };
    for (const c of changes) {
      const li = order.lineItems.find((l) => l.sku === c.sku);
      if (!li) throw new SimError(`simulator: ${order.name} has no line with ${c.sku}`);
      const foLine = order.fulfillmentOrderIds
        .map((id) => shop.fulfillmentOrders.get(id)!)
        .flatMap((fo) => fo.lineItems.map((l) => ({ fo, l })))
        .find((x) => x.l.lineItemId === li.id);
      if (c.delta < 0) {
        const qty = Math.min(-c.delta, foLine?.l.remainingQuantity ?? 0);
        if (qty <= 0) throw new SimError(`simulator: nothing unfulfilled to remove on ${c.sku}`);
        li.currentQuantity -= qty;
        if (foLine) {
          foLine.l.remainingQuantity -= qty;
          foLine.l.totalQuantity -= qty;
          this.releaseCommitted(shop, li.id, foLine.fo.locationId, qty, true);
          foLine.fo.updatedAt = edit.createdAt;
        }
        edit.removals.push({ id: li.id, delta: qty });
      } else if (c.delta > 0) {
        li.currentQuantity += c.delta;
        li.quantity += c.delta;
        if (foLine) {
          foLine.l.remainingQuantity += c.delta;
          foLine.l.totalQuantity += c.delta;
          this.moveCommitted(shop, li, foLine.fo.locationId, c.delta);
          foLine.fo.updatedAt = edit.createdAt;
        }
        edit.additions.push({ id: li.id, delta: c.delta });
      }
    }
    this.touchOrder(order);
    this.emit({ kind: 'order_edited', shop: shop.domain, orderId: order.id, edit });
    return edit;
  }

  // ---- fulfilment-service handshake (reference §5.1) ----------------------------------------------------

  private serviceFo(shopDomain: string, foId: number): { shop: SimShop; fo: SimFulfillmentOrder } {
    const shop = this.shop(shopDomain);
    const fo = shop.fulfillmentOrders.get(foId);
    if (!fo) throw new SimError(`simulator: no fulfillment order ${foId}`);
    if (!shop.locations.get(fo.locationId)?.isFulfillmentService) {
      throw new SimError(`simulator: fulfillment order ${foId} is not assigned to a fulfillment service location`);
    }
    return { shop, fo };
  }

  /** The merchant (or Shopify's auto-request) asks the fulfilment service to fulfil: UNSUBMITTED → SUBMITTED. */
  submitFulfillmentRequest(shopDomain: string, foId: number, o: { message?: string; notifyCustomer?: boolean } = {}): SimFulfillmentOrder {
    const { shop, fo } = this.serviceFo(shopDomain, foId);
    if (fo.requestStatus !== 'UNSUBMITTED' && fo.requestStatus !== 'REJECTED') throw new SimError(`simulator: request status is ${fo.requestStatus}`);
    fo.requestStatus = 'SUBMITTED';
    (fo.merchantRequests ??= []).push({ id: this.id(), kind: 'FULFILLMENT_REQUEST', message: o.message ?? null, requestOptions: { notify_customer: o.notifyCustomer ?? true }, sentAt: this.nowIso() });
    fo.updatedAt = this.nowIso();
    this.touchOrder(shop.orders.get(fo.orderId)!);
    return fo;
  }

  /** The merchant asks to cancel an accepted request: ACCEPTED → CANCELLATION_REQUESTED. */
  submitCancellationRequest(shopDomain: string, foId: number, message?: string): SimFulfillmentOrder {
    const { shop, fo } = this.serviceFo(shopDomain, foId);
    if (fo.requestStatus !== 'ACCEPTED') throw new SimError(`simulator: request status is ${fo.requestStatus}`);
    fo.requestStatus = 'CANCELLATION_REQUESTED';
    (fo.merchantRequests ??= []).push({ id: this.id(), kind: 'CANCELLATION_REQUEST', message: message ?? null, requestOptions: {}, sentAt: this.nowIso() });
    fo.updatedAt = this.nowIso();
    this.touchOrder(shop.orders.get(fo.orderId)!);
    return fo;
  }

  /** The service's answers (mutations). Returns an error message when the transition is not allowed. */
  answerRequest(
    shop: SimShop,
    foId: number,
    answer: 'accept_fulfillment' | 'reject_fulfillment' | 'accept_cancellation' | 'reject_cancellation',
  ): { fo: SimFulfillmentOrder } | { error: string } {
    const fo = shop.fulfillmentOrders.get(foId);
    if (!fo) return { error: 'Fulfillment order does not exist.' };
    if (!shop.locations.get(fo.locationId)?.isFulfillmentService) {
      return { error: "The fulfillment order's assigned fulfillment service must be of api type" };
    }
    const need = answer.endsWith('fulfillment') ? 'SUBMITTED' : 'CANCELLATION_REQUESTED';
    if (fo.requestStatus !== need) return { error: `Cannot ${answer.replace('_', ' ')} request: request status is ${fo.requestStatus.toLowerCase()}.` };
    switch (answer) {
      case 'accept_fulfillment':
        fo.requestStatus = 'ACCEPTED';
        fo.status = 'IN_PROGRESS';
        break;
      case 'reject_fulfillment':
        fo.requestStatus = 'REJECTED';
        break;
      case 'accept_cancellation':
        fo.requestStatus = 'CANCELLATION_ACCEPTED';
        fo.status = 'CANCELLED';
        for (const l of fo.lineItems) {
          this.releaseCommitted(shop, l.lineItemId, fo.locationId, l.remainingQuantity, true);
          l.remainingQuantity = 0;
        }
        break;
      case 'reject_cancellation':
        fo.requestStatus = 'CANCELLATION_REJECTED';
        break;
    }
    fo.updatedAt = this.nowIso();
    this.touchOrder(shop.orders.get(fo.orderId)!);
    return { fo };
  }

  /**
   * fulfillmentCreate: each FO line gets `quantity` (or all remaining) shipped. Errors are returned as
   * messages (Shopify answers them as userErrors).
   */
  createFulfillment(
    shop: SimShop,
    input: {
      lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null }[];
      trackingInfo?: { company?: string | null; number?: string | null; numbers?: string[] | null; url?: string | null; urls?: string[] | null } | null;
      notifyCustomer?: boolean | null;
    },
    message: string | null,
  ): { fulfillment: SimFulfillment } | { errors: { field: string[]; message: string }[] } {
    const errors: { field: string[]; message: string }[] = [];
    const plan: { fo: SimFulfillmentOrder; line: SimFulfillmentOrder['lineItems'][number]; qty: number }[] = [];
    let orderId: number | null = null;
    input.lineItemsByFulfillmentOrder.forEach((group, gi) => {
      const ref = parseFoId(group.fulfillmentOrderId);
      const fo = ref === null ? undefined : shop.fulfillmentOrders.get(ref);
      if (!fo) {
        errors.push({ field: ['fulfillment', 'lineItemsByFulfillmentOrder', String(gi), 'fulfillmentOrderId'], message: 'Fulfillment order does not exist.' });
        return;
      }
      if (orderId !== null && fo.orderId !== orderId) {
        errors.push({ field: ['fulfillment'], message: 'All fulfillment orders must belong to the same order.' });
        return;
      }
      orderId = fo.orderId;
      if (shop.locations.get(fo.locationId)?.isFulfillmentService && fo.requestStatus !== 'ACCEPTED' && fo.requestStatus !== 'CANCELLATION_REJECTED') {
        // [unverified wording] a fulfilment service fulfils only requests it accepted.
        errors.push({ field: ['fulfillment'], message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} must be accepted before it can be fulfilled (request status ${fo.requestStatus.toLowerCase()}).` });
        return;
      }
      if (fo.status === 'CLOSED' || fo.status === 'CANCELLED' || fo.status === 'ON_HOLD') {
        errors.push({ field: ['fulfillment'], message: `Fulfillment order ${gid('FulfillmentOrder', fo.id)} has an unfulfillable status= ${fo.status.toLowerCase()}.` });
        return;
      }
      if (!group.fulfillmentOrderLineItems || group.fulfillmentOrderLineItems.length === 0) {
        for (const line of fo.lineItems) if (line.remainingQuantity > 0) plan.push({ fo, line, qty: line.remainingQuantity });
        return;
      }
      for (const wanted of group.fulfillmentOrderLineItems) {
        const lineId = parseGidNumber(wanted.id, 'FulfillmentOrderLineItem');
        const line = fo.lineItems.find((l) => l.id === lineId);
        if (!line) {
          errors.push({ field: ['fulfillment'], message: `Invalid fulfillment order line item id ${wanted.id}.` });
        } else if (wanted.quantity <= 0 || wanted.quantity > line.remainingQuantity) {
          errors.push({ field: ['fulfillment'], message: `Invalid fulfillment order line item quantity requested.` });
        } else {
          plan.push({ fo, line, qty: wanted.quantity });
        }
      }
    });
    if (errors.length === 0 && plan.length === 0) errors.push({ field: ['fulfillment'], message: 'Nothing to fulfill.' });
    if (errors.length > 0 || orderId === null) return { errors };
    const order = shop.orders.get(orderId)!;
    const now = this.nowIso();
    const t = input.trackingInfo ?? {};
    const numbers = t.numbers && t.numbers.length > 0 ? t.numbers : t.number ? [t.number] : [];
    const urls = t.urls && t.urls.length > 0 ? t.urls : t.url ? [t.url] : [];
    const trackingInfo: SimTrackingInfo[] = numbers.map((n, i) => ({ company: t.company ?? null, number: n, url: urls[i] ?? null }));
    const fulfillment: SimFulfillment = {
      id: this.id(),
      orderId,
      name: `${order.name}-F${order.fulfillmentIds.length + 1}`,
      status: 'SUCCESS',
      locationId: plan[0]!.fo.locationId,
      notifyCustomer: input.notifyCustomer ?? false,
      message,
      trackingInfo,
      lineItems: [],
      createdAt: now,
      updatedAt: now,
    };
    for (const p of plan) {
      p.line.remainingQuantity -= p.qty;
      fulfillment.lineItems.push({ id: this.id(), lineItemId: p.line.lineItemId, fulfillmentOrderId: p.fo.id, fulfillmentOrderLineItemId: p.line.id, quantity: p.qty });
      // Shipping consumes committed units: on_hand drops, available unchanged.
      this.releaseCommitted(shop, p.line.lineItemId, p.fo.locationId, p.qty, false);
    }
    for (const fo of new Set(plan.map((p) => p.fo))) {
      fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
      fo.updatedAt = now;
    }
    shop.fulfillments.set(fulfillment.id, fulfillment);
    order.fulfillmentIds.push(fulfillment.id);
    this.touchOrder(order);
    this.emit({ kind: 'order_fulfilled', shop: shop.domain, orderId: order.id });
    return { fulfillment };
  }

  createReturn(
    shopDomain: string,
    orderId: number,
    lines: { sku: string; quantity: number; reason?: ReturnReason; reasonHandle?: string; note?: string }[],
    status: SimReturn['status'] = 'OPEN',
  ): SimReturn {
    const shop = this.shop(shopDomain);
    const order = shop.orders.get(orderId);
    if (!order) throw new SimError(`simulator: no order ${orderId}`);
    const fulfilledLines = order.fulfillmentIds.flatMap((id) => shop.fulfillments.get(id)!.lineItems);
    const ret: SimReturn = {
      id: this.id(),
      orderId,
      name: `${order.name}-R${order.returnIds.length + 1}`,
      status,
      createdAt: this.nowIso(),
      closedAt: null,
      lineItems: lines.map((l) => {
        const fli = fulfilledLines.find((f) => order.lineItems.find((li) => li.id === f.lineItemId)?.sku === l.sku);
        if (!fli) throw new SimError(`simulator: ${l.sku} was not fulfilled on ${order.name}; nothing to return`);
        return { id: this.id(), fulfillmentLineItemId: fli.id, quantity: l.quantity, returnReason: l.reason ?? 'UNKNOWN', ...(l.reasonHandle ? { reasonHandle: l.reasonHandle } : {}), returnReasonNote: l.note ?? '', customerNote: null };
      }),
    };
    shop.returns.set(ret.id, ret);
    order.returnIds.push(ret.id);
    this.touchOrder(order);
    this.emit({ kind: 'return_created', shop: shop.domain, orderId: order.id, returnId: ret.id });
    return ret;
  }

  /** Reads a level's quantities (with derived on_hand) — for tests. */
  quantities(shopDomain: string, sku: string, location?: string | number): Record<string, number> | null {
    const shop = this.shop(shopDomain);
    const variant = this.variantsBySku(shop, sku)[0];
    if (!variant) return null;
    const item = shop.inventoryItems.get(variant.inventoryItemId)!;
    const loc = location === undefined ? [...shop.locations.values()][0] : this.findLocation(shop, location);
    const level = loc ? item.levels.get(loc.id) : undefined;
    if (!level) return null;
    return { ...level.quantities, on_hand: onHand(level.quantities) };
  }
}

function parseGidNumber(value: string, type: string): number | null {
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)`).exec(value);
  return m ? Number(m[1]) : null;
}

function parseFoId(value: string): number | null {
  return parseGidNumber(value, 'FulfillmentOrder');
}
