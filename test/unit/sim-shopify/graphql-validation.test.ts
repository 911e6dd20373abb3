// The simulator rejects what Shopify 2026-04 rejects (validated against the real schema), answers like
// Shopify (HTTP 200 + errors), and fails loudly on valid fields it does not simulate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, firstCode, gql, startSeeded } from './sim-helpers.js';

let sim: ShopifySimulator;
let token: string;
beforeAll(async () => ({ sim, token } = await startSeeded()));
afterAll(async () => sim.close());

describe('Admin GraphQL validation', () => {
  it('unknown field → HTTP 200 with a Shopify-shaped undefinedField error, nothing executed', async () => {
    const r = await gql(sim, token, '{ shop { nmae } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([
      { message: "Field 'nmae' doesn't exist on type 'Shop'", locations: [{ line: 1, column: 10 }], extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'nmae' } },
    ]);
  });

  it('unknown argument and missing required argument use graphql-ruby wording and codes', async () => {
    const r = await gql(sim, token, '{ productVariants(frist: 5) { nodes { id } } order { id } }');
    const errors = r.body.errors as { message: string; extensions: { code: string } }[];
    expect(errors.map((e) => e.extensions.code).sort()).toEqual(['argumentNotAccepted', 'missingRequiredArguments']);
    expect(errors.map((e) => e.message)).toContain("Field 'productVariants' doesn't accept argument 'frist'");
    expect(errors.map((e) => e.message)).toContain("Field 'order' is missing required arguments: id");
  });

  it('compareQuantity (removed in 2026-04) is rejected by the schema', async () => {
    const r = await gql(
      sim,
      token,
      `mutation { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: [{inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 1, compareQuantity: 1}]}) @idempotent(key: "a") { userErrors { code } } }`,
    );
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.errors)).toContain('compareQuantity');
    expect(r.body.data).toBeUndefined();
  });

  it('syntax error → 200 with a parse error', async () => {
    const r = await gql(sim, token, '{ shop { name }');
    expect(r.status).toBe(200);
    expect((r.body.errors as { message: string }[])[0]!.message).toMatch(/^syntax error/);
  });

  it('invalid variable value → INVALID_VARIABLE', async () => {
    const r = await gql(sim, token, 'query($id: ID!) { order(id: $id) { id } }', { id: null });
    expect(firstCode(r)).toBe('INVALID_VARIABLE');
  });

  it('a malformed JSON body → 400 with a JSON error', async () => {
    const res = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-shop': SHOP, 'x-shopify-access-token': token },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: string }).errors).toBeTruthy();
  });

  it('a valid field the simulator does not implement fails loudly and is listed', async () => {
    const r = await gql(sim, token, '{ shop { name billingAddress { city } } }');
    expect(r.status).toBe(200);
    const err = (r.body.errors as { message: string; extensions: { code: string } }[])[0]!;
    expect(err.extensions.code).toBe('SIMULATOR_UNSUPPORTED_FIELD');
    expect(err.message).toContain('Shop.billingAddress');
    expect(sim.unsupportedFields()).toContain('Shop.billingAddress');
  });

  it('an unsupported search key fails loudly instead of being ignored', async () => {
    const r = await gql(sim, token, '{ orders(first: 5, query: "tag:wms") { nodes { id } } }');
    expect(firstCode(r)).toBe('SIMULATOR_UNSUPPORTED_QUERY');
  });
});

describe('Admin GraphQL auth', () => {
  it('no token, unknown token, or a token of another shop → 401 like Shopify', async () => {
    const other = sim.tokens.issue('other-shop').access_token;
    for (const t of [null, 'shpat_nope', other]) {
      const r = await gql(sim, t, '{ shop { name } }');
      expect(r.status).toBe(401);
      expect(r.body.errors).toBe('[API] Invalid API key or access token (unrecognized login or wrong password)');
    }
  });

  it('an expiring token stops working after its lifetime', async () => {
    const t = sim.tokens.issue(SHOP, { expiring: true, ttlSeconds: 60 }).access_token;
    expect((await gql(sim, t, '{ shop { name } }')).status).toBe(200);
    sim.clock.advance(61_000);
    expect((await gql(sim, t, '{ shop { name } }')).status).toBe(401);
  });

  it('a field outside the token scopes → ACCESS_DENIED naming the scope', async () => {
    sim.tokens.setScopes(['read_products']);
    const t = sim.tokens.issue(SHOP).access_token;
    const r = await gql(sim, t, '{ orders(first: 1) { nodes { id } } }');
    const err = (r.body.errors as { message: string; extensions: { code: string; requiredAccess: string } }[])[0]!;
    expect(err.extensions.code).toBe('ACCESS_DENIED');
    expect(err.extensions.requiredAccess).toContain('`read_orders` access scope');
    expect((await gql(sim, t, '{ productVariants(first: 1) { nodes { sku } } }')).body.errors).toBeUndefined();
  });

  it('an unsimulated API version → 404 naming the supported one', async () => {
    const res = await fetch(`${sim.url}/admin/api/2025-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-shop': SHOP, 'x-shopify-access-token': token },
      body: JSON.stringify({ query: '{ shop { name } }' }),
    });
    expect(res.status).toBe(404);
  });

  it('the shop can come from the /s/<shop> path prefix instead of a header', async () => {
    const res = await fetch(sim.graphqlUrl(SHOP), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({ query: '{ shop { myshopifyDomain } }' }),
    });
    expect(((await res.json()) as { data: { shop: { myshopifyDomain: string } } }).data.shop.myshopifyDomain).toBe(SHOP);
  });
});
