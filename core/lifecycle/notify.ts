import { asc, eq } from 'drizzle-orm';
import type { AduanConfig } from '../config/schema.ts';
import { messages } from '../db/schema.ts';
import type { ChannelReply } from '../intake.ts';
import { addressOf, divisionAddresses, inboxesOf, KIND_LABEL, messageIdDomain, ourMessageId, staffReplyTo, triageDetail, type MailPayload } from '../mail/compose.ts';
import { CHAT_CHANNELS } from '../message.ts';
import { outboundQueueName, QUEUES } from '../queue-names.ts';
import { addEvent, receivedEventData, type CaseRow } from '../repo/cases.repo.ts';
import { getContact, type Tx } from '../repo/contacts.repo.ts';
import { heldOutbox, insertOutbox, rewriteHeldOutbox } from '../repo/outbox.repo.ts';
import { attachmentsOfCase } from '../repo/messages.repo.ts';
import type { AttachmentRef } from '../message.ts';

export interface NotifyDeps {
  config: Readonly<AduanConfig>;
  outboundChannels: ReadonlySet<string>;
}

/**
 * Send a text to the case's citizen on their own channel: SMS/Telegram through the connector's
 * outbound queue, e-mail (and web/manual with an address) by mail in their thread. Returns how it
 * went out, or null when the citizen cannot be reached (the status page still shows it).
 */
export function notifyCitizen(deps: NotifyDeps, tx: Tx, kase: CaseRow, purpose: string, text: string, at: string): 'channel' | 'mail' | null {
  const contact = kase.contactId === null ? undefined : getContact(tx, kase.contactId);
  if (!contact) return null;
  if (contact.doNotContactUntil !== null && contact.doNotContactUntil > at) return null;
  const first = tx.select().from(messages).where(eq(messages.caseId, kase.id)).orderBy(asc(messages.id)).get();
  const outboxId = `${kase.number}.${purpose}`;
  const viaChannel = CHAT_CHANNELS.has(kase.channel) && deps.outboundChannels.has(kase.connectorId);
  if (viaChannel) {
    const to: ChannelReply['to'] = {};
    if (contact.phone) to.phone = contact.phone;
    if (contact.telegramChatId) to.telegramChatId = contact.telegramChatId;
    if (contact.name) to.name = contact.name;
    const reply: ChannelReply = { outboxId, caseNumber: kase.number, to, text };
    if (first) reply.inReplyTo = { externalId: first.externalId, meta: (first.meta ?? {}) as Record<string, unknown> };
    insertOutbox(tx, { id: outboxId, caseId: kase.id, kind: 'channel', queue: outboundQueueName(kase.connectorId), payload: reply, now: at });
    return 'channel';
  }
  if (!contact.email) return null;
  const meta = (first?.meta ?? {}) as Record<string, unknown>;
  const origId = typeof meta['messageId'] === 'string' ? (meta['messageId'] as string) : undefined;
  const mail: MailPayload = {
    to: [contact.email],
    subject: `[${kase.number}] ${kase.subject ?? 'Aduan Anda'}`.slice(0, 200),
    text: `Yth. ${contact.name ?? 'Bapak/Ibu'},\n\n${text}\n\nHormat kami,\n${deps.config.instance.name}\n\n-- \nBalas e-mail ini untuk menanggapi.`,
    messageId: ourMessageId(deps.config, kase.number, purpose),
    replyTo: addressOf(deps.config.mail.replyTo ?? deps.config.mail.from),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Aduan-Case': kase.number },
    attachments: [],
  };
  if (origId) {
    mail.inReplyTo = origId;
    mail.references = [origId];
  }
  insertOutbox(tx, { id: outboxId, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: at });
  return 'mail';
}

/** A mail to staff (confirmations, help, reopen notices, reminders, escalations); `notBefore`: held until then. */
export function notifyStaff(deps: NotifyDeps, tx: Tx, kase: CaseRow, purpose: string, to: string[], subject: string, text: string, at: string,
  attachments: MailPayload['attachments'] = [], notBefore?: string): void {
  if (to.length === 0) return;
  insertOutbox(tx, { id: `${kase.number}.${purpose}`, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: staffMail(deps, kase, purpose, to, subject, text, attachments), now: at, ...(notBefore ? { notBefore } : {}) });
}

/** The mail notifyStaff sends, in the thread of the case's forward. */
export function staffMail(deps: NotifyDeps, kase: CaseRow, purpose: string, to: string[], subject: string, text: string, attachments: MailPayload['attachments'] = []): MailPayload {
  return {
    to,
    subject: `[${kase.number}] ${subject}`.slice(0, 200),
    text,
    messageId: ourMessageId(deps.config, kase.number, purpose),
    // staff answer on the case's own address (its token): a command runs only from there
    replyTo: staffReplyTo(deps.config, kase),
    inReplyTo: ourMessageId(deps.config, kase.number, 'forward'),
    references: [ourMessageId(deps.config, kase.number, 'forward')],
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Aduan-Case': kase.number },
    attachments,
  };
}

/**
 * A triage case reaches no division until a person settles it, so the desk (the default division)
 * hears of it, with what it needs to settle it by replying: why a person must decide (`why`), where
 * it goes once decided, the whole text and every file the citizen sent on it. The triage clock
 * (sla.triageDays) reminds it later and then escalates.
 */
function deskNotice(deps: NotifyDeps, kase: CaseRow, why: string, files: readonly AttachmentRef[]): { to: string[]; subject: string; text: string; attachments: MailPayload['attachments'] } | undefined {
  const desk = deps.config.divisions.find((d) => d.default);
  if (!desk) return undefined;
  const guessed = deps.config.divisions.find((d) => d.id === kase.divisionId) ?? desk;
  // the person deciding sees the photo (a photo alone may be the complaint)
  const kept = files.filter((a): a is typeof a & { sha256: string } => !a.withheld && a.sha256 !== undefined);
  const text = `Pesan ${kase.number} (lewat ${kase.channel}) perlu dipilah petugas dan belum diteruskan ke komisi mana pun.\n`
    + `Alasan: ${why}.\nBila dipilah sebagai aduan atau pertanyaan, diteruskan ke ${guessed.name}. `
    + `Bila belum dipilah dalam ${deps.config.sla.triageDays} hari kerja, Anda diingatkan, lalu dieskalasi.\n\n${triageDetail(kase)}`
    + (kept.length > 0 ? `\n\nLampiran: ${kept.map((a) => a.filename).join(', ')}` : '');
  return { to: inboxesOf(desk), subject: `Perlu dipilah: tebakan ${KIND_LABEL[kase.kind] ?? kase.kind}`, text,
    attachments: kept.map((a) => ({ filename: a.filename, contentType: a.contentType, sha256: a.sha256 })) };
}

/** Tell the desk of a new triage case (at `notBefore`, when the citizen may still be writing the rest). */
export function notifyDesk(deps: NotifyDeps, tx: Tx, kase: CaseRow, why: string, files: readonly AttachmentRef[], at: string, notBefore?: string): void {
  const n = deskNotice(deps, kase, why, files);
  if (n) notifyStaff(deps, tx, kase, 'triage', n.to, n.subject, n.text, at, n.attachments, notBefore);
}

/**
 * The desk's notice of a triage case that is still held while the citizen writes the rest: written
 * again with the case as it now reads (every fragment, every file), to go at `until` (null: now).
 * False when it has gone out already.
 */
export function renewDeskNotice(deps: NotifyDeps, tx: Tx, kase: CaseRow, at: string, until: string | null): boolean {
  const id = `${kase.number}.triage`;
  if (!heldOutbox(tx, id, at)) return false;
  const why = (receivedEventData(tx, kase.id) as { why?: unknown } | null)?.why;
  const n = deskNotice(deps, kase, typeof why === 'string' ? why : 'pengklasifikasi ragu', attachmentsOfCase(tx, kase.id));
  return n !== undefined && rewriteHeldOutbox(tx, id, staffMail(deps, kase, 'triage', n.to, n.subject, n.text, n.attachments), until, at);
}

/** What the e-mail connector read from a bounce (meta.bounce). */
export interface BounceFacts { recipients?: string[]; status?: string; hard?: boolean; originalMessageId?: string }

/**
 * A hard bounce of one of our mails to a division (its forward, a digest, an addition): the report has
 * not reached anyone, and nobody would know until its SLA ran out. The case's record says so, and the
 * secretariat (escalation.address, else the default division, if not the one that bounced) is told
 * how to send it again. A bounce of a citizen's mail blocks that address instead (the connector).
 */
export function tellOfBouncedStaffMail(deps: NotifyDeps, tx: Tx, kase: CaseRow, bounce: BounceFacts, at: string): void {
  if (!bounce.hard) return;
  const staff = new Set(deps.config.divisions.flatMap(divisionAddresses));
  const purpose = /^<?[A-Z]{2,8}-\d{4}-\d{6}\.([\w.-]+)@/.exec(bounce.originalMessageId ?? '')?.[1];
  const recipients = (bounce.recipients ?? []).map((r) => r.toLowerCase());
  const bounced = recipients.filter((r) => staff.has(r));
  if (bounced.length === 0 && !(recipients.length === 0 && purpose?.startsWith('forward'))) return;
  const division = deps.config.divisions.find((d) => d.id === kase.divisionId);
  const where = `${division?.name ?? kase.divisionId ?? 'komisi/bagian'}${bounced.length > 0 ? ` (${bounced.join(', ')})` : ''}`;
  const status = bounce.status ? ` (status ${bounce.status})` : '';
  addEvent(tx, { caseId: kase.id, at, actorType: 'system', actor: 'intake', type: 'staff_mail_bounced', text: `Mail ke ${where} ditolak server penerima${status}: belum sampai.`, data: bounce });
  const to = secretariat(deps.config, bounced);
  notifyStaff(deps, tx, kase, `bounce-${purpose ?? 'mail'}`, to, `Mail aduan tidak sampai ke ${division?.name ?? kase.divisionId ?? 'komisi/bagian'}`, [
    `Mail aduan ${kase.number} ke ${where} ditolak server penerima${status}: aduan ini belum sampai ke sana.`,
    '',
    `Mohon periksa alamat inbox komisi/bagian itu di konfigurasi (divisions[].inbox untuk ${kase.divisionId ?? '-'}), lalu kirim ulang: \`aduan cases update ${kase.number} --status received\`, atau alihkan: \`aduan cases reroute ${kase.number} <komisi>\`.`,
    '',
    'Isi aduan:',
    kase.summary,
  ].join('\n'), at);
}

/** Where the secretariat is told of a mail that did not arrive: escalation.address, else (or when that bounced) the default division; never an address that bounced. */
function secretariat(config: Readonly<AduanConfig>, bounced: readonly string[]): string[] {
  const fine = (a: string): boolean => !bounced.includes(addressOf(a).toLowerCase());
  const escalation = config.escalation.address !== undefined && fine(config.escalation.address) ? [config.escalation.address] : [];
  const desk = config.divisions.find((d) => d.default);
  return escalation.length > 0 ? escalation : (desk ? inboxesOf(desk) : []).filter(fine);
}

/**
 * A hard bounce of one of our mails that belongs to no case — the monthly report (report.mailTo) or a
 * channel's quiet alert (escalation.address): nobody has it, and nothing else would say so. The
 * secretariat (escalation.address, else the default division, if not the address that bounced) is told
 * which setting to correct, once per mail, and the returned line is for the operator's log. Undefined
 * when the bounce is not of such a mail (nor of this notice itself: no notice of a notice).
 */
export function tellOfBouncedOwnMail(deps: NotifyDeps, tx: Tx, bounce: BounceFacts, at: string): string | undefined {
  if (!bounce.hard) return undefined;
  const m = /^<?((LAPORAN)-(\d{4}-\d{2})|(SALURAN)-([\w-]+))\.([\w.-]+)@([^>]+)>?$/.exec((bounce.originalMessageId ?? '').trim());
  if (!m || m[7] !== messageIdDomain(deps.config)) return undefined;
  const [, tag, report, month, , channel, purpose] = m;
  if (purpose!.endsWith('-bounced') || (report ? purpose !== 'monthly' : !/^(quiet|back)-/.test(purpose!))) return undefined;
  const what = report ? `laporan bulanan ${month}` : `peringatan saluran ${channel}`;
  const setting = report ? 'report.mailTo' : 'escalation.address';
  const recipients = (bounce.recipients ?? []).map((r) => r.toLowerCase());
  const status = bounce.status ? ` (status ${bounce.status})` : '';
  const to = secretariat(deps.config, recipients);
  if (to.length > 0) {
    insertOutbox(tx, {
      id: `mailbounce.${tag}.${purpose}`, caseId: null, kind: 'mail', queue: QUEUES.mail, now: at,
      payload: {
        to, subject: `Mail Aduan tidak sampai: ${what}`, messageId: ourMessageId(deps.config, tag!, `${purpose}-bounced`),
        headers: { 'Auto-Submitted': 'auto-generated' }, attachments: [],
        text: [
          `Mail ${what} ke ${recipients.length > 0 ? recipients.join(', ') : 'alamat tujuannya'} ditolak server penerima${status}: belum sampai.`,
          '',
          report
            ? 'Mohon periksa alamat report.mailTo di konfigurasi. Laporan bulan itu dapat dibuat ulang dengan `aduan report --month ' + month + '`.'
            : `Saluran ${channel} mungkin tidak menerima pesan warga. Mohon periksa saluran itu (\`aduan status\`) dan alamat escalation.address di konfigurasi.`,
        ].join('\n'),
      },
    });
  }
  return `our ${report ? `monthly report ${month}` : `alert about channel ${channel}`} to ${recipients.join(', ') || 'its recipients'} was refused${status}: correct ${setting}${to.length > 0 ? ` (${to.join(', ')} told)` : ' (nobody else to tell: set escalation.address)'}`;
}
