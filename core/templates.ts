/**
 * Indonesian texts for citizens and staff. Every template can be overridden in the YAML
 * (`templates.<name>`); placeholders are `{name}`. SMS texts stay within 160 GSM-7 characters.
 */
import { CITIZEN_STATE_LABELS } from './lifecycle/states.ts';
/**
 * The line with the status link: left out when there is no link (no web channel `publicUrl`), see
 * render(). The link is a secret (whoever has it sees the timeline): the e-mail says so.
 */
const STATUS_LINE = 'Pantau perkembangan aduan: {statusUrl}';
const MAIL_STATUS_LINE = 'Pantau perkembangan aduan (tautan khusus untuk Anda, jangan dibagikan): {statusUrl}';

/** A citizen's e-mail: greeting, `lines`, signature. */
function citizenMail(lines: string[]): string {
  return ['Yth. {name},', '', ...lines, '', 'Hormat kami,', '{instance}', '', '-- ', 'Pesan ini dikirim otomatis.'].join('\n');
}

/** An e-mail acknowledgement: greeting, what happened (`lines`), how to follow up, signature. */
function ackMail(...lines: string[]): string {
  return citizenMail([
    ...lines,
    'Sebutkan nomor {caseNumber} bila Anda menanyakan perkembangannya atau menambahkan keterangan',
    '(cukup balas e-mail ini).',
  ]);
}

/**
 * An e-mail answer to a question about a case the sender has none of (`lines`: what was not found): where
 * to ask instead, how to report, signature. Opens no case, so it names no number of its own.
 */
function caselessMail(...lines: string[]): string {
  return citizenMail([
    ...lines,
    'Bila Anda melapor dengan alamat e-mail lain, atau lewat SMS, WhatsApp, Telegram atau formulir web, tanyakan dari alamat atau nomor yang Anda pakai saat melapor.',
    'Bila Anda hendak mengadukan suatu masalah, balas e-mail ini dengan apa masalahnya, di mana, dan sejak kapan.',
  ]);
}

/**
 * The staff commands as they are written, and what each does: the list staff get with an unknown command
 * or a reopened case (COMMAND_HELP, lifecycle/commands.ts) and the forward's footer (forwardReplyHint) are
 * made of these, so a command's format (#tindakan's four parts) is written once.
 */
export const STAFF_COMMANDS = {
  kaji: ['#kaji [catatan]', 'komisi/bagian mulai mengkaji aduan'],
  tindakan: ['#tindakan <penyebab> | <rencana> | <penanggung jawab> | <tenggat>', 'Permintaan Tindakan Perbaikan'],
  selesai: ['#selesai <hasil untuk warga>', 'hasil dikirim ke pelapor dengan pertanyaan kepuasan'],
  catatan: ['#catatan <teks>', 'catatan internal'],
  alihkan: ['#alihkan <id divisi>', 'teruskan ke komisi/bagian lain (kasus yang belum dipilah: hanya ganti tujuan)'],
  'bukan-aduan': ['#bukan-aduan [catatan]', 'bukan aduan, dicatat sebagai pernyataan'],
  'bukan-berulang': ['#bukan-berulang [nomor aduan] [catatan]', 'laporan ini (atau laporan bernomor itu dari ringkasan) bukan masalah yang sama: dipisahkan, ditangani sendiri'],
  berulang: ['#berulang [catatan]', 'laporan yang dikaitkan karena tempat dan masalah yang sama memang masalah yang sama: jawaban bersama berlaku untuknya'],
  pilah: ['#aduan / #pertanyaan / #spam', 'pemilahan: aduan atau pertanyaan diteruskan, spam dicatat tanpa balasan'],
  pilahKe: ['#aduan <id divisi> / #pertanyaan <id divisi>', 'dipilah dan diteruskan ke komisi/bagian itu'],
} as const satisfies Record<string, readonly [string, string]>;

/** "#kaji [catatan] — komisi/bagian mulai mengkaji aduan"; with `column`, the dash at that column (or two spaces after a longer command). */
export function staffCommandLine(name: keyof typeof STAFF_COMMANDS, column?: number): string {
  const [syntax, what] = STAFF_COMMANDS[name];
  const gap = column === undefined ? ' ' : syntax.length + 2 <= column ? ' '.repeat(column - syntax.length) : '  ';
  return `${syntax}${gap}— ${what}`;
}

export const DEFAULT_TEMPLATES = {
  /**
   * SMS / Telegram acknowledgement. Every SMS text here fits one SMS (160 GSM-7 characters, no
   * character outside GSM-7) with the longest case number instance.casePrefix allows
   * (ABCDEFGH-2026-000123): test/unit/sms-texts.test.ts. The SMS/Telegram
   * acknowledgements may use {statusUrl} on a line of its own (left out when there is no link); the
   * defaults do not: a link makes an SMS long and looks like phishing. Telegram gets ackLinkShort instead.
   */
  ackShort:
    'Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: {caseNumber}. Simpan nomor ini untuk menanyakan perkembangannya.',
  /** SMS / Telegram acknowledgement of a recurring report (another citizen reported the same problem); ≤ 160 GSM-7 chars. */
  ackRecurringShort:
    'Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: {caseNumber}. Warga lain juga melaporkannya; hasilnya kami kirim kepada Anda.',
  /** SMS / Telegram acknowledgement of a report that seems to say only who and where (its forward may wait for the rest); ≤ 160 GSM-7 chars. */
  ackHeldShort:
    'Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: {caseNumber}. Bila belum, kirim juga apa masalahnya, di mana, dan sejak kapan.',
  /** Added on its own line to a Telegram acknowledgement when there is a status link (not to SMS); '' sends none. */
  ackLinkShort: STATUS_LINE,
  /** Repeat of an already recorded complaint. */
  ackDuplicateShort: 'Aduan ini sudah tercatat dengan nomor aduan {caseNumber} dan sedang kami tindak lanjuti. Anda tidak perlu mengirimnya lagi. Terima kasih.',
  /** Statement (not a complaint): thanked, not forwarded. */
  ackStatementShort: 'Terima kasih, pesan Anda sudah dicatat Sekretariat DPRD Kota Yogyakarta dengan nomor {caseNumber}.',
  /** A citizen's message on their own case (not PUAS / TIDAK PUAS): recorded, and answered with where the case stands; ≤ 160 GSM-7 chars. */
  replyNotedShort: 'Pesan Anda kami catat pada aduan {caseNumber}. Status: {state} (sejak {date}).',
  /**
   * A message that says nothing yet ("P", "Assalamualaikum pak", "mau lapor"): recorded as a statement, the citizen is asked for the complaint.
   * Without its number: the complaint that follows gets a number of its own, and two numbers confused citizens (may use {caseNumber}).
   */
  ackOpenerShort: 'Terima kasih telah menghubungi Sekretariat DPRD Kota Yogyakarta. Silakan kirim aduan Anda dalam satu pesan: apa masalahnya, di mana, dan sejak kapan.',
  /** Appended when attachments were not kept (too large, type not allowed). */
  withheldNotice: 'Lampiran tidak dapat kami simpan: {files}. Bila lampiran itu penting, kirim ulang sebagai foto, PDF atau teks biasa dalam ukuran lebih kecil.',
  /**
   * Added to an SMS / Telegram acknowledgement when attachments were not kept. On SMS only when the
   * acknowledgement still fits one SMS with it (status-link.ts shortAckText).
   */
  withheldShort: 'Lampiran Anda tidak dapat kami simpan (terlalu besar atau jenisnya tidak didukung).',
  ackMailSubject: 'Re: {subject}',
  ackMailText: ackMail(
    'Terima kasih. Aduan Anda telah kami terima dan dicatat dengan nomor {caseNumber}.',
    'Aduan ini diteruskan kepada {division} untuk ditindaklanjuti sesuai SOP Penanganan Keluhan Masyarakat.',
    MAIL_STATUS_LINE,
  ),
  /** E-mail acknowledgement of a message waiting for a person to sort it (triage). */
  ackMailTriage: ackMail(
    'Terima kasih. Pesan Anda telah kami terima dan dicatat dengan nomor {caseNumber}.',
    'Petugas kami memeriksanya lebih dulu; bila berisi aduan, pesan ini diteruskan kepada komisi/bagian yang berwenang sesuai SOP Penanganan Keluhan Masyarakat.',
    MAIL_STATUS_LINE,
  ),
  /** E-mail acknowledgement of a statement (thanks, opinion, suggestion): recorded, not forwarded. */
  ackMailStatement: ackMail(
    'Terima kasih. Pesan Anda telah kami terima dan dicatat dengan nomor {caseNumber} sebagai masukan.',
    'Pesan ini tidak kami teruskan sebagai aduan. Bila Anda hendak mengadukan suatu masalah, kirimkan pesan baru yang menjelaskan masalahnya.',
  ),
  /** E-mail acknowledgement of the same complaint sent again by the same citizen. */
  ackMailDuplicate: ackMail(
    'Terima kasih. Aduan ini sudah tercatat sebelumnya dengan nomor {caseNumber}; pesan Anda kami tambahkan ke aduan tersebut.',
    'Aduan ini sedang ditangani {division}; Anda tidak perlu mengirimnya lagi.',
    MAIL_STATUS_LINE,
  ),
  /**
   * E-mail answer to a mail that only asks about a case number the sender has none of (none such, a typo,
   * another person's): the same either way, nothing about the case; no case is opened (intake.ts answerUnmatched).
   */
  caseNotFoundMail: caselessMail(
    'Terima kasih atas pesan Anda. Aduan dengan nomor {caseNumber} tidak kami temukan untuk alamat e-mail ini.',
  ),
  /** E-mail answer to "bagaimana laporan saya?" from an address with no case being handled (intake.ts answerUnmatched). */
  noCaseFoundMail: caselessMail(
    'Terima kasih atas pesan Anda. Tidak ada aduan yang sedang diproses untuk alamat e-mail ini.',
  ),
  /** Added to the e-mail acknowledgement of a report that seems to say only who and where (SMS / Telegram: ackHeldShort). */
  ackAskProblemNote: 'Pesan Anda tampaknya belum menyebut masalahnya. Bila demikian, balas e-mail ini dengan apa masalahnya, di mana, dan sejak kapan.',
  /** Added to the acknowledgement of a recurring report (another citizen reported the same problem). */
  ackRecurringNote: 'Masalah yang sama juga telah dilaporkan warga lain; hasil tindak lanjutnya akan kami kirimkan juga kepada Anda.',
  forwardSubject: '[{caseNumber}] {summary}',
  forwardIntro: 'Aduan masyarakat baru untuk {division}. Mohon ditindaklanjuti sesuai SOP Penanganan Keluhan Masyarakat.',
  /** The digest of later reports that joined an open report of the same problem (dedupe.digestMinutes). */
  digestSubject: '[{caseNumber}] Laporan tambahan: {count} pelapor lain, masalah yang sama',
  digestIntro:
    'Masalah dalam aduan {caseNumber} (status: {status}) dilaporkan lagi oleh {count} pelapor lain. Laporan-laporan ini sudah digabung dengan aduan itu dan tidak dikirim sebagai e-mail tersendiri. Masalah ini kini dilaporkan {reportCount} kali.',
  /**
   * The footer of the forward and the digest, and of the division's SLA reminders: how to answer.
   * {divisions}: the ids #alihkan takes, with the divisions' names ("komisi-a = Komisi A (Pemerintahan); …").
   */
  forwardReplyHint: [
    'Balas e-mail ini untuk mencatat tindak lanjut; tulis perintahnya di baris pertama balasan:',
    ...(['kaji', 'tindakan', 'selesai', 'catatan', 'alihkan', 'bukan-aduan'] as const).map((c) => staffCommandLine(c)),
    '#spam — spam, dicatat tanpa balasan',
    'Contoh: #tindakan saluran tersumbat sampah | pengerukan saluran | UPT Drainase | 10 Desember 2026',
    'Id divisi untuk #alihkan: {divisions}',
  ].join('\n'),
} as const;

export type TemplateName = keyof typeof DEFAULT_TEMPLATES;

/**
 * Texts for citizens built in code (not overridable), sent on the case's channel: each fits one SMS
 * with the longest case number and a realistic division name (test/unit/sms-texts.test.ts).
 */
export const CITIZEN_TEXTS = {
  /** The citizen answered PUAS: the case is closed. */
  closedSatisfied: (caseNumber: string): string => `Terima kasih atas tanggapan Anda. Aduan ${caseNumber} kami nyatakan selesai.`,
  /** The result had no answer for sla.closeUnansweredAfterDays: closed; a TIDAK PUAS naming the number still reopens it (replies.ts lateUnsatisfied). */
  closedNoAnswer: (caseNumber: string): string =>
    `Aduan ${caseNumber} kami tutup karena tidak ada tanggapan. Bila masalahnya belum selesai, balas: TIDAK PUAS ${caseNumber}`,
  /**
   * The citizen answered "Belum, …" naming another problem while the case waits for the verdict: that
   * problem is a new case (its own acknowledgement gives the number), this one still waits (intake.ts settleAnswered).
   */
  stillAwaiting: (caseNumber: string): string =>
    `Aduan ${caseNumber} tetap menunggu jawaban Anda atas hasilnya: balas PUAS ${caseNumber} atau TIDAK PUAS ${caseNumber}.`,
  /** The citizen answered TIDAK PUAS: the case is reopened at its division. */
  reopened: (caseNumber: string, division: string): string =>
    `Aduan ${caseNumber} dibuka kembali dan dikaji ulang oleh ${division}. Terima kasih atas tanggapan Anda.`,
  /**
   * A TIDAK PUAS more than sla.closeUnansweredAfterDays after the citizen's PUAS: recorded, the division told;
   * the case stays closed (replies.ts takeLateUnsatisfied).
   */
  lateUnsatisfiedNoted: (caseNumber: string, division: string): string =>
    `Tanggapan Anda atas aduan ${caseNumber} kami teruskan ke ${division}. Bila masalahnya muncul lagi, kirim sebagai aduan baru.`,
  /**
   * A question naming a case number that is not the sender's (none such, a typo, another person's): the
   * same answer either way, nothing about the case (intake.ts answerUnmatched). `via`: "nomor", or "akun" on Telegram.
   */
  caseNotFound: (caseNumber: string, via: string): string =>
    `Nomor ${caseNumber} tidak ditemukan untuk ${via} Anda. Tanyakan dari ${via} yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.`,
  /** "gimana laporan saya?" from a sender with no case being handled (intake.ts answerUnmatched). */
  noCaseFound: (via: string): string =>
    `Tidak ada aduan yang sedang diproses untuk ${via} Anda. Tanyakan dari ${via} yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.`,
  /** A message first recorded as a statement that a person sends on after all, as `kind` ("aduan", "pertanyaan"). */
  reclassified: (caseNumber: string, kind: string, division: string): string =>
    `Pesan Anda dengan nomor ${caseNumber} kami teruskan ke ${division} untuk ditindaklanjuti sebagai ${kind}. Terima kasih.`,
} as const;

/** Whether a text goes as one SMS: 160 GSM-7 septets, or 70 UTF-16 units (an emoji takes two) when it needs UCS-2. */
export function fitsOneSms(text: string): boolean {
  return smsParts(text) === 1;
}

/**
 * How many SMS a text takes: one up to 160 GSM-7 septets (70 UTF-16 units when it needs UCS-2), else
 * parts of 153 (67), each paid as one SMS.
 */
export function smsParts(text: string): number {
  const septets = gsm7Length(text);
  if (septets === null) return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

/** The characters of a text outside GSM-7 (each alone makes the whole SMS UCS-2: 70 characters, not 160), once each. */
export function nonGsm7Characters(text: string): string[] {
  return [...new Set([...text].filter((ch) => gsm7Length(ch) === null))];
}

/** The texts a citizen may get by SMS, from templates (ackLinkShort is Telegram's only; withheldShort goes only appended, when it fits). */
export const SMS_TEMPLATES = ['ackShort', 'ackRecurringShort', 'ackHeldShort', 'ackDuplicateShort', 'ackStatementShort', 'ackOpenerShort', 'replyNotedShort'] as const satisfies readonly TemplateName[];
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

/** The longest date replyNotedShort may carry ("28 Agu 2026"), as replies.ts writes it. */
export function longestSmsDate(year: number): string {
  return Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium' }).format(new Date(Date.UTC(year, m, 28))))
    .reduce((a, b) => (b.length > a.length ? b : a));
}

/** The longest case state a citizen reads (replyNotedShort's {state}). */
export const LONGEST_STATE_LABEL = Object.values(CITIZEN_STATE_LABELS).reduce((a, b) => (b.length > a.length ? b : a));

/**
 * The values an SMS template is rendered with at their longest, for a case number (the longest one the
 * casePrefix gives) and a status link (or '' when the instance makes none): what the check of a text's
 * length uses (test/unit/sms-texts.test.ts, and the config's warnings about overrides).
 */
export function worstCaseSmsVars(caseNumber: string, statusUrl = ''): Record<string, string> {
  const year = Number(/-(\d{4})-/.exec(caseNumber)?.[1] ?? new Date().getUTCFullYear());
  return { caseNumber, statusUrl, state: LONGEST_STATE_LABEL, date: longestSmsDate(year) };
}

/**
 * The placeholders each template is given where it is rendered: an override (`templates.<name>`)
 * may use these and no others — a misspelt `{caseNumbr}` would reach every citizen as written.
 */
const ACK_SHORT_VARS = ['caseNumber', 'statusUrl'] as const;
const ACK_MAIL_VARS = ['name', 'caseNumber', 'division', 'instance', 'statusUrl'] as const;
export const TEMPLATE_VARS: Readonly<Record<TemplateName, readonly string[]>> = {
  ackShort: ACK_SHORT_VARS, ackRecurringShort: ACK_SHORT_VARS, ackHeldShort: ACK_SHORT_VARS, ackDuplicateShort: ACK_SHORT_VARS,
  ackStatementShort: ACK_SHORT_VARS, ackOpenerShort: ACK_SHORT_VARS, ackLinkShort: ['statusUrl'],
  replyNotedShort: ['caseNumber', 'state', 'date'],
  withheldNotice: ['files'], withheldShort: [],
  ackMailSubject: ['subject'],
  ackMailText: ACK_MAIL_VARS, ackMailTriage: ACK_MAIL_VARS, ackMailStatement: ACK_MAIL_VARS, ackMailDuplicate: ACK_MAIL_VARS,
  caseNotFoundMail: ['name', 'caseNumber', 'instance'], noCaseFoundMail: ['name', 'instance'],
  ackAskProblemNote: [], ackRecurringNote: [],
  forwardSubject: ['caseNumber', 'summary'], forwardIntro: ['division'],
  digestSubject: ['caseNumber', 'count'], digestIntro: ['caseNumber', 'status', 'count', 'reportCount', 'division'],
  forwardReplyHint: ['divisions'],
};

/** Placeholders in a template text that `name` is never given (they would be sent as written). */
export function unknownPlaceholders(name: TemplateName, text: string): string[] {
  const allowed = TEMPLATE_VARS[name];
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].filter((k) => !allowed.includes(k));
}

/**
 * Placeholders that may have no value (the status link, without a web channel `publicUrl`): the line
 * holding one is then left out, words and all ("Pantau perkembangan aduan: {statusUrl}").
 */
const LINE_PLACEHOLDERS = ['statusUrl'] as const;

/**
 * What is wrong with where a text puts {statusUrl}, or undefined. Its line is left out when there is
 * no link: with another placeholder on it (the case number) that would go too, and as the text's only
 * line the citizen would get an empty message. (Not for ackLinkShort: it is sent only with a link.)
 */
export function statusUrlLineProblem(name: TemplateName, text: string): string | undefined {
  if (name === 'ackLinkShort' || !text.includes('{statusUrl}')) return undefined;
  const lines = text.split('\n');
  const own = lines.filter((l) => l.includes('{statusUrl}'));
  if (own.some((l) => [...l.matchAll(/\{(\w+)\}/g)].some((m) => m[1] !== 'statusUrl'))) {
    return 'put {statusUrl} on a line of its own, without other placeholders: that line is left out when there is no status link (no web channel publicUrl)';
  }
  if (lines.every((l) => l.includes('{statusUrl}') || l.trim() === '')) {
    return 'write more than the {statusUrl} line: that line is left out when there is no status link (no web channel publicUrl), and the message would be empty';
  }
  return undefined;
}

/**
 * What a text says on its {statusUrl} lines besides the link ("Terima kasih. Pantau:" of "Terima kasih.
 * Pantau: {statusUrl}"), one entry a line: never sent when there is no link, as the whole line is left out.
 * (Not for ackLinkShort: it is sent only with a link, as documented.)
 */
export function wordsOnStatusUrlLines(name: TemplateName, text: string): string[] {
  if (name === 'ackLinkShort') return [];
  return text.split('\n').filter((l) => l.includes('{statusUrl}')).map((l) => l.replaceAll('{statusUrl}', ' ').replace(/\s+/g, ' ').trim()).filter((w) => w !== '');
}

/** "a", "a and b", "a, b and c". */
const listed = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);

/**
 * What an override of an SMS text costs more than it should, or undefined: with `vars` at their longest
 * (worstCaseSmsVars) it takes more than one SMS as the gateways send it (smsText: typographic quotes,
 * dashes and "…" as plain GSM-7 — Gammu, the Android SMS gateway and Twilio alike) — too long, or a
 * character no gateway can write in GSM-7 (an emoji, another script) making it UCS-2, 70 characters an SMS instead of 160.
 * `channels`: the enabled channels that send it by SMS, named in the text (core/config/load.ts: smsSenders).
 */
export function smsOverrideCost(name: SmsTemplate, text: string, vars: Readonly<Record<string, string>>, channels: readonly string[]): string | undefined {
  const sent = smsText(render(name, vars, { [name]: text }));
  const parts = smsParts(sent);
  if (parts === 1) return undefined;
  const septets = gsm7Length(sent);
  const chars = nonGsm7Characters(sent);
  const shown = (ch: string): string => `${/[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `${ch} ` : ''}(U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  return [
    `templates.${name}: takes ${parts} SMS for each citizen, not 1, on ${channels.length === 1 ? 'channel' : 'channels'} ${listed(channels)}, with the longest case number of this instance (${vars['caseNumber']})${name === 'replyNotedShort' ? ' and the longest status and date' : ''}${vars['statusUrl'] ? ' and the status link' : ''}`,
    septets === null
      ? `: ${sent.length} characters, and ${chars.map(shown).join(', ')} ${chars.length === 1 ? 'is' : 'are'} not in GSM-7, so the whole SMS is UCS-2 (70 characters, 67 a part, instead of 160)`
      : `: ${septets} GSM-7 characters (160 fit one SMS, 153 a part)`,
    '. A longer SMS still arrives, but each costs more: write it within 160 GSM-7 characters with that case number (typographic quotes, dashes and "…" are sent as plain \' " - ..., emoji and other scripts are not)',
  ].join('');
}

export function render(
  name: TemplateName,
  vars: Readonly<Record<string, string | number>>,
  overrides: Readonly<Record<string, string>> = {},
): string {
  let template: string = overrides[name] ?? DEFAULT_TEMPLATES[name];
  for (const key of LINE_PLACEHOLDERS) {
    if ((vars[key] ?? '') === '' && template.includes(`{${key}}`)) template = template.split('\n').filter((l) => !l.includes(`{${key}}`)).join('\n');
  }
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€';

/** Length in GSM-7 septets, or null when the text needs UCS-2. */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (const ch of text) {
    if (GSM7.includes(ch)) n += 1;
    else if (GSM7_EXT.includes(ch)) n += 2;
    else return null;
  }
  return n;
}

/** Typographic characters staff paste from Outlook or Gmail, as the GSM-7 a cheap phone shows. */
const TYPOGRAPHIC: ReadonlyArray<[RegExp, string]> = [
  [/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"'], [/[\u2018\u2019\u201a\u2032`\u00b4]/g, "'"], [/[\u2010-\u2015\u2212]/g, '-'],
  [/\u2026/g, '...'], [/[\t\u00a0\u2002-\u200a\u202f\u205f\u3000]/g, ' '], [/[\u2022\u00b7]/g, '-'],
  // (invisible: zero-width characters, the soft hyphens Word and Outlook put into long words)
  [/[\u200b-\u200d\u2060\ufeff\u00ad]/g, ''],
];

/**
 * Curly quotes, dashes, "…", odd spaces and the like as the GSM-7 a cheap phone shows; nothing cut.
 * smsText's first step; alone for Twilio SMS, which splits a long reply into messages of its own
 * (connectors/twilio: twilioBodies).
 */
export function gsm7Typography(text: string): string {
  let t = text;
  for (const [re, to] of TYPOGRAPHIC) t = t.replace(re, to);
  return t;
}

/** Parts a reply by SMS may take: Gammu stops at 50, and a handset shows ten parts as one long message. */
export const SMS_MAX_PARTS = 10;

/**
 * A reply as an SMS: curly quotes, dashes, "…" and the like written as GSM-7 (a gateway sending 7-bit
 * turned them into "?", and each one alone made the whole text UCS-2: 70 characters a part instead of
 * 160); at most SMS_MAX_PARTS parts — a longer text keeps its beginning and its last line (the PUAS /
 * TIDAK PUAS question) and says it was cut.
 */
export function smsText(text: string): string {
  const t = gsm7Typography(text);
  // (GSM-7 is counted in septets: € [ ] { } ~ ^ \ | take two each)
  const gsm = gsm7Length(t) !== null;
  const size = (s: string): number => (gsm ? (gsm7Length(s) as number) : s.length);
  const max = SMS_MAX_PARTS * (gsm ? 153 : 67);
  if (size(t) <= max) return t;
  const cut = t.lastIndexOf('\n');
  const tail = cut > 0 && t.length - cut <= 300 ? t.slice(cut) : '';
  const note = ' ... (terpotong; selengkapnya di halaman status aduan)';
  const room = max - size(tail) - size(note) - 6;
  let head = '';
  let used = 0;
  // (by code points: an emoji is never cut in half)
  for (const ch of t) {
    const w = size(ch);
    if (used + w > room) break;
    head += ch;
    used += w;
  }
  const space = head.lastIndexOf(' ');
  if (space > head.length / 2) head = head.slice(0, space);
  return `${head.trimEnd()}${note}${tail}`;
}

/**
 * A reply longer than a channel takes in one message (Telegram 4096, Twilio 1600 characters), as
 * several, in order: cut at a paragraph break in the second half of each part, else a line break, else
 * a space, else anywhere but inside a surrogate pair (an emoji stays whole). A text that fits is one
 * part, unchanged; every word is kept, and the end (the PUAS / TIDAK PUAS question) with it.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep, max - sep.length);
      if (at >= max / 2) {
        cut = at;
        break;
      }
    }
    if (cut < 0) {
      // no break in the second half: any break at all, else a hard cut between code points
      cut = Math.max(window.lastIndexOf('\n', max - 1), window.lastIndexOf(' ', max - 1));
      if (cut <= 0) cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
