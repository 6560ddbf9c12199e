import { and, desc, eq } from 'drizzle-orm';
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
