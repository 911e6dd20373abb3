// When is the next pending job due? Lets an idle worker sleep exactly until then instead of polling blind.
import type pg from 'pg';

const SQL = `SELECT min(run_at) AS next FROM job WHERE state = 'pending' AND type = ANY($1::text[])`;

export async function nextRunAt(db: pg.Pool | pg.PoolClient, types: string[]): Promise<Date | null> {
  const res = await db.query<{ next: Date | null }>({ name: 'wms_next_run_at', text: SQL, values: [types] });
  return res.rows[0]?.next ?? null;
}
