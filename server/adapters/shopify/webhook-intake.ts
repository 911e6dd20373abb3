// Durable intake of one verified webhook delivery: the inbox row and its webhook.process job are written in
// ONE transaction, so there is no moment where an event is stored without its job (or a job without its
// event): if enqueueing fails, the insert rolls back and Shopify's retry finds nothing stored.
// Duplicates (same X-Shopify-Webhook-Id, or same event id + topic) insert nothing and enqueue nothing.
import type { PrismaClient } from '@prisma/client';
import type { Tx } from '../../db/client.js';
import type { JobSpec } from '../../queue/types.js';
import { insertWebhookEvent, type NewWebhookEvent } from './webhook-event-repo.js';
import { isHandledTopic, orderingKeyFor, orderOf, orderUpdatedAt } from './webhook-topics.js';

export const WEBHOOK_PROCESS_JOB = 'webhook.process';

export interface WebhookProcessPayload {
  /** webhook_event.id as a string (JSON has no bigint). */
  webhookEventId: string;
}

export type EnqueueFn = (db: Tx, spec: JobSpec) => Promise<{ id: bigint; created: boolean }>;

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  subscriptionName?: string | null;
  triggeredAt?: string | null;
  source?: 'webhook' | 'reconcile';
  payloadJson: string;
  payload: Record<string, unknown>;
}

export type IntakeResult = { stored: true; eventId: bigint; handled: boolean } | { stored: false; duplicate: true };

function parseDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Stores the delivery and enqueues its processing in the caller's transaction. */
export async function recordDeliveryInTx(tx: Tx, enqueue: EnqueueFn, d: Delivery): Promise<IntakeResult> {
  const handled = isHandledTopic(d.topic);
  const row: NewWebhookEvent = {
    shop: d.shop,
    webhookId: d.webhookId,
    eventId: d.eventId ?? null,
    topic: d.topic,
    apiVersion: d.apiVersion ?? null,
    subscriptionName: d.subscriptionName ?? null,
    triggeredAt: parseDate(d.triggeredAt),
    source: d.source ?? 'webhook',
    resourceId: orderOf(d.topic, d.payload),
    resourceUpdatedAt: orderUpdatedAt(d.topic, d.payload),
    payloadJson: d.payloadJson,
    // A topic we do not handle is kept (audit, later features) but gets no job.
    status: handled ? 'received' : 'ignored',
  };
  const id = await insertWebhookEvent(tx, row);
  if (id === null) return { stored: false, duplicate: true };
  if (handled) {
    await enqueue(tx, {
      type: WEBHOOK_PROCESS_JOB,
      payload: { webhookEventId: id.toString() } satisfies WebhookProcessPayload,
      shop: d.shop,
      uniqueKey: `${WEBHOOK_PROCESS_JOB}:${id}`,
      orderingKey: orderingKeyFor(d.shop, d.topic, d.payload),
    });
  }
  return { stored: true, eventId: id, handled };
}

export async function recordDelivery(prisma: PrismaClient, enqueue: EnqueueFn, d: Delivery): Promise<IntakeResult> {
  return prisma.$transaction((tx) => recordDeliveryInTx(tx, enqueue, d));
}
