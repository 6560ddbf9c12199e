import { createHash } from 'node:crypto';

/** The headers of a mail's own that count in its content digest; everything servers add on the way does not. */
const DIGEST_HEADERS = ['from', 'reply-to', 'date', 'subject'] as const;

/**
 * The content digest of a raw mail (hex sha256): its From, Reply-To, Date and Subject as written, and its
 * body as sent. The same mail delivered again — a sender's server retrying, a mailbox restored or
 * rescanned, the mail copied back into the inbox — has the same digest: the transport headers servers
 * add on the way (Received, Return-Path, Delivered-To, spam scores) and line endings (CRLF or LF, as a
 * server stores them) do not count. Two mails that differ in what their sender wrote, sent with one
 * Message-ID (a broken mailer, a scanner or web-form plugin that gives every mail the same one), differ.
 *
 * Computed from the raw bytes, not from the text Aduan reads out of them (which a later version may read
 * differently): the digest of a mail recorded before can be computed again from its stored original.
 */
export function mailContentDigest(raw: Buffer): string {
  const text = raw.toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const body = end ? text.slice(end.index + end[0].length) : '';
  const fields = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    // (the last one: a server adding a header of the same name puts it above the sender's own)
    if ((DIGEST_HEADERS as readonly string[]).includes(name)) fields.set(name, line.slice(colon + 1).replace(/\s+/g, ' ').trim());
  }
  return createHash('sha256')
    .update(JSON.stringify(DIGEST_HEADERS.map((h) => fields.get(h) ?? null)))
    .update('\n')
    // (trimEnd: a regex for trailing blanks costs time growing with the square of a long run of them)
    .update(Buffer.from(body.replace(/\r\n/g, '\n').trimEnd(), 'latin1'))
    .digest('hex');
}
