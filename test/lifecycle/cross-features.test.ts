/**
 * Scenarios across the ways a citizen's follow-up is read, each added on its own: a verdict or a new problem
 * (own-problem.ts), a TIDAK PUAS after PUAS (verdict_changed / late_unsatisfied), a bare TIDAK PUAS after a
 * case closed for no answer, a question about a case the sender has none of (unmatched), our own text quoted
 * above the answer (quoted.ts), web identities (claimed), an emoji-only opener. Each checks what the citizen
 * and the division get.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { cases, messages, outbox } from '../../core/db/schema.ts';
import { recordInbound, type IntakeResult } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { chainDay, chainSetup, type ChainSetup } from '../helpers/chain.ts';

const PHONE = '+6281200000001';
const OTHER = '+6281200000077';
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';
const LAMP = 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki.';
const MINUTE = 60_000;

afterEach(() => { vi.useRealTimers(); });

const day = chainDay;
const later = (d: number, minutes: number) => new Date(day(d).getTime() + minutes * MINUTE);

let sent = 0;
/** A message of a citizen at `at` through intake. */
function send(s: ChainSetup, at: Date, text: string, o: { phone?: string; channel?: 'sms' | 'web'; email?: string } = {}): IntakeResult {
  const channel = o.channel ?? 'sms';
  const connectorId = channel === 'web' ? 'web' : 'sms-test';
  const message = inboundMessageSchema.parse({ connectorId, channel, externalId: `x-${++sent}`, receivedAt: at.toISOString(),
    sender: { phone: o.phone ?? PHONE, ...(o.email ? { email: o.email } : {}) }, text });
  return recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => at }, message, ingestId(connectorId, message.externalId));
}
/** An SMS of the citizen at `at`; the case it was recorded on. */
const smsAt = (s: ChainSetup, text: string, at: Date, phone = PHONE): string | null => send(s, at, text, { phone }).caseNumber;

/** A report (the road by default) by `phone`, forwarded on day 0, its result sent on day 1: awaiting the verdict. */
async function answered(s: ChainSetup, report = ROAD, o: { phone?: string; result?: string } = {}): Promise<string> {
  const a = s.sms(o.phone ?? PHONE, report);
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(day(0));
    await s.deliverForward(a);
    vi.setSystemTime(day(1));
    officerCommand(s.deps, a, { kind: 'selesai', result: o.result ?? 'Jalan sudah ditambal.' }, 'api:budi');
  } finally {
    vi.useRealTimers();
  }
  expect(s.status(a)).toBe('awaiting_feedback');
  return a;
}

const types = (s: ChainSetup, number: string) => s.eventsOf(number).map((e) => e.type);
const rows = (s: ChainSetup, number: string, purpose: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}%`)).all();
const payloads = (s: ChainSetup, number: string, purpose: string) => rows(s, number, purpose).map((o) => o.payload as { to: unknown; text: string });
/** What the citizen got on the case with `purpose` (their channel: to is not a list of addresses). */
const toCitizen = (s: ChainSetup, number: string, purpose: string) => payloads(s, number, purpose).filter((p) => !Array.isArray(p.to)).map((p) => p.text);
/** What the division got on the case with `purpose` (mail: to is a list of addresses). */
const toDivision = (s: ChainSetup, number: string, purpose: string) => payloads(s, number, purpose).filter((p) => Array.isArray(p.to)).map((p) => p.text);
/** Every outbox row written after `before` rows. */
const outboxSince = (s: ChainSetup, before: number) => s.db.select().from(outbox).all().slice(before);
const outboxCount = (s: ChainSetup) => s.db.select().from(outbox).all().length;
/** The result SMS the citizen got on `number`. */
function resultText(s: ChainSetup, number: string): string {
  const texts = toCitizen(s, number, 'result-');
  expect(texts).toHaveLength(1);
  return texts[0]!;
}

async function closedSatisfied(s: ChainSetup): Promise<string> {
  const a = await answered(s);
  expect(smsAt(s, 'PUAS', day(2))).toBe(a);
  expect(types(s, a)).toContain('closed_satisfied');
  return a;
}

async function closedForNoAnswer(s: ChainSetup): Promise<string> {
  const a = await answered(s);
  runSweeps(s.deps, day(9));
  expect(types(s, a)).toContain('closed_no_answer');
  return a;
}

const REOPENED_ACK = (a: string) => `Aduan ${a} dibuka kembali dan dikaji ulang oleh Komisi C (Pembangunan). Terima kasih atas tanggapan Anda.`;

describe('PUAS, then a change of mind', () => {
  it('our result quoted, then "tidak puas": reopened as a change of mind; the division reads the citizen\'s words, not our result', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    const before = outboxCount(s);
    expect(smsAt(s, `${resultText(s, a)}\n\ntidak puas, lubangnya masih ada`, later(2, 30))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a).slice(-3)).toEqual(['verdict_changed', 'reopened', 'review_started']);
    const division = toDivision(s, a, 'reopened-');
    expect(division).toHaveLength(1);
    expect(division[0]).toContain('tidak puas, lubangnya masih ada');
    expect(division[0]).toContain('sebelumnya menjawab PUAS');
    expect(division[0]).not.toContain('Hasil tindak lanjut');
    expect(toCitizen(s, a, 'reopened-')).toEqual([REOPENED_ACK(a)]);
    // nothing else: no new case, no "noted", no addition
    expect(outboxSince(s, before).map((o) => o.id).every((id) => id.startsWith(`${a}.reopened-`))).toBe(true);
    expect(s.db.select().from(cases).all()).toHaveLength(1);
  });

  it('"Belum, tidak ada air sejak kemarin" is a new case (water), the road case stays closed and its division hears nothing', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    const before = outboxCount(s);
    const b = smsAt(s, 'Belum, tidak ada air sejak kemarin di rumah kami', later(2, 30));
    expect(b).not.toBeNull();
    expect(b).not.toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('verdict_changed');
    expect(outboxSince(s, before).filter((o) => o.id.startsWith(`${a}.`))).toEqual([]);
    expect(rows(s, b!, 'ack-')).toHaveLength(1);
  });

  it('"Belum, jalannya masih berlubang" after PUAS is the change of mind on the road case', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    expect(smsAt(s, 'Belum, jalannya masih berlubang', later(2, 30))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    expect(types(s, a)).toContain('verdict_changed');
    expect(s.db.select().from(cases).all()).toHaveLength(1);
  });
});

describe('closed for no answer, then', () => {
  const notice = (s: ChainSetup, a: string) => {
    const texts = toCitizen(s, a, 'closed-');
    expect(texts).toEqual([`Aduan ${a} kami tutup karena tidak ada tanggapan. Bila masalahnya belum selesai, balas: TIDAK PUAS ${a}`]);
    return texts[0]!;
  };

  it('the closing notice quoted, then "belum": reopened, the division reads "belum", not our notice', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const before = outboxCount(s);
    expect(smsAt(s, `${notice(s, a)}\nbelum pak`, day(10))).toBe(a);
    expect(s.status(a)).toBe('in_review');
    const division = toDivision(s, a, 'reopened-');
    expect(division).toHaveLength(1);
    expect(division[0]).toContain('belum pak');
    expect(division[0]).not.toContain('kami tutup karena tidak ada tanggapan');
    expect(toCitizen(s, a, 'reopened-')).toEqual([REOPENED_ACK(a)]);
    expect(outboxSince(s, before).map((o) => o.id).every((id) => id.startsWith(`${a}.reopened-`))).toBe(true);
  });

  it('the closing notice quoted, then "sudah beres pak, terima kasih": the TIDAK PUAS in our quote reopens nothing', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const before = outboxCount(s);
    smsAt(s, `${notice(s, a)}\nsudah beres pak, terima kasih`, day(10));
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('reopened');
    expect(rows(s, a, 'reopened-')).toEqual([]);
    expect(rows(s, a, 'late-unsatisfied-')).toEqual([]);
    expect(s.db.select().from(cases).all()).toHaveLength(1);
    // no desk, no division
    expect(outboxSince(s, before).filter((o) => Array.isArray((o.payload as { to: unknown }).to))).toEqual([]);
  });

  it('"status <another person\'s number>": the neutral answer, their own closed case untouched, nothing on the other case', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const other = s.sms(OTHER, LAMP);
    const eventsA = s.eventsOf(a).length, eventsOther = s.eventsOf(other).length;
    const before = outboxCount(s);
    const r = send(s, day(10), `status ${other}`);
    expect(r).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.status(a)).toBe('closed');
    expect(s.eventsOf(a)).toHaveLength(eventsA);
    expect(s.eventsOf(other)).toHaveLength(eventsOther);
    expect(outboxSince(s, before).map((o) => (o.payload as { text: string }).text)).toEqual([
      `Nomor ${other} tidak ditemukan untuk nomor Anda. Tanyakan dari nomor yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.`,
    ]);
  });

  it('"TIDAK PUAS <another person\'s number>": not the other case\'s, and not a late verdict on their own case either', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const other = s.sms(OTHER, LAMP);
    const eventsOther = s.eventsOf(other).length;
    const r = send(s, day(10), `TIDAK PUAS ${other}`);
    expect(r.caseNumber).not.toBe(other);
    expect(s.eventsOf(other)).toHaveLength(eventsOther);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('reopened');
    expect(rows(s, a, 'reopened-')).toEqual([]);
    // answered as any question about a number not theirs, so they write again with their own
    expect(r).toMatchObject({ relation: 'unmatched', caseNumber: null });
  });

  it('"TIDAK PUAS <a number nobody has>" after PUAS: no change of mind read on their own case', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    expect(send(s, later(2, 30), 'TIDAK PUAS ADU-2026-000099')).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('verdict_changed');
  });
});

describe('a result waiting', () => {
  it('"TIDAK PUAS <another person\'s number>": not read as the verdict on their own waiting case', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const other = s.sms(OTHER, LAMP);
    const before = outboxCount(s);
    expect(send(s, day(2), `TIDAK PUAS ${other}`)).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.status(a)).toBe('awaiting_feedback');
    expect(outboxSince(s, before).map((o) => (o.payload as { text: string }).text)).toEqual([
      `Nomor ${other} tidak ditemukan untuk nomor Anda. Tanyakan dari nomor yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.`,
    ]);
  });
});

describe('two results waiting', () => {
  it('the older one\'s result quoted, then "PUAS": that one closes, the newer still waits; the citizen is thanked once, nothing to the divisions', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = await answered(s, LAMP, { result: 'Lampu sudah diganti.' });
    const before = outboxCount(s);
    expect(smsAt(s, `${resultText(s, a)}\nPUAS`, day(2))).toBe(a);
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_satisfied');
    expect(s.status(b)).toBe('awaiting_feedback');
    expect(types(s, b)).not.toContain('closed_satisfied');
    const out = outboxSince(s, before);
    expect(out.filter((o) => Array.isArray((o.payload as { to: unknown }).to))).toEqual([]);
    expect(out.filter((o) => o.id.startsWith(`${b}.`) && !o.id.startsWith(`${b}.still-awaiting-`))).toEqual([]);
  });

  it('the newer one\'s result quoted, then "tidak puas": the newer one reopens, the older still waits', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const b = await answered(s, LAMP, { result: 'Lampu sudah diganti.' });
    expect(smsAt(s, `${resultText(s, b)}\ntidak puas`, day(2))).toBe(b);
    expect(s.status(b)).not.toBe('awaiting_feedback');
    expect(types(s, b)).toContain('reopened');
    expect(s.status(a)).toBe('awaiting_feedback');
  });
});

describe('"👍" as the answer to a result', () => {
  it('is said on the waiting case, not a new case and no desk notice; the case is not closed on an emoji: the citizen is asked for PUAS or TIDAK PUAS', async () => {
    const s = chainSetup();
    const a = await answered(s);
    const before = outboxCount(s);
    expect(smsAt(s, '👍', day(2))).toBe(a);
    expect(s.db.select().from(cases).all()).toHaveLength(1);
    expect(s.status(a)).toBe('awaiting_feedback');
    const out = outboxSince(s, before);
    expect(out.filter((o) => Array.isArray((o.payload as { to: unknown }).to))).toEqual([]);
    expect(out.map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringContaining('balas PUAS atau TIDAK PUAS')]);
  });

  it('as a first message it is still an opener (ackOpenerShort), no desk mail', () => {
    const s = chainSetup();
    const n = send(s, day(0), '👍', { phone: OTHER }).caseNumber!;
    expect(s.db.select().from(cases).where(eq(cases.number, n)).get()).toMatchObject({ kind: 'statement', status: 'statement' });
    expect(s.db.select().from(outbox).all().filter((o) => Array.isArray((o.payload as { to: unknown }).to))).toEqual([]);
  });
});

describe('"gimana laporan saya?"', () => {
  it('from a phone whose only case is closed: a status answer on that case ("selesai"), not "no case", and it is not reopened', async () => {
    const s = chainSetup();
    const a = await closedForNoAnswer(s);
    const before = outboxCount(s);
    const r = send(s, day(10), 'gimana laporan saya?');
    expect(r).toMatchObject({ relation: 'reply', caseNumber: a });
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('reopened');
    const out = outboxSince(s, before);
    expect(out.map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringMatching(new RegExp(`^Pesan Anda kami catat pada aduan ${a}\\. Status: selesai`))]);
    expect(s.db.select().from(messages).where(eq(messages.relation, 'unmatched')).all()).toEqual([]);
  });

  it('from a phone whose only case is closed as PUAS: a status answer too, no change of mind read into it', async () => {
    const s = chainSetup();
    const a = await closedSatisfied(s);
    const r = send(s, later(2, 30), 'gimana laporan saya?');
    expect(r).toMatchObject({ relation: 'reply', caseNumber: a });
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).not.toContain('verdict_changed');
  });

  it('from a phone with an open case: a status answer on that case, not "unmatched"', async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, LAMP);
    await s.deliverForward(a);
    const before = outboxCount(s);
    const r = send(s, day(1), 'gimana laporan saya?');
    expect(r).toMatchObject({ relation: 'reply', caseNumber: a });
    const out = outboxSince(s, before).filter((o) => !Array.isArray((o.payload as { to: unknown }).to));
    expect(out.map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringMatching(new RegExp(`^Pesan Anda kami catat pada aduan ${a}\\. Status: `))]);
  });

  it('from a phone with none, while another person has a case: the neutral "no case" answer', async () => {
    const s = chainSetup();
    s.sms(PHONE, LAMP);
    expect(send(s, day(1), 'gimana laporan saya?', { phone: OTHER })).toMatchObject({ relation: 'unmatched', caseNumber: null });
  });
});

describe('the web form: a claimed contact asks after their report', () => {
  const EMAIL = 'rina@example.org';
  const WEB_PHONE = '+6281300000001';

  it('"status <their own number>" with the same phone and e-mail is a reply on their case; with another e-mail it is unmatched; by SMS from that phone a reply', () => {
    const s = chainSetup();
    const own = send(s, day(0), LAMP, { channel: 'web', phone: WEB_PHONE, email: EMAIL });
    expect(own.relation).toBe('new');
    const a = own.caseNumber!;
    expect(send(s, day(1), `status ${a}`, { channel: 'web', phone: WEB_PHONE, email: EMAIL })).toMatchObject({ relation: 'reply', caseNumber: a });
    expect(send(s, day(1), 'gimana laporan saya?', { channel: 'web', phone: WEB_PHONE, email: EMAIL })).toMatchObject({ relation: 'reply', caseNumber: a });
    // whoever types only the phone with another address is another contact: nothing of the case
    const events = s.eventsOf(a).length;
    expect(send(s, day(1), `status ${a}`, { channel: 'web', phone: WEB_PHONE, email: 'orang.lain@example.org' })).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(send(s, day(1), 'gimana laporan saya?', { channel: 'web', phone: WEB_PHONE, email: 'orang.lain@example.org' })).toMatchObject({ relation: 'unmatched', caseNumber: null });
    expect(s.eventsOf(a)).toHaveLength(events);
    // the proven owner of the typed phone (an SMS from it) answers for the web report (citizenOnCase): a reply on it
    expect(send(s, day(1), `status ${a}`, { phone: WEB_PHONE })).toMatchObject({ relation: 'reply', caseNumber: a });
    expect(s.db.select().from(cases).all()).toHaveLength(1);
  });

  it('"TIDAK PUAS <their own number>" through the form reopens their answered web case', async () => {
    const s = chainSetup();
    const own = send(s, day(0), ROAD, { channel: 'web', phone: WEB_PHONE, email: EMAIL });
    const a = own.caseNumber!;
    await s.deliverForward(a);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(day(1));
      officerCommand(s.deps, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, 'api:budi');
    } finally {
      vi.useRealTimers();
    }
    expect(s.status(a)).toBe('awaiting_feedback');
    // a stranger typing only the phone: nothing
    send(s, day(2), `TIDAK PUAS ${a}`, { channel: 'web', phone: WEB_PHONE, email: 'orang.lain@example.org' });
    expect(s.status(a)).toBe('awaiting_feedback');
    expect(send(s, day(2), `TIDAK PUAS ${a}`, { channel: 'web', phone: WEB_PHONE, email: EMAIL })).toMatchObject({ relation: 'reply', caseNumber: a });
    expect(s.status(a)).toBe('in_review');
  });
});
