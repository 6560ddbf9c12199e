/**
 * Outgoing mail through a real SMTP server (smtp-server): what the division gets when the server refuses
 * some of a mail's recipients, refuses a mail for its size, and what a dead-lettered forward replayed
 * after its case moved on does.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, markOutboxFailed } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { createMailSender, isPermanentSmtpError, isSmtpLoginRefused, type MailSender } from '../../core/mail/transport.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { QUEUES } from '../../core/queue.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { getOutbox, insertOutbox } from '../../core/repo/outbox.repo.ts';
import { Storage } from '../../core/storage.ts';
import { basicUnderstander } from '../../core/understand.ts';
import { testConfig } from '../helpers/config.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

let smtp: TestSmtp;
let db: Db;
let sender: MailSender;
let config: ReturnType<typeof testConfig>;
let n = 0;

beforeAll(async () => {
  smtp = await startSmtp({ size: 100_000 });
  config = testConfig({
    mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port: smtp.port } },
    divisions: [
      // (every message goes to the default division: basicUnderstander)
      { id: 'komisi-c', name: 'Komisi C', inbox: ['komisi-c@dprd.test', 'sekretariat-c@dprd.test'], default: true },
      { id: 'humas', name: 'Humas', inbox: 'humas@dprd.test' },
    ],
  });
  db = openDb(config.database.path);
  sender = createMailSender(config, new Storage(config.storage.dir));
});
afterEach(() => {
  smtp.refuseAddress.clear();
  smtp.reject = false;
});
afterAll(async () => {
  sender?.close();
  closeDb(db);
  await smtp?.close();
});

/** A citizen's SMS about a road: a case for Komisi C, its forward waiting in the outbox. */
function roadCase(): string {
  n++;
  const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `m${n}`, receivedAt: new Date().toISOString(),
    sender: { phone: `+62812000000${n}` }, text: `Jalan Kaliurang km ${n} berlubang besar, mohon segera diperbaiki.` });
  return recordInbound({ db, config, understander: basicUnderstander(config), outboundChannels: new Set() }, message, ingestId('sms-test', message.externalId)).caseNumber!;
}
const to = (address: string) => smtp.mails.filter((m) => m.envelope.to.includes(address));

describe('one recipient refused, the others taken', () => {
  it('a recipient refused for now (451) gets the mail when the server takes it, and the others no second copy', async () => {
    const number = roadCase();
    const id = `${number}.forward`;
    smtp.refuseAddress.set('sekretariat-c@dprd.test', 451);
    await expect(deliverOutboxMail(db, sender, id)).rejects.toThrow(/sekretariat-c@dprd\.test.*451/);
    expect(to('komisi-c@dprd.test').filter((m) => m.parsed.messageId === `<${number}.forward@dprd.test>`)).toHaveLength(1);
    // the division has it: the case is forwarded; the row waits to be tried again for the refused inbox alone
    expect(getCaseByNumber(db, number)!.status).toBe('forwarded');
    const row = getOutbox(db, id)!;
    expect(row.status).toBe('queued');
    expect((row.payload as MailPayload).to).toEqual(['sekretariat-c@dprd.test']);
    expect(row.lastError).toMatch(/sekretariat-c@dprd\.test/);
    // (the division has it: the forward's delivery clock is done with it, the inboxes that have it are kept)
    expect(row.clockDoneAt).not.toBeNull();
    expect((row.payload as MailPayload).deliveredTo).toEqual(['komisi-c@dprd.test']);
    expect(isPermanentSmtpError(await deliverOutboxMail(db, sender, id).catch((e: unknown) => e))).toBe(false);

    smtp.refuseAddress.clear();
    expect(await deliverOutboxMail(db, sender, id)).toBe('sent');
    const ours = (a: string) => to(a).filter((m) => m.parsed.messageId === `<${number}.forward@dprd.test>`);
    expect(ours('sekretariat-c@dprd.test')).toHaveLength(1);
    expect(ours('komisi-c@dprd.test')).toHaveLength(1);
    expect(getOutbox(db, id)!.status).toBe('sent');
  });

  it('a recipient refused for good (550) is recorded on the row, the mail counts as sent to the others', async () => {
    const number = roadCase();
    const id = `${number}.forward`;
    smtp.refuseAddress.set('sekretariat-c@dprd.test', 550);
    expect(await deliverOutboxMail(db, sender, id)).toBe('sent');
    expect(to('komisi-c@dprd.test').filter((m) => m.parsed.messageId === `<${number}.forward@dprd.test>`)).toHaveLength(1);
    const row = getOutbox(db, id)!;
    expect(row.status).toBe('sent');
    expect(row.lastError).toMatch(/sekretariat-c@dprd\.test.*550/);
  });
});

describe('a mail larger than the SMTP server takes (552)', () => {
  it('goes without its attachments, naming them, instead of dying', async () => {
    const storage = new Storage(config.storage.dir);
    const big = storage.put(Buffer.alloc(150_000, 7));
    const small = storage.put('surat pengantar');
    const id = 'ADU-2026-900001.forward';
    const payload: MailPayload = {
      to: ['komisi-c@dprd.test'], subject: '[ADU-2026-900001] Jalan berlubang', text: 'Isi aduan: jalan berlubang', html: '<p>Isi aduan: jalan berlubang</p>',
      messageId: '<ADU-2026-900001.forward@dprd.test>', headers: { 'Auto-Submitted': 'auto-generated', 'X-Aduan-Case': 'ADU-2026-900001' },
      attachments: [{ filename: 'video-jalan.mp4', contentType: 'video/mp4', sha256: big }, { filename: 'surat.txt', contentType: 'text/plain', sha256: small }],
    };
    insertOutbox(db, { id, caseId: null, kind: 'mail', queue: QUEUES.mail, payload, now: new Date().toISOString() });
    const refusedBefore = smtp.tooLarge;
    expect(await deliverOutboxMail(db, sender, id)).toBe('sent');
    expect(smtp.tooLarge).toBe(refusedBefore + 1);
    const got = to('komisi-c@dprd.test').filter((m) => m.parsed.messageId === payload.messageId);
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.attachments).toEqual([]);
    expect(got[0]!.parsed.text).toMatch(/melebihi batas ukuran.*video-jalan\.mp4.*surat\.txt/s);
    expect(got[0]!.parsed.text).toContain('ADU-2026-900001');
    expect(got[0]!.parsed.html).toContain('video-jalan.mp4');
    expect(getOutbox(db, id)!.status).toBe('sent');
    expect(getOutbox(db, id)!.lastError).toMatch(/without its attachments.*552/);
  });
});

describe('a dead-lettered forward replayed after its case moved on', () => {
  /** A road case whose forward Komisi C's server refused for good: dead-lettered. */
  async function deadForward(): Promise<{ number: string; id: string }> {
    const number = roadCase();
    const id = `${number}.forward`;
    smtp.reject = true;
    const err = await deliverOutboxMail(db, sender, id).catch((e: unknown) => e);
    markOutboxFailed(db, id, true, (err as Error).message);
    smtp.reject = false;
    return { number, id };
  }

  it('is not sent to the division the case has left', async () => {
    const number = roadCase();
    const id = `${number}.forward`;
    // Komisi C's server refuses it for good: dead-lettered
    smtp.reject = true;
    const err = await deliverOutboxMail(db, sender, id).catch((e: unknown) => e);
    expect(isPermanentSmtpError(err)).toBe(true);
    markOutboxFailed(db, id, true, (err as Error).message);
    smtp.reject = false;
    // an officer sends the case to Humas; its own forward goes there
    officerCommand({ db, config, outboundChannels: new Set() }, number, { kind: 'alihkan', division: 'humas' }, 'siti');
    const again = db.select().from(outbox).where(like(outbox.id, `${number}.forward-%`)).all();
    expect(again).toHaveLength(1);
    expect(await deliverOutboxMail(db, sender, again[0]!.id)).toBe('sent');
    expect(to('humas@dprd.test').filter((m) => m.parsed.subject?.includes(number))).toHaveLength(1);
    // the first forward never arrived: this one is the case's first at any division, so it is forwarded now
    expect(getCaseByNumber(db, number)!.status).toBe('forwarded');

    // `aduan dlq replay` later: the old forward must not reach Komisi C
    const before = smtp.mails.length;
    expect(await deliverOutboxMail(db, sender, id)).toBe('stale');
    expect(smtp.mails.length).toBe(before);
    const row = getOutbox(db, id)!;
    expect(row.status).toBe('skipped');
    expect(row.lastError).toMatch(/humas/);
  });

  it('is not sent once the case was called spam', async () => {
    const { number, id } = await deadForward();
    officerCommand({ db, config, outboundChannels: new Set() }, number, { kind: 'pilah', label: 'spam' }, 'siti');
    expect(getCaseByNumber(db, number)!.status).toBe('spam');
    const before = smtp.mails.length;
    expect(await deliverOutboxMail(db, sender, id)).toBe('stale');
    expect(smtp.mails.length).toBe(before);
  });

  it('still goes to the division the case is at', async () => {
    const { number, id } = await deadForward();
    expect(await deliverOutboxMail(db, sender, id)).toBe('sent');
    expect(to('komisi-c@dprd.test').filter((m) => m.parsed.messageId === `<${number}.forward@dprd.test>`)).toHaveLength(1);
  });
});

describe('the SMTP server refusing the gateway\'s login (a password changed or expired)', () => {
  it('is no reason to dead-letter the mail: it waits and goes once the login works', async () => {
    const guarded = await startSmtp({ auth: { user: 'aduan', pass: 'right-password' } });
    const mailConfig = (pass: string) => testConfig({
      mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port: guarded.port, auth: { user: 'aduan', pass } } },
      database: { path: config.database.path }, storage: { dir: config.storage.dir },
      divisions: config.divisions,
    });
    const wrong = createMailSender(mailConfig('old-password'), new Storage(config.storage.dir));
    const right = createMailSender(mailConfig('right-password'), new Storage(config.storage.dir));
    try {
      const number = roadCase();
      const err = await deliverOutboxMail(db, wrong, `${number}.forward`).catch((e: unknown) => e);
      expect(isSmtpLoginRefused(err)).toBe(true);
      expect(isPermanentSmtpError(err)).toBe(false);
      expect(await deliverOutboxMail(db, right, `${number}.forward`)).toBe('sent');
      expect(guarded.mails.filter((m) => m.parsed.subject?.includes(number))).toHaveLength(1);
    } finally {
      wrong.close();
      right.close();
      await guarded.close();
    }
  });
});

