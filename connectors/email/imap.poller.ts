import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { ConnectorContext, ConnectorHealth } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { LIMITS } from '../../core/limits.ts';
import type { RedisLock } from '../../core/lock.ts';
import type { EmailChannelConfig } from './email.config.ts';
import { EmailParseError, normalizeEmail, type NormalizeOptions } from './email.normalize.ts';

/** The resume point in connector_state: never the \Seen flag, which other clients change. */
export interface ImapCursor {
  mailbox: string;
  /** UIDVALIDITY as a decimal string (it is a 32-bit unsigned number; bigint in imapflow). */
  uidValidity: string;
  /** Every UID up to this one was queued or quarantined. */
  lastUid: number;
  /**
   * UIDs quarantined but not yet moved to the failed mailbox — also above lastUid (a mail before them
   * waits for Redis): they are moved, never quarantined again.
   */
  toFailed: number[];
  /**
   * The UIDs whose source is being fetched, written before the FETCH and removed after it: found at the
   * next sync, the session ended during that FETCH. `attempts` counts FETCHes of this one UID alone.
   */
  fetching?: { uids: number[]; attempts: number };
}

/** 'retry-store': the mail or its attachments could not be written to storage (disk full, permissions). */
type Outcome = 'queued' | 'failed' | 'retry' | 'retry-store';

/** UIDs fetched per SEARCH result slice, and bytes of source held in memory at once. */
const CHUNK_UIDS = 100;
const CHUNK_BYTES = 8 * 1024 * 1024;
/**
 * Times the source of one mail, asked for alone, may end the session (Dovecot closes the connection on
 * a mail file it cannot read) before the mail is quarantined and moved to the failed mailbox.
 */
const FETCH_ATTEMPTS = 3;

/** Mails left in the mailbox for the next attempt; the message says why, for the log. */
class TakeLater extends Error {
  override readonly name = 'TakeLater';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** "Aduan/Processed" as a path array: imapflow joins it with the server's own delimiter. */
function pathOf(name: string): string | string[] {
  return name.includes('/') ? name.split('/').filter((p) => p !== '') : name;
}

/**
 * One IMAP mailbox poller (DESIGN §4): IDLE with a poll fallback, a brand-new ImapFlow client after
 * every drop (imapflow does not reconnect), a Redis lock so only one copy polls, a UID cursor in
 * connector_state, and the move to the processed mailbox only after Redis holds the job.
 */
export class ImapPoller {
  private stopping = false;
  private readonly abort = new AbortController();
  private client: ImapFlow | undefined;
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingExists = false;
  private connected = false;
  private lastError: string | undefined;
  private readonly lock: RedisLock;
  private readonly cursorKey: string;

  constructor(
    private readonly cfg: EmailChannelConfig,
    private readonly ctx: ConnectorContext,
    private readonly normalizeOptions: Omit<NormalizeOptions, 'receivedAt' | 'store'>,
  ) {
    this.lock = ctx.lock(`imap:${cfg.imap.host}:${this.port}:${cfg.imap.auth.user}:${cfg.mailbox}`);
    this.cursorKey = `cursor:${cfg.mailbox}`;
  }

  private tlsOptions: { rejectUnauthorized: boolean; ca?: string[]; servername?: string } | undefined;

  /** TLS options for imapflow; the CA file is read once (a clear error names the key when it cannot be). */
  private get tls(): { rejectUnauthorized: boolean; ca?: string[]; servername?: string } {
    if (!this.tlsOptions) {
      const t = this.cfg.imap.tls;
      let ca: string[] | undefined;
      if (t.caFile !== undefined) {
        try {
          ca = [...tls.rootCertificates, readFileSync(t.caFile, 'utf8')];
        } catch (err) {
          throw new Error(`imap.tls.caFile: cannot read ${t.caFile}: ${(err as Error).message}`, { cause: err });
        }
      }
      this.tlsOptions = { rejectUnauthorized: t.rejectUnauthorized, ...(ca ? { ca } : {}), ...(t.servername !== undefined ? { servername: t.servername } : {}) };
    }
    return this.tlsOptions;
  }

  private get port(): number {
    return this.cfg.imap.port ?? (this.cfg.imap.secure ? 993 : 143);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Finish the slice in hand (bounded by the drain deadline), log out, release the lock. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.abort.abort();
      this.wake?.();
      // still connecting (or the server is gone): nothing to drain, do not wait for the connect timeout
      if (!this.connected) this.client?.close();
      if (this.loop) {
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          this.loop.then(() => true),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), LIMITS.drainTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (!drained) {
          this.client?.close();
          await this.loop.catch(() => undefined);
        }
      }
      await this.lock.release();
    })();
    return this.stopped;
  }

  health(): ConnectorHealth {
    if (!this.lock.isHeld) return { ok: false, detail: 'waiting for the mailbox lock (another copy polls it, or Redis is down)' };
    if (!this.connected) return { ok: false, detail: `IMAP not connected${this.lastError ? `: ${this.lastError}` : ''}` };
    return this.lastError ? { ok: true, detail: `last problem: ${this.lastError}` } : { ok: true };
  }

  private async run(): Promise<void> {
    const log = this.ctx.logger;
    let delay = this.cfg.reconnect.minMs;
    while (!this.stopping) {
      if (!this.lock.isHeld) {
        log.info({ mailbox: this.cfg.mailbox }, 'waiting for the mailbox lock');
        if (!(await this.lock.acquire(this.abort.signal, 1_000))) break;
        log.info({ mailbox: this.cfg.mailbox }, 'mailbox lock acquired');
      }
      const progress = { synced: false };
      try {
        await this.session(progress);
        delay = this.cfg.reconnect.minMs;
      } catch (err) {
        this.lastError = (err as Error).message;
        // a connection that worked (the mailbox read through) ends: the backoff starts again from its
        // shortest wait, not from where the last outage, maybe weeks ago, left it
        if (progress.synced) delay = this.cfg.reconnect.minMs;
        if (err instanceof TakeLater) log.warn({ mailbox: this.cfg.mailbox, retryInMs: delay }, err.message);
        else {
          const fix = this.whatToFix(err);
          if (fix !== undefined) log.error({ err, retryInMs: delay }, fix);
          else log.warn({ err, code: (err as { code?: unknown }).code, retryInMs: delay }, 'IMAP session ended, reconnecting');
        }
      } finally {
        this.connected = false;
        this.client?.close();
        this.client = undefined;
      }
      if (this.stopping) break;
      await sleep(delay, this.abort.signal);
      delay = Math.min(delay * 2, this.cfg.reconnect.maxMs);
    }
  }

  /**
   * A session the server's settings refuse (not a drop): what the sysadmin must change, naming the key.
   * Logged as `IMAP session ended` with imapflow's "Command failed", a changed password looked like a
   * network hiccup, retried for ever while no citizen's mail was read.
   */
  private whatToFix(err: unknown): string | undefined {
    const e = err as { authenticationFailed?: boolean; responseText?: string; tlsFailed?: boolean; message?: string };
    const at = `${this.cfg.imap.host}:${this.port}`;
    const key = `channels[${this.cfg.id}].imap`;
    if (e.authenticationFailed === true) {
      return `IMAP login refused for user ${this.cfg.imap.auth.user} at ${at}${e.responseText ? ` ("${e.responseText}")` : ''}: no mail is read until ${key}.auth.user and ${key}.auth.pass are right (a changed or expired password: set the new one where the config takes it, e.g. its \${VAR} or VAR_FILE, and restart this connector); trying again meanwhile`;
    }
    if (e.tlsFailed === true && /STARTTLS/i.test(e.message ?? '')) {
      return `the IMAP server at ${at} offers no STARTTLS, and ${key}.starttls (default true) refuses to log in without it: use its TLS port (${key}.secure: true, port 993), or, only for a server on this machine, ${key}.starttls: false; trying again meanwhile`;
    }
    return undefined;
  }

  private newClient(): ImapFlow {
    const cid = randomUUID().slice(0, 8);
    const base = this.ctx.logger.child({ imap: cid });
    // imapflow logs every command at debug/info; keep only its warnings unless debugging
    if (base.levelVal > 20) base.level = 'warn';
    const client = new ImapFlow({
      host: this.cfg.imap.host,
      port: this.port,
      secure: this.cfg.imap.secure,
      ...(this.cfg.imap.secure ? {} : { doSTARTTLS: this.cfg.imap.starttls }),
      auth: { user: this.cfg.imap.auth.user, pass: this.cfg.imap.auth.pass },
      tls: this.tls,
      logger: base,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 5 * 60_000,
      id: cid,
    });
    client.on('error', (err: Error) => {
      this.lastError = err.message;
      this.wake?.();
    });
    client.on('close', () => this.wake?.());
    client.on('exists', () => {
      this.pendingExists = true;
      this.wake?.();
    });
    return client;
  }

  /**
   * One connection. imapflow can leave a command's promise pending for good when the connection drops
   * in the middle of it (postalsys/imapflow#252, #262): the session ends when the connection closes,
   * whatever it was waiting for, and a new client takes over (the stale one writes no cursor).
   */
  private async session(progress: { synced: boolean }): Promise<void> {
    const client = this.newClient();
    this.client = client;
    const closed = new Promise<void>((resolve, reject) => {
      client.once('close', () => (this.stopping ? resolve() : reject(new Error('IMAP connection closed'))));
    });
    const work = this.sessionWork(client, progress);
    // whichever loses the race must not surface as an unhandled rejection
    closed.catch(() => undefined);
    work.catch(() => undefined);
    await Promise.race([work, closed]);
  }

  /** Set up, then sync and wait for news until stopped, dropped or the lock is lost. */
  private async sessionWork(client: ImapFlow, progress: { synced: boolean }): Promise<void> {
    await client.connect();
    this.connected = true;
    for (const box of [this.cfg.processedMailbox, this.cfg.failedMailbox]) await client.mailboxCreate(pathOf(box));
    const opened = await client.mailboxOpen(pathOf(this.cfg.mailbox));
    this.lastError = undefined;
    this.ctx.logger.info({ mailbox: opened.path, uidValidity: String(opened.uidValidity), exists: opened.exists }, 'IMAP mailbox opened');
    while (!this.stopping) {
      if (!this.lock.isHeld) {
        this.ctx.logger.warn('mailbox lock lost: stopping this session');
        return;
      }
      await this.sync(client);
      progress.synced = true;
      if (this.stopping) return;
      if (!client.usable) throw new Error('IMAP connection closed');
      await this.waitForNews(client);
      if (!client.usable && !this.stopping) throw new Error('IMAP connection closed');
    }
    await client.logout().catch(() => undefined);
  }

  /** IDLE (or just the poll timer when the server lacks IDLE) until new mail, the poll interval or stop. */
  private async waitForNews(client: ImapFlow): Promise<void> {
    if (this.pendingExists || this.stopping) return;
    await new Promise<void>((resolve) => {
      let settled = false;
      const done = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.cfg.poll.seconds * 1000);
      this.wake = done;
      // The next command breaks IDLE. If the server ends IDLE on its own, sync at once so IDLE restarts.
      if (client.capabilities.has('IDLE')) client.idle().then(done, done);
      if (this.pendingExists) done();
    });
  }

  private loadCursor(uidValidity: string): ImapCursor {
    const saved = this.ctx.state.get<ImapCursor>(this.cursorKey);
    if (saved && saved.mailbox === this.cfg.mailbox && saved.uidValidity === uidValidity) return { ...saved, toFailed: saved.toFailed ?? [] };
    if (saved) this.ctx.logger.warn({ mailbox: this.cfg.mailbox, was: saved.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: full rescan (idempotency drops what was already taken)');
    const fresh: ImapCursor = { mailbox: this.cfg.mailbox, uidValidity, lastUid: 0, toFailed: [] };
    this.ctx.state.set(this.cursorKey, fresh);
    return fresh;
  }

  /** Take every mail above the cursor; move what was taken earlier but is still here. */
  private async sync(client: ImapFlow): Promise<void> {
    this.pendingExists = false;
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox selected');
    const cursor = this.loadCursor(String(box.uidValidity));
    const all = (await client.search({ all: true }, { uid: true })) || [];
    const quarantined = all.filter((u) => cursor.toFailed.includes(u));
    const leftovers = all.filter((u) => u <= cursor.lastUid && !cursor.toFailed.includes(u));
    if (leftovers.length > 0 || quarantined.length > 0) {
      // taken earlier but still here: a MOVE cut between its copy and its expunge (server stopped) left
      // a copy in the processed mailbox already; that one is only removed here, not moved a second time
      const copied = await this.alreadyProcessed(client, leftovers);
      if (copied.length > 0) {
        await client.messageDelete(copied.join(','), { uid: true });
        this.ctx.logger.info({ mailbox: this.cfg.mailbox, count: copied.length }, 'mails taken before a cut MOVE were already in the processed mailbox: removed here, not moved again');
      }
      await this.acknowledge(client, cursor, leftovers.filter((u) => !copied.includes(u)), quarantined);
    }
    const fresh = all.filter((u) => u > cursor.lastUid && !cursor.toFailed.includes(u)).sort((a, b) => a - b);
    // (thousands of mails at a first start take minutes: the log says how far it is)
    const backlog = fresh.length > CHUNK_UIDS;
    if (backlog) this.ctx.logger.info({ mailbox: this.cfg.mailbox, count: fresh.length }, 'taking a backlog of new mails');
    for (let i = 0; i < fresh.length && !this.stopping; i += CHUNK_UIDS) {
      await this.takeChunk(client, cursor, fresh.slice(i, i + CHUNK_UIDS));
      if (backlog) this.ctx.logger.info({ mailbox: this.cfg.mailbox, taken: Math.min(i + CHUNK_UIDS, fresh.length), of: fresh.length }, 'backlog: mails taken so far');
    }
  }

  private async takeChunk(client: ImapFlow, cursor: ImapCursor, uids: number[]): Promise<void> {
    const sizes = await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true });
    const sizeOf = new Map(sizes.map((m) => [m.uid, m.size ?? 0]));
    let slice: number[] = [];
    let bytes = 0;
    const slices: number[][] = [];
    for (const uid of uids) {
      if (!sizeOf.has(uid)) continue; // expunged by another client meanwhile
      const size = sizeOf.get(uid)!;
      if (slice.length > 0 && bytes + size > CHUNK_BYTES) {
        slices.push(slice);
        slice = [];
        bytes = 0;
      }
      slice.push(uid);
      bytes += size;
    }
    if (slice.length > 0) slices.push(slice);
    for (const s of slices) {
      if (this.stopping) return;
      await this.takeSlice(client, cursor, s, sizeOf);
    }
  }

  private async takeSlice(client: ImapFlow, cursor: ImapCursor, uids: number[], sizeOf: Map<number, number>): Promise<void> {
    const suspect = cursor.fetching;
    if (uids.length > 1 && suspect && suspect.uids.some((u) => uids.includes(u))) {
      // the session ended while these were fetched: one at a time, to find a mail the server cannot deliver
      this.ctx.logger.warn({ mailbox: this.cfg.mailbox, fromUid: uids[0], toUid: uids[uids.length - 1] }, 'the connection ended while these mails were fetched: taking them one at a time');
      for (const uid of uids) {
        if (this.stopping) return;
        await this.takeSlice(client, cursor, [uid], sizeOf);
      }
      return;
    }
    const outcome = new Map<number, Outcome>();
    const tooLarge = uids.filter((u) => (sizeOf.get(u) ?? 0) > LIMITS.rawMaxBytes);
    for (const uid of tooLarge) {
      this.ctx.quarantine({ externalId: `imap:${cursor.uidValidity}:${uid}`, code: 'EMAIL.TOO_LARGE', reason: `message of ${sizeOf.get(uid)} bytes exceeds the ${LIMITS.rawMaxBytes}-byte limit; left in ${this.cfg.failedMailbox}`, payload: JSON.stringify({ mailbox: this.cfg.mailbox, uidValidity: cursor.uidValidity, uid }) });
      outcome.set(uid, 'failed');
    }
    const wanted = uids.filter((u) => !outcome.has(u));
    const alone = wanted.length === 1 && suspect?.uids.length === 1 && suspect.uids[0] === wanted[0] ? suspect.attempts : 0;
    if (alone >= FETCH_ATTEMPTS) {
      const uid = wanted[0]!;
      this.ctx.quarantine({ externalId: `imap:${cursor.uidValidity}:${uid}`, code: 'EMAIL.UNREADABLE', reason: `the IMAP server ended the connection each of the ${alone} times it was asked for this mail (UID ${uid} in ${this.cfg.mailbox}): a mail file it cannot read? see the IMAP server's log; moved to ${this.cfg.failedMailbox}`, payload: JSON.stringify({ mailbox: this.cfg.mailbox, uidValidity: cursor.uidValidity, uid, size: sizeOf.get(uid) }) });
      outcome.set(uid, 'failed');
      delete cursor.fetching;
    } else if (wanted.length > 0) {
      cursor.fetching = { uids: wanted, attempts: alone + 1 };
      this.saveCursor(client, cursor);
      // BODY.PEEK: fetching never sets \Seen, so a mail we could not queue stays as it was
      const msgs = await client.fetchAll(wanted.join(','), { uid: true, source: true, internalDate: true }, { uid: true });
      delete cursor.fetching;
      this.saveCursor(client, cursor);
      const results = await Promise.all(msgs.map(async (m) => [m.uid, await this.take(m, cursor)] as const));
      for (const [uid, o] of results) outcome.set(uid, o);
    }
    // advance over the contiguous prefix of settled mails; a mail that must be retried stops it
    let lastUid = cursor.lastUid;
    for (const uid of uids) {
      const o = outcome.get(uid);
      if (o === 'retry' || o === 'retry-store') break;
      lastUid = uid; // settled, or vanished between SEARCH and FETCH
    }
    cursor.lastUid = lastUid;
    // quarantined mail is remembered wherever it stands: it is moved, not quarantined again on a retry
    const failed = uids.filter((u) => outcome.get(u) === 'failed');
    for (const uid of failed) if (!cursor.toFailed.includes(uid)) cursor.toFailed.push(uid);
    this.saveCursor(client, cursor);
    const queued = uids.filter((u) => outcome.get(u) === 'queued');
    await this.acknowledge(client, cursor, queued, failed);
    const queueDown = uids.filter((u) => outcome.get(u) === 'retry').length;
    const storeDown = uids.filter((u) => outcome.get(u) === 'retry-store').length;
    if (queueDown + storeDown > 0) {
      const why = [
        ...(queueDown > 0 ? [`${queueDown} not accepted by the intake queue (is Redis up?)`] : []),
        ...(storeDown > 0 ? [`${storeDown} could not be stored or read (storage.dir ${this.ctx.storage.dir}: disk full? permissions? see the error logged for each)`] : []),
      ];
      throw new TakeLater(`mails not taken yet, left unmarked in the mailbox and tried again: ${why.join('; ')}`);
    }
  }

  /**
   * Of these mails of the mailbox, the ones whose Message-ID the processed mailbox already holds. Looks
   * there with the same connection (the mailbox is selected again afterwards); only after a cut, so rare.
   */
  private async alreadyProcessed(client: ImapFlow, uids: number[]): Promise<number[]> {
    if (uids.length === 0) return [];
    const envelopes = await client.fetchAll(uids.join(','), { uid: true, envelope: true }, { uid: true });
    const byId = new Map<string, number[]>();
    for (const m of envelopes) {
      const id = m.envelope?.messageId;
      if (id) byId.set(id, [...(byId.get(id) ?? []), m.uid]);
    }
    if (byId.size === 0) return [];
    const found: number[] = [];
    await client.mailboxOpen(pathOf(this.cfg.processedMailbox), { readOnly: true });
    try {
      for (const [id, own] of byId) {
        const hits = await client.search({ header: { 'message-id': id } }, { uid: true });
        if (hits && hits.length > 0) found.push(...own);
      }
    } finally {
      await client.mailboxOpen(pathOf(this.cfg.mailbox));
    }
    return found;
  }

  /** Only the current session moves the cursor: a session whose connection closed under it may still wake up. */
  private saveCursor(client: ImapFlow, cursor: ImapCursor): void {
    if (client !== this.client) throw new Error('IMAP session replaced: cursor left to the new session');
    this.ctx.state.set(this.cursorKey, cursor);
  }

  /** Move queued mail to the processed mailbox and quarantined mail to the failed mailbox. */
  private async acknowledge(client: ImapFlow, cursor: ImapCursor, queued: number[], failed: number[]): Promise<void> {
    if (queued.length > 0) {
      const ok = await client.messageMove(queued.join(','), pathOf(this.cfg.processedMailbox), { uid: true });
      if (!ok) throw new Error(`moving ${queued.length} mails to ${this.cfg.processedMailbox} failed`);
    }
    if (failed.length > 0) {
      const ok = await client.messageMove(failed.join(','), pathOf(this.cfg.failedMailbox), { uid: true });
      if (!ok) throw new Error(`moving ${failed.length} mails to ${this.cfg.failedMailbox} failed`);
      cursor.toFailed = cursor.toFailed.filter((u) => !failed.includes(u));
      this.saveCursor(client, cursor);
    }
  }

  /** Normalise and enqueue one mail; quarantine what cannot be parsed or does not fit the contract. */
  private async take(m: FetchMessageObject, cursor: ImapCursor): Promise<Outcome> {
    const where = { mailbox: this.cfg.mailbox, uidValidity: cursor.uidValidity, uid: m.uid };
    const raw = m.source;
    if (!raw) return 'retry';
    const internalDate = m.internalDate === undefined ? undefined : new Date(m.internalDate);
    let normalized;
    try {
      normalized = await normalizeEmail(raw, {
        ...this.normalizeOptions,
        store: (c) => this.ctx.storage.put(c),
        ...(internalDate ? { receivedAt: internalDate } : {}),
      });
    } catch (err) {
      if (!(err instanceof EmailParseError)) {
        this.ctx.logger.error({ err, ...where }, 'could not store or normalise a mail; will retry');
        return 'retry-store';
      }
      let rawRef: string | null = null;
      try {
        rawRef = this.ctx.storage.put(raw);
      } catch {
        // the mail itself stays in the failed mailbox
      }
      this.ctx.quarantine({ externalId: `imap:${cursor.uidValidity}:${m.uid}`, code: 'EMAIL.UNPARSEABLE', reason: err.reason, rawRef, payload: JSON.stringify(where) });
      return 'failed';
    }
    const { message } = normalized;
    message.meta = { ...message.meta, imapMailbox: this.cfg.mailbox, imapUid: m.uid, uidValidity: cursor.uidValidity };
    try {
      const jobId = await this.ctx.enqueue(message);
      this.ctx.logger.debug({ jobId, messageId: message.externalId, uid: m.uid }, 'mail queued');
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        this.ctx.quarantine({ externalId: message.externalId, code: 'EMAIL.INVALID', reason: err.message, rawRef: message.rawRef ?? null, payload: JSON.stringify(where) });
        return 'failed';
      }
      this.lastError = (err as Error).message;
      return 'retry';
    }
    const bounce = normalized.bounce;
    if (normalized.loop?.reason === 'bounce' && bounce?.hard && bounce.originalMessageId && this.normalizeOptions.isOwnMessageId(bounce.originalMessageId) && this.cfg.bounceBlockDays > 0) {
      // only bounces of our own mail: a forged bounce about someone else's mail blocks nobody
      const until = new Date(Date.now() + this.cfg.bounceBlockDays * 86_400_000).toISOString();
      for (const email of bounce.recipients) this.ctx.doNotContact({ email }, until, `hard bounce ${bounce.status ?? ''}`.trim());
    }
    return 'queued';
  }
}
