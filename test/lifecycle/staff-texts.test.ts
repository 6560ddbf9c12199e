/**
 * What staff read from the SLA clocks and their commands (the reviewer's walk through the SOP): a web report
 * forwarded on Monday 30 November 2026, the sweep on Wednesday (reminder) and Friday (escalation).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { like } from 'drizzle-orm';
import { outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { asOf } from '../helpers/clock.ts';

afterEach(() => { vi.useRealTimers(); });

/** Monday 30 November 2026, 09:00 in Yogyakarta. */
const MONDAY = new Date('2026-11-30T02:00:00Z');
const WEDNESDAY = new Date('2026-12-02T02:00:00Z');
const FRIDAY = new Date('2026-12-04T02:00:00Z');
const ROAD = 'Jalan di depan rumah saya di Jl. Kenari rusak parah dan berlubang, mohon segera diperbaiki';

let n = 0;
/** A report through the web form, its forward delivered at once (Monday 09:00). */
async function webReport(s: ChainSetup, subject: string, text: string): Promise<string> {
  const message = inboundMessageSchema.parse({ connectorId: 'web', channel: 'web', externalId: `w${++n}`, receivedAt: MONDAY.toISOString(), sender: { name: 'Budi', email: `budi${n}@example.org` }, subject, text });
  const number = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(), now: () => MONDAY }, message, ingestId('web', message.externalId)).caseNumber!;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(MONDAY);
  try {
    // (the citizen's acknowledgement too: late, it would escalate on its own clock)
    for (const id of [`${number}.forward`, `${number}.ack`]) expect(await deliverOutboxMail(s.db, { send: async (p) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} }, id)).toBe('sent');
  } finally {
    vi.useRealTimers();
  }
  expect(s.status(number)).toBe('forwarded');
  return number;
}

const mails = (s: ChainSetup, number: string, purpose: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}%`)).all().map((o) => o.payload as MailPayload);

describe('the reminder to the division', () => {
  it('says what the complaint is, since when it waits, by when, and how to answer', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    expect(runSweeps(s.deps, WEDNESDAY).reminders).toBe(1);
    const [reminder] = mails(s, a, 'reminder-');
    expect(reminder).toMatchObject({ to: ['komisi-c@localhost'], subject: `[${a}] Pengingat: tanggapan pertama (#kaji)`, replyTo: s.mail(`${a}.forward`)!.replyTo });
    const text = reminder!.text;
    expect(text).toContain(`Aduan ${a} menunggu tanggapan pertama (#kaji) selama 2 hari kerja (target 3 hari kerja). Mohon ditindaklanjuti.`);
    expect(text).toContain('Perihal       : Jalan berlubang di Jl. Kenari\n');
    expect(text).toContain('Diterima      : 30 November 2026 pukul 09.00 (Asia/Jakarta), lewat Formulir web\n');
    expect(text).toContain('Menunggu sejak: 30 November 2026 pukul 09.00 (Asia/Jakarta)\n');
    // (the date the forward gave: "#kaji paling lambat Kamis, 3 Desember 2026")
    expect(s.mail(`${a}.forward`)!.text).toContain('#kaji paling lambat Kamis, 3 Desember 2026');
    expect(text).toContain('Paling lambat : Kamis, 3 Desember 2026\n');
    expect(text).toContain(`Isi aduan:\n${ROAD}\n`);
    // how to answer: the forward's own footer, #tindakan with its format, the ids #alihkan takes
    const footer = text.slice(text.indexOf('\n-- \n') + 5);
    expect(s.mail(`${a}.forward`)!.text.endsWith(`\n-- \n${footer}`)).toBe(true);
    expect(footer).toContain('#kaji [catatan]');
    expect(footer).toContain('#tindakan <penyebab> | <rencana> | <penanggung jawab> | <tenggat>');
    expect(footer).toContain('#selesai <hasil untuk warga>');
    expect(footer).toContain('komisi-a = Komisi A (Pemerintahan)');
  });

  it('after a corrective action with a due date: since the due date, and the last day before the escalation', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    asOf(new Date('2026-12-01T03:00:00Z'), () => officerCommand(s.deps, a, { kind: 'tindakan', cause: 'aspal tua', plan: 'tambal', owner: 'DPUPKP', due: '2026-12-07' }, 'api:budi'));
    runSweeps(s.deps, new Date('2026-12-08T02:00:00Z'));
    const text = mails(s, a, 'reminder-').at(-1)!.text;
    expect(text).toContain(`Aduan ${a} menunggu hasil tindakan perbaikan setelah tenggat 2026-12-07 (#selesai) selama 1 hari kerja (target 10 hari kerja).`);
    expect(text).toContain('Menunggu sejak: tenggat Senin, 7 Desember 2026\n');
    expect(text).toContain('Paling lambat : Senin, 21 Desember 2026\n');
  });
});

describe('the escalation to the secretariat', () => {
  it('names the division, the complaint, the target and how late it is', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    runSweeps(s.deps, WEDNESDAY);
    expect(runSweeps(s.deps, FRIDAY).escalations).toBe(1);
    const [mail] = mails(s, a, 'escalation-');
    expect(mail!.to).toEqual(['sekwan@dprd.test']);
    expect(mail!.text).toContain(`Aduan ${a} untuk Komisi C (Pembangunan) melewati target tanggapan pertama (#kaji): target 3 hari kerja, sudah 4 hari kerja (terlambat 1 hari kerja). Mohon perhatian Sekretariat.`);
    expect(mail!.text).not.toContain('(komisi-c)');
    expect(mail!.text).toContain('Perihal       : Jalan berlubang di Jl. Kenari\n');
    expect(mail!.text).toContain('Diterima      : 30 November 2026 pukul 09.00 (Asia/Jakarta), lewat Formulir web\n');
    expect(mail!.text).toContain(`Isi aduan:\n${ROAD}`);
  });

  it('a list of several late cases gives each one\'s division, subject line and lateness', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    const b = await webReport(s, '', 'Lampu penerangan jalan di Jl. Kusumanegara mati sejak seminggu, gelap dan rawan kecelakaan di malam hari');
    // a sweep only on the following Monday: six working days, three late
    expect(runSweeps(s.deps, new Date('2026-12-07T02:00:00Z')).escalations).toBe(2);
    const list = [...mails(s, a, 'escalation-'), ...mails(s, b, 'escalation-')];
    expect(list).toHaveLength(1);
    expect(list[0]!.subject).toBe(`[${a}] Eskalasi SLA: 2 aduan melewati target tanggapan pertama (#kaji)`);
    expect(list[0]!.text).toContain('2 aduan melewati target tanggapan pertama (#kaji), yaitu 3 hari kerja. Mohon perhatian Sekretariat.');
    const late = 'tanggapan pertama (#kaji): target 3 hari kerja, sudah 5 hari kerja (terlambat 2 hari kerja)';
    expect(list[0]!.text).toContain(`- ${a} untuk Komisi C (Pembangunan): Jalan berlubang di Jl. Kenari\n  ${late}`);
    // (without a subject: the text's first 70 characters, as the forward's subject line has them)
    expect(list[0]!.text).toContain(`- ${b} untuk Komisi C (Pembangunan): Lampu penerangan jalan di Jl. Kusumanegara mati sejak seminggu, gelap…\n  ${late}`);
  });
});

describe('the confirmation of #kaji (aduan cases review)', () => {
  it('says it once, and what is next; a second #kaji says nothing changed', async () => {
    const s = chainSetup();
    const a = await webReport(s, 'Jalan berlubang di Jl. Kenari', ROAD);
    const first = asOf(new Date('2026-12-01T03:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'cli:budi')).confirmation;
    expect(first).toBe(`Aduan ${a} dicatat sedang dikaji. Berikutnya: #tindakan atau #selesai dalam 10 hari kerja.`);
    expect(first).not.toMatch(/dikaji.*\(Sedang dikaji\)/);
    expect(asOf(new Date('2026-12-01T04:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: 'rapat komisi Kamis' }, 'cli:budi')).confirmation)
      .toBe(`Aduan ${a} masih dalam kajian; catatan Anda disimpan.`);
    // re-routed while in review: the new division's #kaji is named as its own
    asOf(new Date('2026-12-01T05:00:00Z'), () => officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-a' }, 'cli:budi'));
    expect(asOf(new Date('2026-12-01T06:00:00Z'), () => officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'cli:budi')).confirmation)
      .toBe(`Aduan ${a} dicatat sedang dikaji oleh Komisi A (Pemerintahan). Berikutnya: #tindakan atau #selesai dalam 10 hari kerja.`);
  });
});
