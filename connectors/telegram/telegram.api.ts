import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError } from 'telegraf';

/** How a failed Bot API call should be treated. */
export type ApiFailure =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'transient' }
  | { kind: 'blocked'; description: string }
  | { kind: 'migrated'; toChatId: string }
  | { kind: 'conflict' }
  | { kind: 'unauthorized' }
  | { kind: 'permanent'; description: string };

export function classify(err: unknown): ApiFailure {
  if (err instanceof TelegramError) {
    const code = err.code;
    const params = err.parameters;
    if (code === 429) return { kind: 'rate-limited', retryAfterMs: Math.max(1, params?.retry_after ?? 5) * 1000 };
    if (code >= 500) return { kind: 'transient' };
    if (code === 403) return { kind: 'blocked', description: err.description };
    if (code === 409) return { kind: 'conflict' };
    if (code === 401 || code === 404) return { kind: 'unauthorized' };
    if (params?.migrate_to_chat_id !== undefined) return { kind: 'migrated', toChatId: String(params.migrate_to_chat_id) };
    return { kind: 'permanent', description: err.description };
  }
  // node-fetch FetchError, ECONNREFUSED, aborted sockets: the network, not the request.
  return { kind: 'transient' };
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
