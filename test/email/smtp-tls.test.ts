/**
 * Outgoing SMTP: the password never goes over a connection a listener on the network can read. Without
 * `secure`, STARTTLS is required and certificates are checked, except to the local MTA on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createMailSender, smtpTls } from '../../core/mail/transport.ts';
import { Storage } from '../../core/storage.ts';
import { testConfig } from '../helpers/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'aduan-smtp-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const smtp = (s: Record<string, unknown>) => testConfig({ mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: s } }).mail.smtp;

describe('SMTP TLS', () => {
  it('requires STARTTLS and a valid certificate for a relay on the network; the local MTA on loopback is trusted; the YAML decides', () => {
    expect(smtpTls(smtp({ host: 'mail.jogjakota.go.id' }))).toEqual({ requireTLS: true, tls: { rejectUnauthorized: true } });
    expect(smtpTls(smtp({ host: 'mail.jogjakota.go.id', port: 465, secure: true }))).toEqual({ requireTLS: false, tls: { rejectUnauthorized: true } });
    expect(smtpTls(smtp({ host: '127.0.0.1' }))).toEqual({ requireTLS: false, tls: { rejectUnauthorized: false } });
    expect(smtpTls(smtp({ host: 'localhost', starttls: true, tls: { rejectUnauthorized: true, servername: 'mx.dprd.test' } })))
      .toEqual({ requireTLS: true, tls: { rejectUnauthorized: true, servername: 'mx.dprd.test' } });
    expect(() => smtpTls(smtp({ host: 'mail.jogjakota.go.id', tls: { caFile: path.join(dir, 'missing.pem') } }))).toThrow(/mail\.smtp\.tls\.caFile: cannot read/);
  });

  it('a server that offers no STARTTLS never sees the password when starttls is required', async () => {
    const auths: string[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'], logger: false,
      onAuth(auth, _session, cb) { auths.push(auth.username ?? ''); cb(null, { user: auth.username }); },
      onData(stream, _session, cb) { stream.resume(); stream.on('end', () => cb()); },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.server.address() as { port: number }).port;
    const mail = { to: ['komisi-c@dprd.test'], subject: 'x', text: 'y', messageId: '<ADU-2026-000001.forward@dprd.test>', headers: {}, attachments: [] };
    try {
      const strict = createMailSender(testConfig({ mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port, starttls: true, auth: { user: 'aduan', pass: 's3cret' } } } }), new Storage(dir));
      await expect(strict.send(mail)).rejects.toThrow();
      strict.close();
      expect(auths).toEqual([]);
      // the local MTA on loopback, as configured by default
      const local = createMailSender(testConfig({ mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port, auth: { user: 'aduan', pass: 's3cret' } } } }), new Storage(dir));
      await expect(local.send(mail)).resolves.toMatchObject({ messageId: expect.any(String) });
      local.close();
      expect(auths).toEqual(['aduan']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
