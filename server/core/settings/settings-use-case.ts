// Per-shop settings edited in the admin: the GreaterWMS connection (token encrypted at rest, only a hint
// returned), order trigger, polling intervals, default stock buffer, notify-customer switch.
// The env GREATERWMS_* connection stays the fallback for shops that have not saved their own.
import type { PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { decryptSecret, encryptSecret, secretHint } from './secret-box.js';
import { findWarehouseConnection, mergeShopSettingsJson, readShopSettingsJson, upsertWarehouseConnection } from './settings-repo.js';

export interface WarehouseConnectionValue {
  baseUrl: string;
  token: string;
  operator: number;
}

/** The env fallback (config GREATERWMS_*) and the key that protects stored tokens. */
export interface SettingsEnv {
  GREATERWMS_URL?: string;
  GREATERWMS_TOKEN?: string;
  GREATERWMS_OPERATOR?: number;
  ENCRYPTION_KEY?: string;
  ORDER_TRIGGER?: 'created' | 'paid';
  SHIPMENT_POLL_INTERVAL_MS?: number;
  STOCK_DEFAULT_BUFFER?: number;
  STOCK_FULL_INTERVAL_MS?: number;
}

// Minutes in the UI: polling more often than once a minute buys nothing for a small shop and costs calls;
// once a day (1440) is the slowest that still makes sense.
export const settingsInput = z.object({
  warehouseUrl: z.string().trim().url('Enter the full address, e.g. http://wms.local:8008'),
  /** Empty or absent: keep the stored token. */
  warehouseToken: z.string().trim().max(500).optional(),
  warehouseOperator: z.coerce.number({ message: 'Enter the staff id' }).int('Whole number').positive('Staff ids start at 1'),
  orderTrigger: z.enum(['created', 'paid'], { message: 'Choose when orders go to the warehouse' }),
  shipmentPollMinutes: z.coerce.number().int('Whole minutes').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes (a day)'),
  stockPollMinutes: z.coerce.number().int('Whole minutes').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes (a day)'),
  defaultBuffer: z.coerce.number().int('Whole units').min(0, 'Cannot be negative').max(100_000, 'At most 100,000'),
  /** Percent of a variant's sellable units held back when that is more than defaultBuffer; absent: unchanged. */
  defaultBufferPercent: z.coerce.number({ message: 'Enter a percentage' }).min(0, 'Cannot be negative').max(100, 'At most 100').optional(),
  notifyCustomer: z.boolean(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export interface SettingsView {
  warehouseUrl: string;
  warehouseOperator: number | null;
  /** "••••abcd" or null when no token is known. Never the token. */
  warehouseTokenHint: string | null;
  /** Where the connection comes from: saved for this shop, the server's environment, or nowhere. */
  connectionSource: 'shop' | 'env' | 'none';
  orderTrigger: 'created' | 'paid';
  shipmentPollMinutes: number;
  stockPollMinutes: number;
  defaultBuffer: number;
  defaultBufferPercent: number;
  notifyCustomer: boolean;
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export async function getSettings(db: PrismaClient, env: SettingsEnv, shop: string): Promise<SettingsView> {
  const [s, conn] = await Promise.all([readShopSettingsJson(db, shop), findWarehouseConnection(db, shop)]);
  const envConn = env.GREATERWMS_URL && env.GREATERWMS_TOKEN && env.GREATERWMS_OPERATOR;
  return {
    warehouseUrl: conn?.baseUrl ?? env.GREATERWMS_URL ?? '',
    warehouseOperator: conn?.operator ?? env.GREATERWMS_OPERATOR ?? null,
    warehouseTokenHint: conn ? conn.tokenHint : env.GREATERWMS_TOKEN ? secretHint(env.GREATERWMS_TOKEN) : null,
    connectionSource: conn ? 'shop' : envConn ? 'env' : 'none',
    orderTrigger: s.orderTrigger === 'created' || s.orderTrigger === 'paid' ? s.orderTrigger : (env.ORDER_TRIGGER ?? 'paid'),
    shipmentPollMinutes: num(s.shipmentPollMinutes, Math.round((env.SHIPMENT_POLL_INTERVAL_MS ?? 120_000) / 60_000)),
    stockPollMinutes: num(s.stockPollMinutes, Math.round((env.STOCK_FULL_INTERVAL_MS ?? 900_000) / 60_000)),
    // Same key the stock sync reads (server/db/repos/stock-repo.ts: Shop.settings.stockBuffer).
    defaultBuffer: num(s.stockBuffer, env.STOCK_DEFAULT_BUFFER ?? 0),
    defaultBufferPercent: num(s.stockBufferPercent, 0),
    notifyCustomer: typeof s.notifyCustomer === 'boolean' ? s.notifyCustomer : true,
  };
}

export class SettingsFieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export async function saveSettings(db: PrismaClient, env: SettingsEnv, shop: string, input: SettingsInput): Promise<SettingsView> {
  const existing = await findWarehouseConnection(db, shop);
  const token = input.warehouseToken || (existing ? decryptSecret(existing.tokenEnc, env.ENCRYPTION_KEY) : env.GREATERWMS_TOKEN);
  if (!token) throw new SettingsFieldError('warehouseToken', 'Enter the GreaterWMS token');
  if (input.warehouseToken && !env.ENCRYPTION_KEY) {
    throw new SettingsFieldError('warehouseToken', 'The server has no ENCRYPTION_KEY, so it cannot store a token safely');
  }
  await db.$transaction(async (tx) => {
    if (input.warehouseToken || existing || input.warehouseUrl !== env.GREATERWMS_URL || input.warehouseOperator !== env.GREATERWMS_OPERATOR) {
      await upsertWarehouseConnection(tx, {
        shop,
        baseUrl: input.warehouseUrl,
        tokenEnc: input.warehouseToken ? encryptSecret(token, env.ENCRYPTION_KEY) : (existing?.tokenEnc ?? encryptSecret(token, env.ENCRYPTION_KEY)),
        tokenHint: secretHint(token),
        operator: input.warehouseOperator,
      });
    }
    await mergeShopSettingsJson(tx, shop, {
      orderTrigger: input.orderTrigger,
      shipmentPollMinutes: input.shipmentPollMinutes,
      stockPollMinutes: input.stockPollMinutes,
      stockBuffer: input.defaultBuffer,
      stockBufferPercent: input.defaultBufferPercent,
      notifyCustomer: input.notifyCustomer,
    });
  });
  return getSettings(db, env, shop);
}

/** The shop's own connection (decrypted) if saved, else the env one, else null. */
export async function resolveWarehouseConnection(db: PrismaClient, env: SettingsEnv, shop: string): Promise<WarehouseConnectionValue | null> {
  const conn = await findWarehouseConnection(db, shop);
  if (conn) return { baseUrl: conn.baseUrl, token: decryptSecret(conn.tokenEnc, env.ENCRYPTION_KEY), operator: conn.operator };
  if (env.GREATERWMS_URL && env.GREATERWMS_TOKEN && env.GREATERWMS_OPERATOR) {
    return { baseUrl: env.GREATERWMS_URL, token: env.GREATERWMS_TOKEN, operator: env.GREATERWMS_OPERATOR };
  }
  return null;
}

/** For "Test connection": the form's values, with the stored token when the form leaves it empty. */
export async function connectionForTest(
  db: PrismaClient,
  env: SettingsEnv,
  shop: string,
  form: { warehouseUrl: string; warehouseToken?: string; warehouseOperator: number },
): Promise<WarehouseConnectionValue> {
  const token = form.warehouseToken || (await resolveWarehouseConnection(db, env, shop))?.token;
  if (!token) throw new SettingsFieldError('warehouseToken', 'Enter the GreaterWMS token');
  return { baseUrl: form.warehouseUrl, token, operator: form.warehouseOperator };
}
