import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { ChannelReply, ConnectorContext } from '../../core/connector.ts';
import { RetryLaterError } from '../../core/queue.ts';
import { isAduanError } from '../../core/errors.ts';
import { exampleCaseNumber, namedCaseNumber, yearIn } from '../../core/case-number.ts';
import { fetchFiles } from './telegram.files.ts';
import { mergeAlbum, normalizeUpdate, type BotIdentity, type Normalized } from './telegram.normalize.ts';
import { ANSWER_ARRIVED_PREFIX, recordMigration, sendText } from './telegram.outbound.ts';
import { statusLabel, telegramText, type TelegramTextName } from './telegram.texts.ts';
import type { TelegramConfig } from './telegram.config.ts';
import { TELEGRAM_DOWNLOAD_MAX_BYTES } from './telegram.config.ts';

type MessageItem = Extract<Normalized, { kind: 'message' }>;

/** What accepting one update means for the caller's acknowledgement (offset or HTTP status). */
export interface Accepted {
  updateId: number;
  /** True for an album part: `done` settles only when the merged album is enqueued. */
  album: boolean;
  /**
   * True when the update waits behind an earlier update of its chat still in progress (an album
   * waiting for its parts): `done` settles only after that one, so a poller must not block on it.
   */
  held: boolean;
  /** Resolves once the update is durable (enqueued, answered or deliberately ignored); rejects when it must be retried. */
  done: Promise<void>;
}

const BLOCKED_FOR_MS = 365 * 24 * 3600 * 1000;
/** A command answer held up (rate limit, outage) is sent at most this long after Telegram allowed it: later, it tells an old status. */
export const ANSWER_STALE_AFTER_MS = 3_600_000;
/**
 * connector_state prefix of the note that a command's answer went to the outbox (`answerLater.<chat>.<message>.<text name>`):
 * the same update taken again (a restart before its offset was stored) then sends no second answer at once, the outbox
 * row still to come. Telegram keeps an update at most 24 hours, so notes older than ANSWER_NOTE_KEEP_MS are pruned.
 */
export const ANSWER_LATER_PREFIX = 'answerLater.';
const ANSWER_NOTE_KEEP_MS = 2 * 24 * 3600 * 1000;
/** How often those notes are pruned (when one is written). */
const ANSWER_NOTE_PRUNE_EVERY_MS = 3600 * 1000;
/**
 * How long a command's direct send that went past answerTimeoutSeconds may still end (Telegram answering late)
 * before it is given up; its outbox copy is sent no sooner, and not at all when it did end well.
 */
export const ANSWER_LATE_GRACE_MS = 30_000;
/** How long a merged album is remembered for late parts. */
const RECENT_ALBUM_MS = 10 * 60 * 1000;

interface AlbumSlot {
  parts: Map<number, MessageItem>;
  /** Settles when the merged album is enqueued (or failed): every part's `done`. */
  done: Promise<void>;
  settle: { resolve: () => void; reject: (err: unknown) => void };
  /** The chat's earlier update still in progress when the album began: the album is enqueued after it. */
  after: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The mode-independent half of the connector: update → normalise → commands answered here,
 * complaints (with their files) enqueued, albums merged. Polling and webhook only differ in how
 * they acknowledge Telegram, which they do from `Accepted.done`.
 */
export class TelegramIntake {
  private readonly albums = new Map<string, AlbumSlot>();
  /**
   * Per chat, the last update still in progress. An album waits albumWaitMs for its parts; what the
   * citizen sent after it ("lubangnya di lajur kiri") must not reach the queue first and open the
   * case, so every later update of that chat is chained behind it (other chats go on).
   */
  private readonly chatTails = new Map<string, Promise<void>>();
  /** Albums merged lately, so a late part joins the first part's case. */
  private readonly recentAlbums = new Map<string, { externalId: string; addressed: boolean; at: number }>();
  private readonly maxFileBytes: number;
  private readonly fileFailures = new Map<string, number>();
  private answerNotesPrunedAt = 0;

  constructor(
    private readonly deps: { api: Telegram; ctx: ConnectorContext; config: TelegramConfig; bot: BotIdentity },
  ) {
    this.maxFileBytes = Math.min(TELEGRAM_DOWNLOAD_MAX_BYTES, deps.ctx.config.storage.maxAttachmentBytes);
  }

  private pruneRecentAlbums(): void {
    const cutoff = Date.now() - RECENT_ALBUM_MS;
    for (const [key, v] of this.recentAlbums) {
      if (v.at < cutoff || this.recentAlbums.size > 1_000) this.recentAlbums.delete(key);
      else break;
    }
  }

  get pendingAlbums(): number {
    return this.albums.size;
  }

  accept(update: unknown): Accepted {
    const { ctx, config, bot } = this.deps;
    let n: Normalized;
    try {
      n = normalizeUpdate(update, { connectorId: config.id, bot, phoneRegion: ctx.config.instance.phoneRegion, maxFileBytes: this.maxFileBytes });
    } catch (err) {
      // The normaliser is total on objects; this is a bug, keep the update for analysis instead of blocking the bot.
      const updateId = typeof (update as { update_id?: unknown })?.update_id === 'number' ? (update as { update_id: number }).update_id : -1;
      ctx.quarantine({ externalId: `update:${updateId}`, code: 'TELEGRAM.UNPARSEABLE', reason: (err as Error).message, payload: safeJson(update) });
      return { updateId, album: false, held: false, done: Promise.resolve() };
    }
    const chat = 'chatId' in n ? n.chatId : undefined;
    const before = chat !== undefined ? this.chatTails.get(chat) : undefined;
    if (n.kind === 'message' && n.mediaGroupId !== undefined) {
      const { done, created } = this.addToAlbum(n, before);
      // (a part joining an album already waiting keeps its place in the chain)
      if (created && chat !== undefined) this.chain(chat, done);
      return { updateId: n.updateId, album: true, held: false, done };
    }
    const item = n;
    const done = before !== undefined ? before.then(() => this.handle(item)) : this.handle(item);
    if (chat !== undefined) this.chain(chat, done);
    return { updateId: n.updateId, album: false, held: before !== undefined, done };
  }

  /** Make `p` the chat's last update in progress until it settles. */
  private chain(chat: string, p: Promise<void>): void {
    this.chatTails.set(chat, p);
    const clear = (): void => {
      if (this.chatTails.get(chat) === p) this.chatTails.delete(chat);
    };
    p.then(clear, clear);
  }

  private async handle(n: Normalized): Promise<void> {
    const { ctx } = this.deps;
    switch (n.kind) {
      case 'ignored':
        ctx.logger.debug({ updateId: n.updateId, reason: n.reason }, 'telegram update ignored');
        return;
      case 'blocked':
        ctx.doNotContact({ telegramChatId: n.chatId }, new Date(Date.now() + BLOCKED_FOR_MS).toISOString(), 'telegram: user blocked the bot');
        return;
      case 'unblocked':
        ctx.allowContact({ telegramChatId: n.chatId }, 'telegram: user unblocked the bot');
        return;
      case 'migrated':
        recordMigration(ctx, n.fromChatId, n.toChatId);
        ctx.logger.info({ fromChatId: n.fromChatId, toChatId: n.toChatId }, 'telegram group migrated to a supergroup');
        return;
      case 'command':
        if (n.chatType === 'private') this.wroteAgain(n.chatId);
        await this.answerCommand(n);
        return;
      case 'message':
        if (!n.addressed) return;
        await this.take(n);
        return;
    }
  }

  /** Fetch files, enqueue; resolves only when the intake queue holds the message. */
  private async take(n: MessageItem): Promise<void> {
    const { api, ctx } = this.deps;
    if (n.input.meta?.['chatType'] === 'private') this.wroteAgain(n.chatId);
    const attachments = await fetchFiles(api, ctx, n.files, {
      maxBytes: this.maxFileBytes, allowedTypes: ctx.config.storage.allowedTypes, failures: this.fileFailures,
      ...(this.deps.config.downloadTimeoutSeconds !== undefined ? { deadlineMs: this.deps.config.downloadTimeoutSeconds * 1000 } : {}),
    });
    // (an edit, or a late album photo, carries the original's externalId in meta.editOf / meta.albumOf:
    // intake puts it on the original's case when it records it — the original may still be queued now)
    const input = { ...n.input, attachments };
    try {
      const jobId = await ctx.enqueue(input);
      ctx.logger.info({ messageId: jobId, externalId: input.externalId }, 'telegram message enqueued');
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        ctx.quarantine({ externalId: input.externalId, code: 'TELEGRAM.INVALID', reason: err.message, payload: safeJson(input) });
        return;
      }
      throw err;
    }
    const withheld = attachments.filter((a) => a.withheld !== undefined);
    // Not awaited: telling the citizen must not hold up the acknowledgement of the update.
    for (const a of withheld) {
      this.reply(n.chatId, n.messageId, 'telegramFileWithheld', { filename: a.filename, reason: a.withheld ?? '' }, n.input.meta?.['threadId'])
        .catch((err: unknown) => ctx.logger.error({ err, chatId: n.chatId }, 'telegram notice of a withheld file neither sent nor written for later'));
    }
  }

  /**
   * A citizen writing in their private chat has the bot unblocked: a do-not-contact mark from an
   * earlier block (403, my_chat_member kicked) is lifted, or their results would never reach them.
   */
  private wroteAgain(chatId: string): void {
    this.deps.ctx.allowContact({ telegramChatId: chatId }, 'telegram: user wrote to the bot');
  }

  private async answerCommand(n: Extract<Normalized, { kind: 'command' }>): Promise<void> {
    const { ctx, bot } = this.deps;
    const { name: instance, casePrefix, timezone } = ctx.config.instance;
    const vars = { instance, bot: bot.username, exampleNumber: exampleCaseNumber(casePrefix, yearIn(new Date(), timezone)) };
    if (n.command === 'start') return this.reply(n.chatId, n.messageId, 'telegramStart', vars);
    if (n.command === 'bantuan') return this.reply(n.chatId, n.messageId, 'telegramHelp', vars);
    const number = namedCaseNumber(n.args, ctx.config.instance.casePrefix);
    if (number === undefined) return this.reply(n.chatId, n.messageId, 'telegramStatusUsage', vars);
    // Only the case's own contact learns its status: the proof is the Telegram identity of the asker.
    const status = ctx.caseStatusFor(number, { telegramChatId: n.fromId });
    if (!status) return this.reply(n.chatId, n.messageId, 'telegramStatusUnknown', { caseNumber: number });
    const updatedAt = formatDate(status.updatedAt, ctx.config.instance.timezone);
    const division = ctx.config.divisions.find((d) => d.id === status.division)?.name ?? status.division;
    return this.reply(n.chatId, n.messageId, 'telegramStatus', { caseNumber: status.number, status: statusLabel(status.status), division, updatedAt });
  }

  /**
   * Answer the citizen here (a command, a withheld file): tried at once. A 429 is never waited out here:
   * the poll round (every other citizen's chat, the next getUpdates) would wait with it, and a burst of
   * /status from several chats would stack those waits. Rate-limited, or not answered (5xx, network: three
   * quick tries), the answer is not dropped but written to the outbox (ctx.replyLater) and sent by the
   * channel's outbound queue like a case's reply — no sooner than Telegram's retry_after, with the
   * queue's retries — while the update loop goes on. An answer that can never arrive (bot blocked, chat
   * gone) is logged. Rejects only when the answer could neither go nor be written for later: the update
   * is then taken again.
   *
   * The direct send has a deadline of its own (answerTimeoutSeconds): a send Telegram does not answer (a
   * half-open connection, a proxy that hangs) held the round for the HTTP client's 500 s. Past it the answer is
   * written to the outbox, not before ANSWER_LATE_GRACE_MS more, while the send itself may still end until then:
   * when Telegram does answer it late, the citizen has the answer and the outbox copy is not sent
   * (ANSWER_ARRIVED_PREFIX). A duplicate is left only when Telegram took the send but its answer never came
   * back (the connection died after the request went through): a bot cannot ask Telegram what it sent, and an
   * answer twice is better than none.
   */
  private async reply(chatId: string, messageId: number, name: TelegramTextName, vars: Record<string, string | number>, threadId?: unknown): Promise<void> {
    const { api, ctx, config } = this.deps;
    const text = telegramText(name, vars, ctx.config.templates);
    const thread = typeof threadId === 'number' ? threadId : undefined;
    const filename = vars['filename'];
    const noteKey = `${ANSWER_LATER_PREFIX}${chatId}.${messageId}.${name}${typeof filename === 'string' ? `.${createHash('sha256').update(filename).digest('hex').slice(0, 12)}` : ''}`;
    if (ctx.state.get(noteKey) !== undefined) {
      // taken again (a restart before the update's offset was stored): its answer waits in the outbox already
      ctx.logger.debug({ chatId, template: name }, 'telegram answer already in the outbox; not sent again');
      return;
    }
    // (deterministic: the same update taken again writes no second answer; no ':', which BullMQ refuses in a job id)
    const outboxId = `${config.id}.answer.${chatId}.${messageId}.${name}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    const later = (waitMs: number, err: unknown, msg: string): void => {
      const reply: ChannelReply = {
        outboxId, caseNumber: null, to: { telegramChatId: chatId }, text,
        inReplyTo: { externalId: `${chatId}:${messageId}`, meta: { chatId, messageId, ...(thread !== undefined ? { threadId: thread } : {}) } },
        // (a /status answer an hour late tells an old status: not sent then; the citizen asks again)
        staleAfter: new Date(Date.now() + waitMs + ANSWER_STALE_AFTER_MS).toISOString(),
      };
      ctx.replyLater(reply, new Date(Date.now() + waitMs).toISOString());
      // (after the row: a note without its row would lose the answer when the update is taken again)
      ctx.state.set(noteKey, Date.now());
      this.pruneAnswerNotes();
      ctx.logger.info({ err, chatId, template: name, outboxId, retryInMs: waitMs }, msg);
    };
    const deadlineMs = config.answerTimeoutSeconds * 1000;
    // (the send may still end a while after the update loop stops waiting for it; then it is given up)
    const sending = sendText(api, ctx, chatId, text, {
      replyTo: messageId, attempts: 3, signal: AbortSignal.timeout(deadlineMs + ANSWER_LATE_GRACE_MS),
      // (maxWaitMs 0: any 429 leaves the update loop at once, as a RetryLaterError with Telegram's wait)
      maxWaitMs: 0, ...(thread !== undefined ? { threadId: thread } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), deadlineMs);
    });
    try {
      if ((await Promise.race([sending, overdue])) !== 'overdue') return;
    } catch (err) {
      if (err instanceof UnrecoverableError) {
        ctx.logger.warn({ err, chatId, template: name }, 'telegram answer not sent');
        return;
      }
      later(err instanceof RetryLaterError ? err.retryAfterMs : 0, err,
        err instanceof RetryLaterError ? 'telegram answer rate-limited: it goes through the outbound queue once Telegram allows' : 'telegram answer not sent yet: it goes through the outbound queue');
      return;
    } finally {
      clearTimeout(timer);
    }
    // No answer from Telegram in time: the round goes on; the outbox copy goes once the send can no longer end well.
    later(ANSWER_LATE_GRACE_MS + 1_000, undefined,
      `telegram answer not answered by the Bot API within ${config.answerTimeoutSeconds} s: it goes through the outbound queue unless that send still arrives`);
    sending.then(
      () => {
        try {
          ctx.state.set(`${ANSWER_ARRIVED_PREFIX}${outboxId}`, Date.now());
          ctx.logger.info({ chatId, template: name, outboxId }, 'telegram answer arrived late: its outbox copy will not be sent');
        } catch (err) {
          ctx.logger.warn({ err, chatId, outboxId }, 'telegram answer arrived late, but noting it failed: the citizen may get it twice');
        }
      },
      (err: unknown) => ctx.logger.info({ err, chatId, template: name, outboxId }, 'telegram answer given up on: it goes through the outbound queue'),
    );
  }

  /** At most hourly, forget the notes of answers sent through the outbox once no update can come again for them. */
  private pruneAnswerNotes(): void {
    const now = Date.now();
    if (now - this.answerNotesPrunedAt < ANSWER_NOTE_PRUNE_EVERY_MS) return;
    this.answerNotesPrunedAt = now;
    const { ctx } = this.deps;
    const before = new Date(now - ANSWER_NOTE_KEEP_MS).toISOString();
    Promise.all([ctx.state.prune(ANSWER_LATER_PREFIX, before), ctx.state.prune(ANSWER_ARRIVED_PREFIX, before)])
      .then(([a, b]) => { if (a + b > 0) ctx.logger.debug({ pruned: a + b }, 'pruned notes of telegram answers sent through the outbox'); })
      .catch((err: unknown) => ctx.logger.warn({ err }, 'pruning the notes of telegram answers failed; tried again in an hour'));
  }

  private addToAlbum(n: MessageItem, after: Promise<void> | undefined): { done: Promise<void>; created: boolean } {
    const key = `${n.chatId}:${n.mediaGroupId ?? ''}`;
    let slot = this.albums.get(key);
    const created = slot === undefined;
    if (!slot) {
      let settle!: AlbumSlot['settle'];
      const done = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      slot = { parts: new Map(), done, settle, after, timer: undefined };
      this.albums.set(key, slot);
    }
    slot.parts.set(n.updateId, n);
    const s = slot;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.flushAlbum(key, s), this.deps.config.albumWaitMs);
    return { done: s.done, created };
  }

  private async flushAlbum(key: string, slot: AlbumSlot): Promise<void> {
    if (this.albums.get(key) !== slot) return;
    this.albums.delete(key);
    clearTimeout(slot.timer);
    try {
      // (what the chat sent before the album goes first; when that failed, the album is retried with it)
      if (slot.after !== undefined) await slot.after;
      const merged = mergeAlbum([...slot.parts.values()]);
      this.pruneRecentAlbums();
      const earlier = this.recentAlbums.get(key);
      if (earlier !== undefined && earlier.externalId !== merged.input.externalId) {
        // Parts that came after the album was merged (slow delivery, webhook one at a time).
        merged.input.meta = { ...merged.input.meta, albumOf: earlier.externalId };
        merged.addressed ||= earlier.addressed;
      } else {
        this.recentAlbums.set(key, { externalId: merged.input.externalId, addressed: merged.addressed, at: Date.now() });
      }
      if (merged.addressed) await this.take(merged);
      slot.settle.resolve();
    } catch (err) {
      slot.settle.reject(err);
    }
  }

  /** Webhook stop: merge what arrived so the held HTTP requests get their answer. */
  async flushAlbums(): Promise<void> {
    await Promise.allSettled([...this.albums.entries()].map(([key, slot]) => this.flushAlbum(key, slot)));
  }

  /** Polling stop: forget unmerged albums; their updates were not confirmed and come again. */
  dropAlbums(reason: Error): void {
    for (const slot of this.albums.values()) {
      clearTimeout(slot.timer);
      slot.settle.reject(reason);
    }
    this.albums.clear();
  }
}

function formatDate(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(d);
  } catch {
    return d.toISOString();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 65536);
  } catch {
    return String(v);
  }
}
