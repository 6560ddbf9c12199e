import { and, asc, count, desc, eq, gt, gte, inArray, isNull, max } from 'drizzle-orm';
import { attachments, cases, contacts, messages } from '../db/schema.ts';
import type { AttachmentRef, InboundMessage } from '../message.ts';
import type { Tx } from './contacts.repo.ts';
import { markInput } from './state.repo.ts';

export type MessageRow = typeof messages.$inferSelect;

export function findMessageBySource(tx: Tx, connectorId: string, externalId: string): MessageRow | undefined {
  return tx.select().from(messages).where(and(eq(messages.connectorId, connectorId), eq(messages.externalId, externalId))).get();
}

/** When the contact last wrote on the case (ISO, as their channel received it), or undefined. */
export function lastMessageAt(tx: Tx, caseId: number, contactId: number): string | undefined {
  return tx.select({ at: max(messages.receivedAt) }).from(messages).where(and(eq(messages.caseId, caseId), eq(messages.contactId, contactId))).get()?.at ?? undefined;
}

/** A contact's latest messages on a case through one channel, newest first, at most `limit`. */
export function latestMessagesOf(tx: Tx, caseId: number, contactId: number, connectorId: string, limit: number): MessageRow[] {
  return tx.select().from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.contactId, contactId), eq(messages.connectorId, connectorId)))
    .orderBy(desc(messages.id)).limit(limit).all();
}

/** What a contact added to a case after message `afterId` (replies, copies of their text), oldest first. */
export function addedMessagesOf(tx: Tx, caseId: number, contactId: number, afterId: number): MessageRow[] {
  return tx.select().from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.contactId, contactId), gt(messages.id, afterId), inArray(messages.relation, ['reply', 'duplicate'])))
    .orderBy(asc(messages.id)).all();
}

/** A contact's messages added to a case (not the one that opened it) recorded since a time, oldest first. */
export function addedMessagesSince(tx: Tx, caseId: number, contactId: number, since: string): MessageRow[] {
  return tx.select().from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.contactId, contactId), gte(messages.recordedAt, since), inArray(messages.relation, ['reply', 'duplicate'])))
    .orderBy(asc(messages.id)).all();
}

/** The files of these messages, as attachment refs (the ones not kept: withheld, with the reason), by message id. */
export function attachmentsOfMessages(tx: Tx, messageIds: readonly number[]): Map<number, AttachmentRef[]> {
  const out = new Map<number, AttachmentRef[]>();
  if (messageIds.length === 0) return out;
  for (const a of tx.select().from(attachments).where(inArray(attachments.messageId, [...messageIds])).orderBy(attachments.id).all()) {
    out.set(a.messageId, [...(out.get(a.messageId) ?? []), {
      filename: a.filename, contentType: a.contentType, size: a.size, ...(a.sha256 ? { sha256: a.sha256 } : {}), ...(a.withheld ? { withheld: a.withheld } : {}),
    }]);
  }
  return out;
}

/** The files of every message on a case, oldest first. */
export function attachmentsOfCase(tx: Tx, caseId: number): AttachmentRef[] {
  const ids = tx.select({ id: messages.id }).from(messages).where(eq(messages.caseId, caseId)).orderBy(asc(messages.id)).all().map((m) => m.id);
  return [...attachmentsOfMessages(tx, ids).values()].flat();
}

export interface NewMessage {
  ingestId: string;
  message: InboundMessage;
  contactId: number | null;
  caseId: number | null;
  relation: string;
  recordedAt: string;
  label?: string | null;
  confidence?: number | null;
  features?: unknown;
  textHash?: string | null;
}

export function insertMessage(tx: Tx, m: NewMessage): MessageRow {
  const msg = m.message;
  const row = tx
    .insert(messages)
    .values({
      ingestId: m.ingestId, connectorId: msg.connectorId, externalId: msg.externalId, channel: msg.channel,
      contactId: m.contactId, caseId: m.caseId, relation: m.relation, receivedAt: msg.receivedAt,
      recordedAt: m.recordedAt, subject: msg.subject ?? null, text: msg.text, thread: msg.thread ?? null,
      meta: msg.meta, rawRef: msg.rawRef ?? null, label: m.label ?? null, confidence: m.confidence ?? null,
      features: m.features ?? null, textHash: m.textHash ?? null,
    })
    .returning()
    .get();
  insertAttachments(tx, row.id, msg.attachments);
  markInput(tx, msg.connectorId, m.recordedAt);
  return row;
}

function insertAttachments(tx: Tx, messageId: number, refs: readonly AttachmentRef[]): void {
  for (const a of refs) {
    tx.insert(attachments)
      .values({ messageId, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256 ?? null, withheld: a.withheld ?? null })
      .run();
  }
}

export interface MessageStatus {
  id: string;
  status: 'recorded';
  relation: string;
  caseNumber: string | null;
  caseStatus: string | null;
  /** The channel's own id of the message (the web form's start with `form-`). */
  externalId: string;
  /** The message's sender is the case's own citizen (not a message that named another's case number). */
  ownCase: boolean;
  /** Its files not kept (the web form's photos that were no image, a type not allowed): name and reason. */
  withheld: { filename: string; reason: string }[];
  /** What it says, as recorded (the web channel: the case number it names; a retry of it sent again). */
  text: string;
  subject: string | null;
}

/** Status of a recorded message by its public id, for the web channel's status endpoint. */
export function messageStatus(tx: Tx, ingestId: string, connectorId?: string): MessageStatus | undefined {
  const row = tx
    .select({ id: messages.id, relation: messages.relation, number: cases.number, status: cases.status, externalId: messages.externalId, contactId: messages.contactId, caseContactId: cases.contactId, text: messages.text, subject: messages.subject })
    .from(messages)
    .leftJoin(cases, eq(cases.id, messages.caseId))
    .where(connectorId === undefined ? eq(messages.ingestId, ingestId) : and(eq(messages.ingestId, ingestId), eq(messages.connectorId, connectorId)))
    .get();
  if (!row) return undefined;
  const withheld = (attachmentsOfMessages(tx, [row.id]).get(row.id) ?? []).flatMap((a) => (a.withheld ? [{ filename: a.filename, reason: a.withheld }] : []));
  return { id: ingestId, status: 'recorded', relation: row.relation, caseNumber: row.number, caseStatus: row.status, externalId: row.externalId,
    ownCase: row.contactId !== null && row.contactId === row.caseContactId, withheld, text: row.text, subject: row.subject };
}

/**
 * Relations a message is recorded with on no case: `unmatched` (a question about a case the sender has
 * none of, answered neutrally: intake.ts unmatchedQuestion) and `ignored` (an auto-reply, a bounce, a
 * honeypot submission, not answered; one in a case's thread is on that case and not listed here).
 */
export const CASELESS_RELATIONS = ['unmatched', 'ignored'] as const;
export type CaselessRelation = (typeof CASELESS_RELATIONS)[number];

/** A message recorded on no case, with its sender's details (for `aduan messages`: masked there). */
export interface CaselessMessage {
  recordedAt: string;
  receivedAt: string;
  channel: string;
  connectorId: string;
  relation: string;
  subject: string | null;
  text: string;
  sender: { phone: string | null; email: string | null; telegramChatId: string | null };
}

/**
 * The messages recorded on no case with these relations since a time (ISO, inclusive), of these
 * contacts when given, newest first, at most `limit`. Through messages_case_idx (case_id IS NULL):
 * the caseless messages only, never the messages of the cases.
 */
export function caselessMessages(tx: Tx, q: { relations: readonly CaselessRelation[]; since?: string; contactIds?: readonly number[]; limit: number }): CaselessMessage[] {
  const where = [isNull(messages.caseId), inArray(messages.relation, [...q.relations]),
    q.since !== undefined ? gte(messages.recordedAt, q.since) : undefined,
    q.contactIds !== undefined ? inArray(messages.contactId, q.contactIds.length > 0 ? [...q.contactIds] : [-1]) : undefined].filter((w) => w !== undefined);
  return tx.select({
    recordedAt: messages.recordedAt, receivedAt: messages.receivedAt, channel: messages.channel, connectorId: messages.connectorId, relation: messages.relation,
    subject: messages.subject, text: messages.text, phone: contacts.phone, email: contacts.email, telegramChatId: contacts.telegramChatId,
  }).from(messages).leftJoin(contacts, eq(contacts.id, messages.contactId)).where(and(...where)).orderBy(desc(messages.id)).limit(q.limit).all()
    .map(({ phone, email, telegramChatId, ...m }) => ({ ...m, sender: { phone, email, telegramChatId } }));
}

/** How many messages were recorded on no case since a time (ISO), per caseless relation (0 for none). */
export function caselessCounts(tx: Tx, since: string): Record<CaselessRelation, number> {
  const rows = tx.select({ relation: messages.relation, n: count() }).from(messages)
    .where(and(isNull(messages.caseId), gte(messages.recordedAt, since))).groupBy(messages.relation).all();
  const out = Object.fromEntries(CASELESS_RELATIONS.map((r) => [r, 0])) as Record<CaselessRelation, number>;
  for (const r of rows) if ((CASELESS_RELATIONS as readonly string[]).includes(r.relation)) out[r.relation as CaselessRelation] = r.n;
  return out;
}
