// Runs stored webhook.process jobs through their real handler (no worker loop), against a test database.
import { Writable } from 'node:stream';
import type { PrismaClient } from '@prisma/client';
import { createLogger } from '../../../server/logger.js';
import { parseConfig } from '../../../server/config.js';
import type { JobDeps } from '../../../server/jobs/registry.js';
import type { JobContext, JobRecord } from '../../../server/queue/types.js';
import { webhookProcessJob, WEBHOOK_HANDLERS, type WebhookHandler } from '../../../server/jobs/webhook-process.js';
import { WEBHOOK_TOPICS } from '../../../server/adapters/shopify/webhook-topics.js';
import { recordDelivery } from '../../../server/adapters/shopify/webhook-intake.js';
import { enqueue } from '../../../server/queue/enqueue.js';
import type pg from 'pg';

export const silentLog = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });

export function jobDeps(prisma: PrismaClient, pool: pg.Pool, extra: Record<string, unknown> = {}): JobDeps {
  return { prisma, pool, log: silentLog, config: parseConfig({}), now: () => new Date(), ...extra };
}

export function jobContext(): JobContext {
  return { log: silentLog, signal: new AbortController().signal, heartbeat: async () => {} };
}

export async function toRecord(prisma: PrismaClient, id: bigint): Promise<JobRecord<never>> {
  const j = await prisma.job.findUniqueOrThrow({ where: { id } });
  return { id: j.id, type: j.type, payload: j.payload as never, shop: j.shop, attempts: j.attempts, maxAttempts: j.maxAttempts ?? 25, orderingKey: j.orderingKey, enqueuedKey: j.enqueuedKey, createdAt: j.createdAt };
}

/** Stores a delivery like POST /webhooks does and returns its webhook.process job id (if any). */
export async function deliver(prisma: PrismaClient, shop: string, topic: string, payload: Record<string, unknown>, opts: { webhookId?: string; triggeredAt?: Date } = {}) {
  const r = await recordDelivery(prisma, enqueue, {
    shop,
    topic,
    webhookId: opts.webhookId ?? `wh-${Math.random().toString(36).slice(2)}`,
    triggeredAt: (opts.triggeredAt ?? new Date()).toISOString(),
    payload,
    payloadJson: JSON.stringify(payload),
  });
  if (!r.stored) return undefined;
  const job = await prisma.job.findFirst({ where: { type: 'webhook.process', payload: { equals: { webhookEventId: r.eventId.toString() } } } });
  return { eventId: r.eventId, jobId: job?.id };
}

/**
 * The real dispatch table with the order/refund/return entries replaced by a recorder: these tests are about
 * the platform layer (lifecycle, privacy), not about what the order features do with their events.
 */
export const PLATFORM_HANDLERS: Record<string, WebhookHandler> = Object.fromEntries(
  Object.entries(WEBHOOK_HANDLERS).map(([topic, h]) => {
    const group = WEBHOOK_TOPICS[topic as keyof typeof WEBHOOK_TOPICS];
    return [topic, group === 'app' || group === 'compliance' ? h : async () => ({ status: 'recorded' })];
  }),
);

/** Runs every pending webhook.process job of the database in id order through the real handler. */
export async function runWebhookJobs(deps: JobDeps): Promise<number> {
  const handler = webhookProcessJob(deps, PLATFORM_HANDLERS);
  const pending = await deps.prisma.job.findMany({ where: { type: 'webhook.process', state: 'pending' }, orderBy: { id: 'asc' } });
  for (const j of pending) {
    await handler(await toRecord(deps.prisma, j.id), jobContext());
    await deps.prisma.job.updateMany({ where: { id: j.id }, data: { state: 'succeeded', uniqueKey: null, finishedAt: new Date() } });
  }
  return pending.length;
}
