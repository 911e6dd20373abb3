// One stock cycle for one shop: read the warehouse (all goods, the hot ones, or given goods), compute what each
// mapped variant may sell, and push what differs from what the storefront shows — compare-and-set against the
// value we last saw there, in bounded batches recorded in an outbox with their idempotency key before the call.
// Runs one at a time per shop (job ordering key), so it is the only writer of the shop's stock levels.
// docs/stock.md has the rules and the numbers.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import type { InventoryStorefront, WarehousePort } from '../ports.js';
import { PermanentError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import { bufferFor, variantStock } from './stock-arithmetic.js';
import {
  allMappings,
  applyWarehouseRead,
  buffersOf,
  createPushBatch,
  finishPushBatch,
  forgetSeen,
  goodsFigures,
  hotGoods,
  lastVerifiedRun,
  levelChanged,
  levelsOf,
  markLevelError,
  markSeen,
  pendingPushBatches,
  saveLevels,
  startRun,
  stockShopSettings,
  updateRun,
  type LevelRow,
  type MappingRow,
  type PushItem,
} from '../../db/repos/stock-repo.js';

export type StockSyncMode =
  /**
   * Every goods row (all pages); goods missing from the read are 0. The reconcile. `verify`: also re-read every
   * storefront value first (catches edits made in the storefront while our value stayed the same; "sync now").
   */
  | { kind: 'full'; verify?: boolean }
  /** Goods sold within the hot window, and goods whose reservations wait for a read (velocity cadence). */
  | { kind: 'hot' }
  /** Given goods: `read` false recomputes from stored figures (a reservation changed), true reads them first. */
  | { kind: 'goods'; goods: string[]; read: boolean };

export interface StockSyncDeps {
  db: PrismaClient;
  warehouse: Pick<WarehousePort, 'readStock'>;
  storefront: InventoryStorefront;
  now: () => Date;
  log: Logger;
  /** Shop default buffer when Shop.settings.stockBuffer is not set (config STOCK_DEFAULT_BUFFER). */
  defaultBuffer: number;
  /** Fast cycle: goods sold within this window (config STOCK_HOT_WINDOW_MS). */
  hotWindowMs: number;
  /** Re-read every storefront value on a full cycle at most this often (config STOCK_VERIFY_INTERVAL_MS); unset: never unless asked. */
  verifyEveryMs?: number;
  /** Lease keep-alive and progress for long cycles. */
  heartbeat?: () => Promise<void>;
  newKey?: () => string;
}

export interface StockSyncResult {
  runId: bigint;
  variants: number;
  changed: number;
  pushed: number;
  warehouseCalls: number;
  storefrontCalls: number;
  staleRetries: number;
  activated: number;
  /** Wall time spent in each port method ("storefront.setAvailable", …), summed over concurrent calls. */
  phaseMs: Record<string, number>;
}

/** Compare-and-set rounds per cycle: a stale item is re-read and pushed again; after this, the next cycle. */
const MAX_ROUNDS = 3;

/**
 * Push batches in flight at once. 4: overlaps our bookkeeping with Shopify's answers (a cold 10,000-SKU cycle
 * is 40 batches); 4 × 10 points per 250-item set is 40 points in flight against a 2,000-point bucket (restoring
 * 100/s on standard plans), so a whole catalogue (400 points) never drains it. THROTTLED answers are still
 * waited out per call by the admin client, and longer waits reschedule the job (outbox batches resent by key).
 */
export const PUSH_CONCURRENCY = 4;

/** Counts calls through the ports for the run record, and adds up their wall time per method (`ms`, benchmark). */
function counted<T extends object>(target: T, counter: { n: number }, ms: Record<string, number>, prefix: string): T {
  return new Proxy(target, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        counter.n++;
        const t0 = performance.now();
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        } finally {
          const k = `${prefix}.${String(p)}`;
          ms[k] = (ms[k] ?? 0) + performance.now() - t0;
        }
      };
    },
  });
}

/** In-process cache of the default location per shop (listLocations once per 10 min, not once per cycle). */
const locationCache = new Map<string, { id: string; at: number }>();
const LOCATION_TTL_MS = 10 * 60_000;

export async function runStockSync(deps: StockSyncDeps, shop: string, mode: StockSyncMode): Promise<StockSyncResult> {
  const wCalls = { n: 0 };
  const sCalls = { n: 0 };
  const phaseMs: Record<string, number> = {};
  const warehouse = counted(deps.warehouse, wCalls, phaseMs, 'warehouse');
  const sf = counted(deps.storefront, sCalls, phaseMs, 'storefront');
  const { db } = deps;
  const started = deps.now();
  // A full cycle also verifies the storefront's values once per verifyEveryMs (drift made in the storefront while
  // our value stayed the same, e.g. a refund restocked there: the warehouse will report the return itself).
  const verify = mode.kind === 'full' && (mode.verify || (deps.verifyEveryMs !== undefined && !(await lastVerifiedRun(db, shop, new Date(started.getTime() - deps.verifyEveryMs)))));
  const runId = await startRun(db, shop, verify ? 'full+verify' : mode.kind, started);
  const result: StockSyncResult = { runId, variants: 0, changed: 0, pushed: 0, warehouseCalls: 0, storefrontCalls: 0, staleRetries: 0, activated: 0, phaseMs };
  const finish = async (error: string | null) => {
    result.warehouseCalls = wCalls.n;
    result.storefrontCalls = sCalls.n;
    await updateRun(db, runId, { finishedAt: deps.now(), warehouseCalls: wCalls.n, storefrontCalls: sCalls.n, changed: result.changed, pushed: result.pushed, error });
  };
  try {
    const settings = await stockShopSettings(db, shop);
    const locationId = settings.locationId ?? (await defaultLocation(sf, shop));

    // 1. An outbox batch left pending by a crashed or failed attempt is resent first, same key, same quantities.
    for (const b of await pendingPushBatches(db, shop)) {
      const again = await sendBatch(deps, sf, shop, b.locationId, b.id, b.idempotencyKey, b.items, result);
      // Refused on resend: what the storefront shows is unknown now; read before the next push of these.
      await forgetSeen(db, shop, b.locationId, again);
    }

    // 2. The warehouse.
    const readAt = deps.now();
    let touchedGoods: Set<string> | null = null; // null: everything
    if (mode.kind === 'full') {
      const { levels } = await warehouse.readStock();
      await applyWarehouseRead(db, shop, levels.map((l) => ({ goodsCode: l.warehouseCode, available: l.available })), readAt, true);
    } else {
      const goods = mode.kind === 'hot' ? await hotGoods(db, shop, new Date(readAt.getTime() - deps.hotWindowMs)) : [...new Set(mode.goods)];
      touchedGoods = new Set(goods);
      if (goods.length > 0 && (mode.kind === 'hot' || mode.read)) {
        const { levels } = await warehouse.readStock({ skus: goods });
        await applyWarehouseRead(db, shop, levels.map((l) => ({ goodsCode: l.warehouseCode, available: l.available })), readAt, false);
      }
    }

    // 3. Variants affected, and what they may sell.
    const mappings = touchedGoods ? await allMappings(db, shop, [...touchedGoods]) : await allMappings(db, shop);
    result.variants = mappings.length;
    await updateRun(db, runId, { total: mappings.length });
    if (mappings.length === 0) {
      await finish(null);
      return result;
    }
    const neededGoods = [...new Set(mappings.flatMap((m) => m.components.map((c) => c.goodsCode)))];
    const figures = await goodsFigures(db, shop, touchedGoods ? neededGoods : undefined);
    const buffers = await buffersOf(db, shop);
    const shopBuffer = settings.bufferDefault ?? deps.defaultBuffer;
    const existing = await levelsOf(db, shop, locationId, touchedGoods ? mappings.map((m) => m.variantId) : undefined);

    // 4. Inventory items of variants seen for the first time, read together with their current storefront value
    //    (one pass of 250 per call, not a lookup and then a read). A variant not found earlier is looked up again
    //    on the full cycle only (it may have been created since).
    const unknown = mappings.filter((m) => !existing.get(m.variantId)?.inventoryItemId && (mode.kind === 'full' || existing.get(m.variantId)?.status !== 'not_found'));
    const items = unknown.length ? await sf.inventoryItemsOf(unknown.map((m) => m.variantId), locationId) : new Map<string, { inventoryItemId: string; tracked: boolean; available: number | null }>();
    const lookedUp = new Set<string>();

    const rows: LevelRow[] = mappings.map((m: MappingRow) => {
      const prev = existing.get(m.variantId);
      const item = items.get(m.variantId);
      const v = variantStock(m.components, (code) => figures.get(code), bufferFor(buffers.get(m.variantId), shopBuffer, settings.bufferPercent));
      let status = prev?.status ?? 'ok';
      let inventoryItemId = prev?.inventoryItemId ?? null;
      let seen = prev?.seen ?? null;
      if (!inventoryItemId) {
        inventoryItemId = item?.inventoryItemId ?? null;
        status = !item ? 'not_found' : item.tracked ? 'ok' : 'untracked';
        if (item?.tracked) {
          lookedUp.add(m.variantId);
          seen = item.available; // null: not stocked at the location (activated below)
        }
      }
      return { variantId: m.variantId, locationId, inventoryItemId, sku: m.sku, wmsAvailable: v.wmsAvailable, buffer: v.buffer, reserved: v.reserved, publish: v.publish, seen, status: status === 'error' ? 'ok' : status };
    });
    // Looked up but not stocked at the location: stock it there (a fresh level starts at 0).
    for (const r of rows) {
      if (!lookedUp.has(r.variantId) || r.seen !== null) continue;
      await sf.activate(r.inventoryItemId!, locationId);
      result.activated++;
      r.seen = 0;
    }
    await saveLevels(db, shop, rows.filter((r) => lookedUp.has(r.variantId) || levelChanged(existing.get(r.variantId), r)), { at: deps.now(), variantIds: lookedUp });

    // 5. Items whose storefront value we do not know: read them (the compare-and-set needs the current value).
    //    After an order (goods mode) the storefront has moved by itself (it commits ordered units): re-read those
    //    too, one call per 250 items, so the push starts from the real value instead of a stale round trip.
    //    Items looked up in step 4 were read just now.
    const pushable = rows.filter((r) => r.status === 'ok' && r.inventoryItemId);
    const reread = pushable.filter((r) => !lookedUp.has(r.variantId) && (mode.kind === 'goods' || verify || r.seen === null));
    if (reread.length) await refreshSeen(deps, sf, shop, locationId, reread, result);

    // 6. Push what differs, in rounds: a stale item is re-read and goes into the next round's batch.
    let todo = pushable.filter((r) => r.seen !== null && r.seen !== r.publish);
    result.changed = todo.length;
    await updateRun(db, runId, { changed: todo.length });
    for (let round = 1; round <= MAX_ROUNDS && todo.length > 0; round++) {
      const retry: LevelRow[] = [];
      const chunks: LevelRow[][] = [];
      for (let i = 0; i < todo.length; i += sf.maxBatch) chunks.push(todo.slice(i, i + sf.maxBatch));
      let processed = 0;
      // Batches hold distinct items, so their compare-and-sets are independent; each is in the outbox before
      // its call, and every started call is awaited before a failure propagates (mapLimit).
      await mapLimit(chunks, PUSH_CONCURRENCY, async (chunk) => {
        const pushItems: PushItem[] = chunk.map((r) => ({ variantId: r.variantId, inventoryItemId: r.inventoryItemId!, quantity: r.publish, expected: r.seen }));
        const key = (deps.newKey ?? randomUUID)();
        const batchId = await createPushBatch(db, shop, locationId, key, pushItems);
        const again = new Set(await sendBatch(deps, sf, shop, locationId, batchId, key, pushItems, result));
        for (const r of chunk) if (again.has(r.variantId)) retry.push(r);
        processed += chunk.length;
        await updateRun(db, runId, { processed, pushed: result.pushed });
        await deps.heartbeat?.();
      });
      await updateRun(db, runId, { processed, pushed: result.pushed }); // concurrent updates may land out of order
      if (retry.length === 0) break;
      result.staleRetries += retry.length;
      // Re-read, then push only what still differs (someone may have set it to our value meanwhile).
      await refreshSeen(deps, sf, shop, locationId, retry, result);
      todo = retry.filter((r) => r.seen !== null && r.seen !== r.publish);
    }
    await finish(null);
    return result;
  } catch (err) {
    await finish(err instanceof Error ? err.message.slice(0, 500) : String(err)).catch(() => {});
    throw err;
  }
}

async function defaultLocation(sf: InventoryStorefront, shop: string): Promise<string> {
  const cached = locationCache.get(shop);
  if (cached && Date.now() - cached.at < LOCATION_TTL_MS) return cached.id;
  const loc = (await sf.listLocations()).find((l) => l.isActive && l.fulfillsOnlineOrders);
  if (!loc) throw new PermanentError('stock.no_location', `${shop} has no active location that fulfils online orders to publish stock at`);
  locationCache.set(shop, { id: loc.id, at: Date.now() });
  return loc.id;
}

/** Reads the storefront's current value of `rows` (mutating `seen`); activates items not stocked at the location. */
async function refreshSeen(deps: StockSyncDeps, sf: InventoryStorefront, shop: string, locationId: string, rows: LevelRow[], result: StockSyncResult): Promise<void> {
  const current = await sf.readAvailable(locationId, rows.map((r) => r.inventoryItemId!));
  for (const r of rows) {
    let q = current.get(r.inventoryItemId!);
    if (q === undefined) {
      await sf.activate(r.inventoryItemId!, locationId);
      result.activated++;
      q = 0; // a freshly stocked level starts at 0
    }
    r.seen = q;
  }
  await markSeen(deps.db, shop, locationId, rows.map((r) => ({ variantId: r.variantId, quantity: r.seen! })), deps.now(), false);
}

/**
 * Sends one outbox batch. Success: the storefront now shows `quantity` for every item. Refused: the batch is
 * closed (its key cannot be reused after a failure) and the variants worth another try are returned; items
 * refused for another reason are marked in error. Network/throttling failures propagate (the job retries and
 * resends this very batch with its key).
 */
async function sendBatch(
  deps: StockSyncDeps,
  sf: InventoryStorefront,
  shop: string,
  locationId: string,
  batchId: bigint,
  key: string,
  items: PushItem[],
  result: StockSyncResult,
): Promise<string[]> {
  const r = await sf.setAvailable({
    locationId,
    idempotencyKey: key,
    referenceUri: `logistics://wms-bridge/stock-sync/${batchId}`,
    items: items.map((i) => ({ inventoryItemId: i.inventoryItemId, quantity: i.quantity, expected: i.expected })),
  });
  const at = deps.now();
  if (r.ok) {
    await deps.db.$transaction(async (tx) => {
      await finishPushBatch(tx, batchId, 'done', null, at);
      await markSeen(tx, shop, locationId, items.map((i) => ({ variantId: i.variantId, quantity: i.quantity })), at, true);
    });
    result.pushed += items.length;
    return [];
  }
  await finishPushBatch(deps.db, batchId, 'rejected', r.rejected.map((e) => `${e.index ?? '*'}:${e.code}`).join(',').slice(0, 1000), at);
  const retry: string[] = [];
  const refused = new Map<number, string>();
  for (const e of r.rejected) if (e.index !== null) refused.set(e.index, e.code);
  const whole = r.rejected.filter((e) => e.index === null);
  if (whole.length && refused.size === 0) {
    // Nothing item-specific (e.g. the key's earlier attempt failed): every item goes to the next round.
    deps.log.warn({ shop, codes: whole.map((e) => e.code) }, 'stock batch refused as a whole; retried with a new key');
    return items.map((i) => i.variantId);
  }
  for (const [index, item] of items.entries()) {
    const code = refused.get(index);
    if (code === undefined || code === 'CHANGE_FROM_QUANTITY_STALE' || code === 'ITEM_NOT_STOCKED_AT_LOCATION') {
      retry.push(item.variantId); // refused only because another item was, or fixable by re-read / activation
    } else {
      deps.log.warn({ shop, variantId: item.variantId, code }, 'storefront refused a stock quantity');
      await markLevelError(deps.db, shop, locationId, item.variantId, 'error', code);
    }
  }
  return retry;
}
