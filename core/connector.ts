import type { z } from 'zod';
import type { AduanConfig, ChannelConfig } from './config/schema.ts';
import type { Logger } from './logger.ts';
import type { InboundMessageInput } from './message.ts';
import type { Storage } from './storage.ts';
import type { ChannelReply } from './intake.ts';
import type { MessageStatus } from './repo/messages.repo.ts';
import type { QuarantineEntry } from './repo/state.repo.ts';
import type { RedisLock } from './lock.ts';

export type { ChannelReply };

/** Progress of one outbound reply across attempts, for a reply that goes out as several messages. */
export interface OutboundProgress {
  /** Parts an earlier attempt sent already (0 on the first attempt). */
  readonly sentParts: number;
  /** Remember that the first `n` parts went out: a retry must not send them again. */
  partsSent(n: number): Promise<void>;
}

/** A failed reply sent another way (ConnectorContext.replyFailed). Ids are the channel's own, deterministic. */
export interface ReplyFallback {
  /** Goes out at once in place of the failed reply, on this channel's queue. */
  send: ChannelReply;
  /** Also written, held until releaseHeldReplies(key): e.g. the full text, once the citizen writes again. */
  hold?: { reply: ChannelReply; key: string };
  /** For the case's record (Indonesian): what was done instead. */
  note: string;
  /** Replies not yet sent that `send` makes needless (e.g. a full text held for WhatsApp, now going whole by SMS): marked skipped. */
  cancel?: string[];
  /**
   * Replies that carry the failed one's text another way (e.g. the full text held for WhatsApp until the
   * citizen wrote back). When one of them has gone out or is on its way (sent, being sent, released from its
   * hold), the text has reached the citizen: a failure report that comes only then sends nothing — the failed
   * reply is marked skipped and the case's record says so, with `note` (what reached the citizen).
   */
  unlessOut?: { ids: string[]; note: string };
}

/**
 * A failed reply the channel sends no other way (ConnectorContext.replyFailed): the reply is marked dead as
 * without a fallback, and `note` follows the reason on the case's record, in the division's mail and the
 * escalation — e.g. what to configure so that such a reply arrives.
 */
export interface NoReplyFallback {
  send?: undefined;
  /** For the case's record (Indonesian): why nothing else was sent, what would have carried it. */
  note: string;
  /** As ReplyFallback.unlessOut: when one of these carried the text meanwhile, the reply is marked skipped, not dead, and no one is told it did not arrive. */
  unlessOut?: { ids: string[]; note: string };
}

/** What shows that someone may see a case: its contact's phone (or its last four digits), e-mail, Telegram chat, or the case's status link token. */
export interface CaseProof {
  phone?: string;
  email?: string;
  telegramChatId?: string;
  phoneLast4?: string;
  statusToken?: string;
}

/** Health as reported by `aduan doctor` and /healthz. */
export interface ConnectorHealth {
  ok: boolean;
  detail?: string;
}

/** What a running connector is. `stop()` is idempotent and never throws. */
export interface ConnectorInstance {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<ConnectorHealth>;
}

/**
 * Everything a connector may touch. A connector normalises and enqueues; it never classifies,
 * routes or writes cases. Its writes are its cursor (`state`), quarantine entries, contact marks and the
 * outbox rows of its own replies (replyFailed, replyLater).
 */
export interface ConnectorContext {
  /** The whole (frozen) config, for instance-wide settings such as phoneRegion and limits. */
  readonly config: Readonly<AduanConfig>;
  /** Logger bound to {process, connector}. */
  readonly logger: Logger;
  readonly storage: Storage;
  /**
   * Validate against the InboundMessage contract and enqueue. Resolves with the job id once Redis
   * holds the job — only then may the connector acknowledge its source. Rejects with
   * AduanError MESSAGE.INVALID (bad input: quarantine it) or QUEUE.UNAVAILABLE (retry later).
   */
  enqueue(message: InboundMessageInput): Promise<string>;
  /** Record input that cannot be taken (unparseable, invalid), with the reason. Never throws. */
  quarantine(entry: Omit<QuarantineEntry, 'connectorId'>): void;
  /** The connector's cursor store (connector_state). */
  readonly state: {
    get<T>(key: string): T | undefined;
    set(key: string, value: unknown): void;
    /** Forget `key` (state kept only for a while, e.g. the parts of one reply). */
    delete(key: string): void;
    /**
     * Forget the keys beginning with `prefix` (not empty) last set before `before` (ISO time): state kept one
     * row per citizen that matters only for a while. In short batches (LIMITS.statePruneBatch keys read
     * each), the event loop free between them. Resolves with how many were removed.
     */
    prune(prefix: string, before: string): Promise<number>;
  };
  /** Status of a recorded message by public id (web status pages, Telegram /status). */
  messageStatus(ingestId: string): MessageStatus | undefined;
  /**
   * An intake job not yet recorded: its state ('waiting' | 'active' | 'delayed' | 'failed' | …) and
   * whether its sender gave an e-mail address / a phone number, and its files not kept (name and reason);
   * undefined when there is none.
   */
  intakeJob(ingestId: string): Promise<{ state: string; email: boolean; phone: boolean; withheld: { filename: string; reason: string }[] } | undefined>;
  /**
   * Status of a case for its own contact (/status commands); undefined when unknown or not theirs.
   * `statusToken`: the token of the case's status link (core/status-link.ts), compared in constant time.
   */
  caseStatusFor(caseNumber: string, proof: CaseProof): { number: string; status: string; division: string; updatedAt: string } | undefined;
  /** The citizen-visible timeline of a case (no internal notes), only with proof of being its contact. */
  caseTimelineFor(caseNumber: string, proof: CaseProof): { number: string; status: string; timeline: { at: string; label: string; text: string | null }[] } | undefined;
  /** The path of a case's status link (/status/<number>/<token>), for a page shown to whoever sent its message; undefined when there is no such case. */
  statusLinkPath(caseNumber: string): string | undefined;
  /**
   * Remember `value` under `name` for `ttlSeconds` unless something is remembered there already (Redis
   * SET NX with a TTL, per channel): `first` true when this call stored it, else the value stored first.
   * For replay caches (the web channel's signed requests). Rejects with QUEUE.UNAVAILABLE when Redis is down.
   */
  claimOnce(name: string, value: string, ttlSeconds: number): Promise<{ first: boolean; value: string }>;
  /** A Redis lock named after a source (one poller per mailbox/bot/spool). */
  lock(resource: string, ttlMs?: number): RedisLock;
  /**
   * Consume this connector's outbound queue (acknowledgements, results). The handler sends the
   * reply on the channel; resolving marks it sent, throwing retries with backoff (throwing
   * `RetryLaterError` (core/queue.ts): no sooner than it says), throwing `UnrecoverableError` (bullmq)
   * sends it to the dead-letter list.
   */
  onOutbound(handler: (reply: ChannelReply, progress: OutboundProgress) => Promise<void>): void;
  /** Marks, in contact records, a destination that must not be messaged (blocked bot, hard bounce). */
  doNotContact(to: { phone?: string; email?: string; telegramChatId?: string }, untilIso: string, reason: string): void;
  /**
   * Ids of this channel's replies that begin with `prefix` (at most 500): how a gateway that keeps only
   * a shortened id of a reply (the Android SMS app: 36 characters) finds the reply it reports on.
   */
  ownReplyIds(prefix: string): string[];
  /**
   * A reply this channel sent that its gateway reports, later, as not delivered (an SMS phone's
   * `sms:failed`, Twilio's 63016): the outbox row is marked dead with the reason, the case's record
   * says so, the division hears that its result did not arrive, and the delivery clock escalates it.
   * With `fallback` (called with the failed reply) the channel may send it another way instead: the
   * row is marked skipped and the fallback written, in one transaction; or say why it sends it no other
   * way (NoReplyFallback: its note follows the reason). Only this channel's own
   * replies are marked, and a row once marked is not marked again (a report delivered twice, one per
   * part of a long reply): false when nothing was done. `fallback` also gets when the failed reply went
   * out (`sentAt`: its row's send time, or its last change while it was still being sent).
   */
  replyFailed(outboxId: string, reason: string, fallback?: (failed: ChannelReply, sent: { sentAt: string }) => ReplyFallback | NoReplyFallback | undefined): boolean;
  /**
   * Releases the replies a fallback held under `key` (ReplyFallback.hold): they go out now. Returns
   * how many. Cheap when nothing is held (one read).
   */
  releaseHeldReplies(key: string): number;
  /**
   * A reply of this channel outside any case (a Telegram command's answer that could not go at once:
   * Telegram asked to wait longer than the update loop may, or did not answer), written to the outbox
   * (no case) and sent like the case replies: handed to this channel's outbound queue at `notBefore`
   * (ISO; absent or past: at the dispatcher's next sweep), then sent by the `onOutbound` handler with its
   * retries (a `RetryLaterError` waits as a delayed job). `reply.outboxId` is the channel's own,
   * deterministic: writing the same reply again is a no-op (false). Throws when the database refuses the write.
   */
  replyLater(reply: ChannelReply, notBefore?: string): boolean;
  /** Lifts such a mark: the destination can be messaged again (the citizen unblocked the bot, wrote again). */
  allowContact(to: { phone?: string; email?: string; telegramChatId?: string }, reason: string): void;
}

/** A channel type: one folder under connectors/, listed in connectors/registry.ts. */
export interface ConnectorDefinition<C extends ChannelConfig = ChannelConfig> {
  /** The YAML `type`. */
  readonly type: string;
  /** zod schema of the channel's YAML section (includes id/type/enabled), with defaults. */
  readonly configSchema: z.ZodType<C>;
  /** Whether the connector sends replies itself (consumes outbound-<id>). */
  readonly sendsReplies: boolean;
  create(config: C, ctx: ConnectorContext): ConnectorInstance;
}
