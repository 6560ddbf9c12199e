import { and, desc, eq, gt, like } from 'drizzle-orm';
import type { AduanConfig } from '../config/schema.ts';
import { caseEvents, outbox } from '../db/schema.ts';
import { CITIZEN_TEXTS, render } from '../templates.ts';
import { isAduanError } from '../errors.ts';
import { addressOf, divisionAddresses, formatTime, inboxesOf, staffReplyTo } from '../mail/compose.ts';
import { CHAT_CHANNELS, ingestId, type InboundMessage } from '../message.ts';
import { heldOutbox, heldOutboxOfCase, rewriteHeldOutbox } from '../repo/outbox.repo.ts';
import { addedMessagesSince, attachmentsOfMessages } from '../repo/messages.repo.ts';
import { addEvent, type CaseRow } from '../repo/cases.repo.ts';
import type { Contact, Tx } from '../repo/contacts.repo.ts';
import { commandHelp, commandName, parseStaffReply } from './commands.ts';
import { caseAbout, readVerdict, type CaseAbout } from './own-problem.ts';
import { withoutOurTexts } from './quoted.ts';
import { notifyCitizen, notifyStaff, staffMail } from './notify.ts';
import { applyStaffCommand, applyVerdict, type LifecycleDeps } from './service.ts';
import { citizenStateLabel, stateLabel } from './states.ts';
import { ACKNOWLEDGEMENT } from '../understanding/lexicon.ts';
import { tokenize } from '../understanding/normalize.ts';

export type ReplyRole = 'citizen' | 'staff' | 'outsider';

/** Plus-addresses in the recipients naming a case: `aduan+ADU-2026-000001.<token>@…`. */
function tokensFor(message: InboundMessage, number: string): string[] {
  const rcpts = [message.meta['to'], message.meta['deliveredTo'], message.meta['cc']].flat().filter((x): x is string => typeof x === 'string');
  const out: string[] = [];
  for (const r of rcpts) {
    const m = /\+([A-Z]{2,8}-\d{4}-\d{6})\.([A-Za-z0-9_-]+)@/.exec(addressOf(r));
    if (m && m[1] === number) out.push(m[2]!);
  }
  // The e-mail connector reports the plus-address it saw as thread.caseNumber + meta.replyToken.
  const token = message.meta['replyToken'];
  if (typeof token === 'string' && message.thread?.caseNumber === number) out.push(token);
  return out;
}

/**
 * A message attached to an existing case: staff commands, the citizen's verdict, or a note.
 * Nothing a division writes reaches the citizen except a `#selesai` result.
 */
export function handleReply(deps: LifecycleDeps, tx: Tx, kase: CaseRow, role: ReplyRole, message: InboundMessage, contact: Contact, at: string): string {
  const who = message.sender.email ?? message.sender.phone ?? (message.sender.telegramChatId ? `telegram:${message.sender.telegramChatId}` : `contact:${contact.id}`);
  // what we send back about this message is named by it: two messages taken in within one millisecond get two answers
  const key = ingestId(message.connectorId, message.externalId).slice(0, 12);
  const tokens = tokensFor(message, kase.number);
  if (tokens.some((t) => t !== kase.token)) {
    addEvent(tx, { caseId: kase.id, at, actorType: role === 'staff' ? 'division' : 'citizen', actor: who, type: 'forged_token_refused', text: message.text.slice(0, 2000) });
    return 'forged_token_refused';
  }
  if (role === 'outsider') {
    addEvent(tx, { caseId: kase.id, at, actorType: 'citizen', actor: who, type: 'outsider_note', text: message.text.slice(0, 4000) });
    const d = deps.config.divisions.find((x) => x.id === kase.divisionId);
    if (d) notifyStaff(deps, tx, kase, `outsider-${key}`, inboxesOf(d), 'Balasan dari alamat di luar komisi/bagian',
      `Balasan dari ${who} atas aduan ${kase.number} dicatat sebagai catatan dan TIDAK mengubah status aduan. Hanya alamat komisi/bagian yang dapat memberi perintah.`, at);
    return 'outsider_note';
  }
  if (role === 'staff') {
    const parsed = parseStaffReply(message.text);
    const replyTo = message.sender.email ? [message.sender.email] : [];
    if ('none' in parsed) {
      addEvent(tx, { caseId: kase.id, at, actorType: 'division', actor: who, type: 'staff_note', text: parsed.text.slice(0, 4000) });
      return 'staff_note';
    }
    if ('error' in parsed) {
      addEvent(tx, { caseId: kase.id, at, actorType: 'division', actor: who, type: 'command_rejected', text: parsed.error });
      notifyStaff(deps, tx, kase, `help-${key}`, replyTo, 'Perintah tidak dikenali', `${parsed.error}\n\n${commandHelp(deps.config)}`, at);
      return 'command_rejected';
    }
    // A From header is easily forged and our Message-IDs and case numbers are easily guessed: a command
    // runs only from a reply to the case's own address (aduan+<case>.<token>@, every mail to staff carries
    // it as Reply-To). Without it the command is a note, and the division hears of it.
    if (tokens.length === 0) {
      addEvent(tx, { caseId: kase.id, at, actorType: 'division', actor: who, type: 'command_without_token', text: message.text.slice(0, 4000) });
      const d = deps.config.divisions.find((x) => x.id === kase.divisionId);
      notifyStaff(deps, tx, kase, `untokened-${key}`, d ? inboxesOf(d) : replyTo, 'Perintah tidak dijalankan',
        `Perintah atas aduan ${kase.number} dari ${who} TIDAK dijalankan: e-mail itu tidak dikirim ke alamat balasan aduan ini `
        + `(${staffReplyTo(deps.config, kase).replace(/\.[^.@]+@/, '.…@')}). Gunakan tombol Balas (Reply) pada e-mail dari Aduan tentang aduan ini, jangan menulis e-mail baru. `
        + 'Bila Anda tidak mengirim perintah itu, abaikan e-mail ini: status aduan tidak berubah.', at);
      return 'command_without_token';
    }
    try {
      // in a savepoint: a command refused half-way (e.g. #aduan komisi-a on a case past review) leaves nothing behind
      const { confirmation } = tx.transaction((sp) => applyStaffCommand(deps, sp, kase, parsed.command, { type: 'division', id: who }, at));
      notifyStaff(deps, tx, kase, `confirm-${key}`, replyTo, `Perintah ${commandName(parsed.command)} diterima`, confirmation, at);
      return `command_${parsed.command.kind}`;
    } catch (err) {
      if (!isAduanError(err)) throw err;
      addEvent(tx, { caseId: kase.id, at, actorType: 'division', actor: who, type: 'command_rejected', text: err.message });
      notifyStaff(deps, tx, kase, `help-${key}`, replyTo, 'Perintah tidak dapat dijalankan',
        `Perintah ${commandName(parsed.command)} tidak dapat dijalankan: ${typeof err.details['staffText'] === 'string' ? err.details['staffText'] : `aduan ${kase.number} berstatus "${stateLabel(kase.status)}"`}.\n\n${commandHelp(deps.config)}`, at);
      return 'command_rejected';
    }
  }
  // closed for want of an answer, the citizen was told to write naming the number if the problem is not solved:
  // their TIDAK PUAS (or "belum selesai") now is the verdict they did not give in time
  // (the message is on the case already: what the case is about is read without it)
  const about = (): CaseAbout => caseAbout(tx, kase, deps.config.divisions, message);
  const late = lateUnsatisfied(deps, tx, kase, message.text, about, at);
  if (late) {
    takeLateUnsatisfied(deps, tx, kase, late, message.text, who, key, at);
    return late.reopens ? 'unsatisfied' : 'late_unsatisfied';
  }
  if (kase.status === 'awaiting_feedback') {
    // (the number first, as citizens are asked to name it: "ADU-2026-000123 PUAS" is the verdict too;
    // "Belum, saluran airnya tidak diperbaiki" on a road case is none: own-problem.ts readVerdict)
    const verdict = readVerdict(message.text, about(), deps.config.instance.casePrefix).verdict;
    if (verdict) {
      applyVerdict(deps, tx, kase, verdict, message.text, { type: 'citizen', id: who }, at);
      return verdict;
    }
  }
  // (`acknowledgement`: while the verdict is awaited, a reply that says more restarts the no-answer clock, sweeps.ts)
  const thanks = onlyAcknowledges(message);
  addEvent(tx, { caseId: kase.id, at, actorType: 'citizen', actor: who, type: 'citizen_reply', text: message.text.slice(0, 4000), data: { acknowledgement: thanks } });
  // "ok pak, terima kasih": recorded; an answer would only draw another thanks, and the division has nothing
  // to do. While the verdict is awaited, the answer says how to give it.
  if (kase.status !== 'awaiting_feedback' && thanks) return 'citizen_thanks';
  answerCitizen(deps, tx, kase, at);
  if (!thanks) tellDivision(deps, tx, kase, message, who, at);
  return 'citizen_reply';
}

/** A late TIDAK PUAS on a closed case (lateUnsatisfied): how it closed, when, and whether it reopens it. */
export interface LateUnsatisfied {
  closing: 'closed_no_answer' | 'closed_satisfied';
  closedAt: string;
  reopens: boolean;
}

/**
 * A TIDAK PUAS ("belum", "tidak puas", also after the number) on a closed case (archived, it is too late):
 * - closed because its result had no answer (its latest closing is `closed_no_answer`): the closing
 *   notice asked the citizen to write if the problem is not solved, so it reopens the case as a TIDAK
 *   PUAS in time would;
 * - closed by the citizen's own PUAS (`closed_satisfied`): a change of mind. Within
 *   sla.closeUnansweredAfterDays of the PUAS — the time the citizen had to judge the result at all; a PUAS
 *   given the same day does not shorten it — it reopens the case as well; later it is recorded on the
 *   case and its division told (takeLateUnsatisfied), the case stays closed.
 * A late PUAS changes nothing. A bare word beginning a sentence about another problem ("<number> tidak
 * ada air sejak kemarin" on a road case) is no TIDAK PUAS (own-problem.ts readVerdict): intake takes it
 * as a new report; "tidak puas" with another problem is taken here and is a new report too.
 * `about`: what the case is about (own-problem.ts caseAbout), read only for a closed case; `at`: now.
 */
export function lateUnsatisfied(deps: LifecycleDeps, tx: Tx, kase: CaseRow, text: string, about: () => CaseAbout, at: string): LateUnsatisfied | undefined {
  if (kase.status !== 'closed' || readVerdict(text, about(), deps.config.instance.casePrefix).verdict !== 'unsatisfied') return undefined;
  const closing = tx.select({ type: caseEvents.type, at: caseEvents.at }).from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), eq(caseEvents.toStatus, 'closed')))
    .orderBy(desc(caseEvents.at), desc(caseEvents.id)).get();
  if (closing?.type === 'closed_no_answer') return { closing: closing.type, closedAt: closing.at, reopens: true };
  if (closing?.type !== 'closed_satisfied') return undefined;
  const within = Date.parse(at) - Date.parse(closing.at) <= deps.config.sla.closeUnansweredAfterDays * 86_400_000;
  return { closing: closing.type, closedAt: closing.at, reopens: within };
}

/**
 * What a late TIDAK PUAS does (lateUnsatisfied): it reopens the case (a change of mind after PUAS is on
 * record first, event `verdict_changed`, and the division's mail says so); or, after the time for a
 * change of mind, it is recorded on the closed case (event `late_unsatisfied`), its division gets the
 * citizen's words — an officer may reopen it —, and the citizen hears they were passed on (once an hour
 * at most), not only where the case stands. `key`: names what is sent about this message.
 */
export function takeLateUnsatisfied(deps: LifecycleDeps, tx: Tx, kase: CaseRow, late: LateUnsatisfied, words: string, who: string, key: string, at: string): CaseRow {
  const time = formatTime(late.closedAt, deps.config.instance.timezone);
  if (late.reopens) {
    if (late.closing === 'closed_satisfied') {
      addEvent(tx, { caseId: kase.id, at, actorType: 'citizen', actor: who, type: 'verdict_changed', text: `Pelapor mengubah jawabannya: PUAS pada ${time}, kini TIDAK PUAS.` });
    }
    return applyVerdict(deps, tx, kase, 'unsatisfied', late.closing === 'closed_satisfied' ? `${words}\n\n(Pelapor sebelumnya menjawab PUAS pada ${time}.)` : words, { type: 'citizen', id: who }, at);
  }
  addEvent(tx, { caseId: kase.id, at, actorType: 'citizen', actor: who, type: 'late_unsatisfied', text: words.slice(0, 4000) });
  const d = deps.config.divisions.find((x) => x.id === kase.divisionId);
  if (!d) return kase;
  const days = Math.floor((Date.parse(at) - Date.parse(late.closedAt)) / 86_400_000);
  notifyStaff(deps, tx, kase, `late-unsatisfied-${key}`, inboxesOf(d), 'Pelapor belum puas atas aduan yang sudah selesai',
    `Pelapor aduan ${kase.number} menyatakan belum puas pada ${formatTime(at, deps.config.instance.timezone)}, ${days} hari setelah menjawab PUAS (${time}). Kata pelapor:\n\n${words}\n\n`
    + `Aduan ini tetap berstatus "${stateLabel(kase.status)}": pelapor dapat berubah pikiran hanya dalam ${deps.config.sla.closeUnansweredAfterDays} hari setelah menjawab PUAS (sla.closeUnansweredAfterDays). `
    + `Bila masalahnya memang belum selesai, Sekretariat dapat membuka kembali aduan ini (aduan cases update ${kase.number} --status reopened); bila masalahnya baru, pelapor diminta mengirimnya sebagai aduan baru.`, at);
  const since = new Date(Date.parse(at) - ANSWER_EVERY_MS).toISOString();
  const recent = tx.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.caseId, kase.id), like(outbox.id, `${kase.number}.late-unsatisfied-ack-%`), gt(outbox.createdAt, since))).get();
  if (!recent) notifyCitizen(deps, tx, kase, `late-unsatisfied-ack-${key}`, CITIZEN_TEXTS.lateUnsatisfiedNoted(kase.number, d.name), at);
  return kase;
}

/** At most this many words of lexicon.ts ACKNOWLEDGEMENT ("ok pak terima kasih", "siap"), or only emoji, and no file. */
const ACKNOWLEDGEMENT_MAX_WORDS = 8;

/** A message that only acknowledges what we sent: thanks, "ok", "siap", an emoji. */
export function onlyAcknowledges(message: Pick<InboundMessage, 'text' | 'attachments'>): boolean {
  if (message.attachments.length > 0 || message.text.trim() === '') return false;
  const tokens = tokenize(message.text);
  return tokens.length <= ACKNOWLEDGEMENT_MAX_WORDS && tokens.every((t) => ACKNOWLEDGEMENT.has(t));
}

/**
 * Statuses in which a division is working on the case, or has sent its result and the verdict is
 * awaited ("masih berlubang di ujung gang" is not a verdict, but the division should know): what the
 * citizen adds reaches it.
 */
const AT_WORK = new Set(['received', 'forwarded', 'in_review', 'action', 'reopened', 'awaiting_feedback']);


/**
 * What a citizen adds while a division works on the case ("lokasinya persis depan masjid", a photo)
 * reaches that division in the forward's thread, with the files; it changes nothing by itself.
 * Several messages in a row ("sudah 2 bulan pak", then the photo, then "tolong segera") make one
 * mail: it waits dedupe.continuationMinutes for the next one (at most dedupe.continuationMaxWaits times that).
 */
export function tellDivision(deps: LifecycleDeps, tx: Tx, kase: CaseRow, message: InboundMessage, who: string, at: string): void {
  const d = deps.config.divisions.find((x) => x.id === kase.divisionId);
  if (!d || !AT_WORK.has(kase.status)) return;
  // its forward is still held (intake: a report in several messages): the forward will carry this too
  if (heldOutbox(tx, `${kase.number}.forward`, at)) return;
  const ms = deps.config.dedupe.continuationMinutes * 60_000;
  const waiting = ms > 0 && kase.contactId !== null ? heldOutboxOfCase(tx, kase.id, `${kase.number}.added-`, at) : undefined;
  // the messages of this mail: those since the waiting one began, or this one
  // (as intake read them: without what they quote of our own messages, stored as they came — quoted.ts)
  const since = (waiting ? addedMessagesSince(tx, kase.id, kase.contactId!, waiting.createdAt) : [])
    .map((m) => (CHAT_CHANNELS.has(m.channel) ? { ...m, text: withoutOurTexts(tx, m.contactId, m.text)?.text ?? m.text } : m));
  const files = attachmentsOfMessages(tx, since.map((m) => m.id));
  // (a "terima kasih" said meanwhile is the citizen's to us, not news for the division)
  const recorded = since.filter((m) => !onlyAcknowledges({ text: m.text, attachments: files.get(m.id) ?? [] }));
  const parts = recorded.length > 0
    ? recorded.map((m) => ({ at: m.recordedAt, text: m.text, attachments: files.get(m.id) ?? [] }))
    : [{ at, text: message.text, attachments: message.attachments }];
  const kept = parts.flatMap((p) => p.attachments.filter((a): a is typeof a & { sha256: string } => !a.withheld && a.sha256 !== undefined));
  const withheld = parts.flatMap((p) => p.attachments.filter((a) => a.withheld).map((a) => `${a.filename} (tidak tersimpan: ${a.withheld})`));
  const time = (t: string) => formatTime(t, deps.config.instance.timezone);
  const text = [
    ...(parts.length === 1
      ? [`Pelapor aduan ${kase.number} (${who}) menambahkan keterangan pada ${time(parts[0]!.at)}:`, '', parts[0]!.text.trim() || '(tanpa teks)', '']
      : [`Pelapor aduan ${kase.number} (${who}) menambahkan ${parts.length} keterangan:`, '', ...parts.flatMap((p) => [`${time(p.at)}:`, p.text.trim() || '(tanpa teks)', ''])]),
    ...(kept.length > 0 ? [`Lampiran: ${kept.map((a) => a.filename).join(', ')}`] : []),
    ...(withheld.length > 0 ? [`Lampiran lain: ${withheld.join(', ')}`] : []),
    kase.status === 'awaiting_feedback'
      // (no command moves a case awaiting the verdict: the citizen's TIDAK PUAS, or an officer, reopens it)
      ? `Status aduan tidak berubah (${stateLabel(kase.status)}): hasil sudah dikirim dan pelapor diminta membalas PUAS atau TIDAK PUAS. `
        + `Bila keterangan ini berarti masalahnya belum selesai, Sekretariat dapat membuka kembali aduan ini (aduan cases update ${kase.number} --status reopened). Catatan dapat dibalas dengan #catatan.`
      : `Status aduan tidak berubah (${stateLabel(kase.status)}). Balas dengan perintah seperti biasa (#kaji, #tindakan, #selesai).`,
  ].join('\n');
  const refs = kept.map((a) => ({ filename: a.filename, contentType: a.contentType, sha256: a.sha256 }));
  const until = (from: string) => new Date(Math.min(Date.parse(at) + ms, Date.parse(from) + deps.config.dedupe.continuationMaxWaits * ms)).toISOString();
  if (waiting) {
    const purpose = waiting.id.slice(kase.number.length + 1);
    if (rewriteHeldOutbox(tx, waiting.id, staffMail(deps, kase, purpose, inboxesOf(d), 'Tambahan keterangan dari pelapor', text, refs), until(waiting.createdAt), at)) return;
  }
  // one mail per first message (two messages may be recorded in the same millisecond)
  notifyStaff(deps, tx, kase, `added-${ingestId(message.connectorId, message.externalId).slice(0, 12)}`, inboxesOf(d), 'Tambahan keterangan dari pelapor', text, at,
    refs, ms > 0 ? until(at) : undefined);
}

/** At most one answer to a citizen's messages on a case within this time: no loop with an answering machine, no flood. */
const ANSWER_EVERY_MS = 60 * 60_000;

/**
 * A citizen who writes on their own case ("ADU-2026-000123 bagaimana perkembangannya?", a reply in the
 * thread, a detail added) is told the message is recorded and where the case stands, on their own
 * channel; otherwise they hear nothing until the result.
 */
function answerCitizen(deps: LifecycleDeps, tx: Tx, kase: CaseRow, at: string): void {
  const since = new Date(Date.parse(at) - ANSWER_EVERY_MS).toISOString();
  const recent = tx.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.caseId, kase.id), like(outbox.id, `${kase.number}.noted-%`), gt(outbox.createdAt, since))).get();
  if (recent) return;
  const entered = tx.select({ at: caseEvents.at }).from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), eq(caseEvents.toStatus, kase.status))).orderBy(desc(caseEvents.id)).get();
  const date = new Intl.DateTimeFormat('id-ID', { timeZone: deps.config.instance.timezone, dateStyle: 'medium' }).format(new Date(entered?.at ?? kase.createdAt));
  // (as the citizen reads it: waiting for their verdict says how to give it)
  const state = citizenStateLabel(kase.status);
  notifyCitizen(deps, tx, kase, `noted-${Date.parse(at)}`, render('replyNotedShort', { caseNumber: kase.number, state, date }, deps.config.templates), at);
}

export function roleOf(config: Readonly<AduanConfig>, kase: CaseRow, contact: Contact, email: string | undefined): ReplyRole {
  const d = config.divisions.find((x) => x.id === kase.divisionId);
  if (d && email) {
    if (divisionAddresses(d).includes(email.toLowerCase())) return 'staff';
    // a triage case is no division's yet: the desk that settles it (the default division, reminded by the SLA clock) may act
    const desk = config.divisions.find((x) => x.default);
    if (kase.status === 'triage' && desk && divisionAddresses(desk).includes(email.toLowerCase())) return 'staff';
  }
  return kase.contactId === contact.id ? 'citizen' : 'outsider';
}
