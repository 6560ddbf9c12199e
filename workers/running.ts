import type { Worker } from 'bullmq';
import type { Logger } from '../core/logger.ts';

export interface RunningWorker {
  /** Stop taking jobs, finish in-flight ones, release resources. Idempotent; never throws. */
  close(): Promise<void>;
}

/**
 * Wrap a BullMQ worker and its companions into one idempotent close (BullMQ's own close keeps and
 * returns the same promise; ours does too). Each cleanup runs in its own try/catch.
 */
export function runningWorker(name: string, worker: Worker, logger: Logger, ...cleanups: (() => unknown)[]): RunningWorker {
  worker.on('error', (err) => logger.warn({ err }, `${name} worker error`));
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
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
