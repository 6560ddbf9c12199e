import { UnrecoverableError } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { ChannelReply, ConnectorContext, OutboundProgress } from '../../core/connector.ts';
import { RetryLaterError } from '../../core/queue.ts';
import { splitText } from '../../core/templates.ts';
import { classify, withRetry } from './telegram.api.ts';

/** A blocked bot stays blocked until the citizen writes again or a message gets through; at most this long. */
const BLOCKED_FOR_MS = 365 * 24 * 3600 * 1000;

/** Longest text of one sendMessage (Telegram counts UTF-16 code units after entity parsing; we send plain text). */
export const TELEGRAM_TEXT_MAX = 4096;

/**
 * A text too long for one Telegram message, as several: cut at the last paragraph break, else line
 * break, else space in the second half of each part, never inside a surrogate pair (an emoji).
 * Nothing is dropped: the end of a result (the PUAS / TIDAK PUAS question) reaches the citizen.
 */
export const splitMessage = (text: string, max: number = TELEGRAM_TEXT_MAX): string[] => splitText(text, max);

type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/**
 * connector_state prefix of the note that a command's answer did reach the citizen on its first send after all:
 * Telegram answered that send only after the update loop had given up on it (answerTimeoutSeconds) and written
 * the answer to the outbox (`answerArrived.<outbox id>`). The outbox copy is then not sent again.
 */
export const ANSWER_ARRIVED_PREFIX = 'answerArrived.';

/** Chat ids that changed (group → supergroup), kept in connector_state. */
export const MIGRATIONS_KEY = 'chatMigrations';

export function resolveChat(ctx: Pick<ConnectorContext, 'state'>, chatId: string): string {
  const map = ctx.state.get<Record<string, string>>(MIGRATIONS_KEY) ?? {};
  let id = chatId;
  for (let i = 0; i < 5 && map[id] !== undefined; i += 1) id = map[id]!;
  return id;
}

export function recordMigration(ctx: Pick<ConnectorContext, 'state'>, from: string, to: string): void {
  const map = ctx.state.get<Record<string, string>>(MIGRATIONS_KEY) ?? {};
  if (map[from] === to) return;
  ctx.state.set(MIGRATIONS_KEY, { ...map, [from]: to });
}

/**
 * Longest 429 `retry_after` a send waits out in-process. The outbound worker runs 4 jobs at once: with 30 s
 * waited inline (up to 4 tries, ~90 s a job) a burst of 429s left every slot sleeping and no other chat's reply
 * went. A longer wait makes the job a delayed retry no sooner than Telegram asked (RetryLaterError), its slot
 * free for other replies meanwhile; the parts of a long reply already sent are kept in the job, so none goes twice.
 */
export const INLINE_RETRY_WAIT_MS = 3_000;

export interface SendOptions {
  /** Reply to this message of the chat (quoted). */
  replyTo?: number;
  threadId?: number;
  /** In-process attempts (429/5xx); default 4. */
  attempts?: number;
  /** Longest 429 retry_after waited in-process (default INLINE_RETRY_WAIT_MS); a longer one throws RetryLaterError. */
  maxWaitMs?: number;
  /** Ends the request (and the waits between attempts): a send that Telegram does not answer in time. */
  signal?: AbortSignal;
  /** Called (with an Indonesian reason for the case's record) before throwing when the text can never reach the chat. */
  onUndeliverable?: (reason: string) => void;
}

/**
 * sendMessage with the retries Telegram asks for (429 retry_after, 5xx), following a group's
 * migration to a supergroup, and marking a citizen who blocked the bot as do-not-contact.
 * Throws UnrecoverableError when retrying cannot help (blocked, chat gone).
 */
export async function sendText(api: Telegram, ctx: Pick<ConnectorContext, 'state' | 'doNotContact' | 'allowContact' | 'logger'>, chatId: string, text: string, opts: SendOptions = {}): Promise<number> {
  let target = resolveChat(ctx, chatId);
  for (let hop = 0; ; hop += 1) {
    try {
      const sent = await withRetry(
        () =>
          // (longer texts are split by the caller: splitMessage)
          // (callApi, not sendMessage: only callApi takes a signal, which also ends a request Telegram never answers)
          api.callApi('sendMessage', {
            chat_id: target,
            text: text.slice(0, TELEGRAM_TEXT_MAX),
            // reply_parameters replaces the deprecated reply_to_message_id; without
            // allow_sending_without_reply a deleted original would make the ack fail forever.
            ...(opts.replyTo !== undefined ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } } : {}),
            ...(opts.threadId !== undefined ? { message_thread_id: opts.threadId } : {}),
            link_preview_options: { is_disabled: true },
          }, opts.signal ? { signal: opts.signal as unknown as TelegrafSignal } : {}),
        { attempts: opts.attempts ?? 4, maxWaitMs: opts.maxWaitMs ?? INLINE_RETRY_WAIT_MS, ...(opts.signal ? { signal: opts.signal } : {}) },
      );
      // delivered: the chat takes our messages (again), whatever an earlier block marked
      ctx.allowContact({ telegramChatId: target }, 'telegram: message delivered');
      return sent.message_id;
    } catch (err) {
      const f = classify(err);
      if (f.kind === 'migrated' && hop < 2) {
        recordMigration(ctx, target, f.toChatId);
        target = f.toChatId;
        continue;
      }
      if (f.kind === 'blocked') {
        ctx.doNotContact({ telegramChatId: target }, new Date(Date.now() + BLOCKED_FOR_MS).toISOString(), `telegram: ${f.description}`);
        opts.onUndeliverable?.(`Telegram: ${/blocked/i.test(f.description) ? 'pelapor memblokir bot' : 'obrolan tidak dapat dikirimi pesan'} (${f.description})`);
        throw new UnrecoverableError(`telegram chat ${target} cannot be messaged: ${f.description}`);
      }
      // (401/404: our token or apiRoot, not the citizen's chat — fixed by the operator, then `aduan dlq replay`)
      if (f.kind === 'permanent') opts.onUndeliverable?.(`Telegram menolak pesan (${f.description})`);
      if (f.kind === 'permanent' || f.kind === 'unauthorized') throw new UnrecoverableError(`telegram sendMessage rejected: ${(err as Error).message}`);
      // a wait longer than is spent in-process (maxWaitMs): the job is retried as a delayed job no sooner than
      // Telegram asked, not on the queue's own schedule (5 s, 10 s…), which only hit the limit again
      if (f.kind === 'rate-limited') throw new RetryLaterError(`telegram sendMessage rate-limited: retry after ${Math.ceil(f.retryAfterMs / 1000)} s`, f.retryAfterMs, { cause: err });
      throw err;
    }
  }
}

/**
 * The outbound handler: the acknowledgement/result as a reply to the citizen's message. A text over
 * Telegram's limit goes as several messages in order (the first as the reply); the parts sent are
 * remembered in the job, so a retry after a failed part sends only the rest.
 */
export function outboundHandler(api: Telegram, ctx: Pick<ConnectorContext, 'state' | 'doNotContact' | 'allowContact' | 'logger' | 'replyFailed'>) {
  return async (reply: ChannelReply, progress?: OutboundProgress): Promise<void> => {
    const arrived = `${ANSWER_ARRIVED_PREFIX}${reply.outboxId}`;
    if (reply.caseNumber === null && ctx.state.get(arrived) !== undefined) {
      // (a command's answer whose first send Telegram answered late: the citizen has it, a second would be a duplicate)
      ctx.state.delete(arrived);
      ctx.logger.info({ outboxId: reply.outboxId }, 'telegram answer arrived on its first send after all (late): its outbox copy is not sent');
      return;
    }
    const meta = reply.inReplyTo?.meta ?? {};
    const chatId = typeof meta['chatId'] === 'string' ? meta['chatId'] : reply.to.telegramChatId;
    if (chatId === undefined) throw new UnrecoverableError(`reply ${reply.outboxId} has no Telegram chat`);
    const messageId = typeof meta['messageId'] === 'number' ? meta['messageId'] : undefined;
    const threadId = typeof meta['threadId'] === 'number' ? meta['threadId'] : undefined;
    const parts = splitMessage(reply.text);
    for (let i = progress?.sentParts ?? 0; i < parts.length; i += 1) {
      await sendText(api, ctx, chatId, parts[i]!, {
        ...(i === 0 && messageId !== undefined ? { replyTo: messageId } : {}),
        ...(threadId !== undefined ? { threadId } : {}),
        // a reply that can never arrive (blocked bot, chat gone) is on the case's record at once, and the division
        // hears that its result did not reach the citizen; the job still fails, so `aduan dlq replay` can send it later
        onUndeliverable: (reason) => {
          try {
            ctx.replyFailed(reply.outboxId, reason);
          } catch (err) {
            ctx.logger.error({ err, outboxId: reply.outboxId }, 'could not record the undeliverable reply on its case');
          }
        },
      });
      if (i < parts.length - 1) await progress?.partsSent(i + 1);
    }
    ctx.logger.info({ outboxId: reply.outboxId, caseNumber: reply.caseNumber, parts: parts.length }, 'telegram reply sent');
  };
}
