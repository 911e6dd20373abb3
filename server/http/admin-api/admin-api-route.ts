// The embedded admin's JSON API under /api. Mounted AFTER adminAuthRouter (server/http/auth), which verifies
// the App Bridge session token on every /api call (401 otherwise) and puts the token's shop in res.locals.
// Here: a request naming another shop (?shop= or X-Shopify-Shop-Domain) than its token gets 403; every query
// is scoped to the token's shop; inputs are zod-validated and answered 422 with field errors.
import express, { type Request, type Response, type Router } from 'express';
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import { z } from 'zod';
import { authOf } from '../auth/session-token-middleware.js';
import { listMappingRows, catalogueSyncState } from '../../core/catalogue/catalogue-repo.js';
import { NotFound, ValidationFailed, type GoodsDirectory } from '../../core/catalogue/catalogue-ports.js';
import {
  autoMatchApply,
  autoMatchPreview,
  editMapping,
  exportMappingsCsv,
  importMappingsCsv,
  removeMapping,
  MAX_COMPONENTS,
} from '../../core/catalogue/mapping-admin-use-case.js';
import {
  connectionForTest,
  getSettings,
  saveSettings,
  settingsInput,
  SettingsFieldError,
  type SettingsEnv,
  type WarehouseConnectionValue,
} from '../../core/settings/settings-use-case.js';
import { SecretBoxError } from '../../core/settings/secret-box.js';
import { enqueue } from '../../queue/enqueue.js';
import { discardJob, listJobs, queueStats, retryJob, JOB_STATES } from '../../queue/operations.js';
import { orderSyncJobSpec } from '../../core/orders/order-jobs.js';
import { catalogueSyncJobSpec } from '../../jobs/catalogue-sync.js';
import { listDispositionRules, listReturnCases, saveDispositionRule, DISPOSITIONS } from '../../core/returns/disposition-rules-use-case.js';
import { stockSyncJobSpec } from '../../core/stock/stock-jobs.js';
import { setBuffer } from '../../db/repos/stock-repo.js';
import { ORDER_FILTERS, listOrders, listStock, lastStockRun, openAlerts, orderCounts, orderDetail, resolveAlert, type OrderFilter } from './admin-read-repo.js';

export interface ConnectionTestAnswer {
  ok: boolean;
  problem?: string;
  detail: string;
}

export interface AdminApiDeps {
  prisma: PrismaClient;
  log: Logger;
  config: SettingsEnv;
  /** The shop's warehouse goods list (its saved connection, else env); throws when none is configured. */
  goodsFor(shop: string): Promise<GoodsDirectory>;
  /** Runs the warehouse's connection test against the given connection (never throws for warehouse faults). */
  testConnection(conn: WarehouseConnectionValue): Promise<ConnectionTestAnswer>;
  now?: () => Date;
}

/** Every route of this API (the security tests call each one without/with bad/foreign tokens). */
export const ADMIN_API_ROUTES: [method: 'get' | 'post' | 'put' | 'delete', path: string][] = [
  ['get', '/api/mappings'],
  ['put', '/api/mappings/:variantId'],
  ['delete', '/api/mappings/:variantId'],
  ['post', '/api/mappings/auto-match/preview'],
  ['post', '/api/mappings/auto-match/apply'],
  ['post', '/api/mappings/import'],
  ['get', '/api/mappings/export'],
  ['get', '/api/catalogue'],
  ['post', '/api/catalogue/refresh'],
  ['get', '/api/orders'],
  ['get', '/api/orders/:orderId'],
  ['post', '/api/orders/:orderId/retry'],
  ['get', '/api/jobs'],
  ['post', '/api/jobs/:id/retry'],
  ['post', '/api/jobs/:id/discard'],
  ['get', '/api/alerts'],
  ['post', '/api/alerts/:id/resolve'],
  ['get', '/api/settings'],
  ['put', '/api/settings'],
  ['post', '/api/settings/test-connection'],
  ['get', '/api/returns'],
  ['get', '/api/returns/rules'],
  ['put', '/api/returns/rules'],
  ['get', '/api/stock'],
  ['post', '/api/stock/sync'],
];

/** JSON with bigint ids as strings (job and alert ids are bigint). */
function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

function invalid(res: Response, fieldErrors: Record<string, string>): void {
  send(res, 422, { error: 'invalid', message: 'Some fields need attention', fieldErrors });
}

function zodFieldErrors(err: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const k = i.path.join('.') || '_';
    out[k] ??= i.message;
  }
  return out;
}

/** Parses with the schema or answers 422 and returns null. */
function parse<T extends z.ZodType>(schema: T, value: unknown, res: Response): z.infer<T> | null {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  invalid(res, zodFieldErrors(r.error));
  return null;
}

const bigintId = z.string().regex(/^\d{1,18}$/, 'must be a numeric id').transform((s) => BigInt(s));

const mappingListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(250).default(50),
  query: z.string().trim().max(200).default(''),
  filter: z.enum(['all', 'unmapped', 'mapped', 'bundles']).default('all'),
});

const goodsCode = z.string().trim().min(1, 'Enter a goods code').max(100, 'At most 100 characters');
const componentsInput = z.object({
  components: z
    .array(z.object({ goodsCode, quantity: z.coerce.number().int('Whole number').min(1, 'At least 1').max(10_000, 'At most 10,000') }))
    .min(1, 'Add at least one goods code')
    .max(MAX_COMPONENTS, `At most ${MAX_COMPONENTS} components`),
  /** Units kept back from the storefront for this variant; null = the shop default; absent = unchanged. */
  buffer: z.union([z.null(), z.coerce.number().int('Whole units').min(0, 'Cannot be negative').max(1_000_000, 'Too large')]).optional(),
});

const ordersQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(250).default(50),
  query: z.string().trim().max(200).default(''),
  filter: z.enum(Object.keys(ORDER_FILTERS) as [OrderFilter, ...OrderFilter[]]).default('all'),
});

const connectionTestInput = z.object({
  warehouseUrl: z.string().trim().url('Enter the full address, e.g. http://wms.local:8008'),
  warehouseToken: z.string().trim().max(500).optional(),
  warehouseOperator: z.coerce.number({ message: 'Enter the staff id' }).int('Whole number').positive('Staff ids start at 1'),
});

export function adminApiRouter(deps: AdminApiDeps): Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const api = express.Router();
  router.use('/api', api);
  api.use(express.json({ limit: '1mb' }));

  // A request that names a shop must name the token's shop (a stale tab of another store, or tampering).
  api.use((req, res, next) => {
    const { shop } = authOf(res);
    const named = [req.query.shop, req.get('x-shopify-shop-domain')].filter((v): v is string => typeof v === 'string' && v !== '');
    if (named.some((n) => n.toLowerCase() !== shop)) {
      return send(res, 403, { error: 'forbidden', message: 'This session token belongs to another shop' });
    }
    next();
  });

  const shopOf = (res: Response) => authOf(res).shop;
  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: (err?: unknown) => void): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(res, err.fieldErrors);
        if (err instanceof SettingsFieldError) return invalid(res, { [err.field]: err.message });
        if (err instanceof NotFound) return send(res, 404, { error: 'not_found', message: err.message });
        if (err instanceof SecretBoxError) return send(res, 500, { error: 'settings_unreadable', message: err.message });
        const e = err as { code?: string; message?: string };
        if (typeof e?.code === 'string' && e.code.startsWith('wms.')) {
          // The warehouse is down or not configured: say so precisely, the page shows it as an error banner.
          return send(res, 502, { error: e.code, message: e.message });
        }
        next(err);
      }
    };

  // ---- mappings -----------------------------------------------------------------------------------------
  api.get('/mappings', wrap(async (req, res) => {
    const q = parse(mappingListQuery, req.query, res);
    if (!q) return;
    const shop = shopOf(res);
    const [list, syncRow] = await Promise.all([listMappingRows(deps.prisma, shop, q), catalogueSyncState(deps.prisma, shop)]);
    let sync = syncRow;
    if (!sync && list.total === 0 && !q.query && q.filter === 'all') {
      // First open after install: read the catalogue without waiting for the merchant to ask.
      await enqueue(deps.prisma, catalogueSyncJobSpec(shop));
      sync = { shop, state: 'running', fetched: 0, startedAt: now(), finishedAt: null, error: null };
    }
    send(res, 200, { ...list, page: q.page, pageSize: q.pageSize, catalogue: sync });
  }));

  api.get('/mappings/export', wrap(async (_req, res) => {
    const csv = await exportMappingsCsv(deps.prisma, shopOf(res));
    res.status(200).type('text/csv').setHeader('Content-Disposition', 'attachment; filename="mappings.csv"');
    res.send(csv);
  }));

  api.post('/mappings/auto-match/preview', wrap(async (_req, res) => {
    const shop = shopOf(res);
    send(res, 200, await autoMatchPreview({ db: deps.prisma, goods: await deps.goodsFor(shop) }, shop));
  }));

  api.post('/mappings/auto-match/apply', wrap(async (req, res) => {
    const body = parse(z.object({ variantIds: z.array(z.string().min(1).max(200)).min(1, 'Choose at least one match').max(50_000) }), req.body, res);
    if (!body) return;
    const shop = shopOf(res);
    send(res, 200, await autoMatchApply({ db: deps.prisma, goods: await deps.goodsFor(shop) }, shop, body.variantIds));
  }));

  // CSV as the raw body (text/csv) or {csv: "..."}; 5 MB ≈ 50,000 rows.
  api.post('/mappings/import', express.text({ type: ['text/csv', 'text/plain'], limit: '5mb' }), wrap(async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : typeof req.body?.csv === 'string' ? req.body.csv : null;
    if (text === null) return invalid(res, { csv: 'Send the CSV file as text/csv' });
    const shop = shopOf(res);
    const r = await importMappingsCsv({ db: deps.prisma, goods: await deps.goodsFor(shop) }, shop, text);
    send(res, r.applied ? 200 : 422, r);
  }));

  api.put('/mappings/:variantId', wrap(async (req, res) => {
    const body = parse(componentsInput, req.body, res);
    if (!body) return;
    const shop = shopOf(res);
    const variantId = String(req.params.variantId);
    const r = await editMapping({ db: deps.prisma, goods: await deps.goodsFor(shop) }, shop, variantId, body.components);
    if (body.buffer !== undefined) {
      await setBuffer(deps.prisma, shop, variantId, body.buffer);
      // Publish the new value for this variant's goods at the next stock cycle step (no warehouse read needed).
      await enqueue(deps.prisma, stockSyncJobSpec(shop, { mode: 'goods', goods: body.components.map((c) => c.goodsCode), read: false }));
    }
    send(res, 200, { variantId, components: body.components, buffer: body.buffer, ...r });
  }));

  api.delete('/mappings/:variantId', wrap(async (req, res) => {
    await removeMapping(deps.prisma, shopOf(res), String(req.params.variantId));
    send(res, 200, { ok: true });
  }));

  // ---- catalogue ----------------------------------------------------------------------------------------
  api.get('/catalogue', wrap(async (_req, res) => {
    const shop = shopOf(res);
    const [sync, variants] = await Promise.all([catalogueSyncState(deps.prisma, shop), deps.prisma.catalogueVariant.count({ where: { shop } })]);
    send(res, 200, { sync, variants });
  }));

  api.post('/catalogue/refresh', wrap(async (_req, res) => {
    const shop = shopOf(res);
    const r = await enqueue(deps.prisma, catalogueSyncJobSpec(shop));
    send(res, 202, { enqueued: r.created });
  }));

  // ---- orders, jobs, alerts -----------------------------------------------------------------------------
  api.get('/orders', wrap(async (req, res) => {
    const q = parse(ordersQuery, req.query, res);
    if (!q) return;
    const shop = shopOf(res);
    const [list, counts] = await Promise.all([listOrders(deps.prisma, shop, q), orderCounts(deps.prisma, shop)]);
    send(res, 200, { ...list, counts, page: q.page, pageSize: q.pageSize });
  }));

  api.get('/orders/:orderId', wrap(async (req, res) => {
    const d = await orderDetail(deps.prisma, shopOf(res), String(req.params.orderId));
    if (!d) throw new NotFound('no such order');
    send(res, 200, d);
  }));

  // A failed order: run its sync again (the job ends successfully when it fails an order, so there is no
  // failed job to retry; the order's state says what happened).
  api.post('/orders/:orderId/retry', wrap(async (req, res) => {
    const shop = shopOf(res);
    const orderId = String(req.params.orderId);
    const order = await deps.prisma.orderSync.findUnique({ where: { shop_orderId: { shop, orderId } }, select: { state: true } });
    if (!order) throw new NotFound('no such order');
    if (!['failed', 'needs_mapping', 'needs_address'].includes(order.state)) {
      return send(res, 409, { error: 'not_retryable', message: `The order is ${order.state}; only failed or held orders can be retried` });
    }
    await enqueue(deps.prisma, orderSyncJobSpec(shop, orderId));
    send(res, 202, { enqueued: true });
  }));

  api.get('/jobs', wrap(async (req, res) => {
    const q = parse(z.object({ state: z.enum(JOB_STATES).optional(), beforeId: bigintId.optional() }), req.query, res);
    if (!q) return;
    const shop = shopOf(res);
    const [jobs, stats] = await Promise.all([listJobs(deps.prisma, { shop, state: q.state, beforeId: q.beforeId, limit: 50 }), queueStats(deps.prisma, { shop })]);
    send(res, 200, { jobs, stats });
  }));

  for (const [action, fn] of [['retry', retryJob], ['discard', discardJob]] as const) {
    api.post(`/jobs/:id/${action}`, wrap(async (req, res) => {
      const p = parse(z.object({ id: bigintId }), req.params, res);
      if (!p) return;
      const ok = await fn(deps.prisma, p.id, { shop: shopOf(res) });
      if (!ok) return send(res, 409, { error: `not_${action}able`, message: `Job ${p.id} cannot be ${action === 'retry' ? 'retried' : 'discarded'} (running, finished, or not found)` });
      send(res, 200, { ok: true });
    }));
  }

  api.get('/alerts', wrap(async (_req, res) => {
    send(res, 200, { alerts: await openAlerts(deps.prisma, shopOf(res)) });
  }));

  api.post('/alerts/:id/resolve', wrap(async (req, res) => {
    const p = parse(z.object({ id: bigintId }), req.params, res);
    if (!p) return;
    if (!(await resolveAlert(deps.prisma, shopOf(res), p.id, now()))) throw new NotFound('no such open alert');
    send(res, 200, { ok: true });
  }));

  // ---- settings -----------------------------------------------------------------------------------------
  api.get('/settings', wrap(async (_req, res) => {
    send(res, 200, await getSettings(deps.prisma, deps.config, shopOf(res)));
  }));

  api.put('/settings', wrap(async (req, res) => {
    const body = parse(settingsInput, req.body, res);
    if (!body) return;
    send(res, 200, await saveSettings(deps.prisma, deps.config, shopOf(res), body));
  }));

  api.post('/settings/test-connection', wrap(async (req, res) => {
    const body = parse(connectionTestInput, req.body, res);
    if (!body) return;
    const conn = await connectionForTest(deps.prisma, deps.config, shopOf(res), body);
    send(res, 200, await deps.testConnection(conn));
  }));

  // ---- returns (server/core/returns) ---------------------------------------------------------------------
  api.get('/returns', wrap(async (req, res) => {
    const q = parse(z.object({ status: z.enum(['open', 'needs_rule', 'done', 'failed', 'cancelled']).optional() }), req.query, res);
    if (!q) return;
    send(res, 200, { cases: await listReturnCases(deps.prisma, shopOf(res), { status: q.status, limit: 100 }) });
  }));

  api.get('/returns/rules', wrap(async (_req, res) => {
    const shop = shopOf(res);
    const [rules, waiting] = await Promise.all([listDispositionRules(deps.prisma, shop), listReturnCases(deps.prisma, shop, { status: 'needs_rule', limit: 100 })]);
    send(res, 200, { rules, dispositions: DISPOSITIONS, waiting });
  }));

  api.put('/returns/rules', wrap(async (req, res) => {
    const body = parse(
      z.object({
        reasonKey: z.string().trim().min(1, 'Enter a return reason').max(110, 'At most 110 characters'),
        disposition: z.enum(DISPOSITIONS, { message: `Choose one of ${DISPOSITIONS.join(', ')}` }),
      }),
      req.body,
      res,
    );
    if (!body) return;
    try {
      send(res, 200, await saveDispositionRule(deps.prisma, shopOf(res), body));
    } catch (err) {
      if ((err as { code?: string }).code === 'returns.invalid_rule') return invalid(res, { reasonKey: 'Use a reason handle such as "defective" (letters, digits, dashes)' });
      throw err;
    }
  }));

  // ---- stock (server/core/stock) --------------------------------------------------------------------------
  api.get('/stock', wrap(async (req, res) => {
    const q = parse(
      z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(250).default(50), query: z.string().trim().max(200).default('') }),
      req.query,
      res,
    );
    if (!q) return;
    const shop = shopOf(res);
    const [list, run] = await Promise.all([listStock(deps.prisma, shop, q), lastStockRun(deps.prisma, shop)]);
    send(res, 200, { ...list, page: q.page, pageSize: q.pageSize, lastRun: run });
  }));

  api.post('/stock/sync', wrap(async (_req, res) => {
    const r = await enqueue(deps.prisma, stockSyncJobSpec(shopOf(res), { mode: 'full' }));
    send(res, 202, { enqueued: r.created });
  }));

  return router;
}
