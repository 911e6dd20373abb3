// inventorySetQuantities with 2026-04 semantics: changeFromQuantity compare-and-set, @idempotent replay,
// not-stocked items, and quantity-name arithmetic (on_hand = available + committed + …).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, gql, idsOf, startSeeded } from './sim-helpers.js';

const SET = `mutation SetStock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange item { sku } location { name } } }
    userErrors { code field message }
  }
}`;

let sim: ShopifySimulator;
let token: string;
beforeEach(async () => ({ sim, token } = await startSeeded()));
afterEach(async () => sim.close());

type SetPayload = {
  inventoryAdjustmentGroup: { id: string; changes: { name: string; delta: number; quantityAfterChange: number }[] } | null;
  userErrors: { code: string; field: string[] | null; message: string }[];
};

async function setStock(key: string, quantities: Record<string, unknown>[], name = 'available'): Promise<SetPayload> {
  const r = await gql(sim, token, SET, {
    key,
    input: { name, reason: 'correction', referenceDocumentUri: 'logistics://wms/stock-sync/1', quantities },
  });
  expect(r.body.errors).toBeUndefined();
  return (r.body.data as { inventorySetQuantities: SetPayload }).inventorySetQuantities;
}

describe('inventorySetQuantities compare-and-set', () => {
  it('matching changeFromQuantity sets available and reports available + on_hand changes', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const p = await setStock('k1', [{ inventoryItemId: itemId, locationId, quantity: 12, changeFromQuantity: 5 }]);
    expect(p.userErrors).toEqual([]);
    expect(p.inventoryAdjustmentGroup!.changes).toEqual([
      { name: 'available', delta: 7, quantityAfterChange: 12, item: { sku: 'MUG-1' }, location: { name: 'Main warehouse' } },
      { name: 'on_hand', delta: 7, quantityAfterChange: 12, item: { sku: 'MUG-1' }, location: { name: 'Main warehouse' } },
    ]);
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 12, on_hand: 12 });
  });

  it('stale changeFromQuantity → CHANGE_FROM_QUANTITY_STALE and nothing changes (all-or-nothing)', async () => {
    const mug = idsOf(sim, 'MUG-1');
    const tee = idsOf(sim, 'TEE-S');
    const p = await setStock('k1', [
      { inventoryItemId: tee.itemId, locationId: tee.locationId, quantity: 9, changeFromQuantity: 3 },
      { inventoryItemId: mug.itemId, locationId: mug.locationId, quantity: 12, changeFromQuantity: 4 },
    ]);
    expect(p.inventoryAdjustmentGroup).toBeNull();
    expect(p.userErrors).toEqual([
      { code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input', 'quantities', '1', 'changeFromQuantity'], message: 'The changeFromQuantity value does not match persisted value.' },
    ]);
    expect(sim.quantities(SHOP, 'TEE-S')!.available).toBe(3);
    expect(sim.quantities(SHOP, 'MUG-1')!.available).toBe(5);
  });

  it('explicit null changeFromQuantity skips the check', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const p = await setStock('k1', [{ inventoryItemId: itemId, locationId, quantity: 2, changeFromQuantity: null }]);
    expect(p.userErrors).toEqual([]);
    expect(sim.quantities(SHOP, 'MUG-1')!.available).toBe(2);
  });

  it('omitting changeFromQuantity is an error in 2026-04', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const r = await gql(sim, token, SET, { key: 'k', input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: itemId, locationId, quantity: 2 }] } });
    expect(JSON.stringify(r.body.errors)).toContain('changeFromQuantity is required');
    expect(sim.quantities(SHOP, 'MUG-1')!.available).toBe(5);
  });

  it('setting on_hand moves available by the difference and keeps committed', async () => {
    sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 3, committed: 2, on_hand: 5 });
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const p = await setStock('k1', [{ inventoryItemId: itemId, locationId, quantity: 10, changeFromQuantity: 5 }], 'on_hand');
    expect(p.userErrors).toEqual([]);
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 8, committed: 2, on_hand: 10 });
  });

  it('an item not stocked at the location → ITEM_NOT_STOCKED_AT_LOCATION until inventoryActivate', async () => {
    const { itemId, overflowId } = idsOf(sim, 'MUG-1');
    const q = [{ inventoryItemId: itemId, locationId: overflowId, quantity: 4, changeFromQuantity: 0 }];
    expect((await setStock('k1', q)).userErrors.map((e) => e.code)).toEqual(['ITEM_NOT_STOCKED_AT_LOCATION']);
    const act = await gql(sim, token, 'mutation($i: ID!, $l: ID!) { inventoryActivate(inventoryItemId: $i, locationId: $l) { inventoryLevel { id quantities(names: ["available"]) { name quantity } } userErrors { field message } } }', { i: itemId, l: overflowId });
    expect(act.body.data).toMatchObject({ inventoryActivate: { userErrors: [], inventoryLevel: { quantities: [{ name: 'available', quantity: 0 }] } } });
    expect((await setStock('k2', q)).userErrors).toEqual([]);
    expect(sim.quantities(SHOP, 'MUG-1', 'Overflow')!.available).toBe(4);
  });

  it('bad name, reason, duplicate pair and negative quantity are userErrors with their codes', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const r = await gql(sim, token, SET, {
      key: 'k',
      input: { name: 'committed', reason: 'because', quantities: [
        { inventoryItemId: itemId, locationId, quantity: 1, changeFromQuantity: null },
        { inventoryItemId: itemId, locationId, quantity: -1, changeFromQuantity: null },
      ] },
    });
    const codes = (r.body.data as { inventorySetQuantities: SetPayload }).inventorySetQuantities.userErrors.map((e) => e.code);
    expect(codes).toEqual(['INVALID_NAME', 'INVALID_REASON', 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR']);
  });
});

describe('inventorySetQuantities @idempotent', () => {
  it('missing @idempotent is refused in 2026-04 and applies nothing', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const r = await gql(sim, token, 'mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }', {
      input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: itemId, locationId, quantity: 9, changeFromQuantity: null }] },
    });
    expect(JSON.stringify(r.body.errors)).toContain('@idempotent directive is required');
    expect(sim.quantities(SHOP, 'MUG-1')!.available).toBe(5);
  });

  it('same key + same input → the same answer, applied once (even after stock moved in between)', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const q = [{ inventoryItemId: itemId, locationId, quantity: 12, changeFromQuantity: 5 }];
    const first = await setStock('same-key', q);
    sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 1 }] }); // available 12 → 11
    const replay = await setStock('same-key', q);
    expect(replay).toEqual(first);
    expect(sim.quantities(SHOP, 'MUG-1')).toMatchObject({ available: 11, committed: 1 });
  });

  it('same key + different input → IDEMPOTENCY_KEY_PARAMETER_MISMATCH, nothing applied', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    await setStock('k', [{ inventoryItemId: itemId, locationId, quantity: 12, changeFromQuantity: 5 }]);
    const p = await setStock('k', [{ inventoryItemId: itemId, locationId, quantity: 20, changeFromQuantity: 12 }]);
    expect(p.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_PARAMETER_MISMATCH']);
    expect(sim.quantities(SHOP, 'MUG-1')!.available).toBe(12);
  });

  it('a key whose attempt failed → IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED on replay; a new key works', async () => {
    const { itemId, locationId } = idsOf(sim, 'MUG-1');
    const stale = [{ inventoryItemId: itemId, locationId, quantity: 12, changeFromQuantity: 99 }];
    expect((await setStock('k', stale)).userErrors.map((e) => e.code)).toEqual(['CHANGE_FROM_QUANTITY_STALE']);
    expect((await setStock('k', stale)).userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED']);
    expect((await setStock('k2', [{ ...stale[0], changeFromQuantity: 5 }])).userErrors).toEqual([]);
  });
});
