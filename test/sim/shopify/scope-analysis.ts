// Which access scopes a GraphQL document needs, from the schema file's `offline_scopes`: every selected field
// contributes its field-level scopes and the type-level scopes of the object type it returns. Each
// requirement is "any one of these scopes". A write_X scope also grants read_X (Shopify's access-scope rule).
// Used by the scope fidelity test (shopify.app.toml) and by the simulator (ACCESS_DENIED like Shopify).
import {
  Kind,
  TypeInfo,
  getLocation,
  getNamedType,
  isObjectType,
  parse,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
} from 'graphql';
import { loadAdminSchema } from './admin-schema.js';

export interface ScopeRequirement {
  /** Any one of these satisfies it. */
  anyOf: string[];
  /** "Type.field" or "Type" that asked for it. */
  by: string;
  location: { line: number; column: number } | null;
}

export function requiredScopes(document: string | DocumentNode): ScopeRequirement[] {
  const { schema, scopesFor } = loadAdminSchema();
  const doc = typeof document === 'string' ? parse(document) : document;
  const typeInfo = new TypeInfo(schema);
  const out: ScopeRequirement[] = [];
  const seen = new Set<string>();
  const add = (anyOf: string[], by: string, node: FieldNode) => {
    if (anyOf.length === 0) return;
    const key = `${by}|${anyOf.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    const loc = node.loc ? getLocation(node.loc.source, node.loc.start) : undefined;
    out.push({ anyOf: [...anyOf].sort(), by, location: loc ? { line: loc.line, column: loc.column } : null });
  };
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD]: (node: FieldNode) => {
        const parent = typeInfo.getParentType();
        const def = typeInfo.getFieldDef();
        if (!parent || !def || node.name.value.startsWith('__')) return;
        add(scopesFor(parent.name, def.name), `${parent.name}.${def.name}`, node);
        const named = getNamedType(def.type);
        if (isObjectType(named)) add(scopesFor(named.name), named.name, node);
      },
    }),
  );
  return out;
}

/** write_X grants read_X. */
export function expandGranted(granted: Iterable<string>): Set<string> {
  const s = new Set<string>();
  for (const g of granted) {
    s.add(g);
    if (g.startsWith('write_')) s.add(`read_${g.slice('write_'.length)}`);
  }
  return s;
}

export function unmetRequirements(reqs: ScopeRequirement[], granted: Iterable<string>): ScopeRequirement[] {
  const g = expandGranted(granted);
  return reqs.filter((r) => !r.anyOf.some((s) => g.has(s)));
}

/**
 * Scopes a webhook topic needs the app to hold (Shopify only delivers a topic to an app with read access to
 * the resource). [unverified per topic beyond the resource rule] — keep in step with the toml's topics.
 */
export const WEBHOOK_TOPIC_SCOPES: Record<string, string[]> = {
  orders: ['read_orders'],
  refunds: ['read_orders'],
  returns: ['read_returns'],
  reverse_fulfillment_orders: ['read_returns'],
  reverse_deliveries: ['read_returns'],
  fulfillment_orders: ['read_merchant_managed_fulfillment_orders', 'read_assigned_fulfillment_orders', 'read_third_party_fulfillment_orders'],
  fulfillments: ['read_fulfillments', 'read_orders'],
  inventory_levels: ['read_inventory'],
  inventory_items: ['read_inventory', 'read_products'],
  products: ['read_products'],
  locations: ['read_locations'],
  app: [],
  customers: [],
  shop: [],
};

export function topicScopes(topic: string): string[] | undefined {
  return WEBHOOK_TOPIC_SCOPES[topic.split('/')[0]!];
}

export interface ScopeReport {
  /** Requirements none of the granted scopes meets. */
  missing: ScopeRequirement[];
  /** Granted scopes no requirement lists (and not explained in `justified`). */
  unneeded: string[];
}

/**
 * Compares granted scopes with what the documents and subscribed webhook topics need. A granted scope is needed
 * when some requirement lists it; `justified` explains scopes needed for reasons the documents cannot show.
 */
export function scopeReport(
  granted: string[],
  documents: string[],
  topics: string[],
  justified: Record<string, string> = {},
): ScopeReport {
  const reqs = documents.flatMap((d) => requiredScopes(d));
  for (const t of topics) {
    const anyOf = topicScopes(t);
    if (anyOf === undefined) throw new Error(`no scope rule for webhook topic ${t}: add it to WEBHOOK_TOPIC_SCOPES`);
    if (anyOf.length > 0) reqs.push({ anyOf, by: `webhook ${t}`, location: null });
  }
  const listed = new Set(reqs.flatMap((r) => r.anyOf));
  return {
    missing: unmetRequirements(reqs, granted),
    unneeded: granted.filter((s) => !listed.has(s) && !(s in justified)),
  };
}
