/**
 * Repeat detection (SOP step 4). Exact repeats by the normalised-text hash (`messages.text_hash`);
 * near repeats by MinHash over word bigram shingles, with LSH band keys stored in
 * `dedupe_buckets`, so a lookup is a handful of index seeks whatever the history size. Candidates
 * are verified by the exact Jaccard similarity of their shingles (from the case summary).
 *
 * Same contact within `dedupe.windowDays` ⇒ duplicate; another contact (or the same one later)
 * within `dedupe.recurringWindowDays` ⇒ recurring. Only complaint/question cases are repeat targets.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import { cases, dedupeBuckets, messages } from '../db/schema.ts';
import type { Tx } from '../repo/contacts.repo.ts';
import { tokenize } from './normalize.ts';

/** LSH layout: BANDS × ROWS min-hashes. P(candidate) at Jaccard 0.7 ≈ 0.97, at 0.3 ≈ 0.2. */
export const BANDS = 8;
export const ROWS = 3;
const NUM_HASHES = BANDS * ROWS;
/** Candidates verified per lookup (most band hits first). */
const MAX_VERIFY = 24;
const MASKS = new Set(['!', '?']);

const SEEDS: Uint32Array = (() => {
  const out = new Uint32Array(NUM_HASHES);
  let s = 0x9e3779b9;
  for (let i = 0; i < NUM_HASHES; i++) { s = (Math.imul(s ^ (s >>> 16), 0x85ebca6b) + 0x6a09e667 + i) >>> 0; out[i] = s; }
  return out;
})();

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}

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

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export function minhash(sh: ReadonlySet<string>): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const s of sh) {
    const h = fnv1a(s);
    for (let i = 0; i < NUM_HASHES; i++) {
      const v = mix(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** One key per band: `<band>:<hash of the band's rows>` (base 36). */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) { h = Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193); h = mix(h); }
    keys.push(`${b.toString(36)}:${(h >>> 0).toString(36)}`);
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
}

export type RepeatResult = { relation: 'new' } | { relation: 'duplicate' | 'recurring'; caseId: number; similarity: number };

const REPEAT_KINDS = ['complaint', 'question'];

function isoDaysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** Look the message up: exact hash first, then LSH candidates verified by Jaccard. */
export function findRepeat(tx: Tx, q: RepeatQuery): RepeatResult {
  const dupSince = isoDaysBefore(q.now, q.windowDays);
  const recSince = isoDaysBefore(q.now, Math.max(q.windowDays, q.recurringWindowDays));
  const classify = (caseId: number, caseContact: number | null, createdAt: string, similarity: number): RepeatResult | undefined => {
    if (caseContact === q.contactId && createdAt >= dupSince) return { relation: 'duplicate', caseId, similarity };
    if (createdAt >= recSince) return { relation: 'recurring', caseId, similarity };
    return undefined;
  };

  // exact: the normalised-text hash of earlier messages that opened or joined a case
  const exact = tx
    .select({ caseId: cases.id, contactId: cases.contactId, createdAt: cases.createdAt })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(messages.textHash, q.hash), gte(cases.createdAt, recSince), inArray(cases.kind, REPEAT_KINDS)))
    .orderBy(desc(cases.id))
    .limit(20)
    .all();
  let recurring: RepeatResult | undefined;
  for (const c of exact) {
    const r = classify(c.caseId, c.contactId, c.createdAt, 1);
    if (r?.relation === 'duplicate') return r;
    recurring ??= r;
  }
  if (recurring) return recurring;

  // near: LSH band buckets
  const sh = shingles(q.tokens);
  if (sh.size < 2) return { relation: 'new' };
  const keys = bandKeys(minhash(sh));
  const rows = tx
    .select({ caseId: dedupeBuckets.caseId, contactId: dedupeBuckets.contactId, createdAt: dedupeBuckets.createdAt })
    .from(dedupeBuckets)
    .where(and(inArray(dedupeBuckets.bandKey, keys), gte(dedupeBuckets.createdAt, recSince)))
    .all();
  if (rows.length === 0) return { relation: 'new' };
  const hits = new Map<number, { n: number; contactId: number | null; createdAt: string }>();
  for (const r of rows) {
    const h = hits.get(r.caseId);
    if (h) h.n++; else hits.set(r.caseId, { n: 1, contactId: r.contactId, createdAt: r.createdAt });
  }
  const ranked = [...hits.entries()].sort((a, b) => b[1].n - a[1].n || b[0] - a[0]).slice(0, MAX_VERIFY);
  const summaries = tx
    .select({ id: cases.id, summary: cases.summary, kind: cases.kind })
    .from(cases)
    .where(inArray(cases.id, ranked.map(([id]) => id)))
    .all();
  const byId = new Map(summaries.map((s) => [s.id, s]));
  let best: { relation: 'duplicate' | 'recurring'; caseId: number; similarity: number } | undefined;
  for (const [caseId, h] of ranked) {
    const row = byId.get(caseId);
    if (!row || !REPEAT_KINDS.includes(row.kind)) continue;
    const sim = jaccard(sh, shingles(tokenize(row.summary)));
    if (sim < q.threshold) continue;
    const r = classify(caseId, h.contactId, h.createdAt, sim);
    if (!r || r.relation === 'new') continue;
    const better = !best || (r.relation === 'duplicate' && best.relation === 'recurring') ||
      (r.relation === best.relation && sim > best.similarity);
    if (better) best = r;
  }
  return best ?? { relation: 'new' };
}

/** Store the band keys of a new case. */
export function rememberCase(tx: Tx, caseId: number, contactId: number | null, tokens: readonly string[], createdAt: string): void {
  const sh = shingles(tokens);
  if (sh.size < 2) return;
  const keys = bandKeys(minhash(sh));
  tx.insert(dedupeBuckets).values(keys.map((bandKey) => ({ bandKey, caseId, contactId, createdAt }))).onConflictDoNothing().run();
}
