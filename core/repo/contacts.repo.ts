import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts } from '../db/schema.ts';
import type { InboundMessage } from '../message.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;
export type Contact = typeof contacts.$inferSelect;

/**
 * Channels whose sender's phone and e-mail are only typed by the sender (the web form and JSON API): never
 * verified, anyone can type a citizen's number. Every other channel proves its sender's identifiers as
 * far as it can: an SMS/WhatsApp sender's number, a Telegram chat, an e-mail's From (as verified as
 * e-mail gets), an officer's entry (manual).
 */
export const CLAIMED_CHANNELS: ReadonlySet<string> = new Set(['web']);

/**
 * Find the contact a sender on `channel` is, or create one. A sender on a channel that proves its identifiers is found
 * among the contacts whose identifiers were proven (by phone, then e-mail, then Telegram chat), and that
 * contact learns proven identifiers it did not have yet. A web sender (CLAIMED_CHANNELS) is the web-only
 * contact of exactly the phone and e-mail typed (none typed counts as typed too): never a contact a channel
 * proved, and never one that learns what was typed — else anyone typing a citizen's number would get their
 * cases, and the mails about them (claimedContact).
 */
export function resolveContact(tx: Tx, sender: InboundMessage['sender'], now: string, channel: InboundMessage['channel']): Contact {
  const email = sender.email?.trim().toLowerCase();
  if (CLAIMED_CHANNELS.has(channel)) return claimedContact(tx, sender, email, now);
  const proven = (column: 'phone' | 'email' | 'telegramChatId', value: string): Contact | undefined =>
    tx.select().from(contacts).where(and(eq(contacts[column], value), eq(contacts.claimed, false))).get();
  const found =
    (sender.phone ? proven('phone', sender.phone) : undefined) ??
    (email ? proven('email', email) : undefined) ??
    (sender.telegramChatId ? proven('telegramChatId', sender.telegramChatId) : undefined);
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
  if (!found.phone && sender.phone && !proven('phone', sender.phone)) patch.phone = sender.phone;
  if (!found.email && email && !proven('email', email)) patch.email = email;
  if (!found.telegramChatId && sender.telegramChatId && !proven('telegramChatId', sender.telegramChatId)) {
    patch.telegramChatId = sender.telegramChatId;
  }
  if (Object.keys(patch).length === 0) return found;
  return tx.update(contacts).set(patch).where(eq(contacts.id, found.id)).returning().get() ?? found;
}

/**
 * The web-only contact of exactly the phone and e-mail a web sender typed. Whoever types the same pair
 * again (the same citizen using the form again) is that contact: their repeats, "susulan foto untuk …"
 * and progress questions find their own web reports; typing only a part of it, or another address with
 * the same phone, is another contact — so a stranger who knows a citizen's phone learns nothing of the
 * reports sent with that phone and an e-mail. What it was typed with is all it has: our mails about its
 * cases go to the e-mail typed with them, never to an identifier another message gave.
 */
function claimedContact(tx: Tx, sender: InboundMessage['sender'], email: string | undefined, now: string): Contact {
  const found = tx.select().from(contacts).where(and(eq(contacts.claimed, true),
    sql`ifnull(${contacts.phone}, '') = ${sender.phone ?? ''}`, sql`ifnull(${contacts.email}, '') = ${email ?? ''}`)).get();
  if (!found) {
    return tx.insert(contacts).values({
      name: sender.name ?? null, phone: sender.phone ?? null, email: email ?? null, webContact: sender.webContact ?? null, claimed: true, createdAt: now,
    }).returning().get();
  }
  if (found.name || !sender.name) return found;
  return tx.update(contacts).set({ name: sender.name }).where(eq(contacts.id, found.id)).returning().get() ?? found;
}

/**
 * Who a message's sender (`contact`) is on a case, for its role there: the case's own contact when the
 * sender is it, or when the case's contact is a web-only one (claimed) and the sender, on a channel that
 * proves it, has the e-mail or phone typed for it — our mails about the case went to that address, and
 * its owner answers them. Otherwise the sender as they are (someone else's case).
 */
export function citizenOnCase(tx: Tx, caseContactId: number | null, contact: Contact): Contact {
  if (caseContactId === null || caseContactId === contact.id || contact.claimed) return contact;
  const own = getContact(tx, caseContactId);
  if (!own?.claimed) return contact;
  const same = (own.email !== null && own.email === contact.email) || (own.phone !== null && own.phone === contact.phone);
  return same ? own : contact;
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
