import type { Worker } from 'bullmq';
import type { Logger } from '../core/logger.ts';
import type { RedisHealth } from '../core/redis-health.ts';

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
