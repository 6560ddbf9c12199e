import { UnrecoverableError } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { ChannelReply, ConnectorContext } from '../../core/connector.ts';
import { classify, withRetry } from './telegram.api.ts';

/** A blocked bot stays blocked until the citizen writes again or a message gets through; at most this long. */
const BLOCKED_FOR_MS = 365 * 24 * 3600 * 1000;

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

export interface SendOptions {
  /** Reply to this message of the chat (quoted). */
  replyTo?: number;
  threadId?: number;
  /** In-process attempts (429/5xx); default 4. */
  attempts?: number;
  maxWaitMs?: number;
  signal?: AbortSignal;
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
          api.sendMessage(target, text.slice(0, 4096), {
            // reply_parameters replaces the deprecated reply_to_message_id; without
            // allow_sending_without_reply a deleted original would make the ack fail forever.
            ...(opts.replyTo !== undefined ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } } : {}),
            ...(opts.threadId !== undefined ? { message_thread_id: opts.threadId } : {}),
            link_preview_options: { is_disabled: true },
          }),
        { attempts: opts.attempts ?? 4, maxWaitMs: opts.maxWaitMs ?? 30_000, ...(opts.signal ? { signal: opts.signal } : {}) },
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
        throw new UnrecoverableError(`telegram chat ${target} cannot be messaged: ${f.description}`);
      }
      if (f.kind === 'permanent' || f.kind === 'unauthorized') throw new UnrecoverableError(`telegram sendMessage rejected: ${(err as Error).message}`);
      throw err;
    }
  }
}

/** The outbound handler: the acknowledgement/result as a reply to the citizen's message. */
export function outboundHandler(api: Telegram, ctx: Pick<ConnectorContext, 'state' | 'doNotContact' | 'allowContact' | 'logger'>) {
  return async (reply: ChannelReply): Promise<void> => {
    const meta = reply.inReplyTo?.meta ?? {};
    const chatId = typeof meta['chatId'] === 'string' ? meta['chatId'] : reply.to.telegramChatId;
    if (chatId === undefined) throw new UnrecoverableError(`reply ${reply.outboxId} has no Telegram chat`);
    const messageId = typeof meta['messageId'] === 'number' ? meta['messageId'] : undefined;
    const threadId = typeof meta['threadId'] === 'number' ? meta['threadId'] : undefined;
    await sendText(api, ctx, chatId, reply.text, { ...(messageId !== undefined ? { replyTo: messageId } : {}), ...(threadId !== undefined ? { threadId } : {}) });
    ctx.logger.info({ outboxId: reply.outboxId, caseNumber: reply.caseNumber }, 'telegram reply sent');
  };
}
