// Data layer of the returns feature: return_case, return_line, return_transition, disposition_rule. Every query
// is scoped by shop. A line's state changes only through moveLine: compare-and-set on the current state plus
// the audit row, in one transaction.
import type { PrismaClient } from '@prisma/client';
import type { Tx } from '../client.js';

export type Db = PrismaClient | Tx;

/** Seeded defaults live under this shop key (the returns migration). */
export const DEFAULT_RULES_SHOP = '*';

export interface ReturnLineRow {
  id: bigint;
  shop: string;
  caseId: bigint;
  sourceLineId: string;
  lineItemId: string | null;
  variantId: string | null;
  sku: string | null;
  quantity: number;
  reasonKey: string;
  restockType: string | null;
  disposition: string | null;
  state: string;
  stateReason: string | null;
  inboundCode: string | null;
}

export interface ReturnCaseRow {
  id: bigint;
  shop: string;
  source: string;
  sourceId: string;
  name: string | null;
  orderId: string | null;
  orderName: string | null;
  status: string;
  statusReason: string | null;
  platformStatus: string | null;
  createdAt: Date;
  updatedAt: Date;
  lines: ReturnLineRow[];
}

const withLines = { lines: { orderBy: { id: 'asc' as const } } };

export async function findCase(db: Db, shop: string, caseId: bigint): Promise<ReturnCaseRow | null> {
  return db.returnCase.findFirst({ where: { shop, id: caseId }, include: withLines });
}

export async function findCaseBySource(db: Db, shop: string, sourceId: string): Promise<ReturnCaseRow | null> {
  return db.returnCase.findUnique({ where: { shop_sourceId: { shop, sourceId } }, include: withLines });
}

export interface NewCase {
  shop: string;
  source: 'return' | 'refund';
  sourceId: string;
  name: string | null;
  orderId: string | null;
  orderName?: string | null;
}

/** The case of a return/refund, created when new (a repeat changes nothing). */
export async function ensureCase(db: Db, c: NewCase): Promise<ReturnCaseRow> {
  return db.returnCase.upsert({
    where: { shop_sourceId: { shop: c.shop, sourceId: c.sourceId } },
    create: { shop: c.shop, source: c.source, sourceId: c.sourceId, name: c.name, orderId: c.orderId, orderName: c.orderName ?? null },
    update: {},
    include: withLines,
  });
}

export interface CasePatch {
  name?: string | null;
  orderId?: string | null;
  orderName?: string | null;
  status?: string;
  statusReason?: string | null;
  platformStatus?: string | null;
}

export async function updateCase(db: Db, shop: string, caseId: bigint, patch: CasePatch): Promise<void> {
  const data = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await db.returnCase.updateMany({ where: { shop, id: caseId }, data });
}

export interface NewLine {
  sourceLineId: string;
  lineItemId: string | null;
  variantId: string | null;
  sku: string | null;
  quantity: number;
  reasonKey: string;
  restockType: string | null;
  /** Initial state (received; refund lines before shipping start in order_update_requested's predecessor). */
}

/**
 * Adds the lines not recorded yet (by source line id), each with its first audit row (→ received).
 * Returns the lines created now. Runs inside the caller's transaction.
 */
export async function addLines(tx: Tx, shop: string, caseId: bigint, lines: NewLine[], at: Date): Promise<ReturnLineRow[]> {
  const created: ReturnLineRow[] = [];
  for (const l of lines) {
    const r = await tx.returnLine.createManyAndReturn({ data: [{ shop, caseId, ...l }], skipDuplicates: true });
    const row = r[0];
    if (!row) continue;
    await tx.returnTransition.create({ data: { shop, lineId: row.id, fromState: null, toState: 'received', detail: { reasonKey: l.reasonKey } as never, at } });
    created.push(row);
  }
  return created;
}

export interface LinePatch {
  disposition?: string | null;
  stateReason?: string | null;
  inboundCode?: string | null;
}

/**
 * Compare-and-set move of one line with its audit row. False when the line is no longer in `from` (another
 * worker moved it first): the caller re-reads instead of overwriting.
 */
export async function moveLine(
  db: PrismaClient,
  shop: string,
  lineId: bigint,
  from: string,
  to: string,
  patch: LinePatch,
  detail: Record<string, unknown>,
  at: Date,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const data = Object.fromEntries(Object.entries({ ...patch, state: to }).filter(([, v]) => v !== undefined));
    const r = await tx.returnLine.updateMany({ where: { shop, id: lineId, state: from }, data });
    if (r.count === 0) return false;
    await tx.returnTransition.create({ data: { shop, lineId, fromState: from, toState: to, detail: detail as never, at } });
    return true;
  });
}

/** Changes a line's fields without a state change (e.g. the reason of a line in needs_rule). */
export async function patchLine(db: Db, shop: string, lineId: bigint, patch: LinePatch): Promise<void> {
  const data = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await db.returnLine.updateMany({ where: { shop, id: lineId }, data });
}

export async function transitionsOf(db: Db, shop: string, lineId: bigint) {
  return db.returnTransition.findMany({ where: { shop, lineId }, orderBy: { id: 'asc' } });
}

/** Cases with a line in one of `states` (needs_rule for a rule save, awaiting-warehouse states for the poll). */
export async function caseIdsWithLinesIn(db: Db, shop: string, states: readonly string[], limit = 500): Promise<bigint[]> {
  const rows = await db.returnLine.findMany({ where: { shop, state: { in: [...states] } }, select: { caseId: true }, distinct: ['caseId'], orderBy: { caseId: 'asc' }, take: limit });
  return rows.map((r) => r.caseId);
}

export async function casesOf(db: Db, shop: string, opts: { status?: string; limit?: number } = {}): Promise<ReturnCaseRow[]> {
  return db.returnCase.findMany({ where: { shop, ...(opts.status ? { status: opts.status } : {}) }, include: withLines, orderBy: { id: 'desc' }, take: opts.limit ?? 100 });
}

// ---- rules -------------------------------------------------------------------------------------------------

export interface RuleRow {
  reasonKey: string;
  disposition: string;
  /** True for a seeded default the shop has not overridden. */
  isDefault: boolean;
}

/** The shop's rule for a key, else the seeded default, else null. */
export async function ruleFor(db: Db, shop: string, key: string): Promise<RuleRow | null> {
  const rows = await db.dispositionRule.findMany({ where: { shop: { in: [shop, DEFAULT_RULES_SHOP] }, reasonKey: key } });
  const own = rows.find((r) => r.shop === shop);
  const r = own ?? rows.find((x) => x.shop === DEFAULT_RULES_SHOP);
  return r ? { reasonKey: r.reasonKey, disposition: r.disposition, isDefault: !own } : null;
}

/** Effective rules of a shop: its own plus the defaults it does not override, by key. */
export async function rulesOf(db: Db, shop: string): Promise<RuleRow[]> {
  const rows = await db.dispositionRule.findMany({ where: { shop: { in: [shop, DEFAULT_RULES_SHOP] } }, orderBy: { reasonKey: 'asc' } });
  const out = new Map<string, RuleRow>();
  for (const r of rows) {
    const existing = out.get(r.reasonKey);
    if (!existing || r.shop === shop) out.set(r.reasonKey, { reasonKey: r.reasonKey, disposition: r.disposition, isDefault: r.shop !== shop });
  }
  return [...out.values()];
}

export async function upsertRule(db: Db, shop: string, key: string, disposition: string): Promise<void> {
  await db.dispositionRule.upsert({
    where: { shop_reasonKey: { shop, reasonKey: key } },
    create: { shop, reasonKey: key, disposition },
    update: { disposition },
  });
}

// ---- settings ---------------------------------------------------------------------------------------------

export interface ReturnSettings {
  /** The connector receives and puts away return inbounds itself (no warehouse staff step). Default false. */
  autoReceive: boolean;
}

export async function returnSettings(db: Db, shop: string): Promise<ReturnSettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const s = (row?.settings ?? {}) as Record<string, unknown>;
  return { autoReceive: s.returnsAutoReceive === true };
}
