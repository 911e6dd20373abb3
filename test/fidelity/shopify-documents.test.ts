// Fidelity gate (issue 10): every GraphQL document the app can send is valid against Shopify's published
// Admin 2026-04 schema (@shopify/dev-mcp), including the 2026-04 @idempotent rule. Documents are found by
// convention in server/adapters/shopify/graphql/ (exported /* GraphQL */ constants or .graphql files).
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_COST, breakDocument, collectAppDocuments, documentCost, validateAppDocument } from '../sim/shopify/app-documents.js';

const docs = await collectAppDocuments();

describe('Shopify documents against the 2026-04 schema', () => {
  it('finds the app documents in server/adapters/shopify/graphql (an empty folder is a broken gate)', () => {
    expect(docs.map((d) => d.name).length).toBeGreaterThan(0);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s is valid', (_name, text) => {
    expect(validateAppDocument(text)).toEqual([]);
  });

  // Shopify refuses a query whose requested cost exceeds 1000 (MAX_COST_EXCEEDED); nested connections multiply.
  it.each(docs.map((d) => [d.name, d.text] as const))('%s stays under the single-query cost limit with page sizes at 250', async (_name, text) => {
    expect(await documentCost(text)).toBeLessThanOrEqual(MAX_QUERY_COST);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s with an unknown field added is rejected', (_name, text) => {
    const problems = validateAppDocument(breakDocument(text));
    expect(problems.some((p) => p.includes('simulatorGateProbeUnknownField'))).toBe(true);
  });
});

describe('the gate itself', () => {
  const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code field message } }
  }`;

  it('accepts a correct inventorySetQuantities with @idempotent', () => {
    expect(validateAppDocument(SET)).toEqual([]);
  });

  it('rejects inventorySetQuantities without @idempotent (2026-04 runtime rule the schema cannot express)', () => {
    const stripped = SET.replace('@idempotent(key: $key)', '').replace(', $key: String!', '');
    expect(validateAppDocument(stripped)).toEqual(['inventorySetQuantities needs @idempotent(key: …) in API version 2026-04']);
  });

  it('rejects compareQuantity, removed from InventoryQuantityInput in 2026-04', () => {
    const doc = `mutation { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: [
      {inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 1, compareQuantity: 0}
    ]}) @idempotent(key: "k") { userErrors { code } } }`;
    expect(validateAppDocument(doc).join('\n')).toMatch(/compareQuantity/);
  });

  it('nested connections multiply: orders(first: 50) × lineItems(first: 250) is over the cost limit', async () => {
    expect(await documentCost('{ orders(first: 50) { nodes { lineItems(first: 250) { nodes { sku } } } } }')).toBeGreaterThan(MAX_QUERY_COST);
    expect(await documentCost('{ orders(first: 50) { nodes { id } pageInfo { hasNextPage } } }')).toBe(52);
  });

  it('rejects a syntax error', () => {
    expect(validateAppDocument('query { shop { name }')[0]).toMatch(/^syntax:/);
  });
});
