/**
 * A Message-ID is the e-mail channel's idempotency key, but some senders give one Message-ID to several
 * mails (a web-form plugin or a scanner that sends every mail with the same fixed one, a client that
 * reuses ids). Before, the second mail was taken for a redelivery of the first and dropped without a
 * trace (the queue kept one job per Message-ID, intake one message): a complaint lost. Now a mail whose
 * content differs is recorded as a message of its own and a warning is logged; a redelivery of the same
 * mail (other transport headers) is still recorded once — also of a mail recorded before this version.
 * Against real Dovecot and Redis, through the IMAP connector and the intake worker.
 */
import { rmSync } from 'node:fs';
import { Queue, type Job } from 'bullmq';
import type { ImapFlow } from 'imapflow';
import type { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { ingestId, type InboundMessage } from '../../core/message.ts';
import type { IntakeResult } from '../../core/intake.ts';
import { Storage } from '../../core/storage.ts';

const CONNECTOR = 'email-reuse';
let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow;
let queue: Queue;
const lines: Record<string, unknown>[] = [];
const raws: string[] = [];
const logs = { write: (s: string) => { raws.push(s); lines.push(JSON.parse(s) as Record<string, unknown>); return true; } } as unknown as pino.DestinationStream;

beforeAll(async () => {
  dovecot = await startDovecot();
  h = await startHarness({
    channels: [{
      id: CONNECTOR, type: 'email', address: 'aduan@dprd.test',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }],
  }, { logs });
  h.startIntake();
  const c = await h.startConnector(CONNECTOR);
  await waitFor(async () => (await c.instance.health()).ok, 10_000);
  admin = await imapClient(dovecot);
  queue = new Queue('intake', { connection: { host: '127.0.0.1', port: h.redis.port }, prefix: h.config.redis.prefix });
});

afterAll(async () => {
  await queue?.close();
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

interface Row { external_id: string; ingest_id: string; relation: string; case_id: number | null; meta: string; raw_ref: string | null }
const rows = (): Row[] => h.db.$client.prepare('SELECT external_id, ingest_id, relation, case_id, meta, raw_ref FROM messages WHERE connector_id = ? ORDER BY id').all(CONNECTOR) as Row[];
const caseCount = (): number => (h.db.$client.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
const numberOf = (caseId: number | null): string => (h.db.$client.prepare('SELECT number FROM cases WHERE id = ?').get(caseId) as { number: string }).number;
const contactOf = (caseId: number | null): string => (h.db.$client.prepare('SELECT c.email FROM cases k JOIN contacts c ON c.id = k.contact_id WHERE k.id = ?').get(caseId) as { email: string }).email;

/** A mail from a website's form relay that sends every mail with the same Message-ID. */
function formMail(o: { messageId: string; citizen: string; date: string; text: string; received?: string[] }): string {
  return [
    ...(o.received ?? []),
    'From: Formulir Website DPRD <noreply@form.example.org>',
    `Reply-To: ${o.citizen}`,
    'To: aduan@dprd.test',
    'Subject: Aduan dari formulir website',
    `Date: ${o.date}`,
    `Message-ID: ${o.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
    '',
  ].join('\r\n');
}

const RELAY = ['Received: from relay-2.example.org (relay-2.example.org [192.0.2.7]) by mx.dprd.test with ESMTPS id 4XyZ; Tue, 03 Nov 2026 09:01:12 +0700', 'Delivered-To: aduan@dprd.test'];

/** Intake jobs done so far (the connector moved their mails; the worker recorded them or found them recorded). */
async function done(): Promise<Job<InboundMessage, IntakeResult>[]> {
  return (await queue.getJobs(['completed'])) as Job<InboundMessage, IntakeResult>[];
}

/** Deliver a mail and wait until intake has taken it; the result (the queue forgets the jobs done before, so a redelivery reaches intake). */
async function deliver(raw: string): Promise<IntakeResult> {
  await queue.clean(0, 1000, 'completed');
  await admin.append('INBOX', raw);
  await waitFor(async () => (await done()).length === 1, 15_000);
  return (await done())[0]!.returnvalue;
}

const SITI = 'Siti Aminah <siti.aminah@example.net>';
const AGUS = 'Agus Prasetyo <agus.prasetyo@example.com>';

describe('e-mail: two mails under one Message-ID', () => {
  it('records a different mail under a reused Message-ID as a message of its own, with a warning; a redelivery of either is still recorded once', async () => {
    const id = '<form-submission@form.example.org>';
    const first = formMail({ messageId: id, citizen: SITI, date: 'Tue, 03 Nov 2026 08:00:00 +0700', text: 'Lampu penerangan jalan di Jl. Magelang km 3 mati sejak seminggu, jalan gelap sekali di malam hari.' });
    const second = formMail({ messageId: id, citizen: AGUS, date: 'Tue, 03 Nov 2026 08:20:00 +0700', text: 'Sampah menumpuk di TPS Jl. Parangtritis dan belum diangkut tiga hari, baunya sampai ke rumah warga.' });

    const a = await deliver(first);
    expect(a).toMatchObject({ created: true, relation: 'new' });
    const b = await deliver(second);
    expect(b).toMatchObject({ created: true, relation: 'new' });

    const [ra, rb] = rows();
    expect(rows()).toHaveLength(2);
    expect(ra!.external_id).toBe(id);
    expect(rb!.external_id).toMatch(/^<form-submission@form\.example\.org>#[0-9a-f]{16}$/);
    // two reports of two citizens, each with its own case (and its own acknowledgement)
    expect(caseCount()).toBe(2);
    expect(contactOf(ra!.case_id)).toBe('siti.aminah@example.net');
    expect(contactOf(rb!.case_id)).toBe('agus.prasetyo@example.com');
    const acks = (h.db.$client.prepare("SELECT id FROM outbox WHERE id LIKE '%.ack'").all() as { id: string }[]).map((r) => r.id).sort();
    expect(acks).toEqual([`${numberOf(ra!.case_id)}.ack`, `${numberOf(rb!.case_id)}.ack`].sort());

    // the operator is told, with the ids that lead to both messages, and nothing personal
    const warned = lines.filter((l) => l['level'] === 40 && String(l['msg']).includes('tell its administrator'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ messageId: rb!.ingest_id, firstMessageId: ra!.ingest_id, caseNumber: numberOf(rb!.case_id), firstCaseNumber: numberOf(ra!.case_id), channel: 'email' });
    const line = raws.find((r) => r.includes('tell its administrator'))!;
    for (const personal of ['siti', 'agus', 'form-submission', 'Sampah', 'Parangtritis']) expect(line).not.toContain(personal);

    // each of them delivered again, by another relay (other transport headers): nothing new
    expect(await deliver(formMail({ messageId: id, citizen: AGUS, date: 'Tue, 03 Nov 2026 08:20:00 +0700', text: 'Sampah menumpuk di TPS Jl. Parangtritis dan belum diangkut tiga hari, baunya sampai ke rumah warga.', received: RELAY })))
      .toMatchObject({ created: false, ingestId: rb!.ingest_id, caseNumber: numberOf(rb!.case_id) });
    expect(await deliver(first.replace('From:', `${RELAY.join('\r\n')}\r\nFrom:`)))
      .toMatchObject({ created: false, ingestId: ra!.ingest_id, caseNumber: numberOf(ra!.case_id) });
    expect(rows()).toHaveLength(2);
    expect(caseCount()).toBe(2);
  });

  it('two different mails under one Message-ID in quick succession (the first one\'s job still in the queue) are both recorded', async () => {
    const id = '<fixed-id@mailer.example.org>';
    const before = rows().length;
    await queue.clean(0, 1000, 'completed');
    await admin.append('INBOX', formMail({ messageId: id, citizen: SITI, date: 'Thu, 05 Nov 2026 07:00:00 +0700', text: 'Pohon tumbang menutup Jl. Bantul dekat pasar, kendaraan tidak bisa lewat.' }));
    await admin.append('INBOX', formMail({ messageId: id, citizen: AGUS, date: 'Thu, 05 Nov 2026 07:00:05 +0700', text: 'Trotoar di Jl. Sudirman depan sekolah ambles, membahayakan anak-anak.' }));
    await waitFor(() => rows().length === before + 2, 15_000);
    expect(rows().slice(before).map((r) => r.external_id)).toEqual([id, expect.stringMatching(/^<fixed-id@mailer\.example\.org>#[0-9a-f]{16}$/)]);
  });

  it('a mail recorded before this version: its redelivery is recognised from its stored original, another mail under its Message-ID is recorded', async () => {
    const id = '<scan-0001@scanner.example.org>';
    const original = formMail({ messageId: id, citizen: SITI, date: 'Wed, 04 Nov 2026 10:00:00 +0700', text: 'Saluran air di Jl. Kenari gang 3 tersumbat, air meluap ke jalan setiap hujan.' });
    const casesBefore = caseCount();
    expect(await deliver(original)).toMatchObject({ created: true });
    // as a version before kept it: no content digest with the message, its ingest id of the Message-ID alone
    h.db.$client.prepare("UPDATE messages SET meta = json_remove(meta, '$.contentDigest'), ingest_id = ? WHERE connector_id = ? AND external_id = ?").run(ingestId(CONNECTOR, id), CONNECTOR, id);
    const old = rows().find((r) => r.external_id === id)!;
    expect(JSON.parse(old.meta)).not.toHaveProperty('contentDigest');

    expect(await deliver(original.replace('From:', `${RELAY.join('\r\n')}\r\nFrom:`))).toMatchObject({ created: false, ingestId: ingestId(CONNECTOR, id) });
    expect(caseCount()).toBe(casesBefore + 1);

    const other = await deliver(formMail({ messageId: id, citizen: AGUS, date: 'Wed, 04 Nov 2026 11:30:00 +0700', text: 'Jembatan kecil di kampung Jetis retak dan miring, warga takut melintas.' }));
    expect(other).toMatchObject({ created: true, relation: 'new' });
    expect(rows().filter((r) => r.external_id.startsWith(id))).toHaveLength(2);
    expect(caseCount()).toBe(casesBefore + 2);

    // its stored original gone too: taken as a redelivery (never a second case), and the log says so
    rmSync(new Storage(h.config.storage.dir).pathOf(old.raw_ref!));
    expect(await deliver(original.replace('From:', `${RELAY[0]}\r\nFrom:`))).toMatchObject({ created: false, ingestId: ingestId(CONNECTOR, id) });
    expect(caseCount()).toBe(casesBefore + 2);
    expect(lines.filter((l) => l['level'] === 40 && String(l['msg']).includes('stored original (storage.dir) is missing'))).toHaveLength(1);
  });
});
