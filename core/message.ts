import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** Channels a message can arrive on. */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'telegram', 'web', 'manual'] as const;

/** Phone and chat channels: answered on the citizen's own channel, where one report often comes in several short messages. */
export const CHAT_CHANNELS: ReadonlySet<string> = new Set(['sms', 'whatsapp', 'telegram']);
export type Channel = (typeof CHANNELS)[number];

/**
 * Extensions Windows runs or a browser opens as a page when staff open the attachment (an SVG "image" is
 * one: a browser runs its scripts): the type a citizen's app claims (image/jpeg, application/pdf,
 * image/svg+xml under `image/`) is what the allowed types check, not what the name says.
 */
const RUNNABLE_EXTENSION = /\.(exe|scr|com|pif|bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|msi|msp|lnk|ps1|psm1|reg|cpl|jar|dll|html?|xhtml|mht|svgz?|iso|img|vhdx?|url|scf|chm|inf)[.\s]*$/i;

/**
 * A file name as a citizen's device sent it, safe to show and to write into a mail: control characters
 * (a newline in a Telegram file name wrote lines of its own into the division's forward), path
 * separators and bidirectional-text controls ("foto\u202Egpj.exe" shows as "fotoexe.jpg") become "_".
 * Storage never uses it (files are stored by their sha256).
 */
export function safeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters and path separators never belong in a file name
  const cleaned = name.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'lampiran' : cleaned;
}

/** The name a kept file is attached under: "_" after a runnable extension ("surat.pdf.exe_"). */
function harmlessName(filename: string): string {
  return RUNNABLE_EXTENSION.test(filename) ? `${filename.slice(0, 254)}_` : filename;
}

export const attachmentRefSchema = z.object({
  filename: z.string().max(255).transform(safeFilename),
  // eslint-disable-next-line no-control-regex -- a content type is one header line
  contentType: z.string().max(255).transform((t) => t.replace(/[\u0000-\u001f\u007f]/g, '')),
  size: z.number().int().nonnegative(),
  /** Hex sha256 of the content; the storage key. Absent when the attachment was withheld. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /**
   * Set when the attachment was not stored (too big, type not allowed, download failed). One line: a reason
   * may quote what the sender's app sent (a type), and it is printed in the division's mail.
   */
  // eslint-disable-next-line no-control-regex -- a reason is one line of the forward mail
  withheld: z.string().max(200).transform((t) => t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')).optional(),
  // a kept file ending in a runnable extension is attached as "surat.pdf.exe_": a double click in the
  // division's mail opens nothing (a withheld one keeps its name: the notices name what was sent)
}).transform((a) => (a.sha256 === undefined ? a : { ...a, filename: harmlessName(a.filename) }));

/**
 * The contract between every connector and the intake worker (DESIGN §3). A connector fills it,
 * validates it with `parseInbound`, and enqueues it; nothing else crosses that boundary.
 */
export const inboundMessageSchema = z.object({
  /** YAML id of the channel instance, e.g. "email-aduan". */
  connectorId: z.string().min(1).max(100),
  channel: z.enum(CHANNELS),
  /** The provider's stable id; with connectorId the idempotency key. */
  externalId: z.string().min(1).max(512),
  /** ISO time the provider received it. */
  receivedAt: z.iso.datetime({ offset: true }),
  sender: z.object({
    name: z.string().max(LIMITS.nameMaxChars).optional(),
    /** E.164. */
    phone: z.string().regex(/^\+[1-9]\d{5,15}$/).optional(),
    email: z.string().max(320).optional(),
    telegramChatId: z.string().max(64).optional(),
    /** Free-form contact given on the web form when it is neither phone nor e-mail. */
    webContact: z.string().max(200).optional(),
  }),
  subject: z.string().max(LIMITS.subjectMaxChars).optional(),
  /** Plain text, NFC, no HTML, trimmed, capped. May be empty only when attachments carry the content. */
  text: z.string().max(LIMITS.textMaxChars),
  attachments: z.array(attachmentRefSchema).max(LIMITS.attachmentsMax).default([]),
  thread: z
    .object({
      inReplyTo: z.string().max(1000).optional(),
      references: z.array(z.string().max(1000)).max(100).optional(),
      caseNumber: z.string().max(40).optional(),
      replyToMessageId: z.string().max(100).optional(),
    })
    .optional(),
  /** Small channel-specific facts (IMAP uid, SMS parts, Telegram chat type…). */
  meta: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((m) => Object.keys(m).length <= LIMITS.metaMaxKeys && JSON.stringify(m).length <= LIMITS.metaMaxBytes, {
      message: `meta must stay under ${LIMITS.metaMaxKeys} keys and ${LIMITS.metaMaxBytes} bytes`,
    }),
  /** Storage key (sha256) of the raw original, when kept. */
  rawRef: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

/** A surrogate without its other half: half an emoji (an SMS part boundary cut it), not text. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Default of an SMS channel's repeatWindowSeconds: the same text from the same number this close in time is one message (a panic repeat). */
export const DEFAULT_REPEAT_WINDOW_SECONDS = 120;

/** A text as panic repeats are compared: normalised, lower case, blanks as one space. */
export function repeatBody(text: string): string {
  return normalizeText(text).toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Normalise free text the same way on every channel: NFC, unified newlines, no NULs, trimmed, capped.
 * Half an emoji left unpaired (a cheap phone split it between two SMS parts and only one came) becomes
 * U+FFFD: the rest of the citizen's text is kept, and nothing downstream sees ill-formed UTF-16.
 */
export function normalizeText(text: string, max: number = LIMITS.textMaxChars): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(LONE_SURROGATES, '\uFFFD')
    // (a run of blanks is tried once, from its start: from every position of it, a long run not ending
    // in a newline cost time growing with the square of its length)
    .replace(/(?<![ \t])[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (cleaned.length <= max) return cleaned;
  // (the cap never keeps half of an emoji)
  const cut = cleaned.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The idempotency job id: BullMQ forbids ':' and pure integers, so a hex hash of the key. */
export function ingestId(connectorId: string, externalId: string): string {
  return createHash('sha256').update(`${connectorId}:${externalId}`).digest('hex').slice(0, 32);
}

/**
 * `meta.contentDigest`: a channel whose source ids a sender may give to more than one message (e-mail:
 * the Message-ID, which a broken mailer, a scanner or a web-form plugin repeats) sets the hex sha256 of
 * what was sent, stable across redeliveries of one message (core/mail/digest.ts). Intake then tells a
 * redelivery (same id, same digest: nothing recorded twice) from another message under a reused id
 * (recorded under `reusedIdKey`).
 */
export function contentDigestOf(message: Pick<InboundMessage, 'meta'>): string | undefined {
  const d = message.meta['contentDigest'];
  return typeof d === 'string' && /^[0-9a-f]{16,64}$/.test(d) ? d : undefined;
}

/**
 * The content digest of a chat message (Telegram): when it was sent and what it says. A chat's message
 * numbers start again at 1 in a new bot's chats (a channel given a new bot's token), so the first
 * messages to the new bot carry the ids of old ones; their time and text tell them apart. Computed from
 * what is stored too (received_at, text), for messages recorded before digests were kept.
 */
export function chatContentDigest(receivedAt: string, text: string): string {
  return createHash('sha256').update(`${receivedAt}\u0000${text}`).digest('hex');
}

/**
 * Whether a web API message is the one recorded under its Idempotency-Key before web messages carried a
 * content digest (a website retrying it after the upgrade): the same report says the same (text and
 * subject, as recorded) and sends no photos (the API took none then). Another report under that key is
 * not (it is recorded under a key of its own, as for a digest that differs).
 */
export function sameUndigestedWebReport(recorded: { text: string; subject: string | null }, message: { text: string; subject?: string | undefined; attachments?: readonly unknown[] | undefined }): boolean {
  return recorded.text === message.text && (recorded.subject ?? undefined) === (message.subject ?? undefined) && (message.attachments ?? []).length === 0;
}

/** The key of a message that reuses the source id of another message already recorded, with other content. */
export function reusedIdKey(externalId: string, digest: string): string {
  return `${externalId}#${digest.slice(0, 16)}`;
}

/**
 * The BullMQ job id of a message (also its ingestId): of `connectorId:externalId`, and of its content
 * digest when it has one — so that the queue, which drops a job whose id it still holds, keeps another
 * message sent under the same id (while a redelivery of the same message still has the same job id).
 */
export function jobIdOf(message: Pick<InboundMessage, 'connectorId' | 'externalId' | 'meta'>): string {
  const digest = contentDigestOf(message);
  return ingestId(message.connectorId, digest === undefined ? message.externalId : reusedIdKey(message.externalId, digest));
}
