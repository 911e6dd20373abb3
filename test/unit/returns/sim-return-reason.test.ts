// The Shopify simulator's ReturnLineItem.returnReasonDefinition (added for the returns feature): the app's
// RETURN_SYNC_QUERY runs against it and gets the given handle, or the deprecated enum as a handle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopifySimulator } from '../../sim/shopify/index.js';
import { SHOP, errorList, gql, startSeeded } from '../sim-shopify/sim-helpers.js';
import { RETURN_SYNC_QUERY } from '../../../server/adapters/shopify/graphql/returns-sync.js';

const SHIP = `mutation Ship($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }`;

let sim: ShopifySimulator;
let token: string;
beforeEach(async () => {
  ({ sim, token } = await startSeeded());
});
afterEach(async () => sim.close());

describe('simulator: return reason definitions', () => {
  it('RETURN_SYNC_QUERY reads each line with its reason handle (given handle, or the enum as a handle), order line and variant', async () => {
    const o = sim.addOrder(SHOP, { lines: [{ sku: 'MUG-1', quantity: 2 }, { sku: 'TEE-S', quantity: 1 }] });
    const shipped = await gql(sim, token, SHIP, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: o.fulfillmentOrders[0]!.id }] } });
    expect(errorList(shipped)).toEqual([]);
    const rid = sim.createReturn(SHOP, o.id, [
      { sku: 'MUG-1', quantity: 1, reason: 'SIZE_TOO_SMALL' },
      { sku: 'TEE-S', quantity: 1, reasonHandle: 'arrived-late' },
    ]);
    const r = await gql(sim, token, RETURN_SYNC_QUERY, { id: rid });
    expect(errorList(r)).toEqual([]);
    const ret = (r.body.data as { return: { returnLineItems: { pageInfo: unknown; nodes: { quantity: number; returnReasonDefinition: { handle: string }; fulfillmentLineItem: { lineItem: { id: string; sku: string; variant: { id: string } } } }[] } } }).return;
    expect(ret.returnLineItems.pageInfo).toEqual({ hasNextPage: false });
    expect(ret.returnLineItems.nodes.map((n) => [n.fulfillmentLineItem.lineItem.sku, n.returnReasonDefinition.handle, n.quantity])).toEqual([
      ['MUG-1', 'size-too-small', 1],
      ['TEE-S', 'arrived-late', 1],
    ]);
    for (const n of ret.returnLineItems.nodes) {
      expect(n.fulfillmentLineItem.lineItem.id).toMatch(/^gid:\/\/shopify\/LineItem\/\d+$/);
      expect(n.fulfillmentLineItem.lineItem.variant.id).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    }
  });
});
