// Shared setup for the simulator's own tests: a shop with two locations and three SKUs, a token, a gql() call.
import { startShopifySimulator, type ShopifySimulator, type ShopifySimulatorOptions } from '../../sim/shopify/index.js';

export const SHOP = 'acme.myshopify.com';
export const T0 = Date.parse('2026-06-01T10:00:00Z');

export interface GqlResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown>; locations?: unknown; path?: unknown }[] | string;
    extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
  };
}

export async function startSeeded(opts: ShopifySimulatorOptions = {}): Promise<{ sim: ShopifySimulator; token: string }> {
  const sim = await startShopifySimulator({
    startTime: T0,
    shops: [
      {
        shop: SHOP,
        locations: [{ name: 'Main warehouse' }, { name: 'Overflow' }],
        products: [
          { title: 'Coffee mug', variants: [{ sku: 'MUG-1', stock: { 'Main warehouse': 5 } }] },
          {
            title: 'T-shirt',
            variants: [
              { sku: 'TEE-S', title: 'S', stock: { 'Main warehouse': 3 } },
              { sku: 'TEE-SX', title: 'SX', stock: { 'Main warehouse': 1 } },
            ],
          },
        ],
      },
    ],
    ...opts,
  });
  const token = sim.tokens.issue(SHOP).access_token;
  return { sim, token };
}

export async function gql(sim: ShopifySimulator, token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse> {
  const res = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sim-shop': SHOP, ...(token ? { 'x-shopify-access-token': token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse['body'] };
}

/** Ids of a seeded SKU: inventory item and the first location. */
export function idsOf(sim: ShopifySimulator, sku: string): { itemId: string; locationId: string; overflowId: string } {
  const snap = sim.snapshot(SHOP);
  const v = snap.variants.find((x) => x.sku === sku)!;
  return { itemId: v.inventoryItemId, locationId: snap.locations[0]!.id, overflowId: snap.locations[1]!.id };
}

/** The GraphQL errors of an answer (Shopify sends a string instead for 401/404/5xx). */
export function errorList(r: GqlResponse): { message: string; extensions?: Record<string, unknown> }[] {
  return Array.isArray(r.body.errors) ? r.body.errors : [];
}

export function firstCode(r: GqlResponse): unknown {
  return errorList(r)[0]?.extensions?.code;
}
