// Scheduler: enqueues recurring jobs (server/jobs/schedule.ts) once per slot, however many processes run
// it — the slot key (job.schedule_slot, unique, never cleared) makes every process's insert but the first
// a no-op. A slot is `<name>[:<shop>]@<slot start ISO>`; slots start at multiples of `everyMs` since the epoch.
import type { PrismaClient } from '@prisma/client';
import type { Logger } from 'pino';
import type { JobSpec } from './types.js';
import { enqueueForSlot } from './enqueue.js';

export interface ScheduleEntry {
  /** Unique name, e.g. "jobs.prune" or "shipments.poll". */
  name: string;
  everyMs: number;
  /** The job(s) for a slot: one spec, or a function (e.g. one job per installed shop). */
  jobs: Omit<JobSpec, 'runAt' | 'uniqueKey'> | ((ctx: { prisma: PrismaClient; slotStart: Date }) => Promise<Omit<JobSpec, 'runAt' | 'uniqueKey'>[]>);
  /**
   * Default true: skip a slot while the previous run of the same schedule (and shop) is still pending or
   * running, so a slow poll never piles up behind itself.
   */
  skipIfPending?: boolean;
}

export interface SchedulerOptions {
  prisma: PrismaClient;
  log: Logger;
  entries: ScheduleEntry[];
  /** How often to look for a new slot (default 5 s: a slot starts at most 5 s late). */
  tickMs?: number;
  now?: () => Date;
}

export function slotStart(now: Date, everyMs: number): Date {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs);
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;
  private readonly log: Logger;
  private readonly now: () => Date;
  /** Slot start (ms) this process has already handled per entry: later ticks in the slot cost no query. */
  private readonly handled = new Map<string, number>();

  constructor(private readonly opts: SchedulerOptions) {
    this.log = opts.log.child({ component: 'scheduler' });
    this.now = opts.now ?? (() => new Date());
    const names = new Set<string>();
    for (const e of opts.entries) {
      if (names.has(e.name)) throw new Error(`duplicate schedule name ${e.name}`);
      if (!(e.everyMs >= 1000)) throw new RangeError(`schedule ${e.name}: everyMs must be at least 1000`);
      names.add(e.name);
    }
  }

  start(): void {
    const run = () => {
      this.ticking = this.tick()
        .catch((err) => {
          this.log.error({ err }, 'scheduler tick failed');
          return 0;
        })
        .finally(() => (this.ticking = undefined));
    };
    run();
    this.timer = setInterval(run, this.opts.tickMs ?? 5_000);
    this.timer.unref();
  }

  /** Enqueues the current slot of every entry (no-op for slots already taken). Returns jobs created. */
  async tick(): Promise<number> {
    const now = this.now();
    let created = 0;
    for (const entry of this.opts.entries) {
      const start = slotStart(now, entry.everyMs);
      if (this.handled.get(entry.name) === start.getTime()) continue;
      const specs = typeof entry.jobs === 'function' ? await entry.jobs({ prisma: this.opts.prisma, slotStart: start }) : [entry.jobs];
      for (const spec of specs) {
        const scope = spec.shop ? `${entry.name}:${spec.shop}` : entry.name;
        const res = await enqueueForSlot(
          this.opts.prisma,
          { ...spec, runAt: now, uniqueKey: entry.skipIfPending === false ? null : `schedule:${scope}` },
          `${scope}@${start.toISOString()}`,
        );
        if (res) {
          created++;
          this.log.debug({ schedule: entry.name, shop: spec.shop, slot: start.toISOString(), jobId: res.id.toString() }, 'scheduled job enqueued');
        }
      }
      // Only once every spec of the slot went through (an error leaves the slot for the next tick).
      this.handled.set(entry.name, start.getTime());
    }
    return created;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }
}
