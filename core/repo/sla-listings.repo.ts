import { eq } from 'drizzle-orm';
import { rawClient } from '../db/client.ts';
import { slaListings } from '../db/schema.ts';
import type { Tx } from './contacts.repo.ts';

export type SlaListing = typeof slaListings.$inferSelect;

/** (prepared once per connection: the sweep asks it for each of thousands of late cases, in the write lock) */
const listedStatements = new WeakMap<object, { get(...params: unknown[]): unknown }>();

/** Whether an escalation mail lists the case's escalation at `stage` already (any scheduler process's, any run's). */
export function isListed(tx: Tx, caseId: number, stage: string): boolean {
  const client = rawClient(tx);
  let st = listedStatements.get(client);
  if (!st) listedStatements.set(client, (st = client.prepare('SELECT 1 FROM sla_listings WHERE case_id = ? AND stage = ?').pluck()));
  return st.get(caseId, stage) !== undefined;
}

/** The cases an escalation mail (`outboxId`) lists, written in the transaction that writes the mail. */
export function addListings(tx: Tx, rows: readonly Omit<SlaListing, 'outboxId' | 'listedAt'>[], outboxId: string, at: string): void {
  // (in chunks: the first sweep after a long outage lists thousands at once)
  for (let i = 0; i < rows.length; i += 500) {
    tx.insert(slaListings).values(rows.slice(i, i + 500).map((r) => ({ ...r, outboxId, listedAt: at }))).run();
  }
}

/** The cases a mail that died listed: no longer listed (a later mail lists them again); returns them. */
export function releaseListings(tx: Tx, outboxId: string): SlaListing[] {
  return tx.delete(slaListings).where(eq(slaListings.outboxId, outboxId)).returning().all();
}

/** An archived case's listings: it is late on no clock any more. */
export function dropListingsOf(tx: Tx, caseId: number): void {
  tx.delete(slaListings).where(eq(slaListings.caseId, caseId)).run();
}
