import { retryTransientWrite, type Db } from './db/client.ts';
import { LIMITS } from './limits.ts';
import type { Logger } from './logger.ts';
import { addEvent, getCaseById, setCaseStatus } from './repo/cases.repo.ts';
import { eq, sql } from 'drizzle-orm';
import type { AduanConfig } from './config/schema.ts';
import { contacts, outbox } from './db/schema.ts';
import { addressOf, divisionAddresses } from './mail/compose.ts';
import { autoMailsSentTo, getOutbox, oldestAutoMailSentTo, setOutboxStatus, UNSENT } from './repo/outbox.repo.ts';
import type { MailPayload } from './mail/compose.ts';
import type { MailSender, RefusedRecipient } from './mail/transport.ts';
import { AduanError } from './errors.ts';

/**
 * `skipped`: not sent, for good (the address bounced hard); `deferredUntil`: not now (the per-recipient
 * cap of the hour is reached), the row waits, still queued, for the time the cap lets one more through.
 */
export type DeliveryResult = 'sent' | 'already-sent' | 'missing' | 'skipped' | 'stale' | { deferredUntil: string; reason: string };

export interface DeliveryPolicy {
  config: Readonly<AduanConfig>;
  /** Division inbox and staff addresses: never capped. */
  staffAddresses: ReadonlySet<string>;
  /** Told when a mail that went out cannot be recorded as sent yet (the database is locked or full). */
  logger?: Logger;
}

/**
 * Why an automatic mail must not go out now, or null: the address is blocked after a hard bounce (not
 * at all), or the per-recipient cap of the hour is reached (`until`: when the oldest of that hour's
 * mails leaves the window — a loop is slowed to the cap, a citizen's result is late, not lost).
 */
function holdReason(db: Db, policy: DeliveryPolicy, payload: MailPayload, now: Date): { reason: string; until?: string } | null {
  if (payload.headers['Auto-Submitted'] !== 'auto-replied') return null;
  for (const to of payload.to) {
    const addr = to.toLowerCase();
    if (policy.staffAddresses.has(addr)) continue;
    const c = db.select({ until: contacts.doNotContactUntil }).from(contacts).where(eq(contacts.email, addr)).get();
    if (c?.until && c.until > now.toISOString()) return { reason: `address blocked until ${c.until} (hard bounce)` };
    const since = new Date(now.getTime() - 3_600_000).toISOString();
    if (autoMailsSentTo(db, addr, since) >= policy.config.mail.capPerRecipientPerHour) {
      const oldest = oldestAutoMailSentTo(db, addr, since);
      const until = new Date(Math.max(now.getTime() + 1_000, (oldest ? Date.parse(oldest) : now.getTime()) + 3_600_000 + 1_000)).toISOString();
      return { reason: `per-recipient cap of ${policy.config.mail.capPerRecipientPerHour} automatic mails per hour reached`, until };
    }
  }
  return null;
}

/** Statuses in which a case's forward is still news to its division (received, or being handled there). */
const FORWARD_STILL_DUE = new Set(['received', 'forwarded', 'in_review', 'action', 'awaiting_feedback', 'reopened']);

/**
 * Why a division forward must not go out any more, or null: its case was re-routed to another division
 * since it was written (that division gets a forward of its own), or settled as no complaint, spam,
 * closed or archived. A forward retried for hours, or replayed from the dead-letter list days later,
 * would otherwise reach a division the case is no longer theirs.
 */
function staleForward(tx: Db, row: { id: string; caseId: number | null }, payload: MailPayload): string | null {
  if (row.caseId === null || !/\.forward(-\d+)?$/.test(row.id)) return null;
  const kase = getCaseById(tx, row.caseId);
  if (!kase) return null;
  const division = payload.headers['X-Aduan-Division'];
  if (division !== undefined && kase.divisionId !== division) return `not sent: case ${kase.number} was re-routed from ${division} to ${kase.divisionId} since (its forward there is a mail of its own)`;
  if (!FORWARD_STILL_DUE.has(kase.status)) return `not sent: case ${kase.number} is ${kase.status} now`;
  return null;
}

export function staffAddressesOf(config: Readonly<AduanConfig>): Set<string> {
  return new Set(config.divisions.flatMap(divisionAddresses));
}

/**
 * Send one outbox mail. Checks the row first so a job re-added after a crash never mails twice;
 * marks it sent and — for a division forward — moves the case to `forwarded` in one transaction.
 */
export async function deliverOutboxMail(db: Db, sender: MailSender, outboxId: string, policy?: DeliveryPolicy): Promise<DeliveryResult> {
  // Read the row, check the caps and reserve the send in one immediate transaction, so concurrent
  // senders (several jobs, several processes) cannot all pass the same cap at once, and what is sent
  // is the row as reserved (a held forward is rewritten until it is queued).
  type Reserved = Exclude<DeliveryResult, 'sent'> | { row: NonNullable<ReturnType<typeof getOutbox>>; payload: MailPayload };
  const reserved = db.transaction((tx): Reserved => {
    const row = getOutbox(tx as unknown as Db, outboxId);
    if (!row) return 'missing' as const;
    if (row.status === 'sent' || row.status === 'skipped') return 'already-sent' as const;
    const payload = row.payload as MailPayload;
    const at0 = new Date().toISOString();
    const stale = staleForward(tx as unknown as Db, row, payload);
    if (stale !== null) {
      tx.update(outbox).set({ status: 'skipped', updatedAt: at0, lastError: stale }).where(eq(outbox.id, outboxId)).run();
      return 'stale' as const;
    }
    const hold = policy ? holdReason(tx as unknown as Db, policy, payload, new Date()) : null;
    const at = new Date().toISOString();
    if (hold === null) {
      tx.update(outbox).set({ status: 'sending', updatedAt: at }).where(eq(outbox.id, outboxId)).run();
      return { row, payload };
    }
    if (hold.until === undefined) {
      tx.update(outbox).set({ status: 'skipped', updatedAt: at, lastError: hold.reason }).where(eq(outbox.id, outboxId)).run();
      return 'skipped' as const;
    }
    tx.update(outbox).set({ status: 'queued', updatedAt: at, lastError: `held back until ${hold.until}: ${hold.reason}` }).where(eq(outbox.id, outboxId)).run();
    return { deferredUntil: hold.until, reason: hold.reason };
  }, { behavior: 'immediate' });
  if (typeof reserved === 'string' || !('row' in reserved)) return reserved;
  const { row, payload } = reserved;
  const sent = await sender.send(payload);
  const notes: string[] = [];
  if (sent.withoutAttachments) {
    notes.push('sent without its attachments: the SMTP server refused the mail for its size (552); the mail names them');
    policy?.logger?.warn({ outboxId }, 'mail too large for the SMTP server: sent without its attachments, naming them');
  }
  // The server took it for some recipients and refused others: for good (5xx) is noted on the row; for
  // now (4xx) the row goes on, to those alone (the others must not get it twice), and is tried again
  const refused = sent.refused ?? [];
  const later = refused.filter((r: RefusedRecipient) => r.code === undefined || r.code < 500);
  const sentTo = payload.to.filter((a) => !refused.some((r) => r.address.toLowerCase() === addressOf(a).toLowerCase()));
  const told = (rs: RefusedRecipient[]) => rs.map((r) => `${r.address} (${r.response || 'no reply code'})`).join('; ');
  if (refused.length > 0) {
    notes.push(`sent to ${sentTo.join(', ')}; refused by the SMTP server: ${told(refused)}${later.length > 0 ? ` — tried again for ${later.map((r) => r.address).join(', ')} alone` : ''}`);
    policy?.logger?.warn({ outboxId, refused: refused.map((r) => ({ address: r.address, code: r.code })) }, 'the SMTP server refused some recipients of a mail it took for the others');
  }
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  const retryTo = later.length > 0 ? later.map((r) => r.address) : undefined;
  // The mail is out: recording it must not fail the job while the database is busy (another process
  // holding the write lock past busy_timeout, a full disk) — a failed job is sent again.
  await retryTransientWrite(() => recordSent(db, outboxId, row, payload, sentTo, note, retryTo), {
    budgetMs: LIMITS.recordSentRetryMs,
    onRetry: (err, attempt) => policy?.logger?.warn({ err, outboxId, attempt }, 'mail sent but not yet recorded as sent (database busy); trying again, so it is not sent twice'),
  });
  if (retryTo) throw new AduanError('MAIL.SEND_FAILED', { detail: `recipients refused for now by the SMTP server: ${told(later)}; sent to ${sentTo.join(', ')}, who are not sent it again` });
  return 'sent';
}

/**
 * Record a mail gone out to `sentTo`. `retryTo`: recipients the server refused for now — the row stays
 * unsent, addressed to them alone, for the job's next attempt. A mail that reached some of its recipients
 * (a forward one inbox of its division has) is delivered for the scheduler's delivery clocks: its row is
 * marked done with (clock_done_at), so it is not escalated as undelivered while the others are tried again,
 * and the addresses that have it are kept on the payload (`deliveredTo`) for the record should it die.
 */
function recordSent(db: Db, outboxId: string, row: NonNullable<ReturnType<typeof getOutbox>>, payload: MailPayload, sentTo: string[], note?: string, retryTo?: string[]): void {
  const at = new Date().toISOString();
  db.transaction((tx) => {
    if (retryTo) {
      const deliveredTo = [...new Set([...(payload.deliveredTo ?? []), ...sentTo])];
      tx.update(outbox).set({
        payload: { ...payload, to: retryTo, ...(deliveredTo.length > 0 ? { deliveredTo } : {}) }, status: 'queued', updatedAt: at, lastError: note?.slice(0, 1000) ?? null,
        attempts: sql`${outbox.attempts} + 1`, ...(sentTo.length > 0 ? { clockDoneAt: sql`coalesce(${outbox.clockDoneAt}, ${at})` } : {}),
      }).where(eq(outbox.id, outboxId)).run();
    } else {
      setOutboxStatus(tx, outboxId, 'sent', at, note);
    }
    if (payload.marksForwarded && row.caseId !== null && sentTo.length > 0) {
      const kase = getCaseById(tx, row.caseId);
      if (kase && kase.status === 'received') {
        setCaseStatus(tx, kase, 'forwarded', { at, actorType: 'system', actor: 'forward-worker', type: 'forwarded', text: `Diteruskan ke ${sentTo.join(', ')}` });
      }
    }
  });
}

/**
 * A failed send: tried again (`queued`) or, `final`, dead-lettered. A mail dead-lettered after it reached
 * some of its recipients (a forward one of its division's inboxes never took, the others have) is put on
 * its case's record (`forward_partly_undelivered`): the delivery clock does not escalate it, the case is
 * at its division.
 */
export function markOutboxFailed(db: Db, outboxId: string, final: boolean, error: string): void {
  const at = new Date().toISOString();
  db.transaction((tx) => {
    if (!setOutboxStatus(tx, outboxId, final ? 'dead' : 'queued', at, error, UNSENT) || !final) return;
    const row = getOutbox(tx, outboxId);
    const payload = row?.payload as MailPayload | undefined;
    if (!row || row.caseId === null || !payload?.deliveredTo?.length) return;
    const kase = getCaseById(tx, row.caseId);
    if (!kase) return;
    const what = /\.forward(-\d+)?$/.test(outboxId) ? 'Penerusan aduan' : 'Surel';
    addEvent(tx, {
      caseId: kase.id, at, actorType: 'system', actor: 'forward-worker', type: 'forward_partly_undelivered',
      text: `${what} tidak sampai ke ${payload.to.join(', ')}: ${error.slice(0, 300)}. Sudah diterima ${payload.deliveredTo.join(', ')}; tidak dicoba lagi (kirim ulang: aduan dlq replay).`,
      data: { outboxId, refused: payload.to, deliveredTo: payload.deliveredTo },
    });
  });
}
