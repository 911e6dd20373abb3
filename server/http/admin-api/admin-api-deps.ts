// Builds the admin API's warehouse-facing deps from the config: the shop's GreaterWMS (saved connection, else
// env) for goods lookups, and a connection test against the form's values.
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { greaterWmsGoodsDirectory } from '../../adapters/greaterwms/goods-directory-adapter.js';
import { connectGreaterWms, warehouseForShop, type WarehouseForShop } from '../../adapters/greaterwms/warehouse-for-shop.js';
import type { AdminApiDeps } from './admin-api-route.js';

export function adminApiDeps(d: { prisma: PrismaClient; pool?: pg.Pool; log: Logger; config: Config; warehouseFor?: WarehouseForShop }): AdminApiDeps {
  const warehouseFor = d.warehouseFor ?? warehouseForShop({ prisma: d.prisma, config: d.config, pool: d.pool, log: d.log });
  return {
    prisma: d.prisma,
    log: d.log,
    config: d.config,
    goodsFor: async (shop) => greaterWmsGoodsDirectory((await warehouseFor(shop)).client),
    // A fresh client per test (no cached lookups), never the shared lock's queue: a read-only check.
    testConnection: (conn) => connectGreaterWms(conn, { config: d.config, log: d.log }).testConnection(),
  };
}
