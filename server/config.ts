// The one place that reads the environment. Parsed once, validated with zod; a bad value stops the start
// with one line naming each variable and what it should look like.
import 'dotenv/config';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset: an embedded PostgreSQL is started under .data/postgres. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL, e.g. postgresql://user@127.0.0.1:5432/wms_bridge')
    .optional(),
  EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  /** Which process roles run here: comma-separated list of web, worker, scheduler. */
  ROLES: z
    .string()
    .regex(/^(web|worker|scheduler)(,(web|worker|scheduler))*$/, 'must be a comma-separated list of web, worker, scheduler')
    .default('web,worker,scheduler'),
  WORKER_CONCURRENCY: int(1, 64).default(4),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(4000),
  SHOPIFY_API_KEY: z.string().min(1).default('dev-api-key'),
  SHOPIFY_API_SECRET: z.string().min(1).default('dev-api-secret'),
  SHOPIFY_APP_URL: z.string().url('must be an absolute URL, e.g. https://wms-bridge.example.com').default('http://localhost:3000'),
  SHOPIFY_SCOPES: z.string().default('read_orders,read_products,read_inventory,write_inventory,read_locations,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_returns'),
  /** Base URL of the Shopify Admin API; the Shopify simulator in tests and the demo. Unset = real Shopify. */
  SHOPIFY_ADMIN_BASE_URL: z.string().url().optional(),
  /** 32-byte key (64 hex chars) used to encrypt stored secrets (GreaterWMS tokens) at rest. */
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`')
    .optional(),
  GREATERWMS_URL: z.string().url('must be an absolute URL, e.g. http://wms.local:8008').optional(),
  GREATERWMS_TOKEN: z.string().min(1).optional(),
  GREATERWMS_OPERATOR: z.coerce.number().int().positive().optional(),
  GREATERWMS_TIMEOUT_MS: int(100, 300_000).default(15_000),
  /** When an order goes to the warehouse: on creation, or once paid (docs/orders.md). */
  ORDER_TRIGGER: z.enum(['created', 'paid']).default('paid'),
  /** Shipments poll per shop (GreaterWMS has no webhooks); 2 min keeps a 1,000-order day at a few calls a poll. */
  SHIPMENT_POLL_INTERVAL_MS: int(5_000, 86_400_000).default(120_000),
  /** Stock (docs/stock.md): full reconcile every 15 min; fast cycle every minute for goods sold within 24 h. */
  STOCK_FULL_INTERVAL_MS: int(60_000, 86_400_000).default(900_000),
  STOCK_HOT_INTERVAL_MS: int(5_000, 3_600_000).default(60_000),
  STOCK_HOT_WINDOW_MS: int(60_000, 30 * 86_400_000).default(86_400_000),
  /** Units kept back from the storefront per variant unless the shop or the mapping says otherwise. */
  STOCK_DEFAULT_BUFFER: int(0, 1_000_000).default(0),
  /** A full cycle re-reads every storefront value at most hourly (drift made in the storefront; 40 reads per 10,000 SKUs). */
  STOCK_VERIFY_INTERVAL_MS: int(60_000, 7 * 86_400_000).default(3_600_000),
});

export type Config = z.infer<typeof schema> & { roles: Set<'web' | 'worker' | 'scheduler'> };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (default: process.env). Throws ConfigError with a one-line message. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const parts = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const got = env[name];
      return `${name} ${issue.message}${got === undefined ? ' (missing)' : ''}`;
    });
    throw new ConfigError(`Invalid configuration: ${parts.join('; ')}`);
  }
  const cfg = result.data;
  return { ...cfg, roles: new Set(cfg.ROLES.split(',') as ('web' | 'worker' | 'scheduler')[]) };
}

let cached: Config | undefined;
/** The process-wide configuration, read once. */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}
