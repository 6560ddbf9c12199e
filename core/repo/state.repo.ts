import { and, asc, desc, eq, gt, gte, inArray, lt } from 'drizzle-orm';
import { connectorState, quarantine } from '../db/schema.ts';
import type { Tx } from './contacts.repo.ts';

/** A connector's own cursor (IMAP UID, Telegram offset…), the only state a connector writes. */
export function getState<T>(tx: Tx, connectorId: string, key: string): T | undefined {
  const row = tx.select().from(connectorState).where(and(eq(connectorState.connectorId, connectorId), eq(connectorState.key, key))).get();
  return row ? (row.value as T) : undefined;
}

export function setState(tx: Tx, connectorId: string, key: string, value: unknown, now: string): void {
  tx.insert(connectorState)
    .values({ connectorId, key, value, updatedAt: now })
    .onConflictDoUpdate({ target: [connectorState.connectorId, connectorState.key], set: { value, updatedAt: now } })
    .run();
}

export function deleteState(tx: Tx, connectorId: string, key: string): void {
  tx.delete(connectorState).where(and(eq(connectorState.connectorId, connectorId), eq(connectorState.key, key))).run();
}

/** The first key after every key beginning with `prefix` (its last character + 1): `key >= prefix AND key < end` reads the primary key's range. */
function prefixEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
}

/**
 * One batch of a prune: of a connector's keys beginning with `prefix` and after `afterKey` (in key order),
 * the next `limit` are read, and those last set (`updated_at`) before `before` deleted. `last`: the last key
 * read, where the next batch goes on (undefined when this one read the rest). Reads the primary key's range
 * only: each key is read once over a whole prune, whatever the number kept.
 */
export function pruneStateBatch(tx: Tx, connectorId: string, prefix: string, before: string, afterKey: string | undefined, limit: number): { removed: number; last: string | undefined } {
  if (prefix === '') throw new Error('pruneStateBatch: a prefix is required');
  const rows = tx.select({ key: connectorState.key, updatedAt: connectorState.updatedAt }).from(connectorState)
    .where(and(eq(connectorState.connectorId, connectorId), afterKey === undefined ? gte(connectorState.key, prefix) : gt(connectorState.key, afterKey), lt(connectorState.key, prefixEnd(prefix))))
    .orderBy(asc(connectorState.key))
    .limit(limit)
    .all();
  const old = rows.filter((r) => r.updatedAt < before).map((r) => r.key);
  const removed = old.length === 0 ? 0 : tx.delete(connectorState).where(and(eq(connectorState.connectorId, connectorId), inArray(connectorState.key, old), lt(connectorState.updatedAt, before))).run().changes;
  return { removed, last: rows.length === limit ? rows.at(-1)!.key : undefined };
}

export interface QuarantineEntry {
  connectorId: string;
  externalId?: string | null;
  code: string;
  reason: string;
  rawRef?: string | null;
  payload?: string | null;
}

/** Keep what could not be taken, with the reason: bad input is quarantined, never dropped. */
export function insertQuarantine(tx: Tx, q: QuarantineEntry, now: string): number {
  const id = tx
    .insert(quarantine)
    .values({ connectorId: q.connectorId, externalId: q.externalId ?? null, code: q.code, reason: q.reason, rawRef: q.rawRef ?? null, payload: q.payload?.slice(0, 65536) ?? null, createdAt: now })
    .returning({ id: quarantine.id })
    .get().id;
  // (bad input is input: the channel itself works)
  markInput(tx, q.connectorId, now);
  return id;
}

/** The key of a channel's last input (channel quiet watch, `quietAlertHours`). */
export const LAST_INPUT = 'lastInputAt';

/** A channel took something in (a message recorded, input quarantined): its quiet clock starts again. */
export function markInput(tx: Tx, connectorId: string, at: string): void {
  setState(tx, connectorId, LAST_INPUT, at, at);
}

export function listQuarantine(tx: Tx, limit = 100, order: 'oldest' | 'newest' = 'oldest') {
  return tx.select().from(quarantine).orderBy(order === 'oldest' ? quarantine.id : desc(quarantine.id)).limit(limit).all();
}
