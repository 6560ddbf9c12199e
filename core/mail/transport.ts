import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import tls from 'node:tls';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AduanConfig } from '../config/schema.ts';
import { LIMITS } from '../limits.ts';
import type { Storage } from '../storage.ts';
import { escapeHtml, type MailPayload } from './compose.ts';

export interface MailSender {
  send(payload: MailPayload): Promise<{ messageId: string; file?: string }>;
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

  const toMail = (p: MailPayload) => {
    // a file missing from storage (deleted, or stored under another storage.dir) must not keep the whole
    // mail from the division: it goes without it, saying so
    const present = p.attachments.filter((a) => existsSync(storage.pathOf(a.sha256)));
    const missing = p.attachments.filter((a) => !present.includes(a)).map((a) => a.filename);
    const note = missing.length > 0 ? `\n\n[Lampiran tidak ditemukan di penyimpanan Aduan dan tidak ikut terkirim: ${missing.join(', ')}. Operator: periksa storage.dir.]` : '';
    return {
      from: m.from, to: p.to, subject: p.subject, text: `${p.text}${note}`, html: p.html === undefined || note === '' ? p.html : `${p.html}<p>${escapeHtml(note.trim())}</p>`,
      messageId: p.messageId, inReplyTo: p.inReplyTo, references: p.references, replyTo: p.replyTo, headers: p.headers,
      attachments: present.map((a) => ({ filename: a.filename, contentType: a.contentType, path: storage.pathOf(a.sha256) })),
    };
  };

  return {
    async send(p) {
      if (smtp) {
        const info = await smtp.sendMail(toMail(p));
        return { messageId: String(info.messageId) };
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

/** SMTP replies 5xx are permanent: retrying the same mail cannot help. */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
