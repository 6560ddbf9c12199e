/**
 * The citizen's verdict on a result (PUAS / TIDAK PUAS) as citizens write it: after the case number
 * they are asked to name.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { like } from 'drizzle-orm';
import { messages, outbox } from '../../core/db/schema.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { officerCommand, officerSetStatus } from '../../core/lifecycle/service.ts';
import { monthlyReport } from '../../core/report.ts';
import { withoutCaseNumbers } from '../../core/case-number.ts';
import { servicesLacking } from '../../core/lifecycle/own-problem.ts';
import { verdictParts } from '../../core/lifecycle/commands.ts';
import { chainDay, chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { asOf } from '../helpers/clock.ts';

const PHONE = '+6281200000001';
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';

afterEach(() => { vi.useRealTimers(); });

const day = chainDay;

/**
 * A citizen's report (the road by default), forwarded on day 0, its result (`result`) sent on day 1: awaiting
 * the verdict. `before` is sent, in between, by the citizen (its text, run with the case's number).
 */
async function answered(s: ChainSetup, report = ROAD, opts: { result?: string; before?: (number: string) => void } = {}): Promise<string> {
  const a = s.sms(PHONE, report);
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(day(0));
    await s.deliverForward(a);
    opts.before?.(a);
    vi.setSystemTime(day(1));
    officerCommand(s.deps, a, { kind: 'selesai', result: opts.result ?? 'Jalan sudah ditambal.' }, 'api:budi');
  } finally {
    vi.useRealTimers();
  }
  expect(s.status(a)).toBe('awaiting_feedback');
  return a;
}

let sent = 0;
/** An SMS of the citizen at `at`; returns the case it was recorded on. */
function smsAt(s: ChainSetup, text: string, at: Date): string | null {
  const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `v-${++sent}`, receivedAt: at.toISOString(), sender: { phone: PHONE }, text });
  return recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => at }, message, ingestId('sms-test', message.externalId)).caseNumber;
}

const types = (s: ChainSetup, number: string) => s.eventsOf(number).map((e) => e.type);
const mails = (s: ChainSetup, number: string, purpose: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}%`)).all();
/** What the citizen was sent on `number` (SMS), by purpose. */
const toCitizen = (s: ChainSetup, number: string, purpose: string) => mails(s, number, purpose).map((o) => (o.payload as { text: string }).text);

/**
 * `text` sent on day 2 while the road case waits for its verdict is a new case: the road case is not
 * reopened and still waits, the citizen hears the new case's number and that the road case still waits.
 */
async function newCaseWhileWaiting(text: string): Promise<{ s: ChainSetup; a: string; b: string }> {
  const s = chainSetup();
  const a = await answered(s);
  const b = smsAt(s, text, day(2));
  expect(b).not.toBeNull();
  expect(b).not.toBe(a);
  expect(s.status(a)).toBe('awaiting_feedback');
  expect(types(s, a)).not.toContain('reopened');
  expect(mails(s, b!, 'ack-')).toHaveLength(1);
  expect(toCitizen(s, a, 'still-awaiting-')).toEqual([`Aduan ${a} tetap menunggu jawaban Anda atas hasilnya: balas PUAS ${a} atau TIDAK PUAS ${a}.`]);
  return { s, a, b: b! };
}

describe('a verdict written after the case number', () => {
  it('"<number> PUAS" closes the case as satisfied; the division gets no "added" mail', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, `${a} PUAS`, day(2))).toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_satisfied');
    expect(mails(s, a, 'added-')).toHaveLength(0);
    // (no "no answer" closing a week later)
    runSweeps(s.deps, day(12));
    expect(types(s, a)).not.toContain('closed_no_answer');
  });

  it('"adu 2026 1: tidak puas" (as typed on a phone) reopens it', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'adu 2026 1: tidak puas, masih berlubang', day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('reopened');
  });

  it('withoutCaseNumbers leaves what is said about the case', () => {
    expect(withoutCaseNumbers('ADU-2026-000123 PUAS', 'ADU')).toBe('PUAS');
    expect(withoutCaseNumbers('Nomor ADU2026000123 tidak puas', 'ADU')).toBe('tidak puas');
    expect(withoutCaseNumbers('aduan adu 2026 123. belum pak', 'ADU')).toBe('belum pak');
    expect(withoutCaseNumbers('PUAS', 'ADU')).toBe('PUAS');
  });
});

describe('a verdict written under a quote of our own message', () => {
  /** The result SMS the citizen got on `number`. */
  const resultText = (s: ChainSetup, number: string): string => {
    const texts = toCitizen(s, number, 'result-');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Balas PUAS');
    return texts[0]!;
  };
  /** The ways phones and people quote: as sent, on one line, in quotes, each line after ">", after "Re:". */
  const quotings: [string, (t: string) => string][] = [
    ['as sent', (t) => t],
    ['on one line', (t) => t.replace(/\s+/g, ' ')],
    ['in «»', (t) => `«${t}»`],
    ['in ""', (t) => `"${t}"`],
    ['in “”', (t) => `“${t}”`],
    ['each line after ">"', (t) => t.split('\n').map((l) => `> ${l}`).join('\n')],
    ['after "Re:"', (t) => `Re: ${t}`],
  ];

  it.each(quotings)('quoted %s, then "Puas": closes it as satisfied; the division gets none of our text; the message is stored as it came', async (_, quote) => {
    const s = chainSetup();
    const a = await answered(s);
    const text = `${quote(resultText(s, a))}\nPuas`;
    expect(smsAt(s, text, day(2))).toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_satisfied');
    expect(toCitizen(s, a, 'noted-')).toEqual([]);
    expect(mails(s, a, 'added-')).toEqual([]);
    expect(s.db.select().from(messages).all().at(-1)!.text).toBe(text);
  });

  it('quoted, then "Tidak puas, masih berlubang": reopens it; the division reads the citizen\'s words, not our result', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, `${resultText(s, a)}\n\nTidak puas, masih berlubang`, day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('reopened');
    const told = mails(s, a, 'reopened-').map((o) => (o.payload as { text: string }).text);
    expect(told[0]).toContain('Tidak puas, masih berlubang');
    expect(told[0]).not.toContain('Hasil tindak lanjut');
    expect(mails(s, a, 'added-')).toEqual([]);
  });

  it('two results waiting: "Puas" under the quote of the first one\'s closes that one, not the latest', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = await answered(s, 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki.', { result: 'Lampu sudah diganti.' });
    expect(b).not.toBe(a);
    expect(smsAt(s, `${resultText(s, a)}\nPuas`, day(2))).toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(s.status(b)).toBe('awaiting_feedback');
  });

  it('our result alone, sent back: read as before (how to give the verdict)', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, resultText(s, a), day(2))).toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
    expect(toCitizen(s, a, 'noted-')).toEqual([expect.stringContaining('balas PUAS atau TIDAK PUAS')]);
  });
});

describe('a verdict after the case closed for no answer', () => {
  /** The result unanswered for sla.closeUnansweredAfterDays: closed, and the citizen told to write naming the number if not solved. */
  async function closedForNoAnswer(s: ChainSetup): Promise<string> {
    const a = await answered(s);
    runSweeps(s.deps, day(9));
    expect(s.status(a)).toBe('closed');
    const notice = mails(s, a, 'closed-').map((o) => (o.payload as { text: string }).text);
    expect(notice).toEqual([`Aduan ${a} kami tutup karena tidak ada tanggapan. Bila masalahnya belum selesai, balas: TIDAK PUAS ${a}`]);
    return a;
  }

  it('"TIDAK PUAS <number>" reopens it as a TIDAK PUAS would have: the division is told, the citizen hears it is reopened', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    expect(smsAt(s, `TIDAK PUAS ${a}`, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a).slice(-2)).toEqual(['reopened', 'review_started']);
    const told = mails(s, a, 'reopened-').map((o) => o.payload as { to: unknown; text: string });
    expect(told.map((p) => p.to)).toEqual([['komisi-c@localhost'], { phone: PHONE }]);
    expect(told[0]!.text).toContain(`Pelapor menyatakan belum puas atas hasil aduan ${a}`);
    expect(told[1]!.text).toContain(`Aduan ${a} dibuka kembali`);
    // not answered "Status: selesai" besides
    expect(mails(s, a, 'noted-')).toHaveLength(0);
  });

  it.each(['TIDAK PUAS', 'belum pak', 'Belum selesai pak, lubangnya masih ada'])('"%s" by SMS without the number (the reply to the closing SMS) reopens it: no new case, no "Aduan Anda diterima"', async (text) => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    expect(smsAt(s, text, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(mails(s, a, 'reopened-').map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringContaining('Pelapor menyatakan belum puas'), `Aduan ${a} dibuka kembali dan dikaji ulang oleh Komisi C (Pembangunan). Terima kasih atas tanggapan Anda.`]);
    expect(s.db.select().from(outbox).all().filter((o) => !o.id.startsWith(`${a}.`))).toEqual([]);
  });

  it('without the number, a bare TIDAK PUAS is no late verdict once the citizen reported something since; another problem is a new case', async () => {
    // a newer report of theirs: their words may be about it
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const b = smsAt(s, 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki', day(10))!;
    expect(b).not.toBe(a);
    expect(smsAt(s, 'TIDAK PUAS', day(10.5))).not.toBe(a);
    expect(s.status(a)).toBe('closed');
    // "belum, tidak ada air sejak kemarin" names a problem the road case does not speak of: a new case
    const s2 = chainSetup();
    const c = await closedForNoAnswer(s2);
    expect(smsAt(s2, 'Belum, tidak ada air sejak kemarin di rumah kami', day(10))).not.toBe(c);
    expect(s2.status(c)).toBe('closed');
  });

  it('"<number> belum selesai, jalannya masih berlubang" reopens it too (not a new case)', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    expect(smsAt(s, `${a} belum selesai pak, jalannya masih berlubang`, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it('a late PUAS changes nothing', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    expect(smsAt(s, `${a} PUAS`, day(10))).toBe(a);
    expect(s.status(a)).toBe('closed');
  });
});

describe('a change of mind after PUAS', () => {
  const HOUR_MS = 3_600_000;
  /** A result answered PUAS on day 2: closed as satisfied. */
  async function closedSatisfied(s: ChainSetup): Promise<string> {
    const a = await answered(s);
    expect(smsAt(s, 'PUAS', day(2))).toBe(a);
    expect(types(s, a)).toContain('closed_satisfied');
    return a;
  }
  const others = (s: ChainSetup, a: string) => s.db.select().from(outbox).all().filter((o) => !o.id.startsWith(`${a}.`));
  const texts = (s: ChainSetup, a: string, purpose: string) => mails(s, a, purpose).map((o) => (o.payload as { text: string }).text);

  it.each(['TIDAK PUAS', 'tidak puas pak, ternyata lubangnya masih ada'])('"%s" a minute later, without the number, reopens it as a TIDAK PUAS in time would, the change of mind on record: no new case', async (text) => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    expect(smsAt(s, text, new Date(day(2).getTime() + 60_000))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a).slice(-3)).toEqual(['verdict_changed', 'reopened', 'review_started']);
    expect(s.eventsOf(a).find((e) => e.type === 'verdict_changed')!.text).toMatch(/^Pelapor mengubah jawabannya: PUAS pada .+, kini TIDAK PUAS\.$/);
    expect(texts(s, a, 'reopened-')).toEqual([expect.stringContaining(`Pelapor menyatakan belum puas atas hasil aduan ${a}`), `Aduan ${a} dibuka kembali dan dikaji ulang oleh Komisi C (Pembangunan). Terima kasih atas tanggapan Anda.`]);
    expect(texts(s, a, 'reopened-')[0]).toContain('sebelumnya menjawab PUAS');
    expect(others(s, a)).toEqual([]);
    expect(texts(s, a, 'noted-')).toEqual([]);
  });

  it('"<number> tidak puas" a day later reopens it too, not "Status: selesai"', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    expect(smsAt(s, `${a} tidak puas`, day(3))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('verdict_changed');
    expect(texts(s, a, 'noted-')).toEqual([]);
    expect(others(s, a)).toEqual([]);
  });

  it('within sla.closeUnansweredAfterDays of the PUAS only: later it is recorded on the case and its division told, the case stays closed', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    // (the last moment of the window: 7 days after the PUAS)
    const s2 = chainSetup();
    const b = await closedSatisfied(s2);
    expect(smsAt(s2, `${b} tidak puas`, new Date(day(9).getTime()))).toBe(b);
    expect(s2.status(b)).toBe('in_review');
    // a day after it
    expect(smsAt(s, `${a} tidak puas, lubangnya muncul lagi`, day(10))).toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('reopened');
    expect(s.eventsOf(a).at(-1)).toMatchObject({ type: 'late_unsatisfied', actorType: 'citizen', text: `${a} tidak puas, lubangnya muncul lagi` });
    const division = mails(s, a, 'late-unsatisfied-').map((o) => o.payload as { to: unknown; subject: string; text: string });
    expect(division.map((p) => p.to)).toEqual([['komisi-c@localhost'], { phone: PHONE }]);
    expect(division[0]!.text).toContain(`Pelapor aduan ${a} menyatakan belum puas`);
    expect(division[0]!.text).toContain(`${a} tidak puas, lubangnya muncul lagi`);
    expect(division[0]!.text).toContain(`aduan cases update ${a} --status reopened`);
    expect(division[1]!.text).toBe(`Tanggapan Anda atas aduan ${a} kami teruskan ke Komisi C (Pembangunan). Bila masalahnya muncul lagi, kirim sebagai aduan baru.`);
    expect(texts(s, a, 'noted-')).toEqual([]);
    expect(others(s, a)).toEqual([]);
    // without the number too, while it is their latest case; a second one within the hour is recorded, not answered again
    expect(smsAt(s, 'TIDAK PUAS', new Date(day(10).getTime() + HOUR_MS / 2))).toBe(a);
    expect(s.eventsOf(a).filter((e) => e.type === 'late_unsatisfied')).toHaveLength(2);
    expect(mails(s, a, 'late-unsatisfied-').filter((o) => (o.payload as { to: unknown }).to !== null && !Array.isArray((o.payload as { to: unknown }).to))).toHaveLength(1);
    expect(others(s, a)).toEqual([]);
  });

  it('with another problem: "Tidak puas. Sekarang lampu jalan …" reopens it and opens a new case; "Belum, tidak ada air …" is a new case only', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    const lamp = smsAt(s, 'Tidak puas. Sekarang lampu jalan di depan rumah mati sejak kemarin', day(3));
    expect(lamp).not.toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('verdict_changed');
    const s2 = chainSetup();
    const b = await closedSatisfied(s2);
    expect(smsAt(s2, 'Belum, tidak ada air sejak kemarin di rumah kami', day(3))).not.toBe(b);
    expect(s2.status(b)).toBe('closed');
  });

  it('archived, it is too late', async () => {
    const s = chainSetup({}, { config: { archive: { afterDays: 0 } } });
    const a = await closedSatisfied(s);
    runSweeps(s.deps, new Date(day(2).getTime() + HOUR_MS));
    expect(s.status(a)).toBe('archived');
    smsAt(s, `${a} tidak puas`, new Date(day(2).getTime() + 2 * HOUR_MS));
    expect(s.status(a)).toBe('archived');
    expect(mails(s, a, 'reopened-')).toEqual([]);
  });
});

describe('the monthly report after reopenings', () => {

  it('satisfaction_rate counts a case by how it ends: PUAS, then reopened by an officer and closed for no answer, is no satisfied case; one reopened and open again is not closed', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'PUAS', day(2))).toBe(a);
    // the citizen phones: not fixed; the new result is never answered
    asOf(day(3), () => officerSetStatus(s.deps, a, 'reopened', 'Warga menelepon: belum diperbaiki', 'api:budi'));
    asOf(day(4), () => officerCommand(s.deps, a, { kind: 'selesai', result: 'Jalan sudah ditambal ulang.' }, 'api:budi'));
    runSweeps(s.deps, day(12));
    expect(s.status(a)).toBe('closed');
    // another citizen: PUAS, then reopened by an officer and still being worked on
    const b = s.sms('+6281200000002', 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan');
    asOf(day(1), () => officerCommand(s.deps, b, { kind: 'selesai', result: 'Selokan sudah dikeruk.' }, 'api:budi'));
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'b-puas', receivedAt: day(2).toISOString(), sender: { phone: '+6281200000002' }, text: 'PUAS' });
    recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => day(2) }, message, ingestId('sms-test', message.externalId));
    expect(s.status(b)).toBe('closed');
    asOf(day(3), () => officerSetStatus(s.deps, b, 'reopened', 'Warga menelepon: air masih meluap', 'api:budi'));
    // a third: PUAS, and stays closed
    const c = s.sms('+6281200000003', 'Lampu jalan di Jl. Melati mati sudah seminggu, mohon diperbaiki');
    asOf(day(1), () => officerCommand(s.deps, c, { kind: 'selesai', result: 'Lampu sudah diganti.' }, 'api:budi'));
    const puas = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'c-puas', receivedAt: day(2).toISOString(), sender: { phone: '+6281200000003' }, text: 'PUAS' });
    recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => day(2) }, puas, ingestId('sms-test', puas.externalId));
    expect(s.status(c)).toBe('closed');
    const report = monthlyReport(s.db, '2026-03', false, s.config.instance.timezone);
    // closed: a (no answer) and c (PUAS); b is open again
    expect(report).toMatch(/^satisfaction_rate\s+50%$/m);
    expect(report).toMatch(/^reopen_rate\s+67%$/m);
  });
});

describe('a new report that begins with a verdict\'s word', () => {
  it('"Ya ampun, …" or "2 minggu …" about another problem is a new case, not PUAS or TIDAK PUAS on the answered one; "Ya, terima kasih" and "Belum, …" still are', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const other = smsAt(s, 'Ya ampun, sekarang saluran air di gang sebelah mampet dan meluap ke rumah warga', day(2));
    expect(other).not.toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
    const third = smsAt(s, '2 minggu ini sampah di depan pasar Kranggan belum diangkut', day(2));
    expect([a, other]).not.toContain(third);
    expect(s.status(a)).toBe('awaiting_feedback');
    expect(smsAt(s, 'Ya, terima kasih', day(3))).toBe(a);
    expect(s.status(a)).toBe('closed');
  });

  it('"Belum, lubangnya masih ada" reopens the answered case', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'Belum, lubangnya masih ada', day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });
});


describe('a new report of another problem while the answered case waits, its words not in the problem lexicon', () => {
  const WATER = 'Air PDAM di rumah saya Jl. Kenari 12 tidak mengalir sejak kemarin, mohon dicek';
  const LAMP = 'Lampu jalan di Jl. Melati mati sudah seminggu, mohon diperbaiki';

  /** `text` sent on day 2 while `report`'s result waits for the verdict: the case it was recorded on, and the answered case's status after. */
  async function whileWaiting(report: string, text: string): Promise<{ answered: string; on: string | null; status: string }> {
    const s = chainSetup();
    const a = await answered(s, report);
    const on = smsAt(s, text, day(2));
    return { answered: a, on, status: s.status(a) };
  }

  it.each([
    'tidak ada air sejak kemarin di rumah saya Jl. Kenari 12',
    'ga ada listrik di gang',
    'ga ada lampu di gang',
    'tidak bisa urus KTP',
    'belum ada petugas yang ambil sampah di pasar',
    'belum ada petugas kebersihan di pasar Kranggan',
    'Air PDAM di rumah saya tidak mengalir',
    // (no verdict's word, a few words: was taken as a remark on the road case)
    'listrik di gang kami mati',
    'mati lampu dari semalam pak',
  ])('"%s" on a road case waiting for PUAS / TIDAK PUAS is a new case; the road case still waits', async (text) => {
    const r = await whileWaiting(ROAD, text);
    expect(r.on).not.toBeNull();
    expect(r.on).not.toBe(r.answered);
    expect(r.status).toBe('awaiting_feedback');
  });

  it('the same words about the waiting case\'s own problem are its verdict: no water on a water case, the lamp still off on a street-light case', async () => {
    for (const [report, text] of [[WATER, 'tidak ada air sejak kemarin di rumah saya Jl. Kenari 12'], [WATER, 'belum, airnya tidak mengalir'], [LAMP, 'belum pak masih mati lampunya'], [LAMP, 'belum pak, lampunya mati lagi'], [LAMP, 'tidak ada penerangan sama sekali']] as const) {
      const r = await whileWaiting(report, text);
      expect(r.on, text).toBe(r.answered);
      expect(r.status, text).toBe('in_review');
    }
  });

  it('servicesLacking reads what is missing or not working near a "not", in the same part of a sentence', () => {
    const lacking = (text: string) => [...servicesLacking(text)];
    expect(lacking('tidak ada air sejak kemarin')).toEqual(['air']);
    expect(lacking('ga ada lampu di gang')).toEqual(['listrik']);
    expect(lacking('tidak bisa urus KTP')).toEqual(['adminduk']);
    expect(lacking('belum ada petugas kebersihan di pasar')).toEqual(['sampah']);
    expect(lacking('KTP saya belum jadi')).toEqual(['adminduk']);
    // rain water is no service; a comma ends what "belum" speaks of; a reason is another part
    expect(lacking('belum pak air hujan menggenang di lubangnya')).toEqual([]);
    expect(lacking('Belum, air PDAM jadi keruh')).toEqual(['air']);
    expect(lacking('Belum, airnya menggenang')).toEqual([]);
    expect(lacking('tidak bisa lewat karena air menggenang')).toEqual([]);
    expect(lacking('belum ada perubahan')).toEqual([]);
    // a drain's water is the drain
    expect(lacking('saluran airnya tidak diperbaiki')).toEqual(['selokan']);
    expect(lacking('selokan airnya mampet')).toEqual(['selokan']);
  });

  it.each([
    'tidak', 'belum', '2', 'TIDAK PUAS', 'tidak puas, aspalnya tidak rata', 'belum pak air hujan menggenang di lubangnya', 'belum kk lubangnya belum ditambal', 'Belum, lubangnya masih ada', 'Tidak, masih rusak', 'belum ada perubahan',
    'tidak ada perbaikan sama sekali', 'belum ada petugas yang datang', 'belum pak, tidak bisa dilewati', 'Tidak, lubangnya cuma ditutup tanah',
  ])('"%s" on the road case is still its TIDAK PUAS: reopened', async (text) => {
    const r = await whileWaiting(ROAD, text);
    expect(r.on).toBe(r.answered);
    expect(r.status).toBe('in_review');
  });
});

describe('a verdict and a new problem in one message', () => {
  const LAMP_NOW = 'Sekarang lampu jalan di depan rumah mati';

  it.each([
    'Belum, saluran airnya tidak diperbaiki',
    'Belum. Saluran air di gang kami mampet',
    'belum, tidak ada air sejak kemarin',
  ])('"%s" on a road case is a new case; the road case still waits for its verdict and the citizen hears both', async (text) => {
    const { s, a } = await newCaseWhileWaiting(text);
    expect(types(s, a)).toContain('note');
    // (no "noted" answer on the road case besides)
    expect(mails(s, a, 'noted-')).toHaveLength(0);
  });

  it('"<number> belum, saluran airnya tidak diperbaiki" (the number named) is a new case too', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = smsAt(s, `${a} belum, saluran airnya tidak diperbaiki`, day(2));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
  });

  it(`"Tidak puas. ${LAMP_NOW}" on a road case reopens the road case and opens a new case for the lamp; the division reads the new number`, async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = smsAt(s, `Tidak puas. ${LAMP_NOW}`, day(2));
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('reopened');
    expect(s.status(b!)).not.toBe('awaiting_feedback');
    const division = mails(s, a, 'reopened-').map((o) => o.payload as { to: unknown; text: string }).find((p) => Array.isArray(p.to));
    expect(division!.text).toContain(`Masalah lain dalam pesan ini dicatat sebagai aduan baru ${b}`);
    // the citizen hears both: the road case reopened, the lamp's number
    expect(toCitizen(s, a, 'reopened-ack-')[0]).toContain(`Aduan ${a} dibuka kembali`);
    expect(mails(s, b!, 'ack-')).toHaveLength(1);
  });

  it(`"PUAS. ${LAMP_NOW}" closes the road case as satisfied and opens a new case for the lamp`, async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = smsAt(s, `PUAS. ${LAMP_NOW}`, day(2));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_satisfied');
    expect(mails(s, b!, 'ack-')).toHaveLength(1);
  });

  it.each(['Belum, jalannya masih berlubang', 'TIDAK PUAS', 'Tidak puas, jalannya masih berlubang', 'tidak puas, aspalnya tidak rata'])('"%s" still reopens the road case, no new case', async (text) => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, text, day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });
});

describe('a late TIDAK PUAS and a new problem (case closed for no answer)', () => {
  const WATER = 'Air PDAM di rumah saya Jl. Kenari 12 tidak mengalir sejak kemarin, mohon dicek';

  async function closedForNoAnswer(s: ChainSetup, report = ROAD): Promise<string> {
    const a = await answered(s, report);
    runSweeps(s.deps, day(9));
    expect(types(s, a)).toContain('closed_no_answer');
    return a;
  }

  it('"<number> tidak ada air sejak kemarin" on a road case is a new case; the road case stays closed', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const b = smsAt(s, `${a} tidak ada air sejak kemarin`, day(10));
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('reopened');
    expect(mails(s, b!, 'ack-')).toHaveLength(1);
  });

  it('"<number> belum, saluran airnya tidak diperbaiki" on a road case is a new case too', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const b = smsAt(s, `${a} belum, saluran airnya tidak diperbaiki`, day(10));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
  });

  it('"<number> tidak ada air sejak kemarin" on a road case the citizen closed as PUAS is a new case, not a note on it', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'PUAS', day(2))).toBe(a);
    const b = smsAt(s, `${a} tidak ada air sejak kemarin`, day(3));
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(mails(s, b!, 'ack-')).toHaveLength(1);
  });

  it('"<number> tidak ada air sejak kemarin" on a water case is its late TIDAK PUAS: reopened', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s, WATER);
    expect(smsAt(s, `${a} tidak ada air sejak kemarin`, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it('"TIDAK PUAS <number>. Sekarang lampu jalan di depan rumah mati" reopens the road case and opens a new case for the lamp', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const b = smsAt(s, `TIDAK PUAS ${a}. Sekarang lampu jalan di depan rumah mati`, day(10));
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(mails(s, b!, 'ack-')).toHaveLength(1);
    expect(mails(s, a, 'reopened-ack-')).toHaveLength(1);
  });
});

describe('a verdict word said of another division\'s subject (its keywords in config.divisions)', () => {
  it.each([
    'Belum, kartu keluarga saya belum jadi',
    'Belum, ijazah anak saya masih ditahan',
  ])('"%s" on a road case (Komisi C) is a new case for that division; the road case still waits and the citizen hears both', async (text) => {
    await newCaseWhileWaiting(text);
  });

  it('"Tidak puas. Kartu keluarga saya juga belum jadi" reopens the road case and opens a new case', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = smsAt(s, 'Tidak puas. Kartu keluarga saya juga belum jadi', day(2));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it.each(['kartu keluarga saya belum jadi', 'Belum pak, kartu keluarga saya belum jadi'])('"%s" (no verdict, or no clear one) while the road case waits is a new case, not a remark on it', async (text) => {
    const s = chainSetup();
    const a = await answered(s);
    const b = smsAt(s, text, day(2));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
  });

  it.each([
    'Belum, jalannya masih berlubang',
    // a keyword that names only a place ("sd negeri", Komisi D), a lone identifier ("kk": also "kakak"),
    // who works on it or how ("pak lurah", "apbd") names no subject of its own
    'Belum, yang di SD Negeri Tahunan belum dikerjakan',
    'Belum kk, belum dikerjakan',
    'Belum pak, kata pak lurah belum ada dana',
    'Belum, katanya belum masuk APBD',
  ])('"%s" on the road case is still its TIDAK PUAS: reopened', async (text) => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, text, day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it('"<number> kartu keluarga saya belum jadi" on a road case the citizen closed as PUAS is a new case, not a note on it', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'PUAS', day(2))).toBe(a);
    const b = smsAt(s, `${a} kartu keluarga saya belum jadi`, day(3));
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
  });

  it('"Belum pak, yang di jembatan belum" on a water case (Komisi B) reopens it: "jembatan" (Komisi C) names only a place', async () => {
    const s = chainSetup();
    const a = await answered(s, 'Air PDAM di rumah saya Jl. Kenari 12 tidak mengalir sejak kemarin, mohon dicek', { result: 'Pipa sudah diperbaiki.' });
    expect(smsAt(s, 'Belum pak, yang di jembatan belum', day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });
});

describe('the case\'s words are also its result and the citizen\'s later messages on it', () => {
  it('"belum, lampunya masih mati" on a road case whose later message named the lamp reopens it (was a new case)', async () => {
    const s = chainSetup();
    const a = await answered(s, ROAD, { before: (number) => expect(smsAt(s, `${number} lampu jalan di depan rumah juga mati pak`, new Date(day(0).getTime() + 3_600_000))).toBe(number) });
    expect(smsAt(s, 'belum, lampunya masih mati', day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it('"belum, lampunya masih mati" on a road case whose result named the lamp reopens it', async () => {
    const s = chainSetup();
    const a = await answered(s, ROAD, { result: 'Jalan sudah ditambal dan lampu jalan di depan rumah sudah diganti.' });
    expect(smsAt(s, 'belum, lampunya masih mati', day(2))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });

  it('"belum, lampunya masih mati" on a road case that never spoke of the lamp is still a new case', async () => {
    const s = chainSetup();
    const a = await answered(s);
    expect(smsAt(s, 'belum, lampunya masih mati', day(2))).not.toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
  });

  it('"<number> belum, lampunya masih mati" on a road case closed for no answer, its later message about the lamp, reopens it', async () => {
    const s = chainSetup();
    const a = await answered(s, ROAD, { before: (number) => expect(smsAt(s, `${number} lampu jalan di depan rumah juga mati pak`, new Date(day(0).getTime() + 3_600_000))).toBe(number) });
    runSweeps(s.deps, day(9));
    expect(types(s, a)).toContain('closed_no_answer');
    expect(smsAt(s, `${a} belum, lampunya masih mati`, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
  });
});

describe('verdictParts with a letter whose lowercase is longer ("İ" → "i̇")', () => {
  it('reads the verdict and cuts what follows it where the citizen wrote it', () => {
    expect(verdictParts('TİDAK PUAS. Sekarang lampu jalan di depan rumah mati')).toEqual({ verdict: 'unsatisfied', bare: false, loose: false, rest: 'Sekarang lampu jalan di depan rumah mati' });
    expect(verdictParts('İYA, İNİ SUDAH BERES')).toEqual({ verdict: 'satisfied', bare: true, loose: false, rest: 'İNİ SUDAH BERES' });
    expect(verdictParts('Tidak puas. İni lampu mati')).toEqual({ verdict: 'unsatisfied', bare: false, loose: false, rest: 'İni lampu mati' });
  });
});
