// Migrations are written by hand or generated from a schema diff (the offline engine has no shadow database
// for `migrate dev`), so this gate proves that applying every migration gives exactly the database that
// prisma/schema.prisma describes: same tables, columns, types, defaults, indexes, constraints and enums.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaDiffSql } from '../../../server/db/schema-sql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';

const CATALOG = {
  columns: `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
            ORDER BY 1, 2`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`,
  enums: `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t
          JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`,
};

async function catalog(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [key, sql] of Object.entries(CATALOG)) out[key] = (await client.query(sql)).rows;
    return out;
  } finally {
    await client.end();
  }
}

describe('migrations match prisma/schema.prisma', () => {
  let migrated: TestDatabase;
  let fromSchema: TestDatabase;

  beforeAll(async () => {
    migrated = await createTestDatabase({ poolSize: 1 });
    fromSchema = await createTestDatabase({ poolSize: 1 });
    // Empty the second one and build it straight from the schema.
    const c = new pg.Client({ connectionString: fromSchema.url });
    await c.connect();
    await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await c.query(await schemaDiffSql(null, fromSchema.url));
    await c.end();
  });
  afterAll(async () => {
    await migrated?.drop();
    await fromSchema?.drop();
  });

  it('applying every migration gives the same tables, columns, indexes, constraints and enums as the schema', async () => {
    const [a, b] = await Promise.all([catalog(migrated.url), catalog(fromSchema.url)]);
    expect(a.columns!.length).toBeGreaterThan(10);
    expect(a).toEqual(b);
  });
});
