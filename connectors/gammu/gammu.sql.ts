import Database from 'better-sqlite3';
import { UnrecoverableError } from 'bullmq';
import path from 'node:path';
import type { ChannelReply, ConnectorContext, ConnectorHealth, ConnectorInstance } from '../../core/connector.ts';
import { isAduanError } from '../../core/errors.ts';
import { smsText } from '../../core/templates.ts';
import type { RedisLock } from '../../core/lock.ts';
import type { GammuConfig } from './gammu.config.ts';
import { decodeHexUcs2 } from './gammu.decode.ts';
import { hasLoneSurrogate, joinPartTexts } from './gammu.ucs2.ts';
import { buildSmsMessage } from '../sms/sms.message.ts';
import { splitSms } from './gammu.outbox.ts';
import { concatUdh, parseConcatUdh } from './gammu.udh.ts';
import { RepeatGuard, shortHash, zonedIso } from '../sms/sms.common.ts';
import { FailedReplies } from './gammu.failed.ts';
import { QueueOutage } from './gammu.outage.ts';

/** One `inbox` row as read (v18 columns are null on v17). */
export interface InboxRow {
  ID: number;
  SenderNumber: string;
  Text: string;
  TextDecoded: string;
  Coding: string;
  UDH: string;
  Class: number;
  ReceivingDateTime: string;
  MessageID: number | null;
  SequencePosition: number | null;
  PartCount: number | null;
}

export interface SqlGroup {
  key: string;
  sender: string;
  total: number;
  rows: Map<number, InboxRow>;
}

/**
 * Group inbox rows (one per physical part) into messages. Schema 18 says it directly
 * (MessageID/SequencePosition/PartCount); schema 17 only has the UDH concatenation element, whose
 * 8-bit reference wraps, so parts also have to be close in time (`windowMs`) to belong together.
 */
export function groupInboxRows(rows: readonly InboxRow[], version: number, windowMs: number, timeZone: string): SqlGroup[] {
  const groups: SqlGroup[] = [];
  const open = new Map<string, SqlGroup[]>();
  const timeOf = (r: InboxRow): number => Date.parse(localIso(r.ReceivingDateTime, timeZone) ?? '') || 0;
  for (const r of [...rows].sort((a, b) => a.ID - b.ID)) {
    let key: string | undefined;
    let seq = 1;
    let total = 1;
    if (version >= 18 && (r.PartCount ?? 1) > 1 && (r.MessageID ?? 0) > 0) {
      key = `m${r.MessageID}`;
      seq = r.SequencePosition ?? 1;
      total = r.PartCount ?? 1;
    } else {
      // schema 17, or a v18 row without a usable MessageID: fall back to the UDH
      const c = parseConcatUdh(r.UDH ?? '');
      if (c && c.total > 1) {
        key = `u${r.SenderNumber}|${c.ref}|${c.total}`;
        seq = c.seq;
        total = c.total;
      }
    }
    if (key === undefined) {
      groups.push({ key: `i${r.ID}`, sender: r.SenderNumber, total: 1, rows: new Map([[1, r]]) });
      continue;
    }
    const candidates = open.get(key) ?? [];
    const t = timeOf(r);
    const fit = candidates.find((g) => !g.rows.has(seq) && (key.startsWith('m') || [...g.rows.values()].every((o) => Math.abs(timeOf(o) - t) <= windowMs)));
    if (fit) fit.rows.set(seq, r);
    else {
      const g: SqlGroup = { key: key.startsWith('m') ? key : `${key}|${r.ID}`, sender: r.SenderNumber, total, rows: new Map([[seq, r]]) };
      groups.push(g);
      candidates.push(g);
      open.set(key, candidates);
    }
  }
  return groups;
}

/**
 * Text of one row: TextDecoded when SMSD filled it, else the UCS-2 hex of `Text`; null for 8-bit data.
 * Half an emoji at a part's edge (a phone split it between two parts) is in `Text` as it came, but
 * SMSD's UTF-8 of it in TextDecoded is no UTF-8 and reads as U+FFFD: such a row is read from `Text`,
 * so the halves join again when the parts are put together.
 */
export function rowText(r: InboxRow): string | null {
  if (r.Coding === '8bit') return null;
  const hex = r.Text === null ? '' : String(r.Text);
  if (r.TextDecoded !== '' && r.TextDecoded !== null) {
    if (!r.TextDecoded.includes('\uFFFD') || hex === '') return r.TextDecoded;
    try {
      const fromHex = decodeHexUcs2(hex);
      if (hasLoneSurrogate(fromHex)) return fromHex;
    } catch {
      // Text is not UCS-2 hex: what SMSD decoded is all there is
    }
    return r.TextDecoded;
  }
  if (hex === '') return '';
  return decodeHexUcs2(hex);
}

/** Gammu's `YYYY-MM-DD HH:MM:SS` local time → ISO with the instance zone's offset. */
export function localIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(value));
  if (!m) return null;
  return zonedIso(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), timeZone);
}

/** The unprocessed-inbox query for a schema version (v18 adds MessageID/SequencePosition/PartCount). */
export function inboxSelectSql(v18: boolean, limit = 2000): string {
  return `SELECT ID, SenderNumber, Text, TextDecoded, Coding, UDH, Class, ReceivingDateTime, ${v18 ? 'MessageID, SequencePosition, PartCount' : 'NULL AS MessageID, NULL AS SequencePosition, NULL AS PartCount'}
    FROM inbox WHERE Processed <> 'true' ORDER BY ID LIMIT ${limit}`;
}

/** Our replies' CreatorID: `aduan-<outboxId>` (cut to 200 characters). */
const CREATOR_PREFIX = 'aduan-';

/** `sentitems.Status` values that mean the citizen did not get the SMS (Gammu's SMSD table docs). */
export const SENT_FAILED_STATUSES = ['SendingError', 'Error', 'DeliveryFailed'] as const;

/**
 * How far back failed replies are looked for: the newest this many `sentitems` rows (one per part).
 * `sentitems` keeps every SMS SMSD ever sent and has no index on Status or CreatorID: the primary key
 * (ID, the outbox ID, ascending) bounds each poll's scan to them, weeks of a modem's traffic — a failure
 * or a delivery report comes minutes to days after the send.
 */
export const SENT_FAILED_WINDOW_ROWS = 20_000;

/** `sentitems` rows from the newest SENT_FAILED_WINDOW_ROWS on (a range of the primary key, not a scan of every SMS ever sent). */
const RECENT_SENT = `ID >= COALESCE((SELECT ID FROM sentitems ORDER BY ID DESC LIMIT 1 OFFSET ${SENT_FAILED_WINDOW_ROWS}), 0)`;

/**
 * Whether a reply was already handed to SMSD (waiting in `outbox`, or sent: `sentitems` among the
 * recent rows — a send is retried for at most three days, far less than the window's traffic).
 */
export const ALREADY_HANDED_SQL = `SELECT 1 FROM outbox WHERE CreatorID = ? UNION ALL SELECT 1 FROM sentitems WHERE ${RECENT_SENT} AND CreatorID = ? LIMIT 1`;

/** Rows of our replies (CreatorID `aduan-…`) SMSD could not send or the network reports not delivered. */
export function failedSentSql(hasStatusError: boolean): string {
  return `SELECT ID, SequencePosition, CreatorID, Status, ${hasStatusError ? 'StatusError' : '-1 AS StatusError'} FROM sentitems
    WHERE ${RECENT_SENT}
      AND Status IN (${SENT_FAILED_STATUSES.map((x) => `'${x}'`).join(', ')}) AND CreatorID LIKE '${CREATOR_PREFIX}%'
    ORDER BY ID, SequencePosition`;
}

/** What the case's record says of a failed `sentitems` row. */
export function sentFailedReason(status: string, statusError: number | null): string {
  const what = status === 'DeliveryFailed'
    ? 'laporan pengiriman: SMS tidak sampai ke nomor tujuan'
    : status === 'SendingError'
      ? 'SMS gagal dikirim (pulsa habis, tidak ada sinyal, atau nomor tidak valid)'
      : 'kesalahan saat mengirim SMS';
  const code = statusError !== null && Number(statusError) >= 0 ? `, kode ${Number(statusError)}` : '';
  return `Gammu SMSD: ${status}${code} — ${what}`;
}

/**
 * Insert one outgoing SMS as SMSD expects: a single `outbox` row, or for long texts the first part
 * (MultiPart, UDH) in `outbox` and parts 2..n in `outbox_multipart` with the same ID and
 * SequencePosition from 2. One transaction. Returns the outbox ID.
 */
export function writeSqlOutbox(db: Database.Database, o: { to: string; text: string; creator: string; senderId: string | null }): number {
  const { coding, parts } = splitSms(o.text);
  return db.transaction(() => {
    if (parts.length === 1) {
      const info = db.prepare(`INSERT INTO outbox (DestinationNumber, TextDecoded, CreatorID, Coding, SenderID, MultiPart) VALUES (?, ?, ?, ?, ?, 'false')`).run(o.to, parts[0] as string, o.creator, coding, o.senderId);
      return Number(info.lastInsertRowid);
    }
    const ref = Math.floor(Math.random() * 256);
    const info = db
      .prepare(`INSERT INTO outbox (DestinationNumber, TextDecoded, CreatorID, Coding, SenderID, MultiPart, UDH) VALUES (?, ?, ?, ?, ?, 'true', ?)`)
      .run(o.to, parts[0] as string, o.creator, coding, o.senderId, concatUdh(ref, parts.length, 1));
    const id = Number(info.lastInsertRowid);
    const more = db.prepare(`INSERT INTO outbox_multipart (ID, SequencePosition, TextDecoded, Coding, UDH) VALUES (?, ?, ?, ?, ?)`);
    parts.slice(1).forEach((p, i) => more.run(id, i + 2, p, coding, concatUdh(ref, parts.length, i + 2)));
    return id;
  })();
}

/**
 * Gammu SMSD SQL backend on its SQLite database (Gammu's file, not ours: we only read `inbox`, set
 * `Processed` after enqueue, and insert into `outbox`/`outbox_multipart`).
 */
export class GammuSqlConnector implements ConnectorInstance {
  private db: Database.Database | undefined;
  private version = 0;
  private readonly file: string;
  private readonly firstSeen = new Map<string, number>();
  private readonly guard: RepeatGuard;
  private readonly failed: FailedReplies;
  private readonly outage: QueueOutage;
  private hasStatusError = false;
  private lock: RedisLock | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = true;
  private lastError: string | undefined;

  constructor(
    private readonly config: GammuConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.file = path.resolve(config.databasePath as string);
    this.guard = new RepeatGuard(config.repeatWindowSeconds * 1000);
    this.failed = new FailedReplies(ctx);
    this.outage = new QueueOutage(ctx.logger, `in Gammu's inbox table (${this.file}, Processed not set)`);
    ctx.onOutbound((reply) => this.send(reply));
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.lock = this.ctx.lock(`gammu-sql:${this.file}`);
    this.timer = setInterval(() => void this.pollNow(), this.config.scanIntervalMs);
    void this.pollNow();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    try {
      await this.polling;
    } catch {
      // logged
    }
    await this.lock?.release();
    try {
      this.db?.close();
    } catch {
      // already closed
    }
    this.db = undefined;
  }

  async health(): Promise<ConnectorHealth> {
    if (this.stopped) return { ok: false, detail: 'stopped' };
    if (this.lastError !== undefined) return { ok: false, detail: this.lastError };
    return { ok: true, detail: `gammu schema ${this.version}` };
  }

  /** One poll; concurrent calls share the running one. */
  pollNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.polling ??= this.poll().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private open(): Database.Database {
    if (this.db) return this.db;
    // busy timeout: SMSD writes the same file; never change its journal mode (not our database)
    const db = new Database(this.file, { fileMustExist: true, timeout: 5_000 });
    const row = db.prepare('SELECT Version FROM gammu').get() as { Version: number } | undefined;
    this.version = Number(row?.Version ?? 0);
    if (this.version < 17) this.ctx.logger.warn({ version: this.version }, 'Gammu schema older than 17; reading it like 17');
    this.hasStatusError = (db.prepare('PRAGMA table_info(sentitems)').all() as { name: string }[]).some((c) => c.name === 'StatusError');
    this.db = db;
    return db;
  }

  private async poll(): Promise<void> {
    const lock = this.lock;
    if (!lock) return;
    try {
      if (!lock.isHeld && !(await lock.tryAcquire())) return;
    } catch (err) {
      this.lastError = 'Redis unavailable for the database lock';
      this.ctx.logger.warn({ err }, 'cannot take the database lock; will retry');
      return;
    }
    try {
      await this.pollOnce();
      this.lastError = undefined;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.ctx.logger.error({ err, file: this.file }, 'Gammu database poll failed');
    }
    if (this.stopped || this.db === undefined) return;
    try {
      this.checkFailed(this.db);
    } catch (err) {
      this.ctx.logger.error({ err, file: this.file }, 'reading failed replies from sentitems failed');
    }
  }

  /**
   * Replies SMSD could not send (it moves the row to `sentitems` with Status SendingError or Error) or
   * that a delivery report says never arrived (DeliveryFailed): reported once per reply (FailedReplies),
   * though the rows stay there and are read again on every poll.
   */
  private checkFailed(db: Database.Database): void {
    const rows = db.prepare(failedSentSql(this.hasStatusError)).all() as { ID: number; CreatorID: string; Status: string; StatusError: number | null }[];
    for (const r of rows) {
      if (this.stopped) return;
      const creator = String(r.CreatorID);
      if (!creator.startsWith(CREATOR_PREFIX)) continue;
      const outboxId = creator.slice(CREATOR_PREFIX.length);
      if (outboxId === '' || this.failed.reported(outboxId)) continue;
      this.failed.report(outboxId, sentFailedReason(String(r.Status), r.StatusError));
      this.ctx.logger.info({ outboxId, gammuId: r.ID, status: r.Status }, 'reply SMSD could not send found in sentitems: marked not delivered');
    }
  }

  private async pollOnce(): Promise<void> {
    const db = this.open();
    const v18 = this.version >= 18;
    const rows = db.prepare(inboxSelectSql(v18)).all() as InboxRow[];
    const now = Date.now();
    const tz = this.ctx.config.instance.timezone;
    const groups = groupInboxRows(rows, this.version, this.config.multipartWindowSeconds * 1000, tz);
    const live = new Set<string>();
    for (const [i, g] of groups.entries()) {
      if (this.stopped) return;
      live.add(g.key);
      const first = this.firstSeen.get(g.key) ?? now;
      this.firstSeen.set(g.key, first);
      const missing: number[] = [];
      for (let s = 1; s <= g.total; s++) if (!g.rows.has(s)) missing.push(s);
      if (missing.length > 0 && now - first < this.config.multipartWaitSeconds * 1000) continue;
      const ok = await this.take(db, g, missing, tz);
      if (ok !== true) {
        // queue down: stop, retry next poll (said once per outage, with how many wait)
        this.outage.down(ok.err, groups.length - i);
        return;
      }
      this.firstSeen.delete(g.key);
    }
    for (const k of this.firstSeen.keys()) if (!live.has(k)) this.firstSeen.delete(k);
  }

  private markProcessed(db: Database.Database, ids: number[]): void {
    const stmt = db.prepare(`UPDATE inbox SET Processed = 'true' WHERE ID = ?`);
    db.transaction(() => {
      for (const id of ids) stmt.run(id);
    })();
  }

  private async take(db: Database.Database, g: SqlGroup, missing: number[], tz: string): Promise<true | { err: unknown }> {
    const rows = [...g.rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const ids = rows.map((r) => r.ID);
    const first = rows[0] as InboxRow;
    const externalId = `sql-${Math.min(...ids)}-${shortHash(g.sender, String(first.ReceivingDateTime)).slice(0, 12)}`;
    const quarantine = (code: string, reason: string, payload: string): true => {
      this.ctx.quarantine({ externalId, code, reason, payload });
      this.markProcessed(db, ids);
      return true;
    };
    if (rows.some((r) => Number(r.Class) === 127)) return quarantine('SMS.GAMMU_USSD', `rows ${ids.join(',')} are USSD replies, not SMS`, JSON.stringify(rows).slice(0, 8000));
    const texts: { seq: number; text: string }[] = [];
    try {
      for (const [seq, r] of [...g.rows.entries()].sort((a, b) => a[0] - b[0])) {
        const t = rowText(r);
        if (t === null) return quarantine('SMS.GAMMU_BINARY', `rows ${ids.join(',')}: 8-bit (binary) SMS`, rows.map((x) => x.Text).join(''));
        texts.push({ seq, text: t });
      }
    } catch (err) {
      return quarantine('SMS.GAMMU_BAD_ENCODING', `rows ${ids.join(',')}: ${(err as Error).message}`, JSON.stringify(rows).slice(0, 8000));
    }
    const text = joinPartTexts(texts);
    const built = buildSmsMessage(this.ctx, this.config.id, this.guard, {
      externalId,
      sender: g.sender,
      rawText: text,
      receivedAt: localIso(first.ReceivingDateTime, tz) ?? new Date().toISOString(),
      meta: { gammu: 'sql', schema: this.version, inboxIds: ids.slice(0, 20), parts: rows.length, ...(missing.length > 0 ? { incomplete: true, missingParts: missing } : {}) },
    });
    if (!built.ok) return quarantine(built.code, `rows ${ids.join(',')}: ${built.reason}`, text);
    try {
      const jobId = await this.ctx.enqueue(built.message);
      this.outage.up();
      this.ctx.logger.info({ jobId, externalId: built.message.externalId, parts: rows.length }, 'SMS queued');
    } catch (err) {
      if (isAduanError(err, 'MESSAGE.INVALID')) return quarantine('MESSAGE.INVALID', err.message, text);
      return { err };
    }
    // if this update is lost (crash, busy DB) the next poll re-enqueues the same externalId: idempotent
    this.markProcessed(db, ids);
    return true;
  }

  /** Reply through outbox (+ outbox_multipart for long texts), idempotent on CreatorID. */
  private async send(reply: ChannelReply): Promise<void> {
    const to = reply.to.phone;
    if (!to) throw new UnrecoverableError('reply has no phone number');
    const db = this.open();
    const creator = `${CREATOR_PREFIX}${reply.outboxId}`.slice(0, 200);
    const text = smsText(reply.text);
    const { coding, parts } = splitSms(text);
    const already = (db.prepare(ALREADY_HANDED_SQL).get(creator, creator) as unknown) !== undefined;
    if (already) return;
    writeSqlOutbox(db, { to, text, creator, senderId: this.config.phoneId ?? null });
    this.ctx.logger.info({ outboxId: reply.outboxId, parts: parts.length, coding }, 'SMS reply inserted into Gammu outbox');
  }
}
