// Cost-based throttling like Shopify (HTTP 200 + THROTTLED, extensions.cost.throttleStatus), the leaky bucket
// refilling with the (frozen, advanced-by-hand) simulator clock, and forced 429/5xx answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { firstCode, gql, startSeeded } from './sim-helpers.js';

let sim: ShopifySimulator;
let token: string;
beforeEach(async () => ({ sim, token } = await startSeeded({ throttle: { maximumAvailable: 100, restoreRate: 10 } })));
afterEach(async () => sim.close());

// requested: connection 2 + 10 × (node 1 + inventoryItem 1) = 22; the seeded shop has 3 variants, so
// actual: 2 + 3 nodes + 3 inventoryItems = 8.
const Q = '{ productVariants(first: 10) { nodes { sku inventoryItem { id } } } }';

describe('cost throttling', () => {
  it('every answer carries extensions.cost; the bucket is charged the actual cost, not the requested one', async () => {
    const r = await gql(sim, token, Q);
    expect(r.body.extensions!.cost).toEqual({
      requestedQueryCost: 22,
      actualQueryCost: 8,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 92, restoreRate: 10 },
    });
  });

  it('an empty bucket → HTTP 200 with THROTTLED, no data; it refills at restoreRate per second', async () => {
    sim.throttle.setAvailable('acme', 12);
    const r = await gql(sim, token, Q);
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
    expect(r.body.extensions!.cost).toEqual({
      requestedQueryCost: 22,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 12, restoreRate: 10 },
    });
    sim.clock.advance(1_000); // +10 → 22
    expect((await gql(sim, token, Q)).body.errors).toBeUndefined();
  });

  it('forceThrottled(n) throttles exactly the next n calls', async () => {
    sim.throttle.forceThrottled(2);
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const r = await gql(sim, token, Q);
      codes.push(Array.isArray(r.body.errors) ? r.body.errors[0]!.extensions!.code : 'ok');
    }
    expect(codes).toEqual(['THROTTLED', 'THROTTLED', 'ok']);
  });

  it('a query above the single-query maximum → MAX_COST_EXCEEDED', async () => {
    sim.throttle.configure({ maxQueryCost: 50 });
    const r = await gql(sim, token, '{ productVariants(first: 100) { nodes { sku } } }');
    expect(firstCode(r)).toBe('MAX_COST_EXCEEDED');
  });

  it('mutations cost 10 each', async () => {
    const r = await gql(sim, token, 'mutation($i: ID!, $l: ID!) { inventoryActivate(inventoryItemId: $i, locationId: $l) { userErrors { message } } }', { i: 'gid://shopify/InventoryItem/1', l: 'gid://shopify/Location/1' });
    expect(r.body.extensions!.cost.requestedQueryCost).toBe(10);
  });
});

describe('forced HTTP faults', () => {
  it('failNext(2, 429, retryAfter) then 503 once, then normal answers', async () => {
    sim.faults.failNext(2, 429, 2);
    sim.faults.failNext(1, 503);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await gql(sim, token, Q);
      seen.push(`${r.status}${r.headers.get('retry-after') ? `/${r.headers.get('retry-after')}` : ''}`);
    }
    expect(seen).toEqual(['429/2', '429/2', '503', '200']);
    expect(sim.calls.filter((c) => c.path.endsWith('graphql.json')).map((c) => c.status)).toEqual([429, 429, 503, 200]);
  });
});
