import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { allowedType, withheldSize, withheldType } from '../../core/file-types.ts';
import { LIMITS } from '../../core/limits.ts';
import { mailContentDigest } from '../../core/mail/digest.ts';
import { normalizeText, type AttachmentRef, type InboundMessageInput } from '../../core/message.ts';
import { bodyDecoder, prepareRaw, type PreparedRaw } from './email.charset.ts';
import { bounceInfo, detectLoop, headerText, type BounceInfo, type LoopContext, type LoopVerdict } from './email.loop.ts';
import { capPlain, CUT_NOTE, htmlToText, isForwardSubject, trimReply } from './email.text.ts';
import { plainAddress } from '../../core/mail/address.ts';

/** A mail that cannot be parsed at all: it goes to the failed mailbox and the quarantine. */
export class EmailParseError extends Error {
  override readonly name = 'EmailParseError';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

export interface NormalizeOptions extends LoopContext {
  connectorId: string;
  /** Largest attachment kept, bytes (config storage.maxAttachmentBytes). */
  maxAttachmentBytes: number;
  /** Accepted content types, prefix match (config storage.allowedTypes). */
  allowedTypes: readonly string[];
  /**
   * Content-addressed store (`Storage.put`). Without it nothing is written and attachments only get
   * their sha256 — the conformance run parses third-party mail that way.
   */
  store?: (content: Buffer | string) => string;
  /** When the server received it (IMAP INTERNALDATE); falls back to the Date header, then now. */
  receivedAt?: Date;
  now?: () => Date;
}

export interface NormalizedEmail {
  message: InboundMessageInput;
  /** Set for mail that is recorded but never answered or forwarded. */
  loop?: LoopVerdict;
  /** For bounces and read receipts: what they are about. */
  bounce?: BounceInfo;
}

/** Characters of full text kept inline in meta; beyond it the text goes to storage (meta is capped). */
const FULL_TEXT_INLINE_MAX = 6_000;
/** Characters of full text kept at all (also stored). */
const FULL_TEXT_MAX = 200_000;
/** message/rfc822 parts expanded inside each other. */
const NESTED_MAX_DEPTH = 3;
/** Machine parts of multipart/report: read for the bounce facts, never listed as attachments. */
const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status', 'message/disposition-notification', 'text/rfc822-headers', 'message/global-headers']);
const PLUS_CASE = /\+([A-Z]{2,8}-\d{4}-\d{6})\.([A-Za-z0-9_-]{1,64})@/;

const PARSER_OPTIONS = {
  skipHtmlToText: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  keepDeliveryStatus: true,
} as const;

function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

function addresses(v: AddressObject | AddressObject[] | undefined): { address?: string | undefined; name: string }[] {
  if (!v) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])));
}

function cleanId(id: string | undefined): string | undefined {
  const t = id?.trim().replace(/\s+/g, '');
  return t && t.length > 2 && t.length <= 512 ? t : undefined;
}

function referencesOf(mail: ParsedMail): string[] {
  const r = mail.references;
  const list = Array.isArray(r) ? r : typeof r === 'string' ? r.split(/\s+/) : [];
  return list.map(cleanId).filter((x): x is string => x !== undefined && x.length <= 1000).slice(-100);
}

/**
 * mailparser's reading of a raw message, with the charsets it leaves unread read too (UTF-7, unknown
 * labels, bytes that are not UTF-8: see email.charset.ts); `notes` gets what was read as a best guess.
 */
async function parseMail(raw: Buffer, notes: string[]): Promise<{ mail: ParsedMail; addedContentType: boolean }> {
  let prepared: PreparedRaw;
  try {
    prepared = prepareRaw(raw, notes);
  } catch {
    // (never a reason to lose a mail: mailparser reads it as it always did)
    prepared = { raw, addedContentType: false };
  }
  const mail = await simpleParser(prepared.raw, { ...PARSER_OPTIONS, Iconv: bodyDecoder(notes) });
  return { mail, addedContentType: prepared.addedContentType };
}

async function parse(raw: Buffer, notes: string[]): Promise<{ mail: ParsedMail; addedContentType: boolean }> {
  try {
    return await parseMail(raw, notes);
  } catch (err) {
    throw new EmailParseError(`MIME parser failed: ${(err as Error).message}`.slice(0, 500), { cause: err });
  }
}

/** Local parts of the addresses websites' forms and mailers send from on someone's behalf. */
const RELAY_SENDER = /^(no-?reply|do-?not-?reply|noreply-\w+|wordpress|website|web|webform|form|forms|formulir|mailer|notifikasi|notification|notifications)$/i;

/** Text of one parsed mail: plain part, else HTML made readable; full and case (quotes trimmed) versions. */
function bodies(mail: ParsedMail): { full: string; caseText: string; fromHtml: boolean } {
  // (a huge body is read from its start only, see PLAIN_MAX_CHARS and HTML_MAX_CHARS)
  const plain = typeof mail.text === 'string' ? capPlain(mail.text) : '';
  // a bare "Dari: / Kepada:" pair starts quoted history only in a reply (a new letter is laid out so)
  const reply = mail.inReplyTo !== undefined || mail.references !== undefined || /^\s*(re|balas|bls|aw|sv)\s*:/i.test(mail.subject ?? '');
  if (plain.trim() === '' && typeof mail.html === 'string' && mail.html.trim() !== '') {
    const full = htmlToText(mail.html);
    const forward = isForwardSubject(mail.subject);
    const caseText = forward ? full : trimReply(htmlToText(mail.html, true), reply).text;
    return { full, caseText: caseText.trim() === '' ? full : caseText, fromHtml: true };
  }
  return { full: plain, caseText: isForwardSubject(mail.subject) ? plain : trimReply(plain, reply).text, fromHtml: false };
}

function sanitizeFilename(name: string | undefined, index: number, contentType: string): string {
  const cleaned = (name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters and path separators never belong in a file name
    .replace(/[\u0000-\u001f\u007f/\\]/g, '_')
    .trim()
    .slice(0, 255);
  if (cleaned !== '' && cleaned !== '.' && cleaned !== '..') return cleaned;
  const ext = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 10);
  return `lampiran-${index + 1}${ext ? `.${ext}` : ''}`;
}

interface Collected {
  forwardedTexts: string[];
  attachments: Attachment[];
  /** Charsets read as a best guess (see email.charset.ts), in this mail and those forwarded in it. */
  charsetNotes: string[];
}

/** Forwarded message/rfc822 parts: their text joins the case text, their attachments the list. */
async function collect(mail: ParsedMail, depth: number, out: Collected, expand: boolean): Promise<void> {
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (REPORT_PARTS.has(type)) continue;
    // the original returned inside a bounce or receipt is kept in the raw .eml, not listed
    if (!expand && (type === 'message/rfc822' || type === 'message/global')) continue;
    if (expand && (type === 'message/rfc822' || type === 'message/global') && depth < NESTED_MAX_DEPTH) {
      let inner: ParsedMail | undefined;
      try {
        inner = (await parseMail(a.content, out.charsetNotes)).mail;
      } catch {
        inner = undefined;
      }
      if (inner) {
        const from = addresses(inner.from)[0];
        const head = [
          '---------- Pesan yang diteruskan ----------',
          ...(from ? [`Dari: ${from.name ? `${from.name} <${from.address ?? ''}>` : (from.address ?? '')}`] : []),
          ...(inner.date && !Number.isNaN(inner.date.getTime()) ? [`Tanggal: ${inner.date.toISOString()}`] : []),
          ...(inner.subject ? [`Perihal: ${inner.subject}`] : []),
        ].join('\n');
        out.forwardedTexts.push(`${head}\n\n${bodies(inner).caseText.trim()}`);
        await collect(inner, depth + 1, out, expand);
        continue;
      }
    }
    out.attachments.push(a);
  }
}

function attachmentRefs(list: readonly Attachment[], opts: NormalizeOptions): { refs: AttachmentRef[]; omitted: number } {
  const refs: AttachmentRef[] = [];
  list.slice(0, LIMITS.attachmentsMax).forEach((a, i) => {
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase().slice(0, 255);
    const filename = sanitizeFilename(a.filename, i, contentType);
    const size = a.content.length;
    const allowed = allowedType(contentType, opts.allowedTypes);
    if (contentType === 'application/ms-tnef' || contentType === 'application/vnd.ms-tnef') {
      // Outlook's rich text: the whole message may be inside, and nobody here can read it
      refs.push({ filename, contentType, size, withheld: 'format Outlook (winmail.dat) yang tidak dapat kami baca; mohon kirim ulang pesan Anda sebagai teks biasa' });
    } else if (!allowed) {
      refs.push({ filename, contentType, size, withheld: withheldType(contentType) });
    } else if (size > opts.maxAttachmentBytes || size > LIMITS.attachmentMaxBytes) {
      refs.push({ filename, contentType, size, withheld: withheldSize(opts.maxAttachmentBytes) });
    } else {
      refs.push({ filename, contentType, size, sha256: opts.store ? opts.store(a.content) : sha256(a.content) });
    }
  });
  return { refs, omitted: Math.max(0, list.length - LIMITS.attachmentsMax) };
}

/**
 * A text normalised, and when longer than `max` (the case text: LIMITS.textMaxChars), its start with
 * CUT_NOTE at the end, so the division reading it knows there was more.
 */
function capped(raw: string, max: number): string {
  // (max + 2: a cap at max + 1 that falls inside an emoji drops its half, and the text would look uncut)
  const text = normalizeText(raw, max + 2);
  if (text.length <= max) return text;
  let kept = normalizeText(text, max - CUT_NOTE.length - 2);
  // (at a word's end when one is near)
  const space = Math.max(kept.lastIndexOf(' '), kept.lastIndexOf('\n'));
  if (space > kept.length - 200) kept = kept.slice(0, space);
  return `${kept.trimEnd()}\n\n${CUT_NOTE}`;
}

/**
 * Parse a raw RFC 5322 message into the InboundMessage contract. Pure apart from the injected
 * `store`. Throws `EmailParseError` for input that is not a mail at all.
 */
export async function normalizeEmail(raw: Buffer, opts: NormalizeOptions): Promise<NormalizedEmail> {
  if (raw.length === 0) throw new EmailParseError('empty message');
  if (raw.length > LIMITS.rawMaxBytes) throw new EmailParseError(`message of ${raw.length} bytes exceeds the ${LIMITS.rawMaxBytes}-byte limit`);
  const charsetNotes: string[] = [];
  const { mail, addedContentType } = await parse(raw, charsetNotes);
  const headers = mail.headers;
  // (a Content-Type added for the parser, see prepareRaw, does not make a header section)
  const recognised = ['from', 'sender', 'return-path', 'message-id', 'date', 'subject', 'to', 'received', ...(addedContentType ? [] : ['content-type'])].some((h) => headers.has(h));
  if (mail.headerLines.length === 0 || !recognised) throw new EmailParseError('no e-mail header section found');

  const rawSha = sha256(raw);
  // mailparser substitutes "now" for an unparseable Date header: only trust a date it could read
  const dateLine = mail.headerLines.find((l) => l.key === 'date')?.line.replace(/^date:\s*/i, '');
  const date = dateLine !== undefined && !Number.isNaN(new Date(dateLine.trim()).getTime()) && mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined;
  const rawRef = opts.store ? opts.store(raw) : undefined;
  const messageId = cleanId(mail.messageId);
  const fromAddr = addresses(mail.from)[0] ?? addresses(headers.get('sender') as AddressObject | undefined)[0];
  let email = fromAddr?.address?.trim();
  if (!email) {
    // (mailparser gives Return-Path as an address: its text has no angle brackets)
    const rp = /<?([^<>\s,]+@[^<>\s,]+)>?/.exec(headerText(headers, 'return-path'))?.[1];
    email = rp;
  }
  email = plainAddress(email);
  const subject = mail.subject === undefined ? undefined : normalizeText(mail.subject.replace(/\s+/g, ' '), LIMITS.subjectMaxChars);

  const loop = detectLoop(headers, email, subject ?? '', messageId, opts);
  const body = bodies(mail);
  const collected: Collected = { forwardedTexts: [], attachments: [], charsetNotes };
  await collect(mail, 0, collected, loop === undefined);
  const caseRaw = [body.caseText.trim(), ...collected.forwardedTexts].filter((t) => t !== '').join('\n\n');
  const fullRaw = [body.full.trim(), ...collected.forwardedTexts].filter((t) => t !== '').join('\n\n');
  const text = capped(caseRaw, LIMITS.textMaxChars);
  const fullText = capped(fullRaw, FULL_TEXT_MAX);

  const meta: Record<string, unknown> = {};
  if (messageId) {
    meta['messageId'] = messageId;
    // another mail under the same Message-ID (a mailer that repeats it) is told from a redelivery by it
    meta['contentDigest'] = mailContentDigest(raw);
  }
  if (loop) {
    meta['autoSubmitted'] = loop.reason;
    meta['autoSubmittedDetail'] = loop.detail;
  }
  if (fullText !== text) {
    if (fullText.length <= FULL_TEXT_INLINE_MAX) meta['fullText'] = fullText;
    else meta['fullTextRef'] = opts.store ? opts.store(fullText) : sha256(fullText);
  }
  if (body.fromHtml) meta['htmlOnly'] = true;
  if (charsetNotes.length > 0) meta['charsetFallback'] = charsetNotes;
  const replyTo = plainAddress(addresses(mail.replyTo)[0]?.address);
  if (replyTo && replyTo.toLowerCase() !== email?.toLowerCase()) meta['replyTo'] = replyTo;
  if (date) meta['date'] = date.toISOString();

  let bounce: BounceInfo | undefined;
  if (loop?.reason === 'bounce' || loop?.reason === 'read-receipt') {
    bounce = bounceInfo(headers, mail.attachments, body.full);
    meta[loop.reason === 'bounce' ? 'bounce' : 'receipt'] = bounce;
  }

  const { refs, omitted } = attachmentRefs(collected.attachments, opts);
  if (omitted > 0) meta['attachmentsOmitted'] = omitted;
  if (typeof meta['fullText'] === 'string' && JSON.stringify(meta).length > LIMITS.metaMaxBytes - 1024) {
    // escaped JSON can outgrow the cap: keep the full text in storage instead
    meta['fullTextRef'] = opts.store ? opts.store(meta['fullText']) : sha256(meta['fullText']);
    delete meta['fullText'];
  }

  const thread: NonNullable<InboundMessageInput['thread']> = {};
  const inReplyTo = cleanId(mail.inReplyTo?.split(/\s+/)[0]);
  const references = referencesOf(mail);
  if (inReplyTo && inReplyTo.length <= 1000) thread.inReplyTo = inReplyTo;
  if (bounce?.originalMessageId) {
    // a bounce points at the mail it returns: that links it to the case the mail was about
    thread.inReplyTo ??= bounce.originalMessageId;
    if (!references.includes(bounce.originalMessageId)) references.push(bounce.originalMessageId);
  }
  if (references.length > 0) thread.references = references.slice(-100);
  const listOf = (v: AddressObject | AddressObject[] | undefined): string[] =>
    addresses(v).map((a) => a.address ?? '').filter((a) => a !== '' && a.length <= 320).slice(0, 20);
  const to = listOf(mail.to);
  const cc = listOf(mail.cc);
  const deliveredTo = headerText(headers, 'delivered-to').split(/[\s,]+/).filter((a) => a.includes('@') && a.length <= 320).slice(0, 5);
  // recipients: the intake worker checks plus-addressed case tokens in them
  if (to.length > 0) meta['to'] = to;
  if (cc.length > 0) meta['cc'] = cc;
  if (deliveredTo.length > 0) meta['deliveredTo'] = deliveredTo;
  const plus = [...to, ...cc, ...deliveredTo].map((a) => PLUS_CASE.exec(a)).find((m) => m !== null);
  if (plus) {
    thread.caseNumber = plus[1]!;
    meta['replyToken'] = plus[2]!;
  }

  const received = opts.receivedAt && !Number.isNaN(opts.receivedAt.getTime()) ? opts.receivedAt : date ?? (opts.now ?? (() => new Date()))();
  const sender: InboundMessageInput['sender'] = {};
  // a website's form relayed by mail ("From: noreply@website", "Reply-To: <the citizen>"): the citizen is
  // the Reply-To — else every citizen of that form would be one contact (their reports "duplicates" of
  // each other) and every answer would go to the no-reply address
  const relayed = email !== undefined && meta['replyTo'] === replyTo && replyTo !== undefined && RELAY_SENDER.test(email.split('@')[0] ?? '');
  if (relayed) {
    sender.email = replyTo;
    meta['relayedBy'] = email;
    const citizen = addresses(mail.replyTo)[0]?.name;
    if (citizen) sender.name = normalizeText(citizen.replace(/\s+/g, ' '), LIMITS.nameMaxChars);
  } else {
    if (email) sender.email = email;
    const name = fromAddr?.name ? normalizeText(fromAddr.name.replace(/\s+/g, ' '), LIMITS.nameMaxChars) : '';
    if (name !== '' && name !== email) sender.name = name;
  }

  const message: InboundMessageInput = {
    connectorId: opts.connectorId,
    channel: 'email',
    externalId: messageId ?? `sha256:${rawSha}`,
    receivedAt: received.toISOString(),
    sender,
    text,
    attachments: refs,
    meta,
  };
  if (subject !== undefined && subject !== '') message.subject = subject;
  if (Object.keys(thread).length > 0) message.thread = thread;
  if (rawRef !== undefined) message.rawRef = rawRef;
  const result: NormalizedEmail = { message };
  if (loop) result.loop = loop;
  if (bounce) result.bounce = bounce;
  return result;
}
