import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts } from '../db/schema.ts';
import type { InboundMessage } from '../message.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;
export type Contact = typeof contacts.$inferSelect;

/**
 * Find the contact a sender is (by phone, then e-mail, then Telegram chat) or create one. A known
 * contact learns identifiers it did not have yet (a web sender who gave both phone and e-mail).
 */
export function resolveContact(tx: Tx, sender: InboundMessage['sender'], now: string): Contact {
  const email = sender.email?.trim().toLowerCase();
  const found =
    (sender.phone ? tx.select().from(contacts).where(eq(contacts.phone, sender.phone)).get() : undefined) ??
    (email ? tx.select().from(contacts).where(eq(contacts.email, email)).get() : undefined) ??
    (sender.telegramChatId
      ? tx.select().from(contacts).where(eq(contacts.telegramChatId, sender.telegramChatId)).get()
      : undefined);
  if (!found) {
    return tx
      .insert(contacts)
      .values({
        name: sender.name ?? null,
        phone: sender.phone ?? null,
        email: email ?? null,
        telegramChatId: sender.telegramChatId ?? null,
        webContact: sender.webContact ?? null,
        createdAt: now,
      })
      .returning()
      .get();
  }
  const patch: Partial<Contact> = {};
  if (!found.name && sender.name) patch.name = sender.name;
  if (!found.phone && sender.phone && !taken(tx, 'phone', sender.phone)) patch.phone = sender.phone;
  if (!found.email && email && !taken(tx, 'email', email)) patch.email = email;
  if (!found.telegramChatId && sender.telegramChatId && !taken(tx, 'telegramChatId', sender.telegramChatId)) {
    patch.telegramChatId = sender.telegramChatId;
  }
  if (Object.keys(patch).length === 0) return found;
  return tx.update(contacts).set(patch).where(eq(contacts.id, found.id)).returning().get() ?? found;
}

function taken(tx: Tx, column: 'phone' | 'email' | 'telegramChatId', value: string): boolean {
  return tx.select({ id: contacts.id }).from(contacts).where(eq(contacts[column], value)).get() !== undefined;
}

export function getContact(tx: Tx, id: number): Contact | undefined {
  return tx.select().from(contacts).where(eq(contacts.id, id)).get();
}

/** At most this many contacts match a name (the desk narrows it down with a longer name or the phone). */
export const FIND_NAME_MAX = 50;

/**
 * The contacts the desk means when a citizen asks after their reports without the case number: by phone
 * (E.164, as stored), e-mail (any case) or Telegram chat id, each an index seek; by a part of the name
 * (any case, a scan of the contacts: at most FIND_NAME_MAX). Criteria given together must all match.
 */
export function findContacts(tx: Tx, q: { phone?: string; email?: string; telegramChatId?: string; name?: string }): Contact[] {
  const where = [
    q.phone !== undefined ? eq(contacts.phone, q.phone) : undefined,
    q.email !== undefined ? eq(contacts.email, q.email.trim().toLowerCase()) : undefined,
    q.telegramChatId !== undefined ? eq(contacts.telegramChatId, q.telegramChatId) : undefined,
    // (instr on lower(): no LIKE wildcards to escape in a name such as "Sri_Rahayu 100%")
    q.name !== undefined ? sql`instr(lower(${contacts.name}), ${q.name.trim().toLowerCase()}) > 0` : undefined,
  ].filter((w) => w !== undefined);
  if (where.length === 0) return [];
  return tx.select().from(contacts).where(sql.join(where.map((w) => sql`(${w})`), sql` and `)).orderBy(contacts.id).limit(FIND_NAME_MAX).all();
}
