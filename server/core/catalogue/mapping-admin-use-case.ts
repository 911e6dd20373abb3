// What the mappings page does: inline edit (goods checked against the warehouse), unmap, auto-match
// (variant SKU = goods code) with a preview, CSV import (all rows valid or nothing applied) and export.
// Writes go through saveMapping/saveMappings (server/core/mapping) so orders waiting for a mapping resume.
import type { PrismaClient } from '@prisma/client';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { saveMapping, saveMappings } from '../mapping/save-mapping-use-case.js';
import { NotFound, ValidationFailed, type GoodsDirectory } from './catalogue-ports.js';
import {
  allVariantsWithMappings,
  deleteMapping,
  findVariant,
  unmappedWithSku,
  variantsByIds,
  variantsBySku,
  type MappingComponent,
} from './catalogue-repo.js';

export interface MappingDeps {
  db: PrismaClient;
  goods: GoodsDirectory;
}

/** A bundle of more than 20 different goods is almost certainly a data mistake. */
export const MAX_COMPONENTS = 20;
/** CSV import cap: 50,000 rows is 5× the catalogue size we plan for, still one transaction. */
export const MAX_CSV_ROWS = 50_000;

export async function editMapping(deps: MappingDeps, shop: string, variantId: string, components: MappingComponent[]) {
  const variant = await findVariant(deps.db, shop, variantId);
  if (!variant) throw new NotFound(`no variant ${variantId} in this shop's catalogue`);
  const errors: Record<string, string> = {};
  if (components.length === 0) errors.components = 'Add at least one goods code';
  if (components.length > MAX_COMPONENTS) errors.components = `At most ${MAX_COMPONENTS} components`;
  const seen = new Set<string>();
  components.forEach((c, i) => {
    if (seen.has(c.goodsCode)) errors[`components.${i}.goodsCode`] = 'Listed twice';
    seen.add(c.goodsCode);
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  const existing = await deps.goods.existing(components.map((c) => c.goodsCode));
  components.forEach((c, i) => {
    if (!existing.has(c.goodsCode)) errors[`components.${i}.goodsCode`] = `Goods ${c.goodsCode} does not exist in GreaterWMS`;
  });
  if (Object.keys(errors).length) throw new ValidationFailed(errors);
  return saveMapping(deps.db, shop, { variantId, sku: variant.sku, components });
}

export async function removeMapping(db: PrismaClient, shop: string, variantId: string): Promise<void> {
  if (!(await deleteMapping(db, shop, variantId))) throw new NotFound(`variant ${variantId} has no mapping`);
}

export interface AutoMatchCandidate {
  variantId: string;
  sku: string;
  title: string;
  productTitle: string;
}

/** Unmapped variants whose SKU is exactly an existing goods code. Nothing is written. */
export async function autoMatchPreview(deps: MappingDeps, shop: string): Promise<{ matches: AutoMatchCandidate[]; unmatched: number }> {
  const candidates = await unmappedWithSku(deps.db, shop);
  const existing = await deps.goods.existing([...new Set(candidates.map((c) => c.sku))]);
  const matches = candidates.filter((c) => existing.has(c.sku));
  return { matches, unmatched: candidates.length - matches.length };
}

/** Applies the previewed matches the merchant kept (re-checked: still unmapped, goods still exist). */
export async function autoMatchApply(deps: MappingDeps, shop: string, variantIds: string[]) {
  const { matches } = await autoMatchPreview(deps, shop);
  const wanted = new Set(variantIds);
  const chosen = matches.filter((m) => wanted.has(m.variantId));
  const r = await saveMappings(deps.db, shop, chosen.map((m) => ({ variantId: m.variantId, sku: m.sku, components: [{ goodsCode: m.sku, quantity: 1 }] })));
  return { applied: chosen.length, skipped: variantIds.length - chosen.length, resumedOrders: r.resumedOrders };
}

// ---- CSV -------------------------------------------------------------------------------------------------

export const CSV_COLUMNS = ['variant_id', 'sku', 'product', 'variant', 'goods_code', 'quantity'] as const;

export interface CsvRowError {
  /** Line in the file (the header is line 1). */
  line: number;
  sku: string | null;
  message: string;
}

export interface CsvImportResult {
  applied: boolean;
  /** Variants whose mapping the file sets (a bundle = several rows, one variant). */
  mappings: number;
  /** Rows without a goods code (left unmapped). */
  skippedRows: number;
  errors: CsvRowError[];
  resumedOrders: number;
}

/** Export: one row per component; unmapped variants get one row with an empty goods code to fill in. */
export async function exportMappingsCsv(db: PrismaClient, shop: string): Promise<string> {
  const rows = await allVariantsWithMappings(db, shop);
  const out: (string | number)[][] = [];
  for (const r of rows) {
    const base = [r.variantId, r.sku ?? '', r.productTitle, r.title];
    if (r.components.length === 0) out.push([...base, '', '']);
    for (const c of r.components) out.push([...base, c.goodsCode, c.quantity]);
  }
  return stringify(out, { header: true, columns: [...CSV_COLUMNS] });
}

/**
 * Import: columns sku (or variant_id), goods_code, quantity (default 1); other columns are ignored. Rows of one
 * variant form its bundle and replace its mapping. Every row is checked (variant known and unambiguous, whole
 * quantity ≥ 1, goods exist in the warehouse); any error → nothing is applied and every bad row is reported.
 */
export async function importMappingsCsv(deps: MappingDeps, shop: string, text: string): Promise<CsvImportResult> {
  const result: CsvImportResult = { applied: false, mappings: 0, skippedRows: 0, errors: [], resumedOrders: 0 };
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (err) {
    result.errors.push({ line: 0, sku: null, message: `Not a readable CSV file: ${(err as Error).message}` });
    return result;
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  if (records.length === 0) {
    result.errors.push({ line: 0, sku: null, message: 'The file has no rows' });
    return result;
  }
  if (!header.includes('goods_code') || (!header.includes('sku') && !header.includes('variant_id'))) {
    result.errors.push({ line: 1, sku: null, message: 'The header must name the columns sku (or variant_id) and goods_code' });
    return result;
  }
  if (records.length > MAX_CSV_ROWS) {
    result.errors.push({ line: 0, sku: null, message: `At most ${MAX_CSV_ROWS} rows per file` });
    return result;
  }
  type Row = { line: number; sku: string | null; variantId: string | null; goodsCode: string; quantity: number };
  const rows: Row[] = [];
  records.forEach((r, i) => {
    const line = i + 2;
    const sku = r.sku || null;
    const goodsCode = r.goods_code ?? '';
    if (!goodsCode) {
      result.skippedRows++;
      return;
    }
    const qText = r.quantity ?? '';
    const quantity = qText === '' ? 1 : Number(qText);
    if (!Number.isInteger(quantity) || quantity < 1) {
      result.errors.push({ line, sku, message: `Quantity "${qText}" must be a whole number of at least 1` });
      return;
    }
    if (!sku && !r.variant_id) {
      result.errors.push({ line, sku, message: 'Give a sku or a variant_id' });
      return;
    }
    rows.push({ line, sku, variantId: r.variant_id || null, goodsCode, quantity });
  });

  // Variants: by id when given, else by SKU (must be exactly one variant of the shop).
  const byId = new Map((await variantsByIds(deps.db, shop, [...new Set(rows.flatMap((r) => (r.variantId ? [r.variantId] : [])))])).map((v) => [v.variantId, v]));
  const bySku = new Map<string, string[]>();
  for (const v of await variantsBySku(deps.db, shop, [...new Set(rows.flatMap((r) => (!r.variantId && r.sku ? [r.sku] : [])))])) {
    bySku.set(v.sku!, [...(bySku.get(v.sku!) ?? []), v.variantId]);
  }
  const existing = await deps.goods.existing([...new Set(rows.map((r) => r.goodsCode))]);
  const mappings = new Map<string, { sku: string | null; components: MappingComponent[] }>();
  for (const r of rows) {
    let variantId: string;
    if (r.variantId) {
      if (!byId.has(r.variantId)) {
        result.errors.push({ line: r.line, sku: r.sku, message: `No variant ${r.variantId} in this shop` });
        continue;
      }
      variantId = r.variantId;
    } else {
      const ids = bySku.get(r.sku!) ?? [];
      if (ids.length !== 1) {
        result.errors.push({
          line: r.line,
          sku: r.sku,
          message: ids.length === 0 ? `No variant has SKU ${r.sku}` : `SKU ${r.sku} is on ${ids.length} variants: add the variant_id column`,
        });
        continue;
      }
      variantId = ids[0]!;
    }
    if (!existing.has(r.goodsCode)) {
      result.errors.push({ line: r.line, sku: r.sku, message: `Goods ${r.goodsCode} does not exist in GreaterWMS` });
      continue;
    }
    const m = mappings.get(variantId) ?? { sku: r.sku, components: [] };
    const same = m.components.find((c) => c.goodsCode === r.goodsCode);
    if (same) {
      result.errors.push({ line: r.line, sku: r.sku, message: `Goods ${r.goodsCode} is listed twice for this variant` });
      continue;
    }
    m.components.push({ goodsCode: r.goodsCode, quantity: r.quantity });
    mappings.set(variantId, m);
  }
  result.errors.sort((a, b) => a.line - b.line);
  result.mappings = mappings.size;
  if (result.errors.length > 0) return result;
  const saved = await saveMappings(deps.db, shop, [...mappings].map(([variantId, m]) => ({ variantId, sku: m.sku, components: m.components })));
  return { ...result, applied: true, resumedOrders: saved.resumedOrders };
}
