/**
 * The gateway with its e-mail channel on a real Dovecot (IMAP) and a real SMTP server: the intake and
 * forward workers run in-process; `deliver` drops a mail into the gateway's inbox as a mail server
 * would. Stopped with `stop()` in afterAll.
 */
import type { ImapFlow } from 'imapflow';
import type { Understander } from '../../core/understand.ts';
import { imapClient, startDovecot } from './dovecot.ts';
import { startHarness, type Harness } from './harness.ts';

export interface MailLoop {
  h: Harness;
  /** A mail to the gateway's inbox; its Message-ID starts with `<${idPrefix}-N-`. */
  deliver(from: string, to: string, subject: string, body: string, inReplyTo?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startMailLoop(opts: { idPrefix: string; config?: Record<string, unknown>; understander?: (h: Harness) => Understander }): Promise<MailLoop> {
  const dovecot = await startDovecot();
  const h = await startHarness({
    mail: { replyTo: 'aduan@dprd.test' },
    ...opts.config,
    channels: [{
      id: 'email-aduan', type: 'email', address: 'aduan@dprd.test', mailbox: 'INBOX', poll: { seconds: 2 },
      imap: { host: '127.0.0.1', port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }],
  });
  const imap: ImapFlow = await imapClient(dovecot);
  await h.startConnector('email-aduan');
  h.startIntake(opts.understander?.(h));
  h.startForward();
  let n = 0;
  return {
    h,
    async deliver(from, to, subject, body, inReplyTo) {
      n++;
      const headers = [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${opts.idPrefix}-${n}-${Date.now()}@mail.example.net>`,
        `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'];
      if (inReplyTo) headers.push(`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`);
      await imap.append('INBOX', `${headers.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`);
    },
    async stop() {
      await imap.logout().catch(() => undefined);
      await h.stop();
      await dovecot.dispose();
    },
  };
}
