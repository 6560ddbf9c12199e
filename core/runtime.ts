import { createHash, randomBytes } from 'node:crypto';
import { Worker, type Job } from 'bullmq';
import { and, eq, isNotNull, or } from 'drizzle-orm';
import type { AduanConfig, ChannelConfig } from './config/schema.ts';
import type { ChannelReply, ConnectorContext, NoReplyFallback, ReplyFallback } from './connector.ts';
import { retryTransientWrite, type Db } from './db/client.ts';
import { LIMITS } from './limits.ts';
import { cases, contacts } from './db/schema.ts';
import { AduanError } from './errors.ts';
import { RedisLock } from './lock.ts';
import { redisHealth } from './redis-health.ts';
import type { Logger } from './logger.ts';
import { inboundMessageSchema, type InboundMessageInput } from './message.ts';
import { cappedBackoff, createRedis, IntakeProducer, outboundQueueName, queueSettings, withDeadline } from './queue.ts';
import { messageStatus } from './repo/messages.repo.ts';
import { addEvent, getCaseById, getCaseByNumber } from './repo/cases.repo.ts';
import { isStatusLinkToken, statusLinkPath } from './status-link.ts';
import { inboxesOf } from './mail/compose.ts';
import { notifyStaff } from './lifecycle/notify.ts';
import { publicTimeline } from './lifecycle/timeline.ts';
import { insertOutbox, outboxIdsWithPrefix, outboxOut, releaseHeldOutbox, setOutboxStatus, getOutbox, UNSENT } from './repo/outbox.repo.ts';
import { deleteState, getState, insertQuarantine, pruneStateBatch, setState } from './repo/state.repo.ts';
import { Storage } from './storage.ts';

export interface ConnectorRuntime {
  ctx: ConnectorContext;
  /** Close queues, outbound consumer and Redis connections. Idempotent, never throws. */
  close(): Promise<void>;
}

/** A reply its gateway reported failed may still be marked: not once it is dead, or replaced by a fallback (skipped). */
const REPORTABLE: readonly string[] = [...UNSENT, 'sent'];
/** A fallback's reply held until the citizen writes again: no time of its own. */
const HELD_FOR_CITIZEN = '9999-12-31T00:00:00.000Z';
/** Replies a channel answers the citizen with whose failure the division hears of: results (and their fallbacks). */
/** Compared with a link token naming no case, so that such an answer takes as long as a wrong token's (no case has it). */
const NO_CASE_TOKEN = randomBytes(9).toString('base64url');

const RESULT_REPLY = /\.result-\d+(\.fallback-[\w-]+)?$/;

/** The contact rows of a destination (its phone, e-mail or Telegram chat). */
function contactConditions(to: { phone?: string; email?: string; telegramChatId?: string }) {
  return [
    to.phone ? eq(contacts.phone, to.phone) : undefined,
    to.email ? eq(contacts.email, to.email.toLowerCase()) : undefined,
    to.telegramChatId ? eq(contacts.telegramChatId, to.telegramChatId) : undefined,
  ].filter((c) => c !== undefined);
}

/** Build the context a connector runs in: real BullMQ producer, SQLite cursor/quarantine, outbound consumer. */
export function createConnectorContext(opts: { config: Readonly<AduanConfig>; channel: ChannelConfig; db: Db; logger: Logger }): ConnectorRuntime {
  const { config, channel, db, logger } = opts;
  // (every Redis connection of this connector reports to one place: an outage is a few lines, not one per connection and retry)
  const health = redisHealth(config, logger);
  const producer = new IntakeProducer(config);
  health.watch(producer.queue, 'intake queue error');
  const lockRedis = createRedis(config, 'worker');
  health.watch(lockRedis, 'redis client error');
  let onceRedis: ReturnType<typeof createRedis> | undefined;
  const storage = new Storage(config.storage.dir);
  let outboundWorker: Worker | undefined;
  let closing: Promise<void> | undefined;
  const now = (): string => new Date().toISOString();

  const ctx: ConnectorContext = {
    config,
    logger,
    storage,
    async enqueue(input: InboundMessageInput) {
      const parsed = inboundMessageSchema.safeParse(input);
      if (!parsed.success) {
        const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new AduanError('MESSAGE.INVALID', { detail });
      }
      return producer.enqueue(parsed.data);
    },
    quarantine(entry) {
      try {
        const id = insertQuarantine(db, { ...entry, connectorId: channel.id }, now());
        logger.warn({ quarantineId: id, code: entry.code, externalId: entry.externalId }, `quarantined: ${entry.reason}`);
      } catch (err) {
        logger.error({ err, code: entry.code }, 'could not write quarantine entry');
      }
    },
    state: {
      get: <T>(key: string) => getState<T>(db, channel.id, key),
      set: (key, value) => setState(db, channel.id, key, value, now()),
      delete: (key) => deleteState(db, channel.id, key),
      async prune(prefix, before) {
        let removed = 0;
        let after: string | undefined;
        do {
          // (one short transaction a batch, the event loop free between them: webhooks go on meanwhile)
          const batch = db.transaction((tx) => pruneStateBatch(tx, channel.id, prefix, before, after, LIMITS.statePruneBatch));
          removed += batch.removed;
          after = batch.last;
          if (after !== undefined) await new Promise((resolve) => setImmediate(resolve));
        } while (after !== undefined);
        return removed;
      },
    },
    // (a channel answers for its own messages only: an id is a hash of what the sender chose, which
    // another channel's sender — a Telegram chat and message number — can be guessed from)
    messageStatus: (id) => messageStatus(db, id, channel.id),
    async intakeJob(id) {
      const job = await withDeadline(producer.queue.getJob(id));
      const data = job?.data as { connectorId?: unknown; sender?: { email?: unknown; phone?: unknown }; attachments?: unknown } | undefined;
      if (!job || data?.connectorId !== channel.id) return undefined;
      const files = Array.isArray(data.attachments) ? (data.attachments as { filename?: unknown; withheld?: unknown }[]) : [];
      const withheld = files.flatMap((a) => (typeof a?.withheld === 'string' && typeof a.filename === 'string' ? [{ filename: a.filename, reason: a.withheld }] : []));
      return { state: await withDeadline(job.getState()), email: typeof data.sender?.email === 'string', phone: typeof data.sender?.phone === 'string', withheld };
    },
    caseStatusFor(number, proof) {
      const row = db
        .select({ c: cases, contact: contacts })
        .from(cases)
        .leftJoin(contacts, eq(contacts.id, cases.contactId))
        .where(eq(cases.number, number.trim().toUpperCase()))
        .get();
      if (proof.statusToken !== undefined) {
        // (a number without a case is compared too: the answer takes as long either way)
        const ok = isStatusLinkToken(row?.c ?? { number: number.trim().toUpperCase(), token: NO_CASE_TOKEN }, proof.statusToken);
        if (row && ok) return { number: row.c.number, status: row.c.status, division: row.c.divisionId, updatedAt: row.c.updatedAt };
      }
      if (!row || !row.contact) return undefined;
      const ct = row.contact;
      const ok =
        (proof.telegramChatId !== undefined && ct.telegramChatId === proof.telegramChatId) ||
        (proof.phone !== undefined && ct.phone === proof.phone) ||
        (proof.email !== undefined && ct.email !== null && ct.email === proof.email.trim().toLowerCase()) ||
        (proof.phoneLast4 !== undefined && /^\d{4}$/.test(proof.phoneLast4) && ct.phone !== null && ct.phone.endsWith(proof.phoneLast4));
      if (!ok) return undefined;
      return { number: row.c.number, status: row.c.status, division: row.c.divisionId, updatedAt: row.c.updatedAt };
    },
    statusLinkPath(number) {
      const kase = getCaseByNumber(db, number.trim());
      return kase ? statusLinkPath(kase) : undefined;
    },
    caseTimelineFor(number, proof) {
      const found = ctx.caseStatusFor(number, proof);
      if (!found) return undefined;
      return { number: found.number, status: found.status, timeline: publicTimeline(db, found.number) };
    },
    async claimOnce(name, value, ttlSeconds) {
      // (a producer connection: while Redis is away it fails at once instead of queueing commands)
      if (!onceRedis) {
        onceRedis = createRedis(config, 'producer');
        health.watch(onceRedis, 'redis client error');
      }
      const redis = onceRedis;
      if (redis.status !== 'ready') {
        let onReady: (() => void) | undefined;
        try {
          await withDeadline(new Promise<void>((resolve) => redis.once('ready', onReady = resolve)));
        } finally {
          if (onReady) redis.off('ready', onReady);
        }
      }
      const key = `${config.redis.prefix}:once:${channel.id}:${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
      const set = await withDeadline(redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX'));
      if (set === 'OK') return { first: true, value };
      const stored = await withDeadline(redis.get(key));
      return stored === null ? { first: true, value } : { first: false, value: stored };
    },
    lock(resource, ttlMs) {
      const key = `${config.redis.prefix}:lock:${channel.id}:${createHash('sha256').update(resource).digest('hex').slice(0, 16)}`;
      return new RedisLock(lockRedis, key, ttlMs);
    },
    onOutbound(handler) {
      if (outboundWorker) throw new Error('onOutbound may be called once per connector');
      outboundWorker = new Worker(
        outboundQueueName(channel.id),
        async (job: Job<ChannelReply & { sentParts?: number; replay?: boolean }>) => {
          const row = getOutbox(db, job.data.outboxId);
          if (row?.status === 'sent') return 'already-sent';
          // replaced by a fallback meanwhile (its gateway reported it failed): the fallback goes instead
          if (row?.status === 'skipped') return 'skipped';
          // a dead row is sent again only by a replay (`aduan dlq replay` marks the job); otherwise it is a
          // failure report that came in while a long reply was going out (or before a retry of its later
          // parts): it stands, and the rest of the reply is not sent
          if (row?.status === 'dead' && job.data.replay !== true) return 'reported-failed';
          // an answer of the moment held up too long (a long rate limit, an outage): what it says is old
          if (job.data.staleAfter !== undefined && now() > job.data.staleAfter) {
            setOutboxStatus(db, job.data.outboxId, 'skipped', now(), `tidak dikirim: jawaban ini sudah usang (berlaku sampai ${job.data.staleAfter})`, [...UNSENT, 'dead']);
            logger.info({ outboxId: job.data.outboxId, staleAfter: job.data.staleAfter }, 'reply not sent: it was held up past the time its content holds (a command answer); the citizen can ask again');
            return 'stale';
          }
          const markFrom = row?.status === 'dead' ? [...UNSENT, 'dead' as const] : UNSENT;
          // (a reply sent in several parts keeps its progress in the job: a retry goes on where it stopped)
          await handler(job.data, {
            sentParts: job.data.sentParts ?? 0,
            partsSent: (n) => job.updateData({ ...job.data, sentParts: n }),
          });
          // (the reply is out: a database locked or full for a while must not fail the job, which would send it again)
          const recorded = await retryTransientWrite(() => setOutboxStatus(db, job.data.outboxId, 'sent', now(), undefined, markFrom), {
            budgetMs: LIMITS.recordSentRetryMs,
            onRetry: (err, attempt) => logger.warn({ err, outboxId: job.data.outboxId, attempt }, 'reply sent but not yet recorded as sent (database busy); trying again, so it is not sent twice'),
          });
          return recorded ? 'sent' : 'reported-failed';
        },
        { ...queueSettings(config, 'worker'), concurrency: 4, settings: { backoffStrategy: cappedBackoff } },
      );
      outboundWorker.on('failed', (job, err) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
        logger.warn({ err, outboxId: job.data.outboxId, attempt: job.attemptsMade, final }, 'outbound send failed');
        try {
          if (final) setOutboxStatus(db, job.data.outboxId, 'dead', now(), err.message, UNSENT);
        } catch (markErr) {
          logger.error({ err: markErr, outboxId: job.data.outboxId }, 'could not record the failed reply in the database');
        }
      });
      health.watch(outboundWorker, 'outbound worker error');
    },
    doNotContact(to, untilIso, reason) {
      const conds = contactConditions(to);
      if (conds.length === 0) return;
      db.update(contacts).set({ doNotContactUntil: untilIso }).where(and(or(...conds), isNotNull(contacts.id))).run();
      logger.info({ reason }, 'destination marked do-not-contact');
    },
    ownReplyIds: (prefix) => outboxIdsWithPrefix(db, outboundQueueName(channel.id), prefix),
    replyFailed(outboxId, reason, fallback) {
      const row = getOutbox(db, outboxId);
      if (!row || row.queue !== outboundQueueName(channel.id)) {
        logger.warn({ outboxId }, 'a reply reported failed is none of this channel\'s: nothing marked');
        return false;
      }
      if (!REPORTABLE.includes(row.status)) return false;
      const at = now();
      let outcome: ReplyFallback | NoReplyFallback | undefined;
      try {
        outcome = fallback?.(row.payload as ChannelReply, { sentAt: row.sentAt ?? row.updatedAt });
      } catch (err) {
        // (a reply written by an older version, say: it is marked dead as before)
        logger.error({ err, outboxId }, 'could not work out a fallback for a failed reply; marking it dead');
      }
      // (sent another way, or — NoReplyFallback — not, the channel saying why: after the reason, wherever it goes)
      const instead = outcome?.send !== undefined ? outcome as ReplyFallback : undefined;
      const why = outcome !== undefined && instead === undefined ? `${reason}. ${outcome.note}` : reason;
      let reachedBy: string | undefined;
      const done = db.transaction((tx) => {
        // the text reached the citizen another way meanwhile (a report that came late: after the citizen wrote
        // back and the full text held for WhatsApp went out): recorded, nothing sent — it would arrive twice
        const unlessOut = outcome?.unlessOut;
        reachedBy = unlessOut?.ids.find((id) => outboxOut(tx, id, at));
        if (unlessOut && reachedBy !== undefined) {
          if (!setOutboxStatus(tx, outboxId, 'skipped', at, `${reason}; isinya sudah dikirim lewat ${reachedBy}`, REPORTABLE as typeof UNSENT)) return false;
          const kase = row.caseId === null ? undefined : getCaseById(tx, row.caseId);
          if (kase) addEvent(tx, { caseId: kase.id, at, actorType: 'system', actor: channel.id, type: 'reply_failed', text: `Pesan ke pelapor tidak terkirim: ${reason}. ${unlessOut.note}`, data: { outboxId, reachedBy } });
          return true;
        }
        // (guarded: a report delivered twice, or one per part of a long reply, acts once)
        const error = instead ? `${reason}; dikirim ulang: ${instead.send.outboxId}` : why;
        if (!setOutboxStatus(tx, outboxId, instead ? 'skipped' : 'dead', at, error, REPORTABLE as typeof UNSENT)) return false;
        if (instead) {
          insertOutbox(tx, { id: instead.send.outboxId, caseId: row.caseId, kind: 'channel', queue: row.queue, payload: instead.send, now: at });
          for (const id of instead.cancel ?? []) setOutboxStatus(tx, id, 'skipped', at, `tidak dikirim: isinya sudah dikirim lewat ${instead.send.outboxId}`, UNSENT);
          if (instead.hold) {
            insertOutbox(tx, { id: instead.hold.reply.outboxId, caseId: row.caseId, kind: 'channel', queue: row.queue, payload: instead.hold.reply, now: at, notBefore: HELD_FOR_CITIZEN });
            const key = `held:${instead.hold.key}`;
            const ids = getState<string[]>(tx, channel.id, key) ?? [];
            setState(tx, channel.id, key, [...new Set([...ids, instead.hold.reply.outboxId])].slice(-50), at);
          }
        }
        const kase = row.caseId === null ? undefined : getCaseById(tx, row.caseId);
        if (!kase) return true;
        addEvent(tx, { caseId: kase.id, at, actorType: 'system', actor: channel.id, type: 'reply_failed', text: `Pesan ke pelapor tidak terkirim: ${why}${instead ? `. ${instead.note}` : ''}`, data: { outboxId, ...(instead ? { fallback: instead.send.outboxId } : {}) } });
        // a result the division sent that did not arrive, and nothing else will carry it: the division hears of it
        const d = config.divisions.find((x) => x.id === kase.divisionId);
        if (!instead && d && RESULT_REPLY.test(outboxId)) {
          notifyStaff({ config, outboundChannels: new Set() }, tx, kase, `undelivered-${outboxId.slice(kase.number.length + 1)}`, inboxesOf(d), 'Hasil tidak sampai ke pelapor',
            `Hasil tindak lanjut aduan ${kase.number} TIDAK sampai ke pelapor: ${why}.\n\n`
            + `Aduan tetap menunggu tanggapan pelapor, tetapi pelapor belum menerima hasilnya. Mohon sampaikan hasil kepada pelapor dengan cara lain (mis. telepon); `
            + `Sekretariat menerima eskalasi bila hasil belum terkirim dalam ${config.sla.verificationMinutes} menit.`, at);
        }
        return true;
      });
      if (done && reachedBy !== undefined) logger.info({ outboxId, reachedBy }, `reply not delivered (${reason}), but its text reached the citizen another way meanwhile: recorded, nothing sent again`);
      else if (done) logger.warn({ outboxId, ...(instead ? { fallback: instead.send.outboxId } : {}) }, `reply not delivered: ${why}`);
      return done;
    },
    releaseHeldReplies(key) {
      const k = `held:${key}`;
      const ids = getState<string[]>(db, channel.id, k);
      if (!ids) return 0;
      const at = now();
      db.transaction((tx) => {
        for (const id of ids) releaseHeldOutbox(tx, id, at);
        deleteState(tx, channel.id, k);
      });
      logger.info({ released: ids.length }, 'held replies released: the citizen wrote again');
      return ids.length;
    },
    replyLater(reply, notBefore) {
      // (the row id becomes the job id: one BullMQ refuses would stop the dispatcher at this row, every sweep)
      if (reply.outboxId.includes(':')) throw new Error(`reply id ${reply.outboxId} contains ':', which a queue's job id cannot`);
      const at = now();
      return insertOutbox(db, { id: reply.outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(channel.id), payload: reply, now: at,
        ...(notBefore !== undefined && notBefore > at ? { notBefore } : {}) });
    },
    allowContact(to, reason) {
      const conds = contactConditions(to);
      if (conds.length === 0) return;
      // (only rows that carry a mark: on every message of a chat this is a lookup, not a write)
      const { changes } = db.update(contacts).set({ doNotContactUntil: null }).where(and(or(...conds), isNotNull(contacts.doNotContactUntil))).run();
      if (changes > 0) logger.info({ reason }, 'do-not-contact mark lifted');
    },
  };

  return {
    ctx,
    close() {
      closing ??= (async () => {
        health.stop();
        try {
          await outboundWorker?.close();
        } catch (err) {
          logger.warn({ err }, 'closing outbound worker failed');
        }
        await producer.close();
        try {
          onceRedis?.disconnect();
          lockRedis.disconnect();
        } catch {
          // already gone
        }
      })();
      return closing;
    },
  };
}
