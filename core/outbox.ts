import { Queue } from 'bullmq';
import type { AduanConfig } from './config/schema.ts';
import type { Db } from './db/client.ts';
import { LIMITS } from './limits.ts';
import type { Logger } from './logger.ts';
import type { RedisHealth } from './redis-health.ts';
import { DEFAULT_JOB_OPTIONS, mailJobOptions, OUTBOUND_JOB_OPTIONS, queueSettings } from './queue.ts';
import { pendingOutbox, setOutboxStatus, staleQueuedOutbox } from './repo/outbox.repo.ts';

/**
 * The transactional outbox's dispatcher (DESIGN §4.3): moves pending rows into their BullMQ queue
 * with the row id as job id, then marks them queued. A crash between the two re-adds the row on the
 * next sweep; the senders check the row before sending, so nothing goes out twice.
 */
export class OutboxDispatcher {
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly config: Readonly<AduanConfig>,
    private readonly db: Db,
    private readonly logger: Logger,
    /** The process's Redis health: connection errors are counted there instead of logged each time. */
    private readonly health?: RedisHealth,
  ) {}

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { ...queueSettings(this.config, 'worker'), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      if (this.health) this.health.watch(q, 'outbox queue error', (err) => this.logger.warn({ err, queue: name }, 'outbox queue error'));
      else q.on('error', (err) => this.logger.warn({ err, queue: name }, 'outbox queue error'));
      this.queues.set(name, q);
    }
    return q;
  }

  /** Start periodic sweeps (pending rows, and rows queued long ago whose job vanished). */
  start(everyMs = 2_000): void {
    this.timer = setInterval(() => void this.kick(), everyMs);
    this.timer.unref();
    void this.kick();
  }

  /** Dispatch now; concurrent calls coalesce into one more sweep. Resolves with rows dispatched. */
  kick(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        total += await this.sweep();
      } while (this.again && !this.stopped);
      return total;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    let n = 0;
    try {
      for (const row of pendingOutbox(this.db, LIMITS.outboxBatch)) {
        const opts = row.kind === 'mail' ? mailJobOptions(this.config, row.id) : { jobId: row.id, ...OUTBOUND_JOB_OPTIONS };
        await this.queue(row.queue).add(row.kind, row.kind === 'mail' ? { outboxId: row.id } : row.payload, opts);
        // (only a row still pending: a sender may have sent it since the list was read)
        setOutboxStatus(this.db, row.id, 'queued', new Date().toISOString(), undefined, ['pending']);
        n++;
      }
      const before = new Date(Date.now() - 10 * 60_000).toISOString();
      for (const row of staleQueuedOutbox(this.db, before, LIMITS.outboxBatch)) {
        const job = await this.queue(row.queue).getJob(row.id);
        if (!job) {
          this.logger.warn({ outboxId: row.id }, 'queued outbox row has no job (Redis lost it?); re-queueing');
          setOutboxStatus(this.db, row.id, 'pending', new Date().toISOString(), undefined, ['queued']);
          this.again = true;
        }
      }
    } catch (err) {
      if (!this.health?.report(err)) this.logger.warn({ err }, 'outbox dispatch failed; will retry');
    }
    if (n > 0) this.logger.debug({ dispatched: n }, 'outbox dispatched');
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    try {
      await this.running;
    } catch {
      // sweep errors are logged inside
    }
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
