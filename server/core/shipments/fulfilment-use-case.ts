// fulfilment.create (per recorded shipment, ordering key of the order): fulfils the shipment's lines in the
// storefront with the tracking the warehouse recorded, once; later adds a tracking number that appeared.
// fulfillmentCreate has no idempotency key: before the first attempt we store the order's fulfilment ids,
// and a retry (after a lost answer) that finds a new id no other shipment claims takes it instead of creating
// a second fulfilment.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import type { Audited } from '../orders/audit.js';
import type { OrderStorefront, ShipmentTrackingSource, TrackingInfo } from '../orders/order-ports.js';
import { canTransition, type OrderState } from '../orders/order-state.js';
import { ClassifiedError } from '../errors.js';
import { trackingUrl } from './allocate-shipments.js';
import {
  carrierFor,
  findOrderSync,
  findShipment,
  orderSettings,
  raiseAlert,
  shipmentsOf,
  updateOrderSync,
  updateShipment,
  type ShipmentRow,
} from '../../db/repos/order-sync-repo.js';

export interface FulfilmentDeps {
  prisma: PrismaClient;
  storefront: OrderStorefront;
  tracking: ShipmentTrackingSource | null;
  audit: Audited;
  now: () => Date;
  log: Logger;
}

export type FulfilmentOutcome = 'created' | 'recovered' | 'tracking_updated' | 'unchanged' | 'failed';

async function resolveTracking(deps: FulfilmentDeps, shop: string, s: ShipmentRow): Promise<TrackingInfo | null> {
  let key: string | null = null;
  let number = s.trackingNumber;
  if (deps.tracking) {
    const [code, id] = s.docKey.split('#');
    const t = await deps.audit('warehouse', 'trackingFor', s.orderId, () => deps.tracking!.trackingFor({ code: code!, warehouseId: Number(id) }));
    if (t) {
      key = t.carrierKey;
      number = t.number ?? number;
    }
  }
  if (!key && !number) return null;
  const carrier = key ? await carrierFor(deps.prisma, shop, key) : null;
  return { company: carrier?.company ?? key, number, url: trackingUrl(carrier?.trackingUrlTemplate, number) };
}

export async function fulfilShipment(deps: FulfilmentDeps, shop: string, shipmentId: bigint): Promise<FulfilmentOutcome> {
  const s = await findShipment(deps.prisma, shop, shipmentId);
  if (!s || s.failedReason) return 'unchanged';
  const settings = await orderSettings(deps.prisma, shop);
  let outcome: FulfilmentOutcome = 'unchanged';

  if (!s.fulfillmentId) {
    const tracking = await resolveTracking(deps, shop, s);
    let fulfillmentId: string | null = null;
    if (s.fulfillmentsBefore) {
      // A previous attempt may have created it and lost the answer.
      const order = await deps.audit('storefront', 'getOrderForSync', s.orderId, () => deps.storefront.getOrderForSync(s.orderId));
      const claimed = new Set((await shipmentsOf(deps.prisma, shop, s.orderId)).map((x) => x.fulfillmentId).filter(Boolean));
      fulfillmentId = order?.fulfillmentIds.find((id) => !s.fulfillmentsBefore!.includes(id) && !claimed.has(id)) ?? null;
      if (fulfillmentId) outcome = 'recovered';
    } else {
      const order = await deps.audit('storefront', 'getOrderForSync', s.orderId, () => deps.storefront.getOrderForSync(s.orderId));
      await updateShipment(deps.prisma, shop, s.id, { fulfillmentsBefore: order?.fulfillmentIds ?? [] });
    }
    if (!fulfillmentId) {
      try {
        const r = await deps.audit('storefront', 'createFulfillment', s.orderId, () =>
          deps.storefront.createFulfillment({ orderId: s.orderId, lines: s.lines, notifyCustomer: settings.notifyCustomer, tracking }),
        );
        fulfillmentId = r.fulfillmentIds[0]!;
        outcome = 'created';
      } catch (err) {
        if (err instanceof ClassifiedError && !err.retryable) {
          // Refused by the storefront (order cancelled, lines already fulfilled by hand…): a person must look.
          await updateShipment(deps.prisma, shop, s.id, { failedReason: err.message.slice(0, 500) });
          await raiseAlert(deps.prisma, {
            shop,
            kind: 'order.fulfilment_failed',
            subjectRef: `order:${s.orderId}`,
            message: `Shipment ${s.docKey} could not be marked fulfilled: ${err.message.slice(0, 300)}`,
          });
          return 'failed';
        }
        throw err;
      }
    }
    await updateShipment(deps.prisma, shop, s.id, {
      fulfillmentId,
      trackingCompany: tracking?.company ?? null,
      trackingNumber: tracking?.number ?? null,
      trackingUrl: tracking?.url ?? null,
      trackingSent: !!tracking?.number,
    });
  } else if (s.trackingNumber && !s.trackingSent) {
    const tracking = await resolveTracking(deps, shop, s);
    if (tracking?.number) {
      await deps.audit('storefront', 'updateTracking', s.orderId, () => deps.storefront.updateTracking(s.fulfillmentId!, tracking, settings.notifyCustomer));
      await updateShipment(deps.prisma, shop, s.id, { trackingCompany: tracking.company, trackingNumber: tracking.number, trackingUrl: tracking.url, trackingSent: true });
      outcome = 'tracking_updated';
    }
  }

  // Everything shipped and every shipment fulfilled → the order is done.
  const row = await findOrderSync(deps.prisma, shop, s.orderId);
  if (row?.state === 'shipped' && canTransition('shipped', 'fulfilled')) {
    const all = await shipmentsOf(deps.prisma, shop, s.orderId);
    if (all.every((x) => x.fulfillmentId || x.lines.length === 0)) {
      await updateOrderSync(deps.prisma, shop, s.orderId, { state: 'fulfilled' as OrderState, stateReason: null });
    }
  }
  return outcome;
}
