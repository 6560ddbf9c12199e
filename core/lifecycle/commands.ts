/**
 * The staff command language, written on its own line at the top of a reply to a forwarded case
 * (case-insensitive). Quoted text and signatures below are ignored.
 */
import type { AduanConfig } from '../config/schema.ts';
import { divisionList, KIND_LABEL } from '../mail/compose.ts';
import { STAFF_COMMANDS, staffCommandLine } from '../templates.ts';

export type StaffCommand =
  | { kind: 'kaji'; note: string }
  | { kind: 'tindakan'; cause: string; plan: string; owner: string; due: string | null }
  | { kind: 'selesai'; result: string }
  | { kind: 'catatan'; text: string }
  | { kind: 'alihkan'; division: string }
  | { kind: 'bukan-aduan'; note: string }
  /** A report wrongly linked to another's problem (recurring): it is taken out of that report chain. */
  | { kind: 'bukan-berulang'; note: string }
  /** A report linked by problem (other words, the same place) is the same problem: from now on it shares the problem's answers. */
  | { kind: 'berulang'; note: string }
  /** Settle a triage case (or correct a label): #aduan, #pertanyaan, #spam; `#aduan komisi-a` also routes it there. */
  | { kind: 'pilah'; label: 'complaint' | 'question' | 'spam'; division?: string };

/** The command as staff type it (`#aduan` for a `pilah` to complaint). */
export function commandName(cmd: StaffCommand): string {
  return `#${cmd.kind === 'pilah' ? KIND_LABEL[cmd.label] : cmd.kind}`;
}

export type ParsedReply = { command: StaffCommand } | { error: string } | { none: true; text: string };

export const COMMAND_HELP = [
  'Perintah yang dikenali (di baris pertama balasan):',
  ...(Object.keys(STAFF_COMMANDS) as (keyof typeof STAFF_COMMANDS)[]).map((c) => staffCommandLine(c, 50)),
].join('\n');

/** COMMAND_HELP with the ids #alihkan and #aduan <id divisi> take ("komisi-a = Komisi A (Pemerintahan); …"). */
export function commandHelp(config: Pick<AduanConfig, 'divisions'>): string {
  return `${COMMAND_HELP}\nId divisi untuk #alihkan: ${divisionList(config)}`;
}

const QUOTE_START = /^(>|On .+wrote:$|Pada .+menulis:$|-----\s*Original Message|-----\s*Pesan Asli|From: |Dari: |-- ?$|_{5,})/i;

/** The reply's own text: lines before the quoted original or the signature. */
export function ownText(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (QUOTE_START.test(line.trim())) break;
    out.push(line);
  }
  return out.join('\n').trim();
}

export function parseStaffReply(text: string): ParsedReply {
  const own = ownText(text);
  const lines = own.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { none: true, text: own };
  const head = lines[first]!.trim();
  if (!head.startsWith('#')) return { none: true, text: own };
  const m = /^#([a-z-]+)\s*(.*)$/i.exec(head);
  if (!m) return { error: `Perintah tidak dikenali: ${head.slice(0, 60)}` };
  const name = m[1]!.toLowerCase();
  // The rest of the command may continue on the following lines (a longer result text).
  // ("#selesai: hasil", "#kaji - catatan": the separator is no part of it)
  const rest = [m[2]!, ...lines.slice(first + 1)].join('\n').trim().replace(/^[:\-\u2013\u2014]\s*/, '');
  switch (name) {
    case 'kaji':
      return { command: { kind: 'kaji', note: rest } };
    case 'tindakan': {
      // on its own line: the lines below (a signature, "Salam, Budi") are no part of the deadline
      const line = m[2]!.trim().replace(/^[:\-\u2013\u2014]\s*/, '');
      const parts = (line.split('|').length >= 3 ? line : rest).split('|').map((p) => p.trim());
      if (parts.length < 3 || parts.slice(0, 3).some((p) => p === '')) {
        return { error: `#tindakan perlu: ${STAFF_COMMANDS.tindakan[0].replace(/^#tindakan /, '')}` };
      }
      return { command: { kind: 'tindakan', cause: parts[0]!, plan: parts[1]!, owner: parts[2]!, due: parts[3] && parts[3] !== '' ? parts[3] : null } };
    }
    case 'selesai':
      return rest === '' ? { error: '#selesai perlu teks hasil untuk warga' } : { command: { kind: 'selesai', result: rest } };
    case 'catatan':
      return rest === '' ? { error: '#catatan perlu teks' } : { command: { kind: 'catatan', text: rest } };
    case 'alihkan':
      return rest === '' ? { error: '#alihkan perlu id divisi, mis. #alihkan komisi-c' } : { command: { kind: 'alihkan', division: rest.split(/\s+/)[0]!.toLowerCase() } };
    case 'bukan-aduan':
      return { command: { kind: 'bukan-aduan', note: rest } };
    case 'bukan-berulang':
      return { command: { kind: 'bukan-berulang', note: rest } };
    case 'berulang':
      return { command: { kind: 'berulang', note: rest } };
    case 'aduan':
    case 'pertanyaan': {
      // a division only from the command's own line: the lines below are the staff's words
      const word = m[2]!.trim().split(/\s+/)[0]!.toLowerCase();
      return { command: { kind: 'pilah', label: name === 'aduan' ? 'complaint' : 'question', ...(word ? { division: word } : {}) } };
    }
    case 'spam':
      return { command: { kind: 'pilah', label: 'spam' } };
    default:
      return { error: `Perintah tidak dikenali: #${name}` };
  }
}

export type Verdict = 'satisfied' | 'unsatisfied' | null;

/**
 * How citizens answer "Balas PUAS … atau TIDAK PUAS …": phrases that say "puas", and bare words
 * ("ya", "2", "belum") that also begin other sentences ("ya ampun …", "2 minggu …", "belum ada …").
 */
const VERDICT_WORDS: ReadonlyArray<{ verdict: Exclude<Verdict, null>; phrases: string[]; bare: string[] }> = [
  { verdict: 'unsatisfied', phrases: ['tidak puas', 'tdk puas', 'gak puas', 'ga puas', 'nggak puas', 'belum puas', 'kurang puas'], bare: ['belum', '2', 'tidak'] },
  { verdict: 'satisfied', phrases: ['puas', 'sangat puas', 'sudah puas', 'terima kasih puas'], bare: ['1', 'ya', 'iya'] },
];

/**
 * The verdict a text begins with: whether it is a bare word ("belum", "tidak", "2") rather than a phrase
 * saying "puas" (`bare`), a bare word followed by more words (`loose`), and what the citizen wrote after
 * the verdict's words (`rest`, as written: "Tidak puas. Sekarang lampu jalan mati" → "Sekarang lampu jalan mati").
 */
export function verdictParts(text: string): { verdict: Exclude<Verdict, null>; bare: boolean; loose: boolean; rest: string } | undefined {
  const own = ownText(text).replace(/\s+/g, ' ').trim();
  // (letter by letter, as long as the text: "İ" lowercases to "i" and a combining dot, which would shift
  // every cut into `own` after it, and make "TİDAK PUAS" no verdict)
  const lower = lowerInPlace(own);
  const t = lower.replace(/[.!?,]+/g, ' ').replace(/\s+/g, ' ').trim();
  // (as a word: "ya:)" and "puas!" are verdicts, "puasa" and "yakin" are not)
  const starts = (w: string): boolean => t.startsWith(w) && !/^\w/.test(t.slice(w.length));
  // the words after the verdict's, in the text as written ("tidak puas" also as "Tidak, puas" is not: starts() read it so)
  const after = (w: string): string => {
    const m = new RegExp(`^[\\s.!?,]*${w.split(' ').join('[\\s.!?,]+')}(?!\\w)`).exec(lower);
    return m ? own.slice(m[0].length).replace(/^[\s.!?,;:)\-\u2013\u2014]+/, '') : '';
  };
  for (const v of VERDICT_WORDS) {
    // (the longest phrase: "sangat puas" before "puas")
    const phrase = v.phrases.filter(starts).sort((a, b) => b.length - a.length)[0];
    if (phrase !== undefined) return { verdict: v.verdict, bare: false, loose: false, rest: after(phrase) };
    const bare = v.bare.find(starts);
    // (alone, or before a comma or full stop: "Ya, terima kasih", "Belum. Lubangnya masih ada")
    if (bare !== undefined) return { verdict: v.verdict, bare: true, loose: !new RegExp(`^${bare}\\s*(?:[.!?,;:)]|$)`).test(lower), rest: after(bare) };
  }
  return undefined;
}

/** The text lowercased, each character to one of the same length ("İ" → "i"): an offset in it is one in the text. */
function lowerInPlace(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const c of text) {
    const l = c.toLowerCase();
    out += l.length === c.length ? l : l.slice(0, c.length);
  }
  return out;
}

/** The citizen's answer to "Balas PUAS … atau TIDAK PUAS …". */
export function parseVerdict(text: string): Verdict {
  return verdictParts(text)?.verdict ?? null;
}

/**
 * A verdict that cannot be the first word of another sentence: it says "puas", or its bare word ("ya",
 * "iya", "tidak", "belum", "1", "2") stands alone or before a comma or full stop ("Ya, terima kasih",
 * "Belum. Lubangnya masih ada"). "Ya ampun, sekarang saluran di gang sebelah mampet", "tidak ada air
 * sejak kemarin", "2 minggu sampah belum diangkut" begin with such a word and are no verdict by themselves
 * (intake takes them as a new report when they name a problem the waiting case does not: own-problem.ts).
 */
export function isClearVerdict(text: string): boolean {
  const v = verdictParts(text);
  return v !== undefined && !v.loose;
}

const MONTHS: Readonly<Record<string, number>> = {
  januari: 1, jan: 1, februari: 2, feb: 2, peb: 2, maret: 3, mar: 3, april: 4, apr: 4, mei: 5, may: 5, juni: 6, jun: 6, juli: 7, jul: 7,
  agustus: 8, agu: 8, agt: 8, ags: 8, aug: 8, september: 9, sep: 9, sept: 9, oktober: 10, okt: 10, oct: 10, november: 11, nov: 11, nop: 11,
  desember: 12, des: 12, dec: 12,
};

/**
 * A corrective action's deadline as the SLA clock reads it (YYYY-MM-DD), from the ways staff write a
 * date: 2026-12-10, 10-12-2026, 10/12/2026, 10.12.2026, "10 Desember 2026", "Kamis, 10 Des 2026".
 * `understood: false` for text that is no date ("akhir bulan"): it is kept as written, and the clock
 * runs sla.actionDays from the action instead — the confirmation says so.
 */
export function dueDate(text: string | null): { due: string | null; understood: boolean } {
  const t = (text ?? '').trim();
  if (t === '' || t === '-') return { due: null, understood: true };
  const day = (y: number, m: number, d: number): string | undefined => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
      ? `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : undefined;
  };
  const words = t.toLowerCase().replace(/^[a-z]+,\s*/, '').replace(/\.$/, '');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(words);
  let found = m ? day(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  m = found ? null : /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(words);
  if (m) found = day(Number(m[3]), Number(m[2]), Number(m[1]));
  m = found ? null : /^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$/.exec(words);
  if (m && MONTHS[m[2]!] !== undefined) found = day(Number(m[3]), MONTHS[m[2]!]!, Number(m[1]));
  return found ? { due: found, understood: true } : { due: t, understood: false };
}
