// saveMapping: what the admin UI calls when the merchant maps a variant to warehouse goods (or a bundle of
// them). Orders waiting in `needs_mapping` are re-enqueued in the same transaction, so saving the mapping
// resumes them automatically (the worker re-checks every line, so an order still missing another SKU simply
// goes back to needs_mapping with the shorter list).
import type { PrismaClient } from '@prisma/client';
import { PermanentError } from '../errors.js';
import { ordersInState, upsertSkuMapping, upsertCarrierMapping, type MappingComponentRow } from '../../db/repos/order-sync-repo.js';
import { enqueueMany } from '../../queue/enqueue.js';
import { orderSyncJobSpec } from '../orders/order-jobs.js';

export interface SaveMappingInput {
  variantId: string;
  sku?: string | null;
  /** One component for a plain product; several for a bundle. Quantities are per unit of the variant. */
  components: MappingComponentRow[];
}

export async function saveMapping(prisma: PrismaClient, shop: string, input: SaveMappingInput): Promise<{ resumedOrders: number }> {
  if (!input.variantId) throw new PermanentError('mapping.invalid', 'variantId is required');
  if (input.components.length === 0) throw new PermanentError('mapping.invalid', 'a mapping needs at least one warehouse goods code');
  for (const c of input.components) {
    if (!c.goodsCode?.trim() || !Number.isInteger(c.quantity) || c.quantity < 1) {
      throw new PermanentError('mapping.invalid', `invalid component ${JSON.stringify(c)}: goodsCode and a whole quantity ≥ 1 are required`);
    }
  }
  return prisma.$transaction(async (tx) => {
    await upsertSkuMapping(tx, shop, input.variantId, input.sku ?? null, input.components.map((c) => ({ goodsCode: c.goodsCode.trim(), quantity: c.quantity })));
    const waiting = await ordersInState(tx, shop, ['needs_mapping']);
    await enqueueMany(tx, waiting.map((o) => orderSyncJobSpec(shop, o.orderId)));
    return { resumedOrders: waiting.length };
  });
}

/** Many mappings at once (seeding, CSV import): one transaction, waiting orders re-enqueued once. */
export async function saveMappings(prisma: PrismaClient, shop: string, inputs: SaveMappingInput[]): Promise<{ resumedOrders: number }> {
  return prisma.$transaction(async (tx) => {
    for (const m of inputs) await upsertSkuMapping(tx, shop, m.variantId, m.sku ?? null, m.components);
    const waiting = await ordersInState(tx, shop, ['needs_mapping']);
    await enqueueMany(tx, waiting.map((o) => orderSyncJobSpec(shop, o.orderId)));
    return { resumedOrders: waiting.length };
  });
}

/** Driver (carrier key) → carrier name and tracking URL template with "{number}" (docs/orders.md). */
export async function saveCarrierMapping(prisma: PrismaClient, shop: string, driverKey: string, company: string, trackingUrlTemplate: string | null): Promise<void> {
  if (!driverKey.trim() || !company.trim()) throw new PermanentError('mapping.invalid', 'driver key and carrier name are required');
  await upsertCarrierMapping(prisma, shop, driverKey.trim(), company.trim(), trackingUrlTemplate);
}
