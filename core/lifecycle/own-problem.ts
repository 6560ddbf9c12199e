/**
 * The verdict check's own knowledge of what a citizen reports, beside the classifier's problem lexicon
 * (understanding/lexicon.ts, which feeds the model's features and changes only with a retrain).
 *
 * While a case waits for PUAS / TIDAK PUAS, "tidak ada air sejak kemarin", "ga ada listrik di gang",
 * "tidak bisa urus KTP" begin like a TIDAK PUAS but name none of the lexicon's problem words: what
 * they lack is a public service (water, electricity, an identity card). Such a text names a problem of
 * its own when the public service it says is missing or not working is none the waiting case speaks
 * of; "tidak ada air" on a case about the water is that case's TIDAK PUAS.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { DivisionConfig } from '../config/schema.ts';
import { caseEvents, messages } from '../db/schema.ts';
import { FUNCTION } from '../understanding/lexicon.ts';
import { tokenize } from '../understanding/normalize.ts';
import { isPlaceWord, namesProblem, placesDiffer, problemSignature } from '../understanding/problem.ts';
import { isIdentifierKeyword, Router, type KeywordHit } from '../understanding/routing.ts';
import { withoutCaseNumbers } from '../case-number.ts';
import type { CaseRow } from '../repo/cases.repo.ts';
import type { Tx } from '../repo/contacts.repo.ts';
import { verdictParts, type Verdict } from './commands.ts';

/** Public services and the things citizens lack of them (after normalize.ts), each → the service it belongs to. */
const SERVICE: ReadonlyMap<string, string> = new Map(Object.entries({
  // water
  air: 'air', pdam: 'air', sumur: 'air', ledeng: 'air', banyu: 'air', toya: 'air',
  // electricity and lighting (a street light and "the power" are often one complaint)
  listrik: 'listrik', pln: 'listrik', token: 'listrik', lampu: 'listrik', pju: 'listrik', penerangan: 'listrik', setrum: 'listrik',
  // waste
  sampah: 'sampah', tps: 'sampah', kebersihan: 'sampah',
  // drainage
  selokan: 'selokan', saluran: 'selokan', drainase: 'selokan', gorong: 'selokan', parit: 'selokan',
  // traffic signs (the road itself is in nearly every address, and "tidak jalan" says something is not
  // running: a road's problems are the lexicon's words, "rusak", "berlubang")
  rambu: 'rambu', marka: 'rambu', apill: 'rambu',
  // population registry (not "kk": also "kakak" in chat)
  ktp: 'adminduk', ektp: 'adminduk', akta: 'adminduk', akte: 'adminduk', nik: 'adminduk', kia: 'adminduk', dukcapil: 'adminduk',
  // health
  bpjs: 'kesehatan', kis: 'kesehatan', puskesmas: 'kesehatan', dokter: 'kesehatan', obat: 'kesehatan', ambulans: 'kesehatan', ambulan: 'kesehatan', berobat: 'kesehatan', bidan: 'kesehatan',
  // schools
  sekolah: 'sekolah', ppdb: 'sekolah', zonasi: 'sekolah', guru: 'sekolah', seragam: 'sekolah', kip: 'sekolah', beasiswa: 'sekolah',
  // social aid
  bansos: 'bansos', blt: 'bansos', pkh: 'bansos', sembako: 'bansos', beras: 'bansos',
  // cooking gas, fuel, signal, transport, parking
  gas: 'gas', elpiji: 'gas', lpg: 'gas', bbm: 'bbm', solar: 'bbm', pertalite: 'bbm',
  sinyal: 'sinyal', internet: 'sinyal', wifi: 'sinyal',
  angkot: 'angkutan', bus: 'angkutan', bis: 'angkutan', transjogja: 'angkutan', halte: 'angkutan',
  parkir: 'parkir',
  // registering for a service at all ("tidak bisa daftar")
  daftar: 'daftar', mendaftar: 'daftar', didaftarkan: 'daftar', mendaftarkan: 'daftar', pendaftaran: 'daftar',
}));

/**
 * Words saying something is not there or does not work (after normalize.ts: ga, gak, tdk → tidak; blm →
 * belum), and the few states a service is reported in ("listrik mati", "mati lampu", "sumur kering",
 * "gas langka", "pipa PDAM bocor").
 */
const NOT = new Set(`
  tidak belum ora mboten boten dereng durung urung gada gaada
  mati padam kering keruh habis langka putus hilang bocor mampet
`.split(/\s+/).filter(Boolean));

/**
 * Words that do not count towards the distance between a "not" and its thing: "tidak **ada** air",
 * "belum **ada** petugas **yang** ambil sampah", "tidak **bisa** urus KTP", "ora **ana** banyu".
 */
const LINKING = new Set([...FUNCTION, ...'ada ana ono onten wonten bisa isa iso saged dapat boleh pernah lagi juga sama sekali pak bu bapak ibu mas mbak kok sih'.split(' ')]);

/** Words that end the part of a sentence a "not" speaks of ("tidak bisa lewat **karena** air menggenang"). */
const CLAUSE_END = new Set('karena sebab soalnya tapi tetapi namun padahal sehingga kalau sedangkan lalu'.split(' '));

/** A thing as far as this many counted words after a "not" ("belum ada petugas kebersihan"), or before it ("air PDAM di rumah saya tidak mengalir"). */
const AFTER = 2;
const BEFORE = 3;

/** Water that is no service: rain, a gutter's, a river's ("belum pak air hujan menggenang di lubangnya"). */
const NOT_THE_SERVICE = new Set('hujan mata selokan comberan limbah banjir sungai kali laut'.split(' '));

/** Words before "air" that make it a drain's water ("saluran air", "selokan airnya"): the drain is the thing, named by its own word. */
const DRAIN = new Set('saluran selokan got parit gorong drainase'.split(' '));

/** A public service of SERVICE, also with a suffix ("airnya", "lampune", "ktpku"); `next` and `prev` are the words after and before it. */
function serviceOf(token: string, next?: string, prev?: string): string | undefined {
  const s = SERVICE.get(token) ?? SERVICE.get(token.replace(/(?:nya|ne|ku|mu|e)$/, ''));
  if (s !== 'air') return s;
  return (next !== undefined && NOT_THE_SERVICE.has(next)) || (prev !== undefined && DRAIN.has(prev)) ? undefined : s;
}

/** Every public service the text names (the waiting case's own words, read the same way). */
export function servicesNamed(text: string): Set<string> {
  const out = new Set<string>();
  const tokens = tokenize(text);
  tokens.forEach((t, i) => {
    const s = serviceOf(t, tokens[i + 1], tokens[i - 1]);
    if (s !== undefined) out.add(s);
  });
  return out;
}

/** The parts of a sentence a "not" speaks of: a comma, full stop or dash ends one. */
const clauses = (text: string): string[] => text.split(/[.,;:!?\n]+|\s[-\u2013\u2014]\s/);

/**
 * The public services the text says are missing or do not work: a thing of SERVICE near a "not" in
 * the same part of a sentence — "tidak ada air", "ga ada listrik di gang", "tidak bisa urus KTP",
 * "belum ada petugas kebersihan", "air PDAM tidak mengalir", "KTP saya belum jadi", "listrik di gang mati".
 */
export function servicesLacking(text: string): Set<string> {
  const out = new Set<string>();
  // (a comma or full stop ends what a "not" speaks of: "Belum, air hujan menggenang di lubangnya")
  for (const clause of clauses(text)) {
    const tokens = tokenize(clause);
    tokens.forEach((t, i) => {
      if (!NOT.has(t)) return;
      const near = (step: 1 | -1, max: number): void => {
        let counted = 0;
        for (let k = i + step; k >= 0 && k < tokens.length && counted < max; k += step) {
          const w = tokens[k]!;
          if (CLAUSE_END.has(w) || NOT.has(w)) return;
          const s = serviceOf(w, tokens[k + 1], tokens[k - 1]);
          if (s !== undefined) { out.add(s); return; }
          if (!LINKING.has(w)) counted++;
        }
      };
      near(1, AFTER);
      near(-1, BEFORE);
    });
  }
  return out;
}

/**
 * A message, on a case waiting for the citizen's verdict, that says a public service is missing or
 * not working which the case's own words (`caseText`) do not speak of: a new report ("tidak ada air
 * sejak kemarin" on a road case), not that case's TIDAK PUAS ("tidak ada air" on a water case is).
 */
export function lacksAnotherService(text: string, caseText: string): boolean {
  const lacking = servicesLacking(text);
  if (lacking.size === 0) return false;
  const theirs = servicesNamed(caseText);
  return [...lacking].some((s) => !theirs.has(s));
}

/** What a case's first words are: its subject (e-mail, web form) and its first message. */
export const caseWords = (kase: Pick<CaseRow, 'subject' | 'summary'>): string => (kase.subject ? `${kase.subject} ${kase.summary}` : kase.summary);

/** What a case waiting for the verdict (or closed) is about, as a citizen's message on it is read against. */
export interface CaseAbout {
  /** Its own words: caseWords, the division's results, the citizen's later messages on it (caseAbout). */
  text: string;
  /**
   * The divisions it belongs to (the one it is at, and those whose keywords its words name), and all
   * divisions' keywords: a message whose subject is another division's keyword is another problem (namesAnotherSubject).
   */
  divisionIds?: ReadonlySet<string>;
  divisions?: readonly DivisionConfig[];
}

/** At most this many results and later messages of a case are read, each at most this long. */
const LATER_MAX = 10;
const LATER_CHARS = 1000;

/**
 * What `kase` is about: its subject and first message, the results its division sent (`#selesai`),
 * the messages its citizen wrote on it since (a follow-up "lampu jalan di depan rumah juga mati pak"
 * speaks of the case as much as its first message) — but not `except`, the message being read, when
 * it is recorded on the case already — and its division with those its words' keywords name.
 */
export function caseAbout(tx: Tx, kase: CaseRow, divisions: readonly DivisionConfig[], except?: { connectorId: string; externalId: string }): CaseAbout {
  const results = tx.select({ text: caseEvents.text }).from(caseEvents).where(and(eq(caseEvents.caseId, kase.id), eq(caseEvents.type, 'result_sent')))
    .orderBy(desc(caseEvents.id)).limit(LATER_MAX).all();
  const later = kase.contactId === null ? [] : tx.select({ text: messages.text, connectorId: messages.connectorId, externalId: messages.externalId }).from(messages)
    .where(and(eq(messages.caseId, kase.id), eq(messages.contactId, kase.contactId), eq(messages.relation, 'reply')))
    .orderBy(desc(messages.id)).limit(LATER_MAX + 1).all()
    .filter((m) => !(except && m.connectorId === except.connectorId && m.externalId === except.externalId)).slice(0, LATER_MAX);
  const text = [caseWords(kase), ...results.map((r) => r.text ?? ''), ...later.map((m) => m.text)].map((t) => t.slice(0, LATER_CHARS)).join('\n');
  const divisionIds = new Set([kase.divisionId, ...keywordRouter(divisions).keywordHits(tokenize(text)).map((h) => h.divisionId)]);
  return { text, divisionIds, divisions };
}

/** A keyword-only router per divisions list (the config's, frozen): the verdict check needs no topic model. */
const routers = new WeakMap<readonly DivisionConfig[], Router>();
function keywordRouter(divisions: readonly DivisionConfig[]): Router {
  let r = routers.get(divisions);
  if (!r) { r = new Router(divisions, { topicModel: null }); routers.set(divisions, r); }
  return r;
}

/**
 * Who works on or hears of a report, and the council's own business: a keyword of these words (and
 * place words) only — "pak lurah", "ketua rt", "pegawai kelurahan", "anggota dewan", "apbd" — says who
 * is at it or how ("Belum, kata pak lurah belum ada dana"), not what is wrong.
 */
const WHO_AND_HOW = new Set(`
  lurah camat rt rw ketua pengurus pegawai staf perangkat petugas mantri pamong praja tetangga
  anggota dewan dprd reses aspirasi audiensi sidang paripurna apbd anggaran dana
`.split(/\s+/).filter(Boolean));

/**
 * A keyword that names what a message is about: not a place only ("jembatan", "sd negeri",
 * problem.ts isPlaceWord), not a lone document word ("kk" is also "kakak"), not who or how (WHO_AND_HOW).
 */
const namesSubject = (hit: KeywordHit): boolean => !isIdentifierKeyword(hit.tokens) && !hit.tokens.every((t) => isPlaceWord(t) || WHO_AND_HOW.has(t));

/**
 * The text's subject is clearly another division's than the case's: in a part of a sentence that says
 * something is missing or wrong (a "not" or a problem word: "kartu keluarga saya belum jadi", "ijazah
 * anak saya masih ditahan"), it names keywords (namesSubject) of divisions none of which the case
 * belongs to (CaseAbout.divisionIds), and it shares no problem word with the case ("Belum, jalannya masih
 * berlubang" never: whatever else it names, the road is still the case's).
 */
export function namesAnotherSubject(text: string, about: CaseAbout): boolean {
  if (!about.divisions || !about.divisionIds) return false;
  const router = keywordRouter(about.divisions);
  const theirs = about.divisionIds;
  const named = new Set<string>();
  for (const clause of clauses(text)) {
    const tokens = tokenize(clause);
    if (!tokens.some((t) => NOT.has(t)) && !namesProblem(clause)) continue;
    for (const hit of router.keywordHits(tokens)) if (namesSubject(hit)) named.add(hit.divisionId);
  }
  if (named.size === 0 || [...named].some((d) => theirs.has(d))) return false;
  const mine = problemSignature(text).words, theirWords = problemSignature(about.text).words;
  return !mine.some((w) => theirWords.includes(w));
}

/** Words of a citizen saying the problem is not gone ("masih numpuk", "tetap mati", "sama saja"). */
export const STILL = /\b(?:masih|tetap|tetep|sama saja|malah)\b/i;

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/**
 * Words, said on a case waiting for the verdict (or closed for no answer), that name a problem of their
 * own, not the case's (`about`: its own words, caseAbout; a string is its words only): a public service said
 * to be missing the case does not speak of (lacksAnotherService: "saluran airnya tidak diperbaiki" on a
 * road case); or another division's subject (namesAnotherSubject: "kartu keluarga saya belum jadi"); or a problem of the lexicon at another named place; or one sharing no problem word with the case and
 * naming a public service the case does not ("lampu jalan di depan rumah mati" on a road case), or in
 * more than a few words and without a "masih". "jalannya masih berlubang", "aspalnya tidak rata",
 * "lubangnya cuma ditutup tanah" on a road case name none.
 */
export function namesAnotherProblem(text: string, about: CaseAbout | string): boolean {
  const { text: caseText } = typeof about === 'string' ? { text: about } : about;
  if (lacksAnotherService(text, caseText)) return true;
  if (typeof about !== 'string' && namesAnotherSubject(text, about)) return true;
  if (!namesProblem(text)) return false;
  const mine = problemSignature(text), theirs = problemSignature(caseText);
  if (placesDiffer(mine, theirs)) return true;
  if (mine.words.some((w) => theirs.words.includes(w))) return false;
  const caseServices = servicesNamed(caseText);
  if ([...servicesNamed(text)].some((s) => !caseServices.has(s))) return true;
  return wordCount(text) > 6 && !STILL.test(text);
}

/** A citizen's message read as their verdict on a case (withoutCaseNumbers first: "ADU-2026-000123 PUAS"). */
export interface VerdictReading {
  /**
   * The verdict it gives the case: null when it begins with none, or when its bare word ("belum",
   * "tidak", "2") is said of another problem ("Belum, saluran airnya tidak diperbaiki" on a road case
   * answers nothing about the road).
   */
  verdict: Verdict;
  /** The verdict stands alone or before a comma or full stop, or says "puas" (commands.ts isClearVerdict). */
  clear: boolean;
  /**
   * The message names a problem that is not the case's (namesAnotherProblem): besides a phrase verdict
   * ("Tidak puas. Sekarang lampu jalan di depan rumah mati": the TIDAK PUAS is the case's, the lamp a
   * new report), or in place of a bare word's verdict.
   */
  another: boolean;
}

/**
 * How a message on a case waiting for the verdict (or closed for no answer) reads against the case's
 * own words (`about`, caseAbout). A phrase saying "puas" is the case's verdict whatever follows; the words after it
 * may name a new report besides. A bare word is the case's verdict only when the sentence it begins
 * names no other problem: "Belum, jalannya masih berlubang" on a road case is its TIDAK PUAS, "Belum,
 * saluran airnya tidak diperbaiki" and "tidak ada air sejak kemarin" a new report.
 */
export function readVerdict(text: string, about: CaseAbout | string, casePrefix: string): VerdictReading {
  const parts = verdictParts(withoutCaseNumbers(text, casePrefix));
  if (!parts) return { verdict: null, clear: false, another: false };
  // (a bare "tidak", "belum" is part of the sentence it begins: "tidak ada air" lacks water)
  const another = namesAnotherProblem(parts.bare ? withoutCaseNumbers(text, casePrefix) : parts.rest, about);
  if (another && parts.bare) return { verdict: null, clear: !parts.loose, another };
  return { verdict: parts.verdict, clear: !parts.loose, another };
}
