// Shop settings (the shop row's `settings` JSON, shared with the orders feature's keys) and the per-shop
// warehouse connection row. Every call is scoped by the shop domain.
import type { Prisma, PrismaClient } from '@prisma/client';

type Db = PrismaClient | Prisma.TransactionClient;

export async function readShopSettingsJson(db: Db, shop: string): Promise<Record<string, unknown>> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  return (row?.settings ?? {}) as Record<string, unknown>;
}

/** Merges keys into the JSON (other features' keys are kept) in one statement, so concurrent saves don't lose keys. */
export async function mergeShopSettingsJson(db: Db, shop: string, patch: Record<string, unknown>): Promise<void> {
  await db.$executeRaw`
    INSERT INTO shop (domain, settings, updated_at) VALUES (${shop}, ${JSON.stringify(patch)}::jsonb, now())
    ON CONFLICT (domain) DO UPDATE SET settings = shop.settings || EXCLUDED.settings, updated_at = now()`;
}

export interface WarehouseConnectionRow {
  shop: string;
  baseUrl: string;
  tokenEnc: string;
  tokenHint: string;
  operator: number;
  updatedAt: Date;
}

export function findWarehouseConnection(db: Db, shop: string): Promise<WarehouseConnectionRow | null> {
  return db.warehouseConnection.findUnique({ where: { shop } });
}

export async function upsertWarehouseConnection(db: Db, row: Omit<WarehouseConnectionRow, 'updatedAt'>): Promise<void> {
  const { shop, ...data } = row;
  await db.warehouseConnection.upsert({ where: { shop }, create: row, update: data });
}
