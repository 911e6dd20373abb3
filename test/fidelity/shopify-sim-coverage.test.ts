// The Shopify simulator implements every field the app's documents select, so app tests against it never hit
// SIMULATOR_UNSUPPORTED_FIELD at run time. A failure names the "Type.field" to add to
// test/sim/shopify/resolvers.ts.
import { describe, expect, it } from 'vitest';
import { collectAppDocuments } from '../sim/shopify/app-documents.js';
import { simulatedValueProblems, unsimulatedSelections } from '../sim/shopify/coverage.js';

const docs = await collectAppDocuments();

describe('simulator coverage of the app documents', () => {
  it.each(docs.map((d) => [d.name, d.text] as const))('%s: every selected field is simulated', (_name, text) => {
    expect(unsimulatedSelections(text)).toEqual([]);
  });

  it('every value the simulator answers fits the schema (non-null, enum values, scalars)', () => {
    expect(simulatedValueProblems()).toEqual([]);
  });

  it('a field the simulator lacks is named (the check can fail)', () => {
    expect(unsimulatedSelections('{ shop { name billingAddress { city } } }')).toEqual(['Shop.billingAddress', 'ShopAddress.city']);
  });

  it('fields reached through connections, nodes(), payloads and inline fragments are seen', () => {
    expect(
      unsimulatedSelections(`{ nodes(ids: ["x"]) { ... on InventoryItem { inventoryLevel(locationId: "y") { quantities(names: ["available"]) { name quantity } } } }
        orders(first: 1) { nodes { fulfillmentOrders(first: 1) { nodes { lineItems(first: 1) { nodes { remainingQuantity } } } } } pageInfo { endCursor } } }`),
    ).toEqual([]);
  });
});
