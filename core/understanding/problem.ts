/**
 * "The same concrete problem" in other words (DESIGN §5, SOP step 4). Two citizens who report one
 * overflowing rubbish dump write their own sentences: word-pair shingles (dedupe.ts) find a re-sent or
 * lightly edited text, not "Sampah di TPS Jl. Kusumanegara numpuk sudah seminggu belum diangkut" and
 * "Sampah TPS Jalan Kusumanegara menumpuk, seminggu tidak diangkut". Here a text is reduced to what it
 * is about:
 *
 * - its **places**: the name after a place word (jalan, gang, kampung, kelurahan, pasar, TPS, SD …),
 *   e.g. `kusumanegara`; a text without a named place is never matched this way;
 * - its **problem words**: the content words, stemmed so that colloquial and formal verb forms meet
 *   (numpuk / menumpuk / ditumpuk → `umpuk`), without function, time and request words.
 *
 * Two texts are the same problem when they share a place and their problem words overlap (the mean of
 * the Dice overlap and the share of the shorter text's words ≥ dedupe.problemSimilarity, and at least
 * two words): the same street with another problem, or the
 * same problem in another street, is not. Pure and explainable: a match names the shared place and words.
 */
import { FUNCTION, NEGATION, PROBLEM, QUESTION, REQUEST, THANKS } from './lexicon.ts';
import { MASK, tokenize } from './normalize.ts';
import { YOGYAKARTA_PLACES } from './places-yogyakarta.ts';

/** Words after which a name is a place (after normalize.ts: jl → jalan, gg → gang, kel → kelurahan, depo → deposit …). */
const PLACE_CUES = new Set(`
  jalan gang kampung kp kelurahan kecamatan desa dusun dukuh padukuhan perumahan perum komplek kompleks asrama rusunawa rusun
  pasar terminal stasiun taman alun jembatan kali sungai tps depo deposit puskesmas sd smp sma smk sdn smpn sman smkn mts
  masjid mushola musala gereja pertigaan perempatan simpang bundaran lapangan makam kantor balai stadion halte
`.split(/\s+/).filter(Boolean));

/** Words between a place word and its name ("Jalan Raya Janti", "SD Negeri Tahunan", "Pasar Induk …"). */
const NAME_SKIP = new Set('raya besar kecil lama baru negeri n induk umum kota kelurahan kecamatan xnum'.split(' '));

/** A school by its number ("SMP Negeri 8", "SMPN 8"): numbers are masked in the tokens, so read from the text. */
const SCHOOL_RE = /\b(sd|smp|sma|smk)\s*(?:n\b|negeri\b)?\s*(\d{1,3})\b/g;

/** Words that are never a problem word: what every report says, whatever its problem. */
const GENERIC = new Set(`
  sudah belum tidak bukan mohon tolong harap segera minta meminta cepat harus agar supaya bisa dapat akan mau ingin perlu
  hari minggu bulan tahun jam pagi siang sore malam kemarin tadi sekarang sejak lama selama sampai hingga setiap tiap kali
  seminggu sebulan setahun berhari bertahun berbulan berminggu terus lagi masih pernah sering selalu juga saja hanya cuma
  warga masyarakat penduduk kami kita saya aku kampung lingkungan daerah wilayah kawasan sekitar lokasi tempat sana sini situ
  pemerintah pemkot kota yogyakarta jogja jogjakarta yogya dprd dewan komisi dinas pihak terkait instansi petugas bapak ibu pak bu
  depan dekat belakang samping sebelah seberang ujung tengah utara selatan timur barat atas bawah dalam luar sepanjang
  ada adalah yaitu jadi karena sebab tapi tetapi namun padahal walaupun meskipun bahwa seperti sangat sekali banget amat
  semua banyak sedikit beberapa para orang itu ini tersebut mana apa baru sekolah rumah kalau kalo bikin buat membuat jadi
  mbok kabeh akeh ora wis isih sing malem smua bagi hampir besar lalu
  nyuwun sewu sampun dereng durung taksih sanget mugi enggal kalih ngantos nggih matur nuwun saking dhateng ingkang dalem omah
  mboten boten ampun wae ae pol tenan uga sakniki saiki mau wingi suwe dangu
  menyengat nyengat senin selasa rabu kamis jumat sabtu
  satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu setengah
`.split(/\s+/).filter(Boolean));

/** Spellings of one problem word that the stemmer does not bring together. */
const SAME_WORD: ReadonlyMap<string, string> = new Map(Object.entries({
  antri: 'antre', antrian: 'antrean', bolong: 'lubang', bolongan: 'lubang', berlubang: 'lubang', lubangnya: 'lubang', dalan: 'jalan',
  buntu: 'mampet', tersumbat: 'mampet', sumbat: 'mampet', luber: 'meluap', meluber: 'meluap', traffic: 'apill', bangjo: 'apill',
  saluran: 'selokan', drainase: 'selokan', gorong: 'selokan', got: 'selokan', tercemar: 'cemar', mencemari: 'cemar', pencemaran: 'cemar',
  bising: 'berisik', keras: 'berisik', peteng: 'gelap', risak: 'rusak', pungutan: 'pungli', bau: 'bau', baunya: 'bau', berbau: 'bau',
  sulit: 'susah', kesulitan: 'susah', pom: 'spbu', bensin: 'spbu', dandan: 'baik', didandani: 'baik', dandos: 'baik',
  padam: 'mati', pju: 'lampu', laka: 'celaka', lakalantas: 'celaka', resik: 'bersih', resiki: 'bersih',
}));

/** Phrases that name one thing, read as one problem word ("lampu lalu lintas" = "traffic light" = "bangjo"), or as none (''). */
const PHRASE_WORD: ReadonlyMap<string, string> = new Map(Object.entries({
  'lampu lalu lintas': 'apill', 'lampu lalin': 'apill', 'lampu merah': 'apill', 'lampu bangjo': 'apill', 'traffic light': 'apill',
  // where on the road, not what is wrong ("meluber ke badan jalan")
  'badan jalan': '', 'bahu jalan': '',
}));
/** First token → the rest of each phrase. */
const PHRASES: ReadonlyMap<string, readonly (readonly string[])[]> = (() => {
  const m = new Map<string, string[][]>();
  for (const p of PHRASE_WORD.keys()) { const [first, ...rest] = p.split(' '); m.set(first!, [...(m.get(first!) ?? []), rest]); }
  return m;
})();

const MASKS: ReadonlySet<string> = new Set(Object.values(MASK));

/**
 * Names of the city's places read without a place word (places-yogyakarta.ts and `dedupe.placeNames`),
 * as token sequences: a name's place key is its tokens written together, so "Gedong Kuning" and
 * "gedongkuning" are one place.
 */
export interface Gazetteer {
  /** First token → the names starting with it, as token sequences, longest first. */
  byFirst: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Place key → the name as the list writes it ("Gedong Kuning"). */
  shown: ReadonlyMap<string, string>;
  /** What the stored place keys depend on: this reader's version and the names (see dedupe.ts checkProblemIndex). */
  signature: number;
}

/** Bumped when problemSignature reads places or problem words differently (stored rows are then re-indexed). */
const READER_VERSION = 5;

export function compileGazetteer(names: readonly string[]): Gazetteer {
  const byFirst = new Map<string, string[][]>();
  const keys = new Set<string>();
  const shown = new Map<string, string>();
  const add = (seq: string[]): void => {
    if (seq.length === 0 || seq.join('').length < 4) return;
    keys.add(seq.join(' '));
    const list = byFirst.get(seq[0]!) ?? [];
    if (!list.some((s) => s.join(' ') === seq.join(' '))) list.push(seq);
    byFirst.set(seq[0]!, list.sort((a, b) => b.length - a.length));
  };
  for (const name of names) {
    const seq = tokenize(name).filter((t) => !MASKS.has(t));
    if (!shown.has(seq.join(''))) shown.set(seq.join(''), name.trim());
    add(seq);
    if (seq.length > 1) add([seq.join('')]);
  }
  return { byFirst, shown, signature: fnv1a(`${READER_VERSION}|${[...keys].sort().join('|')}`) };
}

/** The shipped names of Kota Yogyakarta. */
export const YOGYAKARTA: Gazetteer = compileGazetteer(YOGYAKARTA_PLACES);

/** The shipped names and those `dedupe.placeNames` adds. */
export function gazetteerOf(extra: readonly string[] = []): Gazetteer {
  return extra.length === 0 ? YOGYAKARTA : compileGazetteer([...YOGYAKARTA_PLACES, ...extra]);
}

/** A text reduced to its places and problem words. */
export interface ProblemSignature {
  /** Names found after a place word (and "sd:5" for a numbered school): what the index is keyed by. */
  places: string[];
  /** Every word of the text, and every two adjacent words written together: a place another text names may appear here without a place word. */
  terms: ReadonlySet<string>;
  /** Problem words, stemmed (sorted, distinct). */
  words: string[];
  /** Each stem as the text first wrote it (what a match shows staff). */
  written: ReadonlyMap<string, string>;
  /** Each place key as staff read it ("gedongkuning" → "Gedong Kuning", "smp:8" → "SMP 8"). */
  placeShown: ReadonlyMap<string, string>;
  /** The stems' 32-bit hashes, sorted, distinct: what problem_places stores per case. */
  wordHashes: Uint32Array;
}

/** A match: the places and problem words the two texts share (as the first text wrote them), and the overlap of their problem words. */
export interface ProblemMatch {
  score: number;
  places: string[];
  words: string[];
}

/** 32-bit FNV-1a of a string: the shingle hashes of dedupe.ts, and the keys below. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}

/** 32-bit keys of place names and problem-word stems, as stored in problem_places. */
export const placeKey = fnv1a;

/**
 * The place names a lookup reads: the text's own places, then up to `extra` capitalised words that
 * could be a name (a place an earlier report named after a place word, written here without one:
 * "Trotoar Malioboro dipakai parkir").
 */
export function lookupPlaces(sig: ProblemSignature, text: string, extra = 4): string[] {
  const names = new Set(sig.places);
  let added = 0;
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}{2,}/gu)) {
    if (added >= extra) break;
    const t = m[0].toLowerCase();
    if (!names.has(t) && isNameTail(t)) { names.add(t); added++; }
  }
  return [...names];
}

/**
 * The same problem against a case found under `place` in problem_places (its problem words as stored
 * there): the overlap of the problem words (see the top of the file), the place's own word left out; undefined below the
 * threshold or under two shared words. Returns the shared words as this text wrote them.
 */
export function sameProblemStored(sig: ProblemSignature, place: string, stored: Uint32Array, threshold: number): ProblemMatch | undefined {
  const skip = placeKey(stem(place));
  const mine = sig.wordHashes;
  let i = 0, j = 0, shared = 0, na = 0, nb = 0;
  const sharedHashes = new Set<number>();
  for (const h of mine) if (h !== skip) na++;
  for (const h of stored) if (h !== skip) nb++;
  while (i < mine.length && j < stored.length) {
    const x = mine[i]!, y = stored[j]!;
    if (x === y) { if (x !== skip) { shared++; sharedHashes.add(x); } i++; j++; } else if (x < y) i++; else j++;
  }
  if (shared < 2) return undefined;
  // Dice alone marks down a long report against a short one (the e-mail that also says why it is dangerous,
  // the SMS that says only what is wrong); the share of the shorter one's words alone would take any two
  // words of a short text for the problem. The score is their mean.
  const dice = (2 * shared) / (na + nb), covered = shared / Math.min(na, nb);
  const score = (dice + covered) / 2;
  if (score < threshold) return undefined;
  const words = sig.words.filter((w) => sharedHashes.has(placeKey(w))).map((w) => sig.written.get(w) ?? w);
  return { score, places: [sig.placeShown.get(place) ?? title(place)], words };
}

const title = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

const isName = (t: string): boolean => t.length >= 3 && !MASKS.has(t) && !/^\d/.test(t) && !PLACE_CUES.has(t)
  && !GENERIC.has(t) && !FUNCTION.has(t) && !NEGATION.has(t) && !QUESTION.has(t) && !THANKS.has(t);

/** The second word of a two-word name: a name word that does not say what is wrong ("Jalan Suroto miring"). */
const isNameTail = (t: string): boolean => isName(t) && !PROBLEM.has(t) && !REQUEST.has(t) && !/^(di|me|ber|ter)/.test(t) && !/.{3}nya$/.test(t);

/**
 * A light Indonesian stemmer for matching, not for display: particles and possessives, one
 * derivational suffix, the verb and noun prefixes, and the nasal that meN-/peN- put in place of a
 * root's first sound, which colloquial verbs keep: menumpuk, numpuk and ditumpuk → tumpuk; mengangkut,
 * ngangkut, diangkut → angkut. The nasal forms are mapped back the same way with or without the prefix
 * (n- → t-, ny- → s-, m- → p-, ng- and k- dropped), so a stem that is not a real root (mati → pati) still
 * meets its own forms.
 */
export function stem(word: string): string {
  const same = SAME_WORD.get(word) ?? SAME_WORD.get(word.replace(/(?<=[a-z]{4})(?:nya|ku|mu|lah|kah|pun)$/, ''));
  if (same !== undefined) return stemOf(same);
  const w = stemOf(word);
  const after = SAME_WORD.get(w);
  return after === undefined ? w : stemOf(after);
}

function stemOf(word: string): string {
  // Javanese krama: dipun- for di-, -aken for -kan (dipundandosi, dipunresiki, dipunbenakaken)
  let w = word.length > 8 ? word.replace(/^dipun/, 'di') : word;
  if (w.length > 7) w = w.replace(/aken$/, 'kan');
  const cut = (suffix: string, min: number): boolean => {
    if (w.length - suffix.length >= min && w.endsWith(suffix)) { w = w.slice(0, -suffix.length); return true; }
    return false;
  };
  for (const p of ['lah', 'kah', 'pun']) if (cut(p, 4)) break;
  for (const p of ['nya', 'ku', 'mu']) if (cut(p, 3)) break;
  // -kan goes with me-/di- (dibersihkan), -an with pe-/per-/ke- and bare nouns (perbaikan, tumpukan)
  // a consonant before -kan is the root's last sound (bersihkan, masukkan); a vowel, the root's own k (tumpukan)
  for (const p of /^(me|di)/.test(w) || /[^aiueo]kan$/.test(w) ? ['kan', 'an', 'i'] : ['an', 'kan', 'i']) if (cut(p, 4)) break;
  const per = /^(?:memper|diper|per)(?=[a-z]{3})/.exec(w);
  const nasal = per ? undefined : /^(?:me|pe)(?=(?:ng|ny|[nm])[a-z])/.exec(w);
  const plain = per || nasal ? undefined : PLAIN_PREFIX.exec(w);
  if (per) w = w.slice(per[0].length);
  else if (nasal) w = w.slice(nasal[0].length);
  else if (plain) w = w.slice(plain[0].length);
  // the nasal before a consonant goes (membuang → buang, menjual → jual); before a vowel it stands for the root's sound
  const m = /^(ng|ny|n|m)(.)/.exec(w);
  if (m && !/[aiueo]/.test(m[2]!) && w.length > 4) w = w.slice(m[1]!.length);
  else if (m && w.length >= 4) w = ({ ng: '', ny: 's', n: 't', m: 'p' } as Record<string, string>)[m[1]!] + w.slice(m[1]!.length);
  // a second prefix under the first (di-ber-sihkan, me-per-iksa, ke-ber-sihan): the same word bare (bersih) loses it too
  const inner = PLAIN_PREFIX.exec(w);
  if (inner && (per || nasal || plain)) w = w.slice(inner[0].length);
  if (/^k[aiueo]/.test(w) && w.length >= 4) w = w.slice(1);
  return w;
}

const PLAIN_PREFIX = /^(?:per|ber|be|ter|pe|di|ke|se)(?=[a-z]{3})/;

export function problemSignature(text: string, tokens: readonly string[] = tokenize(text), gazetteer: Gazetteer = YOGYAKARTA): ProblemSignature {
  const places = new Set<string>();
  const names = new Set<string>();
  const shown = new Map<string, string>();
  // the city's known places, wherever they stand
  for (let i = 0; i < tokens.length; i++) {
    for (const seq of gazetteer.byFirst.get(tokens[i]!) ?? []) {
      if (!seq.every((t, k) => tokens[i + k] === t)) continue;
      places.add(seq.join(''));
      shown.set(seq.join(''), gazetteer.shown.get(seq.join('')) ?? seq.map(title).join(' '));
      for (const t of seq) names.add(t);
      break;
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    if (!PLACE_CUES.has(tokens[i]!)) continue;
    let j = i + 1;
    while (j < tokens.length && j <= i + 3 && NAME_SKIP.has(tokens[j]!)) j++;
    const first = tokens[j];
    if (first === undefined || !isName(first) || PROBLEM.has(first) || REQUEST.has(first)) continue;
    places.add(first);
    if (!shown.has(first)) shown.set(first, title(first));
    names.add(first);
    // a two-word name, written apart or together: "gajah wong" and "gajahwong"
    const second = tokens[j + 1];
    if (second !== undefined && isNameTail(second)) {
      places.add(first + second);
      names.add(second);
      if (!shown.has(first + second)) shown.set(first + second, `${title(first)} ${title(second)}`);
    }
  }
  const lower = text.toLowerCase();
  if (/\d/.test(lower)) {
    for (const m of lower.matchAll(SCHOOL_RE)) {
      places.add(`${m[1]}:${Number(m[2])}`);
      shown.set(`${m[1]}:${Number(m[2])}`, `${m[1]!.toUpperCase()} ${Number(m[2])}`);
    }
  }
  const terms = new Set<string>(tokens);
  for (let i = 1; i < tokens.length; i++) terms.add(tokens[i - 1]! + tokens[i]!);
  const words = new Set<string>();
  const written = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const phrase = PHRASES.get(tokens[i]!)?.find((seq) => seq.every((w, k) => tokens[i + k + 1] === w));
    if (phrase) {
      const as = tokens.slice(i, i + phrase.length + 1).join(' ');
      const one = PHRASE_WORD.get(as)!;
      if (one !== '') { words.add(stem(one)); if (!written.has(stem(one))) written.set(stem(one), as); }
      i += phrase.length;
      continue;
    }
    const t = tokens[i]!;
    if (t.length < 3 || MASKS.has(t) || names.has(t) || PLACE_CUES.has(t) || NAME_SKIP.has(t) || GENERIC.has(t) || FUNCTION.has(t) || NEGATION.has(t) || QUESTION.has(t) || THANKS.has(t)) continue;
    if (/^\d/.test(t)) continue;
    const s = stem(t);
    if (s.length >= 3 && !GENERIC.has(s)) { words.add(s); if (!written.has(s)) written.set(s, t); }
  }
  const sorted = [...words].sort();
  const wordHashes = Uint32Array.from(new Set(sorted.map(placeKey))).sort();
  return { places: [...places].sort(), terms, words: sorted, written, wordHashes, placeShown: shown };
}

/**
 * The two texts name places, and none the same: "Jalan Gejayan" and "Jalan Kaliurang" are two
 * problems however alike the sentences (a place one names may stand in the other without a place word).
 */
export function placesDiffer(a: ProblemSignature, b: ProblemSignature): boolean {
  if (a.places.length === 0 || b.places.length === 0) return false;
  return !a.places.some((p) => b.terms.has(p)) && !b.places.some((p) => a.terms.has(p));
}

/**
 * The same problem (see the top of the file) as intake judges it, or undefined: a `later` text against
 * an `earlier` case stored under its places (problem_places), through the places the later text looks up.
 */
export function sameProblem(later: ProblemSignature, laterText: string, earlier: ProblemSignature, threshold: number): ProblemMatch | undefined {
  if (earlier.wordHashes.length < 2) return undefined;
  let best: ProblemMatch | undefined;
  for (const place of lookupPlaces(later, laterText)) {
    if (!earlier.places.includes(place)) continue;
    const m = sameProblemStored(later, place, earlier.wordHashes, threshold);
    if (m && (!best || m.score > best.score)) best = m;
  }
  return best;
}

/** Problem words that only say the citizen is waiting (lexicon.ts PROBLEM has them too). */
const WAITING = new Set('lama lambat telat terlambat lemot molor ngaret laporan aduan keluhan lapor melaporkan masalah kecewa kesal kesel sebel jengkel diabaikan dibiarkan dibiarin nobody ignored late'.split(' '));

/** Forms of address and "saya", "nama": the word after one is a person's name ("bu Sri", "saya Budi"), not what is wrong. */
const ADDRESS = new Set('pak bu bapak ibu mas mbak mba kak bang mbah pakde bude saya aku kula nama namaku'.split(' '));
/**
 * What happened to someone ("saya ditipu", "kecopetan", "kemalingan", "anak saya dikeluarkan",
 * "terendam"): a passive or ke-…-an verb says what is wrong by itself, also after "saya".
 */
const VERB_FORM = /^(?:di|ter)[a-z]{3,}$|^ke[a-z]{3,}an$/;
/** The word after "pak", "saya" … is a name unless written as a verb (active forms too: "saya meninggal", "bapak berjualan") and not capitalised ("saya Dimas"). */
const NOT_A_NAME = /^(?:di|ter|me|ber)[a-z]{3,}$|^ke[a-z]{3,}an$/;

/** "ditipu", "kecopetan": a passive or ke-…-an verb, not "didepan", "disini", "dijalan" written as one word. */
function saysWhatHappened(t: string): boolean {
  return VERB_FORM.test(t) && !GENERIC.has(t) && !PLACE_CUES.has(t) && !prepositional(t);
}

/** "didepan", "disini", "dijalan": "di" written onto a place or position word. */
function prepositional(t: string): boolean {
  const rest = t.startsWith('di') ? t.slice(2) : '';
  return GENERIC.has(rest) || PLACE_CUES.has(rest) || FUNCTION.has(rest) || NAME_SKIP.has(rest);
}

/** Words of a citizen introducing themselves or their report, not saying what is wrong. */
const INTRODUCING = new Set(`
  nama alamat tinggal domisili soal tentang perihal permisi yth bantu bantuan bantuannya dibantu sampaikan menyampaikan
  info informasi tanya bertanya kidul lor wetan kulon rt rw no nomor blok
`.split(/\s+/).filter(Boolean));

/**
 * The first message of a report in several SMS often says only who and where ("Pak, di jl. Kenari
 * gang 3", "Selamat pagi, saya Budi warga Tegalrejo RT 05", "Mohon bantuannya pak"): no problem
 * word (namesProblem), and besides greetings, names, places, time and request words at most one word
 * of its own ("depan warung bu Sri"), none saying what happened (VERB_FORM). "Anak saya tidak diterima
 * di SMP padahal rumah dekat" and "pak saya ditipu" say what is wrong even though no word of the
 * problem lexicon is in them.
 */
export function onlyWhoAndWhere(text: string): boolean {
  if (namesProblem(text)) return false;
  const tokens = tokenize(text);
  const { words } = problemSignature(text, tokens);
  const capitalised = new Set((text.match(/\p{Lu}\p{Ll}+/gu) ?? []).map((w) => w.toLowerCase()));
  const own = new Set<string>();
  let happened = false;
  tokens.forEach((t, i) => {
    if (i > 0 && ADDRESS.has(tokens[i - 1]!) && (capitalised.has(t) || !NOT_A_NAME.test(t))) return;
    if (WAITING.has(t) || INTRODUCING.has(t) || prepositional(t)) return;
    if (saysWhatHappened(t)) happened = true;
    const s = stem(t);
    if (words.includes(s)) own.add(s);
  });
  return !happened && own.size <= 1;
}

/** A routing keyword that names only a place ("terminal", "sd negeri", "sekolah"), not what the message is about ("ktp", "ppdb"). */
export function isPlaceWord(keyword: string): boolean {
  return keyword.split(/\s+/).every((t) => PLACE_CUES.has(t) || NAME_SKIP.has(t) || GENERIC.has(t));
}

/** How a routing keyword appears among a message's features (understanding/index.ts: `route:` + routing.ts's `kw:` reason). */
const KEYWORD_FEATURE = 'route:kw:';

/**
 * onlyWhoAndWhere, and no division's keyword naming what the message is about among its features (the
 * route's reasons): "KTP saya belum jadi" says it ("ktp"); "Pak, di terminal Giwangan" does not (a place).
 */
export function saysOnlyWhoAndWhere(text: string, features: readonly string[]): boolean {
  if (features.some((f) => f.startsWith(KEYWORD_FEATURE) && !isPlaceWord(f.slice(KEYWORD_FEATURE.length)))) return false;
  return onlyWhoAndWhere(text);
}

/** A word that says what is wrong ("rusak", "banjir", "sampah" …), not only that the citizen is waiting. */
export function namesProblem(text: string): boolean {
  return tokenize(text).some((w) => PROBLEM.has(w) && !WAITING.has(w));
}
