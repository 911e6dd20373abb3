// The GreaterWMS warehouse of a shop: the connection saved in the admin (token decrypted), else the env
// GREATERWMS_* one. Clients are cached per connection (URL + operator + token), so a changed setting takes
// effect on the next call without a restart and unchanged ones keep their lookup caches.
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { Logger } from 'pino';
import { PermanentError } from '../../core/errors.js';
import { resolveWarehouseConnection, type SettingsEnv } from '../../core/settings/settings-use-case.js';
import { createGreaterWmsWarehouse, type GreaterWmsConnection, type GreaterWmsWarehouse } from './index.js';

export interface WarehouseForShopDeps {
  prisma: PrismaClient;
  config: SettingsEnv & { GREATERWMS_TIMEOUT_MS: number };
  pool?: pg.Pool;
  log?: Logger;
}

export type WarehouseForShop = (shop: string) => Promise<GreaterWmsWarehouse>;

export function connectGreaterWms(conn: GreaterWmsConnection, deps: Pick<WarehouseForShopDeps, 'config' | 'pool' | 'log'>): GreaterWmsWarehouse {
  return createGreaterWmsWarehouse(conn, { timeoutMs: deps.config.GREATERWMS_TIMEOUT_MS, pool: deps.pool, logger: deps.log });
}

export function warehouseForShop(deps: WarehouseForShopDeps): WarehouseForShop {
  const cache = new Map<string, GreaterWmsWarehouse>();
  return async (shop) => {
    const conn = await resolveWarehouseConnection(deps.prisma, deps.config, shop);
    if (!conn) throw new PermanentError('wms.not_configured', 'GreaterWMS is not configured for this shop (Settings)');
    const key = JSON.stringify([conn.baseUrl, conn.operator, conn.token]);
    let w = cache.get(key);
    if (!w) {
      w = connectGreaterWms(conn, deps);
      cache.set(key, w);
    }
    return w;
  };
}
