// Admin GraphQL request handling: parse → validate against the real 2026-04 schema (answered like Shopify:
// HTTP 200 with `errors`) → cost and leaky-bucket throttle → execute with graphql-js against the same schema.
import {
  GraphQLError,
  Kind,
  execute,
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isLeafType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { loadAdminSchema } from './admin-schema.js';
import { mutationRoot, queryRoot, type ResolverContext } from './resolvers.js';
import { requiredScopes, unmetRequirements } from './scope-analysis.js';

export interface ThrottleConfig {
  /** Bucket size. Shopify Standard plans: 2000 points (restore 100/s); configurable per simulator. */
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
  /** Largest cost a single query may have (Shopify: 1000). */
  maxQueryCost: number;
}

export interface BucketState {
  available: number;
  at: number;
}

export interface GraphqlOutcome {
  body: Record<string, unknown>;
  rootFields: string[];
  operationName: string | null;
  throttled: boolean;
  requestedCost: number | null;
  errorCodes: string[];
  unsupported: string[];
}

/** Marks "valid in Shopify's schema, not implemented by the simulator" — never a silent null. */
class UnsupportedFieldError extends GraphQLError {}

const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
  if (source === null || typeof source !== 'object' || !(info.fieldName in source)) {
    throw new UnsupportedFieldError(
      `Shopify simulator: field ${info.parentType.name}.${info.fieldName} is valid in the 2026-04 schema but not simulated. Add it to test/sim/shopify/resolvers.ts.`,
      { extensions: { code: 'SIMULATOR_UNSUPPORTED_FIELD', typeName: info.parentType.name, fieldName: info.fieldName } },
    );
  }
  const value = (source as Record<string, unknown>)[info.fieldName];
  return typeof value === 'function' ? (value as (a: unknown, c: unknown, i: unknown) => unknown)(args, ctx, info) : value;
};

/** graphql-js validation messages rewritten to the graphql-ruby wording and codes Shopify answers with. */
export function shopifyValidationError(e: GraphQLError): GraphQLFormattedError {
  const base = { locations: e.locations ? [...e.locations] : undefined };
  let m = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(e.message);
  if (m) {
    return { message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, ...base, extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] } };
  }
  m = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(e.message);
  if (m) {
    return { message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`, ...base, extensions: { code: 'argumentNotAccepted', name: m[3], typeName: 'Field', argumentName: m[1] } };
  }
  m = /^Field "(?:[^".]+\.)?([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./.exec(e.message);
  if (m) {
    return { message: `Field '${m[1]}' is missing required arguments: ${m[2]}`, ...base, extensions: { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] } };
  }
  m = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(e.message);
  if (m) {
    return { message: `Variable $${m[1]} is declared by ${m[2] ?? 'anonymous query'} but not used`, ...base, extensions: { code: 'variableNotUsed', variableName: m[1] } };
  }
  m = /^Unknown type "([^"]+)"\./.exec(e.message);
  if (m) {
    return { message: `No such type ${m[1]}, so it can't be a fragment condition`, ...base, extensions: { code: 'undefinedType', typeName: m[1] } };
  }
  m = /^Unknown directive "@([^"]+)"\./.exec(e.message);
  if (m) {
    return { message: `Directive @${m[1]} is not defined`, ...base, extensions: { code: 'undefinedDirective', directiveName: m[1] } };
  }
  return { message: e.message, ...base, extensions: { code: 'validationFailed' } };
}

// ---- cost --------------------------------------------------------------------------------------------

function intArg(node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] }, name: string, vars: Record<string, unknown>): number | null {
  const a = node.arguments?.find((x) => x.name.value === name);
  if (!a) return null;
  if (a.value.kind === Kind.INT) return Number(a.value.value);
  if (a.value.kind === Kind.VARIABLE) {
    const v = vars[a.value.name.value];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/**
 * Shopify's calculated query cost, after its published rules (shopify.dev …/graphql-admin/rate-limits):
 * scalars/enums 0, objects 1, connections 2 + first × (cost of one node) — so nested connections multiply —,
 * each mutation root field 10. An approximation: Shopify's exact figures can differ by a few points.
 */
export function queryCost(
  doc: DocumentNode,
  op: OperationDefinitionNode,
  vars: Record<string, unknown>,
  /** Page size assumed when first/last is a variable without a value (static checks use 250, the maximum). */
  unknownPageSize = 1,
): number {
  const { schema } = loadAdminSchema();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (sel: SelectionSetNode, parent: GraphQLCompositeType, depth: number): number => {
    if (depth > 30) return 0;
    let sum = 0;
    for (const s of sel.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT || s.kind === Kind.FRAGMENT_SPREAD) {
        const frag = s.kind === Kind.FRAGMENT_SPREAD ? fragments.get(s.name.value) : s;
        if (!frag) continue;
        const cond = frag.typeCondition ? (schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        if (cond) sum += walk(frag.selectionSet, cond, depth + 1);
        continue;
      }
      if (s.name.value.startsWith('__')) continue;
      // Unions have no fields of their own (only __typename, skipped above).
      const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[s.name.value] : undefined;
      if (!def) continue;
      const named = getNamedType(def.type);
      if (!named || isLeafType(named)) continue;
      if (named.name.endsWith('Connection') && s.selectionSet && isObjectType(named)) {
        // 2 + first × (cost of one node); pageInfo and other connection-level fields are counted once.
        const size = intArg(s, 'first', vars) ?? intArg(s, 'last', vars) ?? unknownPageSize;
        let perNode = 0;
        let once = 0;
        for (const cs of s.selectionSet.selections) {
          if (cs.kind !== Kind.FIELD || cs.name.value === 'pageInfo' || cs.name.value.startsWith('__')) continue;
          if (cs.name.value === 'nodes' || cs.name.value === 'edges') {
            const inner = cs.selectionSet ? walk(cs.selectionSet, getNamedType(named.getFields()[cs.name.value]!.type) as GraphQLCompositeType, depth + 2) : 0;
            perNode = Math.max(perNode, cs.name.value === 'edges' ? inner : 1 + inner);
          } else {
            once += walk({ kind: Kind.SELECTION_SET, selections: [cs] }, named, depth + 1);
          }
        }
        sum += 2 + size * Math.max(1, perNode) + once;
      } else {
        sum += 1 + (s.selectionSet ? walk(s.selectionSet, named as GraphQLCompositeType, depth + 1) : 0);
      }
    }
    return sum;
  };
  if (op.operation === 'mutation') return 10 * op.selectionSet.selections.length;
  const root = schema.getQueryType()!;
  return Math.max(1, walk(op.selectionSet, root, 0));
}

/**
 * Cost of what was actually returned: like queryCost, but a connection counts the nodes it returned instead of
 * `first`. Shopify deducts the requested cost up front and refunds the difference after execution.
 */
export function actualCost(doc: DocumentNode, op: OperationDefinitionNode, data: unknown): number {
  const { schema } = loadAdminSchema();
  if (op.operation === 'mutation') return 10 * op.selectionSet.selections.length;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (sel: SelectionSetNode, parent: GraphQLCompositeType, value: unknown, depth: number): number => {
    if (depth > 30 || value === null || typeof value !== 'object') return 0;
    if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + walk(sel, parent, v, depth), 0);
    const obj = value as Record<string, unknown>;
    let sum = 0;
    for (const s of sel.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT || s.kind === Kind.FRAGMENT_SPREAD) {
        const frag = s.kind === Kind.FRAGMENT_SPREAD ? fragments.get(s.name.value) : s;
        if (!frag) continue;
        const cond = frag.typeCondition ? (schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        if (cond) sum += walk(frag.selectionSet, cond, obj, depth + 1);
        continue;
      }
      if (s.name.value.startsWith('__')) continue;
      const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[s.name.value] : undefined;
      if (!def) continue;
      const named = getNamedType(def.type);
      if (isLeafType(named) || !s.selectionSet) continue;
      const v = obj[s.alias?.value ?? s.name.value];
      if (named.name.endsWith('Connection') && isObjectType(named)) {
        const conn = (v ?? {}) as Record<string, unknown>;
        let inner = 0;
        for (const cs of s.selectionSet.selections) {
          if (cs.kind !== Kind.FIELD || !cs.selectionSet || (cs.name.value !== 'nodes' && cs.name.value !== 'edges')) continue;
          const list = conn[cs.alias?.value ?? cs.name.value];
          const nodeType = getNamedType(named.getFields()[cs.name.value]!.type) as GraphQLCompositeType;
          const count = Array.isArray(list) ? list.length : 0;
          inner = Math.max(inner, (cs.name.value === 'nodes' ? count : 0) + walk(cs.selectionSet, nodeType, list, depth + 2));
        }
        sum += 2 + inner;
      } else {
        sum += 1 + walk(s.selectionSet, named as GraphQLCompositeType, v, depth + 1);
      }
    }
    return sum;
  };
  return Math.max(1, walk(op.selectionSet, schema.getQueryType()!, data, 0));
}

// ---- request -------------------------------------------------------------------------------------------

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export function runGraphql(
  req: GraphqlRequest,
  ctx: ResolverContext,
  bucket: BucketState,
  throttle: ThrottleConfig,
  now: number,
  forceThrottle: boolean,
  /** Scopes of the access token; a field needing another scope is denied like Shopify does. null: no check. */
  grantedScopes: string[] | null = null,
): GraphqlOutcome {
  const { schema } = loadAdminSchema();
  const out = (body: Record<string, unknown>, extra: Partial<GraphqlOutcome> = {}): GraphqlOutcome => ({
    body,
    rootFields: [],
    operationName: typeof req.operationName === 'string' ? req.operationName : null,
    throttled: false,
    requestedCost: null,
    errorCodes: ((body.errors as GraphQLFormattedError[] | undefined) ?? []).map((e) => String(e.extensions?.code ?? 'error')),
    unsupported: [],
    ...extra,
  });
  if (typeof req.query !== 'string' || req.query.trim() === '') {
    return out({ errors: [{ message: 'No query string was present', extensions: { code: 'BAD_REQUEST' } }] });
  }
  let doc: DocumentNode;
  try {
    doc = parse(req.query);
  } catch (e) {
    const ge = e as GraphQLError;
    return out({ errors: [{ message: `syntax error: ${ge.message.replace(/^Syntax Error: /, '')}`, locations: ge.locations, extensions: { code: 'parseError' } }] });
  }
  const validationErrors = validate(schema, doc);
  if (validationErrors.length > 0) return out({ errors: validationErrors.map(shopifyValidationError) });
  const op = getOperationAST(doc, typeof req.operationName === 'string' ? req.operationName : undefined);
  if (!op) return out({ errors: [{ message: 'An operation name is required', extensions: { code: 'BAD_REQUEST' } }] });
  if (op.operation === 'subscription') return out({ errors: [{ message: 'Subscriptions are not supported', extensions: { code: 'BAD_REQUEST' } }] });
  const rootFields = op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  if (grantedScopes) {
    const denied = unmetRequirements(requiredScopes(doc), grantedScopes);
    if (denied.length > 0) {
      return out(
        {
          errors: denied.map((r) => {
            const [type, field] = r.by.split('.');
            const requiredAccess = `${r.anyOf.map((x) => `\`${x}\` access scope`).join(' or ')}.`;
            return {
              message: field ? `Access denied for ${field} field. Required access: ${requiredAccess}` : `Access denied for ${type} object. Required access: ${requiredAccess}`,
              locations: r.location ? [r.location] : undefined,
              extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess },
            };
          }),
        },
        { rootFields },
      );
    }
  }
  const vars = req.variables && typeof req.variables === 'object' ? (req.variables as Record<string, unknown>) : {};

  const requested = queryCost(doc, op, vars);
  // Leaky bucket: refill for the time since the last request, capped at the bucket size.
  bucket.available = Math.min(throttle.maximumAvailable, bucket.available + ((now - bucket.at) / 1000) * throttle.restoreRate);
  bucket.at = now;
  const status = () => ({
    maximumAvailable: throttle.maximumAvailable,
    currentlyAvailable: Math.floor(bucket.available),
    restoreRate: throttle.restoreRate,
  });
  if (requested > throttle.maxQueryCost) {
    return out(
      {
        errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${throttle.maxQueryCost}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: throttle.maxQueryCost } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() } },
      },
      { rootFields, requestedCost: requested },
    );
  }
  if (forceThrottle || requested > bucket.available) {
    return out(
      {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() } },
      },
      { rootFields, requestedCost: requested, throttled: true },
    );
  }

  const result = execute({
    schema,
    document: doc,
    rootValue: op.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx),
    contextValue: ctx,
    variableValues: vars,
    operationName: typeof req.operationName === 'string' ? req.operationName : undefined,
    fieldResolver,
  });
  if (result instanceof Promise) throw new Error('simulator resolvers must be synchronous');
  // Deduct what was asked for, refund what was not returned (Shopify's requested vs actual cost).
  const actual = Math.min(requested, actualCost(doc, op, result.data));
  bucket.available -= actual;
  const unsupported: string[] = [];
  const errors = result.errors?.map((e) => {
    const f = e.toJSON();
    if (e.originalError instanceof UnsupportedFieldError) unsupported.push(`${e.originalError.extensions.typeName}.${e.originalError.extensions.fieldName}`);
    // Variable coercion failures come without data; Shopify calls them INVALID_VARIABLE.
    if (!result.data && /^Variable "\$/.test(e.message)) return { ...f, extensions: { ...f.extensions, code: 'INVALID_VARIABLE' } };
    return f;
  });
  const body: Record<string, unknown> = {};
  if (errors) body.errors = errors;
  if (result.data !== undefined) body.data = result.data;
  body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status() } };
  return out(body, { rootFields, requestedCost: requested, unsupported });
}
