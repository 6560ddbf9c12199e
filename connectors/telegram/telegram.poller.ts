import { setTimeout as sleep } from 'node:timers/promises';
import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { ConnectorContext } from '../../core/connector.ts';
import type { RedisLock } from '../../core/lock.ts';
import { classify, operatorAdvice, untilDone } from './telegram.api.ts';
import type { TelegramConfig } from './telegram.config.ts';
import type { TelegramIntake } from './telegram.intake.ts';

/** connector_state key of the next update_id to ask for (everything below it is in the queue). */
export const OFFSET_KEY = 'offset';
/** connector_state key of when the last update was seen (ms since epoch). */
export const LAST_UPDATE_KEY = 'lastUpdateAt';
/**
 * After a week without updates Telegram picks the next update_id at random, possibly below our
 * cursor; asking with the old offset would confirm (lose) it. Past this quiet time we ask without
 * an offset: Telegram's own confirmations equal ours, because we confirm only what is queued.
 */
const QUIET_RESET_MS = 6 * 24 * 3600 * 1000;
/**
 * How long past its long-poll timeout a getUpdates may go unanswered before the poller gives up on
 * it and asks again. telegraf's own limit is 500 s: a connection that went half-open (the office
 * router reconnected, a proxy stalled) held every complaint for over eight minutes.
 */
export const ANSWER_GRACE_MS = 15_000;
/** Update kinds the bot asks for; everything else would only be ignored. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member'] as const;

/**
 * Our own getUpdates loop. telegraf's polling confirms a whole batch even when a handler failed,
 * so here the offset sent to Telegram (which confirms everything below it) is the stored cursor,
 * and it moves only past updates whose `done` resolved — i.e. that the intake queue holds.
 * Album parts, and the updates of their chat that came after them, are re-read (not confirmed)
 * until their merged message is enqueued.
 */
export class TelegramPoller {
  /** update_ids at or above the cursor that are durable. */
  private readonly done = new Set<number>();
  /** update_ids at or above the cursor waiting in an album buffer. */
  private readonly inflight = new Set<number>();
  private offset: number;
  private failures = 0;
  private albumFailure: unknown;
  lastPollAt = 0;
  lastError: string | undefined;

  constructor(
    private readonly deps: { api: Telegram; ctx: ConnectorContext; config: TelegramConfig; intake: TelegramIntake; lock: RedisLock; answerGraceMs?: number },
  ) {
    this.offset = deps.ctx.state.get<number>(OFFSET_KEY) ?? 0;
    this.lastUpdateAt = deps.ctx.state.get<number>(LAST_UPDATE_KEY) ?? Date.now();
  }

  private lastUpdateAt: number;

  get cursor(): number {
    return this.offset;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { ctx, lock } = this.deps;
    while (!signal.aborted) {
      if (!lock.isHeld) {
        ctx.logger.info('waiting for the Telegram poller lock');
        if (!(await lock.acquire(signal))) break;
        ctx.logger.info('Telegram poller lock acquired');
        // Another copy may have advanced the cursor while we waited.
        this.offset = Math.max(this.offset, ctx.state.get<number>(OFFSET_KEY) ?? 0);
      }
      try {
        await this.pollOnce(signal);
      } catch (err) {
        if (signal.aborted) break;
        await this.backoff(err, signal);
      }
    }
  }

  /** One getUpdates round; throws when something must be retried (the cursor has not moved past it). */
  async pollOnce(signal: AbortSignal): Promise<void> {
    const { api, config, intake, ctx } = this.deps;
    const waiting = this.inflight.size > 0 || intake.pendingAlbums > 0;
    const quiet = !waiting && this.offset > 0 && Date.now() - this.lastUpdateAt > QUIET_RESET_MS;
    const timeout = waiting ? 0 : config.polling.timeoutSeconds;
    const deadlineMs = timeout * 1000 + (this.deps.answerGraceMs ?? ANSWER_GRACE_MS);
    const deadline = AbortSignal.timeout(deadlineMs);
    let updates: Update[];
    try {
      updates = (await api.callApi(
        'getUpdates',
        { ...(quiet ? {} : { offset: this.offset }), limit: config.polling.limit, timeout, allowed_updates: [...ALLOWED_UPDATES] },
        // telegraf's AbortSignal type is the abort-controller shim; the platform one is compatible.
        { signal: AbortSignal.any([signal, deadline]) as never },
      )) as Update[];
    } catch (err) {
      if (deadline.aborted && !signal.aborted) {
        throw new Error(`getUpdates: no answer from the Bot API within ${Math.round(deadlineMs / 1000)} s (long poll ${timeout} s); the connection stalled, asking again on a new one`, { cause: err });
      }
      throw err;
    }
    this.lastPollAt = Date.now();
    if (updates.length > 0) {
      const lowest = Math.min(...updates.map((u) => u.update_id));
      if (quiet && lowest < this.offset) {
        ctx.logger.warn({ offset: this.offset, lowest }, 'telegram update ids restarted below the cursor after a quiet week; following them');
        this.offset = lowest;
        this.done.clear();
      }
      this.lastUpdateAt = this.lastPollAt;
      ctx.state.set(LAST_UPDATE_KEY, this.lastUpdateAt);
    }

    const fresh = updates.filter((u) => u.update_id >= this.offset && !this.done.has(u.update_id) && !this.inflight.has(u.update_id));
    const byChat = new Map<string, Update[]>();
    for (const u of fresh) {
      const key = chatKey(u);
      const list = byChat.get(key) ?? [];
      list.push(u);
      byChat.set(key, list);
    }
    let failure: unknown;
    // Different chats in parallel (throughput); one chat in order (a complaint before its follow-up).
    await Promise.all(
      [...byChat.values()].map(async (list) => {
        for (const u of list) {
          if (failure !== undefined) return;
          const a = intake.accept(u);
          // An album part, or an update held behind its chat's album: durable only once the album
          // is enqueued. Not awaited (other chats and the album's own later parts go on); the chat's
          // later updates are chained behind it by the intake, so they reach the queue after it.
          if (a.album || a.held) {
            this.inflight.add(u.update_id);
            a.done.then(
              () => {
                this.inflight.delete(u.update_id);
                this.done.add(u.update_id);
              },
              (err: unknown) => {
                this.inflight.delete(u.update_id);
                this.albumFailure = err;
              },
            );
            continue;
          }
          try {
            await a.done;
            this.done.add(u.update_id);
          } catch (err) {
            failure = err;
          }
        }
      }),
    );
    const seen = updates.map((u) => u.update_id).filter((id) => id >= this.offset);
    this.advance(seen);
    const albumFailure = this.albumFailure;
    this.albumFailure = undefined;
    if (failure !== undefined || albumFailure !== undefined) throw failure ?? albumFailure;
    this.failures = 0;
    this.lastError = undefined;
    if (fresh.length === 0 && (this.inflight.size > 0 || intake.pendingAlbums > 0)) {
      // Only album parts came back: wait for the merge instead of spinning on getUpdates.
      await sleep(Math.min(200, Math.max(20, config.albumWaitMs / 4)), undefined, { signal }).catch(() => undefined);
    }
    ctx.logger.trace({ offset: this.offset, received: updates.length }, 'telegram poll');
  }

  /** Move the cursor to the first update that is not durable yet, and store it. */
  private advance(seen: number[]): void {
    const pending = seen.filter((id) => !this.done.has(id)).sort((a, b) => a - b);
    const maxSeen = seen.length > 0 ? Math.max(...seen) : this.offset - 1;
    const next = pending[0] ?? Math.max(this.offset, maxSeen + 1);
    if (next > this.offset) {
      this.offset = next;
      this.deps.ctx.state.set(OFFSET_KEY, next);
      for (const id of this.done) if (id < next) this.done.delete(id);
    }
  }

  private async backoff(err: unknown, signal: AbortSignal): Promise<void> {
    const { ctx, api, config } = this.deps;
    this.failures += 1;
    const f = classify(err);
    this.lastError = (err as Error).message;
    let waitMs = Math.min(10_000, 500 * 2 ** Math.min(this.failures - 1, 5));
    const advice = operatorAdvice(f, config.id);
    if (f.kind === 'rate-limited') waitMs = f.retryAfterMs;
    if (f.kind === 'conflict' && /webhook/i.test(f.description)) {
      // A webhook set while we poll (or left when deleteWebhook failed at start): removed as at start,
      // never dropping what Telegram holds; before, getUpdates answered 409 every 5 s for ever.
      ctx.logger.warn({ err }, `getUpdates refused (409): ${advice ?? ''}`);
      await removeWebhook(api, ctx, signal, 'polling goes on after it');
    } else if (f.kind === 'conflict') {
      waitMs = 5_000;
      ctx.logger.error({ err }, `getUpdates refused (409): ${advice ?? ''}`);
    } else if (f.kind === 'unauthorized') {
      waitMs = 60_000;
      ctx.logger.error({ err }, `${advice ?? 'Telegram rejected the bot token'}; polling again every minute`);
    } else {
      ctx.logger.warn({ err, offset: this.offset, retryInMs: waitMs }, 'telegram poll failed; the offset stays until the update is queued');
    }
    await sleep(waitMs, undefined, { signal }).catch(() => undefined);
  }
}

/**
 * deleteWebhook, keeping what Telegram holds (never drop_pending_updates): a webhook left from webhook mode, or
 * set while we poll, makes getUpdates answer 409. Rate-limited (429), it is tried again after Telegram's
 * retry_after, however long (before: only logged, and with a long one the 409s went on meanwhile); any other
 * failure is logged and the poller's 409 handling tries again with the next poll.
 */
export async function removeWebhook(api: Telegram, ctx: Pick<ConnectorContext, 'logger'>, signal: AbortSignal, then: string): Promise<void> {
  await untilDone(() => api.deleteWebhook({ drop_pending_updates: false }), {
    signal,
    retryMs: (f) => (f.kind === 'rate-limited' ? 0 : undefined),
    onFailure: (err, _f, waitMs) => {
      if (waitMs === undefined) ctx.logger.warn({ err }, 'telegram deleteWebhook failed; trying again with the next poll that meets the webhook (409)');
      else ctx.logger.warn({ err, retryInMs: waitMs }, `telegram deleteWebhook rate-limited by Telegram: trying again in ${Math.ceil(waitMs / 1000)} s, as it asked (retry_after); ${then}`);
    },
  }).catch(() => undefined);
}

function chatKey(u: Update): string {
  const m = ('message' in u ? u.message : 'edited_message' in u ? u.edited_message : 'my_chat_member' in u ? u.my_chat_member : undefined) as { chat?: { id?: number } } | undefined;
  return m?.chat?.id !== undefined ? String(m.chat.id) : `update:${u.update_id}`;
}
