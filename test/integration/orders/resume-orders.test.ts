// resumeHeldOrders against a real database: which orders are re-enqueued, with which ordering key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { resumeHeldOrders } from '../../../server/core/orders/resume-orders-use-case.js';

const SHOP = 'resume.myshopify.com';

describe('resumeHeldOrders', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it("re-enqueues order.sync for the shop's held and failed orders only (ordering key per order), not other shops'", async () => {
    const states = ['needs_address', 'needs_mapping', 'failed', 'in_warehouse', 'fulfilled'];
    for (const [i, state] of states.entries()) await db.prisma.orderSync.create({ data: { shop: SHOP, orderId: `gid://shopify/Order/${i + 1}`, state } });
    await db.prisma.orderSync.create({ data: { shop: 'other.myshopify.com', orderId: 'gid://shopify/Order/99', state: 'needs_address' } });
    const r = await resumeHeldOrders(db.prisma, SHOP);
    expect(r.resumed).toBe(3);
    const jobs = await db.prisma.job.findMany({ where: { type: 'order.sync' }, orderBy: { id: 'asc' } });
    expect(jobs.map((j) => [j.shop, (j.payload as { orderId: string }).orderId, j.orderingKey])).toEqual([
      [SHOP, 'gid://shopify/Order/1', `order:${SHOP}:1`],
      [SHOP, 'gid://shopify/Order/2', `order:${SHOP}:2`],
      [SHOP, 'gid://shopify/Order/3', `order:${SHOP}:3`],
    ]);
  });
});
