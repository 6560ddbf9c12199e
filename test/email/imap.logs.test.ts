/**
 * What the IMAP connector does and tells the sysadmin over time, against a real Dovecot:
 * - the reconnect backoff: the wait between attempts doubles while the server stays away, and starts
 *   again from `reconnect.minMs` once a connection has worked (before, it never started again, so after a
 *   few drops over weeks every drop — a Dovecot restart at night — cost `maxMs` before the mailbox was
 *   read again);
 * - a backlog (thousands of mails at a first start): the log says how many and how far it is (before,
 *   nothing between "mailbox opened" and the end, minutes later);
 * - mail left for later says why: a storage folder that cannot be written was logged as "queue
 *   unavailable: nothing acknowledged" every few seconds, sending the sysadmin to a Redis that was fine.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ImapFlow } from 'imapflow';
import type { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow | undefined;
const lines: { level: number; msg: string; retryInMs?: number; count?: number; taken?: number; of?: number }[] = [];
const logs = { write: (s: string) => { lines.push(JSON.parse(s) as (typeof lines)[number]); return true; } } as unknown as pino.DestinationStream;
const MIN_MS = 100;

beforeAll(async () => {
  dovecot = await startDovecot();
  h = await startHarness({
    channels: [{
      id: 'email-rc', type: 'email', address: 'aduan@dprd.test',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: MIN_MS, maxMs: 60_000 },
    }, {
      id: 'email-bl', type: 'email', address: 'aduan@dprd.test', mailbox: 'Backlog', processedMailbox: 'Backlog-done', failedMailbox: 'Backlog-failed',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: MIN_MS, maxMs: 1_000 },
    }, {
      id: 'email-st', type: 'email', address: 'aduan@dprd.test', mailbox: 'Store', processedMailbox: 'Store-done', failedMailbox: 'Store-failed',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: MIN_MS, maxMs: 1_000 },
    }],
  }, { logs });
});

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

const dropped = () => lines.filter((l) => l.msg === 'IMAP session ended, reconnecting');

async function inbox(): Promise<{ inbox: number; done: number }> {
  admin ??= await imapClient(dovecot);
  const i = await admin.status('INBOX', { messages: true });
  // (the connector creates its folders on connect)
  const d = await admin.status('Aduan/Processed', { messages: true }).catch(() => false as const);
  return { inbox: i === false ? -1 : (i.messages ?? 0), done: d === false ? 0 : (d.messages ?? 0) };
}

/** A mail taken and moved: the connection works (connected, synced). */
async function takesMail(n: number): Promise<void> {
  admin ??= await imapClient(dovecot);
  await admin.append('INBOX', `From: warga${n}@example.net\r\nTo: aduan@dprd.test\r\nSubject: Aduan ${n}\r\nMessage-ID: <rc-${n}@example.net>\r\n\r\nLampu jalan mati (${n}).\r\n`);
  await waitFor(async () => { const s = await inbox(); return s.inbox === 0 && s.done === n; }, 20_000, 50);
}

/** Dovecot away until the connector has failed to reconnect `attempts` times, then back. */
async function outage(attempts: number): Promise<void> {
  const before = dropped().length;
  await admin?.logout().catch(() => undefined);
  admin = undefined;
  await dovecot.stop();
  try {
    await waitFor(() => dropped().length >= before + attempts, 30_000, 20);
  } finally {
    await dovecot.restart();
  }
}

describe('IMAP reconnect backoff (real Dovecot)', () => {
  it('doubles the wait while the server is away, and starts from reconnect.minMs again after a connection that worked', async () => {
    const c = await h.startConnector('email-rc');
    try {
      await waitFor(async () => (await c.instance.health()).ok, 10_000);
      await takesMail(1);

      let from = dropped().length;
      await outage(4);
      const first = dropped().slice(from, from + 4).map((l) => l.retryInMs);
      expect(first).toEqual([MIN_MS, MIN_MS * 2, MIN_MS * 4, MIN_MS * 8]);
      await waitFor(async () => (await c.instance.health()).ok, 20_000);
      await takesMail(2);

      // a second drop, after the connection worked again: the first wait is the shortest again
      from = dropped().length;
      await outage(2);
      expect(dropped().slice(from, from + 2).map((l) => l.retryInMs)).toEqual([MIN_MS, MIN_MS * 2]);
      await waitFor(async () => (await c.instance.health()).ok, 20_000);
      await takesMail(3);
    } finally {
      await c.instance.stop();
      await c.runtime.close();
    }
  }, 90_000);
});

describe('a backlog in the log (real Dovecot)', () => {
  it('says how many mails wait at a first start and how far it is, chunk by chunk', async () => {
    admin ??= await imapClient(dovecot);
    await admin.mailboxCreate('Backlog');
    for (let i = 0; i < 250; i++) {
      await admin.append('Backlog', `From: warga${i}@example.net\r\nTo: aduan@dprd.test\r\nSubject: Aduan ${i}\r\nMessage-ID: <bl-${i}@example.net>\r\n\r\nJalan rusak (${i}).\r\n`);
    }
    const c = await h.startConnector('email-bl');
    try {
      await waitFor(async () => {
        const done = await admin!.status('Backlog-done', { messages: true }).catch(() => false as const);
        return done !== false && done.messages === 250;
      }, 60_000, 100);
      expect(lines.filter((l) => l.msg === 'taking a backlog of new mails').map((l) => l.count)).toEqual([250]);
      expect(lines.filter((l) => l.msg === 'backlog: mails taken so far').map((l) => [l.taken, l.of])).toEqual([[100, 250], [200, 250], [250, 250]]);
    } finally {
      await c.instance.stop();
      await c.runtime.close();
    }
  }, 90_000);
});

describe('mail left for later (real Dovecot)', () => {
  it('says the storage folder cannot be written, not that the queue is unavailable, and takes the mail once it can', async () => {
    admin ??= await imapClient(dovecot);
    await admin.mailboxCreate('Store');
    const dir = h.config.storage.dir;
    // the storage folder is gone and a file stands in its place: nothing can be written under it
    mkdirSync(dir, { recursive: true });
    renameSync(dir, `${dir}.away`);
    writeFileSync(dir, 'not a folder');
    const c = await h.startConnector('email-st');
    const from = lines.length;
    const later = () => lines.slice(from).filter((l) => l.msg.startsWith('mails not taken yet'));
    try {
      await admin.append('Store', 'From: warga@example.net\r\nTo: aduan@dprd.test\r\nSubject: Disk\r\nMessage-ID: <st-1@example.net>\r\n\r\nSaluran air mampet.\r\n');
      try {
        await waitFor(() => later().length >= 2, 20_000, 20);
      } finally {
        rmSync(dir);
        renameSync(`${dir}.away`, dir);
      }
      expect(later()[0]!.msg).toContain('1 could not be stored or read (storage.dir');
      expect(later()[0]!.msg).not.toContain('queue');
      expect(lines.slice(from).filter((l) => /queue unavailable/i.test(l.msg))).toEqual([]);
      await waitFor(async () => {
        const done = await admin!.status('Store-done', { messages: true }).catch(() => false as const);
        return done !== false && done.messages === 1;
      }, 20_000, 50);
    } finally {
      await c.instance.stop();
      await c.runtime.close();
    }
  });
});
