import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { twilioConfigSchema, type TwilioConfig } from './twilio.config.ts';
import type { ChannelReply, ConnectorContext, ConnectorDefinition, ConnectorInstance, NoReplyFallback, OutboundProgress, ReplyFallback } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { LIMITS } from '../../core/limits.ts';
import { header, startWebhookServer, stopWebhookServer, type WebhookAnswer, type WebhookRequest } from '../../core/webhook-server.ts';
import { RecentIds, RepeatGuard, SignatureRejects, rejectedPayload } from '../sms/sms.common.ts';
import { createTwilioClient } from './twilio.client.ts';
import { downloadTwilioMedia } from './twilio.media.ts';
import { buildTwilioMessage } from './twilio.message.ts';
import { EMPTY_TWIML, isStatusCallback, mediaItems, one, parseFormBody, signedUrl, twilioBodies, verifyTwilioSignature, type TwilioParams } from './twilio.params.ts';
import { TwilioSpool, type SpoolRecord } from './twilio.spool.ts';

export { twilioConfigSchema, type TwilioConfig } from './twilio.config.ts';

const TWIML: WebhookAnswer = { status: 200, type: 'text/xml', body: EMPTY_TWIML };

/** How a reply went out when it is a fallback this connector wrote (ChannelReply.channelMeta.fallback). */
type Fallback = 'wa-template' | 'wa-full' | 'sms';

/** Where a citizen's held full text waits (connector_state), by phone: no number in the key. */
const heldKey = (phone: string): string => `wa:${createHash('sha256').update(phone).digest('hex').slice(0, 16)}`;

/** Where the notes of when citizens last wrote on WhatsApp are kept (connector_state): the keys begin so. */
const WROTE_PREFIX = 'wrote:';
/** When the citizen last wrote on WhatsApp to this channel (connector_state, ISO time), by phone: no number in the key. */
const wroteKey = (phone: string): string => `${WROTE_PREFIX}${heldKey(phone)}`;

/** Where the parts of a long WhatsApp reply Twilio reported delivered are noted (connector_state), until it is done with. */
const DELIVERED_PREFIX = 'delivered:';
const deliveredKey = (outboxId: string): string => `${DELIVERED_PREFIX}${outboxId}`;
/**
 * How long such a note is kept when Twilio never reported the other parts (the reply is never done with):
 * Twilio's status callbacks come within hours; a failure reported later than this resends every part.
 */
const DELIVERED_KEEP_MS = 7 * 86_400_000;

/** Which part of a reply sent in several messages a status callback is about (`part`, `parts` in its URL). */
interface PartRef {
  index: number;
  of: number;
}

/** The part a status callback names, or undefined: a single message, or a callback URL from before parts were named. */
function partOf(q: URLSearchParams): PartRef | undefined {
  const index = Number(q.get('part'));
  const of = Number(q.get('parts'));
  return Number.isInteger(index) && Number.isInteger(of) && of > 1 && of <= 100 && index >= 1 && index <= of ? { index, of } : undefined;
}

/** "3", "1 dan 3", "1, 3 dan 4". */
const listParts = (ns: readonly number[]): string => (ns.length === 1 ? String(ns[0]) : `${ns.slice(0, -1).join(', ')} dan ${ns.at(-1)}`);

/** WhatsApp's customer-service window: free-form messages within 24 hours of the citizen's last message. */
const WINDOW_MS = 24 * 3_600_000;
/** A window closing sooner than this is taken as closed: the full text would arrive just as it shuts (and be refused again). */
const WINDOW_MARGIN_MS = 10 * 60_000;
/**
 * How long a note of when a citizen last wrote is kept: wroteSince() — the only reader — asks about the last
 * 24 hours; three days more for clocks and late reports. Older notes are pruned (one row per number, else forever).
 */
const WROTE_KEEP_MS = WINDOW_MS + 3 * 86_400_000;
/** How often those notes are pruned; the first prune a minute after start. */
const WROTE_PRUNE_EVERY_MS = 3_600_000;
const WROTE_PRUNE_FIRST_MS = 60_000;

/** A WhatsApp template variable: one line, no runs of spaces (Meta refuses them), at most `max` characters. */
export function templateExcerpt(text: string, caseNumber: string, max = 200): string {
  // "Hasil tindak lanjut aduan ADU-…: <hasil>": the number is {{1}} already
  const at = text.indexOf(`${caseNumber}: `);
  const body = (at >= 0 && at < 80 ? text.slice(at + caseNumber.length + 2) : text).replace(/\s+/g, ' ').trim();
  if (body.length <= max) return body;
  const cut = body.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** A plain phone number of ours (not a short code). */
const E164_NUMBER = /^\+[1-9]\d{5,15}$/;
/**
 * Twilio error codes that refuse the `From` of an SMS (not the message or the citizen): 21212 invalid From,
 * 21606 not an SMS-capable number of the account, 21612 that From cannot reach this To, 21659 not a Twilio
 * number, 21660 From of another account. A reply from the number the citizen wrote to goes from `from` instead.
 */
const SENDER_REFUSED = new Set([21212, 21606, 21612, 21659, 21660]);

/** Twilio's limit on the media of one message. */
const TWILIO_MEDIA_TOTAL_BYTES = 5 * 1024 * 1024;

/**
 * Twilio SMS / WhatsApp. Twilio gives up after 15 s and never redelivers an SMS webhook, so a
 * request is answered only once it is either queued or written to the local spool; media-bearing
 * requests are spooled at once and processed (download, enqueue) behind the answer.
 */
class TwilioConnector implements ConnectorInstance {
  private server: Server | undefined;
  private readonly spool: TwilioSpool;
  private readonly recent = new RecentIds();
  private readonly guard: RepeatGuard;
  private readonly rejects = new SignatureRejects();
  private readonly client;
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private spooled = 0;
  private queueDown: string | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<number> | undefined;
  /** Numbers of ours citizens wrote to other than `from`, already told of in the log (per channel: sms / whatsapp). */
  private readonly receivedOnSeen = new Set<string>();
  /** Numbers citizens wrote to that Twilio refused as the sender of a reply: answered from `from` since. */
  private readonly refusedSenders = new Set<string>();

  constructor(
    private readonly config: TwilioConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.spool = new TwilioSpool(path.resolve(ctx.config.storage.dir, 'spool', config.id));
    this.guard = new RepeatGuard(config.repeatWindowSeconds * 1000);
    this.client = createTwilioClient(config.accountSid, config.authToken, config.apiBaseUrl);
    ctx.onOutbound((reply, progress) => this.send(reply, progress));
  }

  /** One webhook request → the answer (TwiML, 403 on a bad signature, 500 only if nothing was persisted). */
  async handle(req: WebhookRequest): Promise<WebhookAnswer> {
    try {
      return await this.handleInner(req);
    } catch (err) {
      this.ctx.logger.error({ err }, 'Twilio webhook handler failed');
      return { status: 500, type: 'text/plain', body: 'error' };
    }
  }

  private async handleInner(req: WebhookRequest): Promise<WebhookAnswer> {
    const raw = req.body.toString('utf8');
    const params = parseFormBody(raw);
    const url = signedUrl(this.config.publicUrl, req.url);
    const tokens = [this.config.authToken, ...(this.config.previousAuthToken !== undefined ? [this.config.previousAuthToken] : [])];
    const signature = header(req, 'x-twilio-signature');
    if (!verifyTwilioSignature({ authTokens: tokens, signature, url, params, settingsHeader: header(req, 'x-twilio-signature-settings') })) {
      // fail closed; log the URL we validated against (a wrong publicUrl looks exactly like this).
      // Anyone can send these: no body kept, and only a few recorded per address and minute.
      const take = this.rejects.take(req.ip);
      if (take.record) {
        const claimed = one(params, 'MessageSid');
        this.ctx.logger.warn({ url, hasSignature: signature !== undefined, ip: req.ip, ...(take.suppressedBefore > 0 ? { suppressedBefore: take.suppressedBefore } : {}) }, 'Twilio signature rejected');
        this.ctx.quarantine({ externalId: claimed !== undefined && /^[A-Z]{2}[0-9a-f]{32}$/.test(claimed) ? claimed : null, code: 'SMS.SIGNATURE_INVALID', reason: `X-Twilio-Signature invalid for ${url}`, payload: rejectedPayload(raw, req.ip) });
      } else if (take.first) {
        this.ctx.logger.warn({ ip: req.ip }, 'more Twilio signature failures from this address: counted, not recorded, for the rest of the minute');
      }
      return { status: 403, type: 'text/plain', body: 'Twilio Request Validation Failed.' };
    }
    if (isStatusCallback(params)) {
      const status = one(params, 'MessageStatus') ?? one(params, 'SmsStatus');
      // our reply's own callback (statusCallback below): Twilio took it, then could not deliver it — a
      // WhatsApp result more than 24 hours after the citizen last wrote (63016), a number that is no mobile
      const query = new URL(req.url, 'http://x').searchParams;
      const outboxId = query.get('outboxId');
      // (one part of a long reply: the fallback carries only the parts not reported delivered)
      const part = partOf(query);
      const whatsapp = /^whatsapp:/i.test(one(params, 'To') ?? '') || one(params, 'ChannelPrefix') === 'whatsapp';
      if (outboxId && (status === 'failed' || status === 'undelivered')) {
        const code = one(params, 'ErrorCode');
        this.ctx.replyFailed(outboxId, this.failureReason(status, code), (failed, sent) => this.fallbackFor(failed, code, sent.sentAt, part));
        if (part) this.forgetParts(outboxId);
      } else if (outboxId && part && whatsapp && (status === 'delivered' || status === 'read')) {
        this.notePartDelivered(outboxId, part);
      } else this.ctx.logger.debug({ messageSid: one(params, 'MessageSid'), status }, 'status callback');
      return TWIML;
    }
    const sid = one(params, 'MessageSid') ?? '';
    if (sid !== '' && this.recent.has(sid)) return TWIML;
    const idempotencyToken = header(req, 'i-twilio-idempotency-token');
    const record: SpoolRecord = { v: 1, receivedAt: new Date().toISOString(), body: raw, ...(idempotencyToken !== undefined ? { idempotencyToken } : {}) };
    if (mediaItems(params, LIMITS.attachmentsMax).length > 0) return this.toSpool(record, sid, 'media download runs after the answer');
    try {
      await this.ingest(params, record.receivedAt);
      return TWIML;
    } catch (err) {
      this.ctx.logger.warn({ err, messageSid: sid }, 'intake queue unavailable; spooling the request');
      return this.toSpool(record, sid, 'queue unavailable');
    }
  }

  private async toSpool(record: SpoolRecord, sid: string, why: string): Promise<WebhookAnswer> {
    try {
      const name = await this.spool.put(record, sid);
      this.spooled++;
      this.ctx.logger.info({ messageSid: sid, file: name }, `request spooled (${why})`);
      this.scheduleDrain(0);
      return TWIML;
    } catch (err) {
      // nothing is persisted: say so loudly; a 500 shows in Twilio's debugger and can be recovered there
      this.ctx.logger.error({ err, messageSid: sid }, 'cannot write the Twilio spool; message NOT taken');
      return { status: 500, type: 'text/plain', body: 'spool unavailable' };
    }
  }

  /**
   * Take one validated request: download media, build, enqueue. Quarantines bad input (returns),
   * rethrows only QUEUE.UNAVAILABLE-like failures so callers keep the request.
   */
  private async ingest(params: TwilioParams, receivedAt: string): Promise<void> {
    const sid = one(params, 'MessageSid') ?? '';
    const items = mediaItems(params, LIMITS.attachmentsMax);
    let attachments: Awaited<ReturnType<typeof downloadTwilioMedia>>['attachments'] = [];
    let failed: string[] = [];
    if (items.length > 0) {
      ({ attachments, failed } = await downloadTwilioMedia(
        items,
        { username: this.config.accountSid, password: this.config.authToken },
        { maxBytes: Math.min(this.ctx.config.storage.maxAttachmentBytes, LIMITS.attachmentMaxBytes), maxTotalBytes: TWILIO_MEDIA_TOTAL_BYTES, allowedTypes: this.ctx.config.storage.allowedTypes, timeoutMs: this.config.mediaTimeoutMs },
        this.ctx.storage,
      ));
    }
    const built = buildTwilioMessage(params, {
      connectorId: this.config.id, region: this.ctx.config.instance.phoneRegion, receivedAt, attachments, guard: this.guard,
      ...(failed.length > 0 ? { extraMeta: { mediaFailed: failed.slice(0, 10) } } : {}),
    });
    if (!built.ok) {
      this.ctx.quarantine({ externalId: sid || null, code: built.code, reason: built.reason, payload: JSON.stringify(params).slice(0, 8192) });
      if (sid !== '') this.recent.add(sid);
      return;
    }
    // the citizen wrote on WhatsApp: a new 24-hour window (a failure report of an earlier reply that comes only now
    // sends the full text at once, fallbackFor); noted before queueing — the window is open whether Redis is up or not
    if (built.message.channel === 'whatsapp' && built.message.sender.phone) this.noteWrote(built.message.sender.phone, receivedAt, sid);
    this.noteReceivedOn(params, built.message.channel);
    try {
      const jobId = await this.ctx.enqueue(built.message);
      this.queueDown = undefined;
      this.recent.add(sid);
      // debug: the intake worker already logs every recorded message at info; one line per webhook here doubled the log volume
      this.ctx.logger.debug({ jobId, messageSid: sid, channel: built.message.channel }, 'message queued');
      // the citizen wrote on WhatsApp: the 24-hour window is open again, a full text held behind a template goes now
      if (built.message.channel === 'whatsapp' && built.message.sender.phone) {
        try {
          this.ctx.releaseHeldReplies(heldKey(built.message.sender.phone));
        } catch (err) {
          this.ctx.logger.error({ err, messageSid: sid }, 'could not release the replies held for this citizen; they stay held');
        }
      }
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        this.ctx.quarantine({ externalId: sid, code: 'MESSAGE.INVALID', reason: err.message, payload: JSON.stringify(params).slice(0, 8192) });
        this.recent.add(sid);
        return;
      }
      this.queueDown = (err as Error).message;
      throw err;
    }
  }

  private scheduleDrain(delayMs: number): void {
    if (!this.server) return;
    clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => this.runDrain(), delayMs);
  }

  /**
   * One drain at a time; a request spooled while a drain runs (after it listed the spool) sets
   * `drainAgain`, and the running drain goes round once more instead of leaving it behind.
   */
  private runDrain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          if (!(await this.drain())) return; // queue down: drain() armed the retry timer
        } while (this.drainAgain && this.server);
      } finally {
        this.draining = undefined;
      }
    })();
  }

  /**
   * Queue what the spool holds, oldest first; stop at the first queue failure and come back later.
   * False when it stopped on a queue failure; a request that arrived meanwhile sets `drainAgain`.
   */
  async drain(): Promise<boolean> {
    const names = await this.spool.list();
    const listed = new Set(names);
    for (const name of names) {
      const record = await this.spool.read(name);
      if (!record) {
        this.ctx.quarantine({ code: 'SMS.SPOOL_CORRUPT', reason: `spool file ${name} is unreadable`, payload: name });
        await this.spool.moveBad(name);
        continue;
      }
      try {
        await this.ingest(parseFormBody(record.body), record.receivedAt);
        await this.spool.remove(name);
        this.spooled = Math.max(0, this.spooled - 1);
      } catch (err) {
        this.ctx.logger.warn({ err, file: name }, 'spooled request not queued yet; retrying later');
        this.scheduleDrain(this.config.spoolRetryMs);
        return false;
      }
    }
    const left = await this.spool.list();
    this.spooled = left.length;
    if (left.some((n) => !listed.has(n))) this.drainAgain = true;
    return true;
  }

  /** Remember when the citizen last wrote on WhatsApp (the latest time kept: a spooled request comes late). Never throws. */
  private noteWrote(phone: string, at: string, sid: string): void {
    try {
      const key = wroteKey(phone);
      const before = this.ctx.state.get<string>(key);
      if (before === undefined || before < at) this.ctx.state.set(key, at);
    } catch (err) {
      this.ctx.logger.warn({ err, messageSid: sid }, 'could not note when the citizen last wrote on WhatsApp; a late failure report of an earlier reply holds its full text until they write again');
    }
  }

  /**
   * Forget the notes of when citizens last wrote on WhatsApp that no window can depend on any more (set over
   * WROTE_KEEP_MS ago), and the delivered-parts notes of replies Twilio never finished reporting (over
   * DELIVERED_KEEP_MS), in short batches; logs how many (a count, no numbers). One prune at a time. Never throws.
   */
  async pruneWrote(): Promise<number> {
    this.pruning ??= (async () => {
      try {
        const removed = await this.ctx.state.prune(WROTE_PREFIX, new Date(Date.now() - WROTE_KEEP_MS).toISOString());
        if (removed > 0) this.ctx.logger.info({ removed }, `pruned ${removed} note(s) of when a citizen last wrote on WhatsApp (older than ${WROTE_KEEP_MS / 86_400_000} days: no 24-hour window left to open)`);
        const parts = await this.ctx.state.prune(DELIVERED_PREFIX, new Date(Date.now() - DELIVERED_KEEP_MS).toISOString());
        if (parts > 0) this.ctx.logger.info({ removed: parts }, `pruned ${parts} note(s) of delivered parts of long replies whose other parts Twilio never reported (older than ${DELIVERED_KEEP_MS / 86_400_000} days)`);
        return removed + parts;
      } catch (err) {
        this.ctx.logger.warn({ err }, 'could not prune the notes of when citizens last wrote on WhatsApp; trying again in an hour');
        return 0;
      } finally {
        this.pruning = undefined;
      }
    })();
    return this.pruning;
  }

  private schedulePrune(delayMs: number): void {
    if (!this.server) return;
    this.pruneTimer = setTimeout(() => void this.pruneWrote().finally(() => this.schedulePrune(WROTE_PRUNE_EVERY_MS)), delayMs);
    this.pruneTimer.unref();
  }

  /**
   * Whether the citizen wrote on WhatsApp after `sentAt` (a reply Twilio refused as outside the window, 63016)
   * and that new 24-hour window is still open for a while: a free-form message goes now.
   */
  private wroteSince(phone: string, sentAt: string): boolean {
    const wrote = this.ctx.state.get<string>(wroteKey(phone));
    if (typeof wrote !== 'string' || wrote <= sentAt) return false;
    return Date.parse(wrote) + WINDOW_MS - WINDOW_MARGIN_MS > Date.now();
  }

  /** Wait until the spool is empty (tests). */
  async spoolSize(): Promise<number> {
    return (await this.spool.list()).length;
  }

  /**
   * Where Twilio reports a reply's delivery: this webhook, naming the reply (signed by Twilio like any
   * request) and, for a reply sent in several messages, the part (`part=2&parts=3`).
   */
  private statusCallback(outboxId: string, part?: PartRef): string {
    const u = new URL(this.config.publicUrl);
    u.searchParams.set('outboxId', outboxId);
    if (part) {
      u.searchParams.set('part', String(part.index));
      u.searchParams.set('parts', String(part.of));
    }
    return u.toString();
  }

  /** A part of a long WhatsApp reply reported delivered (or read): noted, until every part is. Never throws. */
  private notePartDelivered(outboxId: string, part: PartRef): void {
    try {
      const key = deliveredKey(outboxId);
      const got = new Set(this.ctx.state.get<number[]>(key) ?? []);
      if (got.has(part.index)) return;
      got.add(part.index);
      // (every part arrived: nothing of it can fail any more)
      if (got.size >= part.of) this.ctx.state.delete(key);
      else this.ctx.state.set(key, [...got].sort((a, b) => a - b));
    } catch (err) {
      this.ctx.logger.warn({ err, outboxId }, 'could not note a delivered part of a long reply; should another part fail, the fallback carries the whole text');
    }
  }

  /** A long reply's failure was reported: what was noted of its parts is done with. Never throws. */
  private forgetParts(outboxId: string): void {
    try {
      this.ctx.state.delete(deliveredKey(outboxId));
    } catch (err) {
      this.ctx.logger.warn({ err, outboxId }, 'could not forget the delivered parts of a failed reply');
    }
  }

  /**
   * The text a fallback carries for a reply Twilio reported failed: the whole text, or — when the report
   * names one part of a reply sent in several messages and Twilio had reported some of its other parts
   * delivered (or read) — only the parts not reported delivered (the failed one among them), in order,
   * under a line saying which. `parts` lists them (undefined: the whole text).
   */
  private undelivered(failed: ChannelReply, part: PartRef | undefined): { text: string; parts?: { list: number[]; of: number } } {
    if (!part || typeof failed.outboxId !== 'string') return { text: failed.text };
    // (split as send() split it: the same parts, numbered the same; an SMS fallback converts its own text when it goes)
    const bodies = twilioBodies(failed.text, this.goesOnWhatsApp(failed));
    // (a count that does not match: not this reply's parts, say a text split otherwise by an older version)
    if (bodies.length !== part.of) return { text: failed.text };
    const delivered = new Set(this.ctx.state.get<number[]>(deliveredKey(failed.outboxId)) ?? []);
    delivered.delete(part.index);
    const list = bodies.map((_, i) => i + 1).filter((i) => !delivered.has(i));
    if (list.length === bodies.length) return { text: failed.text };
    const about = failed.caseNumber ? ` tentang aduan ${failed.caseNumber}` : '';
    const head = `(Bagian ${listParts(list)} dari ${part.of} pesan${about}; bagian lainnya sudah sampai.)`;
    return { text: [head, ...list.map((i) => bodies[i - 1] as string)].join('\n\n'), parts: { list, of: part.of } };
  }

  /** Whether a reply (not a fallback) goes out on WhatsApp: the channel the citizen used (one Twilio number can serve SMS and WhatsApp). */
  private onWhatsApp(reply: ChannelReply): boolean {
    const via = reply.inReplyTo?.meta['twilioChannel'];
    return via === 'whatsapp' || (reply.inReplyTo === undefined && this.config.from.startsWith('whatsapp:'));
  }

  /** Whether a reply or fallback goes out on WhatsApp: an SMS (the citizen's channel, or the SMS fallback) is written as GSM-7 first (twilioBodies). */
  private goesOnWhatsApp(reply: ChannelReply): boolean {
    const fallback = reply.channelMeta?.['fallback'] as Fallback | undefined;
    return fallback === 'wa-full' || fallback === 'wa-template' || (fallback === undefined && this.onWhatsApp(reply));
  }

  /**
   * Why a reply did not arrive, for the case's record, the division and the escalation (Indonesian). What
   * was done about it (sent again, how; or not, and what to configure) follows it: fallbackFor().
   */
  private failureReason(status: string, code: string | undefined): string {
    const why = code === '63016' ? ': WhatsApp hanya boleh membalas dalam 24 jam sejak pesan terakhir pelapor' : '';
    return `Twilio ${status}${code ? ` (${code}${why})` : ''}`;
  }

  /**
   * A WhatsApp reply (or fallback) that nothing configured carries another way: the record says it was not
   * sent again and which keys would have carried it (a template only the first reply outside the window:
   * 63016; an SMS number any), and the log warns. A template that failed leaves its full text held: that
   * stays, and when it has gone out meanwhile (the citizen wrote back) the failure is recorded as such.
   */
  private noFallback(code: string | undefined, step: Fallback | undefined, base: string): NoReplyFallback {
    const template = code === '63016' && step === undefined && this.config.whatsapp.resultTemplateSid === undefined;
    const missing = [
      ...(template ? ['whatsapp.resultTemplateSid (SID HX… template WhatsApp yang disetujui, untuk pesan di luar 24 jam)'] : []),
      'smsFallbackFrom (nomor SMS akun Twilio yang sama)',
    ];
    this.ctx.logger.warn({ channel: this.config.id, code }, `WhatsApp reply not delivered and not sent another way: set channels[id=${this.config.id}].${template ? 'whatsapp.resultTemplateSid (an approved WhatsApp template, for 63016) and/or ' : ''}smsFallbackFrom`);
    const held = step === 'wa-template' ? ' Pesan lengkap tetap ditahan dan dikirim lewat WhatsApp bila pelapor menulis lagi.' : '';
    return {
      note: `Tidak dikirim ulang.${held} Agar pesan WhatsApp seperti ini tetap sampai, Sekretariat perlu mengatur pada kanal ${this.config.id}: ${missing.join(' dan/atau ')}`,
      ...(step === 'wa-template' ? { unlessOut: { ids: [`${base}.fallback-wa-full`], note: 'Pesan lengkap sudah dikirim lewat WhatsApp setelah pelapor membalas.' } } : {}),
    };
  }

  /**
   * What to send instead of a reply Twilio reports failed, if anything: outside WhatsApp's 24-hour
   * window (63016) the full text again on WhatsApp at once when the citizen has written since it was
   * sent (a report that came late: the window is open again), else the approved template, with the
   * full text held until the citizen writes again; otherwise (or when the template fails too) the
   * whole text by SMS. Of a reply sent in several messages, each of these carries only the parts
   * Twilio had not reported delivered when one failed (undelivered()). Ids are derived from the
   * original's, so the same failure always yields the same fallback. A WhatsApp reply none of these
   * carries: why, and what to configure (noFallback()); an SMS that failed: nothing more.
   */
  private fallbackFor(failed: ChannelReply, code: string | undefined, sentAt: string, part?: PartRef): ReplyFallback | NoReplyFallback | undefined {
    const phone = failed.to?.phone;
    if (typeof failed.outboxId !== 'string' || !phone) return undefined;
    const step = failed.channelMeta?.['fallback'] as Fallback | undefined;
    if (step === 'sms' || (step === undefined && !this.onWhatsApp(failed))) return undefined;
    const base = failed.outboxId.replace(/\.fallback-[\w-]+$/, '');
    // (only the parts of a long reply that did not arrive, when Twilio reported the others delivered)
    const rest = this.undelivered(failed, part);
    const { channelMeta: _, ...whole } = failed;
    const reply = { ...whole, text: rest.text };
    const what = rest.parts ? `bagian ${listParts(rest.parts.list)} dari ${rest.parts.of} (bagian lainnya sudah sampai)` : 'pesan lengkap';
    if (step === undefined && code === '63016' && this.wroteSince(phone, sentAt)) {
      // (no template: the citizen is in the window now; with or without a template or an SMS number configured)
      return {
        send: { ...reply, outboxId: `${base}.fallback-wa-full`, channelMeta: { fallback: 'wa-full' } },
        note: `Pelapor sudah menulis lagi sejak pesan ini dikirim (jendela 24 jam WhatsApp terbuka): ${what} dikirim ulang lewat WhatsApp.`,
      };
    }
    const template = this.config.whatsapp.resultTemplateSid;
    if (step === undefined && code === '63016' && template !== undefined && failed.caseNumber !== null) {
      return {
        send: { ...reply, outboxId: `${base}.fallback-wa-template`, channelMeta: { fallback: 'wa-template', contentSid: template, contentVariables: { 1: failed.caseNumber, 2: templateExcerpt(failed.text, failed.caseNumber) } } },
        hold: { reply: { ...reply, outboxId: `${base}.fallback-wa-full`, channelMeta: { fallback: 'wa-full' } }, key: heldKey(phone) },
        note: `Dikirim ulang dengan template WhatsApp yang disetujui (nomor aduan dan awal pesan); ${what} dikirim begitu pelapor membalas.`,
      };
    }
    if (this.config.smsFallbackFrom !== undefined) {
      return {
        send: { ...reply, outboxId: `${base}.fallback-sms`, channelMeta: { fallback: 'sms' } },
        note: rest.parts ? `Dikirim ulang lewat SMS: hanya ${what}.` : 'Dikirim ulang lengkap lewat SMS.',
        // (the template failed: the full text held for WhatsApp now goes by SMS, not a second time when the citizen writes;
        // unless the report came late, the citizen having written back and the full text gone out on WhatsApp already)
        ...(step === 'wa-template' ? {
          cancel: [`${base}.fallback-wa-full`],
          unlessOut: { ids: [`${base}.fallback-wa-full`], note: 'Pesan lengkap sudah dikirim lewat WhatsApp setelah pelapor membalas; tidak dikirim ulang lewat SMS.' },
        } : {}),
      };
    }
    return this.noFallback(code, step, base);
  }

  private async send(reply: ChannelReply, progress: OutboundProgress): Promise<void> {
    const phone = reply.to.phone;
    if (!phone) throw new UnrecoverableError('reply has no phone number');
    const fallback = reply.channelMeta?.['fallback'] as Fallback | undefined;
    const bare = this.config.from.replace(/^whatsapp:/, '');
    if (fallback === 'wa-template') return this.sendTemplate(reply, phone, `whatsapp:${bare}`);
    let from = bare;
    if (fallback === 'sms') {
      if (this.config.smsFallbackFrom === undefined) throw new UnrecoverableError(`SMS fallback of ${reply.outboxId}: smsFallbackFrom is no longer configured on channel ${this.config.id}`);
      from = this.config.smsFallbackFrom;
    }
    const whatsapp = this.goesOnWhatsApp(reply);
    // an SMS answer comes from the number the citizen wrote to (another number of the account whose webhook
    // points here), not from `from`: a reply from a number they never wrote to shows as another conversation
    const receivedOn = fallback === undefined && !whatsapp ? this.receivedOn(reply) : undefined;
    if (receivedOn !== undefined) from = receivedOn;
    // over 1600 characters Twilio answers 400/21617: send the reply as several messages, in order;
    // the parts already sent are remembered (in the outbound job), so a retry after a failed part sends only the rest.
    // By SMS the text is GSM-7 where it can be before it is split (a typographic quote made it UCS-2: 70 a segment, not 160)
    const bodies = twilioBodies(reply.text, whatsapp);
    let sent = Math.min(progress.sentParts, bodies.length);
    while (sent < bodies.length) {
      const statusCallback = this.statusCallback(reply.outboxId, bodies.length > 1 ? { index: sent + 1, of: bodies.length } : undefined);
      let msg;
      try {
        msg = await this.client.messages.create({ from: whatsapp ? `whatsapp:${bare}` : from, to: whatsapp ? `whatsapp:${phone}` : phone, body: bodies[sent] as string, statusCallback });
      } catch (err) {
        if (receivedOn !== undefined && from === receivedOn && from !== bare && SENDER_REFUSED.has((err as { code?: number }).code ?? 0)) {
          // Twilio will not send from that number (not SMS-capable, not to this destination): from `from`, as before
          this.senderRefused(receivedOn, err);
          from = bare;
          continue;
        }
        this.refused(err, phone);
      }
      sent++;
      if (bodies.length > 1) await progress.partsSent(sent);
      this.ctx.logger.info({ outboxId: reply.outboxId, messageSid: msg.sid, ...(bodies.length > 1 ? { part: sent, parts: bodies.length } : {}) }, 'reply sent through Twilio');
    }
  }

  /**
   * The number of ours an SMS reply answers (the `To` of the citizen's message, kept in its meta), when it is
   * not `from` and Twilio has not refused it as a sender; undefined: the reply goes from `from`.
   */
  private receivedOn(reply: ChannelReply): string | undefined {
    const to = reply.inReplyTo?.meta['twilioTo'];
    if (typeof to !== 'string' || to === this.config.from.replace(/^whatsapp:/, '') || this.refusedSenders.has(to)) return undefined;
    return to;
  }

  /** Twilio refused a number the citizen wrote to as the sender of its reply: said once, and `from` used for it from now on. */
  private senderRefused(number: string, err: unknown): void {
    if (this.refusedSenders.size < 100) this.refusedSenders.add(number);
    const e = err as { code?: number; message?: string };
    this.ctx.logger.warn({ channel: this.config.id, code: e.code },
      `Twilio refuses ${number} as the sender of an SMS (${e.code ?? ''} ${e.message ?? ''}): citizens who wrote to it are answered from this channel's from, `
      + `${this.config.from.replace(/^whatsapp:/, '')}, which many phones show as another conversation. Check in the Twilio console that ${number} `
      + 'can send SMS (its capabilities, Messaging geographic permissions); until this connector restarts, replies go from `from`');
  }

  /**
   * A message came to a number of ours other than `from` (its webhook points at this channel): said once per
   * number. An SMS is answered from that number; WhatsApp replies still go from `from` (a registered WhatsApp
   * sender), so the citizen gets them from a sender they did not write to — a warning with what to change.
   */
  private noteReceivedOn(params: TwilioParams, channel: string): void {
    const to = one(params, 'To') ?? '';
    const number = to.replace(/^whatsapp:/i, '');
    const bare = this.config.from.replace(/^whatsapp:/, '');
    const key = `${channel}:${number}`;
    if (number === '' || number === bare || this.receivedOnSeen.has(key) || this.receivedOnSeen.size >= 100) return;
    this.receivedOnSeen.add(key);
    if (channel === 'whatsapp') {
      this.ctx.logger.warn({ channel: this.config.id },
        `WhatsApp messages to ${number} reach channel ${this.config.id}, whose replies go from its from, ${bare}: citizens get them from a sender they did not write to. `
        + `Give the WhatsApp sender ${number} a channel of its own (from: whatsapp:${number}, its own listen port or path), or point its webhook at the channel whose from it is`);
    } else if (E164_NUMBER.test(number)) {
      this.ctx.logger.info({ channel: this.config.id }, `SMS to ${number}, another number of this account whose webhook points at channel ${this.config.id}: answered from ${number}, the number the citizen wrote to, not from ${bare}`);
    }
  }

  /** The approved WhatsApp template in place of a reply outside the 24-hour window (no Body: Twilio renders the template). */
  private async sendTemplate(reply: ChannelReply, phone: string, from: string): Promise<void> {
    const meta = reply.channelMeta ?? {};
    try {
      const msg = await this.client.messages.create({
        from, to: `whatsapp:${phone}`, contentSid: String(meta['contentSid']), contentVariables: JSON.stringify(meta['contentVariables'] ?? {}),
        statusCallback: this.statusCallback(reply.outboxId),
      });
      this.ctx.logger.info({ outboxId: reply.outboxId, messageSid: msg.sid }, 'WhatsApp template sent through Twilio (the full reply waits for the citizen to write)');
    } catch (err) {
      this.refused(err, phone);
    }
  }

  /** A refused send: 4xx are permanent (21610: the recipient sent STOP), the rest retried. */
  private refused(err: unknown, phone: string): never {
    const e = err as { status?: number; code?: number; message?: string };
    if (e.code === 21610) {
      // the recipient texted STOP: do not write to them again
      this.ctx.doNotContact({ phone }, '9999-12-31T00:00:00.000Z', 'Twilio 21610: recipient unsubscribed');
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.status !== 429) {
      throw new UnrecoverableError(`Twilio refused the message: ${e.status} ${e.code ?? ''} ${e.message ?? ''}`);
    }
    throw err;
  }

  async start(): Promise<void> {
    if (this.server) return;
    await this.spool.init();
    this.server = await startWebhookServer({
      host: this.config.listen.host, port: this.config.listen.port, path: this.config.path, maxBodyBytes: LIMITS.httpBodyMaxBytes, channel: this.config.id,
      handle: (req) => this.handle(req),
      onReject: (status, reason, ip) => this.ctx.logger.warn({ status, ip }, `Twilio webhook request rejected: ${reason}`),
    });
    this.scheduleDrain(0);
    this.schedulePrune(WROTE_PRUNE_FIRST_MS);
    this.ctx.logger.info({ host: this.config.listen.host, port: this.config.listen.port, path: this.config.path, publicUrl: this.config.publicUrl }, 'Twilio webhook listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    clearTimeout(this.drainTimer);
    clearTimeout(this.pruneTimer);
    if (!server) return;
    await stopWebhookServer(server);
    try {
      await this.draining;
    } catch {
      // logged
    }
    await this.pruning;
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    if (!this.server) return { ok: false, detail: 'stopped' };
    const waiting = this.spooled;
    if (this.queueDown !== undefined) return { ok: false, detail: `queue unavailable, ${waiting} request(s) spooled` };
    return { ok: true, detail: waiting > 0 ? `${waiting} request(s) spooled` : 'listening' };
  }
}

export const twilioConnector: ConnectorDefinition<TwilioConfig> = {
  type: 'twilio',
  configSchema: twilioConfigSchema,
  sendsReplies: true,
  create: (config, ctx) => new TwilioConnector(config, ctx),
};

export default twilioConnector;
