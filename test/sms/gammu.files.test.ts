import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUtf16be } from '../../connectors/gammu/gammu.decode.ts';
import { caseEvents, cases, messages, outbox as outboxTable } from '../../core/db/schema.ts';
import { getOutbox, insertOutbox, setOutboxStatus } from '../../core/repo/outbox.repo.ts';
import { outboundQueueName } from '../../core/queue.ts';
import { FILES_FAILED_REASON } from '../../connectors/gammu/gammu.files.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { concatUdh } from '../../connectors/gammu/gammu.udh.ts';
import { smsBackup, utf16be } from './gammu.fixtures.ts';
import { allJobs, intakeQueue, pushReply, quarantined } from './sms.helpers.ts';

const ID = 'sms-gammu';

describe('gammu files backend (real Redis, spool folders in Gammu formats)', () => {
  let h: Harness;
  let q: Queue;
  const root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-'));
  const inbox = path.join(root, 'inbox');
  const processed = path.join(root, 'processed');
  const outbox = path.join(root, 'outbox');
  const errors = path.join(root, 'error');
  let running: Awaited<ReturnType<Harness['startConnector']>>;
  const drop = (name: string, content: Buffer | string): void => writeFileSync(path.join(inbox, name), content);
  const inboxFiles = (): string[] => readdirSync(inbox).filter((f) => !f.startsWith('.'));
  /** The job of the message whose files start with `base` (externalId = base + '-' + hash of the texts). */
  const gjob = async (base: string) => (await allJobs(q)).find((j) => j.data.connectorId === ID && String(j.data.externalId).startsWith(`${base}-`));
  const baseOf = (externalId: string): string => externalId.replace(/-[0-9a-f]{10}$/, '');

  beforeAll(async () => {
    mkdirSync(inbox, { recursive: true });
    mkdirSync(outbox, { recursive: true }); // SMSD's OutboxPath (the connector does not make it)
    mkdirSync(errors, { recursive: true });
    h = await startHarness({
      channels: [{ id: ID, type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: processed, outboxPath: outbox, errorPath: errors, scanIntervalMs: 200, settleMs: 50, multipartWaitSeconds: 1 }],
    });
    q = intakeQueue(h);
  });
  afterAll(async () => {
    await q?.close();
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('takes every file dropped while the connector was stopped, on start', async () => {
    // unicode single part, local number
    drop('IN20260304_101500_00_081234567801_00.txt', utf16be('Jalan berlubang di Jl. Kusumanegara dekat SD, bahaya 🚧'));
    // standard (UTF-8 locale) single part
    drop('IN20260304_101600_00_+6281234567802_00.txt', Buffer.from('Lampu PJU mati di Gang Mawar, Umbulharjo', 'utf8'));
    // multipart, written out of order, part 1 with a later SMSC time in its name
    drop('IN20260304_101700_00_+6281234567803_02.txt', utf16be(' sudah seminggu.'));
    drop('IN20260304_101702_00_+6281234567803_01.txt', utf16be('Sampah menumpuk di depan pasar Beringharjo'));
    drop('IN20260304_101700_00_+6281234567803_00.txt', utf16be('Lapor: '));
    // bad input: malformed name, operator sender, invalid UTF-16, empty, binary
    drop('IN2026_bad_name.txt', 'x');
    drop('IN20260304_101800_00_Telkomsel_00.txt', 'Kuota Anda hampir habis');
    drop('IN20260304_101900_00_+6281234567804_00.txt', Buffer.from([0xfe, 0xff, 0xd8, 0x3d, 0x00]));
    drop('IN20260304_102000_00_+6281234567805_00.txt', utf16be('   '));
    drop('IN20260304_102100_00_+6281234567806_00.bin', Buffer.from([0x06, 0x05, 0x04, 0x0b, 0x84]));
    drop('IN20260304_102200_00_+6281234567807_00.txt', Buffer.alloc(5 * 1024 * 1024, 0x41));

    running = await h.startConnector(ID);
    await waitFor(() => inboxFiles().length === 0, 10_000);

    const single = await gjob('IN20260304_101500_00_081234567801');
    expect(single?.data).toMatchObject({ channel: 'sms', sender: { phone: '+6281234567801' }, text: 'Jalan berlubang di Jl. Kusumanegara dekat SD, bahaya 🚧', receivedAt: '2026-03-04T10:15:00+07:00' });
    const std = await gjob('IN20260304_101600_00_+6281234567802');
    expect(std?.data.text).toBe('Lampu PJU mati di Gang Mawar, Umbulharjo');
    const multi = await gjob('IN20260304_101700_00_+6281234567803');
    expect(multi?.data.text).toBe('Lapor: Sampah menumpuk di depan pasar Beringharjo sudah seminggu.');
    expect(multi?.data.meta).toMatchObject({ parts: 3 });
    expect(multi?.data.meta.incomplete).toBeUndefined();

    expect((await allJobs(q)).filter((j) => j.data.connectorId === ID)).toHaveLength(3);
    expect(readdirSync(processed).filter((f) => f.startsWith('IN')).sort()).toHaveLength(5);
    const codes = quarantined(h, ID).map((r) => r.code).sort();
    expect(codes).toEqual(['SMS.EMPTY', 'SMS.GAMMU_BAD_ENCODING', 'SMS.GAMMU_BAD_NAME', 'SMS.GAMMU_BINARY', 'SMS.SENDER_NOT_PHONE', 'SMS.TOO_LONG']);
    expect(readdirSync(path.join(processed, 'quarantine'))).toHaveLength(6);
  });

  it('picks up a file written while running (fs event or periodic scan) and moves it after enqueue', async () => {
    drop('IN20260304_110000_00_+6281234567811_00.txt', utf16be('Saluran air tersumbat di Jl. Parangtritis'));
    await waitFor(async () => (await gjob('IN20260304_110000_00_+6281234567811')) !== undefined);
    // (moved as a link into processedPath, then the inbox name removed: both exist for a moment)
    await waitFor(() => existsSync(path.join(processed, 'IN20260304_110000_00_+6281234567811_00.txt')) && inboxFiles().length === 0);
  });

  it('reads InboxFormat=detail smsbackup files (all parts in one file)', async () => {
    drop('IN20260304_111500_00_+6281234567815_00.smsbackup', smsBackup('+6281234567815', [{ text: 'di Jl. Sudirman.', udh: '050003070202' }, { text: 'Trotoar ambles ', udh: '050003070201' }]));
    await waitFor(async () => (await gjob('IN20260304_111500_00_+6281234567815')) !== undefined);
    expect((await gjob('IN20260304_111500_00_+6281234567815'))?.data.text).toBe('Trotoar ambles di Jl. Sudirman.');
  });

  it('an emoji a cheap phone split between two parts (half a surrogate pair in each) is joined, not quarantined', async () => {
    // 🚧 is D83D DEA7: the phone cut the text by 16-bit units, part 0 ends with D83D, part 1 starts with DEA7
    const [hi, lo] = ['\uD83D', '\uDEA7'];
    drop('IN20260304_112000_05_+6281234567821_00.txt', utf16be(`Jalan ambles di Jl. Magelang km 3 ${hi}`));
    drop('IN20260304_112001_05_+6281234567821_01.txt', utf16be(`${lo} bahaya untuk motor`));
    // the same in InboxFormat=detail: both parts in one smsbackup file
    drop('IN20260304_112100_00_+6281234567822_00.smsbackup', smsBackup('+6281234567822', [{ text: `Got mampet ${hi}`, udh: concatUdh(4, 2, 1) }, { text: `${lo} di Gang Kenari`, udh: concatUdh(4, 2, 2) }]));
    await waitFor(async () => (await gjob('IN20260304_112000_05_+6281234567821')) !== undefined && (await gjob('IN20260304_112100_00_+6281234567822')) !== undefined);
    expect((await gjob('IN20260304_112000_05_+6281234567821'))?.data).toMatchObject({ text: 'Jalan ambles di Jl. Magelang km 3 🚧 bahaya untuk motor', meta: { parts: 2 } });
    expect((await gjob('IN20260304_112100_00_+6281234567822'))?.data.text).toBe('Got mampet 🚧 di Gang Kenari');
    expect(quarantined(h, ID).filter((r) => /6281234567821|6281234567822/.test(r.reason))).toEqual([]);
  });

  it('half an emoji whose other part never came: the complaint arrives with U+FFFD in its place', async () => {
    drop('IN20260304_112500_06_+6281234567823_00.txt', utf16be('Sampah dibakar tiap malam di Jl. Wates \uD83D'));
    drop('IN20260304_112500_06_+6281234567823_02.txt', utf16be('\uDE2D asapnya masuk rumah'));
    await waitFor(async () => (await gjob('IN20260304_112500_06_+6281234567823')) !== undefined, 5_000);
    const job = await gjob('IN20260304_112500_06_+6281234567823');
    expect(job?.data.text).toBe('Sampah dibakar tiap malam di Jl. Wates \uFFFD\uFFFD asapnya masuk rumah');
    expect(job?.data.meta).toMatchObject({ incomplete: true, missingParts: [1] });
    expect(quarantined(h, ID).filter((r) => r.reason.includes('6281234567823'))).toEqual([]);
  });

  it('waits for a missing part, then takes what arrived marked incomplete', async () => {
    drop('IN20260304_120000_03_+6281234567812_00.txt', utf16be('Bagian satu. '));
    drop('IN20260304_120000_03_+6281234567812_02.txt', utf16be('Bagian tiga.'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await gjob('IN20260304_120000_03_+6281234567812')).toBeUndefined();
    await waitFor(async () => (await gjob('IN20260304_120000_03_+6281234567812')) !== undefined, 5_000);
    const job = await gjob('IN20260304_120000_03_+6281234567812');
    expect(job?.data.text).toBe('Bagian satu. Bagian tiga.');
    expect(job?.data.meta).toMatchObject({ incomplete: true, missingParts: [1], parts: 2 });
  });

  it('a part 0 that has settled while part 1 (written just after it) has not yet: one message, not two', async () => {
    // SMSD writes the parts one after the other; a scan can come when part 0 is settleMs old and part 1
    // is not yet (here: part 1's mtime is a few seconds ahead, so it stays unsettled that long)
    const p0 = path.join(inbox, 'IN20260304_121500_04_+6281234567824_00.txt');
    const p1 = path.join(inbox, 'IN20260304_121501_04_+6281234567824_01.txt');
    writeFileSync(p0, utf16be('Lapor: sampah menumpuk '));
    writeFileSync(p1, utf16be('di depan pasar Kranggan.'));
    const later = new Date(Date.now() + 2_500);
    utimesSync(p1, later, later);
    await waitFor(() => !existsSync(p0) && !existsSync(p1), 10_000);
    const jobs = (await allJobs(q)).filter((j) => j.data.sender?.phone === '+6281234567824');
    expect(jobs.map((j) => j.data.text)).toEqual(['Lapor: sampah menumpuk di depan pasar Kranggan.']);
    expect(jobs[0]?.data.meta).toMatchObject({ parts: 2 });
    expect(jobs[0]?.data.meta.incomplete).toBeUndefined();
  });

  it('delivery reports SMSD saves into the inbox (DeliveryReport = sms) are not taken as the citizen writing back', async () => {
    // libgammu's status report text, in a file named after the number our reply went to
    drop('IN20260304_122000_00_+6281234567825_00.txt', utf16be('Delivered'));
    drop('IN20260304_122100_00_+6281234567826_00.txt', Buffer.from('Failed', 'latin1'));
    // a citizen's own words are still a message
    drop('IN20260304_122200_00_+6281234567827_00.txt', utf16be('Delivered? belum ada balasan soal lampu mati'));
    await waitFor(() => inboxFiles().length === 0);
    await waitFor(async () => (await gjob('IN20260304_122200_00_+6281234567827')) !== undefined);
    const jobs = (await allJobs(q)).filter((j) => /\+628123456782[567]/.test(String(j.data.sender?.phone)));
    expect(jobs.map((j) => j.data.sender.phone)).toEqual(['+6281234567827']);
    expect(existsSync(path.join(processed, 'IN20260304_122000_00_+6281234567825_00.txt'))).toBe(true);
    const failed = quarantined(h, ID).filter((r) => r.reason.includes('6281234567826'));
    expect(failed.map((r) => r.code)).toEqual(['SMS.GAMMU_DELIVERY_REPORT']);
    expect(failed[0]?.reason).toContain('not delivered (Failed)');
    expect(existsSync(path.join(processed, 'quarantine', 'IN20260304_122100_00_+6281234567826_00.txt'))).toBe(true);
  });

  it('folds panic repeats (same text, same number, seconds apart) into one message', async () => {
    const text = 'TOLONG banjir masuk rumah di Jl. Gedongkuning no 5';
    drop('IN20260304_130000_00_+6281234567813_00.txt', utf16be(text));
    drop('IN20260304_130004_00_+6281234567813_00.txt', utf16be(text));
    drop('IN20260304_130009_00_+6281234567813_00.txt', utf16be(`${text} `));
    await waitFor(() => inboxFiles().length === 0);
    const jobs = (await allJobs(q)).filter((j) => j.data.sender?.phone === '+6281234567813');
    expect(jobs).toHaveLength(1);
    expect(baseOf(jobs[0]?.data.externalId)).toBe('IN20260304_130000_00_+6281234567813');
  });

  it('backlog: the same text sent on three different days is three messages, not panic repeats', async () => {
    // SMSD kept receiving while Aduan/Redis was down over a long weekend; the citizen re-sent every day
    const text = 'Lampu jalan di Jl. Parangtritis masih mati';
    drop('IN20260301_080000_00_+6281234567816_00.txt', utf16be(text));
    drop('IN20260302_080000_00_+6281234567816_00.txt', utf16be(text));
    drop('IN20260303_080000_00_+6281234567816_00.txt', utf16be(text));
    await waitFor(() => inboxFiles().length === 0);
    const jobs = (await allJobs(q)).filter((j) => j.data.sender?.phone === '+6281234567816');
    expect(jobs.map((j) => baseOf(j.data.externalId)).sort()).toEqual(['IN20260301_080000_00_+6281234567816', 'IN20260302_080000_00_+6281234567816', 'IN20260303_080000_00_+6281234567816']);
    expect(jobs.every((j) => j.data.meta.repeatOf === undefined)).toBe(true);
  });

  it('a reused SMSD serial: a second SMS with the same file name is its own message, both files kept; the same SMS again is not doubled', async () => {
    const name = 'IN20260310_091500_00_+6281234567817_00.txt';
    const first = 'Pak, jalan di depan SD Negeri 5 berlubang besar.';
    const second = 'Sudah dua motor jatuh minggu ini, mohon segera diperbaiki.';
    drop(name, utf16be(first));
    await waitFor(() => inboxFiles().length === 0);
    // SMSD picks serial 00 again: IN…_00_…_00.txt no longer exists in InboxPath
    drop(name, utf16be(second));
    await waitFor(() => inboxFiles().length === 0);
    const texts = async () => (await allJobs(q)).filter((j) => j.data.sender?.phone === '+6281234567817').map((j) => j.data.text).sort();
    expect(await texts()).toEqual([first, second]);
    const kept = () => readdirSync(processed).filter((f) => f.startsWith('IN20260310_091500_00_+6281234567817')).sort();
    expect(kept().map((f) => decodeUtf16be(readFileSync(path.join(processed, f)).subarray(2))).sort()).toEqual([first, second]);
    // the first SMS dropped again (a restored backup): the same externalId, one message, one file
    drop(name, utf16be(first));
    await waitFor(() => inboxFiles().length === 0);
    expect(await texts()).toEqual([first, second]);
    expect(kept()).toHaveLength(2);
  });

  it('keeps files in the inbox while Redis is down and takes them once it is back', async () => {
    await h.redis.stop();
    drop('IN20260304_140000_00_+6281234567814_00.txt', utf16be('Pohon tumbang menutup jalan di Kotabaru'));
    await new Promise((r) => setTimeout(r, 1_200));
    expect(inboxFiles()).toContain('IN20260304_140000_00_+6281234567814_00.txt');
    await h.redis.restart();
    await waitFor(() => inboxFiles().length === 0, 15_000);
    expect(await gjob('IN20260304_140000_00_+6281234567814')).toBeDefined();
  });

  it('writes replies as Gammu outbox files (Unicode when needed), once per outbox id', async () => {
    await pushReply(h, ID, { outboxId: 'ob-gammu-1', caseNumber: 'ADU-2026-000123', to: { phone: '+6281234567801' }, text: 'Aduan Anda diterima — nomor ADU-2026-000123 ✓' });
    await pushReply(h, ID, { outboxId: 'ob-gammu-2', caseNumber: null, to: { phone: '+6281234567802' }, text: 'Terima kasih.' });
    await waitFor(() => readdirSync(outbox).filter((f) => f.startsWith('OUT')).length === 2);
    const files = readdirSync(outbox).filter((f) => f.startsWith('OUT')).sort();
    const uni = files.find((f) => f.includes('+6281234567801'))!;
    expect(uni).toMatch(/^OUTA\d{8}_\d{6}_00_\+6281234567801_ob-gammu-1\.txt$/);
    const buf = readFileSync(path.join(outbox, uni));
    expect([buf[0], buf[1]]).toEqual([0xfe, 0xff]);
    // (the dash staff paste is written as GSM-7's "-"; the check mark still needs Unicode)
    expect(decodeUtf16be(buf.subarray(2))).toBe('Aduan Anda diterima - nomor ADU-2026-000123 ✓');
    expect(readFileSync(path.join(outbox, files.find((f) => f.includes('+6281234567802'))!), 'latin1')).toBe('Terima kasih.');
  });

  it('end to end: the intake records a case and the acknowledgement SMS lands in the Gammu outbox', async () => {
    h.startIntake();
    drop('IN20260304_150000_00_+6281234567820_00.txt', utf16be('Jalan rusak parah di Jl. Imogiri Timur, mohon segera diperbaiki'));
    await waitFor(() => h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_150000_00_+6281234567820-%')).get() !== undefined, 15_000);
    const row = h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_150000_00_+6281234567820-%')).get()!;
    const kase = h.db.select().from(cases).where(eq(cases.id, row.caseId!)).get()!;
    await waitFor(() => readdirSync(outbox).some((f) => f.includes('+6281234567820')), 15_000);
    const f = readdirSync(outbox).find((x) => x.includes('+6281234567820'))!;
    const content = readFileSync(path.join(outbox, f));
    const text = content[0] === 0xfe ? decodeUtf16be(content.subarray(2)) : content.toString('latin1');
    expect(text).toContain(kase.number);

    // the citizen answers from the same number naming the case: attached to it, not a new case
    drop('IN20260304_151000_00_+6281234567820_00.txt', utf16be(`${kase.number} jalannya sekarang makin parah`));
    await waitFor(() => h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_151000_00_+6281234567820-%')).get() !== undefined, 15_000);
    const reply = h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_151000_00_+6281234567820-%')).get()!;
    expect(reply.relation).toBe('reply');
    expect(reply.caseId).toBe(kase.id);
  });

  it('a reply SMSD could not send (moved to ErrorSMSPath) is marked not delivered on the case, once — also after a restart', async () => {
    // (the intake runs since the test before)
    drop('IN20260304_160000_00_+6281234567830_00.txt', utf16be('Lampu lalu lintas di perempatan Gondomanan mati total sejak kemarin'));
    await waitFor(() => h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_160000_00_+6281234567830-%')).get()?.caseId != null, 15_000);
    const caseId = h.db.select().from(messages).where(like(messages.externalId, 'IN20260304_160000_00_+6281234567830-%')).get()!.caseId!;
    const ack = () => h.db.select().from(outboxTable).where(and(eq(outboxTable.caseId, caseId), eq(outboxTable.kind, 'channel'))).get();
    await waitFor(() => ack()?.status === 'sent', 15_000);
    const ackId = ack()!.id; // `<case>.ack-…`: the file name keeps it only without its dot
    const fileOf = (phone: string) => readdirSync(outbox).find((f) => f.startsWith('OUT') && f.includes(phone))!;
    /** What SMSD does with a file it could not send (no credit): moves it, under its name, to ErrorSMSPath. */
    const smsdFails = (phone: string) => renameSync(path.join(outbox, fileOf(phone)), path.join(errors, fileOf(phone)));
    // another program's SMS SMSD could not send either: not ours to mark
    writeFileSync(path.join(errors, 'OUTC20260304_160500_00_+6281299999999_sms0.txt'), 'Promo');
    smsdFails('+6281234567830');
    await waitFor(() => getOutbox(h.db, ackId)?.status === 'dead');
    expect(getOutbox(h.db, ackId)?.lastError).toBe(FILES_FAILED_REASON);
    const failedEvents = () => h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'reply_failed'))).all();
    expect(failedEvents()).toHaveLength(1);
    expect(failedEvents()[0]?.text).toBe(`Pesan ke pelapor tidak terkirim: ${FILES_FAILED_REASON}`);

    /** A reply handed to SMSD that SMSD then fails: marked dead once the connector has scanned ErrorSMSPath after it. */
    const failing = async (outboxId: string, phone: string): Promise<void> => {
      insertOutbox(h.db, { id: outboxId, caseId: null, kind: 'channel', queue: outboundQueueName(ID), payload: {}, now: new Date().toISOString() });
      await pushReply(h, ID, { outboxId, caseNumber: null, to: { phone }, text: 'Hasil tindak lanjut: lampu sudah diperbaiki.' });
      await waitFor(() => getOutbox(h.db, outboxId)?.status === 'sent');
      smsdFails(phone);
      await waitFor(() => getOutbox(h.db, outboxId)?.status === 'dead');
    };
    // the file stays in ErrorSMSPath: the next scans, and a restarted connector, do not report it again
    // (marked sent again, the way a second report would show: the runtime marks a row once)
    setOutboxStatus(h.db, ackId, 'sent', new Date().toISOString());
    await failing('ADU-2026-000831.result-1', '+6281234567831');
    await running.instance.stop();
    await running.runtime.close();
    running = await h.startConnector(ID);
    await failing('ADU-2026-000832.result-1', '+6281234567832');
    expect(getOutbox(h.db, ackId)?.status).toBe('sent');
    expect(failedEvents()).toHaveLength(1);
    expect(readdirSync(errors)).toHaveLength(4);
  });

});

describe('gammu files backend: a panic repeat across a restart (intake with repeat detection)', () => {
  let h: Harness;
  const root = mkdtempSync(path.join(tmpdir(), 'aduan-gammu-panic-'));
  const inbox = path.join(root, 'inbox');
  const drop = (name: string, content: Buffer | string): void => writeFileSync(path.join(inbox, name), content);
  const recorded = (base: string) => h.db.select().from(messages).where(like(messages.externalId, `${base}-%`)).get();

  beforeAll(async () => {
    mkdirSync(inbox, { recursive: true });
    mkdirSync(path.join(root, 'outbox'), { recursive: true });
    h = await startHarness({
      channels: [{ id: ID, type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: path.join(root, 'processed'), outboxPath: path.join(root, 'outbox'), errorPath: path.join(root, 'error'), scanIntervalMs: 200, settleMs: 50 }],
    });
    h.startIntake(createUnderstander(h.config));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('a repeat the restarted connector no longer knows (its first SMS moved before a crash) is recorded on the case, but the case number is not sent again', async () => {
    const text = 'TOLONG air banjir masuk rumah warga di Jl. Gedongkuning gang 7, mohon bantuan';
    let running = await h.startConnector(ID);
    drop('IN20260304_170000_00_+6281234567840_00.txt', utf16be(text));
    await waitFor(() => recorded('IN20260304_170000_00_+6281234567840')?.caseId != null, 15_000);
    const caseId = recorded('IN20260304_170000_00_+6281234567840')!.caseId!;
    const acks = () => h.db.select().from(outboxTable).where(and(eq(outboxTable.caseId, caseId), eq(outboxTable.kind, 'channel'))).all();
    await waitFor(() => acks()[0]?.status === 'sent', 15_000);
    // the connector stops after the first file was moved (a crash, a deploy): what it saw is forgotten
    await running.instance.stop();
    await running.runtime.close();
    running = await h.startConnector(ID);
    drop('IN20260304_170005_00_+6281234567840_00.txt', utf16be(text));
    // queued under its own id (the connector could not fold it), and recorded on the case as a copy
    await waitFor(() => recorded('IN20260304_170005_00_+6281234567840') !== undefined, 15_000);
    expect(recorded('IN20260304_170005_00_+6281234567840')).toMatchObject({ relation: 'duplicate', caseId });
    // … without a second acknowledgement (before: 'Aduan ini sudah tercatat dengan nomor …' seconds after the first)
    expect(acks()).toHaveLength(1);
    const said = h.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'duplicate_received'))).all();
    expect(said.map((e) => e.text)).toEqual(['Pesan yang sama dikirim ulang pelapor 5 detik kemudian; tidak dibalas lagi.']);
    // the same words minutes later are a copy answered as before
    drop('IN20260304_171000_00_+6281234567840_00.txt', utf16be(text));
    await waitFor(() => recorded('IN20260304_171000_00_+6281234567840') !== undefined, 15_000);
    expect(recorded('IN20260304_171000_00_+6281234567840')).toMatchObject({ relation: 'duplicate', caseId });
    expect(acks()).toHaveLength(2);
    expect((acks()[1]!.payload as { text: string }).text).toContain('sudah tercatat');
  });
});
