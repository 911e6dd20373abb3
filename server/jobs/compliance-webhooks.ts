// The three mandatory compliance topics. Payloads (REST-shaped):
//   customers/data_request {shop_domain, customer: {id, email, phone}, orders_requested: [ids], data_request: {id}}
//   customers/redact       {shop_domain, customer: {id, email, phone}, orders_to_redact: [ids]}
//   shop/redact            {shop_id, shop_domain}
import type { Prisma } from '@prisma/client';
import { customerDataRequest, customerRedact, shopRedact } from '../core/compliance/compliance-use-case.js';
import type { DataSubject } from '../core/compliance/personal-data.js';
import type { WebhookHandler } from './webhook-process.js';

function subjectOf(payload: Record<string, unknown>, ordersKey: 'orders_requested' | 'orders_to_redact'): DataSubject {
  const customer = (payload.customer ?? {}) as Record<string, unknown>;
  const orders = Array.isArray(payload[ordersKey]) ? (payload[ordersKey] as unknown[]) : [];
  return {
    customerId: customer.id === undefined || customer.id === null ? null : String(customer.id),
    email: typeof customer.email === 'string' ? customer.email : null,
    phone: typeof customer.phone === 'string' ? customer.phone : null,
    orderIds: orders.map(String),
  };
}

export const customersDataRequest: WebhookHandler = async ({ event, payload, deps, ctx }) => {
  const report = await customerDataRequest({ prisma: deps.prisma, log: ctx.log }, event.shop, subjectOf(payload, 'orders_requested'));
  // The merchant sees the request in the app (alert) and the export is stored with the event.
  await deps.prisma.alert.create({
    data: {
      shop: event.shop,
      kind: 'compliance.data_request',
      severity: 'info',
      message: `Customer data request received: ${report.records.length} record(s) found. Send the export to the customer.`,
      subjectRef: `webhook_event:${event.id}`,
      details: { webhookEventId: event.id.toString(), records: report.records.length } as Prisma.InputJsonValue,
    },
  });
  return { status: 'processed', result: report };
};

export const customersRedact: WebhookHandler = async ({ event, payload, deps, ctx }) => {
  const changed = await customerRedact({ prisma: deps.prisma, log: ctx.log }, event.shop, subjectOf(payload, 'orders_to_redact'));
  return { status: 'processed', result: { changed } };
};

export const shopRedactWebhook: WebhookHandler = async ({ event, firedAt, job, deps, ctx }) => {
  const outcome = await shopRedact({ prisma: deps.prisma, log: ctx.log }, event.shop, firedAt, { keepWebhookEventId: event.id, keepJobId: job.id });
  return { status: outcome.status === 'purged' ? 'processed' : 'stale', result: outcome };
};
