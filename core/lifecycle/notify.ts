import { asc, eq } from 'drizzle-orm';
import type { AduanConfig } from '../config/schema.ts';
import { messages } from '../db/schema.ts';
import type { ChannelReply } from '../intake.ts';
import { addressOf, ourMessageId, type MailPayload } from '../mail/compose.ts';
import { CHAT_CHANNELS } from '../message.ts';
import { outboundQueueName, QUEUES } from '../queue.ts';
import type { CaseRow } from '../repo/cases.repo.ts';
import { getContact, type Tx } from '../repo/contacts.repo.ts';
import { insertOutbox } from '../repo/outbox.repo.ts';

export interface NotifyDeps {
  config: Readonly<AduanConfig>;
  outboundChannels: ReadonlySet<string>;
}

/**
 * Send a text to the case's citizen on their own channel: SMS/Telegram through the connector's
 * outbound queue, e-mail (and web/manual with an address) by mail in their thread. Returns how it
 * went out, or null when the citizen cannot be reached (the status page still shows it).
 */
export function notifyCitizen(deps: NotifyDeps, tx: Tx, kase: CaseRow, purpose: string, text: string, at: string): 'channel' | 'mail' | null {
  const contact = kase.contactId === null ? undefined : getContact(tx, kase.contactId);
  if (!contact) return null;
  if (contact.doNotContactUntil !== null && contact.doNotContactUntil > at) return null;
  const first = tx.select().from(messages).where(eq(messages.caseId, kase.id)).orderBy(asc(messages.id)).get();
  const outboxId = `${kase.number}.${purpose}`;
  const viaChannel = CHAT_CHANNELS.has(kase.channel) && deps.outboundChannels.has(kase.connectorId);
  if (viaChannel) {
    const to: ChannelReply['to'] = {};
    if (contact.phone) to.phone = contact.phone;
    if (contact.telegramChatId) to.telegramChatId = contact.telegramChatId;
    if (contact.name) to.name = contact.name;
    const reply: ChannelReply = { outboxId, caseNumber: kase.number, to, text };
    if (first) reply.inReplyTo = { externalId: first.externalId, meta: (first.meta ?? {}) as Record<string, unknown> };
    insertOutbox(tx, { id: outboxId, caseId: kase.id, kind: 'channel', queue: outboundQueueName(kase.connectorId), payload: reply, now: at });
    return 'channel';
  }
  if (!contact.email) return null;
  const meta = (first?.meta ?? {}) as Record<string, unknown>;
  const origId = typeof meta['messageId'] === 'string' ? (meta['messageId'] as string) : undefined;
  const mail: MailPayload = {
    to: [contact.email],
    subject: `[${kase.number}] ${kase.subject ?? 'Aduan Anda'}`.slice(0, 200),
    text: `Yth. ${contact.name ?? 'Bapak/Ibu'},\n\n${text}\n\nHormat kami,\n${deps.config.instance.name}\n\n-- \nBalas e-mail ini untuk menanggapi.`,
    messageId: ourMessageId(deps.config, kase.number, purpose),
    replyTo: addressOf(deps.config.mail.replyTo ?? deps.config.mail.from),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Aduan-Case': kase.number },
    attachments: [],
  };
  if (origId) {
    mail.inReplyTo = origId;
    mail.references = [origId];
  }
  insertOutbox(tx, { id: outboxId, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: mail, now: at });
  return 'mail';
}

/** A mail to staff (confirmations, help, reopen notices, reminders, escalations); `notBefore`: held until then. */
export function notifyStaff(deps: NotifyDeps, tx: Tx, kase: CaseRow, purpose: string, to: string[], subject: string, text: string, at: string,
  attachments: MailPayload['attachments'] = [], notBefore?: string): void {
  if (to.length === 0) return;
  insertOutbox(tx, { id: `${kase.number}.${purpose}`, caseId: kase.id, kind: 'mail', queue: QUEUES.mail, payload: staffMail(deps, kase, purpose, to, subject, text, attachments), now: at, ...(notBefore ? { notBefore } : {}) });
}

/** The mail notifyStaff sends, in the thread of the case's forward. */
export function staffMail(deps: NotifyDeps, kase: CaseRow, purpose: string, to: string[], subject: string, text: string, attachments: MailPayload['attachments'] = []): MailPayload {
  return {
    to,
    subject: `[${kase.number}] ${subject}`.slice(0, 200),
    text,
    messageId: ourMessageId(deps.config, kase.number, purpose),
    inReplyTo: ourMessageId(deps.config, kase.number, 'forward'),
    references: [ourMessageId(deps.config, kase.number, 'forward')],
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Aduan-Case': kase.number },
    attachments,
  };
}
