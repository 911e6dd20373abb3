// Collects every GraphQL document the app can send and checks it against Shopify's 2026-04 schema.
// Convention (docs/shopify-simulator.md): each module in server/adapters/shopify/graphql/ exports its documents
// as named string constants tagged /* GraphQL */, or the folder holds .graphql files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GraphQLError, Kind, parse, validate, visit, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { loadAdminSchema } from './admin-schema.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const APP_GRAPHQL_DIR = path.join(REPO_ROOT, 'server', 'adapters', 'shopify', 'graphql');

/**
 * Mutations 2026-04 refuses at run time without @idempotent (reference §4.2, changelog 2025-12-12); the schema
 * cannot say so (the directive is optional there), so the gate checks it.
 */
export const IDEMPOTENT_REQUIRED_MUTATIONS = [
  'inventoryAdjustQuantities',
  'inventoryMoveQuantities',
  'inventorySetQuantities',
  'inventorySetOnHandQuantities',
  'inventoryShipmentCreate',
  'inventoryShipmentCreateInTransit',
  'inventoryShipmentReceive',
  'refundCreate',
];

export interface AppDocument {
  /** "orders.ts#ORDERS_UPDATED_SINCE_QUERY" or "stock.graphql". */
  name: string;
  /** The document as sent, plus fragment definitions it spreads from other constants. */
  text: string;
}

const GRAPHQL_START = /^\s*(#[^\n]*\n\s*)*(query|mutation|subscription|fragment)\b|^\s*\{/;

function isGraphqlText(v: unknown): v is string {
  return typeof v === 'string' && GRAPHQL_START.test(v);
}

/**
 * Imports every module of the folder and returns each exported GraphQL string. Throws when a file tags more
 * /* GraphQL *\/ literals than it exports documents (a document that cannot be found cannot be checked).
 */
export async function collectAppDocuments(dir = APP_GRAPHQL_DIR): Promise<AppDocument[]> {
  if (!fs.existsSync(dir)) return [];
  const raw: AppDocument[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, file);
    if (file.endsWith('.graphql') || file.endsWith('.gql')) {
      raw.push({ name: file, text: fs.readFileSync(full, 'utf8') });
      continue;
    }
    if (!/\.(ts|js|mjs)$/.test(file) || /\.(test|spec|d)\.ts$/.test(file)) continue;
    const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
    const found = Object.entries(mod).filter(([, v]) => isGraphqlText(v));
    const tagged = (fs.readFileSync(full, 'utf8').match(/\/\*\s*GraphQL\s*\*\//g) ?? []).length;
    if (tagged > found.length) {
      throw new Error(`${file}: ${tagged} /* GraphQL */ literals but only ${found.length} exported documents — export every document`);
    }
    for (const [name, v] of found) raw.push({ name: `${file}#${name}`, text: v as string });
  }
  // Fragments defined in one constant and spread in another: append the definitions a document needs.
  const fragments = new Map<string, string>();
  for (const d of raw) {
    try {
      for (const def of parse(d.text).definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, printFragmentSource(d.text, def));
      }
    } catch {
      // Unparseable documents are reported by validateAppDocument.
    }
  }
  return raw.map((d) => ({ ...d, text: withFragments(d.text, fragments) }));
}

function printFragmentSource(text: string, def: FragmentDefinitionNode): string {
  return def.loc ? text.slice(def.loc.start, def.loc.end) : '';
}

function withFragments(text: string, fragments: Map<string, string>): string {
  let out = text;
  for (let guard = 0; guard < 20; guard++) {
    let doc: DocumentNode;
    try {
      doc = parse(out);
    } catch {
      return out;
    }
    const defined = new Set(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])));
    const missing = new Set<string>();
    visit(doc, { FragmentSpread: (n) => void (!defined.has(n.name.value) && fragments.has(n.name.value) && missing.add(n.name.value)) });
    if (missing.size === 0) return out;
    out = `${out}\n${[...missing].map((m) => fragments.get(m)).join('\n')}`;
  }
  return out;
}

/** Problems Shopify 2026-04 would answer for this document: syntax, schema validation, missing @idempotent. */
export function validateAppDocument(text: string): string[] {
  const { schema } = loadAdminSchema();
  let doc: DocumentNode;
  try {
    doc = parse(text);
  } catch (e) {
    return [`syntax: ${(e as GraphQLError).message}`];
  }
  const problems = validate(schema, doc).map((e) => e.message);
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION || def.operation !== 'mutation') continue;
    for (const sel of def.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD || !IDEMPOTENT_REQUIRED_MUTATIONS.includes(sel.name.value)) continue;
      if (!sel.directives?.some((d) => d.name.value === 'idempotent')) {
        problems.push(`${sel.name.value} needs @idempotent(key: …) in API version 2026-04`);
      }
    }
  }
  return problems;
}

/** A copy of the document with an unknown field added to its first operation's first selection set. */
export function breakDocument(text: string): string {
  const doc = parse(text);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) ?? doc.definitions[0]!;
  const start = (op as { selectionSet: { loc?: { start: number } } }).selectionSet.loc!.start;
  return `${text.slice(0, start + 1)} simulatorGateProbeUnknownField ${text.slice(start + 1)}`;
}

/** Shopify's single-query cost ceiling (MAX_COST_EXCEEDED above it). */
export const MAX_QUERY_COST = 1000;

/** Requested cost of the document's first operation, with variable page sizes at their maximum (250). */
export async function documentCost(text: string): Promise<number> {
  const { queryCost } = await import('./graphql-handler.js');
  const doc = parse(text);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) return 0;
  return queryCost(doc, op, {}, 250);
}
