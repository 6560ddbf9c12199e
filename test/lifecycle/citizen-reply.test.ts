/**
 * A citizen who writes on their own case (naming its number, or by SMS while a result waits for their
 * verdict) is told the message is recorded and where the case stands — at most once an hour per case.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { cases, messages, outbox } from '../../core/db/schema.ts';
import { outboxCounts, pendingOutbox } from '../../core/repo/outbox.repo.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { officerClassify, officerCommand } from '../../core/lifecycle/service.ts';
import { caseDetail, getCaseByNumber, setCaseStatus } from '../../core/repo/cases.repo.ts';
import { humanLabels } from '../../core/repo/report.repo.ts';
import { monthlyReport } from '../../core/report.ts';
import { gsm7Length, render } from '../../core/templates.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';

const PHONE = '+6281200000001';
const LAMP = 'Lampu PJU di Jalan Kusumanegara mati sudah seminggu, gelap sekali, mohon diperbaiki.';

/** A citizen's case before its division: forwarded, then moved by a staff command. */
async function caseAt(s: ChainSetup, text: string, command: Parameters<typeof officerCommand>[2]): Promise<string> {
  const a = s.sms(PHONE, text);
  await s.deliverForward(a);
  officerCommand(s.deps, a, command, 'petugas.budi');
  return a;
}

/** The outbox rows of a case with a purpose: `noted` (to the citizen) or `added` (to the division). */
const sent = (s: ChainSetup, number: string, purpose: 'noted' | 'added') => s.db.select().from(outbox).where(like(outbox.id, `${number}.${purpose}-%`)).all();

describe("a citizen's message on their own case", () => {
  afterEach(() => { vi.useRealTimers(); });
  it('is answered with the case state on their channel, once an hour at most', async () => {
    const s = chainSetup();
    const answers = (n: string) => sent(s, n, 'noted').map((o) => (o.payload as { text: string }).text);
    const a = await caseAt(s, LAMP, { kind: 'kaji', note: '' });
    expect(s.sms(PHONE, `${a} bagaimana perkembangannya pak?`)).toBe(a);
    expect(answers(a)).toEqual([expect.stringMatching(new RegExp(`^Pesan Anda kami catat pada aduan ${a}\\. Status: sedang dikaji \\(sejak \\d+ \\w+ 2026\\)\\.$`))]);
    expect(s.eventsOf(a).map((e) => e.type)).toContain('citizen_reply');
    // a second message a minute later is recorded, not answered again
    s.sms(PHONE, `${a} lokasinya persis depan masjid`);
    expect(answers(a)).toHaveLength(1);
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply')).toHaveLength(2);
    // the division working on it gets the messages in the forward's thread: two in a row, one mail
    // (it waits dedupe.continuationMinutes for the next, from the last one)
    const rows = sent(s, a, 'added');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.notBefore).toBe(new Date(Date.parse(s.eventsOf(a).at(-1)!.at) + 10 * 60_000).toISOString());
    const added = rows[0]!.payload as MailPayload;
    expect(added).toMatchObject({ to: ['komisi-c@localhost'], subject: `[${a}] Tambahan keterangan dari pelapor`, inReplyTo: (s.mail(`${a}.forward`) as MailPayload).messageId });
    expect(added.text).toMatch(new RegExp(`^Pelapor aduan ${a} \\(\\+6281200000001\\) menambahkan 2 keterangan:\n\n.*:\n${a} bagaimana perkembangannya pak\\?\n\n.*:\n${a} lokasinya persis depan masjid\n\n`));
    expect(added.text).toContain('Status aduan tidak berubah (Sedang dikaji)');
    expect(getCaseByNumber(s.db, a)!.status).toBe('in_review');
    // once that mail's time has come, the next message starts another (the clock: a minute per message)
    for (let n = 0; n < 10; n++) s.sms(`+62812000099${n}`, 'Selamat siang, terima kasih atas pelayanannya');
    s.sms(PHONE, `${a} ini fotonya pak`);
    expect(sent(s, a, 'added').map((o) => (o.payload as MailPayload).text)).toEqual([expect.any(String), expect.stringContaining(`menambahkan keterangan pada 2 Maret 2026 pukul 15.14 (Asia/Jakarta):\n\n${a} ini fotonya pak\n\nStatus`)]);
    // a staff command while it waits: it goes now (it was said before the change)
    expect(sent(s, a, 'added')[1]!.notBefore! > s.at().toISOString()).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(s.at());
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah diperbaiki' }, 'petugas.budi');
    vi.useRealTimers();
    expect(sent(s, a, 'added')[1]!.notBefore).toBe(s.at().toISOString());
    // re-routed while an addition waits: the new division's forward lists it, the old division gets nothing more
    const b = await caseAt(s, 'Trotoar di Jalan Solo dipakai parkir liar, pejalan kaki turun ke jalan', { kind: 'kaji', note: '' });
    s.sms(PHONE, `${b} tiap sore pak`);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(s.at());
    officerCommand(s.deps, b, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    vi.useRealTimers();
    expect(sent(s, b, 'added').map((o) => o.status)).toEqual(['skipped']);
    expect((s.db.select().from(outbox).where(like(outbox.id, `${b}.forward-%`)).get()!.payload as MailPayload).text).toContain(`${b} tiap sore pak`);
  });

  it('while a result waits for the verdict, a message that is none says how to give it', async () => {
    const s = chainSetup();
    const a = await caseAt(s, 'Sampah di TPS Jalan Kusumanegara numpuk belum diangkut seminggu.', { kind: 'selesai', result: 'Sampah sudah diangkut.' });
    expect(s.sms(PHONE, 'oke pak')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.status).toBe('awaiting_feedback');
    expect(sent(s, a, 'noted').map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringContaining('Status: menunggu tanggapan Anda, balas PUAS atau TIDAK PUAS')]);
    // the division has answered: chat after the result does not reach it
    expect(sent(s, a, 'added')).toEqual([]);
  });

  it('while a result waits for the verdict, another report by SMS is a new case, not a message on the old one', async () => {
    const s = chainSetup();
    const a = await caseAt(s, 'Sampah di TPS Jalan Kusumanegara numpuk belum diangkut seminggu.', { kind: 'selesai', result: 'Sampah sudah diangkut.' });
    const b = s.sms(PHONE, 'Pak, ada masalah lain: lampu PJU di Jalan Gejayan mati sudah seminggu, gelap sekali');
    expect(b).not.toBe(a);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ kind: 'complaint', status: 'received' });
    expect(s.mail(`${b}.forward`)).toBeDefined();
    // the same problem at another place is another report too
    expect(s.sms(PHONE, 'Sampah di TPS Jalan Gejayan juga numpuk belum diangkut seminggu, bau sekali')).not.toBe(a);
    // about the answered problem (its words), it is said on that case
    for (const text of ['masih bau pak, sampahnya belum diangkut semua', 'Sampah di TPS Kusumanegara sudah diangkut tapi numpuk lagi sore ini']) expect(s.sms(PHONE, text), text).toBe(a);
    // a few words without them, minutes after a newer report, belong to that report (see the next test)
    expect(s.sms(PHONE, 'kok cuma separuh')).not.toBe(a);
    expect(s.sms(PHONE, 'PUAS')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.status).toBe('closed');
    expect(getCaseByNumber(s.db, b)!.status).toBe('received');
  });

  it('while a result waits for the verdict, the details of a newer report are added to that report; the verdict still reaches the old case', async () => {
    const s = chainSetup();
    const a = await caseAt(s, 'Sampah di TPS Jalan Kusumanegara numpuk belum diangkut seminggu.', { kind: 'selesai', result: 'Sampah sudah diangkut.' });
    const b = s.sms(PHONE, 'Pak, ada masalah lain: jalan di depan rumah saya rusak parah banyak lubang');
    expect(b).not.toBe(a);
    expect(s.sms(PHONE, 'di jl. Kenari gang 3 dekat masjid')).toBe(b);
    expect(s.eventsOf(b).filter((e) => e.type === 'citizen_reply').map((e) => e.text)).toEqual(['di jl. Kenari gang 3 dekat masjid']);
    expect(s.sms(PHONE, 'puas pak')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.status).toBe('closed');
  });

  it('the problem of a closed case, reported again by its citizen, is a new report linked to it and forwarded, not a copy', async () => {
    const s = chainSetup();
    const DUMP = 'Sampah di TPS Jalan Kusumanegara numpuk belum diangkut seminggu.';
    const a = await caseAt(s, DUMP, { kind: 'selesai', result: 'Sampah sudah diangkut.' });
    expect(s.sms(PHONE, 'PUAS')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.status).toBe('closed');
    // the rubbish is back: the same text again
    const b = s.sms(PHONE, DUMP);
    expect(b).not.toBe(a);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ status: 'received', relatedToCaseId: getCaseByNumber(s.db, a)!.id });
    expect((s.mail(`${b}.forward`) as MailPayload).text).toMatch(new RegExp(`Berulang {4}: dilaporkan 2 kali; laporan sebelumnya: ${a}\\nLaporan awal: ${a}, selesai`));
    const ack = s.db.select().from(outbox).where(like(outbox.id, `${b}.ack-%`)).all().map((o) => (o.payload as { text: string }).text);
    expect(ack).toEqual([`Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: ${b}. Simpan nomor ini untuk menanyakan perkembangannya.`]);
    // while that new report is open, the same text again is a copy of it
    expect(s.sms(PHONE, DUMP)).toBe(b);
  });

  it('a problem written on a closed case (naming its number) is a new report; words without a problem stay on the case', async () => {
    const s = chainSetup();
    const a = await caseAt(s, 'Sampah di TPS Jalan Kusumanegara numpuk belum diangkut seminggu.', { kind: 'selesai', result: 'Sampah sudah diangkut.' });
    expect(s.sms(PHONE, 'PUAS')).toBe(a);
    expect(s.sms(PHONE, `${a} kok ditutup pak?`)).toBe(a);
    const b = s.sms(PHONE, `${a} sampahnya numpuk lagi pak, sudah 3 hari`);
    expect(b).not.toBe(a);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ kind: 'complaint', status: 'received' });
    expect((s.mail(`${b}.forward`) as MailPayload).text).toContain(`${a} sampahnya numpuk lagi pak`);
    expect(getCaseByNumber(s.db, a)!.status).toBe('closed');
  });

  it('"kok belum ada kabar?" by SMS without the number is about their latest open case; a new problem is a new case', async () => {
    const s = chainSetup();
    const a = await caseAt(s, LAMP, { kind: 'kaji', note: '' });
    expect(s.sms(PHONE, 'Pak, laporan saya kok belum ada perkembangan?')).toBe(a);
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply').map((e) => e.text)).toEqual(['Pak, laporan saya kok belum ada perkembangan?']);
    expect(sent(s, a, 'noted')).toHaveLength(1);
    expect(sent(s, a, 'added')).toHaveLength(1);
    // "apa kabar" greets: a new message, not a question about the case; "apa kabar laporan saya?" asks
    expect(s.sms(PHONE, 'Apa kabar pak dewan? Semoga sehat selalu')).not.toBe(a);
    expect(s.sms(PHONE, 'apa kabar laporan saya pak?')).toBe(a);
    // a message naming a problem of its own is a complaint, even with "belum ada kabar" in it
    const b = s.sms(PHONE, 'Selokan di Gang Mawar mampet dan meluap tiap hujan, belum ada kabar dari kelurahan');
    expect(b).not.toBe(a);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ kind: 'complaint', status: 'received' });
    // with only a closed case, the question is answered with where that case stands, not forwarded as a complaint
    const closed = chainSetup();
    const c1 = await caseAt(closed, LAMP, { kind: 'selesai', result: 'Lampu sudah diganti.' });
    expect(closed.sms(PHONE, 'PUAS')).toBe(c1);
    expect(closed.sms(PHONE, 'kok belum ada kabar?')).toBe(c1);
    expect(sent(closed, c1, 'noted').map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringContaining('Status: selesai')]);
    // another citizen without a case asking the same: no case to attach to, answered neutrally (below)
    const c = s.sms('+6281200000099', 'kok belum ada kabar?');
    expect(c).toBeNull();
  });

  it('says where the case stands in words a citizen reads, never the desk\'s own ("menunggu pemilahan petugas", "spam")', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, LAMP);
    const c = getCaseByNumber(s.db, a)!;
    s.db.transaction((tx) => setCaseStatus(tx, c, 'triage', { at: s.at().toISOString(), actorType: 'system', actor: 'test', type: 'note' }));
    expect(s.sms(PHONE, `${a} bagaimana perkembangannya?`)).toBe(a);
    const [text] = sent(s, a, 'noted').map((o) => (o.payload as { text: string }).text);
    expect(text).toContain('Status: diterima, sedang diperiksa petugas (sejak ');
    expect(text).not.toMatch(/pemilahan|triage/);
  });

  it('a new e-mail asking about progress, without the number, is about the latest open case of that address', async () => {
    const s = chainSetup();
    const mail = (id: string, subject: string, text: string) => {
      const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: `<${id}@warga.test>`, receivedAt: s.at().toISOString(),
        sender: { email: 'sri@warga.test' }, subject, text });
      return recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('email-test', message.externalId)).caseNumber!;
    };
    const a = mail('m1', 'Lampu jalan mati', LAMP);
    await s.deliverForward(a);
    expect(mail('m2', 'Kelanjutan laporan', 'Selamat siang, bagaimana kelanjutan laporan saya? Terima kasih.')).toBe(a);
    expect(sent(s, a, 'noted')).toHaveLength(1);
    expect(sent(s, a, 'added')).toHaveLength(1);
  });

  it("passes the citizen's photo on to the division", async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, LAMP);
    await s.deliverForward(a);
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'photo-2', receivedAt: s.at().toISOString(),
      sender: { phone: PHONE }, text: `${a} ini fotonya`,
      attachments: [{ filename: 'pju.jpg', contentType: 'image/jpeg', size: 90_000, sha256: 'b'.repeat(64) }, { filename: 'video.mp4', contentType: 'video/mp4', size: 90_000_000, withheld: 'terlalu besar' }] });
    recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('sms-test', message.externalId));
    const [mail] = sent(s, a, 'added').map((o) => o.payload as MailPayload);
    expect(mail!.attachments).toEqual([{ filename: 'pju.jpg', contentType: 'image/jpeg', sha256: 'b'.repeat(64) }]);
    expect(mail!.text).toContain('Lampiran: pju.jpg');
    expect(mail!.text).toContain('video.mp4 (tidak tersimpan: terlalu besar)');
  });

  it('fits one GSM-7 SMS with the longest state', () => {
    const text = render('replyNotedShort', { caseNumber: 'ADU-2026-000123', state: 'menunggu tanggapan Anda, balas PUAS atau TIDAK PUAS', date: '30 Sep 2026' });
    expect(gsm7Length(text)).not.toBeNull();
    expect(gsm7Length(text)!).toBeLessThanOrEqual(160);
  });
});

describe('a message written under a quote of our own', () => {
  /** The acknowledgement SMS the citizen got for `number`. */
  const ackText = (s: ChainSetup, number: string): string => {
    const texts = s.db.select().from(outbox).where(like(outbox.id, `${number}.ack-%`)).all().map((o) => (o.payload as { text: string }).text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(number);
    return texts[0]!;
  };

  it('our acknowledgement quoted above a new problem: a new case as if unquoted, its forward without our text; the first case hears nothing of it', async () => {
    const s = chainSetup();
    const a = await caseAt(s, LAMP, { kind: 'kaji', note: '' });
    const problem = 'Pak, ada masalah lain: sampah di TPS Jalan Gejayan numpuk belum diangkut seminggu, bau sekali';
    const text = `> ${ackText(s, a).split('\n').join('\n> ')}\n${problem}`;
    const b = s.sms(PHONE, text);
    expect(b).not.toBe(a);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ kind: 'complaint', status: 'received', summary: problem });
    expect((s.mail(`${b}.forward`) as MailPayload).text).not.toContain(a);
    expect(sent(s, a, 'added')).toEqual([]);
    expect(s.eventsOf(a).map((e) => e.type)).not.toContain('citizen_reply');
    // stored as it came
    expect(s.db.select().from(messages).where(eq(messages.caseId, getCaseByNumber(s.db, b)!.id)).all().map((m) => m.text)).toEqual([text]);
  });

  it('our acknowledgement pasted above details of the report: they are added to it, and the division never gets our text', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'jalan di depan rumah saya rusak parah banyak lubang');
    const ack = ackText(s, a);
    expect(s.sms(PHONE, `"${ack}"\ndi jl. Kenari gang 3 dekat masjid`)).toBe(a);
    expect(s.sms(PHONE, `«${ack.replace(/\s+/g, ' ')}» sudah 2 bulan pak`)).toBe(a);
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply').map((e) => e.text)).toEqual(['di jl. Kenari gang 3 dekat masjid', 'sudah 2 bulan pak']);
    const told = [...sent(s, a, 'added'), ...s.db.select().from(outbox).where(like(outbox.id, `${a}.forward`)).all()].map((o) => (o.payload as MailPayload).text);
    expect(told.join('\n')).toContain('sudah 2 bulan pak');
    for (const t of told) expect(t).not.toContain(ack.slice(0, 30));
  });
});

describe('a question about a case the sender has none of', () => {
  const OTHER = '+6281200000077';
  const messageOf = (s: ChainSetup, externalId: string) => s.db.select().from(messages).where(eq(messages.externalId, externalId)).get();
  const replies = (s: ChainSetup) => s.db.select().from(outbox).all().map((o) => ({ id: o.id, caseId: o.caseId, payload: o.payload as { text: string; to: unknown; caseNumber: unknown } }));
  const NOT_FOUND = (n: string) => `Nomor ${n} tidak ditemukan untuk nomor Anda. Tanyakan dari nomor yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.`;
  const NONE = 'Tidak ada aduan yang sedang diproses untuk nomor Anda. Tanyakan dari nomor yang dipakai saat melapor, atau tulis aduan Anda: apa masalahnya dan di mana.';

  it.each(['status ADU-2026-000099', 'ADU-2026-000099', 'cek aduan ADU-2026-000099 pak', 'ADU-2026-000099 gimana kabarnya?', 'ADU-2026-000099 tidak puas'])('"%s" (a number nobody has) opens no case and mails no desk: the sender is answered neutrally', (text) => {
    const s = chainSetup();
    expect(s.sms(OTHER, text)).toBeNull();
    expect(s.db.select().from(cases).all()).toEqual([]);
    expect(replies(s)).toEqual([{ id: expect.stringMatching(/^unmatched\./), caseId: null, payload: expect.objectContaining({ text: NOT_FOUND('ADU-2026-000099'), to: { phone: OTHER }, caseNumber: null }) }]);
    // recorded, with no case: inspectable as the other messages that belong to none
    expect(messageOf(s, 'm1')).toMatchObject({ caseId: null, relation: 'unmatched', text });
  });

  it("another person's case number: the same answer, nothing about that case; not recorded on it", async () => {
    const s = chainSetup();
    const a = await caseAt(s, LAMP, { kind: 'kaji', note: '' });
    const before = s.eventsOf(a).length;
    const outboxBefore = replies(s).length;
    expect(s.sms(OTHER, `status ${a}`)).toBeNull();
    expect(s.eventsOf(a)).toHaveLength(before);
    expect(replies(s).slice(outboxBefore).map((r) => r.payload.text)).toEqual([NOT_FOUND(a)]);
    expect(s.db.select().from(cases).all()).toHaveLength(1);
  });

  it('a number followed by a report of its own is still a case', () => {
    const s = chainSetup();
    const n = s.sms(OTHER, 'ADU-2026-000099 jalan di depan rumah saya berlubang');
    expect(n).not.toBeNull();
    expect(getCaseByNumber(s.db, n)).toMatchObject({ kind: 'complaint' });
  });

  it.each(['gimana laporan saya?', 'bagaimana perkembangan aduan saya', 'Pak, laporan saya kok belum ada kabar?'])('"%s" from a phone with no case is answered neutrally, not forwarded as a complaint', (text) => {
    const s = chainSetup();
    expect(s.sms(OTHER, text)).toBeNull();
    expect(s.db.select().from(cases).all()).toEqual([]);
    expect(replies(s).map((r) => r.payload.text)).toEqual([NONE]);
    expect(messageOf(s, 'm1')).toMatchObject({ caseId: null, relation: 'unmatched' });
  });

  it('a question about something else that asks how it goes is still a case; so is a progress question naming a problem', () => {
    const s = chainSetup();
    expect(s.sms(OTHER, 'Bagaimana kelanjutan pembangunan jembatan di kampung kami pak?')).not.toBeNull();
    expect(s.sms('+6281200000078', 'gimana laporan saya soal jalan berlubang di Jl. Kenari?')).not.toBeNull();
  });

  it('answered once an hour at most: a second question is recorded, not answered again', () => {
    const s = chainSetup();
    expect(s.sms(OTHER, 'gimana laporan saya?')).toBeNull();
    expect(s.sms(OTHER, 'status ADU-2026-000099')).toBeNull();
    expect(replies(s)).toHaveLength(1);
    expect(s.db.select().from(messages).all().map((m) => m.relation)).toEqual(['unmatched', 'unmatched']);
  });
});

describe('one report in several SMS', () => {
  const ROAD = 'jalan di depan rumah saya rusak parah banyak lubang';

  it('short messages that name no problem of their own, minutes after the report, are part of it: one case, one forward, the division told of the rest in one mail', async () => {
    const s = chainSetup();
    expect(getCaseByNumber(s.db, s.sms(PHONE, 'Pak, mau lapor'))!.kind).toBe('statement');
    const a = s.sms(PHONE, ROAD);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ kind: 'complaint', divisionId: 'komisi-c' });
    expect(s.sms(PHONE, 'di jl. Kenari gang 3 dekat masjid')).toBe(a);
    await s.deliverForward(a);
    expect(s.sms(PHONE, 'sudah 2 bulan pak')).toBe(a);
    // a photo with a word: the division gets the file
    const photo = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'photo-1', receivedAt: s.at().toISOString(),
      sender: { phone: PHONE }, text: 'ini fotonya', attachments: [{ filename: 'jalan.jpg', contentType: 'image/jpeg', size: 80_000, sha256: 'c'.repeat(64) }] });
    expect(recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, photo, ingestId('sms-test', photo.externalId)))
      .toMatchObject({ relation: 'reply', caseNumber: a });
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply').map((e) => e.text)).toEqual(['di jl. Kenari gang 3 dekat masjid', 'sudah 2 bulan pak', 'ini fotonya']);
    expect(s.db.select().from(outbox).where(like(outbox.id, '%.forward')).all().map((o) => o.id)).toEqual([`${a}.forward`]);
    // the three additions in one mail, with the file
    const added = sent(s, a, 'added').map((o) => o.payload as MailPayload);
    expect(added).toHaveLength(1);
    expect(added[0]!.text).toMatch(/menambahkan 3 keterangan:\n\n.*:\ndi jl. Kenari gang 3 dekat masjid\n\n.*:\nsudah 2 bulan pak\n\n.*:\nini fotonya\n\nLampiran: jalan.jpg\n/);
    expect(added[0]!.attachments).toEqual([{ filename: 'jalan.jpg', contentType: 'image/jpeg', sha256: 'c'.repeat(64) }]);
    // the citizen hears once that the messages joined their report
    expect(sent(s, a, 'noted').map((o) => (o.payload as { text: string }).text)).toEqual([expect.stringContaining(`Pesan Anda kami catat pada aduan ${a}.`)]);
  });

  it('a photo alone waits for a person; what follows is added to it, and the forward after the decision carries the photo and the additions', () => {
    const s = chainSetup();
    const photo = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'photo-only', receivedAt: s.at().toISOString(),
      sender: { phone: PHONE }, text: '', attachments: [{ filename: 'jalan.jpg', contentType: 'image/jpeg', size: 80_000, sha256: 'd'.repeat(64) }] });
    const a = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, photo, ingestId('sms-test', photo.externalId)).caseNumber!;
    expect(getCaseByNumber(s.db, a)!.status).toBe('triage');
    // the desk deciding sees the photo
    const desk = s.mail(`${a}.triage`) as MailPayload;
    expect(desk.attachments).toEqual([{ filename: 'jalan.jpg', contentType: 'image/jpeg', sha256: 'd'.repeat(64) }]);
    expect(desk.text).toContain('Lampiran: jalan.jpg');
    expect(s.sms(PHONE, 'di jl. Kenari gang 3 dekat masjid')).toBe(a);
    officerClassify(s.deps, a, 'complaint', 'petugas.budi', 'komisi-c');
    const forward = s.mail(`${a}.forward`) as MailPayload;
    expect(forward.attachments).toEqual([{ filename: 'jalan.jpg', contentType: 'image/jpeg', sha256: 'd'.repeat(64) }]);
    expect(forward.text).toContain('Isi aduan:\n(tanpa teks; lihat lampiran)\n\nTambahan keterangan dari pelapor:\n- 2 Maret 2026 pukul 15.01 (Asia/Jakarta): di jl. Kenari gang 3 dekat masjid');
    expect(forward.html).toContain('Tambahan keterangan dari pelapor');
  });

  it('another problem, another division\'s keyword, or a message after the window stand on their own; thanks reach no division', () => {
    const s = chainSetup({ continuationMinutes: 3 });
    const a = s.sms(PHONE, ROAD);
    expect(s.sms(PHONE, 'terima kasih pak')).toBe(a);
    expect(sent(s, a, 'added')).toEqual([]);
    const flood = s.sms(PHONE, 'selokan di gang sebelah juga mampet dan meluap');
    expect(flood).not.toBe(a);
    const ktp = s.sms(PHONE, 'sekalian pak, KTP saya juga belum jadi');
    expect(getCaseByNumber(s.db, ktp)).toMatchObject({ divisionId: 'komisi-a' });
    expect(ktp).not.toBe(a);
    // another citizen's message within the window is not theirs
    expect(s.sms('+6281200000077', 'sudah 2 bulan pak')).not.toBe(a);
    // four minutes after the report's last message
    const other = chainSetup({ continuationMinutes: 3 });
    const b = other.sms(PHONE, ROAD);
    for (const n of [1, 2, 3]) other.sms(`+62812000009${n}`, 'Lampu PJU di Jalan Kenari mati, gelap sekali');
    expect(other.sms(PHONE, 'sudah 2 bulan pak')).not.toBe(b);
  });
});

describe('a report whose first message names no problem yet', () => {
  afterEach(() => { vi.useRealTimers(); });
  const held = (s: ChainSetup, number: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.forward`)).get()!;

  it('waits for the rest: the problem sent next takes the whole report, in one forward, to the division it belongs to', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    // the citizen has the number at once; the forward waits (to the default division, for now)
    expect(s.mail(`${a}.forward`)!.to).toEqual(['humas@localhost']);
    expect(held(s, a).notBefore).toBe('2026-03-02T08:11:00.000Z');
    expect(pendingOutbox(s.db, 100, '2026-03-02T08:10:59.000Z').map((o) => o.id)).not.toContain(`${a}.forward`);
    // what `aduan cases show` tells the operator
    expect(caseDetail(s.db, a, s.at().toISOString())!.held).toEqual([{ mail: 'forward', until: '2026-03-02T08:11:00.000Z' }]);
    expect(s.eventsOf(a).find((e) => e.type === 'note')!.text).toContain('belum menyebut masalahnya: diteruskan ke Bagian Humas Sekretariat DPRD paling lambat');
    // and is asked for the rest
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.ack-%`)).all().map((o) => (o.payload as { text: string }).text))
      .toEqual([`Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: ${a}. Bila belum, kirim juga apa masalahnya, di mana, dan sejak kapan.`]);
    // a detail read as a statement is part of it, and the wait starts again
    expect(s.sms(PHONE, 'di depan warung bu Sri')).toBe(a);
    expect(held(s, a).notBefore).toBe('2026-03-02T08:12:00.000Z');
    // were it to go like this, the division would be asked to find out the problem
    expect(s.mail(`${a}.forward`)!.text).toContain('hanya menyebut nama atau tempat, belum masalahnya');
    // another sender's copy of its text repeats nothing (a place alone is not a problem): a report of
    // its own, waiting for its own rest
    const copy = s.sms('+6281200000008', 'Pak, di jl. Kenari gang 3');
    expect(getCaseByNumber(s.db, copy)).toMatchObject({ status: 'received', relatedToCaseId: null });
    expect(held(s, copy).notBefore).not.toBeNull();
    expect(s.sms(PHONE, 'jalannya rusak parah sudah 2 bulan, banyak yang jatuh')).toBe(a);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ divisionId: 'komisi-c', status: 'received' });
    // released: one forward with all of it, to Komisi C; nothing to Humas, no mail per fragment
    expect(held(s, a).notBefore).toBe('2026-03-02T08:04:00.000Z');
    expect(pendingOutbox(s.db, 100, s.at().toISOString()).map((o) => o.id)).toContain(`${a}.forward`);
    expect(caseDetail(s.db, a, s.at().toISOString())!.held).toEqual([]);
    const forward = s.mail(`${a}.forward`)!;
    expect(forward.to).toEqual(['komisi-c@localhost']);
    expect(forward.text).not.toContain('hanya menyebut nama atau tempat, belum masalahnya');
    // the subject in the division's inbox is the message that names the problem
    expect(forward.subject).toContain(`[${a}] jalannya rusak parah sudah 2 bulan, banyak yang jatuh`);
    expect(forward.text).toMatch(/Isi aduan:\nPak, di jl. Kenari gang 3\n\nTambahan keterangan dari pelapor:\n- .*: di depan warung bu Sri\n- .*: jalannya rusak parah/);
    expect(sent(s, a, 'added')).toEqual([]);
    expect(s.eventsOf(a).filter((e) => e.type === 'rerouted').map((e) => e.text)).toEqual(['Dialihkan dari humas ke komisi-c']);
    // the citizen's words chose the division, not a person: no label to retrain with, no correction in the report
    expect(humanLabels(s.db).map((l) => l.number)).not.toContain(a);
    expect(monthlyReport(s.db, '2026-03', false)).toMatch(/^rerouted\s+0% \(0\/\d+\)$/m);
    // the secretariat sees how often a report waited for the rest, and how often the citizen sent it
    expect(monthlyReport(s.db, '2026-03', false)).toMatch(/^waited_for_rest\s+2\n(.*\n)*completed_in_wait\s+50% \(1\/2\)$/m);
    expect(s.eventsOf(a).filter((e) => e.type === 'report_completed').map((e) => e.text)).toEqual(['Pelapor melengkapi laporannya: diteruskan sekarang, dengan seluruh pesannya.']);
    // the copy's sender says their problem: another one, at the place they share, to its own division
    expect(s.sms('+6281200000008', 'saluran air mampet, kalau hujan air masuk rumah')).toBe(copy);
    expect(getCaseByNumber(s.db, copy)).toMatchObject({ relatedToCaseId: null, divisionId: 'komisi-c' });
    expect(s.mail(`${copy}.forward`)!.text).toContain('saluran air mampet');
    // what follows the released forward reaches the division as an addition, as before
    expect(s.sms(PHONE, 'mohon segera diperbaiki pak')).toBe(a);
    expect(sent(s, a, 'added')).toHaveLength(1);
    // the case reads as the whole report, and another citizen's report of the problem finds it
    expect(getCaseByNumber(s.db, a)!.summary).toBe('Pak, di jl. Kenari gang 3\ndi depan warung bu Sri\njalannya rusak parah sudah 2 bulan, banyak yang jatuh');
    const other = s.sms('+6281200000009', 'Jalan Kenari gang 3 rusak parah pak, sudah banyak yang jatuh di situ');
    expect(getCaseByNumber(s.db, other)!.relatedToCaseId).toBe(getCaseByNumber(s.db, a)!.id);
  });

  it('completed, it is looked up again as a whole: another citizen\'s report of the problem is linked, and its division gets it', async () => {
    const s = chainSetup();
    const x = s.sms('+6281200000005', 'Lampu PJU di Jalan Kenari gang 3 mati sudah seminggu, gelap sekali');
    await s.deliverForward(x);
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    expect(getCaseByNumber(s.db, a)!.relatedToCaseId).toBeNull();
    expect(s.sms(PHONE, 'lampunya mati sudah seminggu pak, gelap')).toBe(a);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, x)!.id, linkedByProblem: true, divisionId: 'komisi-c' });
    expect(getCaseByNumber(s.db, x)!.reportCount).toBe(2);
    const forward = s.mail(`${a}.forward`)!;
    expect(forward.to).toEqual(['komisi-c@localhost']);
    expect(forward.text).toContain(`Laporan awal: ${x}`);
    expect(forward.text).toMatch(new RegExp(`Kemiripan   : teks \\d+% sama dengan ${x}, tetapi tempat sama \\(Kenari\\), masalah sama \\(gelap, mati\\)`));
  });

  it('a division keyword in the next message takes the report there; nothing more: it goes when the time is up, to the first guess', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Assalamualaikum, saya Budi dari Kotagede');
    expect(s.sms(PHONE, 'pak anak saya tidak diterima PPDB padahal rumah dekat sekolah')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.divisionId).toBe('komisi-d');
    expect(held(s, a).notBefore).toBe('2026-03-02T08:02:00.000Z');
    expect(s.mail(`${a}.forward`)!.to).toEqual(['komisi-d@localhost']);

    const b = s.sms('+6281200000002', 'Pak, di jl. Kenari gang 3');
    const until = held(s, b).notBefore!;
    expect(pendingOutbox(s.db, 100, new Date(Date.parse(until) - 1000).toISOString()).map((o) => o.id)).not.toContain(`${b}.forward`);
    expect(pendingOutbox(s.db, 100, until).map((o) => o.id)).toContain(`${b}.forward`);
    // the division is asked to find out what the citizen never said
    expect(s.mail(`${b}.forward`)!.text).toContain('Pesan pelapor tampaknya hanya menyebut nama atau tempat, belum masalahnya. Bila memang demikian, mohon hubungi pelapor untuk menanyakannya.');
    // what `aduan doctor` shows the operator: waiting, not stuck
    expect(outboxCounts(s.db, new Date(Date.parse(until) - 1000).toISOString())).toMatchObject({ held: 1 });
    expect(outboxCounts(s.db, until)).not.toHaveProperty('held');
  });

  it('a question introduced first waits the same way, and goes where the question belongs, as a question', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Selamat siang, saya Budi dari Kotagede, mau bertanya');
    expect(getCaseByNumber(s.db, a)!.kind).toBe('question');
    expect(held(s, a).notBefore).not.toBeNull();
    expect(s.sms(PHONE, 'kapan pendaftaran PPDB SMP dibuka pak?')).toBe(a);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ kind: 'question', divisionId: 'komisi-d' });
    expect(held(s, a).notBefore).toBe(s.at().toISOString());
    expect(s.mail(`${a}.forward`)!.to).toEqual(['komisi-d@localhost']);
    // an introduction guessed to be a complaint, completed by a question: the question's kind
    const b = s.sms('+6281200000002', 'Pak, saya warga Tegalrejo mau tanya');
    expect(getCaseByNumber(s.db, b)!.kind).toBe('complaint');
    expect(s.sms('+6281200000002', 'kapan pendaftaran PPDB SMP dibuka pak?')).toBe(b);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ kind: 'question', divisionId: 'komisi-d' });
    expect(s.mail(`${b}.forward`)!.text).toContain('Jenis       : pertanyaan');
  });

  it('a fragment the classifier is unsure of: the desk hears of it only if the citizen does not complete it', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Malam pak, ini di daerah Jetis');
    expect(s.status(a)).toBe('triage');
    // the citizen is asked for the rest, as for a report that waits at a division
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.ack-%`)).all().map((o) => (o.payload as { text: string }).text)[0]).toContain('Bila belum, kirim juga apa masalahnya');
    const notice = () => s.db.select().from(outbox).where(like(outbox.id, `${a}.triage`)).get()!;
    expect(notice()).toMatchObject({ status: 'pending', notBefore: '2026-03-02T08:11:00.000Z' });
    expect(s.sms(PHONE, 'jalan depan rumah saya rusak parah, banyak lubang')).toBe(a);
    // completed with a clear complaint: to Komisi C without a person, the desk never told
    expect(getCaseByNumber(s.db, a)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c' });
    expect(notice().status).toBe('skipped');
    expect(s.mail(`${a}.forward`)!.text).toMatch(/Isi aduan:\nMalam pak, ini di daerah Jetis\n\nTambahan keterangan dari pelapor:\n- .*: jalan depan rumah saya rusak parah/);
    expect(s.eventsOf(a).map((e) => e.type)).toContain('completed_by_citizen');
    expect(s.eventsOf(a).map((e) => e.type)).not.toContain('classified');

    // completed with more words that say no more: the notice waits longer, then goes
    const b = s.sms('+6281200000002', 'Sore pak, ini di daerah Kricak');
    expect(s.sms('+6281200000002', 'di dekat masjid pak')).toBe(b);
    expect(s.status(b)).toBe('triage');
    const waiting = s.db.select().from(outbox).where(like(outbox.id, `${b}.triage`)).get()!;
    expect(waiting.notBefore).toBe(new Date(s.at().getTime() + 10 * 60_000).toISOString());
    expect(pendingOutbox(s.db, 100, waiting.notBefore!).map((o) => o.id)).toContain(`${b}.triage`);
    // what the desk reads is all of it, not the greeting alone
    expect((waiting.payload as MailPayload).text).toMatch(/Isi pesan:\nSore pak, ini di daerah Kricak\ndi dekat masjid pak/);

    // completed with words that say what is wrong, but not clearly a complaint: the desk is told now, of
    // all of it, with the division those words point to as the guess
    const c = s.sms('+6281200000003', 'Sore pak, ini di daerah Kricak');
    expect(s.sms('+6281200000003', 'pohonnya sudah tinggi sekali pak')).toBe(c);
    expect(getCaseByNumber(s.db, c)).toMatchObject({ status: 'triage', divisionId: 'komisi-c' });
    const now = s.db.select().from(outbox).where(like(outbox.id, `${c}.triage`)).get()!;
    expect(now).toMatchObject({ status: 'pending', notBefore: s.at().toISOString() });
    const komisiC = s.config.divisions.find((d) => d.id === 'komisi-c')!.name;
    expect((now.payload as MailPayload).text).toContain(`diteruskan ke ${komisiC}`);
    expect((now.payload as MailPayload).text).toMatch(/Isi pesan:\nSore pak, ini di daerah Kricak\npohonnya sudah tinggi sekali pak/);
  });

  it('on Telegram, a location pin and then the problem make one report at the problem\'s division', () => {
    const s = chainSetup();
    const deps = { db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at };
    let n = 0;
    const telegram = (text: string) => {
      const m = inboundMessageSchema.parse({ connectorId: 'tg-test', channel: 'telegram', externalId: `tg-${++n}`, receivedAt: s.at().toISOString(), sender: { telegramChatId: '5550001' }, text });
      return recordInbound(deps, m, ingestId('tg-test', m.externalId)).caseNumber!;
    };
    // what the Telegram connector writes for a shared location
    const a = telegram('Lokasi: -7.79, 110.37 (https://www.openstreetmap.org/?mlat=-7.79&mlon=110.37#map=18/-7.79/110.37)');
    expect(telegram('jalan di sini berlubang besar pak, sudah ada yang jatuh')).toBe(a);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ status: 'received', divisionId: 'komisi-c' });
    expect(s.mail(`${a}.forward`)!.text).toMatch(/Isi aduan:\nLokasi: -7\.79, 110\.37 .*\n\nTambahan keterangan dari pelapor:\n- .*: jalan di sini berlubang besar/);
  });

  it('the delivery clock of a held forward (sla.forwardMinutes) runs from the time it was to go', () => {
    // continuation 30 minutes, forward target 60: late 60 minutes after the wait, not after the first message
    const s = chainSetup({ continuationMinutes: 30 });
    expect(s.config.sla.forwardMinutes).toBe(60);
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    expect(held(s, a).notBefore).toBe('2026-03-02T08:31:00.000Z');
    const escalated = () => s.eventsOf(a).filter((e) => e.type === `sla_escalated:outbox:${a}.forward`);
    runSweeps(s.deps, new Date(Date.parse('2026-03-02T08:31:00.000Z') + 59 * 60_000));
    expect(escalated()).toEqual([]);
    runSweeps(s.deps, new Date(Date.parse('2026-03-02T08:31:00.000Z') + 61 * 60_000));
    expect(escalated()).toHaveLength(1);
  });

  it('only a complaint by SMS or chat that says only who and where waits; staff acting first decide where it goes', async () => {
    const s = chainSetup();
    // names its problem: at once
    expect(held(s, s.sms(PHONE, 'lampu PJU di jalan Magelang mati semua')).notBefore).toBeNull();
    // says what is wrong in words the problem lexicon does not know, more than who and where: at once
    expect(held(s, s.sms('+6281200000006', 'anak saya tidak diterima di SMP padahal rumah dekat')).notBefore).toBeNull();
    // such words complete a report that waits, and take it to their division now
    const w = s.sms('+6281200000007', 'Assalamualaikum, saya Budi dari Kotagede');
    expect(s.sms('+6281200000007', 'anak saya tidak diterima di SMP padahal rumah dekat')).toBe(w);
    expect(held(s, w).notBefore).toBe(s.at().toISOString());
    expect(getCaseByNumber(s.db, w)!.divisionId).toBe('komisi-d');
    // an e-mail names its problem in the rest of the mail, and never comes in fragments
    const mail = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<w1@warga.test>', receivedAt: s.at().toISOString(),
      sender: { email: 'warga@warga.test' }, subject: 'Laporan', text: 'Pak, di jl. Kenari gang 3' });
    const m = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, mail, ingestId('email-test', mail.externalId)).caseNumber!;
    expect(held(s, m).notBefore).toBeNull();
    expect(s.mail(`${m}.forward`)!.text).toContain('hanya menyebut nama atau tempat, belum masalahnya');
    // and the citizen is asked for it in the acknowledgement
    expect(s.mail(`${m}.ack`)!.text).toContain('Pesan Anda tampaknya belum menyebut masalahnya. Bila demikian, balas e-mail ini dengan apa masalahnya, di mana, dan sejak kapan.');
    expect(s.mail(`${s.sms(PHONE, 'lampu PJU di jalan Kenari mati semua')}.forward`)!.text).not.toContain('hanya menyebut nama atau tempat, belum masalahnya');
    // a place named by a division's keyword ("jembatan") waits for the rest like any place
    const bridge = s.sms('+6281200000013', 'lokasi di jembatan Gondolayu pak');
    expect(held(s, bridge).notBefore).not.toBeNull();
    expect(s.sms('+6281200000013', 'lampunya mati semua, gelap sekali kalau malam')).toBe(bridge);
    expect(held(s, bridge).notBefore).toBe(s.at().toISOString());
    expect(s.mail(`${bridge}.forward`)!.text).toContain('lampunya mati semua');
    // a division's keyword says what it is about: nobody is asked for more
    const ktp = s.sms('+6281200000011', 'KTP saya belum jadi');
    expect(s.mail(`${ktp}.forward`)!.text).not.toContain('belum masalahnya');
    expect(s.db.select().from(outbox).where(like(outbox.id, `${ktp}.ack-%`)).all().map((o) => (o.payload as { text: string }).text)[0]).not.toContain('Bila belum');
    const intro = s.sms('+6281200000012', 'Assalamualaikum, saya Budi dari Kotagede');
    // (a place named by a division's keyword is no subject: the report waits on)
    expect(s.sms('+6281200000012', 'lokasinya di sd negeri 5')).toBe(intro);
    expect(held(s, intro).notBefore! > s.at().toISOString()).toBe(true);
    expect(s.sms('+6281200000012', 'KTP saya belum jadi pak')).toBe(intro);
    expect(s.mail(`${intro}.forward`)!.text).not.toContain('belum masalahnya');
    expect(s.mail(`${intro}.forward`)!.to).toEqual(['komisi-a@localhost']);
    // re-routed by staff while it waits: the held forward goes now, to the new division (no second forward)
    const a = s.sms('+6281200000003', 'Selamat pagi pak, saya warga Tegalrejo RT 05');
    expect(held(s, a).notBefore).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(s.at());
    officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-c' }, 'petugas.budi');
    expect(held(s, a)).toMatchObject({ notBefore: s.at().toISOString(), status: 'pending' });
    expect(pendingOutbox(s.db, 100, s.at().toISOString()).map((o) => o.id)).toContain(`${a}.forward`);
    expect(s.mail(`${a}.forward`)!.to).toEqual(['komisi-c@localhost']);
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.forward%`)).all()).toHaveLength(1);
    // called no complaint while it waits: it never goes
    const b = s.sms('+6281200000004', 'Lokasi: depan SD Negeri 1 Gondokusuman');
    expect(held(s, b).notBefore).not.toBeNull();
    vi.setSystemTime(s.at());
    officerCommand(s.deps, b, { kind: 'bukan-aduan', note: '' }, 'petugas.budi');
    vi.useRealTimers();
    expect(held(s, b).status).toBe('skipped');
    // (continuation off: nothing waits)
    const off = chainSetup({ continuationMinutes: 0 });
    expect(held(off, off.sms(PHONE, 'Pak, di jl. Kenari gang 3')).notBefore).toBeNull();
  });
});

describe('a report waiting for the rest, and what else reaches it', () => {
  afterEach(() => { vi.useRealTimers(); });
  const held = (s: ChainSetup, id: string) => s.db.select().from(outbox).where(like(outbox.id, id)).get()!;

  it('the rest sent with the case number (or as a reply to our acknowledgement) completes it too', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    expect(s.sms(PHONE, `${a} jalannya rusak parah sudah 2 bulan, banyak yang jatuh`)).toBe(a);
    expect(getCaseByNumber(s.db, a)).toMatchObject({ divisionId: 'komisi-c' });
    expect(held(s, `${a}.forward`).notBefore).toBe(s.at().toISOString());
    expect(s.mail(`${a}.forward`)!.text).toContain('jalannya rusak parah');
    // in triage: the desk is not told of a greeting alone, the clear complaint goes without a person
    const b = s.sms('+6281200000002', 'Malam pak, ini di daerah Jetis');
    expect(s.sms('+6281200000002', `${b} jalan depan rumah saya rusak parah, banyak lubang`)).toBe(b);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ status: 'received', divisionId: 'komisi-c' });
    expect(held(s, `${b}.triage`).status).toBe('skipped');
  });

  it('the first message sent again with what is wrong added is the rest, not a copy', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Selamat pagi pak, saya Budi warga Tegalrejo RT 05 RW 02 dekat masjid Al Huda');
    expect(s.sms(PHONE, 'Selamat pagi pak, saya Budi warga Tegalrejo RT 05 RW 02 dekat masjid Al Huda, lampu jalan mati')).toBe(a);
    expect(s.eventsOf(a).map((e) => e.type)).not.toContain('duplicate_received');
    expect(held(s, `${a}.forward`).notBefore).toBe(s.at().toISOString());
    expect(s.mail(`${a}.forward`)!.text).toContain('lampu jalan mati');
  });

  it('a person settling or re-routing it first decides: a held desk notice is dropped, a held forward goes now where they said', () => {
    const s = chainSetup();
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const label of ['complaint', 'spam', 'statement'] as const) {
      const phone = `+62812000001${label.length}`;
      const a = s.sms(phone, 'Malam pak, ini di daerah Jetis');
      expect(held(s, `${a}.triage`).notBefore).not.toBeNull();
      vi.setSystemTime(s.at());
      officerClassify(s.deps, a, label, 'petugas.budi', 'komisi-c');
      expect(held(s, `${a}.triage`).status, label).toBe('skipped');
    }
    // re-routed while it waits in triage: the notice, when it goes, names the new destination
    const t = s.sms('+6281200000019', 'Malam pak, ini di daerah Jetis');
    vi.setSystemTime(s.at());
    officerCommand(s.deps, t, { kind: 'alihkan', division: 'komisi-b' }, 'petugas.budi');
    expect(held(s, `${t}.triage`).notBefore).not.toBe(s.at().toISOString());
    expect((held(s, `${t}.triage`).payload as MailPayload).text).toContain(`diteruskan ke ${s.config.divisions.find((d) => d.id === 'komisi-b')!.name}`);
    const b = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    vi.setSystemTime(s.at());
    officerClassify(s.deps, b, 'complaint', 'petugas.budi', 'komisi-a');
    expect(held(s, `${b}.forward`)).toMatchObject({ status: 'pending', notBefore: s.at().toISOString() });
    expect(s.mail(`${b}.forward`)!.to).toEqual(['komisi-a@localhost']);
  });

  it('#tindakan or #selesai on it (CLI, admin API) is taken: the forward goes now and the citizen gets the result', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
    const b = s.sms('+6281200000002', 'Selamat pagi pak, saya warga Tegalrejo RT 05');
    for (const n of [a, b]) expect(s.db.select().from(outbox).where(like(outbox.id, `${n}.forward`)).get()!.notBefore).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(s.at());
    officerCommand(s.deps, a, { kind: 'tindakan', cause: 'Lubang', plan: 'Ditambal DPUPKP', owner: 'Komisi C', due: null }, 'petugas.budi');
    officerCommand(s.deps, b, { kind: 'selesai', result: 'Sudah ditangani kelurahan' }, 'petugas.budi');
    vi.useRealTimers();
    expect(s.status(a)).toBe('action');
    expect(s.status(b)).toBe('awaiting_feedback');
    for (const n of [a, b]) expect(pendingOutbox(s.db, 100, s.at().toISOString()).map((o) => o.id)).toContain(`${n}.forward`);
    expect(s.results(b)).toEqual([expect.stringContaining('Sudah ditangani kelurahan')]);
  });

  it('another citizen\'s report does not repeat a report that so far says only who and where', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Assalamualaikum pak dewan, saya warga kampung Jetis RT 03 RW 01 depan SD Negeri Jetis');
    const b = s.sms('+6281200000002', 'Assalamualaikum pak dewan, saya warga kampung Jetis RT 03 RW 01 depan SD Negeri Jetis jalan berlubang');
    expect(getCaseByNumber(s.db, b)).toMatchObject({ relatedToCaseId: null, divisionId: 'komisi-c' });
    expect(s.mail(`${b}.forward`)!.to).toEqual(['komisi-c@localhost']);
    expect(getCaseByNumber(s.db, a)!.reportCount).toBe(1);
  });

  it('a person\'s decision on a greeting is not followed by another sender\'s copy', () => {
    const s = chainSetup();
    const a = s.sms(PHONE, 'Malam pak, ini di daerah Jetis');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(s.at());
    officerClassify(s.deps, a, 'spam', 'petugas.budi');
    const b = s.sms('+6281200000002', 'Malam pak, ini di daerah Jetis');
    expect(s.status(b)).toBe('triage');
    expect(s.eventsOf(b).map((e) => e.text).join(' ')).not.toContain('mengikuti pemilahan');
  });

  it('messages sent hours apart and taken in together after a backlog are not one report', () => {
    const s = chainSetup();
    const deps = { db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at };
    // both taken in at 08:00 (Redis was down, the gateway kept them), sent at 05:00 and 07:30
    const send = (id: string, sentAt: string, text: string) => recordInbound(deps, inboundMessageSchema.parse({
      connectorId: 'sms-test', channel: 'sms', externalId: id, receivedAt: sentAt, sender: { phone: PHONE }, text }), ingestId('sms-test', id)).caseNumber!;
    const a = send('late-1', '2026-03-02T05:00:00.000Z', 'Lampu PJU di Jalan Kenari gang 3 mati sudah seminggu');
    expect(send('late-2', '2026-03-02T07:30:00.000Z', 'sudah 2 bulan pak')).not.toBe(a);
    // sent within the time of each other, they are, however late they came in
    const b = send('late-3', '2026-03-02T05:00:00.000Z', 'Selokan di Jalan Magelang km 5 mampet, air meluap ke jalan');
    expect(send('late-4', '2026-03-02T05:04:00.000Z', 'di depan toko bangunan pak')).toBe(b);
  });

  it('a thanks said while additions wait is not sent to the division; the same text again with a photo is', async () => {
    const s = chainSetup();
    const a = await caseAt(s, LAMP, { kind: 'kaji', note: '' });
    s.sms(PHONE, `${a} lokasinya persis depan masjid`);
    expect(s.sms(PHONE, 'ok pak terima kasih')).toBe(a);
    s.sms(PHONE, `${a} sudah 2 minggu pak`);
    const bundle = sent(s, a, 'added').map((o) => (o.payload as MailPayload).text);
    expect(bundle).toHaveLength(1);
    expect(bundle[0]).toContain('menambahkan 2 keterangan');
    expect(bundle[0]).not.toContain('terima kasih');
    // the report sent again, now with a photo: a copy (no new case), its photo reaches the division
    const deps = { db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at };
    const again = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'again-photo', receivedAt: new Date(s.at().getTime() + 30 * 60_000).toISOString(),
      sender: { phone: PHONE }, text: LAMP, attachments: [{ filename: 'lampu.jpg', contentType: 'image/jpeg', size: 80_000, sha256: 'e'.repeat(64) }] });
    expect(recordInbound(deps, again, ingestId('sms-test', again.externalId))).toMatchObject({ relation: 'duplicate', caseNumber: a });
    expect(sent(s, a, 'added').flatMap((o) => (o.payload as MailPayload).attachments)).toEqual([{ filename: 'lampu.jpg', contentType: 'image/jpeg', sha256: 'e'.repeat(64) }]);
  });

  it('completed, it is found as another citizen\'s report of the problem even when its first message was long', async () => {
    const s = chainSetup();
    const x = s.sms('+6281200000005', 'Lampu PJU di Jalan Kenari gang 3 mati sudah seminggu, gelap sekali');
    await s.deliverForward(x);
    const a = s.sms(PHONE, 'Selamat malam pak, saya Budi warga Jalan Kenari gang 3 RT 05 RW 02 dekat masjid Al Huda');
    expect(s.sms(PHONE, 'lampu PJU mati seminggu, gelap')).toBe(a);
    expect(getCaseByNumber(s.db, a)!.relatedToCaseId).toBe(getCaseByNumber(s.db, x)!.id);
  });
});

describe('thanks after our answer', () => {
  it('"ok pak terima kasih" by SMS is said on the case: recorded, not answered, no new case, nothing to the division', async () => {
    const s = chainSetup();
    const a = s.sms(PHONE, LAMP);
    await s.deliverForward(a);
    for (const text of ['ok pak terima kasih', 'siap', 'makasih banyak pak 🙏', '👍', 'Nggih, matur nuwun']) expect(s.sms(PHONE, text), text).toBe(a);
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply')).toHaveLength(5);
    expect(sent(s, a, 'noted')).toEqual([]);
    expect(sent(s, a, 'added')).toEqual([]);
    // more than thanks is a message on the case as before
    expect(s.sms(PHONE, `${a} terima kasih, lampunya sudah menyala`)).toBe(a);
    expect(sent(s, a, 'noted')).toHaveLength(1);
    // the number as typed on a phone ("adu 2026 1") names the case too
    expect(s.sms(PHONE, `${a.toLowerCase().replace(/-0*/g, ' ')} gimana pak, lampunya mati lagi`)).toBe(a);
    // thanks from someone without a case, or about something else, is a statement of its own
    expect(getCaseByNumber(s.db, s.sms('+6281200000055', 'terima kasih pak'))).toMatchObject({ kind: 'statement' });
    expect(getCaseByNumber(s.db, s.sms(PHONE, 'Terima kasih DPRD, jalan di Kotagede sekarang sudah mulus'))).toMatchObject({ kind: 'statement' });
  });

  it('thanks after the case is closed ("sama-sama pak", "lubangnya sudah ditambal, terima kasih") is said on it; a new problem is a new case', async () => {
    const HOLE = 'Jalan Kenari depan SD ada lubang besar, bahaya untuk motor, mohon ditambal';
    const s = chainSetup();
    const a = s.sms(PHONE, HOLE);
    await s.deliverForward(a);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Lubang sudah ditambal DLH tanggal 3 Maret' }, 'petugas.budi');
    s.sms(PHONE, 'PUAS');
    expect(s.status(a)).toBe('closed');
    const toCitizen = () => s.db.select().from(outbox).where(like(outbox.id, `${a}.%`)).all().filter((o) => o.kind === 'channel').length;
    const before = toCitizen();
    for (const text of ['terima kasih pak', 'sama-sama pak', 'terima kasih pak, lubangnya sudah ditambal', 'Mantap pak, sudah beres']) expect(s.sms(PHONE, text), text).toBe(a);
    expect(s.eventsOf(a).filter((e) => e.type === 'citizen_reply').map((e) => e.text)).toEqual(['terima kasih pak', 'sama-sama pak', 'terima kasih pak, lubangnya sudah ditambal', 'Mantap pak, sudah beres']);
    // not answered (an answer draws another thanks), no case of their own
    expect(toCitizen()).toBe(before);
    expect(s.db.select().from(outbox).where(like(outbox.id, 'ADU-2026-000002%')).all()).toEqual([]);
    // a greeting opening a new report is answered as one; thanks going on to say the problem is back,
    // another problem, or the same words about another place stand on their own
    const hello = s.sms(PHONE, 'Assalamualaikum pak');
    expect(hello).not.toBe(a);
    expect(s.sms(PHONE, 'pak')).not.toBe(a);
    expect(s.db.select().from(outbox).where(like(outbox.id, `${hello}.ack-%`)).get()!.payload).toMatchObject({ text: expect.stringContaining('Silakan kirim aduan Anda') });
    expect(s.sms(PHONE, 'terima kasih, lubangnya sudah ditambal tapi sekarang ada lagi')).not.toBe(a);
    expect(s.sms(PHONE, 'terima kasih pak, tapi selokan di gang sebelah sekarang mampet')).not.toBe(a);
    const elsewhere = chainSetup();
    const b = elsewhere.sms(PHONE, HOLE);
    await elsewhere.deliverForward(b);
    officerCommand(elsewhere.deps, b, { kind: 'selesai', result: 'Lubang sudah ditambal' }, 'petugas.budi');
    elsewhere.sms(PHONE, 'PUAS');
    expect(elsewhere.sms(PHONE, 'makasih pak, lubang di jalan Magelang juga sudah ditambal?')).not.toBe(b);
    // four days after the closing, another citizen's report of the hole does not make a thanks belong to it again
    const later = () => new Date(elsewhere.at().getTime() + 4 * 86_400_000);
    const deps = { db: elsewhere.db, config: elsewhere.config, understander: createUnderstander(elsewhere.config), outboundChannels: new Set(['sms-test']), now: later };
    const send = (id: string, phone: string, text: string) => recordInbound(deps, inboundMessageSchema.parse({
      connectorId: 'sms-test', channel: 'sms', externalId: id, receivedAt: later().toISOString(), sender: { phone }, text }), ingestId('sms-test', id)).caseNumber!;
    expect(getCaseByNumber(elsewhere.db, send('x-1', '+6281200000002', HOLE))!.relatedToCaseId).toBe(getCaseByNumber(elsewhere.db, b)!.id);
    expect(send('x-2', PHONE, 'terima kasih pak')).not.toBe(b);
  });
});

describe('the limits of a report in several messages and of thanks come from the YAML (dedupe)', () => {
  const held = (s: ChainSetup, number: string) => s.db.select().from(outbox).where(like(outbox.id, `${number}.forward`)).get()!;

  it('continuationMaxWords: a longer message is a report of its own, and a longer first message does not wait', () => {
    const road = 'jalan di depan rumah saya rusak parah banyak lubang';
    const detail = 'di jl. Kenari gang 3 dekat masjid';
    const wide = chainSetup();
    const a = wide.sms(PHONE, road);
    expect(wide.sms(PHONE, detail)).toBe(a);
    const narrow = chainSetup({ continuationMaxWords: 5 });
    const b = narrow.sms(PHONE, road);
    expect(narrow.sms(PHONE, detail)).not.toBe(b);
    // a first message that says only who and where, longer than the limit, goes at once
    const where = 'Pak, saya di jl. Kenari gang 3';
    expect(held(wide, wide.sms('+6281200000002', where)).notBefore).not.toBeNull();
    expect(held(narrow, narrow.sms('+6281200000002', where)).notBefore).toBeNull();
  });

  it('continuationMaxWaits: each fragment restarts the wait, up to this many times continuationMinutes after the first message', () => {
    const times = (s: ChainSetup) => {
      const a = s.sms(PHONE, 'Pak, di jl. Kenari gang 3');
      const first = held(s, a).notBefore;
      s.sms(PHONE, 'di depan warung bu Sri');
      return [first, held(s, a).notBefore];
    };
    expect(times(chainSetup())).toEqual(['2026-03-02T08:11:00.000Z', '2026-03-02T08:12:00.000Z']);
    expect(times(chainSetup({ continuationMaxWaits: 1 }))).toEqual(['2026-03-02T08:11:00.000Z', '2026-03-02T08:11:00.000Z']);
  });

  it('thanksWithinDays: a thanks within it is said on the case; 0 makes every thanks a message of its own', async () => {
    const thanked = async (dedupe: Record<string, unknown>, afterDays: number) => {
      const s = chainSetup(dedupe);
      const a = s.sms(PHONE, LAMP);
      await s.deliverForward(a);
      officerCommand(s.deps, a, { kind: 'selesai', result: 'Lampu sudah diganti' }, 'petugas.budi');
      s.sms(PHONE, 'PUAS');
      expect(s.status(a)).toBe('closed');
      const later = () => new Date(s.at().getTime() + afterDays * 86_400_000);
      const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: 'thanks-later', receivedAt: later().toISOString(), sender: { phone: PHONE }, text: 'terima kasih pak' });
      const number = recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: later }, message, ingestId('sms-test', message.externalId)).caseNumber;
      return number === a;
    };
    expect(await thanked({}, 2)).toBe(true);
    expect(await thanked({}, 4)).toBe(false);
    expect(await thanked({ thanksWithinDays: 7 }, 4)).toBe(true);
    expect(await thanked({ thanksWithinDays: 0 }, 0)).toBe(false);
  });
});
