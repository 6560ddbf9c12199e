import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { outboxIdStartsWith } from '../repo/outbox.repo.ts';
import { cases, outbox } from '../db/schema.ts';
import type { Tx } from '../repo/contacts.repo.ts';

/** How many of our latest texts to a contact a reply is compared with: what a phone still shows to quote. */
const OUR_TEXTS_LOOKED_AT = 100;
/** Shorter texts of ours are not looked for ("OK"): a citizen may say them themselves. */
const OUR_TEXT_MIN_CHARS = 20;

/** What comes before a quote of ours: the marks of a quote, "Re:"/"Fwd:", spaces. */
const BEFORE = /(?:\b(?:re|fwd?|fw|bls|balas)\s*:|[\s>"“”„«»'‘’`])+$/i;
/** What closes a quote of ours. */
const AFTER = /^[\s"“”«»'‘’`]+/;

/**
 * The texts we sent a contact on their SMS or chat channel (the channel outbox rows of their cases,
 * and the answers to their questions on no case): the newest first.
 */
function ourTexts(tx: Tx, contactId: number): { text: string; caseId: number | null }[] {
  const theirs = tx.select({ id: cases.id }).from(cases).where(eq(cases.contactId, contactId));
  // (two reads, each through an index — their cases' rows by outbox_case_idx, the caseless answers by the id's
  // range —, not one with OR, which SQLite answers by reading the whole outbox)
  const read = (where: SQL) => tx.select({ payload: outbox.payload, caseId: outbox.caseId, createdAt: outbox.createdAt }).from(outbox)
    .where(and(eq(outbox.kind, 'channel'), where)).orderBy(desc(outbox.createdAt)).limit(OUR_TEXTS_LOOKED_AT).all();
  const rows = [...read(inArray(outbox.caseId, theirs)), ...read(outboxIdStartsWith(`unmatched.c${contactId}.`))]
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, OUR_TEXTS_LOOKED_AT);
  return rows.flatMap((r) => {
    const text = (r.payload as { text?: unknown }).text;
    return typeof text === 'string' && text.trim().length >= OUR_TEXT_MIN_CHARS ? [{ text, caseId: r.caseId }] : [];
  });
}

/**
 * The text with the marks of a quote left out, whitespace as one space, and where each of its
 * characters stands in the text: ">" at a line's start is a quote's mark (as "> " quotes each line).
 */
function flattened(text: string): { flat: string; at: number[] } {
  let flat = '';
  const at: number[] = [];
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') lineStart = true;
    if (/\s/.test(c)) {
      if (flat !== '' && !flat.endsWith(' ')) { flat += ' '; at.push(i); }
      continue;
    }
    if (lineStart && c === '>') continue;
    lineStart = false;
    flat += c;
    at.push(i);
  }
  return { flat, at };
}

/** A reply without what it copies of ours: what remains, and the cases whose texts it copied. */
export interface Unquoted {
  text: string;
  caseIds: number[];
}

/**
 * A citizen's SMS or chat reply without what it copies of our own messages to them ("Hasil tindak
 * lanjut aduan …: … Balas PUAS … atau TIDAK PUAS …" quoted by their phone, or pasted, then "Puas"):
 * each text we sent the contact (ourTexts), found as sent or with other whitespace, also each of its lines
 * after ">", in quotes («», "", “”) or after "Re:", is left out with those marks; what the citizen wrote
 * themselves remains (its lines as written), with the cases whose texts it copied. `undefined` when the reply copies none of ours, or nothing
 * else: it is read as it came.
 */
export function withoutOurTexts(tx: Tx, contactId: number | null, text: string): Unquoted | undefined {
  if (contactId === null || text.trim().length < OUR_TEXT_MIN_CHARS) return undefined;
  const ours = ourTexts(tx, contactId).map((t) => ({ flat: flattened(t.text).flat, caseId: t.caseId })).filter((t) => t.flat.length >= OUR_TEXT_MIN_CHARS)
    // (the longest first: a text of ours may hold a shorter one)
    .sort((a, b) => b.flat.length - a.flat.length);
  if (ours.length === 0) return undefined;
  const { flat, at } = flattened(text);
  // the parts of `text` to leave out, [from, to)
  const cuts: [number, number][] = [];
  const taken = new Array<boolean>(flat.length).fill(false);
  const caseIds = new Set<number>();
  for (const { flat: our, caseId } of ours) {
    for (let i = flat.indexOf(our); i >= 0; i = flat.indexOf(our, i + our.length)) {
      if (taken.slice(i, i + our.length).some(Boolean)) continue;
      taken.fill(true, i, i + our.length);
      let from = at[i]!, to = at[i + our.length - 1]! + 1;
      from -= BEFORE.exec(text.slice(0, from))?.[0].length ?? 0;
      to += AFTER.exec(text.slice(to))?.[0].length ?? 0;
      cuts.push([from, to]);
      if (caseId !== null) caseIds.add(caseId);
    }
  }
  if (cuts.length === 0) return undefined;
  cuts.sort((a, b) => a[0] - b[0]);
  let rest = '';
  let from = 0;
  for (const [a, b] of cuts) {
    if (a > from) rest += text.slice(from, a);
    from = Math.max(from, b);
  }
  rest += text.slice(from);
  // (a quote's leftover marks: a line of ">" alone)
  const own = rest.split('\n').filter((l) => !/^[\s>]*$/.test(l)).join('\n').trim();
  return own === '' ? undefined : { text: own, caseIds: [...caseIds] };
}
