import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue, type Job } from 'bullmq';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { listCases } from '../../core/repo/cases.repo.ts';
import { getState, listQuarantine, setState } from '../../core/repo/state.repo.ts';
import { ingestId, type InboundMessage } from '../../core/message.ts';
import { mailContentDigest } from '../../core/mail/digest.ts';
import { QUEUES } from '../../core/queue.ts';
import type { ImapCursor } from '../../connectors/email/imap.poller.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const IDS = ['idle', 'down', 'drop', 'uidv', 'seen', 'lock', 'bad', 'redis', 'cut', 'requar', 'unread'] as const;
type Id = (typeof IDS)[number];

let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow;
let queue: Queue;

const channel = (id: Id) => ({
  id: `email-${id}`,
  type: 'email',
  imap: { host: '127.0.0.1', port: 0, secure: false, starttls: false, auth: { user: 'aduan', pass: 'rahasia-uji' } },
  mailbox: `In/${id}`,
  processedMailbox: `Done/${id}`,
  failedMailbox: `Failed/${id}`,
  address: 'aduan@dprd.test',
  poll: { seconds: 60 },
  reconnect: { minMs: 100, maxMs: 1_000 },
});

beforeAll(async () => {
  dovecot = await startDovecot();
  h = await startHarness({ channels: IDS.map((id) => ({ ...channel(id), imap: { ...channel(id).imap, port: dovecot.port } })) });
  admin = await imapClient(dovecot);
  for (const id of IDS) await admin.mailboxCreate(['In', id]);
  const url = new URL(h.redis.url);
  queue = new Queue(QUEUES.intake, { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
  queue.on('error', () => undefined);
});

afterAll(async () => {
  await queue?.close();
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

/** A plain complaint mail with a unique Message-ID. */
function mail(tag: string, i: number, extra = ''): string {
  return [
    `From: Warga ${i} <warga${i}.${tag}@example.net>`,
    'To: aduan@dprd.test',
    `Subject: Aduan ${tag} nomor ${i}`,
    `Message-ID: <${tag}-${i}@example.net>`,
    'Date: Mon, 09 Nov 2026 10:00:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(extra === '' ? [] : [extra]),
    '',
    `Jalan rusak di RT ${i} (${tag}), mohon segera diperbaiki.`,
    '',
  ].join('\r\n');
}

async function appendMany(mailbox: string, tag: string, n: number, flags: string[] = []): Promise<void> {
  for (let i = 0; i < n; i++) await admin.append(mailbox, mail(tag, i), flags);
}

/** MOVE copies before it expunges: wait until the source is empty and the target holds n. */
async function movedAll(id: Id, n: number, timeoutMs = 10_000, target = `Done/${id}`): Promise<void> {
  try {
    await waitFor(async () => (await count(target)) === n && (await count(`In/${id}`)) === 0, timeoutMs, 50);
  } catch (err) {
    // say where it stands: too few moved (stuck), or copies (a MOVE cut between its copy and expunge)
    // a mailbox the admin client has selected would be answered from its cached view
    if (admin.mailbox) await admin.mailboxClose();
    const done = await messageIds(target);
    throw new Error(`${(err as Error).message}: ${target} holds ${done.length} of ${n} (${new Set(done).size} distinct), In/${id} still ${await count(`In/${id}`)}`);
  }
}

async function count(mailbox: string): Promise<number> {
  // STATUS of the selected mailbox would be answered from the client's cached view
  if (admin.mailbox && admin.mailbox.path === mailbox) await admin.mailboxClose();
  try {
    const s = await admin.status(mailbox, { messages: true });
    return s ? (s.messages ?? 0) : 0;
  } catch (err) {
    // the connector creates its folders on connect; before that there is nothing in them
    if (/doesn't exist/i.test((err as Error).message)) return 0;
    throw err;
  }
}

/** Message-IDs in a mailbox (each once per copy). */
async function messageIds(mailbox: string): Promise<string[]> {
  const lock = await admin.getMailboxLock(mailbox);
  try {
    if (admin.mailbox && admin.mailbox.exists === 0) return [];
    const msgs = await admin.fetchAll('1:*', { envelope: true });
    return msgs.map((m) => m.envelope?.messageId ?? '');
  } finally {
    lock.release();
  }
}

async function jobsOf(id: Id): Promise<Job<InboundMessage>[]> {
  const jobs = (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'])) as Job<InboundMessage>[];
  return jobs.filter((j) => j.data.connectorId === `email-${id}`);
}

function cursorOf(id: Id): ImapCursor | undefined {
  return getState<ImapCursor>(h.db, `email-${id}`, `cursor:In/${id}`);
}

async function started(id: Id) {
  const c = await h.startConnector(`email-${id}`);
  await waitFor(async () => (await c.instance.health()).ok, 10_000);
  return {
    ...c,
    async stop() {
      await c.instance.stop();
      await c.runtime.close();
    },
  };
}

describe('e-mail connector against real Dovecot and Redis', () => {
  it('takes new mail announced by IDLE: one case, the mail moved to the processed mailbox', async () => {
    const intake = h.startIntake();
    const c = await started('idle');
    try {
      // let the connector settle into IDLE; the 60 s poll interval cannot be what finds the mail
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await admin.append('In/idle', readFileSync(path.join(FIXTURES, 'multipart-alternative.eml')));
      await movedAll('idle', 1);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(await count('In/idle')).toBe(0);
      const jobs = await jobsOf('idle');
      // (of the Message-ID and the mail's content digest: another mail under the same Message-ID is another job)
      const digest = mailContentDigest(readFileSync(path.join(FIXTURES, 'multipart-alternative.eml')));
      expect(jobs.map((j) => j.id)).toEqual([ingestId('email-idle', `<CAF1234.alt@mail.example.net>#${digest.slice(0, 16)}`)]);
      await waitFor(() => listCases(h.db).length === 1, 10_000);
      const [kase] = listCases(h.db);
      expect(kase).toBeDefined();
      const msg = h.db.$client.prepare('SELECT external_id, case_id FROM messages WHERE connector_id = ?').all('email-idle') as { external_id: string }[];
      expect(msg.map((m) => m.external_id)).toEqual(['<CAF1234.alt@mail.example.net>']);
      // stop() is idempotent and never throws
      await c.instance.stop();
      await expect(c.instance.stop()).resolves.toBeUndefined();
    } finally {
      await c.stop();
      await intake.close();
    }
  });

  it('takes all 200 mails that arrived while it was down, each exactly once', async () => {
    const first = await started('down');
    await first.stop();
    await appendMany('In/down', 'down', 200);
    const c = await started('down');
    try {
      await movedAll('down', 200, 60_000);
      expect(await count('In/down')).toBe(0);
      const jobs = await jobsOf('down');
      expect(jobs).toHaveLength(200);
      expect(new Set(jobs.map((j) => j.data.externalId)).size).toBe(200);
      const moved = await messageIds('Done/down');
      expect(new Set(moved).size).toBe(200);
      expect(cursorOf('down')?.lastUid).toBe(200);
    } finally {
      await c.stop();
    }
  }, 90_000);

  it('reconnects with a new client after Dovecot is stopped mid-run and takes everything exactly once', async () => {
    const N = 600;
    await appendMany('In/drop', 'drop', N);
    const c = await h.startConnector('email-drop');
    let queuedAtCut = -1;
    try {
      // cut as soon as the first slice is acknowledged: the rest of the backlog is still in flight
      await waitFor(async () => (await count('Done/drop')) > 0, 15_000, 2);
      try {
        await dovecot.stop();
        queuedAtCut = (await jobsOf('drop')).length;
        await waitFor(async () => !(await c.instance.health()).ok, 5_000);
      } finally {
        await dovecot.restart();
        await admin.logout().catch(() => undefined);
        admin = await imapClient(dovecot);
      }
      expect(queuedAtCut).toBeGreaterThan(0);
      expect(queuedAtCut).toBeLessThan(N);
      await movedAll('drop', N, 60_000);
      const jobs = await jobsOf('drop');
      expect(jobs).toHaveLength(N);
      const moved = await messageIds('Done/drop');
      expect(moved).toHaveLength(N);
      expect(new Set(moved).size).toBe(N);
      await waitFor(async () => (await c.instance.health()).ok, 20_000);
    } finally {
      await c.instance.stop();
      await c.runtime.close();
    }
  }, 120_000);

  it('after a MOVE cut between its copy and its expunge, removes the taken mail instead of moving a second copy', async () => {
    await appendMany('In/cut', 'cut', 5);
    let c = await started('cut');
    await movedAll('cut', 5);
    await c.stop();
    // what a server stopped in the middle of MOVE leaves: the copies in the processed mailbox, the
    // originals still in the inbox, and the cursor past them (they were queued)
    const lock = await admin.getMailboxLock('Done/cut');
    try {
      await admin.messageCopy('1:*', 'In/cut');
    } finally {
      lock.release();
    }
    const cursor = cursorOf('cut')!;
    expect(await count('In/cut')).toBe(5);
    const inbox = await admin.status('In/cut', { uidNext: true });
    if (!inbox || inbox.uidNext === undefined) throw new Error('no STATUS for In/cut');
    setState(h.db, 'email-cut', 'cursor:In/cut', { ...cursor, lastUid: inbox.uidNext - 1 }, new Date().toISOString());
    c = await started('cut');
    try {
      await waitFor(async () => (await count('In/cut')) === 0, 10_000);
      expect(await count('Done/cut')).toBe(5);
      expect(await jobsOf('cut')).toHaveLength(5);
    } finally {
      await c.stop();
    }
  });

  it('rescans after a UIDVALIDITY change without creating duplicate jobs', async () => {
    await appendMany('In/uidv', 'uidv', 5);
    let c = await started('uidv');
    await movedAll('uidv', 5);
    await c.stop();
    const before = cursorOf('uidv')!;
    // recreate the mailbox with the same mails (a restore): new UIDVALIDITY, UIDs start at 1 again
    await admin.mailboxDelete('In/uidv');
    await admin.mailboxCreate(['In', 'uidv']);
    await appendMany('In/uidv', 'uidv', 5);
    await admin.append('In/uidv', mail('uidv', 99));
    c = await started('uidv');
    try {
      await waitFor(async () => (await count('In/uidv')) === 0, 10_000);
      const after = cursorOf('uidv')!;
      expect(after.uidValidity).not.toBe(before.uidValidity);
      expect(after.lastUid).toBe(6);
      const jobs = await jobsOf('uidv');
      expect(jobs).toHaveLength(6);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(6);
    } finally {
      await c.stop();
    }
  });

  it('takes mail another client already marked \\Seen', async () => {
    const c = await started('seen');
    try {
      await admin.append('In/seen', mail('seen', 1), ['\\Seen']);
      await movedAll('seen', 1);
      expect((await jobsOf('seen')).map((j) => j.data.externalId)).toEqual(['<seen-1@example.net>']);
    } finally {
      await c.stop();
    }
  });

  it('lets only one copy poll a mailbox (Redis lock); the second waits', async () => {
    const a = await started('lock');
    const b = await h.startConnector('email-lock');
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect((await b.instance.health()).ok).toBe(false);
      expect((await b.instance.health()).detail).toContain('lock');
      await appendMany('In/lock', 'lock', 20);
      await movedAll('lock', 20);
      expect(await jobsOf('lock')).toHaveLength(20);
      // the first copy stops: the waiting one takes over
      await a.stop();
      await waitFor(async () => (await b.instance.health()).ok, 10_000);
      await admin.append('In/lock', mail('lock', 100));
      await movedAll('lock', 21);
    } finally {
      await b.instance.stop();
      await b.runtime.close();
    }
  });

  it('moves unparseable mail to the failed mailbox and quarantines it with the reason; good mail still flows', async () => {
    const c = await started('bad');
    try {
      await admin.append('In/bad', '\r\n\r\nthis is not an e-mail at all\r\n');
      await admin.append('In/bad', mail('bad', 1));
      await waitFor(async () => (await count('Failed/bad')) === 1 && (await count('Done/bad')) === 1, 10_000);
      const q = listQuarantine(h.db).filter((r) => r.connectorId === 'email-bad');
      expect(q).toHaveLength(1);
      expect(q[0]!.code).toBe('EMAIL.UNPARSEABLE');
      expect(q[0]!.reason).toContain('header');
      expect(q[0]!.rawRef).toMatch(/^[0-9a-f]{64}$/);
      expect(await jobsOf('bad')).toHaveLength(1);
    } finally {
      await c.stop();
    }
  });

  it('with Redis down moves and marks nothing, and takes the mail once Redis is back', async () => {
    const c = await started('redis');
    try {
      await h.redis.stop();
      await appendMany('In/redis', 'redis', 3);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await count('In/redis')).toBe(3);
      expect(await count('Done/redis')).toBe(0);
      const lock = await admin.getMailboxLock('In/redis');
      try {
        const flags = await admin.fetchAll('1:*', { flags: true });
        expect(flags.every((m) => !m.flags?.has('\\Seen'))).toBe(true);
      } finally {
        lock.release();
      }
      await h.redis.restart();
      await movedAll('redis', 3, 20_000);
      expect(await count('In/redis')).toBe(0);
      expect(await jobsOf('redis')).toHaveLength(3);
    } finally {
      await c.stop();
    }
  });

  it('quarantines a mail the server cannot deliver (its FETCH drops the connection every time) and takes the mail after it', async () => {
    await appendMany('In/unread', 'unread', 3);
    // a mail file the server cannot read (copied into the maildir as root, corrupt): Dovecot answers
    // its FETCH by closing the connection
    const box = path.join(dovecot.dir, 'mail', dovecot.user, 'Maildir', '.In.unread');
    const files = ['new', 'cur'].flatMap((d) => readdirSync(path.join(box, d)).map((f) => path.join(box, d, f)));
    const victim = files.find((f) => readFileSync(f, 'utf8').includes('<unread-1@example.net>'));
    if (!victim) throw new Error(`no maildir file of <unread-1@example.net> among ${files.join(', ')}`);
    chmodSync(victim, 0o000);
    const c = await h.startConnector('email-unread');
    try {
      try {
        await waitFor(async () => (await count('Done/unread')) === 2 && (await count('Failed/unread')) === 1 && (await count('In/unread')) === 0, 30_000, 50);
      } catch (err) {
        throw new Error(`${(err as Error).message}: Done ${await count('Done/unread')}, Failed ${await count('Failed/unread')}, In ${await count('In/unread')}`, { cause: err });
      }
      expect((await jobsOf('unread')).map((j) => j.data.externalId).sort()).toEqual(['<unread-0@example.net>', '<unread-2@example.net>']);
      const q = listQuarantine(h.db).filter((r) => r.connectorId === 'email-unread');
      expect(q.map((r) => r.code)).toEqual(['EMAIL.UNREADABLE']);
      expect(q[0]!.reason).toContain('UID 2');
      expect(q[0]!.reason).toContain('Failed/unread');
    } finally {
      await c.instance.stop();
      await c.runtime.close();
    }
    }, 60_000);

  it('with Redis down quarantines an unparseable mail once (not again on every retry) and moves it to the failed mailbox at once', async () => {
    const c = await started('requar');
    const entries = () => listQuarantine(h.db).filter((r) => r.connectorId === 'email-requar');
    try {
      await h.redis.stop();
      try {
        // a good mail that must wait for Redis, then a mail that is no e-mail at all
        await admin.append('In/requar', mail('requar', 1));
        await admin.append('In/requar', '\r\n\r\nthis is not an e-mail at all\r\n');
        // the poller retries the good mail while Redis is away: let it go round a few times (each round logs in anew)
        const logins = () => (dovecot.log().match(/imap-login: (?:Info: )?Login: user=<aduan>/g) ?? []).length;
        const before = logins();
        await waitFor(() => logins() >= before + 3, 30_000, 50);
        expect(entries()).toHaveLength(1);
        expect(await count('Failed/requar')).toBe(1);
        expect(await count('In/requar')).toBe(1);
      } finally {
        await h.redis.restart();
      }
      await movedAll('requar', 1, 20_000);
      expect(await count('Failed/requar')).toBe(1);
      expect(entries()).toHaveLength(1);
      expect(entries()[0]!.code).toBe('EMAIL.UNPARSEABLE');
      expect(await jobsOf('requar')).toHaveLength(1);
    } finally {
      await c.stop();
    }
  }, 90_000);
});
