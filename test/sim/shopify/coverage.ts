// Which schema fields the simulator implements, found by crawling the objects its resolvers build for a
// sample shop (order, fulfilment, return, stock change). Lets a test name every field an app document selects
// that the simulator would answer with SIMULATOR_UNSUPPORTED_FIELD — before any test runs into it.
import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  visit,
  visitWithTypeInfo,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from 'graphql';
import { loadAdminSchema } from './admin-schema.js';
import { mutationRoot, queryRoot, type ResolverContext } from './resolvers.js';
import { gid } from './state.js';
import { ShopStore } from './store.js';

type Obj = Record<string, unknown>;

let cached: Map<string, Set<string>> | undefined;
const valueProblems = new Set<string>();

/** Values the sample objects hold that the schema would refuse (null in non-null, unknown enum value…). */
export function simulatedValueProblems(): string[] {
  simulatedFields();
  return [...valueProblems].sort();
}

function sampleContext(): { ctx: ResolverContext; ids: Record<string, string> } {
  const store = new ShopStore({ now: () => Date.parse('2026-06-01T10:00:00Z') });
  const shop = store.seedShop({
    shop: 'coverage',
    products: [{ title: 'Mug', variants: [{ sku: 'MUG-1', stock: { 'Main warehouse': 5 } }] }],
  });
  const order = store.addOrder(shop.domain, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
  const fo = shop.fulfillmentOrders.get(order.fulfillmentOrderIds[0]!)!;
  const created = store.createFulfillment(shop, { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: gid('FulfillmentOrder', fo.id) }], trackingInfo: { number: '1' } }, null);
  if ('errors' in created) throw new Error('coverage sample: fulfilment failed');
  const ret = store.createReturn(shop.domain, order.id, [{ sku: 'MUG-1', quantity: 1 }]);
  // A fulfilment-service FO with a request, so merchant requests and assigned FOs are crawled too.
  const wms = store.addLocation(shop.domain, { name: 'WMS', isFulfillmentService: true });
  const serviceOrder = store.addOrder(shop.domain, { lines: [{ sku: 'MUG-1', quantity: 1 }], location: wms.id });
  store.submitFulfillmentRequest(shop.domain, serviceOrder.fulfillmentOrderIds[0]!, { message: 'probe' });
  const item = [...shop.inventoryItems.values()][0]!;
  const location = [...shop.locations.values()][0]!;
  return {
    ctx: { shop, store },
    ids: {
      Order: gid('Order', order.id),
      Return: gid('Return', ret.id),
      FulfillmentOrder: gid('FulfillmentOrder', fo.id),
      Fulfillment: gid('Fulfillment', created.fulfillment.id),
      InventoryItem: gid('InventoryItem', item.id),
      Location: gid('Location', location.id),
    },
  };
}

/** Arguments good enough to reach a sample value of any field the simulator implements. */
function sampleArgs(ids: Record<string, string>): Obj {
  return {
    first: 5,
    names: ['available', 'on_hand'],
    locationId: ids.Location,
    inventoryItemId: ids.InventoryItem,
    id: undefined,
    ids: [ids.InventoryItem],
  };
}

/** Type name → fields the simulator answers. Root fields of QueryRoot/Mutation included. */
export function simulatedFields(): Map<string, Set<string>> {
  if (cached) return cached;
  const { schema } = loadAdminSchema();
  const { ctx, ids } = sampleContext();
  const out = new Map<string, Set<string>>();
  const visited = new Set<unknown>();
  const idFor: Record<string, string> = {
    order: ids.Order!,
    return: ids.Return!,
    fulfillmentOrder: ids.FulfillmentOrder!,
    inventoryItem: ids.InventoryItem!,
    location: ids.Location!,
    productVariant: gid('ProductVariant', [...ctx.shop.variants.keys()][0]!),
    node: ids.Order!,
  };

  // The values must also fit the schema: non-null fields non-null, enum values in the enum, scalars
  // serialisable — else an app query would meet an execution error Shopify never gives.
  const checkValue = (where: string, t: GraphQLOutputType, v: unknown): void => {
    if (isNonNullType(t)) {
      if (v === null || v === undefined) valueProblems.add(`${where}: null for ${String(t)}`);
      else checkValue(where, t.ofType, v);
      return;
    }
    if (v === null || v === undefined) return;
    if (isListType(t)) {
      if (!Array.isArray(v)) valueProblems.add(`${where}: not a list for ${String(t)}`);
      else v.forEach((x) => checkValue(where, t.ofType, x));
      return;
    }
    if (isLeafType(t)) {
      try {
        t.serialize(v);
      } catch (e) {
        valueProblems.add(`${where}: ${(e as Error).message}`);
      }
    }
  };
  const crawl = (value: unknown, typeName: string, depth: number) => {
    if (depth > 8 || value === null || value === undefined) return;
    if (Array.isArray(value)) return value.slice(0, 2).forEach((v) => crawl(v, typeName, depth));
    if (typeof value !== 'object' || visited.has(value)) return;
    visited.add(value);
    const obj = value as Obj;
    const concrete = typeof obj.__typename === 'string' ? obj.__typename : typeName;
    const type = schema.getType(concrete);
    if (!type || !isObjectType(type)) return;
    const fields = out.get(concrete) ?? new Set<string>();
    out.set(concrete, fields);
    for (const [key, raw] of Object.entries(obj)) {
      const def = type.getFields()[key];
      if (!def) continue;
      fields.add(key);
      const named = getNamedType(def.type);
      let v: unknown = raw;
      if (typeof raw === 'function') {
        try {
          v = (raw as (a: Obj, c: unknown, i: unknown) => unknown)({ ...sampleArgs(ids), id: idFor[key] }, ctx, probeInfo(schema, key));
        } catch {
          continue;
        }
      }
      checkValue(`${concrete}.${key}`, def.type, v);
      if (!isObjectType(named) && !isAbstractType(named)) continue;
      crawl(v, named.name, depth + 1);
    }
  };
  crawl({ __typename: 'QueryRoot', ...queryRoot(ctx) }, 'QueryRoot', 0);
  // Mutations: run each on the sample shop so their payload objects can be crawled.
  const mutations = mutationRoot(ctx);
  const mutationArgs: Record<string, Obj> = {
    inventorySetQuantities: { input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: ids.InventoryItem, locationId: ids.Location, quantity: 7, changeFromQuantity: null }] } },
    inventoryActivate: { inventoryItemId: ids.InventoryItem, locationId: ids.Location },
    fulfillmentTrackingInfoUpdate: { fulfillmentId: ids.Fulfillment, trackingInfoInput: { number: '2' } },
    fulfillmentCreate: { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: ids.FulfillmentOrder }] } },
  };
  // …and once more with arguments that fail, so the userErrors objects are crawled too.
  const failingArgs: Record<string, Obj> = {
    inventorySetQuantities: { input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: ids.InventoryItem, locationId: ids.Location, quantity: 8, changeFromQuantity: 999 }] } },
    inventoryActivate: { inventoryItemId: 'gid://shopify/InventoryItem/0', locationId: ids.Location },
    fulfillmentTrackingInfoUpdate: { fulfillmentId: 'gid://shopify/Fulfillment/0', trackingInfoInput: {} },
    fulfillmentCreate: { fulfillment: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/0' }] } },
  };
  const mutationType = schema.getMutationType()!;
  out.set('Mutation', new Set(Object.keys(mutations)));
  for (const [name, fn] of Object.entries(mutations)) {
    const payloadType = getNamedType(mutationType.getFields()[name]!.type) as GraphQLObjectType;
    for (const args of [mutationArgs[name], failingArgs[name]]) {
      try {
        crawl((fn as (a: Obj, c: unknown, i: unknown) => unknown)(args ?? {}, ctx, probeInfo(schema, name)), payloadType.name, 1);
      } catch {
        // A mutation the sample cannot run still counts as a root field.
      }
    }
  }
  cached = out;
  return out;
}

function probeInfo(schema: ReturnType<typeof loadAdminSchema>['schema'], fieldName: string): GraphQLResolveInfo {
  const doc = parse(`mutation { ${fieldName} @idempotent(key: "coverage-probe") { __typename } }`);
  const op = doc.definitions[0]!;
  if (op.kind !== Kind.OPERATION_DEFINITION) throw new Error('coverage probe: not an operation');
  const fieldNode = op.selectionSet.selections[0] as FieldNode;
  return { schema, fieldNodes: [fieldNode], variableValues: {}, fieldName } as unknown as GraphQLResolveInfo;
}

/** "Type.field" selections of the document the simulator does not implement. */
export function unsimulatedSelections(text: string): string[] {
  const { schema } = loadAdminSchema();
  const known = simulatedFields();
  const typeInfo = new TypeInfo(schema);
  const missing = new Set<string>();
  visit(
    parse(text),
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD]: (node: FieldNode) => {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        // Fields on an interface/union are checked on the concrete types the simulator returns.
        if (!isObjectType(parent)) return;
        if (!known.get(parent.name)?.has(node.name.value)) missing.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return [...missing].sort();
}
