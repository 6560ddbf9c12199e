import { nthWorkingDayAfter } from '../lifecycle/calendar.ts';
import type { AduanConfig, DivisionConfig } from '../config/schema.ts';
import { render } from '../templates.ts';
import { statusUrl } from '../status-link.ts';
import { stateLabel } from '../lifecycle/states.ts';
import type { InboundMessage } from '../message.ts';
import { toldOthersReported, type CaseRow, type Recurrence, type RepeatRecord } from '../repo/cases.repo.ts';
import type { SameProblem } from '../understanding/dedupe.ts';
import { OPENER } from '../understanding/lexicon.ts';
import type { Contact } from '../repo/contacts.repo.ts';

/** A mail as stored in the outbox and sent by the forward worker. */
export interface MailPayload {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Deterministic, so a resend after a crash is recognisably the same mail. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; sha256: string }[];
  /** Set on the division forward: sending it moves the case to `forwarded`. */
  marksForwarded?: boolean;
  /**
   * Recipients who already have the mail, while the server refused the others (`to`) for now and they
   * are tried again (core/forward.ts recordSent).
   */
  deliveredTo?: string[];
}

export function addressOf(mailbox: string): string {
  const m = /<([^>]+)>/.exec(mailbox);
  return (m ? m[1]! : mailbox).trim();
}

export function messageIdDomain(config: Pick<AduanConfig, 'mail'>): string {
  return config.mail.messageIdDomain ?? addressOf(config.mail.from).split('@')[1] ?? 'aduan.local';
}

/** `<ADU-2026-000001.forward@domain>`: the case number is recoverable from any reply's In-Reply-To. */
export function ourMessageId(config: Pick<AduanConfig, 'mail'>, caseNumber: string, purpose: string): string {
  return `<${caseNumber}.${purpose}@${messageIdDomain(config)}>`;
}

/** Case number inside one of our Message-IDs, if the id is ours. */
export function caseNumberFromMessageId(config: Pick<AduanConfig, 'mail'>, id: string): string | undefined {
  const m = /^<?([A-Z]{2,8}-\d{4}-\d{6})\.[\w.-]+@([^>]+)>?$/.exec(id.trim());
  return m && m[2] === messageIdDomain(config) ? m[1] : undefined;
}

/** Reply-To of forwarded cases: plus-address with the case number and its token (staff replies). */
export function staffReplyTo(config: Pick<AduanConfig, 'mail'>, c: CaseRow): string {
  const base = addressOf(config.mail.replyTo ?? config.mail.from);
  const [local, domain] = base.split('@');
  return `${local}+${c.number}.${c.token}@${domain}`;
}

export function inboxesOf(division: DivisionConfig): string[] {
  return Array.isArray(division.inbox) ? [...division.inbox] : [division.inbox];
}

/** Every address that speaks for a division (its inboxes and staff), lowercased bare addresses. */
export function divisionAddresses(division: DivisionConfig): string[] {
  return [...inboxesOf(division), ...division.staff].map((a) => addressOf(a).toLowerCase());
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Words of a letter's salutation, besides the greetings a message opens with (lexicon.ts OPENER). */
const SALUTATION = new Set(['yth', 'kepada', 'kpd', 'terhormat', 'dengan', 'hormat', 'para', 'anggota', 'wakil', 'rakyat', 'daerah', 'perwakilan']);

/**
 * The text without the greetings and salutation it opens with ("Selamat siang.", "Assalamualaikum wr
 * wb, Yth. Bapak/Ibu Dewan,"): a division's inbox lists forwards by their subject, and 70 characters
 * are too few to spend on "Selamat siang". Clauses are dropped only while every word of them is one of
 * those (at most six); a text that is nothing else is kept as it is.
 */
export function withoutGreeting(text: string): string {
  let rest = text;
  for (let i = 0; i < 6; i++) {
    const m = /^\s*([^.,!;:\n]*)[.,!;:\n]+/.exec(rest);
    if (!m) break;
    const words = m[1]!.toLowerCase().split(/[\s/'’-]+/).filter((w) => w !== '');
    if (words.length === 0 || !words.every((w) => OPENER.has(w) || SALUTATION.has(w))) break;
    rest = rest.slice(m[0].length);
  }
  return rest.trim() === '' ? text : rest;
}

export function summaryOf(message: Pick<InboundMessage, 'subject' | 'text'>, max = 70): string {
  const subject = message.subject?.trim() ?? '';
  const base = (subject !== '' ? subject : withoutGreeting(message.text)).replace(/\s+/g, ' ').trim();
  if (base === '') return '(tanpa teks)';
  return base.length > max ? `${base.slice(0, max - 1)}…` : base;
}

const CHANNEL_LABEL: Record<string, string> = {
  email: 'E-mail', sms: 'SMS', whatsapp: 'WhatsApp', telegram: 'Telegram', web: 'Formulir web', manual: 'Loket / surat',
};

export function formatTime(iso: string, timezone: string): string {
  return `${new Intl.DateTimeFormat('id-ID', { timeZone: timezone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso))} (${timezone})`;
}

/** "komisi-a = Komisi A (Pemerintahan); …": the ids #alihkan takes (forwardReplyHint's {divisions}). */
export function divisionList(config: Pick<AduanConfig, 'divisions'>): string {
  return config.divisions.map((d) => `${d.id} = ${d.name}`).join('; ');
}

/** How staff answer a mail about a case (forwardReplyHint): the footer of the forward, the digest and the division's reminders. */
export function replyHint(config: Pick<AduanConfig, 'divisions' | 'templates'>): string {
  return render('forwardReplyHint', { divisions: divisionList(config) }, config.templates);
}

/** The classifier's labels as staff read them. */
export const KIND_LABEL: Readonly<Record<string, string>> = { complaint: 'aduan', question: 'pertanyaan', statement: 'pernyataan', spam: 'spam' };

/** What the desk needs to settle a triage case (its notice and its reminder): how to answer, the guess, the message. */
export function triageDetail(k: Pick<CaseRow, 'number' | 'kind' | 'summary'>): string {
  return `Balas e-mail ini dengan baris pertama #aduan, #pertanyaan, #bukan-aduan atau #spam (atau: aduan cases classify ${k.number} <label>).\n`
    + `Untuk komisi/bagian lain: #aduan <id divisi>, mis. #aduan komisi-a (atau: --division komisi-a).\n\n`
    + `Tebakan pengklasifikasi: ${KIND_LABEL[k.kind] ?? k.kind}\nIsi pesan:\n${k.summary.slice(0, 1000)}`;
}

export interface ForwardInput {
  config: AduanConfig;
  division: DivisionConfig;
  kase: CaseRow;
  contact: Contact;
  message: InboundMessage;
  /** Earlier reports of the same problem (recurring): the "reported N times" line and their numbers. */
  recurrence?: Recurrence | null;
  /** The report it was found to repeat, and how similar the texts are: staff judge the link by it. */
  repeat?: RepeatRecord | undefined;
  /** What the citizen added before this forward (while it waited in triage, before a re-route): time, text, file names. */
  additions?: ReadonlyArray<{ at: string; text: string; files: readonly string[] }>;
  /** The text the subject line sums up, when not the first message's (a report whose problem came in a later message). */
  summary?: string;
  /** Everything the citizen wrote says only who and where ("Pak, di jl. Kenari gang 3"): staff are asked to find out the problem. */
  incomplete?: boolean;
  /** When the forward goes (its first-response clock starts then); default now. */
  at?: string;
}

/** "Kamis, 3 Desember 2026" for a local date YYYY-MM-DD. */
function longDate(isoDate: string): string {
  return new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${isoDate}T12:00:00Z`));
}

/** The division's targets (sla.firstResponseDays from the forward, then sla.actionDays), with the date of the first. */
function targetLine(config: AduanConfig, at: string): string {
  const { firstResponseDays, actionDays, holidays } = config.sla;
  const due = nthWorkingDayAfter(new Date(at), firstResponseDays, config.instance.timezone, holidays);
  return `#kaji paling lambat ${longDate(due)} (${firstResponseDays} hari kerja); sesudahnya #tindakan atau #selesai dalam ${actionDays} hari kerja`;
}

/** "Kamis, 3 Desember 2026": the working day `days` after `since` (a stage's start, a due date), on the SLA clock's calendar. */
export function deadlineOf(config: Pick<AduanConfig, 'sla' | 'instance'>, since: string, days: number): string {
  return longDate(nthWorkingDayAfter(new Date(since), days, config.instance.timezone, config.sla.holidays));
}

/** A case's subject line as its forward's subject has it (the citizen's subject, else the start of the text). */
export function caseSubject(k: Pick<CaseRow, 'subject' | 'summary'>): string {
  return summaryOf({ ...(k.subject ? { subject: k.subject } : {}), text: k.summary });
}

/**
 * What a mail to staff about a case says of it besides its number (an SLA reminder, an escalation): the
 * forward's subject line (so the thread is found in the inbox), when and how it came in, and with `textMax`
 * what the citizen wrote, cut there.
 */
export function caseFacts(k: Pick<CaseRow, 'subject' | 'summary' | 'createdAt' | 'channel'>, timezone: string, textMax?: number): string[] {
  const text = k.summary.trim();
  return [
    `Perihal       : ${caseSubject(k)}`,
    `Diterima      : ${formatTime(k.createdAt, timezone)}, lewat ${CHANNEL_LABEL[k.channel] ?? k.channel}`,
    ...(textMax === undefined ? [] : ['Isi aduan:', text === '' ? '(tanpa teks)' : text.length > textMax ? `${text.slice(0, textMax - 1)}…` : text]),
  ];
}

/** "- 2 Maret 2026 pukul 15.03 (Asia/Jakarta): di jl. Kenari gang 3 (lampiran: jalan.jpg)" */
function additionLine(a: { at: string; text: string; files: readonly string[] }, timezone: string): string {
  return `- ${formatTime(a.at, timezone)}: ${a.text.trim() || '(tanpa teks)'}${a.files.length ? ` (lampiran: ${a.files.join(', ')})` : ''}`;
}

/** "teks 87% sama dengan ADU-…" (or "teks sama"): how close a recurring report's words are to the report it repeats. */
function similarityLine(r: RepeatRecord): string {
  const text = `${r.similarity >= 1 ? 'teks sama' : `teks ${Math.round(r.similarity * 100)}% sama`} dengan ${r.of}`;
  return r.sameProblem ? `${text}, tetapi ${sameProblemText(r.sameProblem)}` : text;
}

/** "tempat sama (Kusumanegara), masalah sama (sampah, numpuk, diangkut)": why a report told in other words was linked. */
export function sameProblemText(p: SameProblem): string {
  return `tempat sama (${p.places.join(', ')}), masalah sama (${p.words.join(', ')})`;
}

/** "dilaporkan 4 kali; laporan sebelumnya: ADU-…-000001, ADU-…-000007, ADU-…-000012" (first case, then the latest). */
export function recurrenceLine(r: Recurrence): string {
  const [first, ...rest] = r.earlier;
  const skipped = r.earlierTotal - r.earlier.length;
  const list = skipped > 0 ? [first, `… ${skipped} lainnya …`, ...rest] : r.earlier;
  return `dilaporkan ${r.reportCount} kali; laporan sebelumnya: ${list.join(', ')}`;
}

/** "ADU-…-000001, sedang dikaji" (and where, when another division has it): is the problem already being handled? */
function firstReportLine(config: Pick<AduanConfig, 'divisions'>, kase: Pick<CaseRow, 'divisionId'>, first: NonNullable<Recurrence['first']>): string {
  const where = first.division === kase.divisionId ? '' : ` di ${config.divisions.find((d) => d.id === first.division)?.name ?? first.division}`;
  return `${first.number}, ${stateLabel(first.status).toLowerCase()}${where}`;
}

/** After a phone or e-mail a web submitter typed (a web-only contact, contacts.claimed): nobody proved it is theirs. */
export const CLAIMED_MARK = '(diisi di formulir web, belum diverifikasi)';

/** A contact's phone or e-mail as staff see it: marked CLAIMED_MARK when typed on the web (the mails, `aduan cases show/find`). */
export function claimedValue(value: string, claimed: boolean): string {
  return claimed ? `${value} ${CLAIMED_MARK}` : value;
}

/**
 * How staff reach the citizen: name, phone, e-mail, Telegram chat, the web form's free contact field.
 * A phone or e-mail typed on the web (form or website API) is marked as such: anyone can type a
 * citizen's number, so staff calling it know it was never proven (an SMS sender's number, an e-mail's From are).
 */
function contactLinesOf(contact: Contact | undefined, webContact?: string | null): string[] {
  const typed = (value: string | null | undefined): string => (value ? claimedValue(value, contact?.claimed === true) : '-');
  return [
    `Nama     : ${contact?.name ?? '-'}`,
    `Telepon  : ${typed(contact?.phone)}`,
    `E-mail   : ${typed(contact?.email)}`,
    ...(contact?.telegramChatId ? [`Telegram : chat ${contact.telegramChatId}`] : []),
    ...(webContact ? [`Kontak   : ${webContact}`] : []),
  ];
}

/** The mail to a division's inbox (SOP step 5). */
export function composeForward(input: ForwardInput): MailPayload {
  const { config, division, kase, contact, message } = input;
  const t = config.templates;
  const summary = summaryOf(input.summary === undefined ? message : { text: input.summary });
  const contactLines = contactLinesOf(contact, message.sender.webContact);
  const facts = [
    `Nomor aduan : ${kase.number}`,
    `Saluran     : ${CHANNEL_LABEL[message.channel] ?? message.channel} (${message.connectorId})`,
    `Diterima    : ${formatTime(message.receivedAt, config.instance.timezone)}`,
    `Jenis       : ${KIND_LABEL[kase.kind] ?? kase.kind}`,
    `Target      : ${targetLine(config, input.at ?? new Date().toISOString())}`,
    ...(input.recurrence ? [`Berulang    : ${recurrenceLine(input.recurrence)}`] : []),
    ...(input.recurrence?.first ? [`Laporan awal: ${firstReportLine(config, kase, input.recurrence.first)}`] : []),
    ...(input.recurrence && input.repeat ? [`Kemiripan   : ${similarityLine(input.repeat)}`] : []),
  ];
  const withheld = message.attachments.filter((a) => a.withheld);
  const additions = input.additions ?? [];
  // a recurring report: staff answer the problem once (dedupe.shareResults), and can undo a wrong link
  const repeatNotes = input.recurrence
    ? [
      ...(kase.linkedByProblem
        ? ['Laporan ini dikaitkan karena menyebut tempat dan masalah yang sama dengan kata-kata lain (lihat Kemiripan), bukan karena teksnya sama. Karena itu laporan ini dijawab sendiri: balasan pada laporan lain tidak berlaku untuknya, dan balasan padanya tidak berlaku untuk laporan lain. Bila memang masalah yang sama, balas dengan #berulang: sejak itu satu balasan berlaku untuk semuanya.']
        : config.dedupe.shareResults
          ? [`Satu balasan #kaji, #tindakan atau #selesai pada salah satu laporan masalah ini berlaku juga untuk laporan lain yang masih ditangani ${division.name}; hasilnya dikirim ke setiap pelapor dengan nomor aduannya sendiri.`]
          : []),
      'Bila laporan ini bukan masalah yang sama dengan laporan awalnya, balas dengan #bukan-berulang: laporan ini dipisahkan dan ditangani sendiri.',
    ]
    : [];
  // a report whose citizen never said what is wrong: whoever gets it knows to ask
  const notes = [
    ...(!input.incomplete ? [] : message.attachments.length > 0
      ? ['Pesan pelapor tampaknya hanya menyebut nama atau tempat, belum masalahnya. Lihat lampirannya; bila masalahnya belum jelas, mohon hubungi pelapor untuk menanyakannya.']
      : ['Pesan pelapor tampaknya hanya menyebut nama atau tempat, belum masalahnya. Bila memang demikian, mohon hubungi pelapor untuk menanyakannya.']),
    ...repeatNotes,
  ];
  const intro = render('forwardIntro', { division: division.name }, t);
  const hint = replyHint(config);
  const text = [
    intro, '', ...facts, '', ...notes.flatMap((l) => [l, '']), 'Pelapor:', ...contactLines, '',
    ...(message.subject ? [`Perihal: ${message.subject}`, ''] : []),
    'Isi aduan:', message.text.trim() || '(tanpa teks; lihat lampiran)', '',
    ...(additions.length ? ['Tambahan keterangan dari pelapor:', ...additions.map((a) => additionLine(a, config.instance.timezone)), ''] : []),
    ...(withheld.length ? ['Lampiran tidak disertakan:', ...withheld.map((a) => `- ${a.filename} (${a.size} byte): ${a.withheld}`), ''] : []),
    '-- ', hint,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="id"><body style="font-family:sans-serif">',
    `<p>${escapeHtml(intro)}</p>`,
    `<table>${facts.map((f) => { const [k, ...v] = f.split(':'); return `<tr><th align="left">${escapeHtml(k!.trim())}</th><td>${escapeHtml(v.join(':').trim())}</td></tr>`; }).join('')}</table>`,
    ...notes.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<h3>Pelapor</h3><pre>${escapeHtml(contactLines.join('\n'))}</pre>`,
    message.subject ? `<p><b>Perihal:</b> ${escapeHtml(message.subject)}</p>` : '',
    `<h3>Isi aduan</h3><div style="white-space:pre-wrap">${escapeHtml(message.text.trim() || '(tanpa teks; lihat lampiran)')}</div>`,
    additions.length ? `<h3>Tambahan keterangan dari pelapor</h3><pre style="white-space:pre-wrap">${escapeHtml(additions.map((a) => additionLine(a, config.instance.timezone)).join('\n'))}</pre>` : '',
    withheld.length ? `<p>Lampiran tidak disertakan: ${withheld.map((a) => escapeHtml(`${a.filename} (${a.size} byte)`)).join(', ')}</p>` : '',
    `<hr><p style="color:#555;white-space:pre-wrap">${escapeHtml(hint)}</p></body></html>`,
  ].join('');
  return {
    to: inboxesOf(division),
    subject: render('forwardSubject', { caseNumber: kase.number, summary }, t),
    text,
    html,
    messageId: ourMessageId(config, kase.number, 'forward'),
    replyTo: staffReplyTo(config, kase),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Aduan-Case': kase.number, 'X-Aduan-Division': division.id },
    attachments: message.attachments.filter((a): a is typeof a & { sha256: string } => !a.withheld && a.sha256 !== undefined)
      .map((a) => ({ filename: a.filename, contentType: a.contentType, sha256: a.sha256 })),
    marksForwarded: true,
  };
}

/** What an acknowledgement tells: forwarded to a division, waiting for a person, a statement, or a complaint already recorded. */
export type AckSituation = 'forwarded' | 'triage' | 'statement' | 'duplicate';

const ACK_MAIL: Readonly<Record<AckSituation, 'ackMailText' | 'ackMailTriage' | 'ackMailStatement' | 'ackMailDuplicate'>> = {
  forwarded: 'ackMailText', triage: 'ackMailTriage', statement: 'ackMailStatement', duplicate: 'ackMailDuplicate',
};

/**
 * The e-mail acknowledgement to the citizen: a reply in their thread when they wrote by e-mail. It
 * says what happens to the message (`situation`, by default from the case's status): a statement is
 * not told it was forwarded, nor a message still waiting for a person.
 */
export function composeAckMail(input: {
  config: AduanConfig; kase: CaseRow; contact: Contact; message: InboundMessage; division: DivisionConfig; purpose?: string; situation?: AckSituation; ownReport?: boolean;
  /** The message seems to say only who and where: the citizen is asked for the problem. */
  askForProblem?: boolean;
}): MailPayload {
  const { config, kase, contact, message, division } = input;
  const t = config.templates;
  const situation = input.situation ?? (kase.status === 'triage' ? 'triage' : kase.status === 'statement' ? 'statement' : 'forwarded');
  const origId = typeof message.meta['messageId'] === 'string' ? (message.meta['messageId'] as string) : undefined;
  const noun = situation === 'forwarded' || situation === 'duplicate' ? 'Aduan' : 'Pesan';
  const subject = message.subject ? render('ackMailSubject', { subject: message.subject.replace(/^(re:\s*)+/i, '') }, t) : `${noun} Anda diterima: ${kase.number}`;
  // (the status link, when a web channel has a publicUrl: the default texts' line with it is left out otherwise)
  let text = render(ACK_MAIL[situation], { name: contact.name ?? 'Bapak/Ibu', caseNumber: kase.number, division: division.name, instance: config.instance.name, statusUrl: statusUrl(config, kase) ?? '' }, t);
  // a result is promised only to a report on its way to a division (a triage case may still turn out a statement)
  if (toldOthersReported(kase, input.ownReport) && situation === 'forwarded') text = beforeSignature(text, render('ackRecurringNote', {}, t));
  if (input.askForProblem) text = beforeSignature(text, render('ackAskProblemNote', {}, t));
  const payload: MailPayload = {
    to: [contact.email!],
    subject: subject.includes(kase.number) ? subject : `${subject} [${kase.number}]`,
    text: withheldNote(message, t, text),
    messageId: ourMessageId(config, kase.number, input.purpose ?? 'ack'),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Aduan-Case': kase.number, 'X-Auto-Response-Suppress': 'All' },
    attachments: [],
  };
  if (origId) {
    payload.inReplyTo = origId;
    payload.references = [...(message.thread?.references ?? []), origId];
  }
  return payload;
}

/**
 * The e-mail answer to a question about a case the sender has none of (intake.ts answerUnmatched): on no
 * case, so its Message-ID (`<unmatched.c<contact>.<id>@domain>`) names none and a reply to it is read as a
 * new message; in the thread of the citizen's mail; an auto-reply (no answering machine answers it).
 */
export function composeCaselessMail(input: { config: AduanConfig; contact: Contact; message: InboundMessage; id: string; caseNumber?: string }): MailPayload {
  const { config, contact, message } = input;
  const t = config.templates;
  const vars = { name: contact.name ?? 'Bapak/Ibu', instance: config.instance.name };
  const text = input.caseNumber !== undefined ? render('caseNotFoundMail', { ...vars, caseNumber: input.caseNumber }, t) : render('noCaseFoundMail', vars, t);
  const origId = typeof message.meta['messageId'] === 'string' ? (message.meta['messageId'] as string) : undefined;
  const payload: MailPayload = {
    to: [contact.email!],
    subject: message.subject ? render('ackMailSubject', { subject: message.subject.replace(/^(re:\s*)+/i, '') }, t) : 'Pertanyaan Anda tentang aduan',
    text,
    messageId: `<${input.id}@${messageIdDomain(config)}>`,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    attachments: [],
  };
  if (origId) {
    payload.inReplyTo = origId;
    payload.references = [...(message.thread?.references ?? []), origId];
  }
  return payload;
}

/** The citizen is told when attachments were not kept (e-mail: names and sizes, before the signature). */
export function withheldNote(message: Pick<InboundMessage, 'attachments'>, t: Readonly<Record<string, string>>, text: string): string {
  const withheld = message.attachments.filter((a) => a.withheld);
  if (withheld.length === 0) return text;
  return beforeSignature(text, render('withheldNotice', { files: withheld.map((a) => `${a.filename} (${Math.ceil(a.size / 1024)} KB: ${a.withheld})`).join(', ') }, t));
}

/** A paragraph added to a mail text before its signature ("Hormat kami,"), or at its end. */
function beforeSignature(text: string, paragraph: string): string {
  const cut = text.indexOf('\nHormat kami,');
  return cut < 0 ? `${text}\n\n${paragraph}` : `${text.slice(0, cut)}\n${paragraph}\n${text.slice(cut)}`;
}

/** One later report listed in a digest: its case, citizen, opening message and that message's files. */
export interface DigestReport {
  kase: CaseRow;
  contact: Contact | undefined;
  message: { channel: string; connectorId: string; receivedAt: string; subject: string | null; text: string };
  /** The report it was found to repeat at intake, and how similar the texts are (1 = the same text). */
  repeat?: RepeatRecord;
  attachments: { filename: string; contentType: string; size: number; sha256: string | null; withheld: string | null }[];
}

/** Files attached to one digest mail at most (the rest are listed as kept, not attached). */
export const DIGEST_ATTACHMENT_BYTES = 15 * 1024 * 1024;

/**
 * The digest to a division (dedupe.digestMinutes): the later reports of a problem that joined its
 * open report instead of being forwarded one mail each. Threads under the open report's forward;
 * a reply acts on `replyTo` (an open report of the problem), so one #selesai answers every citizen.
 */
export function composeDigest(input: {
  config: AduanConfig; division: DivisionConfig; holder: CaseRow; replyTo: CaseRow; reports: readonly DigestReport[]; reportCount: number; purpose: string;
}): MailPayload {
  const { config, division, holder, replyTo, reports } = input;
  const t = config.templates;
  const tz = config.instance.timezone;
  const attachments: MailPayload['attachments'] = [];
  let bytes = 0;
  const blocks = reports.map((r, i) => {
    const files = r.attachments.map((a) => {
      if (a.withheld || a.sha256 === null) return `${a.filename} (tidak tersimpan: ${a.withheld ?? 'tidak ada isi'})`;
      if (bytes + a.size > DIGEST_ATTACHMENT_BYTES) return `${a.filename} (${Math.ceil(a.size / 1024)} KB, tersimpan; tidak dilampirkan karena batas ukuran ringkasan)`;
      bytes += a.size;
      const filename = `${r.kase.number}-${a.filename}`;
      attachments.push({ filename, contentType: a.contentType, sha256: a.sha256 });
      return `${filename} (terlampir)`;
    });
    return [
      `${i + 1}. ${r.kase.number} — ${CHANNEL_LABEL[r.message.channel] ?? r.message.channel} (${r.message.connectorId}), ${formatTime(r.message.receivedAt, tz)} — ${stateLabel(r.kase.status)}`,
      ...contactLinesOf(r.contact, r.contact?.webContact).map((l) => `   ${l}`),
      ...(r.repeat ? [`   Kemiripan: ${similarityLine(r.repeat)}`] : []),
      ...(r.message.subject ? [`   Perihal  : ${r.message.subject}`] : []),
      ...(files.length ? [`   Lampiran : ${files.join('; ')}`] : []),
      '   Isi aduan:',
      ...r.message.text.slice(0, 2000).split('\n').map((l) => `   ${l}`),
      ...(r.message.text.length > 2000 ? ['   … (dipotong; teks lengkap: aduan cases show ' + r.kase.number + ')'] : []),
    ];
  });
  const intro = render('digestIntro', { caseNumber: holder.number, status: stateLabel(holder.status).toLowerCase(), count: reports.length, reportCount: input.reportCount, division: division.name }, t);
  const notes = [
    `Satu balasan #kaji, #tindakan atau #selesai pada e-mail ini berlaku untuk ${replyTo.number} dan semua laporan masalah ini yang masih ditangani ${division.name}; hasilnya dikirim ke setiap pelapor dengan nomor aduannya sendiri.`,
    'Bila salah satu laporan di atas bukan masalah yang sama, balas dengan #bukan-berulang <nomor aduan>, mis. '
      + `#bukan-berulang ${reports[0]?.kase.number ?? holder.number}: laporan itu dipisahkan dan ditangani sendiri.`,
  ];
  const hint = replyHint(config);
  const text = [`Yth. ${division.name},`, '', intro, '', ...blocks.flatMap((b) => [...b, '']), ...notes.flatMap((l) => [l, '']), '-- ', hint].join('\n');
  const html = [
    '<!doctype html><html lang="id"><body style="font-family:sans-serif">',
    `<p>Yth. ${escapeHtml(division.name)},</p><p>${escapeHtml(intro)}</p>`,
    ...blocks.map((b) => `<pre style="white-space:pre-wrap">${escapeHtml(b.join('\n'))}</pre>`),
    ...notes.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<hr><p style="color:#555;white-space:pre-wrap">${escapeHtml(hint)}</p></body></html>`,
  ].join('');
  const thread = ourMessageId(config, holder.number, 'forward');
  return {
    to: inboxesOf(division),
    subject: render('digestSubject', { caseNumber: holder.number, count: reports.length }, t),
    text,
    html,
    messageId: ourMessageId(config, holder.number, input.purpose),
    inReplyTo: thread,
    references: [thread],
    replyTo: staffReplyTo(config, replyTo),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Aduan-Case': holder.number, 'X-Aduan-Division': division.id },
    attachments,
  };
}
