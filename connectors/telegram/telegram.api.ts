import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError } from 'telegraf';

/** How a failed Bot API call should be treated. */
export type ApiFailure =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'transient' }
  | { kind: 'blocked'; description: string }
  | { kind: 'migrated'; toChatId: string }
  | { kind: 'conflict'; description: string }
  | { kind: 'unauthorized'; code: number }
  | { kind: 'permanent'; description: string };

export function classify(err: unknown): ApiFailure {
  if (err instanceof TelegramError) {
    const code = err.code;
    const params = err.parameters;
    if (code === 429) return { kind: 'rate-limited', retryAfterMs: Math.max(1, params?.retry_after ?? 5) * 1000 };
    if (code >= 500) return { kind: 'transient' };
    if (code === 403) return { kind: 'blocked', description: err.description };
    if (code === 409) return { kind: 'conflict', description: err.description };
    if (code === 401 || code === 404) return { kind: 'unauthorized', code };
    if (params?.migrate_to_chat_id !== undefined) return { kind: 'migrated', toChatId: String(params.migrate_to_chat_id) };
    return { kind: 'permanent', description: err.description };
  }
  // node-fetch FetchError, ECONNREFUSED, aborted sockets: the network, not the request.
  return { kind: 'transient' };
}

/**
 * For the operator: what to change when the Bot API refuses the bot itself (401/404, 409), which
 * waiting will not heal. Undefined for failures that retrying cures.
 */
export function operatorAdvice(f: ApiFailure, channelId: string): string | undefined {
  if (f.kind === 'unauthorized' && f.code === 401) {
    return `Telegram rejects the bot token of channel "${channelId}" (401 Unauthorized): it was revoked (@BotFather /revoke) or mistyped. `
      + `Put the bot's current token from @BotFather in the channel's token setting (e.g. TELEGRAM_TOKEN) and restart this connector; `
      + 'until then nothing is received (Telegram keeps the updates for 24 hours)';
  }
  if (f.kind === 'unauthorized') {
    return `the Bot API answers 404 Not Found for channel "${channelId}": the token is not a bot token, or apiRoot points to no Bot API server. `
      + "Check the channel's token and apiRoot settings and restart this connector";
  }
  if (f.kind === 'conflict' && /webhook/i.test(f.description)) {
    return `a webhook is set for the bot of channel "${channelId}", so Telegram sends its updates there, not to this poller. `
      + 'It is removed (pending updates kept); if this comes back, another program (or an Aduan with mode: webhook) sets it: '
      + 'give this channel mode: webhook instead, or stop that program';
  }
  if (f.kind === 'conflict') {
    return `another program polls the bot of channel "${channelId}" with the same token (a second gateway on another Redis, a test copy, a script): `
      + 'each update reaches only one of them, and those it takes are missing here. Stop it, or give it a bot token of its own';
  }
  return undefined;
}

export interface RetryOptions {
  /** Attempts in this process before giving up (the caller's queue retries later). Default 4. */
  attempts?: number;
  /** Longest retry_after honoured in-process; longer ones are left to the queue. Default 30 s. */
  maxWaitMs?: number;
  /** First backoff for 5xx and network errors, doubled each attempt. Default 500 ms. */
  backoffMs?: number;
  signal?: AbortSignal;
}

/** Run a Bot API call, retrying 429 (after retry_after) and 5xx/network errors (backoff). */
export async function withRetry<T>(call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const maxWait = opts.maxWaitMs ?? 30_000;
  let backoff = opts.backoffMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const f = classify(err);
      if (attempt >= attempts || opts.signal?.aborted) throw err;
      if (f.kind === 'rate-limited') {
        if (f.retryAfterMs > maxWait) throw err;
        await sleep(f.retryAfterMs, undefined, opts.signal ? { signal: opts.signal } : undefined);
      } else if (f.kind === 'transient') {
        await sleep(backoff, undefined, opts.signal ? { signal: opts.signal } : undefined);
        backoff *= 2;
      } else {
        throw err;
      }
    }
  }
}

export interface UntilDoneOptions {
  signal: AbortSignal;
  /**
   * Wait in ms before the next round after a failure withRetry gave up on, or undefined to give up (the
   * error is thrown). A 429 is never tried again sooner than its retry_after, whatever this says.
   */
  retryMs: (f: ApiFailure) => number | undefined;
  /** Told each failure and the wait chosen (undefined: giving up), to log it. */
  onFailure: (err: unknown, f: ApiFailure, waitMs: number | undefined) => void;
}

/**
 * Run a Bot API call the channel cannot receive without (setWebhook, deleteWebhook) until it is done: rounds
 * of withRetry, and between them the wait `retryMs` gives — for a 429 no sooner than Telegram's retry_after,
 * which may be longer than withRetry waits in-process (30 s); trying sooner only meets the limit again and
 * makes it longer. Resolves true when done, false when aborted.
 */
export async function untilDone(call: () => Promise<unknown>, opts: UntilDoneOptions): Promise<boolean> {
  while (!opts.signal.aborted) {
    try {
      await withRetry(call, { attempts: 3, signal: opts.signal });
      return true;
    } catch (err) {
      if (opts.signal.aborted) return false;
      const f = classify(err);
      const retryMs = opts.retryMs(f);
      const waitMs = retryMs === undefined ? undefined : f.kind === 'rate-limited' ? Math.max(f.retryAfterMs, retryMs) : retryMs;
      opts.onFailure(err, f, waitMs);
      if (waitMs === undefined) throw err;
      await sleep(waitMs, undefined, { signal: opts.signal }).catch(() => undefined);
    }
  }
  return false;
}
