import { and, desc, eq, gt, gte, inArray, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { outbox } from '../db/schema.ts';
import type { Tx } from './contacts.repo.ts';

export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutbox {
  id: string;
  caseId: number | null;
  kind: 'mail' | 'channel';
  queue: string;
  payload: unknown;
  now: string;
  /** Not queued before this time (a held forward); absent: at once. */
  notBefore?: string;
}

/**
 * Outbox ids that begin with `prefix`, as a range of the primary key (a seek: LIKE 'p%' is case-insensitive in
 * SQLite and reads every row of the outbox — hundreds of thousands after a few years).
 */
export function outboxIdStartsWith(prefix: string): SQL {
  return and(gte(outbox.id, prefix), lt(outbox.id, `${prefix}\u{10FFFF}`))!;
}

/** Whether an outgoing item whose id begins with `prefix` was written after `since` (ISO): how often a sender was answered. */
export function outboxWrittenSince(tx: Tx, prefix: string, since: string): boolean {
  return tx.select({ id: outbox.id }).from(outbox).where(and(outboxIdStartsWith(prefix), gt(outbox.createdAt, since))).get() !== undefined;
}

/** Insert an outgoing item; the deterministic id makes a replayed intake a no-op (false: a row with that id was there). */
export function insertOutbox(tx: Tx, o: NewOutbox): boolean {
  return tx.insert(outbox)
    .values({ id: o.id, caseId: o.caseId, kind: o.kind, queue: o.queue, payload: o.payload, status: 'pending', createdAt: o.now, updatedAt: o.now, notBefore: o.notBefore ?? null })
    .onConflictDoNothing()
    .run().changes > 0;
}

export function getOutbox(tx: Tx, id: string): OutboxRow | undefined {
  return tx.select().from(outbox).where(eq(outbox.id, id)).get();
}

/**
 * Ids of the rows of one queue that begin with `prefix` (e.g. a case number and its dot), at most `limit`:
 * a range over the primary key, so cheap however large the outbox.
 */
export function outboxIdsWithPrefix(tx: Tx, queue: string, prefix: string, limit = 500): string[] {
  return tx.select({ id: outbox.id }).from(outbox)
    .where(and(gte(outbox.id, prefix), lt(outbox.id, `${prefix}\uffff`), eq(outbox.queue, queue)))
    .orderBy(outbox.id).limit(limit).all().map((r) => r.id);
}

/** Rows to hand to their queue now (a held row only once its time has come). */
export function pendingOutbox(tx: Tx, limit: number, now: string = new Date().toISOString()): OutboxRow[] {
  return tx.select().from(outbox).where(and(eq(outbox.status, 'pending'), or(isNull(outbox.notBefore), lte(outbox.notBefore, now))))
    .orderBy(outbox.createdAt).limit(limit).all();
}

/** The row `id` while it is held at `now`: pending, its time not yet come. */
const heldAt = (id: string, now: string) => and(eq(outbox.id, id), eq(outbox.status, 'pending'), gt(outbox.notBefore, now));

/** A row still held at `now` (pending, its time not yet come), or undefined once it may go. */
export function heldOutbox(tx: Tx, id: string, now: string): OutboxRow | undefined {
  return tx.select().from(outbox).where(heldAt(id, now)).get();
}

/** The newest row of a case whose id starts with `prefix` that is still held at `now`. */
export function heldOutboxOfCase(tx: Tx, caseId: number, prefix: string, now: string): OutboxRow | undefined {
  return tx.select().from(outbox)
    .where(and(eq(outbox.caseId, caseId), like(outbox.id, `${prefix}%`), eq(outbox.status, 'pending'), gt(outbox.notBefore, now)))
    .orderBy(desc(outbox.createdAt)).get();
}

/**
 * Rewrite a row held at `now`: new payload, to go at `until` (null: now; the time stays on the row, so
 * delivery clocks count from it). False when it was no longer held: what it carries goes out as it was.
 */
export function rewriteHeldOutbox(tx: Tx, id: string, payload: unknown, until: string | null, now: string): boolean {
  const r = tx.update(outbox).set({ payload, notBefore: until ?? now, updatedAt: now })
    .where(heldAt(id, now)).run();
  return r.changes > 0;
}

/** A row sent, or on its way at `now`: handed to its queue, being sent, or pending and not (or no longer) held. */
export function outboxOut(tx: Tx, id: string, now: string): boolean {
  const row = tx.select({ status: outbox.status, notBefore: outbox.notBefore }).from(outbox).where(eq(outbox.id, id)).get();
  if (!row) return false;
  return row.status === 'sent' || row.status === 'queued' || row.status === 'sending' || (row.status === 'pending' && (row.notBefore === null || row.notBefore <= now));
}

/** A row held at `now` goes now. */
export function releaseHeldOutbox(tx: Tx, id: string, now: string): void {
  tx.update(outbox).set({ notBefore: now, updatedAt: now }).where(heldAt(id, now)).run();
}

/** A row held at `now` that is not to go out after all (its case changed first). */
export function skipHeldOutbox(tx: Tx, id: string, why: string, now: string): void {
  tx.update(outbox).set({ status: 'skipped', lastError: why, updatedAt: now })
    .where(heldAt(id, now)).run();
}

/** Rows handed to a queue long ago and never finished: candidates to check against Redis. */
export function staleQueuedOutbox(tx: Tx, before: string, limit: number): OutboxRow[] {
  return tx.select().from(outbox).where(and(inArray(outbox.status, ['queued', 'sending']), lt(outbox.updatedAt, before))).limit(limit).all();
}

/** Set a row's status; a send attempt (sent, or failed with an error) counts in `attempts`. */
/**
 * Set a row's status. `onlyFrom`: only when it is still in one of these statuses — several dispatchers
 * (intake, forward, scheduler) and the senders race on a row: a row a sender already marked `sent`
 * must not be set back to `queued` (the stale sweep would then send it again), nor a failure mark
 * override a send. Returns whether the row changed.
 */
export function setOutboxStatus(tx: Tx, id: string, status: OutboxRow['status'], now: string, error?: string, onlyFrom?: readonly OutboxRow['status'][]): boolean {
  const patch: Partial<OutboxRow> = { status, updatedAt: now };
  if (status === 'sent') patch.sentAt = now;
  if (error !== undefined) patch.lastError = error.slice(0, 1000);
  const where = onlyFrom ? and(eq(outbox.id, id), inArray(outbox.status, [...onlyFrom])) : eq(outbox.id, id);
  return tx.update(outbox).set({ ...patch, attempts: sql`${outbox.attempts} + ${status === 'sent' || error !== undefined ? 1 : 0}` }).where(where).run().changes > 0;
}

/** Every status of a row that did not go out (nor is not to): all but `sent` and `skipped`. */
export const UNFINISHED: OutboxRow['status'][] = ['pending', 'queued', 'sending', 'dead'];

/**
 * The rows the scheduler's delivery clocks watch: unfinished, created before `before`, and not yet done
 * with (clock_done_at: escalated once, or no clock applies). Through outbox_clock_idx, which holds only
 * those rows — the statuses are written as literals, the index's own condition (a bound list cannot use
 * it); the dead rows of years, each escalated once, are not read again every minute. Lean columns.
 */
export function clockWatchedOutbox(tx: Tx, before: string) {
  return tx.select({ id: outbox.id, caseId: outbox.caseId, status: outbox.status, lastError: outbox.lastError, createdAt: outbox.createdAt, updatedAt: outbox.updatedAt, notBefore: outbox.notBefore })
    .from(outbox)
    .where(and(sql.raw(`"status" in (${UNFINISHED.map((s) => `'${s}'`).join(', ')})`), isNull(outbox.clockDoneAt), lt(outbox.createdAt, before)))
    .all();
}

/** The delivery clocks are done with these rows (escalated at `at`, or none applies to them): the sweep reads them no more. */
export function markOutboxClockDone(tx: Tx, ids: readonly string[], at: string): void {
  // (in chunks: the first sweep after the upgrade marks the staff mails that died over the years at once)
  for (let i = 0; i < ids.length; i += 500) {
    tx.update(outbox).set({ clockDoneAt: at }).where(and(inArray(outbox.id, ids.slice(i, i + 500)), isNull(outbox.clockDoneAt))).run();
  }
}

/** Statuses a failed send may still mark (a row sent or skipped meanwhile stays so). */
export const UNSENT: readonly OutboxRow['status'][] = ['pending', 'queued', 'sending'];

/** Rows per status; `held`: pending rows waiting for their time (a report's forward waiting for the rest), not stuck. */
export function outboxCounts(tx: Tx, now: string = new Date().toISOString()): Record<string, number> {
  // (counted in the status index, the held ones among the pending rows: grouping by an expression over
  // every row read the whole outbox, payloads and all — seconds at a few million mails)
  const rows = tx.select({ status: outbox.status, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.status).all();
  const out: Record<string, number> = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const held = out['pending'] ? Number(tx.select({ n: sql<number>`count(*)` }).from(outbox).where(and(eq(outbox.status, 'pending'), gt(outbox.notBefore, now))).get()?.n ?? 0) : 0;
  if (held > 0) {
    out['held'] = held;
    if (out['pending'] === held) delete out['pending'];
    else out['pending']! -= held;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Automatic mails to an address: sent since a time, or being sent. */
const autoMailsTo = (address: string, sinceIso: string) => and(eq(outbox.kind, 'mail'), sql`((${outbox.status} = 'sent' and ${outbox.sentAt} >= ${sinceIso}) or ${outbox.status} = 'sending')`,
  sql`json_extract(${outbox.payload}, '$.headers."Auto-Submitted"') = 'auto-replied'`,
  sql`exists (select 1 from json_each(${outbox.payload}, '$.to') where lower(value) = ${address.toLowerCase()})`);

/** Automatic mails already sent to an address since a time (per-recipient caps against loops). */
export function autoMailsSentTo(tx: Tx, address: string, sinceIso: string): number {
  const row = tx.select({ n: sql<number>`count(*)` }).from(outbox).where(autoMailsTo(address, sinceIso)).get();
  return Number(row?.n ?? 0);
}

/** When the oldest automatic mail sent to an address since a time went (the cap's window moves on from it). */
export function oldestAutoMailSentTo(tx: Tx, address: string, sinceIso: string): string | undefined {
  return tx.select({ at: sql<string | null>`min(${outbox.sentAt})` }).from(outbox).where(autoMailsTo(address, sinceIso)).get()?.at ?? undefined;
}
