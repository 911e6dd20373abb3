// Shopify's published Admin GraphQL schema for 2026-04, read offline from @shopify/dev-mcp's data folder.
// One parse per process (≈100 ms, ~9k fields); every validator and the simulator share it.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

export const ADMIN_API_VERSION = '2026-04';

/** One entry of the file's `offline_scopes.items`: the scopes (any one suffices) a type or field needs. */
export interface OfflineScopeEntry {
  type: 'type' | 'field';
  typeName: string;
  fieldName?: string;
  returnType?: string;
  kind?: string;
  requiredAccess: string;
  offlineScopes: string[];
}

export interface AdminSchema {
  version: string;
  schema: GraphQLSchema;
  /** `offline_scopes.items` as shipped. */
  offlineScopes: OfflineScopeEntry[];
  /** Scopes for a type ("Order") or a field ("Mutation.inventorySetQuantities"); [] when none are listed. */
  scopesFor(typeName: string, fieldName?: string): string[];
}

let cached: AdminSchema | undefined;

export function adminSchemaFile(version = ADMIN_API_VERSION): string {
  // The package exports only an ESM entry (no package.json, no data), so go by the repo's node_modules.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return path.join(root, 'node_modules', '@shopify', 'dev-mcp', 'dist', 'data', `admin_${version}.json.gz`);
}

export function loadAdminSchema(): AdminSchema {
  if (cached) return cached;
  const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(adminSchemaFile())).toString('utf8')) as {
    data: IntrospectionQuery;
    offline_scopes: { items: OfflineScopeEntry[] };
  };
  const schema = buildClientSchema(raw.data);
  const offlineScopes = raw.offline_scopes.items;
  const index = new Map<string, string[]>();
  for (const e of offlineScopes) {
    index.set(e.type === 'type' ? e.typeName : `${e.typeName}.${e.fieldName}`, e.offlineScopes ?? []);
  }
  cached = {
    version: ADMIN_API_VERSION,
    schema,
    offlineScopes,
    scopesFor: (typeName, fieldName) => index.get(fieldName ? `${typeName}.${fieldName}` : typeName) ?? [],
  };
  return cached;
}
