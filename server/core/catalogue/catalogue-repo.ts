// Catalogue variants joined with their mappings, for the mappings page: one indexed query per page with the
// total count (window function), search over SKU / titles / goods codes, filters. Scoped by shop.
import { Prisma, type PrismaClient } from '@prisma/client';
import type { CatalogueVariantInput } from './catalogue-ports.js';

type Db = PrismaClient | Prisma.TransactionClient;

export type MappingFilter = 'all' | 'unmapped' | 'mapped' | 'bundles';

export interface MappingListQuery {
  page: number; // 1-based
  pageSize: number;
  query: string;
  filter: MappingFilter;
}

export interface MappingComponent {
  goodsCode: string;
  quantity: number;
}

export interface MappingListRow {
  variantId: string;
  sku: string | null;
  title: string;
  productTitle: string;
  components: MappingComponent[];
  /** Per-variant stock buffer override (null: the shop default applies). */
  buffer?: number | null;
}

interface RawRow {
  variant_id: string;
  sku: string | null;
  title: string;
  product_title: string;
  components: MappingComponent[] | null;
  buffer: number | null;
  total: bigint;
}

/** LIKE pattern for a free-text search (the user's % and _ match literally). */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listMappingRows(db: Db, shop: string, q: MappingListQuery): Promise<{ rows: MappingListRow[]; total: number }> {
  const where: Prisma.Sql[] = [Prisma.sql`v.shop = ${shop}`];
  if (q.query) {
    const p = likePattern(q.query);
    where.push(Prisma.sql`(v.sku ILIKE ${p} OR v.title ILIKE ${p} OR v.product_title ILIKE ${p} OR m.components::text ILIKE ${p})`);
  }
  if (q.filter === 'unmapped') where.push(Prisma.sql`m.variant_id IS NULL`);
  if (q.filter === 'mapped') where.push(Prisma.sql`m.variant_id IS NOT NULL`);
  if (q.filter === 'bundles') where.push(Prisma.sql`(jsonb_array_length(m.components) > 1 OR (m.components->0->>'quantity')::int > 1)`);
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT v.variant_id, v.sku, v.title, v.product_title, m.components, b.units AS buffer, count(*) OVER () AS total
    FROM catalogue_variant v
    LEFT JOIN sku_mapping m ON m.shop = v.shop AND m.variant_id = v.variant_id
    LEFT JOIN stock_buffer b ON b.shop = v.shop AND b.variant_id = v.variant_id
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY v.product_title, v.title, v.variant_id
    LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.page > 1) {
    // Past the last page: the window count is not available, ask for it.
    const c = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM catalogue_variant v
      LEFT JOIN sku_mapping m ON m.shop = v.shop AND m.variant_id = v.variant_id
      WHERE ${Prisma.join(where, ' AND ')}`;
    total = Number(c[0]?.n ?? 0);
  }
  return {
    total,
    rows: rows.map((r) => ({ variantId: r.variant_id, sku: r.sku, title: r.title, productTitle: r.product_title, components: r.components ?? [], buffer: r.buffer })),
  };
}

export async function findVariant(db: Db, shop: string, variantId: string) {
  return db.catalogueVariant.findUnique({ where: { shop_variantId: { shop, variantId } } });
}

export async function variantsBySku(db: Db, shop: string, skus: string[]) {
  return db.catalogueVariant.findMany({ where: { shop, sku: { in: skus } }, select: { variantId: true, sku: true } });
}

export async function variantsByIds(db: Db, shop: string, ids: string[]) {
  return db.catalogueVariant.findMany({ where: { shop, variantId: { in: ids } }, select: { variantId: true, sku: true } });
}

/** Variants with a SKU and no mapping (auto-match candidates). */
export async function unmappedWithSku(db: Db, shop: string): Promise<{ variantId: string; sku: string; title: string; productTitle: string }[]> {
  const rows = await db.$queryRaw<{ variant_id: string; sku: string; title: string; product_title: string }[]>`
    SELECT v.variant_id, v.sku, v.title, v.product_title FROM catalogue_variant v
    LEFT JOIN sku_mapping m ON m.shop = v.shop AND m.variant_id = v.variant_id
    WHERE v.shop = ${shop} AND m.variant_id IS NULL AND v.sku IS NOT NULL AND v.sku <> ''
    ORDER BY v.product_title, v.title, v.variant_id`;
  return rows.map((r) => ({ variantId: r.variant_id, sku: r.sku, title: r.title, productTitle: r.product_title }));
}

/** Every variant with its components (none when unmapped), for the CSV export. */
export async function allVariantsWithMappings(db: Db, shop: string): Promise<MappingListRow[]> {
  const rows = await db.$queryRaw<Omit<RawRow, 'total' | 'buffer'>[]>`
    SELECT v.variant_id, v.sku, v.title, v.product_title, m.components FROM catalogue_variant v
    LEFT JOIN sku_mapping m ON m.shop = v.shop AND m.variant_id = v.variant_id
    WHERE v.shop = ${shop} ORDER BY v.product_title, v.title, v.variant_id`;
  return rows.map((r) => ({ variantId: r.variant_id, sku: r.sku, title: r.title, productTitle: r.product_title, components: r.components ?? [] }));
}

export async function deleteMapping(db: Db, shop: string, variantId: string): Promise<boolean> {
  const r = await db.skuMapping.deleteMany({ where: { shop, variantId } });
  return r.count > 0;
}

/** Upserts a page of variants in one statement (unnest of column arrays). */
export async function upsertVariants(db: Db, shop: string, variants: CatalogueVariantInput[], at: Date): Promise<void> {
  if (variants.length === 0) return;
  await db.$executeRaw`
    INSERT INTO catalogue_variant (shop, variant_id, sku, title, product_title, inventory_item_id, synced_at)
    SELECT ${shop}, u.variant_id, u.sku, u.title, u.product_title, u.inventory_item_id, ${at}
    FROM unnest(${variants.map((v) => v.variantId)}::text[], ${variants.map((v) => v.sku)}::text[], ${variants.map((v) => v.title)}::text[],
                ${variants.map((v) => v.productTitle)}::text[], ${variants.map((v) => v.inventoryItemId)}::text[])
         AS u(variant_id, sku, title, product_title, inventory_item_id)
    ON CONFLICT (shop, variant_id) DO UPDATE SET sku = EXCLUDED.sku, title = EXCLUDED.title,
      product_title = EXCLUDED.product_title, inventory_item_id = EXCLUDED.inventory_item_id, synced_at = EXCLUDED.synced_at`;
}

/** Variants not seen by a complete sync started at `startedAt` were deleted in the shop. */
export async function deleteVariantsNotSeenSince(db: Db, shop: string, startedAt: Date): Promise<number> {
  const r = await db.catalogueVariant.deleteMany({ where: { shop, syncedAt: { lt: startedAt } } });
  return r.count;
}

export async function catalogueSyncState(db: Db, shop: string) {
  return db.catalogueSync.findUnique({ where: { shop } });
}

export async function setCatalogueSync(db: Db, shop: string, data: { state: string; fetched: number; startedAt?: Date; finishedAt?: Date | null; error?: string | null }) {
  await db.catalogueSync.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}
