import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { AduanError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { jobIdOf, type InboundMessage } from './message.ts';
import type { AduanConfig } from './config/schema.ts';
import { QUEUES } from './queue-names.ts';

/** Where Redis is when redis.url is unset: the local redis-server `aduan start` runs. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export { outboundQueueName, QUEUES } from './queue-names.ts';

export interface QueueSettings {
  connection: ConnectionOptions;
  prefix: string;
}

/**
 * Connection options for BullMQ. `worker` connections must retry forever (maxRetriesPerRequest
 * null); producer connections fail fast (no offline queue) so a webhook can answer 503 at once,
 * and pipeline automatically: the adds of concurrent requests leave in one socket write (measured
 * on the Twilio webhook: connector CPU per request 0.244 → 0.213 ms).
 */
/** A Redis URL to show (doctor, start, logs): its password replaced by ***. */
export function shownRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(invalid redis.url)';
  }
}

export function redisOptions(config: Pick<AduanConfig, 'redis'>, role: 'worker' | 'producer'): RedisOptions {
  const url = new URL(config.redis.url ?? DEFAULT_REDIS_URL);
  const base: RedisOptions = {
    host: url.hostname,
    port: url.port === '' ? 6379 : Number(url.port),
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    lazyConnect: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  };
  if (url.username !== '') base.username = decodeURIComponent(url.username);
  if (url.password !== '') base.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') base.tls = {};
  if (config.redis.sentinels && config.redis.sentinels.length > 0) {
    base.sentinels = config.redis.sentinels.map((s) => ({ host: s.host, port: s.port }));
    base.name = config.redis.sentinelName ?? 'mymaster';
  }
  return role === 'worker'
    ? { ...base, maxRetriesPerRequest: null }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true };
}

export function queueSettings(config: Pick<AduanConfig, 'redis'>, role: 'worker' | 'producer'): QueueSettings {
  return { connection: redisOptions(config, role) as ConnectionOptions, prefix: config.redis.prefix };
}

export function createRedis(config: Pick<AduanConfig, 'redis'>, role: 'worker' | 'producer'): Redis {
  return new Redis(redisOptions(config, role));
}

/** Jobs are removed once done (kept jobs cost Redis memory); failures stay as the dead-letter list. */
/**
 * Replies to citizens on their channel: retried every 5 s, doubling, but never more than 15 minutes
 * apart, for about three days. Plain exponential backoff had the 15th retry of a reply a day after an
 * SMS phone or modem went down — a day after it was back — and gave up after some 60 days.
 */
export const OUTBOUND_JOB_OPTIONS = { attempts: 300, backoff: { type: 'capped' } } as const satisfies JobsOptions;
/**
 * Thrown by an outbound handler when the channel said when to try again (Telegram's 429 `retry_after`,
 * an HTTP Retry-After): the job's next attempt waits at least `retryAfterMs` (cappedBackoff), as a
 * delayed job, so the worker goes on with other replies meanwhile. At most a day is honoured.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(message: string, readonly retryAfterMs: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The wait an HTTP `Retry-After` header asks for, in ms: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `nowMs`; a date passed is 0). Undefined when absent or
 * unreadable. For an outbound handler that then throws RetryLaterError.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) || !/[a-z]/i.test(v) ? undefined : Math.max(0, t - nowMs);
}

/** Longest wait a RetryLaterError is honoured for. */
const RETRY_LATER_MAX_MS = 24 * 3600 * 1000;

/**
 * The outbound workers' `settings.backoffStrategy` for OUTBOUND_JOB_OPTIONS ('capped'); after a
 * RetryLaterError, at least its wait (before, a 429 asking for 60 s was tried again after 5 s, and hit the limit again).
 */
export const cappedBackoff = (attemptsMade: number, _type?: unknown, err?: unknown): number => {
  const capped = Math.min(5_000 * 2 ** Math.max(0, attemptsMade - 1), 15 * 60_000);
  const asked = err instanceof RetryLaterError && Number.isFinite(err.retryAfterMs) ? Math.min(err.retryAfterMs, RETRY_LATER_MAX_MS) : 0;
  return Math.max(capped, asked);
};

/** Longest wait between two attempts to send a mail: once the SMTP server is back, waiting mail goes within the hour. */
export const MAIL_BACKOFF_MAX_MS = 60 * 60_000;

/**
 * A mail job's options (the outbox row id as job id): `mail.retry.attempts` attempts, waiting
 * `mail.retry.backoffMs` doubling each time, at most MAIL_BACKOFF_MAX_MS (mailBackoff). With plain
 * exponential backoff the defaults (15, 30 s) waited 68 hours before the last attempt and dead-lettered
 * after 5.7 days, not the documented 9 hours; an outage of half a day delayed its mail by 5 more hours.
 */
export function mailJobOptions(config: Pick<AduanConfig, 'mail'>, outboxId: string): JobsOptions {
  return { jobId: outboxId, attempts: config.mail.retry.attempts, backoff: { type: 'mail', delay: config.mail.retry.backoffMs } };
}

/** The forward worker's `settings.backoffStrategy` for mail jobs (mailJobOptions). */
export const mailBackoff = (attemptsMade: number, _type?: unknown, _err?: unknown, job?: { opts: { backoff?: number | { delay?: number } } }): number => {
  const b = job?.opts.backoff;
  const delay = typeof b === 'number' ? b : b?.delay ?? 30_000;
  return Math.min(delay * 2 ** Math.max(0, attemptsMade - 1), MAIL_BACKOFF_MAX_MS);
};

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: false,
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
};

/** Run a queue operation with a deadline: Redis that hangs is treated like Redis that is down. */
export async function withDeadline<T>(work: Promise<T>, ms: number = LIMITS.enqueueTimeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AduanError('QUEUE.UNAVAILABLE', { detail: `no answer within ${ms} ms` })), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    if (err instanceof AduanError) throw err;
    throw new AduanError('QUEUE.UNAVAILABLE', { detail: (err as Error).message }, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Producer side of the intake queue, used by every connector. */
export class IntakeProducer {
  readonly queue: Queue;
  private ready = false;

  constructor(config: Pick<AduanConfig, 'redis'>) {
    const settings = queueSettings(config, 'producer');
    this.queue = new Queue(QUEUES.intake, { ...settings, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    // Errors surface on add(); without a listener ioredis would print unhandled error events.
    this.queue.on('error', () => undefined);
  }

  /**
   * Enqueue a validated message. Resolves once Redis holds the job (the connector may then
   * acknowledge its source); the same connectorId:externalId (and content digest, jobIdOf) always gives
   * the same job id, so a retry never creates a second job while the first is still known to Redis.
   */
  async enqueue(message: InboundMessage): Promise<string> {
    const jobId = jobIdOf(message);
    // Right after start (or while Redis reconnects) the client is not ready yet: wait, within the deadline.
    if (!this.ready) {
      await withDeadline(this.queue.waitUntilReady());
      this.ready = true;
    }
    await withDeadline(this.queue.add('inbound', message, { jobId }));
    return jobId;
  }

  async close(): Promise<void> {
    try {
      await this.queue.close();
    } catch {
      // closing a queue whose Redis is gone must not throw
    }
  }
}

/** How long an operator's command (`aduan status`, `aduan doctor`) waits for a Redis on this machine: connect and PING, together. */
export const CLI_REDIS_WAIT_MS = 1_000;
/**
 * … and for one elsewhere, over TLS or behind Sentinel: a TLS handshake, or asking a Sentinel for the master and
 * then connecting to it, takes several round trips before the first answer — over a slow link more than a second,
 * and such a Redis, working, was reported as not answering.
 */
export const CLI_REDIS_REMOTE_WAIT_MS = 5_000;

/** A Redis on this machine, reached directly (no TLS, no Sentinel): it answers in milliseconds or not at all. */
function isLocalRedis(config: Pick<AduanConfig, 'redis'>): boolean {
  if (config.redis.sentinels && config.redis.sentinels.length > 0) return false;
  let url: URL;
  try {
    url = new URL(config.redis.url ?? DEFAULT_REDIS_URL);
  } catch {
    return true;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'redis:' && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

/** How long an operator's command waits for Redis: `redis.cliTimeoutMs`, else by where Redis is (CLI_REDIS_WAIT_MS, CLI_REDIS_REMOTE_WAIT_MS). */
export function cliRedisWaitMs(config: Pick<AduanConfig, 'redis'>): number {
  return config.redis.cliTimeoutMs ?? (isLocalRedis(config) ? CLI_REDIS_WAIT_MS : CLI_REDIS_REMOTE_WAIT_MS);
}

/**
 * Connection options for an operator's command that asks Redis once and goes on without it: the gateway's
 * own (Sentinel and TLS as configured) but one connection attempt with a connect timeout of the command's wait
 * (`ms`, cliRedisWaitMs), no reconnecting and no retried commands. With the gateway's worker options a Redis
 * that is down was tried again and again until the command's 3 s deadline, and disconnecting the given-up client
 * then kept the process alive 2 s more (ioredis' disconnectTimeout) — `aduan status` took some 6 s to say Redis does not answer.
 */
export function cliRedisOptions(config: Pick<AduanConfig, 'redis'>, ms: number = cliRedisWaitMs(config)): RedisOptions {
  return {
    ...redisOptions(config, 'worker'),
    lazyConnect: true,
    connectTimeout: ms,
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
    maxRetriesPerRequest: 0,
    // (ioredis waits this long for a socket to close after disconnect(), keeping the process alive)
    disconnectTimeout: 100,
  };
}

/** What an operator reads when Redis did not answer in time: how long was waited, and how to wait longer. */
function waitedTooLittle(reason: string, ms: number, config: Pick<AduanConfig, 'redis'>): Error {
  const set = config.redis.cliTimeoutMs !== undefined ? `as redis.cliTimeoutMs ${ms} says` : `the default wait for a Redis ${isLocalRedis(config) ? 'on this machine' : 'elsewhere, over TLS or behind Sentinel'}`;
  return new Error(`${reason === '' ? '' : `${reason}: `}no answer within ${ms / 1000} s, ${set}; a Redis that is slow to answer — far away, over TLS, behind Sentinel — needs a longer wait: set redis.cliTimeoutMs in the config, e.g. ${Math.max(ms * 2, CLI_REDIS_REMOTE_WAIT_MS)}`);
}

/**
 * A client for an operator's command, connected and answering PING within `ms` (cliRedisWaitMs; cliRedisOptions:
 * one attempt, nothing retried); throws what went wrong ("connect ECONNREFUSED 127.0.0.1:9"; on a time-out how long
 * it waited and how to wait longer), the client disconnected. The caller disconnects the client it gets.
 */
export async function connectForCli(config: Pick<AduanConfig, 'redis'>, ms: number = cliRedisWaitMs(config), make: (o: RedisOptions) => Redis = (o) => new Redis(o)): Promise<Redis> {
  const redis = make(cliRedisOptions(config, ms));
  let firstError: Error | undefined;
  redis.on('error', (err: Error) => { firstError ??= err; });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Error('timed out');
  try {
    const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(timedOut), ms); });
    const attempt = (async () => { await redis.connect(); await redis.ping(); })();
    attempt.catch(() => undefined); // (settles after the deadline, if that came first)
    await Promise.race([attempt, deadline]);
    return redis;
  } catch (err) {
    // (a client that gave up has nothing to close: disconnecting it anyway waits for a close that never comes)
    if (redis.status !== 'end') redis.disconnect();
    // (connect() rejects with "Connection is closed."; the connection's own error says why)
    const why = firstError ?? (err as Error);
    if (why === timedOut || /ETIMEDOUT/.test(why.message)) throw waitedTooLittle(why === timedOut ? '' : why.message, ms, config);
    throw why;
  } finally {
    clearTimeout(timer);
  }
}

/** True when a Redis at `url` answers PING within ~1.5 s (start-up checks, tests). */
export async function redisAnswers(url: string): Promise<boolean> {
  // (commandTimeout: a program on the port that takes the connection but never answers is no Redis, not a wait for ever)
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500, commandTimeout: 1500 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
