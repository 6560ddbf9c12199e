import type { Logger } from './logger.ts';
import { LIMITS } from './limits.ts';

/**
 * Graceful stop (DESIGN §4.6): SIGINT and SIGTERM both run `stop` once (a second signal while
 * draining is ignored), then exit. If draining hangs past the drain timeout, exit anyway so PM2's
 * kill_timeout is never reached with work half-done silently.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight work');
    const force = setTimeout(() => {
      logger.error('drain timed out; exiting');
      process.exit(1);
    }, LIMITS.drainTimeoutMs);
    force.unref();
    stop()
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Tell PM2 (wait_ready) that this process is up. */
export function signalReady(): void {
  if (typeof process.send === 'function') process.send('ready');
}
