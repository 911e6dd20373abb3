// Recurring jobs, declared in one place. The scheduler (server/queue/scheduler.ts) enqueues each entry once
// per slot across all processes. To add one, add an entry: a fixed spec, or a function returning one spec
// per shop (e.g. `jobs: async ({ prisma }) => (await installedShops(prisma)).map((shop) => ({ … shop }))`).
import type { ScheduleEntry } from '../queue/scheduler.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function buildSchedule(): ScheduleEntry[] {
  return [
    // Retention (server/queue/prune.ts): hourly keeps each run's delete small.
    { name: 'jobs.prune', everyMs: HOUR, jobs: { type: 'jobs.prune', payload: {} } },
  ];
}
