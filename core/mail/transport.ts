import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AduanConfig } from '../config/schema.ts';
import { LIMITS } from '../limits.ts';
import type { Storage } from '../storage.ts';
import type { MailPayload } from './compose.ts';

export interface MailSender {
  send(payload: MailPayload): Promise<{ messageId: string; file?: string }>;
  verify(): Promise<void>;
  close(): void;
}

/** nodemailer over SMTP, or the file transport (one .eml per mail in mail.file.dir, the demo default). */
export function createMailSender(config: Readonly<AduanConfig>, storage: Storage): MailSender {
  const m = config.mail;
  const smtp: Transporter | undefined = m.transport === 'smtp'
    ? nodemailer.createTransport({
      host: m.smtp.host, port: m.smtp.port, secure: m.smtp.secure,
      auth: m.smtp.auth ? { user: m.smtp.auth.user, pass: m.smtp.auth.pass } : undefined,
      connectionTimeout: LIMITS.smtpConnectTimeoutMs, greetingTimeout: LIMITS.smtpConnectTimeoutMs, socketTimeout: LIMITS.smtpSocketTimeoutMs,
      // loopback test servers and office relays often have self-signed certificates
      tls: { rejectUnauthorized: false },
    })
    : undefined;
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  const toMail = (p: MailPayload) => ({
    from: m.from, to: p.to, subject: p.subject, text: p.text, html: p.html, messageId: p.messageId,
    inReplyTo: p.inReplyTo, references: p.references, replyTo: p.replyTo, headers: p.headers,
    attachments: p.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, path: storage.pathOf(a.sha256) })),
  });

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
