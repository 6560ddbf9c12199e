import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow;

const channel = (id: string, tls: Record<string, unknown>) => ({
  id, type: 'email', address: 'aduan@dprd.test',
  imap: { host: '127.0.0.1', port: 0, secure: false, starttls: true, auth: { user: 'x', pass: 'y' }, tls },
  poll: { seconds: 0.5 },
  reconnect: { minMs: 100, maxMs: 1_000 },
});

beforeAll(async () => {
  // a server with a self-signed certificate that refuses login without TLS
  dovecot = await startDovecot({ tls: true });
  const imap = { host: dovecot.host, port: dovecot.port, auth: { user: dovecot.user, pass: dovecot.pass } };
  const withImap = (c: ReturnType<typeof channel>) => ({ ...c, imap: { ...c.imap, ...imap } });
  h = await startHarness({
    channels: [
      withImap(channel('email-untrusted', {})),
      withImap(channel('email-trusted', { caFile: dovecot.certFile })),
    ],
  });
  admin = await imapClient(dovecot);
});

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

describe('e-mail connector on a STARTTLS server with a self-signed certificate', () => {
  it('refuses the certificate by default and says why in its health', async () => {
    const c = await h.startConnector('email-untrusted');
    await waitFor(async () => /certificate/i.test((await c.instance.health()).detail ?? ''), 10_000, 100);
    expect((await c.instance.health()).ok).toBe(false);
    await c.instance.stop();
  });

  it('takes mail over STARTTLS when imap.tls.caFile names the certificate', async () => {
    const c = await h.startConnector('email-trusted');
    await waitFor(async () => (await c.instance.health()).ok, 10_000);
    await admin.append('INBOX', 'From: warga@example.net\r\nTo: aduan@dprd.test\r\nSubject: Lewat TLS\r\nMessage-ID: <tls-1@example.net>\r\n\r\nLampu jalan di gang 7 mati.\r\n');
    await waitFor(async () => {
      const done = await admin.status('Aduan/Processed', { messages: true }).catch(() => false as const);
      return done !== false && done.messages === 1;
    }, 10_000, 50);
  });
});
