// Pure privacy helpers: matching a stored document to a data subject and erasing personal fields.
import { describe, expect, it } from 'vitest';
import { concernsSubject, personalFields, redactDocument, REDACTED } from '../../../server/core/compliance/personal-data.js';

const order = {
  id: 1001,
  admin_graphql_api_id: 'gid://shopify/Order/1001',
  name: '#1001',
  email: 'Alice@Example.com',
  customer: { id: 77, first_name: 'Alice', last_name: 'Liddell', email: 'alice@example.com' },
  shipping_address: { name: 'Alice Liddell', address1: '1 Rabbit Hole', city: 'Oxford', zip: 'OX1', country_code: 'GB', phone: '+44 1865 000000' },
  line_items: [{ id: 5, sku: 'TEA-1', quantity: 2, name: 'Teapot' }],
};

describe('concernsSubject', () => {
  it('matches on customer id (number or GID), e-mail (case-insensitive), phone (formatting ignored) or order id', () => {
    expect(concernsSubject(order, { customerId: '77' })).toBe(true);
    expect(concernsSubject(order, { customerId: 'gid://shopify/Customer/77' })).toBe(true);
    expect(concernsSubject(order, { email: 'ALICE@example.com' })).toBe(true);
    expect(concernsSubject(order, { phone: '+4418650 00000' })).toBe(true);
    expect(concernsSubject(order, { orderIds: ['1001'] })).toBe(true);
    expect(concernsSubject({ order_id: 1001, refund_line_items: [] }, { orderIds: ['gid://shopify/Order/1001'] })).toBe(true);
  });

  it('does not match another customer, an unrelated line-item id or a product with the same number', () => {
    expect(concernsSubject(order, { customerId: '78', email: 'bob@example.com', orderIds: ['1002'] })).toBe(false);
    expect(concernsSubject(order, { orderIds: ['5'] })).toBe(false); // line item id 5 is not order 5
    expect(concernsSubject({ admin_graphql_api_id: 'gid://shopify/Product/1001' }, { orderIds: ['1001'] })).toBe(false);
  });

  it('finds an e-mail inside free text (error messages)', () => {
    expect(concernsSubject('Warehouse rejected order for alice@example.com', { email: 'alice@example.com' })).toBe(true);
  });
});

describe('redactDocument', () => {
  const subject = { customerId: '77', email: 'alice@example.com' };
  const out = redactDocument(order, subject);

  it('erases names, addresses, e-mail and phone; keeps ids, SKUs, quantities and the order name', () => {
    expect(out.email).toBe(REDACTED);
    expect(out.customer).toMatchObject({ id: 77, first_name: REDACTED, last_name: REDACTED, email: REDACTED });
    expect(out.shipping_address).toMatchObject({ name: REDACTED, address1: REDACTED, city: REDACTED, zip: REDACTED, phone: REDACTED, country_code: 'GB' });
    expect(out.name).toBe('#1001');
    expect(out.line_items[0]).toEqual({ id: 5, sku: 'TEA-1', quantity: 2, name: 'Teapot' });
    expect(JSON.stringify(out)).not.toMatch(/alice|liddell|rabbit/i);
  });

  it('leaves the input untouched', () => {
    expect(order.customer.first_name).toBe('Alice');
  });
});

describe('personalFields', () => {
  it('lists the personal values with their paths, not product data', () => {
    const f = personalFields(order);
    expect(f).toMatchObject({ email: 'Alice@Example.com', 'customer.first_name': 'Alice', 'shipping_address.address1': '1 Rabbit Hole' });
    expect(Object.keys(f).some((k) => k.startsWith('line_items'))).toBe(false);
  });
});
