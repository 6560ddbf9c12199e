/**
 * The SLA clocks after the ordinary path: a re-route, a re-forward that never arrives, a case an
 * officer reopens or moves by hand, a citizen who answers the result without PUAS / TIDAK PUAS.
 * Officer tools stamp events with the real time: it is set to the chain's clock around each call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, markOutboxFailed } from '../../core/forward.ts';
import type { MailSender } from '../../core/mail/transport.ts';
import { getOutbox } from '../../core/repo/outbox.repo.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { dueDate, parseStaffReply, type StaffCommand } from '../../core/lifecycle/commands.ts';
import { officerCommand, officerSetStatus } from '../../core/lifecycle/service.ts';
import { chainDay, chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { freePort } from '../helpers/ports.ts';
import { pino } from 'pino';
import { createLogger } from '../../core/logger.ts';
import { getCaseByNumber, setCaseStatus } from '../../core/repo/cases.repo.ts';
import { startAdminApi } from '../../workers/admin.api.ts';
import { asOf, HOUR } from '../helpers/clock.ts';
import { LIMITS } from '../../core/limits.ts';

const PHONE = '+6281200000001';
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';

afterEach(() => { vi.useRealTimers(); });

const day = chainDay;

/** A citizen's report (from PHONE unless `phone`), its forward delivered at `day(0)`. */
async function forwarded(s: ChainSetup, text = ROAD, phone = PHONE): Promise<string> {
  const a = s.sms(phone, text);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(day(0));
  try {
    await s.deliverForward(a);
  } finally {
    vi.useRealTimers();
  }
  return a;
}

/** Sweeps once a day (at 09:00 local time) from day `from` to day `to`. */
function sweepDays(s: ChainSetup, from: number, to: number): void {
  for (let d = from; d <= to; d++) sweep(s, day(d));
}

/** An SMS of the citizen at `at`. */
let sent = 0;
function smsAt(s: ChainSetup, text: string, at: Date): string | null | undefined {
  const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `late-${++sent}`, receivedAt: at.toISOString(), sender: { phone: PHONE }, text });
  return recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => at }, message, ingestId('sms-test', message.externalId)).caseNumber;
}

const command = (s: ChainSetup, number: string, cmd: StaffCommand, at = s.at()) => asOf(at, () => officerCommand(s.deps, number, cmd, 'api:budi'));
const setStatus = (s: ChainSetup, number: string, to: string, note: string | null, at: Date) => asOf(at, () => officerSetStatus(s.deps, number, to, note, 'api:budi'));
const sweep = (s: ChainSetup, at: Date) => runSweeps(s.deps, at);
const types = (s: ChainSetup, number: string) => s.eventsOf(number).map((e) => e.type);
/** The reminder and escalation events of the working-day clocks (not the delivery clocks). */
const divisionClocks = (s: ChainSetup, number: string) => types(s, number).filter((t) => /^sla_(reminder|escalated):(?!outbox:)/.test(t));
const staffMails = (s: ChainSetup, number: string, purpose: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}%`)).all()
  .map((o) => o.payload as { to: string[]; subject: string; text: string });

describe('delivery clock of a forward sent again', () => {
  it('a re-route forward (<number>.forward-<n>) that fails for good escalates like the first forward', async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, ROAD);
    await s.deliverForward(a);
    command(s, a, { kind: 'alihkan', division: 'komisi-a' });
    const again = s.db.select().from(outbox).where(like(outbox.id, `${a}.forward-%`)).get()!;
    expect((again.payload as { to: string[] }).to).toEqual(['komisi-a@localhost']);
    markOutboxFailed(s.db, again.id, true, '550 5.1.1 mailbox unavailable');
    sweep(s, new Date(Date.parse(again.createdAt) + 2 * HOUR));
    expect(types(s, a)).toContain(`sla_escalated:outbox:${again.id}`);
    expect(staffMails(s, a, 'escalation-').map((m) => m.text)).toContainEqual(expect.stringContaining('melewati target penerusan ke komisi/bagian (60 menit; status dead: 550 5.1.1 mailbox unavailable)'));
  });
});

describe('delivery clock of a forward one inbox of the division refused for now', () => {
  /**
   * A forward to two inboxes of komisi-c (the row addressed as a division with `inbox: [a, b]` writes it; the
   * chain's config is frozen); the server takes it for the first and answers 451 for the second.
   */
  async function partlyRefused(s: ChainSetup): Promise<{ a: string; id: string; createdAt: number }> {
    const a = s.sms(PHONE, ROAD);
    const id = `${a}.forward`;
    const row = getOutbox(s.db, id)!;
    expect((row.payload as { to: string[] }).to).toEqual(['komisi-c@localhost']);
    s.db.update(outbox).set({ payload: { ...(row.payload as object), to: ['komisi-c@localhost', 'sekretariat-c@localhost'] } }).where(eq(outbox.id, id)).run();
    const sender: MailSender = {
      send: async (p) => ({ messageId: p.messageId, refused: p.to.length > 1 ? [{ address: 'sekretariat-c@localhost', code: 451, response: '451 4.2.1 Mailbox busy, try again later' }] : [] }),
      verify: async () => {}, close: () => {},
    };
    const createdAt = Date.parse(row.createdAt);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(createdAt + 60_000);
    try {
      const err = await deliverOutboxMail(s.db, sender, id).catch((e: unknown) => e as Error);
      expect(String(err)).toMatch(/sekretariat-c@localhost/);
      // (the forward worker's failure handler: not the last attempt yet)
      markOutboxFailed(s.db, id, false, (err as Error).message);
    } finally {
      vi.useRealTimers();
    }
    expect(s.status(a)).toBe('forwarded');
    return { a, id, createdAt };
  }

  /** The escalation mails about the forward (the citizen's acknowledgement is not sent in these tests: it escalates on its own clock). */
  const forwardEscalations = (s: ChainSetup, a: string) => staffMails(s, a, 'escalation-').map((m) => m.text).filter((t) => t.includes('penerusan'));

  it('is not escalated as undelivered while the refused inbox is tried again: the division has it', async () => {
    const s = chainSetup();
    const { a, id, createdAt } = await partlyRefused(s);
    expect(getOutbox(s.db, id)!.status).toBe('queued');
    sweep(s, new Date(createdAt + 2 * HOUR));
    sweep(s, new Date(createdAt + 5 * HOUR));
    expect(types(s, a)).not.toContain(`sla_escalated:outbox:${id}`);
    expect(forwardEscalations(s, a)).toEqual([]);
  });

  it('when the refused inbox never takes it, the case records it, still without the undelivered escalation', async () => {
    const s = chainSetup();
    const { a, id, createdAt } = await partlyRefused(s);
    sweep(s, new Date(createdAt + 2 * HOUR));
    // the last attempt: refused again, the row is dead-lettered
    asOf(new Date(createdAt + 8 * HOUR), () => markOutboxFailed(s.db, id, true, '451 4.2.1 Mailbox busy, try again later'));
    expect(getOutbox(s.db, id)!.status).toBe('dead');
    sweep(s, new Date(createdAt + 9 * HOUR));
    expect(types(s, a)).not.toContain(`sla_escalated:outbox:${id}`);
    expect(forwardEscalations(s, a)).toEqual([]);
    const record = s.eventsOf(a).filter((e) => e.type === 'forward_partly_undelivered');
    expect(record).toHaveLength(1);
    expect(record[0]!.text).toContain('sekretariat-c@localhost');
    expect(record[0]!.text).toContain('komisi-c@localhost');
    expect(record[0]!.text).toContain('451 4.2.1');
    expect(s.status(a)).toBe('forwarded');
  });

  it('a forward refused for every inbox is still escalated as undelivered', async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, ROAD);
    const row = getOutbox(s.db, `${a}.forward`)!;
    asOf(new Date(Date.parse(row.createdAt) + 60_000), () => markOutboxFailed(s.db, row.id, false, '451 4.2.1 Mailbox busy, try again later'));
    sweep(s, new Date(Date.parse(row.createdAt) + 2 * HOUR));
    expect(types(s, a)).toContain(`sla_escalated:outbox:${row.id}`);
    expect(forwardEscalations(s, a)).toEqual([expect.stringContaining('melewati target penerusan ke komisi/bagian (60 menit; status queued: 451 4.2.1')]);
    expect(s.eventsOf(a).map((e) => e.type)).not.toContain('forward_partly_undelivered');
  });
});

describe('division clocks after a re-route', () => {
  it('the new division is reminded and escalated on its own first-response clock, also after the old one had escalated', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    // komisi-c lets it lie: reminded, then escalated
    sweepDays(s, 1, 7);
    expect(types(s, a).filter((t) => t.startsWith('sla_escalated:forwarded@'))).toHaveLength(1);
    // then says it is not theirs: the officer re-routes it on day 7 (a Monday)
    command(s, a, { kind: 'alihkan', division: 'komisi-a' }, day(7));
    sweepDays(s, 8, 30);
    const stage = `rerouted@${day(7).toISOString()}`;
    expect(divisionClocks(s, a)).toEqual([
      `sla_reminder:forwarded@${day(0).toISOString()}`, `sla_escalated:forwarded@${day(0).toISOString()}`, `sla_reminder:${stage}`, `sla_escalated:${stage}`,
    ]);
    const reminders = staffMails(s, a, 'reminder-');
    expect(reminders.map((m) => m.to)).toEqual([['komisi-c@localhost'], ['komisi-a@localhost']]);
    expect(reminders[1]!.text).toContain(`Aduan ${a} menunggu tanggapan pertama setelah aduan dialihkan (#kaji) selama 2 hari kerja (target 3 hari kerja)`);
    // (a lone escalation is mailed on its own, naming the new division)
    expect(staffMails(s, a, 'escalation-').map((m) => m.text)).toContainEqual(expect.stringContaining(`Aduan ${a} untuk Komisi A (Pemerintahan) melewati target tanggapan pertama setelah aduan dialihkan (#kaji): target 3 hari kerja, sudah 4 hari kerja (terlambat 1 hari kerja)`));
  });

  it('a case re-routed in review: the new division\'s #kaji starts its own clock for #tindakan / #selesai', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'kaji', note: 'rapat komisi' }, day(1));
    command(s, a, { kind: 'alihkan', division: 'komisi-a' }, day(2));
    sweepDays(s, 3, 4);
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:rerouted@${day(2).toISOString()}`]);
    command(s, a, { kind: 'kaji', note: '' }, day(4));
    expect(s.eventsOf(a).at(-1)).toMatchObject({ type: 'review_started', text: 'Dikaji oleh Komisi A (Pemerintahan) setelah dialihkan.' });
    expect(s.status(a)).toBe('in_review');
    sweepDays(s, 5, 30);
    expect(divisionClocks(s, a)).toEqual([
      `sla_reminder:rerouted@${day(2).toISOString()}`, `sla_reminder:review_started@${day(4).toISOString()}`, `sla_escalated:review_started@${day(4).toISOString()}`,
    ]);
    expect(staffMails(s, a, 'reminder-').map((m) => m.to)).toEqual([['komisi-a@localhost'], ['komisi-a@localhost']]);
  });
});

describe('a case an officer reopens', () => {
  it('the division is told with the officer\'s note and reminded, then escalated, until it takes the case up again', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    sweepDays(s, 2, 9);
    expect(s.status(a)).toBe('closed');
    // the citizen phones the secretariat: not fixed
    const k = setStatus(s, a, 'reopened', 'Warga menelepon: lubang di ujung gang belum ditambal', day(14));
    expect(k).toMatchObject({ status: 'reopened', reopenCount: 1 });
    const told = staffMails(s, a, 'reopened-');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ to: ['komisi-c@localhost'], subject: `[${a}] Dibuka kembali oleh petugas` });
    expect(told[0]!.text).toContain(`Aduan ${a} dibuka kembali oleh petugas (api:budi). Catatan petugas:\n\nWarga menelepon: lubang di ujung gang belum ditambal\n\nMohon dikaji kembali sampai akar masalahnya (SOP langkah 7): balas dengan #kaji dalam 3 hari kerja`);
    sweepDays(s, 15, 40);
    const stage = `status_set@${day(14).toISOString()}`;
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:${stage}`, `sla_escalated:${stage}`]);
    expect(staffMails(s, a, 'reminder-').at(-1)!.text).toContain(`Aduan ${a} menunggu kajian ulang aduan yang dibuka kembali (#kaji) selama 2 hari kerja`);
    expect(staffMails(s, a, 'escalation-').map((m) => m.text)).toContainEqual(expect.stringContaining(`Aduan ${a} untuk Komisi C (Pembangunan) melewati target kajian ulang aduan yang dibuka kembali (#kaji): target 3 hari kerja, sudah 4 hari kerja (terlambat 1 hari kerja)`));
  });
});

describe('no answer to the result', () => {
  it('a reply that is no verdict reaches the division and restarts the no-answer clock; a mere thanks does neither', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    expect(smsAt(s, 'Maaf pak jalannya masih berlubang di ujung gang, belum ditambal semua', day(2))).toBe(a);
    expect(s.status(a)).toBe('awaiting_feedback');
    // the division hears it in the forward's thread, and what it can do
    const added = staffMails(s, a, 'added-');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ to: ['komisi-c@localhost'], subject: `[${a}] Tambahan keterangan dari pelapor` });
    expect(added[0]!.text).toContain('Maaf pak jalannya masih berlubang di ujung gang, belum ditambal semua');
    expect(added[0]!.text).toContain(`Status aduan tidak berubah (Menunggu tanggapan pelapor): hasil sudah dikirim dan pelapor diminta membalas PUAS atau TIDAK PUAS. Bila keterangan ini berarti masalahnya belum selesai, Sekretariat dapat membuka kembali aduan ini (aduan cases update ${a} --status reopened).`);
    // "ok pak terima kasih" is no news for the division, and no answer
    expect(smsAt(s, 'ok pak terima kasih', day(5))).toBe(a);
    expect(staffMails(s, a, 'added-')).toHaveLength(1);
    // seven days after the result it stays open: the citizen answered on day 2
    sweep(s, day(8));
    sweep(s, day(9));
    expect(s.status(a)).toBe('awaiting_feedback');
    // seven days after that answer (the thanks on day 5 does not count), it closes
    sweep(s, day(10));
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_no_answer');
  });
});

describe('no answer to a result delivered late', () => {
  it('the days to answer count from when the result reached the citizen (an SMS gateway down for days), not from #selesai', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    const result = s.db.select().from(outbox).where(like(outbox.id, `${a}.result-%`)).get()!;
    // the gateway's SIM was out of credit: the result goes out on day 6, and the citizen has the 7 days from then
    s.db.update(outbox).set({ status: 'sent', sentAt: day(6).toISOString() }).where(like(outbox.id, result.id)).run();
    sweep(s, day(9));
    expect(s.status(a)).toBe('awaiting_feedback');
    sweep(s, day(13));
    expect(s.status(a)).toBe('awaiting_feedback');
    sweep(s, day(14));
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_no_answer');
  });

  it('a result delivered at once, or never (its delivery clock escalated it), counts from #selesai as before', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    s.db.update(outbox).set({ status: 'sent', sentAt: new Date(day(1).getTime() + 60_000).toISOString() }).where(like(outbox.id, `${a}.result-%`)).run();
    const b = await forwarded(s, 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan');
    command(s, b, { kind: 'selesai', result: 'Selokan sudah dikeruk.' }, day(1));
    s.db.update(outbox).set({ status: 'dead', lastError: 'modem unreachable' }).where(like(outbox.id, `${b}.result-%`)).run();
    sweep(s, day(8));
    expect([s.status(a), s.status(b)]).toEqual(['awaiting_feedback', 'awaiting_feedback']);
    sweep(s, day(9));
    expect([s.status(a), s.status(b)]).toEqual(['closed', 'closed']);
  });
});

describe('no answer, with the scheduler sweeping meanwhile (what a sweep read of a case is kept until the case changes)', () => {
  it('a case the citizen answers between sweeps is not closed from its result: its days run from the answer', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    const b = await forwarded(s, 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan', '+6281200000002');
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    command(s, b, { kind: 'selesai', result: 'Selokan sudah dikeruk.' }, day(1));
    sweepDays(s, 2, 3);
    expect(smsAt(s, 'Maaf pak jalannya masih berlubang di ujung gang, belum ditambal semua', day(4))).toBe(a);
    sweepDays(s, 4, 9);
    // (b, unanswered, closed seven days after its result; a seven days after the answer)
    expect([s.status(a), s.status(b)]).toEqual(['awaiting_feedback', 'closed']);
    sweep(s, day(11));
    expect(s.status(a)).toBe('awaiting_feedback');
    sweep(s, day(12));
    expect(s.status(a)).toBe('closed');
    expect(types(s, a)).toContain('closed_no_answer');
  });

  it('a result that reaches the citizen days after the sweeps read the case (its mail marked sent, no event) gives the citizen the days from then', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    sweepDays(s, 2, 5);
    const result = s.db.select().from(outbox).where(like(outbox.id, `${a}.result-%`)).get()!;
    s.db.update(outbox).set({ status: 'sent', sentAt: day(6).toISOString() }).where(eq(outbox.id, result.id)).run();
    sweepDays(s, 6, 12);
    expect(s.status(a)).toBe('awaiting_feedback');
    sweep(s, day(13));
    sweep(s, day(14));
    expect(s.status(a)).toBe('closed');
  });
});

describe('no answer, many cases at once', () => {
  it('closed over several of the sweep\'s transactions (LIMITS.sweepWritesPerTransaction), each once, the answered one not', async () => {
    const s = chainSetup();
    const texts = ['Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan', 'Lampu jalan di Jl. Melati mati sejak seminggu, mohon diperbaiki', ROAD];
    const all: string[] = [];
    for (const [i, text] of texts.entries()) all.push(await forwarded(s, text, `+62812000001${i}`));
    for (const n of all) command(s, n, { kind: 'selesai', result: 'Sudah diperbaiki.' }, day(1));
    sweepDays(s, 2, 3);
    // (the last one's citizen answers: "masih" is no verdict, but an answer)
    const answer = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'many-1', receivedAt: day(4).toISOString(), sender: { phone: '+628120000012' }, text: 'Maaf pak jalannya masih berlubang di ujung gang, belum ditambal semua' });
    expect(recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: () => day(4) }, answer, ingestId('sms-test', answer.externalId)).caseNumber).toBe(all[2]);
    const limits = LIMITS as { sweepWritesPerTransaction: number };
    const was = limits.sweepWritesPerTransaction;
    limits.sweepWritesPerTransaction = 1;
    let pauses = 0;
    try {
      expect(runSweeps({ ...s.deps, pause: () => { pauses++; } }, day(9)).closedNoAnswer).toBe(2);
    } finally {
      limits.sweepWritesPerTransaction = was;
    }
    expect(pauses).toBeGreaterThanOrEqual(2);
    expect(all.map((n) => s.status(n))).toEqual(['closed', 'closed', 'awaiting_feedback']);
    expect(all.map((n) => types(s, n).filter((t) => t === 'closed_no_answer').length)).toEqual([1, 1, 0]);
    sweep(s, day(12));
    expect(s.status(all[2]!)).toBe('closed');
  });
});

describe('closed again for no answer', () => {
  it('a case reopened and again left unanswered: the citizen gets the second closing notice too', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    const notices = () => s.db.select().from(outbox).where(like(outbox.id, `${a}.%`)).all()
      .filter((o) => (o.payload as { text: string }).text.includes('kami tutup karena tidak ada tanggapan'));
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal.' }, day(1));
    sweep(s, day(9));
    expect(notices()).toHaveLength(1);
    setStatus(s, a, 'reopened', 'Warga menelepon: belum diperbaiki', day(10));
    command(s, a, { kind: 'selesai', result: 'Jalan sudah ditambal ulang.' }, day(11));
    sweep(s, day(19));
    expect(s.status(a)).toBe('closed');
    expect(types(s, a).filter((t) => t === 'closed_no_answer')).toHaveLength(2);
    const both = notices();
    expect(both).toHaveLength(2);
    expect(new Set(both.map((o) => o.id)).size).toBe(2);
    expect(both.map((o) => (o.payload as { to: { phone?: string } }).to.phone)).toEqual([PHONE, PHONE]);
  });
});

describe('awaiting the verdict without a result', () => {
  it('a bare status change to awaiting_feedback (CLI, admin API) is refused with what to use instead', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    expect(() => setStatus(s, a, 'awaiting_feedback', 'sudah dijawab lewat telepon', day(1)))
      .toThrow(`Invalid field status: awaiting_feedback is reached by sending the result to the citizen, with the PUAS / TIDAK PUAS question: reply #selesai <hasil> to the case's forward, run \`aduan cases resolve ${a} --message <hasil>\`, or POST /admin/cases/${a}/commands`);
    const token = 'admin-token-for-tests-0123456789';
    const api = await startAdminApi({ config: { ...s.config, admin: { token, listen: { host: '127.0.0.1', port: await freePort() } } }, db: s.db,
      logger: createLogger({ process: 'admin' }, pino.destination('/dev/null')), outboundChannels: new Set(['sms-test']) });
    try {
      const res = await fetch(`http://127.0.0.1:${api.port}/admin/cases/${a}/status`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'awaiting_feedback', note: 'sudah dijawab lewat telepon' }) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('"command": "selesai"');
    } finally {
      await api.close();
    }
    expect(s.status(a)).toBe('forwarded');
  });

  it('a case moved there without a result (an older version allowed it) still closes for no answer, counted from the move', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    setCaseStatus(s.db, getCaseByNumber(s.db, a)!, 'awaiting_feedback', { at: day(1).toISOString(), actorType: 'officer', actor: 'api:budi', type: 'status_set', text: 'sudah dijawab lewat telepon' });
    sweep(s, day(7));
    expect(s.status(a)).toBe('awaiting_feedback');
    sweep(s, day(9));
    expect(s.status(a)).toBe('closed');
  });
});

describe('a status set by hand', () => {
  it('received → forwarded (forwarded by hand) and received → triage start the stage\'s clock from the change', () => {
    const s = chainSetup();
    // its forward still held: the citizen's first message says only who and where
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    expect(s.status(a)).toBe('received');
    setStatus(s, a, 'forwarded', 'diserahkan langsung ke Humas', day(0));
    const b = s.sms('+6281200000002', 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan');
    expect(s.status(b)).toBe('received');
    setStatus(s, b, 'triage', 'perlu dipilah', day(0));
    sweepDays(s, 1, 10);
    const stage = `status_set@${day(0).toISOString()}`;
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:${stage}`, `sla_escalated:${stage}`]);
    expect(staffMails(s, a, 'reminder-').map((m) => m.to)).toEqual([['humas@localhost']]);
    expect(divisionClocks(s, b)).toEqual([`sla_reminder:${stage}`, `sla_escalated:${stage}`]);
    expect(staffMails(s, b, 'reminder-')[0]!.text).toContain('menunggu pemilahan oleh petugas');
  });
});

describe('a corrective action past its due date', () => {
  it('the division is reminded the working day after the due date and escalated sla.actionDays after it; without a date, sla.actionDays from the action', async () => {
    const s = chainSetup();
    const a = await forwarded(s);
    command(s, a, { kind: 'tindakan', cause: 'aspal terkikis hujan', plan: 'tambal sulam', owner: 'DPUPKP', due: '2026-03-10' }, day(1));
    const b = await forwarded(s, 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan');
    command(s, b, { kind: 'tindakan', cause: 'sampah', plan: 'pengerukan', owner: 'DLH', due: null }, day(1));
    expect([s.status(a), s.status(b)]).toEqual(['action', 'action']);
    // due Tuesday 10 March: nothing until it has passed
    sweepDays(s, 2, 8);
    expect(divisionClocks(s, a)).toEqual([]);
    sweepDays(s, 9, 9);
    const stage = (n: string) => `corrective_action@${s.eventsOf(n).find((e) => e.type === 'corrective_action')!.at}`;
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:${stage(a)}`]);
    expect(staffMails(s, a, 'reminder-')[0]).toMatchObject({ to: ['komisi-c@localhost'], subject: `[${a}] Pengingat: hasil tindakan perbaikan setelah tenggat 2026-03-10 (#selesai)` });
    // ten working days after the due date (Wednesday 25 March), the secretariat hears of it
    sweepDays(s, 10, 22);
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:${stage(a)}`]);
    sweepDays(s, 23, 23);
    expect(divisionClocks(s, a)).toEqual([`sla_reminder:${stage(a)}`, `sla_escalated:${stage(a)}`]);
    // without a due date: reminded a working day before sla.actionDays from the action, then escalated
    expect(divisionClocks(s, b)).toEqual([`sla_reminder:${stage(b)}`, `sla_escalated:${stage(b)}`]);
    expect(staffMails(s, b, 'reminder-')[0]!.text).toContain(`Aduan ${b} menunggu hasil tindakan perbaikan (#selesai) selama 9 hari kerja (target 10 hari kerja)`);
  });

  it('a due date written as staff write it ("10 Maret 2026", 10/03/2026) is the clock\'s date; text that is no date is said to be unread', async () => {
    const s = chainSetup();
    // (before: kept as written, the clock ignored it and reminded after sla.actionDays, while the confirmation echoed "tenggat 10 Maret 2026")
    const a = await forwarded(s);
    const reply = parseStaffReply('#tindakan aspal terkikis hujan | tambal sulam | DPUPKP | 10 Maret 2026\n\nSalam, Budi');
    expect('command' in reply).toBe(true);
    const done = command(s, a, (reply as { command: StaffCommand }).command, day(1));
    expect(done.confirmation).toBe(`Permintaan Tindakan Perbaikan untuk ${a} dicatat: tambal sulam (penanggung jawab DPUPKP, tenggat 2026-03-10).`);
    sweepDays(s, 2, 8);
    expect(divisionClocks(s, a)).toEqual([]);
    sweepDays(s, 9, 9);
    expect(staffMails(s, a, 'reminder-')[0]).toMatchObject({ subject: `[${a}] Pengingat: hasil tindakan perbaikan setelah tenggat 2026-03-10 (#selesai)` });
    const b = await forwarded(s, 'Selokan di depan rumah saya di Jl. Mawar mampet, air meluap ke jalan');
    const unread = command(s, b, { kind: 'tindakan', cause: 'sampah', plan: 'pengerukan', owner: 'DLH', due: 'akhir bulan' }, day(1));
    expect(unread.confirmation).toBe(`Permintaan Tindakan Perbaikan untuk ${b} dicatat: pengerukan (penanggung jawab DLH, tenggat akhir bulan). `
      + 'Tenggat "akhir bulan" tidak terbaca sebagai tanggal (tulis mis. 2026-12-10 atau 10 Desember 2026), jadi pengingat dan eskalasi mengikuti 10 hari kerja sejak tindakan ini.');
  });
});

describe('dueDate', () => {
  it('reads the ways staff write a date, and only real days', () => {
    for (const t of ['2026-03-10', '2026-3-10', '10-03-2026', '10/3/2026', '10.03.2026', '10 Maret 2026', '10 Mar 2026', 'Selasa, 10 Maret 2026', '10 maret 2026.']) {
      expect(dueDate(t), t).toEqual({ due: '2026-03-10', understood: true });
    }
    expect(dueDate('31 Agt 2026')).toEqual({ due: '2026-08-31', understood: true });
    expect(dueDate(null)).toEqual({ due: null, understood: true });
    expect(dueDate(' - ')).toEqual({ due: null, understood: true });
    for (const t of ['akhir bulan', '30 Februari 2026', '2026-13-01', '10 Maret', 'minggu depan']) expect(dueDate(t), t).toEqual({ due: t, understood: false });
  });
});
