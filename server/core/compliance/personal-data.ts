// Pure helpers for privacy requests: does a stored JSON document concern a data subject, what personal
// data does it hold, and the same document with that personal data erased. Platform-neutral: payloads are
// matched on customer id, e-mail, phone and order ids, and personal fields are known by key name.

export interface DataSubject {
  /** Customer id as the platform gives it (numeric string or GID); compared on its trailing digits. */
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Orders whose personal data must go (GIDs or numeric ids). */
  orderIds?: string[];
}

/** Keys whose values identify or locate a person. Ids, SKUs, quantities and order names stay. */
export const PERSONAL_KEYS = new Set([
  'email', 'contact_email', 'customer_email', 'phone', 'customer_phone',
  'first_name', 'last_name', 'name', 'company',
  'address1', 'address2', 'city', 'zip', 'province', 'province_code', 'latitude', 'longitude',
  'browser_ip', 'client_details', 'note', 'note_attributes', 'customer_locale', 'landing_site', 'referring_site',
  // camelCase variants (GraphQL-shaped job payloads)
  'firstName', 'lastName', 'displayName', 'contactEmail', 'customerEmail', 'address', 'zipCode',
]);
/** Objects that are about a person as a whole. */
const PERSON_OBJECTS = new Set(['customer', 'billing_address', 'shipping_address', 'default_address', 'addresses', 'shippingAddress', 'billingAddress', 'destination']);
/** `name` is personal inside addresses/customers but is the order number ("#1001") on an order. */
const NAME_IS_PERSONAL_ONLY_INSIDE = true;

export const REDACTED = '[redacted]';

const digits = (v: unknown): string | null => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const m = /(\d+)$/.exec(v);
  return m ? m[1]! : null;
};

const norm = (s: string | null | undefined) => (s ? s.trim().toLowerCase() : null);
const normPhone = (s: string | null | undefined) => (s ? s.replace(/[^\d+]/g, '') : null);

/** True when the document mentions the subject anywhere (customer id, e-mail, phone or one of the orders). */
export function concernsSubject(doc: unknown, subject: DataSubject): boolean {
  const customerId = digits(subject.customerId ?? null);
  const email = norm(subject.email);
  const phone = normPhone(subject.phone);
  const orders = new Set((subject.orderIds ?? []).map(digits).filter((x): x is string => !!x));
  let found = false;
  const walk = (v: unknown, key: string | null, parentKey: string | null): void => {
    if (found || v === null || v === undefined) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key, parentKey));
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (customerId && (key === 'customer' || parentKey === 'customer') && digits(o.id ?? o.admin_graphql_api_id) === customerId) found = true;
      if (customerId && digits(o.customer_id) === customerId) found = true;
      for (const [k, x] of Object.entries(o)) walk(x, k, key);
      return;
    }
    if (typeof v === 'string' || typeof v === 'number') {
      const s = String(v);
      if (email && norm(s)!.includes(email)) found = true;
      else if (phone && phone.length >= 6 && normPhone(s) === phone) found = true;
      else if (orders.size && (key === 'order_id' || (key === 'id' && parentKey === null) || key === 'admin_graphql_api_id' || key === 'orderId') && orders.has(digits(s) ?? '')) {
        if (key !== 'admin_graphql_api_id' || s.includes('/Order/')) found = true;
      }
    }
  };
  walk(doc, null, null);
  return found;
}

/** Personal fields of a document, flattened as path → value (what a data request reports). */
export function personalFields(doc: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, path: string, inPerson: boolean): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`, inPerson));
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = path ? `${path}.${k}` : k;
        const person = inPerson || PERSON_OBJECTS.has(k);
        if (isPersonalKey(k, person) && (typeof x !== 'object' || x === null)) {
          if (x !== null && x !== '') out[p] = x;
        } else walk(x, p, person);
      }
    }
  };
  walk(doc, '', false);
  return out;
}

function isPersonalKey(key: string, insidePerson: boolean): boolean {
  if (key === 'name' && NAME_IS_PERSONAL_ONLY_INSIDE) return insidePerson;
  return PERSONAL_KEYS.has(key);
}

/**
 * The document with every personal field replaced by "[redacted]" (objects about a person keep only their
 * ids), and any string equal to the subject's e-mail or phone redacted wherever it sits.
 */
export function redactDocument<T>(doc: T, subject: DataSubject): T {
  const email = norm(subject.email);
  const phone = normPhone(subject.phone);
  const walk = (v: unknown, inPerson: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, inPerson));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const person = inPerson || PERSON_OBJECTS.has(k);
        if (isPersonalKey(k, person) && x !== null && x !== undefined) out[k] = typeof x === 'object' ? null : REDACTED;
        else out[k] = walk(x, person);
      }
      return out;
    }
    if (typeof v === 'string') {
      if (email && norm(v) === email) return REDACTED;
      if (phone && phone.length >= 6 && normPhone(v) === phone) return REDACTED;
      if (email && v.toLowerCase().includes(email)) return v.toLowerCase().split(email).join(REDACTED);
    }
    return v;
  };
  return walk(doc, false) as T;
}
