/**
 * An IMAP server that refuses the channel's settings (not a dropped connection) is logged as what the
 * sysadmin must change, naming the key: before, a refused password was "Command failed" and "IMAP
 * session ended, reconnecting" (a warning, like any network hiccup), retried for ever while no mail was read.
 */
import type { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let dovecot: TestDovecot;
let h: Harness;
const raw: string[] = [];
const lines: { level: number; msg: string; connector?: string }[] = [];
const logs = { write: (s: string) => { raw.push(s); lines.push(JSON.parse(s) as (typeof lines)[number]); return true; } } as unknown as pino.DestinationStream;
const WRONG = 'salah-Sandi-7431';

beforeAll(async () => {
  dovecot = await startDovecot();
  const imap = { host: dovecot.host, port: dovecot.port, secure: false };
  h = await startHarness({
    channels: [{
      id: 'email-pw', type: 'email', address: 'aduan@dprd.test',
      imap: { ...imap, starttls: false, auth: { user: dovecot.user, pass: WRONG } },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }, {
      // (Dovecot here offers no STARTTLS; the default requires it)
      id: 'email-tls', type: 'email', address: 'aduan@dprd.test', mailbox: 'Other', processedMailbox: 'Other-done', failedMailbox: 'Other-failed',
      imap: { ...imap, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }],
  }, { logs });
});

afterAll(async () => {
  await h?.stop();
  await dovecot?.dispose();
});

/** The connector's error lines that say what to change. */
const of = (connector: string) => lines.filter((l) => l.connector === connector && l.level === 50 && /^(IMAP login refused|the IMAP server)/.test(l.msg));

describe('an IMAP server that refuses the channel\'s settings', () => {
  it('a refused login is an error naming the user, the server and the keys to correct; the password is not logged', async () => {
    await h.startConnector('email-pw');
    await waitFor(() => of('email-pw').length > 0, 20_000, 20);
    expect(of('email-pw')[0]!.msg).toBe(`IMAP login refused for user ${dovecot.user} at ${dovecot.host}:${dovecot.port} ("Authentication failed."): no mail is read until channels[email-pw].imap.auth.user and channels[email-pw].imap.auth.pass are right (a changed or expired password: set the new one where the config takes it, e.g. its \${VAR} or VAR_FILE, and restart this connector); trying again meanwhile`);
    expect(raw.join('\n')).not.toContain(WRONG);
  });

  it('a server without STARTTLS, while the channel requires it, says which keys to set', async () => {
    await h.startConnector('email-tls');
    await waitFor(() => of('email-tls').length > 0, 20_000, 20);
    expect(of('email-tls')[0]!.msg).toBe(`the IMAP server at ${dovecot.host}:${dovecot.port} offers no STARTTLS, and channels[email-tls].imap.starttls (default true) refuses to log in without it: use its TLS port (channels[email-tls].imap.secure: true, port 993), or, only for a server on this machine, channels[email-tls].imap.starttls: false; trying again meanwhile`);
  });
});
