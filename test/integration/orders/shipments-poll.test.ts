// pollShipments against a real database with a scripted warehouse: a DN that vanished → cancelled_in_warehouse
// with an error alert; one that vanished after a cancel request → cancelled_in_warehouse with an info alert;
// the bulk read is one call for all orders in progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { pollShipments } from '../../../server/core/shipments/shipments-poll-use-case.js';
import { auditor } from '../../../server/core/orders/audit.js';
import type { OutboundOrderRef, OutboundReadQuery, WarehousePort } from '../../../server/core/ports.js';

const log = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const SHOP = 'poll.myshopify.com';

describe('shipments.poll with a scripted warehouse', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('DN gone in the warehouse → cancelled_in_warehouse + alert (error; info when a cancel was requested); one bulk read', async () => {
    const ref = (n: number): OutboundOrderRef => ({ orderId: `gid://shopify/Order/${n}`, code: `SHOP-${n}`, warehouseId: n, recipientKey: `c${n}`, createdAt: '2026-12-04 10:00:00' });
    for (const [n, state] of [[1, 'in_warehouse'], [2, 'cancel_requested_in_warehouse']] as const) {
      await db.prisma.orderSync.create({ data: { shop: SHOP, orderId: ref(n).orderId, orderName: `#${n}`, state, dnCode: ref(n).code, dnRef: ref(n) as never } });
    }
    const reads: OutboundReadQuery[] = [];
    const warehouse = {
      readOutboundOrders: async (q: OutboundReadQuery) => {
        reads.push(q);
        return { orders: q.refs.map((r) => ({ ref: r, main: null, backOrders: [] })), unlinkedBackOrders: [], nextCursor: null };
      },
    } as unknown as WarehousePort;
    const r = await pollShipments({ prisma: db.prisma, warehouse, tracking: null, audit: auditor(db.prisma, SHOP), now: () => new Date(), log }, SHOP);
    expect(r).toMatchObject({ polled: 2, vanished: 2, newShipments: 0 });
    expect(reads).toHaveLength(1);
    const rows = await db.prisma.orderSync.findMany({ where: { shop: SHOP }, orderBy: { id: 'asc' } });
    expect(rows.map((x) => [x.state, x.pollDone])).toEqual([['cancelled_in_warehouse', true], ['cancelled_in_warehouse', true]]);
    const alerts = await db.prisma.alert.findMany({ where: { shop: SHOP, kind: 'order.cancelled_in_warehouse' }, orderBy: { id: 'asc' } });
    expect(alerts.map((a) => [a.subjectRef, a.severity])).toEqual([[`order:${ref(1).orderId}`, 'error'], [`order:${ref(2).orderId}`, 'info']]);
    // Nothing left to poll: no second read.
    await pollShipments({ prisma: db.prisma, warehouse, tracking: null, audit: auditor(db.prisma, SHOP), now: () => new Date(), log }, SHOP);
    expect(reads).toHaveLength(1);
  });
  it("a shop's slower poll interval (settings shipmentPollMinutes = 5) skips scheduler ticks until 5 minutes passed", async () => {
    const shop = 'slow-poll.myshopify.com';
    await db.prisma.shop.create({ data: { domain: shop, settings: { shipmentPollMinutes: 5 } } });
    const ref: OutboundOrderRef = { orderId: 'gid://shopify/Order/9', code: 'SHOP-9', warehouseId: 9, recipientKey: 'c9', createdAt: '2026-12-04 10:00:00' };
    await db.prisma.orderSync.create({ data: { shop, orderId: ref.orderId, state: 'in_warehouse', dnCode: ref.code, dnRef: ref as never } });
    let reads = 0;
    const warehouse = {
      readOutboundOrders: async (q: OutboundReadQuery) => {
        reads++;
        const main = { code: ref.code, warehouseId: 9, state: 'confirmed', isBackOrder: false, updatedAt: '2026-12-04 10:00:00', lines: [] };
        return { orders: q.refs.map((r) => ({ ref: r, main, backOrders: [] })), unlinkedBackOrders: [], nextCursor: null };
      },
    } as unknown as WarehousePort;
    let now = Date.now();
    const deps = () => ({ prisma: db.prisma, warehouse, tracking: null, audit: auditor(db.prisma, shop, () => new Date(now)), now: () => new Date(now), log });
    await pollShipments(deps(), shop);
    now += 2 * 60_000;
    await pollShipments(deps(), shop);
    expect(reads).toBe(1);
    now += 3 * 60_000;
    await pollShipments(deps(), shop);
    expect(reads).toBe(2);
    expect((await db.prisma.orderSync.findFirstOrThrow({ where: { shop } })).dnState).toBe('confirmed');
  });
});
