// LISTEN on the jobs channel with a dedicated connection; reconnects with backoff when the connection drops.
// Notifications are only a wake-up hint: the worker also polls, so a lost notification costs at most one
// poll interval.
import pg from 'pg';
import type { Logger } from 'pino';
import { JOBS_CHANNEL } from './sql/insert-jobs.js';

export class JobNotifier {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 500;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly log: Logger,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client(this.connection);
    const retry = () => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      // 0.5 s doubling to 10 s: a restarting PostgreSQL is back within seconds; polling covers the gap.
      this.timer = setTimeout(() => void this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on('error', (err) => {
      this.log.warn({ err }, 'job notifier connection lost; reconnecting');
      retry();
    });
    client.on('end', retry);
    client.on('notification', () => this.onNotify());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      this.retryMs = 500;
      // Jobs enqueued while we were not listening.
      this.onNotify();
    } catch (err) {
      this.log.warn({ err }, 'job notifier could not listen; polling until it can');
      retry();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => {});
  }
}
