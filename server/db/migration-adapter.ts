// Driver adapter used only by the Prisma CLI's JavaScript schema engine (migrate deploy/dev/diff).
// Works around two faults of @prisma/adapter-pg 6.19.3 seen on PostgreSQL:
//  1. introspection returns `name` (OID 19) and `"char"` (OID 18) columns that the adapter cannot
//     deserialise (prisma/orm#27403) -> we report them as `text` (OID 25) at the protocol layer;
//  2. the stock shadow database for `migrate dev` points at the main database and drops it -> we create a
//     throw-away database ourselves and drop it after closing.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const TEXT_OID = 25;
const REMAPPED_OIDS = new Set([18, 19]);
let patched = false;

function patchRowDescription(): void {
  if (patched) return;
  patched = true;
  // `Query` is not in pg's typings but is what the client uses to parse every result.
  const Query = (pg as unknown as { Query: { prototype: Record<string, unknown> } }).Query;
  const original = Query.prototype.handleRowDescription as (msg: { fields: { dataTypeID: number }[] }) => void;
  Query.prototype.handleRowDescription = function (msg: { fields: { dataTypeID: number }[] }) {
    for (const field of msg.fields) if (REMAPPED_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return original.call(this, msg);
  };
}

export function migrationAdapterFactory(connectionString: string) {
  patchRowDescription();
  // idleTimeoutMillis: otherwise the CLI waits for the pool's 10 s idle timeout before exiting.
  const factory = new PrismaPg({ connectionString, idleTimeoutMillis: 1 });
  return Object.assign(factory, {
    async connectToShadowDb() {
      const shadowName = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${shadowName}"`);
      await admin.end();
      const shadowUrl = new URL(connectionString);
      shadowUrl.pathname = `/${shadowName}`;
      const adapter = await new PrismaPg({ connectionString: shadowUrl.toString(), idleTimeoutMillis: 1 }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        const cleanup = new pg.Client({ connectionString });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
        await cleanup.end();
      };
      return adapter;
    },
  });
}
