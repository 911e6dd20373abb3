// StorefrontPort (Shopify adapter) against the Shopify simulator: each operation's result, and the
// refusals a caller must be able to act on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyPlatform, type ShopifyPlatform } from '../../../server/adapters/shopify/platform.js';
import { installByTokenExchange } from '../../../server/http/auth/token-exchange-bootstrap.js';
import { StorefrontRejected } from '../../../server/core/shops/storefront-errors.js';
import type { StorefrontPort } from '../../../server/core/ports.js';
import { parseConfig } from '../../../server/config.js';
import { startShopifySimulator, type ShopifySimulator } from '../../sim/shopify/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { silentLog } from './job-helpers.js';

const SHOP = 'store-port.myshopify.com';

describe('Shopify StorefrontPort adapter', () => {
  let db: TestDatabase;
  let sim: ShopifySimulator;
  let platform: ShopifyPlatform;
  let port: StorefrontPort;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startShopifySimulator({
      shops: [
        {
          shop: SHOP,
          locations: [{ name: 'Warehouse' }, { name: 'Shop floor' }],
          products: [
            { title: 'Teapot', variants: [{ sku: 'TEA-1', stock: { Warehouse: 5 } }, { sku: 'TEA-10', stock: { Warehouse: 1 } }] },
            { title: 'Cup', variants: [{ sku: 'CUP 2', stock: { Warehouse: 3 } }] },
          ],
        },
      ],
    });
    const config = parseConfig({ SHOPIFY_API_KEY: sim.apiKey, SHOPIFY_API_SECRET: sim.apiSecret, SHOPIFY_ADMIN_BASE_URL: sim.url });
    platform = createShopifyPlatform({ config, prisma: db.prisma, log: silentLog });
    await installByTokenExchange({ shopify: platform.shopify, sessions: platform.sessions, prisma: db.prisma, log: silentLog }, SHOP, sim.sessionToken(SHOP));
    port = platform.storefront(SHOP);
  });
  afterAll(async () => {
    await sim?.close();
    await db?.drop();
  });

  it('findVariantsBySku keeps exact matches only (TEA-1 does not return TEA-10), SKUs with spaces work', async () => {
    const tea = await port.findVariantsBySku('TEA-1');
    expect(tea.map((v) => v.sku)).toEqual(['TEA-1']);
    expect(tea[0]).toMatchObject({ productTitle: 'Teapot', tracked: true });
    expect((await port.findVariantsBySku('CUP 2')).map((v) => v.sku)).toEqual(['CUP 2']);
    expect(await port.findVariantsBySku('NOPE')).toEqual([]);
  });

  it('listLocations and readStock give the simulator\'s quantities', async () => {
    const locations = await port.listLocations();
    expect(locations.map((l) => l.name)).toEqual(['Warehouse', 'Shop floor']);
    const [tea] = await port.findVariantsBySku('TEA-1');
    const levels = await port.readStock(locations[0]!.id, [tea!.inventoryItemId]);
    expect(levels).toEqual([{ inventoryItemId: tea!.inventoryItemId, sku: 'TEA-1', available: 5, onHand: 5 }]);
    expect(await port.readStock(locations[1]!.id, [tea!.inventoryItemId])).toEqual([]); // not stocked there
  });

  it('setAvailableStock with the right expected value sets it; a stale expected value is refused with CHANGE_FROM_QUANTITY_STALE', async () => {
    const [warehouse] = await port.listLocations();
    const [tea] = await port.findVariantsBySku('TEA-1');
    await port.setAvailableStock({ locationId: warehouse!.id, items: [{ inventoryItemId: tea!.inventoryItemId, quantity: 9, expected: 5 }], idempotencyKey: 'set-1' });
    expect(sim.quantities(SHOP, 'TEA-1', 'Warehouse')).toMatchObject({ available: 9 });
    const err = await port
      .setAvailableStock({ locationId: warehouse!.id, items: [{ inventoryItemId: tea!.inventoryItemId, quantity: 2, expected: 5 }], idempotencyKey: 'set-2' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorefrontRejected);
    expect((err as StorefrontRejected).has('CHANGE_FROM_QUANTITY_STALE')).toBe(true);
    expect(sim.quantities(SHOP, 'TEA-1', 'Warehouse')).toMatchObject({ available: 9 });
  });

  it('getOrder returns lines and fulfilment units with the recipient; createFulfillment ships them; getReturn reads the return', async () => {
    const created = sim.addOrder(SHOP, {
      lines: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'CUP 2', quantity: 1 }],
      email: 'alice@example.com',
      shippingAddress: { firstName: 'Alice', lastName: 'Liddell', address1: '1 Rabbit Hole', city: 'Oxford', zip: 'OX1', countryCode: 'GB' },
    });
    const order = await port.getOrder(created.id);
    expect(order).toMatchObject({ id: created.id, name: created.name, cancelledAt: null });
    expect(order!.lines.map((l) => [l.sku, l.quantity, l.unfulfilled])).toEqual([['TEA-1', 2, 2], ['CUP 2', 1, 1]]);
    const unit = order!.fulfillmentUnits[0]!;
    expect(unit.recipient).toMatchObject({ name: 'Alice Liddell', city: 'Oxford', country: 'GB' });
    expect(unit.lines.map((l) => [l.sku, l.remaining])).toEqual([['TEA-1', 2], ['CUP 2', 1]]);

    const { fulfillmentId } = await port.createFulfillment({ fulfillmentUnitId: unit.id, tracking: { company: 'DHL Express', number: '123' }, notifyCustomer: true });
    expect(sim.fulfillments(SHOP).map((f) => [f.id, f.trackingInfo])).toEqual([[fulfillmentId, [{ company: 'DHL Express', number: '123', url: null }]]]);
    const after = await port.getOrder(created.id);
    expect(after!.lines.every((l) => l.unfulfilled === 0)).toBe(true);

    const returnId = sim.createReturn(SHOP, created.id, [{ sku: 'TEA-1', quantity: 1 }]);
    const ret = await port.getReturn(returnId);
    expect(ret).toMatchObject({ id: returnId, orderId: created.id, lines: [{ sku: 'TEA-1', quantity: 1 }] });
  });

  it('an unknown order or return is null, not an error', async () => {
    expect(await port.getOrder('gid://shopify/Order/999999999')).toBeNull();
    expect(await port.getReturn('gid://shopify/Return/999999999')).toBeNull();
  });

  it('the simulator saw no field it does not implement', () => {
    expect(sim.unsupportedFields()).toEqual([]);
  });
});
