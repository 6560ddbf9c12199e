import { watch, type FSWatcher } from 'node:fs';
import { constants as fsc } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelReply, ConnectorContext, ConnectorHealth, ConnectorInstance } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { smsText } from '../../core/templates.ts';
import type { RedisLock } from '../../core/lock.ts';
import { UnrecoverableError } from 'bullmq';
import { groupParts, smsdDeliveryReport, takeReady, type AssembledMessage, type InboxPart, type SmsdReportStatus } from './gammu.assemble.ts';
import type { GammuConfig } from './gammu.config.ts';
import { decodeInboxContent } from './gammu.decode.ts';
import { looksLikeInboxFile, parseInboxName } from './gammu.filename.ts';
import { buildSmsMessage } from '../sms/sms.message.ts';
import { outboxFileContent, outboxFileName, outboxRecipient } from './gammu.outbox.ts';
import { RepeatGuard, shortHash } from '../sms/sms.common.ts';
import { FailedReplies } from './gammu.failed.ts';
import { QueueOutage } from './gammu.outage.ts';
import { errorPathProblem, spoolFolderProblem, spoolKind, type SmsdSpoolKey } from './gammu.spool.ts';

interface Seen {
  size: number;
  mtimeMs: number;
  firstSeenMs: number;
  part?: InboxPart;
}

const ENQUEUE_CONCURRENCY = 32;
/** A scan with at least this many SMS to take (a first start, the end of an outage) logs its progress, once per this many. */
const BACKLOG_STEP = 100;
const IO_CONCURRENCY = 32;
/** One part is at most 140 octets on air (≈ 320 bytes as UTF-16 or UTF-8 text); anything far bigger is not SMSD's. */
const MAX_PART_BYTES = 16 * 1024;

/** Run `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function sameContent(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([readFile(a), readFile(b)]);
    return x.equals(y);
  } catch {
    return false;
  }
}

/** `dir/IN…_00.txt` → `dir/IN…_00.1.txt` for the n-th name clash. */
function suffixed(dst: string, n: number): string {
  if (n === 0) return dst;
  const ext = path.extname(dst);
  return `${dst.slice(0, dst.length - ext.length)}.${n}${ext}`;
}

/**
 * Move a file, across file systems too, never overwriting: SMSD reuses serials, so a different SMS
 * can carry a name already in processedPath; it gets a suffix. An identical file already there
 * (the same SMS dropped again) is not kept twice.
 */
export async function moveFile(src: string, dst: string): Promise<string> {
  for (let n = 0; n < 1000; n++) {
    const target = suffixed(dst, n);
    try {
      try {
        await link(src, target); // fails with EEXIST instead of replacing
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
        await copyFile(src, target, fsc.COPYFILE_EXCL);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await sameContent(src, target)) {
        await unlink(src);
        return target;
      }
      continue;
    }
    await unlink(src);
    return target;
  }
  throw new Error(`no free name for ${path.basename(dst)} in ${path.dirname(dst)}`);
}

/**
 * Gammu SMSD files backend: watches InboxPath (fs events + a periodic scan, so a missed event only
 * delays), assembles multipart messages, enqueues, then moves the files to processedPath. A file is
 * moved only after Redis holds the job; if Redis is down the files stay and the next scan retries.
 */
export class GammuFilesConnector implements ConnectorInstance {
  private readonly inbox: string;
  private readonly processed: string;
  private readonly outbox: string;
  private readonly quarantineDir: string;
  private readonly errorDir: string | undefined;
  private readonly seen = new Map<string, Seen>();
  private readonly guard: RepeatGuard;
  private readonly failed: FailedReplies;
  private readonly outage: QueueOutage;
  /** Files in errorDir already looked at (reported, reported before, or not a reply of ours). */
  private readonly errorSeen = new Set<string>();
  /** Outbox journal entries read so far: key → the file name and outbox id it records. */
  private readonly journalCache = new Map<string, { file?: string; outboxId?: string }>();
  private errorDirMissing = false;
  /** SMSD's folders found unusable (the problem as logged): said once when found, once when usable again. */
  private readonly spoolProblems = new Map<SmsdSpoolKey, string>();
  /** Whether the log said once that SMSD writes delivery reports into the inbox. */
  private reportHintGiven = false;
  private lock: RedisLock | undefined;
  private watcher: FSWatcher | undefined;
  private errorWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private stopped = true;
  private lastError: string | undefined;

  constructor(
    private readonly config: GammuConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.inbox = path.resolve(config.inboxPath as string);
    this.processed = path.resolve(config.processedPath as string);
    this.outbox = path.resolve(config.outboxPath as string);
    this.quarantineDir = path.resolve(config.quarantinePath ?? path.join(this.processed, 'quarantine'));
    this.errorDir = config.errorPath !== undefined ? path.resolve(config.errorPath) : undefined;
    this.guard = new RepeatGuard(config.repeatWindowSeconds * 1000);
    this.failed = new FailedReplies(ctx);
    this.outage = new QueueOutage(ctx.logger, `in the inbox folder ${this.inbox}`);
    ctx.onOutbound((reply) => this.send(reply));
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    // processedPath and quarantinePath are the gateway's own folders: made when missing. SMSD's inbox and
    // outbox never are (a mistyped outboxPath made was a folder SMSD never reads): checked on every scan
    await mkdir(this.processed, { recursive: true });
    await mkdir(this.quarantineDir, { recursive: true });
    await pruneOutboxJournal(this.outbox, Date.now());
    this.lock = this.ctx.lock(`gammu-files:${this.inbox}`);
    this.watchInbox();
    if (this.errorDir !== undefined) {
      try {
        this.errorWatcher = watch(this.errorDir, () => this.scheduleScan(this.config.settleMs + 20));
        this.errorWatcher.on('error', (err) => this.ctx.logger.warn({ err }, 'errorPath watcher failed; periodic scan continues'));
      } catch (err) {
        this.ctx.logger.warn({ err, errorPath: this.errorDir }, 'cannot watch errorPath (SMSD ErrorSMSPath); relying on periodic scan');
      }
    }
    this.timer = setInterval(() => this.scheduleScan(0), this.config.scanIntervalMs);
    this.scheduleScan(0);
    this.ctx.logger.info({ inbox: this.inbox }, 'gammu files connector started');
  }

  /** fs events on the inbox (when it is there: a missing one is said by checkSpool, and watched once it exists). */
  private watchInbox(): void {
    if (this.watcher !== undefined) return;
    try {
      this.watcher = watch(this.inbox, () => this.scheduleScan(this.config.settleMs + 20));
      this.watcher.on('error', (err) => this.ctx.logger.warn({ err }, 'inbox watcher failed; periodic scan continues'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.ctx.logger.warn({ err, inbox: this.inbox }, 'cannot watch inbox; relying on periodic scan');
    }
  }

  /**
   * Whether SMSD's inbox or outbox folder is usable: the problem (naming the key and SMSD's setting, as
   * `aduan doctor` does) is logged once, at error level, when it is found or changes, and one line when
   * the folder is usable again; meanwhile the scans retry quietly.
   */
  private async checkSpool(key: SmsdSpoolKey): Promise<string | undefined> {
    const dir = key === 'inboxPath' ? this.inbox : this.outbox;
    const problem = spoolFolderProblem(this.config.id, key, dir, await spoolKind(dir));
    const before = this.spoolProblems.get(key);
    if (problem === before) return problem;
    if (problem !== undefined) {
      this.spoolProblems.set(key, problem);
      this.ctx.logger.error({ key: `channels[${this.config.id}].${key}`, path: dir }, problem);
    } else {
      this.spoolProblems.delete(key);
      this.ctx.logger.info({ key: `channels[${this.config.id}].${key}`, path: dir }, key === 'inboxPath'
        ? `channels[${this.config.id}].inboxPath ${dir} is usable now: SMS are read from it`
        : `channels[${this.config.id}].outboxPath ${dir} is usable now: replies that waited are written to it`);
    }
    return problem;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const w of [this.watcher, this.errorWatcher]) {
      try {
        w?.close();
      } catch {
        // already closed
      }
    }
    try {
      await this.scanning;
    } catch {
      // logged by the scan
    }
    await this.lock?.release();
  }

  async health(): Promise<ConnectorHealth> {
    if (this.stopped) return { ok: false, detail: 'stopped' };
    if (this.lastError !== undefined) return { ok: false, detail: this.lastError };
    return { ok: true, detail: this.lock?.isHeld ? `polling ${this.inbox}` : 'waiting for the spool lock' };
  }

  private scheduleScan(delayMs: number): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.scheduleScan(0), delayMs);
      return;
    }
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = (async () => {
      try {
        do {
          this.rescan = false;
          await this.scan();
        } while (this.rescan && !this.stopped);
      } finally {
        this.scanning = undefined;
      }
    })();
  }

  private async scan(): Promise<void> {
    const lock = this.lock;
    if (!lock) return;
    if (!lock.isHeld) {
      try {
        if (!(await lock.tryAcquire())) return;
      } catch (err) {
        this.lastError = 'Redis unavailable for the spool lock';
        this.ctx.logger.warn({ err }, 'cannot take the spool lock; will retry');
        return;
      }
      this.ctx.logger.info({ inbox: this.inbox }, 'spool lock acquired');
    }
    const inboxProblem = await this.checkSpool('inboxPath');
    const outboxProblem = await this.checkSpool('outboxPath');
    try {
      if (inboxProblem === undefined) {
        this.watchInbox();
        await this.scanOnce();
      }
      this.lastError = inboxProblem ?? outboxProblem;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.ctx.logger.error({ err }, 'inbox scan failed');
    }
    if (this.errorDir !== undefined && !this.stopped) {
      try {
        await this.scanErrors(this.errorDir);
      } catch (err) {
        this.ctx.logger.error({ err }, 'errorPath scan failed');
      }
    }
  }

  /**
   * Replies SMSD could not send (no credit, no signal, invalid number): it moves their file, under the
   * same name, to ErrorSMSPath. A file the outbox journal names is one of ours; its entry gives the
   * outbox id, which is reported once (FailedReplies). Other files there (other senders, replies older
   * than the journal) are left alone.
   */
  private async scanErrors(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (!this.errorDirMissing) this.ctx.logger.warn({ err, errorPath: dir }, errorPathProblem(this.config.id, dir, await spoolKind(dir)) ?? 'cannot read errorPath (SMSD ErrorSMSPath): replies SMSD fails to send go unnoticed until it can be read');
      this.errorDirMissing = true;
      return;
    }
    this.errorDirMissing = false;
    const fresh = names.filter((n) => n.startsWith('OUT') && !this.errorSeen.has(n));
    if (fresh.length === 0) return;
    const byFile = await this.readJournal();
    let foreign = 0;
    for (const name of fresh) {
      if (this.stopped) return;
      const entry = byFile.get(name);
      if (entry === undefined) {
        foreign++;
      } else if (entry.outboxId === undefined) {
        this.ctx.logger.warn({ file: name }, 'a reply SMSD could not send (in errorPath) was written before the journal recorded outbox ids: find its case and mark it by hand');
      } else if (this.failed.report(entry.outboxId, FILES_FAILED_REASON)) {
        this.ctx.logger.info({ outboxId: entry.outboxId, file: name }, 'reply SMSD could not send found in errorPath: marked not delivered');
      }
      this.errorSeen.add(name);
    }
    if (foreign > 0) this.ctx.logger.debug({ files: foreign }, 'files in errorPath that are no reply of this connector (other senders, or older than the outbox journal): left alone');
  }

  /** The outbox journal by file name (entries are written once, so each is read once). */
  private async readJournal(): Promise<Map<string, { outboxId?: string }>> {
    const journal = path.join(this.outbox, OUTBOX_JOURNAL_DIR);
    const keys = (await readdir(journal).catch(() => [] as string[])).filter((k) => !k.endsWith('.tmp'));
    const live = new Set(keys);
    for (const k of this.journalCache.keys()) if (!live.has(k)) this.journalCache.delete(k);
    await mapLimit(keys.filter((k) => !this.journalCache.has(k)), IO_CONCURRENCY, async (k) => {
      try {
        this.journalCache.set(k, parseJournalEntry(await readFile(path.join(journal, k), 'utf8')));
      } catch {
        // pruned meanwhile
      }
    });
    const byFile = new Map<string, { outboxId?: string }>();
    for (const e of this.journalCache.values()) if (e.file !== undefined) byFile.set(e.file, e.outboxId !== undefined ? { outboxId: e.outboxId } : {});
    return byFile;
  }

  private async scanOnce(): Promise<void> {
    const now = Date.now();
    const names = (await readdir(this.inbox)).filter((n) => !n.startsWith('.'));
    const present = new Set<string>(names);
    const unsettled: string[] = [];
    // stat/read with bounded concurrency: a backlog of thousands of files is latency-bound, not CPU-bound
    await mapLimit(names, IO_CONCURRENCY, async (name) => {
      if ((await this.inspect(name, now)) === 'unsettled') unsettled.push(name);
    });
    const pendingUnsettled = unsettled.length > 0;
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);

    const parts = [...this.seen.values()].flatMap((s) => (s.part ? [s.part] : []));
    const groups = groupParts(parts, this.config.multipartWindowSeconds * 1000);
    const taken = takeReady(groups, now, this.config.multipartWaitSeconds * 1000);
    // SMSD writes a message's parts one after the other: part 0 can have settled while part 1, written a
    // moment later, has not. Nothing of that sender and serial is taken until all its files have settled
    // (else part 0 went alone as a whole SMS, and part 1 later as a message of its own).
    const settling = new Set(unsettled.flatMap((n) => {
      const p = parseInboxName(n, this.ctx.config.instance.timezone);
      return p ? [`${p.sender}\u0000${p.serial}`] : [];
    }));
    const ready = settling.size === 0 ? taken.ready : taken.ready.filter((m) => !settling.has(`${m.sender}\u0000${m.parts[0]?.name.serial}`));
    const waiting = taken.waiting;
    let queueDown: { err: unknown } | undefined;
    let next = 0;
    let handed = 0;
    // a backlog (thousands of files at a first start) is not silent from 'started' until it is done
    const backlog = ready.length >= BACKLOG_STEP && !this.outage.active;
    if (backlog) this.ctx.logger.info({ count: ready.length, files: names.length, inbox: this.inbox }, `taking a backlog of ${ready.length} SMS from the inbox folder`);
    const worker = async (): Promise<void> => {
      while (!queueDown && !this.stopped && next < ready.length) {
        const msg = ready[next++] as AssembledMessage;
        const r = await this.take(msg);
        if (r !== true) {
          queueDown = r;
          continue;
        }
        handed++;
        if (backlog && handed % BACKLOG_STEP === 0) this.ctx.logger.info({ taken: handed, of: ready.length }, `backlog: ${handed} of ${ready.length} SMS taken`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ENQUEUE_CONCURRENCY, ready.length) }, worker));
    if (queueDown) this.outage.down(queueDown.err, ready.length - handed + waiting.length);
    else if (backlog && !this.stopped) this.ctx.logger.info({ taken: handed, of: ready.length }, `backlog taken: ${handed} SMS`);
    if (!this.stopped && !queueDown && (waiting.length > 0 || pendingUnsettled)) {
      // come back when the next file has settled or a multipart wait may have run out
      this.scheduleScan(Math.max(this.config.settleMs, 200));
    }
  }

  /** Look at one inbox file: remember it, and once settled parse and decode it (or quarantine it). */
  private async inspect(name: string, now: number): Promise<'unsettled' | 'done'> {
    // decoded and waiting (multipart, queue down): SMSD never rewrites a saved file, skip the stat
    if (this.seen.get(name)?.part) return 'done';
    let st;
    try {
      st = await stat(path.join(this.inbox, name));
    } catch {
      return 'done'; // gone meanwhile
    }
    if (!st.isFile()) return 'done';
    const prev = this.seen.get(name);
    if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
      this.seen.set(name, { size: st.size, mtimeMs: st.mtimeMs, firstSeenMs: prev?.firstSeenMs ?? now });
    }
    const entry = this.seen.get(name) as Seen;
    if (entry.part) return 'done';
    // SMSD writes with fopen+write, not rename: read a file only once it has stopped changing
    if (now - st.mtimeMs < this.config.settleMs) return 'unsettled';
    if (!looksLikeInboxFile(name)) return 'done';
    const parsed = parseInboxName(name, this.ctx.config.instance.timezone);
    if (!parsed) {
      await this.reject([name], 'SMS.GAMMU_BAD_NAME', `file name ${name.slice(0, 80)} is not IN<date>_<time>_<serial>_<sender>_<part>.<txt|bin>`, name);
      return 'done';
    }
    if (st.size > MAX_PART_BYTES) {
      await this.reject([name], 'SMS.TOO_LONG', `${name}: ${st.size} bytes is no SMS part (limit ${MAX_PART_BYTES})`, `size=${st.size}`);
      return 'done';
    }
    let buf: Buffer;
    try {
      buf = await readFile(path.join(this.inbox, name));
    } catch {
      return 'done';
    }
    const decoded = decodeInboxContent(buf, parsed.ext);
    if (decoded.kind === 'binary') {
      await this.reject([name], 'SMS.GAMMU_BINARY', `8-bit (binary) SMS ${name} is not a text message`, decoded.hex);
      return 'done';
    }
    if (decoded.kind === 'invalid') {
      await this.reject([name], 'SMS.GAMMU_BAD_ENCODING', `${name}: ${decoded.reason}`, buf.subarray(0, 4096).toString('hex'));
      return 'done';
    }
    entry.part = { name: parsed, text: decoded.text, firstSeenMs: entry.firstSeenMs };
    return 'done';
  }

  /** Enqueue one assembled message; the error when the queue is unavailable (stop this scan). */
  private async take(msg: AssembledMessage): Promise<true | { err: unknown }> {
    const files = msg.parts.map((p) => p.name.name);
    const report = smsdDeliveryReport(msg);
    if (report !== undefined) {
      await this.takeDeliveryReport(files, report);
      return true;
    }
    const built = buildSmsMessage(this.ctx, this.config.id, this.guard, {
      externalId: gammuFilesExternalId(msg),
      sender: msg.sender,
      rawText: msg.text,
      receivedAt: msg.timestampIso,
      meta: { gammu: 'files', parts: msg.parts.length, ...(msg.incomplete ? { incomplete: true, missingParts: msg.missing } : {}), files: files.slice(0, 10) },
    });
    if (!built.ok) {
      await this.reject(files, built.code, `${msg.id}: ${built.reason}`, msg.text);
      return true;
    }
    try {
      const jobId = await this.ctx.enqueue(built.message);
      this.outage.up();
      // file names carry the sender's number: logged under a masked key, never as an id
      this.ctx.logger.info({ jobId, file: built.message.externalId, parts: msg.parts.length, incomplete: msg.incomplete }, 'SMS queued');
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) {
        await this.reject(files, 'MESSAGE.INVALID', `${msg.id}: ${err.message}`, msg.text);
        return true;
      }
      // (logged once per outage by the scan, with how many wait: QueueOutage)
      return { err };
    }
    await this.moveAll(files, this.processed);
    return true;
  }

  /**
   * A delivery report SMSD wrote into the inbox (DeliveryReport = sms): not the citizen writing back. A
   * report that the reply arrived (or is on its way) is kept in processedPath; one that it did not arrive
   * is quarantined, for a person to find the case by the number (the file does not say which reply).
   */
  private async takeDeliveryReport(files: string[], status: SmsdReportStatus): Promise<void> {
    const file = files[0] as string;
    if (!this.reportHintGiven) {
      this.reportHintGiven = true;
      this.ctx.logger.info({ file }, 'SMSD writes delivery reports into the inbox (DeliveryReport = sms): they are recognised and not taken as citizens\' SMS; set DeliveryReport = log in SMSD\'s [smsd] section to keep them out of the inbox');
    }
    if (status === 'Delivered' || status === 'Pending') {
      this.ctx.logger.debug({ file, status }, 'SMSD delivery report moved to processedPath');
      await this.moveAll(files, this.processed);
      return;
    }
    await this.reject(files, 'SMS.GAMMU_DELIVERY_REPORT', `SMSD delivery report ${file}: a reply to this number was not delivered (${status}); find its case by the number and reach the citizen another way`, status);
  }

  private async reject(files: string[], code: string, reason: string, payload: string): Promise<void> {
    // the file name (with the sender's number) stays in the reason, which the logger masks
    this.ctx.quarantine({ externalId: null, code, reason, payload });
    await this.moveAll(files, this.quarantineDir);
  }

  private async moveAll(files: string[], dir: string): Promise<void> {
    await Promise.all(files.map(async (f) => {
      try {
        await moveFile(path.join(this.inbox, f), path.join(dir, f));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.ctx.logger.error({ err, file: f }, 'cannot move inbox file');
      }
      this.seen.delete(f);
    }));
  }

  /**
   * Reply: one outbox file (smsText: GSM-7 where it can be, at most 10 parts); SMSD splits it
   * (TransmitFormat = auto picks the coding). Written at most once per outbox id, across crashes:
   * handOverOutboxFile.
   */
  private async send(reply: ChannelReply): Promise<void> {
    const recipient = reply.to.phone ? outboxRecipient(reply.to.phone) : null;
    if (recipient === null) throw new UnrecoverableError('reply has no phone number');
    // a missing outbox is never made (SMSD would not read it): the reply waits in the queue, retried
    const outboxProblem = await this.checkSpool('outboxPath');
    if (outboxProblem !== undefined) throw new Error(outboxProblem);
    const note = reply.outboxId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40);
    const name = outboxFileName(recipient, note, new Date());
    const r = await handOverOutboxFile(this.outbox, reply.outboxId, name, () => outboxFileContent(smsText(reply.text)));
    if (r.state === 'written') this.ctx.logger.info({ outboxId: reply.outboxId, file: r.file }, 'SMS reply written to Gammu outbox');
    else if (r.state === 'finished') this.ctx.logger.info({ outboxId: reply.outboxId, file: r.file }, 'SMS reply written to Gammu outbox (completing a write a restart interrupted)');
    else this.ctx.logger.info({ outboxId: reply.outboxId, file: r.file }, 'SMS reply was handed to Gammu before a restart: not written again');
  }
}

/** What the case's record says of a reply SMSD moved to ErrorSMSPath (SMSD does not say why in the file). */
export const FILES_FAILED_REASON = 'Gammu SMSD: SMS gagal dikirim (pulsa habis, tidak ada sinyal, atau nomor tidak valid) — berkasnya di ErrorSMSPath';

/** Where the outbox handover journal lives, inside OutboxPath (SMSD skips names starting with '.'). */
export const OUTBOX_JOURNAL_DIR = '.aduan-written';
/** Journal entries (and dot-files of handovers never finished) older than this are removed on start. */
const JOURNAL_KEEP_MS = 14 * 86_400_000;

/** Write a file and flush it to disk before it is renamed into place. */
async function writeSynced(file: string, data: Buffer | string): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Flush a directory's entries (a rename in it) where the platform allows it. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported here (Windows): the rename is still atomic, only not yet on disk
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Hand one reply to SMSD once, whatever crash or restart comes between. SMSD takes an `OUT*` file,
 * sends it and moves it to SentSMSPath (or deletes it): after a restart the file may be gone from
 * the outbox, so its absence does not say it was never written. The reply is written to a dot-file
 * (`.aduan-<key>.tmp`), then a journal entry naming the outbox file is recorded
 * (`.aduan-written/<key>`), then the dot-file is renamed to its `OUT*` name. On a retry, a journal
 * entry with the dot-file still there means the rename never happened (it is done now); a journal
 * entry without it means SMSD has had the file (nothing is written again). `key` is a hash of the
 * outbox id.
 */
export async function handOverOutboxFile(outbox: string, outboxId: string, name: string, content: () => Buffer): Promise<{ state: 'written' | 'finished' | 'already'; file: string }> {
  const key = shortHash('gammu-outbox', outboxId);
  const journal = path.join(outbox, OUTBOX_JOURNAL_DIR);
  const entry = path.join(journal, key);
  const tmp = path.join(outbox, `.aduan-${key}.tmp`);
  let recorded: string | undefined;
  try {
    recorded = parseJournalEntry(await readFile(entry, 'utf8')).file;
  } catch {
    // no entry: never written, or written by a version without the journal (checked below)
  }
  if (recorded !== undefined) {
    if (!(await exists(tmp))) return { state: 'already', file: recorded };
    await rename(tmp, path.join(outbox, recorded));
    await syncDir(outbox);
    return { state: 'finished', file: recorded };
  }
  // (a reply an earlier version wrote: its file name ends with the outbox id and is still waiting in the outbox)
  const note = outboxId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40);
  const legacy = (await readdir(outbox).catch(() => [] as string[])).find((f) => f.startsWith('OUT') && f.endsWith(`_${note}.txt`));
  if (legacy !== undefined) return { state: 'already', file: legacy };
  // SMSD only picks up OUT* names: the whole reply is on disk before it gets one
  await writeSynced(tmp, content());
  await mkdir(journal, { recursive: true });
  await writeSynced(`${entry}.tmp`, journalEntry(name, outboxId));
  await rename(`${entry}.tmp`, entry);
  await syncDir(journal);
  await rename(tmp, path.join(outbox, name));
  await syncDir(outbox);
  return { state: 'written', file: name };
}

/** A journal entry: the outbox file's name, then the outbox id (which the file name keeps only sanitised and cut). */
function journalEntry(file: string, outboxId: string): string {
  return `${file}\n${outboxId}\n`;
}

/** An entry's file name and outbox id (entries of the version before name the file only). */
export function parseJournalEntry(text: string): { file?: string; outboxId?: string } {
  const [file, outboxId] = text.split('\n').map((l) => l.trim());
  return { ...(file ? { file } : {}), ...(outboxId ? { outboxId } : {}) };
}

/** Remove journal entries and unfinished dot-files older than JOURNAL_KEEP_MS (a reply's retries end long before). */
export async function pruneOutboxJournal(outbox: string, nowMs: number): Promise<number> {
  const journal = path.join(outbox, OUTBOX_JOURNAL_DIR);
  const candidates = [
    ...(await readdir(journal).catch(() => [] as string[])).map((f) => path.join(journal, f)),
    ...(await readdir(outbox).catch(() => [] as string[])).filter((f) => /^\.aduan-[0-9a-f]+\.tmp$/.test(f)).map((f) => path.join(outbox, f)),
  ];
  let removed = 0;
  for (const file of candidates) {
    try {
      if (nowMs - (await stat(file)).mtimeMs > JOURNAL_KEEP_MS) {
        await unlink(file);
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

/**
 * A message's externalId: the file base name (SMSC time, serial, sender) plus a short hash of the
 * parts' texts. SMSD reuses serials, so two different SMS can share a base name; the same SMS dropped
 * again keeps its id (stable across restarts), so the queue and the intake still see it once.
 */
export function gammuFilesExternalId(msg: Pick<AssembledMessage, 'id' | 'parts'>): string {
  return `${msg.id}-${shortHash(...msg.parts.map((p) => `${p.name.part}:${p.text}`)).slice(0, 10)}`;
}
