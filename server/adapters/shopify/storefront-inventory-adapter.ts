// InventoryStorefront for Shopify (server/core/ports.ts): the stock sync's reads and compare-and-set writes.
// 250 items per call: the nodes(ids:) limit, and the input list size Shopify accepts for quantity lists; one
// set of 250 costs 10 points, so a 10,000-SKU catalogue is 40 calls (docs/stock.md § Batches).
import type { InventoryRejection, InventoryStorefront, SetStockInput, StorefrontLocation } from '../../core/ports.js';
import { PermanentError } from '../../core/errors.js';
import type { AdminGraphql, UserError } from './admin-client.js';
import { LOCATIONS_QUERY } from './graphql/catalog.js';
import { INVENTORY_SET_QUANTITIES_MUTATION } from './graphql/inventory.js';
import { AVAILABLE_AT_LOCATION_QUERY, INVENTORY_ACTIVATE_MUTATION, VARIANT_INVENTORY_AT_LOCATION_QUERY } from './graphql/inventory-sync.js';
import { mapLimit } from '../../core/map-limit.js';

/** Quantity reason for warehouse syncs (Shopify's list: correction, cycle_count_available, …). */
export const STOCK_REASON = 'correction';

export const INVENTORY_BATCH = 250;

/**
 * Read calls of one lookup in flight at once. 4: enough to overlap our processing with Shopify's answer
 * (a 10,000-SKU lookup is 40 calls), small against the 2,000-point bucket (a 250-node read costs a few points;
 * the admin client still waits on THROTTLED, per call).
 */
export const READ_CONCURRENCY = 4;

type Node = null | Record<string, unknown>;
type Level = { quantities: { name: string; quantity: number }[] };

function availableOf(level: Level | null | undefined): number | null {
  return level ? (level.quantities.find((q) => q.name === 'available')?.quantity ?? 0) : null;
}

/** Runs `fn` on slices of INVENTORY_BATCH ids, READ_CONCURRENCY at a time. */
async function inBatches(ids: string[], fn: (slice: string[]) => Promise<void>): Promise<void> {
  const slices: string[][] = [];
  for (let i = 0; i < ids.length; i += INVENTORY_BATCH) slices.push(ids.slice(i, i + INVENTORY_BATCH));
  await mapLimit(slices, READ_CONCURRENCY, fn);
}

export function createShopifyInventoryStorefront(admin: AdminGraphql): InventoryStorefront {
  return {
    maxBatch: INVENTORY_BATCH,

    async inventoryItemsOf(variantIds, locationId) {
      const out = new Map<string, { inventoryItemId: string; tracked: boolean; available: number | null }>();
      type Item = { id: string; tracked: boolean; inventoryLevel: Level | null };
      await inBatches(variantIds, async (ids) => {
        const data = await admin.request<{ nodes: Node[] }>(VARIANT_INVENTORY_AT_LOCATION_QUERY, { variables: { ids, locationId } });
        for (const n of data.nodes) {
          const item = n?.inventoryItem as Item | undefined;
          if (n?.id && item) out.set(n.id as string, { inventoryItemId: item.id, tracked: item.tracked, available: availableOf(item.inventoryLevel) });
        }
      });
      return out;
    },

    async readAvailable(locationId, inventoryItemIds) {
      const out = new Map<string, number>();
      await inBatches(inventoryItemIds, async (ids) => {
        const data = await admin.request<{ nodes: Node[] }>(AVAILABLE_AT_LOCATION_QUERY, { variables: { ids, locationId } });
        for (const n of data.nodes) {
          const q = availableOf(n?.inventoryLevel as Level | null | undefined);
          if (n?.id && q !== null) out.set(n.id as string, q);
        }
      });
      return out;
    },

    async setAvailable(input: SetStockInput) {
      if (input.items.length > INVENTORY_BATCH) throw new PermanentError('stock.batch_too_large', `at most ${INVENTORY_BATCH} items per set`);
      if (input.items.length === 0) return { ok: true } as const;
      type Data = { inventorySetQuantities: { userErrors: UserError[] } };
      const data = await admin.request<Data>(INVENTORY_SET_QUANTITIES_MUTATION, {
        idempotencyKey: input.idempotencyKey,
        allowUserErrors: true,
        variables: {
          input: {
            name: 'available',
            reason: STOCK_REASON,
            ...(input.referenceUri ? { referenceDocumentUri: input.referenceUri } : {}),
            // 2026-04: changeFromQuantity on every quantity (the value we last saw; null only when never seen).
            quantities: input.items.map((i) => ({ inventoryItemId: i.inventoryItemId, locationId: input.locationId, quantity: i.quantity, changeFromQuantity: i.expected })),
          },
        },
      });
      const errors = data.inventorySetQuantities.userErrors;
      if (errors.length === 0) return { ok: true } as const;
      const rejected: InventoryRejection[] = errors.map((e) => {
        // field: ["input", "quantities", "<index>", "<name>"]
        const f = e.field ?? [];
        const at = f[0] === 'input' && f[1] === 'quantities' && f[2] !== undefined && /^\d+$/.test(f[2]) ? Number(f[2]) : null;
        return { index: at, code: e.code ?? 'ERROR', message: e.message };
      });
      return { ok: false, rejected } as const;
    },

    async activate(inventoryItemId, locationId) {
      type Data = { inventoryActivate: { userErrors: UserError[] } };
      const data = await admin.request<Data>(INVENTORY_ACTIVATE_MUTATION, { variables: { inventoryItemId, locationId }, allowUserErrors: true });
      const errs = data.inventoryActivate.userErrors;
      if (errs.length) throw new PermanentError('stock.activate_refused', `inventoryActivate: ${errs.map((e) => e.message).join('; ')}`);
    },

    async listLocations(): Promise<StorefrontLocation[]> {
      const data = await admin.request<{ locations: { nodes: StorefrontLocation[] } }>(LOCATIONS_QUERY, { variables: { first: 50 } });
      return data.locations.nodes.map((l) => ({ id: l.id, name: l.name, isActive: l.isActive, fulfillsOnlineOrders: l.fulfillsOnlineOrders }));
    },
  };
}
