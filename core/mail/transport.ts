import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import tls from 'node:tls';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AduanConfig } from '../config/schema.ts';
import { LIMITS } from '../limits.ts';
import type { Storage } from '../storage.ts';
import { addressOf, escapeHtml, type MailPayload } from './compose.ts';
import { plainAddress } from './address.ts';

/** A recipient the SMTP server refused while it took the mail for the others (partial success). */
export interface RefusedRecipient {
  address: string;
  /** The SMTP reply code (4xx: for now, 5xx: for good); undefined when the server gave none. */
  code: number | undefined;
  response: string;
}

export interface MailSender {
  /**
   * `withoutAttachments`: the server refused the mail for its size; it went without its files, naming them.
   * `refused`: recipients the server did not take although it took the mail for the others.
   */
  send(payload: MailPayload): Promise<{ messageId: string; file?: string; withoutAttachments?: boolean; refused?: RefusedRecipient[] }>;
  verify(): Promise<void>;
  close(): void;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * TLS of the SMTP connection: STARTTLS required and certificates checked, except to a loopback host
 * (the local MTA: no network to listen on, often a self-signed certificate) unless the YAML says so.
 */
export function smtpTls(s: Readonly<AduanConfig['mail']['smtp']>): { requireTLS: boolean; tls: { rejectUnauthorized: boolean; ca?: string[]; servername?: string } } {
  const loopback = LOOPBACK.has(s.host.toLowerCase()) || s.host.startsWith('127.');
  let ca: string[] | undefined;
  if (s.tls.caFile !== undefined) {
    try {
      ca = [...tls.rootCertificates, readFileSync(s.tls.caFile, 'utf8')];
    } catch (err) {
      throw new Error(`mail.smtp.tls.caFile: cannot read ${s.tls.caFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  return {
    requireTLS: !s.secure && (s.starttls ?? !loopback),
    tls: { rejectUnauthorized: s.tls.rejectUnauthorized ?? !loopback, ...(ca ? { ca } : {}), ...(s.tls.servername !== undefined ? { servername: s.tls.servername } : {}) },
  };
}

/** nodemailer over SMTP, or the file transport (one .eml per mail in mail.file.dir, the demo default). */
export function createMailSender(config: Readonly<AduanConfig>, storage: Storage): MailSender {
  const m = config.mail;
  const smtp: Transporter | undefined = m.transport === 'smtp'
    ? nodemailer.createTransport({
      host: m.smtp.host, port: m.smtp.port, secure: m.smtp.secure,
      auth: m.smtp.auth ? { user: m.smtp.auth.user, pass: m.smtp.auth.pass } : undefined,
      connectionTimeout: LIMITS.smtpConnectTimeoutMs, greetingTimeout: LIMITS.smtpConnectTimeoutMs, socketTimeout: LIMITS.smtpSocketTimeoutMs,
      ...smtpTls(m.smtp),
    })
    : undefined;
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  const toMail = (p: MailPayload, tooLarge = false) => {
    // a file missing from storage (deleted, or stored under another storage.dir) must not keep the whole
    // mail from the division: it goes without it, saying so
    const present = p.attachments.filter((a) => existsSync(storage.pathOf(a.sha256)));
    const missing = p.attachments.filter((a) => !present.includes(a)).map((a) => a.filename);
    let note = missing.length > 0 ? `\n\n[Lampiran tidak ditemukan di penyimpanan Aduan dan tidak ikut terkirim: ${missing.join(', ')}. Operator: periksa storage.dir.]` : '';
    // the SMTP server refused the mail for its size (552): it goes without its files, naming them
    if (tooLarge && present.length > 0) note += `\n\n${tooLargeNote(p, present.map((a) => `${a.filename} (${kb(storage.pathOf(a.sha256))} KB)`))}`;
    return {
      from: m.from, to: p.to, subject: p.subject, text: `${p.text}${note}`, html: p.html === undefined || note === '' ? p.html : `${p.html}<p>${escapeHtml(note.trim())}</p>`,
      messageId: p.messageId, inReplyTo: p.inReplyTo, references: p.references, replyTo: p.replyTo, headers: p.headers,
      attachments: tooLarge ? [] : present.map((a) => ({ filename: a.filename, contentType: a.contentType, path: storage.pathOf(a.sha256) })),
    };
  };
  const hasFiles = (p: MailPayload) => p.attachments.some((a) => existsSync(storage.pathOf(a.sha256)));

  return {
    async send(p) {
      // (a citizen's address recorded before intake kept only plain ones, `budi\,other@x`, would reach
      // a third party: refused for good, 553 "mailbox name not allowed", and dead-lettered with the reason)
      const odd = [...p.to, ...(p.replyTo ? [p.replyTo] : [])].find((a) => !plainAddress(addressOf(a)));
      if (odd !== undefined) throw Object.assign(new Error(`553 not one plain address, not sent: ${JSON.stringify(odd)}`), { responseCode: 553 });
      if (smtp) {
        let info: SmtpInfo;
        let withoutAttachments = false;
        try {
          info = await smtp.sendMail(toMail(p)) as SmtpInfo;
        } catch (err) {
          // a permanent refusal for the size would dead-letter the whole forward: the text still goes
          if (!isTooLarge(err) || !hasFiles(p)) throw err;
          info = await smtp.sendMail(toMail(p, true)) as SmtpInfo;
          withoutAttachments = true;
        }
        // (nodemailer resolves when the server took the mail for at least one recipient; the others are listed)
        const refused = refusedOf(info);
        return { messageId: String(info.messageId), ...(withoutAttachments ? { withoutAttachments } : {}), ...(refused.length > 0 ? { refused } : {}) };
      }
      const info = await stream.sendMail(toMail(p));
      const dir = path.resolve(m.file.dir);
      mkdirSync(dir, { recursive: true });
      const safe = p.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9.@-]/g, '_');
      const file = path.join(dir, `${safe}.eml`);
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, info.message as Buffer);
      renameSync(tmp, file);
      return { messageId: p.messageId, file };
    },
    async verify() {
      if (smtp) await smtp.verify();
      else mkdirSync(path.resolve(m.file.dir), { recursive: true });
    },
    close() {
      smtp?.close();
    },
  };
}

function kb(file: string): number {
  try {
    return Math.max(1, Math.ceil(statSync(file).size / 1024));
  } catch {
    return 0;
  }
}

/** The note a mail sent without its files (too large for the SMTP server) carries, for the staff who get it. */
function tooLargeNote(p: MailPayload, files: string[]): string {
  const kase = p.headers['X-Aduan-Case'];
  return `[Lampiran tidak ikut terkirim karena e-mail ini melebihi batas ukuran server e-mail (SMTP 552): ${files.join(', ')}. `
    + `Lampiran tetap tersimpan di Aduan${kase ? ` pada aduan ${kase}` : ''}; mintalah kepada operator Aduan bila diperlukan.]`;
}

/** The server refused the message for its size: 552 (RFC 5321: exceeded storage allocation), or the enhanced code 5.3.4. */
function isTooLarge(err: unknown): boolean {
  const e = err as { responseCode?: number; response?: string };
  return e.responseCode === 552 || (typeof e.response === 'string' && /^5\d\d[ -]5\.3\.4\b/.test(e.response));
}

/** What nodemailer's SMTP transport tells of a mail it sent. */
interface SmtpInfo {
  messageId?: unknown;
  rejected?: unknown[];
  rejectedErrors?: { recipient?: string; responseCode?: number; response?: string; message?: string }[];
}

/** Recipients refused while the mail went to the others (nodemailer's `rejectedErrors`, else `rejected`). */
function refusedOf(info: SmtpInfo): RefusedRecipient[] {
  const errors = info.rejectedErrors ?? [];
  if (errors.length > 0) return errors.map((e) => ({ address: String(e.recipient ?? ''), code: e.responseCode, response: String(e.response ?? e.message ?? '') }));
  return (info.rejected ?? []).map((a) => ({ address: typeof a === 'string' ? a : String((a as { address?: string }).address ?? ''), code: undefined, response: '' }));
}

/** SMTP replies 5xx are permanent: retrying the same mail cannot help. */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  // (a login refused — a password changed or expired — is the gateway's account, not the mail: every mail
  // would be dead-lettered at once while the sysadmin fixes mail.smtp.auth; they wait and are retried)
  if (isSmtpLoginRefused(err)) return false;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The SMTP server refused the gateway's login (mail.smtp.auth): nodemailer's EAUTH, or 530/534/535/538. */
export function isSmtpLoginRefused(err: unknown): boolean {
  const e = err as { code?: unknown; responseCode?: unknown };
  return e.code === 'EAUTH' || e.responseCode === 530 || e.responseCode === 534 || e.responseCode === 535 || e.responseCode === 538;
}
