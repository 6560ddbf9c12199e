import type { Worker } from 'bullmq';
import type { Logger } from '../core/logger.ts';
import type { RedisHealth } from '../core/redis-health.ts';

/**
 * How fast a job held by a killed worker is taken again: its lock's life and the stalled-job check
 * (BullMQ default 30 s each: a killed worker's job waited 30–60 s). ADUAN_WORKER_LOCK_MS shortens both
 * for the crash tests; the intake and forward workers read it.
 */
export function workerLockOptions(): { lockDuration: number; stalledInterval: number } {
  const ms = Number(process.env['ADUAN_WORKER_LOCK_MS'] ?? 30_000);
  const valid = Number.isFinite(ms) && ms >= 500 ? ms : 30_000;
  return { lockDuration: valid, stalledInterval: valid };
}

export interface RunningWorker {
  /** Stop taking jobs, finish in-flight ones, release resources. Idempotent; never throws. */
  close(): Promise<void>;
}

/**
 * Wrap a BullMQ worker and its companions into one idempotent close (BullMQ's own close keeps and
 * returns the same promise; ours does too). Each cleanup runs in its own try/catch. The worker's Redis
 * connection errors are counted by the process's `health` (an outage is a few lines), others logged.
 */
export function runningWorker(name: string, worker: Worker, logger: Logger, health: RedisHealth, ...cleanups: (() => unknown)[]): RunningWorker {
  health.watch(worker, `${name} worker error`);
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        health.stop();
        for (const step of [() => worker.close(), ...cleanups]) {
          try {
            await step();
          } catch (err) {
            logger.warn({ err }, `closing ${name} worker: a cleanup step failed`);
          }
        }
      })();
      return closing;
    },
  };
}
