import type { Redis } from 'ioredis';
import type { AduanConfig } from './config/schema.ts';
import type { Logger } from './logger.ts';
import { DEFAULT_REDIS_URL, shownRedisUrl } from './queue.ts';

/** How often, at most, a process says Redis is still unreachable (tests shorten it: ADUAN_REDIS_OUTAGE_LOG_MS). */
export const REDIS_OUTAGE_LOG_MS = 60_000;

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
const CONNECTION_MESSAGE = /ECONNREFUSED|Connection is closed|Stream isn't writeable|connect ETIMEDOUT|All sentinels are unreachable|max retries per request/i;

/** An error of the way to Redis (down, unreachable, connection cut) — not of a command, a job or a script. */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return err.name === 'MaxRetriesPerRequestError' || CONNECTION_MESSAGE.test(err.message);
}

/**
 * The error as pino's err serializer shows it — its type (`Error`, `AggregateError`, `MaxRetriesPerRequestError`),
 * message and code — without the stacks (of the error and of the ones it holds), which say nothing about a
 * connection that failed and only fill the log. (Logged as a plain `{ code, message }`, log readers showed
 * its type as `Object`.)
 */
function withoutStack(err: Error, depth = 0): Error {
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Error;
  for (const key of Object.getOwnPropertyNames(err)) {
    if (key === 'stack') continue;
    const desc = Object.getOwnPropertyDescriptor(err, key)!;
    if (!('value' in desc)) continue;
    const v: unknown = desc.value;
    const value = depth >= 3 ? v : v instanceof Error ? withoutStack(v, depth + 1) : Array.isArray(v) ? v.map((x: unknown) => (x instanceof Error ? withoutStack(x, depth + 1) : x)) : v;
    Object.defineProperty(copy, key, { ...desc, value });
  }
  // (a copy has no stack of its own; one defined here keeps the prototype's getter, if any, from making one)
  Object.defineProperty(copy, 'stack', { value: undefined, enumerable: false, configurable: true, writable: true });
  return copy;
}

/** An error's message; an AggregateError's (`localhost`: ::1 and 127.0.0.1 both refused) has none of its own: those it holds. */
function messageOf(err: Error): string {
  if (err.message !== '' || !(err instanceof AggregateError)) return err.message;
  return [...new Set((err.errors as unknown[]).map((x) => (x instanceof Error ? x.message : String(x))))].join('; ');
}

/** What emits connection events: an ioredis client, or a BullMQ Queue / Worker (its backend says when a connection is ready). */
type Watched = Pick<Redis, 'on'> | { on(event: 'error', listener: (err: Error) => void): unknown; getBackend(): { on(event: 'ready', listener: () => void): unknown } };

export interface RedisHealth {
  /**
   * Count a watched object's connection errors here instead of logging each; other errors go to
   * `onOther` (default: a warning with `what`). Its connections' 'ready' ends an outage.
   */
  watch(target: Watched, what: string, onOther?: (err: Error) => void): void;
  /** Count `err` if it is a Redis connection error (true); false: the caller logs it itself. */
  report(err: unknown): boolean;
  /** A connection is ready: an outage, if any, is over. */
  ready(): void;
  /** The process is closing its connections: their errors are expected, nothing more is logged. */
  stop(): void;
}

/**
 * One per process (connector or worker): every Redis connection of the process — ioredis clients,
 * BullMQ queues and workers — reports here. During an outage each of them fails every few seconds
 * (ioredis retries); logged one by one that was thousands of lines in ten minutes, hiding everything
 * else in `pm2 logs`. Now: one warning when Redis becomes unreachable (which URL, which process), at
 * most one line a minute while it stays so, and one when it is reachable again.
 */
export function redisHealth(config: Pick<AduanConfig, 'redis'>, logger: Logger, opts: { everyMs?: number; now?: () => number } = {}): RedisHealth {
  const every = opts.everyMs ?? Number(process.env['ADUAN_REDIS_OUTAGE_LOG_MS'] ?? REDIS_OUTAGE_LOG_MS);
  const now = opts.now ?? Date.now;
  const shown = shownRedisUrl(config.redis.url ?? DEFAULT_REDIS_URL);
  const bindings = logger.bindings() as { process?: string; connector?: string };
  const who = [bindings.process, bindings.connector].filter((x) => x !== undefined).join(' ') || 'this process';
  let downSince: number | undefined;
  let errors = 0;
  let lastLine = 0;
  let stopped = false;
  const seconds = (t: number): number => Math.round((t - (downSince ?? t)) / 1000);

  const health: RedisHealth = {
    report(err) {
      if (!isRedisConnectionError(err)) return false;
      if (stopped) return true;
      const e = err as NodeJS.ErrnoException;
      const t = now();
      errors++;
      if (downSince === undefined) {
        downSince = t;
        errors = 1;
        lastLine = t;
        logger.warn({ redis: shown, err: withoutStack(e) },
          `Redis unreachable at ${shown} (${who}): ${messageOf(e)}. Retrying; queued messages stay where they are (connectors answer 503 or keep their input). Is redis-server running? One line a minute until it is back`);
      } else if (t - lastLine >= every) {
        lastLine = t;
        logger.warn({ redis: shown, downSeconds: seconds(t), errors }, `Redis still unreachable for ${seconds(t)} s (${errors} errors)`);
      }
      return true;
    },
    ready() {
      if (downSince === undefined || stopped) return;
      const t = now();
      logger.info({ redis: shown, downSeconds: seconds(t), errors }, `Redis reachable again after ${seconds(t)} s`);
      downSince = undefined;
      errors = 0;
    },
    stop() {
      stopped = true;
    },
    watch(target, what, onOther) {
      const other = onOther ?? ((err: Error) => logger.warn({ err }, what));
      target.on('error', (err: Error) => {
        if (!health.report(err)) other(err);
      });
      if ('getBackend' in target) target.getBackend().on('ready', () => health.ready());
      else target.on('ready', () => health.ready());
    },
  };
  return health;
}
