// The worker: claims due jobs in batches, runs them with bounded concurrency under a lease kept alive by a
// heartbeat, records the outcome (batched on success), rescues jobs whose worker vanished, and shuts down
// gracefully. All SQL is in ./sql; this file holds the orchestration and the policy.
//
// Numbers (defaults; docs/queue.md explains them):
//   lease 30 s, heartbeat every 10 s   three heartbeats per lease: two can be lost (GC pause, a slow query)
//                                      before the lease runs out.
//   rescue sweep every 15 s, grace 5 s a dead worker's job is retried 30–50 s after its last heartbeat;
//                                      the grace absorbs clock skew between machines.
//   poll every 1 s                     fallback when a NOTIFY is lost; also picks up retries whose time came.
//   prefetch concurrency … 4×          a local buffer of claimed jobs so a slot never waits for a round
//                                      trip. It starts at the concurrency and grows (by the concurrency, up to
//                                      4×) only while a backlog of fast jobs drains it within one round trip;
//                                      it shrinks back as soon as jobs wait in it. Slow jobs therefore never
//                                      sit in one process's buffer while another process idles. Buffered jobs
//                                      are heartbeated and handed back (attempt refunded) at shutdown.
// Hot path: ONE statement records the successes since the last round trip and claims the next jobs
// (sql/complete-and-claim.ts); rounds run back to back, so completions and claims batch themselves.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type { Logger } from 'pino';
import { ClassifiedError, isRetryable } from '../core/errors.js';
import type { JobContext, JobHandler, JobRecord } from './types.js';
import { DEFAULT_RETRY_POLICY, resolvePolicy, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { JobNotifier } from './notifier.js';
import { completeAndClaim, type ClaimedRow, type Fence } from './sql/complete-and-claim.js';
import { finalizeFailed, scheduleRetry } from './sql/fail-job.js';
import { extendLeases } from './sql/extend-leases.js';
import { releaseJobs } from './sql/release-jobs.js';
import { lockExpiredLeases } from './sql/rescue-expired-leases.js';

export interface WorkerOptions {
  pool: pg.Pool;
  log: Logger;
  handlers: Record<string, JobHandler>;
  concurrency?: number;
  /** Per job type overrides of the default retry policy. */
  retryPolicies?: Record<string, Partial<RetryPolicy>>;
  defaultRetryPolicy?: RetryPolicy;
  leaseMs?: number;
  heartbeatMs?: number;
  rescueIntervalMs?: number;
  rescueGraceMs?: number;
  pollIntervalMs?: number;
  shutdownTimeoutMs?: number;
  /** Jobs claimed ahead of free slots, at least (default: the concurrency; 0 = only for free slots). */
  prefetch?: number;
  /** Upper bound for the adaptive prefetch (default 4 × concurrency; = prefetch to disable adapting). */
  maxPrefetch?: number;
  /** Round trips (record + claim) in flight at once (default 1). */
  lanes?: number;
  /** LISTEN for enqueue notifications (default true); polling alone otherwise. */
  listen?: boolean;
  /** The clock (injected by tests to drive backoff and leases without sleeping). */
  now?: () => Date;
  random?: () => number;
  workerId?: string;
}

export type WorkerEvent =
  | { kind: 'start'; job: JobRecord }
  | { kind: 'success'; job: JobRecord }
  | { kind: 'retry'; job: JobRecord; runAt: Date; error: string }
  | { kind: 'failed'; job: JobRecord; error: string }
  | { kind: 'dead'; job: JobRecord; error: string }
  | { kind: 'lease-lost'; job: JobRecord }
  | { kind: 'rescued'; jobId: bigint; outcome: 'retry' | 'dead' }
  | { kind: 'released'; jobIds: bigint[] };

interface Running {
  fence: Fence;
  job: JobRecord;
  policy: RetryPolicy;
  ctrl: AbortController;
  done: Promise<void>;
  /** Local view of the lease: the worker aborts the job itself before it can expire unrenewed. */
  leaseValidUntil: number;
  leaseLost: boolean;
  releasing: boolean;
}

const MAX_ERROR_LENGTH = 4000;
const RESCUE_BATCH = 100;

function errorText(err: unknown): { message: string; code: string | null } {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return {
    message: message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message,
    code: err instanceof ClassifiedError ? err.code : null,
  };
}

export class Worker extends EventEmitter {
  readonly id: string;
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly handlers: Record<string, JobHandler>;
  private readonly types: string[];
  private readonly concurrency: number;
  private readonly prefetch: number;
  private readonly maxPrefetch: number;
  /** Current prefetch depth, adapted between prefetch and maxPrefetch. */
  private depth: number;
  private readonly lanes: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly rescueIntervalMs: number;
  private readonly rescueGraceMs: number;
  private readonly pollIntervalMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly policies: Record<string, Partial<RetryPolicy>>;
  private readonly defaultPolicy: RetryPolicy;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly notifier: JobNotifier | undefined;

  private readonly running = new Map<string, Running>();
  /** Claimed, not started yet (prefetch). */
  private buffered: Running[] = [];
  /** Succeeded, waiting for the next round trip to record them. */
  private completing: Running[] = [];
  private inFlightCompletion = new Set<Running>();
  /** Round-trip loops in flight (at most `lanes`). */
  private readonly pumps = new Set<Promise<void>>();
  private pumpAgain = false;
  /** Claim slots reserved by rounds in flight. */
  private claimsInFlight = 0;
  /** Whether the last claim suggested more due jobs (a full batch) or someone woke us since. */
  private wantClaim = true;
  private wakeSeq = 0;
  private wakeWaiters: { seq: number; resolve: () => void }[] = [];
  private stopping = false;
  private started = false;
  private timers: NodeJS.Timeout[] = [];
  private heartbeating: Promise<void> | undefined;

  constructor(opts: WorkerOptions) {
    super();
    this.pool = opts.pool;
    this.handlers = opts.handlers;
    this.types = Object.keys(opts.handlers);
    this.concurrency = opts.concurrency ?? 4;
    this.prefetch = opts.prefetch ?? this.concurrency;
    this.maxPrefetch = Math.max(this.prefetch, opts.maxPrefetch ?? 4 * this.concurrency);
    this.depth = this.prefetch;
    this.lanes = Math.max(1, opts.lanes ?? 1);
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.heartbeatMs = opts.heartbeatMs ?? Math.floor(this.leaseMs / 3);
    this.rescueIntervalMs = opts.rescueIntervalMs ?? 15_000;
    this.rescueGraceMs = opts.rescueGraceMs ?? 5_000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1_000;
    this.shutdownTimeoutMs = opts.shutdownTimeoutMs ?? 4_000;
    this.policies = opts.retryPolicies ?? {};
    this.defaultPolicy = opts.defaultRetryPolicy ?? DEFAULT_RETRY_POLICY;
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.id = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.log = opts.log.child({ component: 'worker', workerId: this.id });
    if (this.heartbeatMs >= this.leaseMs) throw new RangeError('heartbeatMs must be shorter than leaseMs');
    this.notifier = opts.listen === false ? undefined : new JobNotifier(this.pool.options, this.log, () => void this.wake());
  }

  policyFor(type: string): RetryPolicy {
    return resolvePolicy(this.policies[type], this.defaultPolicy);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.notifier?.start();
    this.timers.push(setInterval(() => void this.wake(), this.pollIntervalMs));
    this.timers.push(setInterval(() => void this.heartbeat(), this.heartbeatMs));
    this.timers.push(setInterval(() => void this.rescueExpired().catch((err) => this.log.error({ err }, 'lease rescue failed')), this.rescueIntervalMs));
    for (const t of this.timers) t.unref();
    this.log.info({ concurrency: this.concurrency, types: this.types, leaseMs: this.leaseMs }, 'worker started');
    void this.wake();
  }

  /**
   * Look for work now (NOTIFY, poll tick, or a test that moved the clock). Resolves when a claim round that
   * started after this call has finished (its jobs started, not necessarily done).
   */
  wake(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const seq = ++this.wakeSeq;
    this.wantClaim = true;
    const p = new Promise<void>((resolve) => this.wakeWaiters.push({ seq, resolve }));
    this.kick();
    return p;
  }

  /** Jobs currently executing in this worker. */
  get busy(): number {
    return this.running.size;
  }

  /**
   * Starts a round-trip loop unless `lanes` are already running. Default one lane: a second lane (rounds
   * overlapping) made each round slower (claimers of one process skipping each other's locked rows) and
   * measured no faster (docs/queue.md); bigger rounds (prefetch) are what pays.
   */
  private kick(): void {
    if (this.pumps.size >= this.lanes) {
      this.pumpAgain = true;
      return;
    }
    const p: Promise<void> = this.pump().finally(() => {
      this.pumps.delete(p);
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.kick();
      }
    });
    this.pumps.add(p);
  }

  private async allPumps(): Promise<void> {
    while (this.pumps.size > 0) await Promise.all([...this.pumps]);
  }

  private resolveWaiters(upToSeq: number): void {
    if (this.wakeWaiters.length === 0) return;
    const keep: typeof this.wakeWaiters = [];
    for (const w of this.wakeWaiters) {
      if (w.seq <= upToSeq) w.resolve();
      else keep.push(w);
    }
    this.wakeWaiters = keep;
  }

  /** Round trips back to back while there is something to record or a reason to claim. */
  private async pump(): Promise<void> {
    for (;;) {
      this.pumpAgain = false;
      const seq = this.wakeSeq;
      const capacity = this.concurrency + this.depth - this.running.size - this.buffered.length - this.claimsInFlight;
      const limit = this.stopping || !this.wantClaim ? 0 : Math.max(0, capacity);
      const batch = this.completing;
      if (batch.length === 0 && limit === 0) {
        this.resolveWaiters(seq);
        return;
      }
      this.completing = [];
      for (const e of batch) this.inFlightCompletion.add(e);
      this.claimsInFlight += limit;
      const now = this.now();
      try {
        const { completed, claimed } = await completeAndClaim(this.pool, {
          now,
          owner: this.id,
          complete: batch.map((e) => e.fence),
          types: this.types,
          limit,
          leaseExpiresAt: new Date(now.getTime() + this.leaseMs),
        });
        this.recordCompleted(batch, completed);
        // Fewer than asked: nothing more is due. Claim again only when woken (NOTIFY, poll, a retry or
        // an ordering key's predecessor finishing) — unless a wake arrived while we were asking.
        if (limit > 0 && claimed.length < limit && this.wakeSeq === seq) this.wantClaim = false;
        // The next job of an ordering key becomes claimable only now that this one is recorded.
        if (batch.some((e) => e.job.orderingKey !== null && completed.has(e.fence.id))) this.wantClaim = true;
        if (limit > 0 && claimed.length === limit) this.adaptDepth();
        for (const row of claimed) this.buffered.push(this.makeEntry(row, now.getTime()));
        this.startBuffered();
        this.resolveWaiters(seq);
      } catch (err) {
        // Database unavailable: keep the successes (their leases are still heartbeated) and try again on
        // the next poll tick.
        this.completing.unshift(...batch);
        this.log.error({ err }, 'recording completions / claiming jobs failed');
        this.resolveWaiters(seq);
        return;
      } finally {
        this.claimsInFlight -= limit;
        for (const e of batch) this.inFlightCompletion.delete(e);
      }
    }
  }

  /**
   * Backlog of due jobs (the claim came back full): if the buffer ran dry and slots sat idle during the
   * round trip, claim deeper next time; if jobs are still waiting in the buffer, claim shallower.
   */
  private adaptDepth(): void {
    if (this.buffered.length === 0 && this.running.size < this.concurrency) {
      this.depth = Math.min(this.maxPrefetch, this.depth + this.concurrency);
    } else if (this.buffered.length > 0) {
      this.depth = Math.max(this.prefetch, this.depth - 1);
    }
  }

  private recordCompleted(batch: Running[], completed: Set<string>): void {
    for (const e of batch) {
      if (completed.has(e.fence.id)) this.emit('event', { kind: 'success', job: e.job } satisfies WorkerEvent);
      else {
        this.log.warn({ jobId: e.fence.id }, 'job succeeded after its lease was lost; the result was not recorded');
        this.emit('event', { kind: 'lease-lost', job: e.job } satisfies WorkerEvent);
      }
    }
  }

  private makeEntry(row: ClaimedRow, claimedAt: number): Running {
    const policy = this.policyFor(row.type);
    const job: JobRecord = {
      id: BigInt(row.id),
      type: row.type,
      payload: row.payload,
      shop: row.shop,
      attempts: row.attempts,
      maxAttempts: row.max_attempts ?? policy.maxAttempts,
      orderingKey: row.ordering_key,
      enqueuedKey: row.enqueued_key,
      createdAt: row.created_at,
    };
    return {
      fence: { id: row.id, attempts: row.attempts },
      job,
      policy,
      ctrl: new AbortController(),
      done: Promise.resolve(),
      leaseValidUntil: claimedAt + this.leaseMs,
      leaseLost: false,
      releasing: false,
    };
  }

  private startBuffered(): void {
    while (this.running.size < this.concurrency && this.buffered.length > 0 && !this.stopping) {
      const entry = this.buffered.shift()!;
      if (entry.leaseLost) continue;
      this.running.set(entry.fence.id, entry);
      entry.done = this.execute(entry).finally(() => {
        this.running.delete(entry.fence.id);
        this.startBuffered();
        this.kick();
      });
    }
  }

  private async execute(entry: Running): Promise<void> {
    const { job, policy } = entry;
    const workerLog = this.log;
    let log: Logger | undefined;
    const childLog = () => (log ??= workerLog.child({ jobId: job.id.toString(), type: job.type, attempt: job.attempts }));
    if (job.attempts > job.maxAttempts) {
      // Only reachable when an attempt was spent without being recorded (e.g. maxAttempts was lowered).
      await this.recordFailure(entry, policy, new Error('attempts exhausted before this attempt could start'), childLog());
      return;
    }
    const handler = this.handlers[job.type]!;
    // The per-job logger is created on first use: most jobs never log.
    const ctx: JobContext = {
      get log() {
        return childLog();
      },
      signal: entry.ctrl.signal,
      heartbeat: () => this.heartbeat(),
    };
    this.emit('event', { kind: 'start', job } satisfies WorkerEvent);
    try {
      await handler(job, ctx);
    } catch (err) {
      if (entry.releasing || entry.leaseLost) {
        childLog().warn({ err }, 'job stopped after its lease was released or lost; not recording the failure');
        return;
      }
      await this.recordFailure(entry, policy, err, childLog());
      return;
    }
    if (entry.leaseLost) {
      childLog().warn('job finished after its lease was lost; it may run again elsewhere');
      return;
    }
    this.completing.push(entry);
  }

  /** Waits until every success so far is recorded (or given up on at shutdown). */
  private async flushCompletions(): Promise<void> {
    for (let tries = 0; tries < 20 && (this.completing.length > 0 || this.pumps.size > 0); tries++) {
      this.kick();
      await this.allPumps();
      if (this.completing.length > 0) await new Promise((r) => setTimeout(r, 250));
    }
  }


  private async recordFailure(entry: Running, policy: RetryPolicy, err: unknown, log: Logger): Promise<void> {
    const { job } = entry;
    const { message, code } = errorText(err);
    const now = this.now();
    const base = { id: entry.fence.id, attempts: entry.fence.attempts, owner: this.id, now, error: message, errorCode: code };
    try {
      if (!isRetryable(err)) {
        const ok = await finalizeFailed(this.pool, {
          ...base,
          state: 'failed',
          alertMessage: `Job ${job.type} #${job.id} failed and will not be retried: ${message}`,
        });
        if (ok) {
          log.error({ err, errorCode: code }, 'job failed permanently');
          this.emit('event', { kind: 'failed', job, error: message } satisfies WorkerEvent);
        }
      } else if (job.attempts >= job.maxAttempts) {
        const held = job.orderingKey ? ` Later jobs for ${job.orderingKey} wait until it is retried or discarded.` : '';
        const ok = await finalizeFailed(this.pool, {
          ...base,
          state: 'dead',
          alertMessage: `Job ${job.type} #${job.id} gave up after ${job.attempts} attempts: ${message}.${held}`,
        });
        if (ok) {
          log.error({ err, errorCode: code, attempts: job.attempts }, 'job dead: attempts exhausted');
          this.emit('event', { kind: 'dead', job, error: message } satisfies WorkerEvent);
        }
      } else {
        const retryAfterMs = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
        const delay = retryDelayMs(job.attempts, policy, {
          random: this.random,
          retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
        });
        const runAt = new Date(now.getTime() + delay);
        const ok = await scheduleRetry(this.pool, { ...base, runAt });
        if (ok) {
          log.warn({ err, errorCode: code, retryInMs: delay }, 'job attempt failed; will retry');
          this.emit('event', { kind: 'retry', job, runAt, error: message } satisfies WorkerEvent);
        }
      }
    } catch (dbErr) {
      // The lease will expire and the rescue records the attempt; nothing is lost.
      log.error({ err: dbErr, jobError: message }, 'recording a job failure failed');
    }
  }

  /** Extends the leases of every job this worker holds; aborts the ones that were taken from it. */
  heartbeat(): Promise<void> {
    if (this.heartbeating) return this.heartbeating;
    this.heartbeating = (async () => {
      const held = [...this.buffered, ...this.running.values(), ...this.completing, ...this.inFlightCompletion].filter(
        (e) => !e.leaseLost && !e.releasing,
      );
      if (held.length === 0) return;
      const sentAt = this.now().getTime();
      try {
        const kept = await extendLeases(this.pool, this.id, new Date(sentAt + this.leaseMs), held.map((e) => e.fence));
        for (const e of held) {
          if (kept.has(e.fence.id)) e.leaseValidUntil = sentAt + this.leaseMs;
          else this.loseLease(e, 'lease taken over (the job was rescued by another worker)');
        }
      } catch (err) {
        this.log.warn({ err }, 'heartbeat failed');
        // Self-fencing: a job whose lease may expire before the next heartbeat is stopped here, before a
        // rescuer can hand it to another worker — the same job never runs twice at once.
        const limit = this.now().getTime() + this.heartbeatMs;
        for (const e of held) if (e.leaseValidUntil <= limit) this.loseLease(e, 'lease could not be renewed');
      }
    })().finally(() => {
      this.heartbeating = undefined;
    });
    return this.heartbeating;
  }

  private loseLease(e: Running, reason: string): void {
    if (e.leaseLost) return;
    e.leaseLost = true;
    this.log.warn({ jobId: e.fence.id, reason }, 'job lease lost; aborting it');
    e.ctrl.abort(new Error(reason));
    this.emit('event', { kind: 'lease-lost', job: e.job } satisfies WorkerEvent);
  }

  /** Records a failed attempt for every running job whose lease expired (its worker is gone). */
  async rescueExpired(): Promise<number> {
    const client = await this.pool.connect();
    let rescued = 0;
    try {
      await client.query('BEGIN');
      const now = this.now();
      const rows = await lockExpiredLeases(client, new Date(now.getTime() - this.rescueGraceMs), RESCUE_BATCH);
      for (const row of rows) {
        const policy = this.policyFor(row.type);
        const max = row.max_attempts ?? policy.maxAttempts;
        const error = `lease expired at ${row.lease_expires_at.toISOString()}: worker ${row.lease_owner} stopped heartbeating (crashed or lost the database)`;
        const base = { id: row.id, attempts: row.attempts, owner: row.lease_owner, now, error, errorCode: 'queue.lease_expired' };
        if (row.attempts >= max) {
          await finalizeFailed(client, {
            ...base,
            state: 'dead',
            alertMessage: `Job ${row.type} #${row.id} gave up after ${row.attempts} attempts: ${error}`,
          });
          this.log.error({ jobId: row.id, type: row.type }, 'job dead: last attempt lost with its worker');
          this.emit('event', { kind: 'rescued', jobId: BigInt(row.id), outcome: 'dead' } satisfies WorkerEvent);
        } else {
          const runAt = new Date(now.getTime() + retryDelayMs(row.attempts, policy, { random: this.random }));
          await scheduleRetry(client, { ...base, runAt });
          this.log.warn({ jobId: row.id, type: row.type, owner: row.lease_owner }, 'rescued job with an expired lease');
          this.emit('event', { kind: 'rescued', jobId: BigInt(row.id), outcome: 'retry' } satisfies WorkerEvent);
        }
        rescued++;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    if (rescued > 0) void this.wake();
    return rescued;
  }

  private async releaseUnfinished(entries: Running[], why: string): Promise<void> {
    if (entries.length === 0) return;
    try {
      const released = await releaseJobs(this.pool, this.id, this.now(), entries.map((e) => e.fence));
      this.log.warn({ jobIds: [...released], why }, 'released jobs at shutdown');
      this.emit('event', { kind: 'released', jobIds: [...released].map((id) => BigInt(id)) } satisfies WorkerEvent);
    } catch (err) {
      this.log.error({ err }, 'releasing jobs at shutdown failed; their leases will expire');
    }
  }

  /**
   * Graceful stop: claim nothing more, let running jobs finish for up to shutdownTimeoutMs, then abort the
   * rest and hand their leases back (pending, attempt refunded) so another worker takes them at once.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await this.notifier?.stop();
    this.resolveWaiters(Infinity);
    await this.allPumps(); // a claim in flight lands in the buffer, released just below
    await this.releaseUnfinished(this.buffered.splice(0), 'claimed but not started');
    const all = Promise.allSettled([...this.running.values()].map((e) => e.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), this.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut && this.running.size > 0) {
      const left = [...this.running.values()].filter((e) => !e.leaseLost);
      for (const e of left) {
        e.releasing = true;
        e.ctrl.abort(new Error('worker shutting down'));
      }
      await this.releaseUnfinished(left, `still running after ${this.shutdownTimeoutMs} ms`);
    }
    await this.flushCompletions();
    this.log.info('worker stopped');
  }
}
