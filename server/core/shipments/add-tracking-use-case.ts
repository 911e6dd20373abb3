// addTrackingNumber: a tracking number that reaches us after the fulfilment was created (typed in the admin
// UI, or found later in the warehouse) is recorded on the shipment and sent with fulfillmentTrackingInfoUpdate
// by the fulfilment job (same ordering key as the order's other jobs).
import type { PrismaClient } from '@prisma/client';
import { PermanentError } from '../errors.js';
import { enqueue } from '../../queue/enqueue.js';
import { fulfilmentJobSpec } from '../orders/order-jobs.js';
import { shipmentsOf, updateShipment } from '../../db/repos/order-sync-repo.js';

export async function addTrackingNumber(prisma: PrismaClient, shop: string, orderId: string, number: string, docKey?: string): Promise<void> {
  const clean = number.replace(/\s+/g, '');
  if (!clean) throw new PermanentError('tracking.invalid', 'tracking number is empty');
  await prisma.$transaction(async (tx) => {
    const shipments = (await shipmentsOf(tx, shop, orderId)).filter((s) => (docKey ? s.docKey === docKey : true));
    const target = shipments.find((s) => !s.trackingNumber) ?? shipments[shipments.length - 1];
    if (!target) throw new PermanentError('tracking.no_shipment', `order ${orderId} has no shipment yet`);
    await updateShipment(tx, shop, target.id, { trackingNumber: clean, trackingSent: false });
    await enqueue(tx, fulfilmentJobSpec(shop, orderId, target.id));
  });
}
