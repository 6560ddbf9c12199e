/**
 * Repeat detection (SOP step 4). Exact repeats by the normalised-text hash (`messages.text_hash`);
 * near repeats by MinHash over word bigram shingles, with LSH band keys stored in
 * `dedupe_buckets`, so a lookup is a handful of index seeks whatever the history size. The intake
 * worker also holds a copy of the bucket index in memory (`loadRepeatIndex`, ≈ 106 MB per 10^6 cases with sketches and hash prefixes,
 * `dedupe.memoryIndexMb`), so its lookups do not wait for page reads after other processes write. Candidates
 * are verified by the exact Jaccard similarity of their shingles: each case stores the sorted 32-bit
 * hashes of its shingles (`cases.shingles`, ~100 bytes), so verifying a candidate reads one row and
 * tokenizes nothing (cases stored before migration 0002 fall back to their summary).
 *
 * Same contact within `dedupe.windowDays` ⇒ duplicate, unless that case is closed (the problem came
 * back); another contact (or the same one later, or after the close) within `dedupe.recurringWindowDays`
 * ⇒ recurring. Only complaint/question cases, and cases waiting in
 * triage, are repeat targets.
 */
import { createHash } from 'node:crypto';
import { rawClient, type Db } from '../db/client.ts';
import { eq } from 'drizzle-orm';
import { cases, dedupeBuckets, problemPlaces } from '../db/schema.ts';
import type { Tx } from '../repo/contacts.repo.ts';
import { placeNumbers, placesConflict } from '../places.ts';
import { tokenize } from './normalize.ts';
import { YOGYAKARTA, fnv1a, lookupPlaces, placeKey, placesDiffer, problemSignature, sameProblemStored, type Gazetteer, type ProblemMatch, type ProblemSignature } from './problem.ts';
import type { AduanConfig } from '../config/schema.ts';
import { BandIndex, HashPrefixSet, SketchTable, shingleSketch } from './band-index.ts';
import { HANDLING_OVER } from '../lifecycle/states.ts';

/** LSH layout: BANDS × ROWS min-hashes. P(candidate) at Jaccard 0.7 ≈ 0.97, at 0.3 ≈ 0.2. */
export const BANDS = 8;
export const ROWS = 3;
const NUM_HASHES = BANDS * ROWS;
/** Candidates verified per lookup (most band hits first). */
const MAX_VERIFY = 12;
/** Of the candidates that share a single band, how many (newest first) are verified. */
const SINGLE_HIT_VERIFY = 3;
/** Newest rows read per band bucket and per exact hash: a popular bucket costs no more than a rare one. */
const BUCKET_LIMIT = 32;
const EXACT_LIMIT = 20;
/** A candidate whose sketch estimate is this far below the threshold is not read (see SketchTable). */
const SKETCH_MARGIN = 0.15;
const MASKS = new Set(['!', '?']);
/** Texts at least this alike are not told apart by a place name (see `elsewhere` in lookup). */
const NAMED_PLACE_BELOW = 0.9;
/** Newest cases read per place name (with their problem words; 16 made the 10^6 bench read twice the pages), and of those that match, how many are read. */
const PLACE_LIMIT = 6;
const PROBLEM_VERIFY = 4;

const SEEDS: Uint32Array = (() => {
  const out = new Uint32Array(NUM_HASHES);
  let s = 0x9e3779b9;
  for (let i = 0; i < NUM_HASHES; i++) { s = (Math.imul(s ^ (s >>> 16), 0x85ebca6b) + 0x6a09e667 + i) >>> 0; out[i] = s; }
  return out;
})();

function mix(x: number): number {
  x ^= x >>> 16; x = Math.imul(x, 0x7feb352d); x ^= x >>> 15; x = Math.imul(x, 0x846ca68b); x ^= x >>> 16;
  return x >>> 0;
}

/** Word bigram shingles of normalised tokens (unigrams when the text has fewer than three words). */
export function shingles(tokens: readonly string[]): Set<string> {
  const words = tokens.filter((t) => !MASKS.has(t));
  const out = new Set<string>();
  if (words.length < 3) { for (const w of words) out.add(w); return out; }
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return out;
}

/** Sorted, distinct 32-bit hashes of the shingles: what is stored per case and compared. */
export function shingleHashes(sh: ReadonlySet<string>): Uint32Array {
  const out = new Uint32Array(sh.size);
  let i = 0;
  for (const s of sh) out[i++] = fnv1a(s);
  out.sort();
  let n = 0;
  for (let j = 0; j < out.length; j++) if (j === 0 || out[j] !== out[n - 1]) out[n++] = out[j]!;
  return n === out.length ? out : out.slice(0, n);
}

/** Jaccard similarity of two sorted hash arrays (a merge walk). */
export function hashJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0, j = 0, inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x === y) { inter++; i++; j++; } else if (x < y) i++; else j++;
  }
  return inter / (a.length + b.length - inter);
}

/** The stored form of shingle hashes (little-endian uint32) and back. */
export function encodeHashes(h: Uint32Array): Buffer {
  const b = Buffer.allocUnsafe(h.length * 4);
  for (let i = 0; i < h.length; i++) b.writeUInt32LE(h[i]!, i * 4);
  return b;
}
export function decodeHashes(b: Uint8Array): Uint32Array {
  const out = new Uint32Array(b.length >>> 2);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint32(i * 4, true);
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** MinHash signature of a shingle set (or of its hashes, as `shingleHashes` gives them). */
export function minhash(sh: ReadonlySet<string> | Uint32Array): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  const hashes = sh instanceof Uint32Array ? sh : shingleHashes(sh);
  for (const h of hashes) {
    for (let i = 0; i < NUM_HASHES; i++) {
      const v = mix(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** One integer key per band: band × 2^32 + the hash of the band's rows (exact in a double, small in SQLite). */
export function bandKeys(sig: Uint32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) { h = Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193); h = mix(h); }
    keys.push(b * 0x1_0000_0000 + (h >>> 0));
  }
  return keys;
}

/** Hash of the normalised text, stored in messages.text_hash. */
export function textHash(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex').slice(0, 32);
}

export interface RepeatQuery {
  contactId: number;
  tokens: readonly string[];
  hash: string;
  now: Date;
  windowDays: number;
  recurringWindowDays: number;
  threshold: number;
  /**
   * The message's place numbers (core/places.ts): a case naming another km, RT/RW, alley or block is
   * another place, so not a repeat, however alike the texts (the models mask numbers).
   */
  places?: readonly string[];
  /**
   * Looked up when no text repeats this one (dedupe.problemSimilarity > 0): the same problem in other
   * words (core/understanding/problem.ts) at a case of the same division.
   */
  problem?: { signature: ProblemSignature; places: readonly string[]; threshold: number; divisionId: string; gazetteer: Gazetteer };
  /** A case that is never the answer (the report a completed message is read into: it would find itself). */
  excludeCaseId?: number;
}

/** The lookup of one message as intake makes it (the bench makes the same). */
export function repeatQueryOf(dedupe: Pick<AduanConfig['dedupe'], 'windowDays' | 'recurringWindowDays' | 'threshold' | 'problemSimilarity'>,
  m: { contactId: number; text: string; tokens: readonly string[]; hash: string; now: Date; divisionId: string }, gazetteer: Gazetteer = YOGYAKARTA): RepeatQuery {
  const q: RepeatQuery = {
    contactId: m.contactId, tokens: m.tokens, hash: m.hash, now: m.now,
    windowDays: dedupe.windowDays, recurringWindowDays: dedupe.recurringWindowDays, threshold: dedupe.threshold, places: placeNumbers(m.text),
  };
  if (dedupe.problemSimilarity > 0) {
    const signature = problemSignature(m.text, m.tokens, gazetteer);
    q.problem = { signature, places: lookupPlaces(signature, m.text), threshold: dedupe.problemSimilarity, divisionId: m.divisionId, gazetteer };
  }
  return q;
}

/** What a link made by problem (not by text) rests on: the shared places and problem words. */
export interface SameProblem { places: string[]; words: string[] }

export type RepeatResult = { relation: 'new' } | { relation: 'duplicate' | 'recurring'; caseId: number; similarity: number; sameProblem?: SameProblem };

const REPEAT_KINDS = ['complaint', 'question'];
/**
 * A case a message can repeat: a complaint or question, or one waiting in triage whatever its guess
 * (a citizen re-sending an unsure message is the same message again, not a new case for the desk).
 */
export const isTarget = (c: { kind: string; status: string }): boolean => REPEAT_KINDS.includes(c.kind) || c.status === 'triage';

function isoDaysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

type Sqlite = Db['$client'];
interface Statements {
  exact: Statement;
  buckets: Statement;
  summary: Statement;
  /** A case's stored text (its first message), for its place numbers. */
  text: Statement;
  /** `PRAGMA data_version`: changes when another connection has committed. */
  dataVersion: () => number;
  newCases: Statement;
  newMessages: Statement;
  /** The highest ids given out in cases and messages (AUTOINCREMENT keeps them in one small table). */
  sequences: () => [number, number];
  /** The newest cases naming a place (problem_places). */
  places: Statement;
  problemRow: Statement;
}
type Statement = ReturnType<Sqlite['prepare']>;
const statements = new WeakMap<Sqlite, Statements>();

/** The better-sqlite3 connection behind a drizzle Db or transaction (same connection, same transaction). */
const clientOf = (tx: Tx): Sqlite => rawClient(tx);

/** Prepared once per connection: a lookup is one exact-hash query, one bucket query and a few primary-key reads. */
function prepared(client: Sqlite): Statements {
  let st = statements.get(client);
  if (!st) {
    // reads only the primary-key index (band_key, case_id): no table row per bucket entry
    const band = 'SELECT case_id AS caseId FROM (SELECT case_id FROM dedupe_buckets WHERE band_key = ? ORDER BY case_id DESC LIMIT ' + BUCKET_LIMIT + ')';
    st = {
      exact: client.prepare(`SELECT c.id AS id, c.contact_id AS contactId, c.created_at AS createdAt, c.kind AS kind, c.status AS status
        FROM (SELECT case_id FROM messages WHERE text_hash = ? AND case_id IS NOT NULL ORDER BY id DESC LIMIT ${EXACT_LIMIT}) m JOIN cases c ON c.id = m.case_id`),
      buckets: client.prepare(Array.from({ length: BANDS }, () => band).join(' UNION ALL ')).pluck(),
      summary: client.prepare('SELECT shingles, kind, status, contact_id AS contactId, created_at AS createdAt, CASE WHEN shingles IS NULL THEN summary END AS summary FROM cases WHERE id = ?'),
      text: client.prepare('SELECT summary FROM cases WHERE id = ?').pluck(),
      dataVersion: ((pragma) => () => pragma.get() as number)(client.prepare<[], number>('PRAGMA data_version').pluck()),
      newMessages: client.prepare('SELECT id, text_hash FROM messages WHERE id > ? ORDER BY id').raw(),
      sequences: ((seq) => () => seq.get() as [number, number])(client.prepare<[], [number, number]>(
        "SELECT coalesce(max(CASE WHEN name = 'cases' THEN seq END), 0), coalesce(max(CASE WHEN name = 'messages' THEN seq END), 0) FROM sqlite_sequence WHERE name IN ('cases', 'messages')").raw()),
      // every case stored with shingles (complaints, questions, triage cases whatever their guess): the kind
      // is checked when a candidate is verified, and a triage case may become a complaint after this read
      newCases: client.prepare('SELECT id, shingles FROM cases WHERE id > ? ORDER BY id').raw(),
      places: client.prepare(`SELECT case_id, words FROM problem_places WHERE place_key = ? ORDER BY case_id DESC LIMIT ${PLACE_LIMIT}`).raw(),
      problemRow: client.prepare('SELECT shingles, CASE WHEN shingles IS NULL THEN summary END AS summary, kind, status, contact_id AS contactId, created_at AS createdAt, division_id AS divisionId FROM cases WHERE id = ?'),
    };
    statements.set(client, st);
  }
  return st;
}

/** The intake worker's in-memory copy of the repeat index (see band-index.ts), per connection. */
interface MemoryIndex {
  index: BandIndex;
  sketches: SketchTable;
  /** Text hashes of the stored messages (exact repeats). */
  hashes: HashPrefixSet;
  /** Loaded and usable; until then lookups read SQLite. */
  ready: boolean;
  /** Cases up to this id are in the index. */
  lastCaseId: number;
  /** Messages up to this id are in `hashes`. */
  lastMessageId: number;
  /** `PRAGMA data_version` when the index was last brought up to date: it changes when another connection commits. */
  dataVersion: number;
  /** This connection stored a case since (its own commits do not change data_version). */
  dirty: boolean;
  /** Cases already in the index that were indexed again since (a report completed by later messages). */
  again: Set<number>;
}
const memory = new WeakMap<Sqlite, MemoryIndex>();

/**
 * The in-memory index, brought up to date with the cases and messages committed since it last looked:
 * by this connection (`dirty`) or by another one (data_version). Both are one cheap check when nothing
 * changed. Bucket entries and sketches come from committed rows only, so a rolled-back intake
 * transaction leaves none behind; a message's hash is added ahead (findRepeat), which at worst costs
 * one needless exact-hash seek later.
 */
function memoryIndex(client: Sqlite, st: Statements): MemoryIndex | undefined {
  const m = memory.get(client);
  if (!m?.ready) return undefined;
  const version = st.dataVersion();
  if (version !== m.dataVersion || m.dirty) {
    m.dataVersion = version;
    m.dirty = false;
    // another process's write is mostly not a new case or message (the forward worker's outbox rows):
    // one read of the sequence table says whether the two range reads are needed
    const [caseSeq, messageSeq] = st.sequences();
    if (caseSeq > m.lastCaseId) for (const [id, hashes] of st.newCases.iterate(m.lastCaseId) as Iterable<[number, Buffer | null]>) {
      if (hashes) {
        const h = decodeHashes(hashes);
        for (const k of bandKeys(minhash(h))) m.index.add(k, id);
        m.sketches.set(id, h);
      }
      m.lastCaseId = id;
    }
    // a report completed by later messages, read as a whole: its new band keys join the old ones (as in
    // SQLite: a candidate is verified against the case's shingles, which are replaced)
    for (const id of m.again) {
      const hashes = st.summary.get(id) as { shingles: Buffer | null } | undefined;
      if (hashes?.shingles) {
        const h = decodeHashes(hashes.shingles);
        for (const k of bandKeys(minhash(h))) m.index.add(k, id);
        m.sketches.set(id, h);
      }
    }
    m.again.clear();
    if (messageSeq > m.lastMessageId) for (const [id, hash] of st.newMessages.iterate(m.lastMessageId) as Iterable<[number, string | null]>) {
      if (hash) m.hashes.add(hash);
      m.lastMessageId = id;
    }
  }
  return m;
}

/**
 * The bucket rows' case ids counted and ranked: most shared bands first, then newest (highest id);
 * the first `limit`. A sort of the ids and a pass per band count (lookups at 10^6 cases bring ~20 rows).
 */
export function rankCandidates(rows: readonly number[], limit: number): Array<[number, number]> {
  const ids = Float64Array.from(rows).sort();
  const cand: number[] = [], count: number[] = [];
  for (let i = ids.length - 1; i >= 0;) {
    let j = i - 1;
    while (j >= 0 && ids[j] === ids[i]) j--;
    cand.push(ids[i]!);
    count.push(i - j);
    i = j;
  }
  const ranked: Array<[number, number]> = [];
  for (let c = Math.max(0, ...count); c >= 1 && ranked.length < limit; c--) {
    for (let k = 0; k < cand.length && ranked.length < limit; k++) if (count[k] === c) ranked.push([cand[k]!, c]);
  }
  return ranked;
}

/** Look the message up: exact hash first, then LSH candidates verified by Jaccard. */
export function findRepeat(tx: Tx, q: RepeatQuery): RepeatResult {
  const client = clientOf(tx);
  const st = prepared(client);
  const mem = memoryIndex(client, st);
  const result = lookup(st, mem, q);
  // the message is about to be stored with this hash (in the caller's transaction): known from now on
  mem?.hashes.add(q.hash);
  return result;
}

function lookup(st: Statements, mem: MemoryIndex | undefined, q: RepeatQuery): RepeatResult {
  const dupSince = isoDaysBefore(q.now, q.windowDays);
  const recSince = isoDaysBefore(q.now, Math.max(q.windowDays, q.recurringWindowDays));
  // read only when the message names a place, by number or by name: most messages pay nothing. A
  // named place counts below NAMED_PLACE_BELOW: a text re-sent almost whole is the same message, its
  // one other word more likely an edit than another street
  const named = q.problem && q.problem.signature.places.length > 0 ? q.problem.signature : undefined;
  const elsewhere = (caseId: number, similarity: number): boolean => {
    const numbered = q.places !== undefined && q.places.length > 0;
    const byName = named !== undefined && similarity < NAMED_PLACE_BELOW;
    if (!numbered && !byName) return false;
    const text = String(st.text.get(caseId) ?? '');
    return (numbered && placesConflict(q.places!, placeNumbers(text))) || (byName && placesDiffer(named, problemSignature(text, tokenize(text), q.problem!.gazetteer)));
  };
  const classify = (caseId: number, caseContact: number | null, createdAt: string, similarity: number, status: string): RepeatResult | undefined => {
    if (caseId === q.excludeCaseId || elsewhere(caseId, similarity)) return undefined;
    // a closed case reported again by its own citizen: the problem came back, a new report of it
    if (caseContact === q.contactId && createdAt >= dupSince && !HANDLING_OVER.has(status)) return { relation: 'duplicate', caseId, similarity };
    if (createdAt >= recSince) return { relation: 'recurring', caseId, similarity };
    return undefined;
  };

  // exact: the newest messages with the same normalised-text hash (index order, bounded)
  // (a hash no stored message has needs no index seek)
  const exactRows = mem && !mem.hashes.has(q.hash) ? [] : st.exact.all(q.hash) as Array<{ id: number; contactId: number | null; createdAt: string; kind: string; status: string }>;
  const exact = exactRows
    .filter(isTarget)
    .sort((a, b) => b.id - a.id);
  let recurring: RepeatResult | undefined;
  for (const c of exact) {
    const r = classify(c.id, c.contactId, c.createdAt, 1, c.status);
    if (r?.relation === 'duplicate') return r;
    recurring ??= r;
  }
  if (recurring) return recurring;

  // near: LSH band buckets, the newest cases of each bucket (primary-key order, bounded)
  const sh = shingles(q.tokens);
  const mine = shingleHashes(sh);
  if (sh.size < 2) return sameProblemLookup(st, q, mine, classify, recSince);
  const keys = bandKeys(minhash(mine));
  let rows: number[];
  if (mem) { rows = []; for (const k of keys) mem.index.newest(k, BUCKET_LIMIT, rows); } else rows = st.buckets.all(keys) as number[];
  if (rows.length === 0) return sameProblemLookup(st, q, mine, classify, recSince);
  // a true near-repeat (Jaccard ≥ 0.7) shares ≥ 2 of the 8 bands with probability ≥ 0.82 (≥ 0.99 at
  // 0.85); cases sharing one band are mostly chance collisions, so only the newest few are verified,
  // and only when no case sharing ≥ 2 bands was a repeat
  const ranked = rankCandidates(rows, MAX_VERIFY + SINGLE_HIT_VERIFY);
  const multi = ranked.filter(([, n]) => n >= 2).slice(0, MAX_VERIFY);
  let best: { relation: 'duplicate' | 'recurring'; caseId: number; similarity: number } | undefined;
  const sketch = mem ? shingleSketch(mine) : undefined;
  const verify = (caseId: number): void => {
    // the sketch shows most chance candidates (a few shared word pairs) without reading their row
    const estimate = sketch && mem!.sketches.estimate(caseId, sketch);
    if (estimate !== undefined && estimate < q.threshold - SKETCH_MARGIN) return;
    const row = st.summary.get(caseId) as { shingles: Buffer | null; summary: string | null; kind: string; status: string; contactId: number | null; createdAt: string } | undefined;
    if (!row || !isTarget(row) || row.createdAt < recSince) return;
    const other = row.shingles ? decodeHashes(row.shingles) : shingleHashes(shingles(tokenize(row.summary ?? '')));
    const sim = hashJaccard(mine, other);
    if (sim < q.threshold) return;
    const r = classify(caseId, row.contactId, row.createdAt, sim, row.status);
    if (!r || r.relation === 'new') return;
    const better = !best || (r.relation === 'duplicate' && best.relation === 'recurring') ||
      (r.relation === best.relation && sim > best.similarity);
    if (better) best = r;
  };
  for (const [caseId] of multi) verify(caseId);
  if (!best) for (const [caseId] of ranked.slice(multi.length, multi.length + SINGLE_HIT_VERIFY)) verify(caseId);
  return best ?? sameProblemLookup(st, q, mine, classify, recSince);
}

/**
 * The same problem told in other words: the newest cases that name one of the message's places, read
 * with their problem words from problem_places in one range read per place; the few whose words
 * overlap enough are read (kind, status, division, time). `similarity` stays the texts' own (low:
 * dedupe.joinSimilarity never joins such a report to another's answer unseen).
 */
function sameProblemLookup(st: Statements, q: RepeatQuery, mine: Uint32Array,
  classify: (caseId: number, contact: number | null, createdAt: string, similarity: number, status: string) => RepeatResult | undefined, recSince: string): RepeatResult {
  const p = q.problem;
  if (!p || p.threshold <= 0 || p.places.length === 0 || p.signature.wordHashes.length < 2) return { relation: 'new' };
  const found = new Map<number, ProblemMatch>();
  for (const place of p.places) {
    for (const [caseId, words] of st.places.all(placeKey(place)) as Array<[number, Buffer]>) {
      const match = sameProblemStored(p.signature, place, decodeHashes(words), p.threshold);
      const had = found.get(caseId);
      if (match && (!had || match.score > had.score)) found.set(caseId, match);
    }
  }
  let best: { r: Exclude<RepeatResult, { relation: 'new' }>; score: number } | undefined;
  for (const [caseId, match] of [...found].sort((a, b) => b[1].score - a[1].score || b[0] - a[0]).slice(0, PROBLEM_VERIFY)) {
    const row = st.problemRow.get(caseId) as { shingles: Buffer | null; summary: string | null; kind: string; status: string; contactId: number | null; createdAt: string; divisionId: string } | undefined;
    if (!row || !isTarget(row) || row.createdAt < recSince || row.divisionId !== p.divisionId) continue;
    const similarity = hashJaccard(mine, row.shingles ? decodeHashes(row.shingles) : shingleHashes(shingles(tokenize(row.summary ?? ''))));
    const r = classify(caseId, row.contactId, row.createdAt, similarity, row.status);
    if (!r || r.relation === 'new') continue;
    const better = !best || (r.relation === 'duplicate' && best.r.relation === 'recurring') || (r.relation === best.r.relation && match.score > best.score);
    if (better) best = { r: { ...r, sameProblem: { places: match.places, words: match.words } }, score: match.score };
  }
  return best?.r ?? { relation: 'new' };
}

/** Store the band keys and the place keys (problem.ts) of a new case. */
export function rememberCase(tx: Tx, caseId: number, tokens: readonly string[], text: string, gazetteer: Gazetteer = YOGYAKARTA): void {
  const { places, wordHashes } = problemSignature(text, tokens, gazetteer);
  if (places.length > 0 && wordHashes.length >= 2) {
    const words = encodeHashes(wordHashes);
    tx.insert(problemPlaces).values(places.map((p) => ({ placeKey: placeKey(p), caseId, words }))).onConflictDoNothing().run();
  }
  const sh = shingles(tokens);
  if (sh.size < 2) return;
  const hashes = shingleHashes(sh);
  tx.insert(dedupeBuckets).values(bandKeys(minhash(hashes)).map((bandKey) => ({ bandKey, caseId }))).onConflictDoNothing().run();
  tx.update(cases).set({ shingles: encodeHashes(hashes) }).where(eq(cases.id, caseId)).run();
  const m = memory.get(clientOf(tx));
  if (m) {
    m.dirty = true;
    if (caseId <= m.lastCaseId) m.again.add(caseId);
  }
}

/**
 * Index a stored case again with a new text (a report completed by later messages, read as a whole):
 * its places and problem words are replaced; its band keys are added to (a candidate is verified
 * against the case's shingles, which are replaced).
 */
export function rememberCaseAgain(tx: Tx, caseId: number, tokens: readonly string[], text: string, gazetteer: Gazetteer = YOGYAKARTA): void {
  tx.delete(problemPlaces).where(eq(problemPlaces.caseId, caseId)).run();
  rememberCase(tx, caseId, tokens, text, gazetteer);
}

/** counters row set by migration 0001: the id after which stored cases still need buckets. */
const REBUILD_MARKER = 'dedupe_rebuild_after';
/** counters row: the Gazetteer.signature problem_places was written with. */
const PROBLEM_READER = 'problem_places_reader';

/**
 * problem_places holds the places and problem words problem.ts read from each case. When that reading
 * changes (a new stemmer, other `dedupe.placeNames`), its rows are dropped and the stored cases are
 * indexed again by the resumable rebuild below (buckets are kept: INSERT OR IGNORE). Returns whether
 * a rebuild was asked for. A new database only records the reader.
 */
export function checkProblemIndex(db: Db, gazetteer: Gazetteer = YOGYAKARTA): boolean {
  const client = db.$client;
  return client.transaction((): boolean => {
    const stored = client.prepare('SELECT value FROM counters WHERE name = ?').pluck().get(PROBLEM_READER) as number | undefined;
    if (stored === gazetteer.signature) return false;
    client.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(PROBLEM_READER, gazetteer.signature);
    const anyCase = client.prepare('SELECT 1 FROM cases LIMIT 1').pluck().get() !== undefined;
    if (!anyCase) return false;
    client.prepare('DELETE FROM problem_places').run();
    client.prepare('INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT(name) DO UPDATE SET value = 0').run(REBUILD_MARKER);
    return true;
  })();
}

/**
 * One batch of the bucket rebuild that migrations 0001 (old text keys could not be converted) and
 * 0002 (shingle hashes stored per case) ask for: the next `batch` complaint/question cases after the marker get their buckets, and the
 * marker moves on in the same transaction — a worker killed mid-way resumes where it stopped. The
 * marker is removed when no case is left. INSERT OR IGNORE: cases indexed meanwhile by intake are fine.
 */
export function rebuildBucketsStep(db: Db, batch = 2_000, gazetteer: Gazetteer = YOGYAKARTA): { indexed: number; finished: boolean } {
  const client = db.$client;
  const marker = client.prepare('SELECT value FROM counters WHERE name = ?').get(REBUILD_MARKER) as { value: number } | undefined;
  if (!marker) return { indexed: 0, finished: true };
  const kinds = REPEAT_KINDS.map(() => '?').join(', ');
  const rows = client.prepare(`SELECT id, summary FROM cases WHERE (kind IN (${kinds}) OR status = 'triage') AND id > ? ORDER BY id LIMIT ?`).all(...REPEAT_KINDS, marker.value, batch) as Array<{ id: number; summary: string }>;
  const insert = client.prepare('INSERT OR IGNORE INTO dedupe_buckets (band_key, case_id) VALUES (?, ?)');
  const insertPlace = client.prepare('INSERT OR IGNORE INTO problem_places (place_key, case_id, words) VALUES (?, ?, ?)');
  const store = client.prepare('UPDATE cases SET shingles = ? WHERE id = ?');
  client.transaction(() => {
    for (const r of rows) {
      const tokens = tokenize(r.summary);
      const problem = problemSignature(r.summary, tokens, gazetteer);
      if (problem.wordHashes.length >= 2) for (const p of problem.places) insertPlace.run(placeKey(p), r.id, encodeHashes(problem.wordHashes));
      const sh = shingles(tokens);
      if (sh.size < 2) continue;
      const hashes = shingleHashes(sh);
      for (const k of bandKeys(minhash(hashes))) insert.run(k, r.id);
      store.run(encodeHashes(hashes), r.id);
    }
    if (rows.length < batch) client.prepare('DELETE FROM counters WHERE name = ?').run(REBUILD_MARKER);
    else client.prepare('UPDATE counters SET value = ? WHERE name = ?').run(rows[rows.length - 1]!.id, REBUILD_MARKER);
  })();
  return { indexed: rows.length, finished: rows.length < batch };
}

/** Slices per band of the bucket index read by one load step (≈ 62,000 entries at 10^6 cases). */
const LOAD_SLICES = 16;
/** Case ids whose sketches one load step reads. */
const SKETCH_IDS = 20_000;
/** Load steps over the message hash index. */
const HASH_STEPS = 16;

export interface RepeatIndexLoad {
  /** Reads the next slice; `finished` once the index is in use (or given up: `dropped` says why). */
  step(): { entries: number; finished: boolean; dropped?: string; bytes?: number };
}

/**
 * Loads the repeat index into memory for this connection, in steps (the intake worker runs them
 * between jobs; lookups read SQLite until the last one): the bucket index one slice of one band a step,
 * in primary-key order, so loading is a sequential read and no sort; then the cases' shingle sketches;
 * then the messages' text hashes. Cases and messages stored meanwhile are caught up by the first lookup
 * after. Over `maxMb` the load is given up and lookups keep reading SQLite.
 */
export function loadRepeatIndex(db: Db, maxMb: number): RepeatIndexLoad {
  const client = db.$client;
  const st = prepared(client);
  memory.delete(client);
  const lastCaseId = (client.prepare('SELECT coalesce(max(id), 0) FROM cases').pluck().get() as number);
  const lastMessageId = (client.prepare('SELECT coalesce(max(id), 0) FROM messages').pluck().get() as number);
  const m: MemoryIndex = {
    index: new BandIndex(BANDS), sketches: new SketchTable(lastCaseId), hashes: new HashPrefixSet(),
    ready: false, lastCaseId, lastMessageId, dataVersion: st.dataVersion(), dirty: false, again: new Set(),
  };
  memory.set(client, m);
  const slice = client.prepare('SELECT band_key, case_id FROM dedupe_buckets WHERE band_key >= ? AND band_key < ? AND case_id <= ? ORDER BY band_key, case_id').raw();
  const sketchRange = client.prepare('SELECT id, shingles FROM cases WHERE id > ? AND id <= ? AND shingles IS NOT NULL ORDER BY id').raw();
  const width = 0x1_0000_0000 / LOAD_SLICES;
  const maxBytes = maxMb * 1024 * 1024;
  // at most BANDS entries a case: reserved at once (within the budget), so loading copies nothing
  if (maxMb > 0) {
    m.index.reserve(Math.min(lastCaseId * BANDS, Math.floor(maxBytes / 8)));
    m.hashes.reserve(Math.min(lastMessageId, Math.floor(maxBytes / 8)));
  }
  // the message hash index in HASH_STEPS ranges of its first two hex digits
  const hashRange = client.prepare('SELECT text_hash FROM messages WHERE text_hash >= ? AND text_hash < ? AND id <= ?').pluck();
  const hexBound = (i: number): string => (i >= HASH_STEPS ? 'g' : ((i * 256) / HASH_STEPS).toString(16).padStart(2, '0'));
  const sketchSteps = Math.ceil(lastCaseId / SKETCH_IDS);
  const bandSteps = BANDS * LOAD_SLICES;
  let next = 0;
  return {
    step() {
      if (maxMb <= 0) { memory.delete(client); return { entries: 0, finished: true, dropped: 'dedupe.memoryIndexMb is 0' }; }
      if (next < bandSteps) {
        // one slice of one band's key range, in primary-key order
        const from = Math.floor(next / LOAD_SLICES) * 0x1_0000_0000 + (next % LOAD_SLICES) * width;
        for (const [key, id] of slice.iterate(from, from + width, lastCaseId) as Iterable<[number, number]>) m.index.append(key, id);
      } else if (next < bandSteps + sketchSteps) {
        // then the sketches, SKETCH_IDS case ids a step
        const after = (next - bandSteps) * SKETCH_IDS;
        for (const [id, hashes] of sketchRange.iterate(after, after + SKETCH_IDS) as Iterable<[number, Buffer]>) m.sketches.set(id, decodeHashes(hashes));
      } else {
        // then the messages' text hashes
        const i = next - bandSteps - sketchSteps;
        for (const hash of hashRange.iterate(hexBound(i), hexBound(i + 1), lastMessageId) as Iterable<string>) m.hashes.add(hash);
      }
      next++;
      if (m.index.bytes + m.sketches.bytes + m.hashes.bytes > maxBytes) {
        memory.delete(client);
        return { entries: m.index.entries, finished: true, dropped: `the index needs more than dedupe.memoryIndexMb (${maxMb} MB)` };
      }
      if (next < bandSteps + sketchSteps + HASH_STEPS) return { entries: m.index.entries, finished: false };
      m.index.seal();
      m.ready = true;
      m.dirty = true; // the first lookup reads what was stored while loading
      return { entries: m.index.entries, finished: true, bytes: m.index.bytes + m.sketches.bytes + m.hashes.bytes };
    },
  };
}

/** The whole load at once (the bench and tests; the intake worker runs the steps between jobs). */
export function loadRepeatIndexNow(db: Db, maxMb: number): { entries: number; dropped?: string; bytes?: number } {
  const load = loadRepeatIndex(db, maxMb);
  for (;;) {
    const r = load.step();
    if (r.finished) return r.dropped ? { entries: r.entries, dropped: r.dropped } : { entries: r.entries, bytes: r.bytes ?? 0 };
  }
}

/** The whole rebuild at once (tests, `aduan migrate`); returns the number of cases indexed. */
export function rebuildBuckets(db: Db, onProgress?: (done: number) => void, gazetteer: Gazetteer = YOGYAKARTA): number {
  let done = 0;
  for (;;) {
    const step = rebuildBucketsStep(db, undefined, gazetteer);
    done += step.indexed;
    if (step.indexed > 0) onProgress?.(done);
    if (step.finished) return done;
  }
}
