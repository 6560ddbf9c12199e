import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow;

beforeAll(async () => {
  // a server that does not offer IDLE: the connector must fall back to polling
  dovecot = await startDovecot({ capabilities: 'IMAP4rev1 LITERAL+ SASL-IR UIDPLUS MOVE' });
  h = await startHarness({
    channels: [{
      id: 'email-poll', type: 'email', address: 'aduan@dprd.test',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      poll: { seconds: 0.5 },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }],
  });
  admin = await imapClient(dovecot);
});

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

describe('e-mail connector on a server without IDLE', () => {
  it('takes new mail by the poll.seconds fallback and moves it', async () => {
    expect(admin.capabilities.has('IDLE')).toBe(false);
    const c = await h.startConnector('email-poll');
    await waitFor(async () => (await c.instance.health()).ok, 10_000);
    await admin.append('INBOX', 'From: warga@example.net\r\nTo: aduan@dprd.test\r\nSubject: Tanpa IDLE\r\nMessage-ID: <poll-1@example.net>\r\n\r\nSaluran air mampet di gang 4.\r\n');
    await waitFor(async () => {
      const done = await admin.status('Aduan/Processed', { messages: true }).catch(() => false as const);
      const inbox = await admin.status('INBOX', { messages: true });
      return done !== false && done.messages === 1 && inbox !== false && inbox.messages === 0;
    }, 10_000, 50);
  });
});
