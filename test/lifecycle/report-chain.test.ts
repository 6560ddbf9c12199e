/**
 * One answer for one problem (dedupe.shareResults): several citizens report the same problem, each
 * report is its own case linked to the first; a #kaji / #tindakan / #selesai on one of them moves the
 * other reports the same division still handles, and every citizen gets the result under their own
 * number and answers for it on their own. Here every report has its own forward mail
 * (dedupe.digestMinutes: 0); test/lifecycle/digest.test.ts covers later reports joining the first.
 */
import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { correctiveActions, outbox } from '../../core/db/schema.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';

const ROAD = 'Jalan Kaliurang km 5 depan warung bakso rusak parah dan berlubang besar, sudah ada dua motor jatuh. Mohon segera diperbaiki.';

/** Every report has its own forward mail here (dedupe.digestMinutes: 0). */
const setup = (dedupe: Record<string, unknown> = {}) => chainSetup({ digestMinutes: 0, ...dedupe });

/** Three citizens report the same road; all three reports forwarded to Komisi C. */
async function threeReports(s: ChainSetup) {
  const a = s.sms('+6281200000001', ROAD);
  const b = s.sms('+6281200000002', ROAD.replace('dua motor', 'beberapa motor'));
  const c = s.sms('+6281200000003', `${ROAD} Tolong pak.`);
  for (const x of [a, b, c]) await s.deliverForward(x);
  expect([b, c].map((x) => getCaseByNumber(s.db, x)!.relatedToCaseId)).toEqual([getCaseByNumber(s.db, a)!.id, getCaseByNumber(s.db, a)!.id]);
  expect([a, b, c].map(s.status)).toEqual(['forwarded', 'forwarded', 'forwarded']);
  // the later reporters hear on their own phone that others reported it and that the result comes to them
  const ackOf = (x: string) => (s.db.select().from(outbox).where(like(outbox.id, `${x}.ack-%`)).get()!.payload as { text: string }).text;
  expect(ackOf(a)).toBe(`Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: ${a}. Simpan nomor ini untuk menanyakan perkembangannya.`);
  expect(ackOf(c)).toBe(`Aduan Anda diterima Sekretariat DPRD Kota Yogyakarta. Nomor aduan: ${c}. Warga lain juga melaporkannya; hasilnya kami kirim kepada Anda.`);
  return [a, b, c] as const;
}

describe('one answer for one problem', () => {
  it('#kaji on one report moves them all; #selesai by mail reaches every citizen under their own number; TIDAK PUAS reopens only that citizen\'s case', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    // the recurring reports' forwards tell staff that one answer does
    const forwardText = (x: string) => (s.db.select().from(outbox).where(eq(outbox.id, `${x}.forward`)).get()!.payload as MailPayload).text;
    expect(forwardText(c)).toContain('Satu balasan #kaji, #tindakan atau #selesai pada salah satu laporan masalah ini berlaku juga');
    expect(forwardText(a)).not.toContain('Satu balasan');

    const kaji = officerCommand(s.deps, b, { kind: 'kaji', note: 'dicek ke lokasi' }, 'petugas.budi');
    expect([a, b, c].map(s.status)).toEqual(['in_review', 'in_review', 'in_review']);
    expect(kaji.confirmation).toContain(`Berlaku juga untuk 2 laporan lain atas masalah yang sama (dikirim ke pelapornya masing-masing): ${a}, ${c}.`);
    const shared = s.eventsOf(a).find((e) => e.type === 'review_started')!;
    expect(shared).toMatchObject({ actorType: 'officer', actor: 'petugas.budi', text: `dicek ke lokasi (laporan yang sama dengan ${b})` });
    expect(shared.data).toMatchObject({ sharedFrom: b });
    // nothing reached the citizens yet: only #selesai speaks to them
    expect([a, b, c].flatMap(s.results)).toEqual([]);

    const reply = s.staffMail(c, 'komisi-c@localhost', '#selesai Lubang sudah ditambal oleh DPUPKP pada 3 Maret.\n\n> kutipan');
    expect(reply.relation).toBe('reply');
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'awaiting_feedback']);
    for (const x of [a, b, c]) {
      expect(s.results(x)).toEqual([`Hasil tindak lanjut aduan ${x}: Lubang sudah ditambal oleh DPUPKP pada 3 Maret.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.`]);
    }
    const confirm = s.db.select().from(outbox).where(like(outbox.id, `${c}.confirm-%`)).get()!.payload as MailPayload;
    expect(confirm.text).toContain(`Hasil untuk ${c} dikirim ke pelapor lewat sms. Berlaku juga untuk 2 laporan lain`);
    // staff see what the citizen got, word for word
    expect(confirm.text).toMatch(new RegExp(`Yang dikirim ke pelapor:\nHasil tindak lanjut aduan ${c}: .+\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum[.]$`));
    expect(confirm.text).toContain(`${a}, ${b}.`);

    // the second citizen is not satisfied: only their case reopens, and only their words go to the division
    s.sms('+6281200000002', 'TIDAK PUAS, lubangnya masih ada');
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'in_review', 'awaiting_feedback']);
    expect(getCaseByNumber(s.db, b)!.reopenCount).toBe(1);
    s.sms('+6281200000001', 'PUAS');
    expect(s.status(a)).toBe('closed');
    // the division answers the reopened report again: the others, already answered, are left alone
    const again = officerCommand(s.deps, b, { kind: 'selesai', result: 'Ditambal ulang dengan aspal hotmix.' }, 'petugas.budi');
    expect(again.confirmation).not.toContain('Berlaku juga');
    expect(s.results(b)).toHaveLength(2);
    expect([a, c].map((x) => s.results(x).length)).toEqual([1, 1]);
    expect([a, b, c].map(s.status)).toEqual(['closed', 'awaiting_feedback', 'awaiting_feedback']);
  });

  it('#tindakan on one report records the corrective action on every open report', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'petugas.budi');
    officerCommand(s.deps, a, { kind: 'tindakan', cause: 'aspal tua', plan: 'tambal sulam', owner: 'DPUPKP', due: '2026-03-10' }, 'petugas.budi');
    expect([a, b, c].map(s.status)).toEqual(['action', 'action', 'action']);
    for (const x of [a, b, c]) {
      const rows = s.db.select().from(correctiveActions).where(eq(correctiveActions.caseId, getCaseByNumber(s.db, x)!.id)).all();
      expect(rows).toMatchObject([{ cause: 'aspal tua', plan: 'tambal sulam', owner: 'DPUPKP', due: '2026-03-10' }]);
    }
    expect(s.eventsOf(c).find((e) => e.type === 'corrective_action')!.text).toContain(`(laporan yang sama dengan ${a})`);
  });

  it('reports re-routed to another division or not yet forwarded are left alone', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    officerCommand(s.deps, b, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    const d = s.sms('+6281200000004', `${ROAD} Sudah seminggu.`);
    expect(getCaseByNumber(s.db, d)!.relatedToCaseId).toBe(getCaseByNumber(s.db, a)!.id);
    expect(s.status(d)).toBe('received'); // its forward is still on the way
    const done = officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditambal.' }, 'petugas.budi');
    expect([a, b, c, d].map(s.status)).toEqual(['awaiting_feedback', 'forwarded', 'awaiting_feedback', 'received']);
    expect(done.confirmation).toContain(`Berlaku juga untuk 1 laporan lain atas masalah yang sama (dikirim ke pelapornya masing-masing): ${c}.`);
    expect([b, d].flatMap(s.results)).toEqual([]);
  });

  it('the division clock runs once per problem: one reminder and one escalation, on the oldest report, naming the others', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    const mailsOf = (x: string, kind: string) => s.db.select().from(outbox).where(like(outbox.id, `${x}.${kind}-%`)).all().map((o) => o.payload as MailPayload);
    // the forwards went out now (the forward worker's clock); sweep the following days
    for (let day = 1; day <= 10; day++) runSweeps(s.deps, new Date(Date.now() + day * 86_400_000));
    // (the acknowledgements, never sent here, escalate on their own delivery clock)
    const firstResponse = (x: string) => mailsOf(x, 'escalation').filter((m) => m.subject.includes('tanggapan pertama'));
    expect([a, b, c].map((x) => [mailsOf(x, 'reminder').length, firstResponse(x).length])).toEqual([[1, 1], [0, 0], [0, 0]]);
    expect(mailsOf(a, 'reminder')[0]!.text).toContain(`Masalah yang sama dilaporkan juga dalam 2 aduan lain yang masih terbuka (${b}, ${c}); satu balasan pada aduan ini berlaku juga untuk mereka.`);
    // without shared answers every report has its own clock
    const t = setup({ shareResults: false });
    const own = await threeReports(t);
    for (let day = 1; day <= 10; day++) runSweeps(t.deps, new Date(Date.now() + day * 86_400_000));
    expect(own.map((x) => t.db.select().from(outbox).where(like(outbox.id, `${x}.reminder-%`)).all().length)).toEqual([1, 1, 1]);
    // ... and the three cases that pass the target at the same local midnight escalate in one mail, each on its record
    const ownEscalations = t.db.select().from(outbox).where(like(outbox.id, '%.escalation-%')).all().map((o) => o.payload as MailPayload)
      .filter((m) => m.subject.includes('tanggapan pertama'));
    expect(ownEscalations.map((m) => m.subject)).toEqual([`[${own[0]}] Eskalasi SLA: 3 aduan melewati target tanggapan pertama (#kaji)`]);
    // (each with its division by name, its subject line, the target and how late it is)
    for (const x of own) expect(ownEscalations[0]!.text).toMatch(new RegExp(`^- ${x} untuk Komisi C \\(Pembangunan\\): Jalan Kaliurang km 5 .+…\\n  tanggapan pertama \\(#kaji\\): target 3 hari kerja, sudah \\d+ hari kerja \\(terlambat \\d+ hari kerja\\)$`, 'm'));
    expect(own.map((x) => t.eventsOf(x).filter((e) => e.type.startsWith('sla_escalated:forwarded@')).length)).toEqual([1, 1, 1]);
  });

  it('results shared with many citizens that do not go out in time escalate in one mail, each case on the record', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditambal.' }, 'petugas.budi');
    // the SMS gateway takes none of the three results (nor the acknowledgements, sent never here)
    const escalationMails = () => s.db.select().from(outbox).where(like(outbox.id, `%.escalation-%`)).all().map((o) => o.payload as MailPayload);
    runSweeps(s.deps, new Date(Date.now() + 121 * 60_000));
    const mails = escalationMails();
    const results = mails.filter((m) => m.subject.includes('penyampaian hasil ke pelapor'));
    expect(results).toHaveLength(1);
    expect(results[0]!).toMatchObject({ to: ['sekwan@dprd.test'], subject: `[${a}] Eskalasi SLA: 3 penyampaian hasil ke pelapor (verifikasi) melewati target` });
    for (const x of [a, b, c]) expect(results[0]!.text).toMatch(new RegExp(`^- ${x} untuk Komisi C \\(Pembangunan\\): .+\\n  penyampaian hasil ke pelapor \\(verifikasi\\) \\(120 menit; status pending\\)$`, 'm'));
    expect([a, b, c].map((x) => s.eventsOf(x).filter((e) => e.type.startsWith('sla_escalated:outbox:') && e.type.includes('.result-')).length)).toEqual([1, 1, 1]);
    // (the three late acknowledgements: one mail too)
    expect(mails.filter((m) => m.subject.includes('tanda terima ke pelapor'))).toHaveLength(1);
    runSweeps(s.deps, new Date(Date.now() + 122 * 60_000));
    expect(escalationMails()).toHaveLength(mails.length);
  });

  it('a report linked by mistake is taken out of the chain by #bukan-berulang, and the answer to the others no longer reaches it', async () => {
    const s = setup();
    const [a, b, c] = await threeReports(s);
    const forward = (s.db.select().from(outbox).where(eq(outbox.id, `${c}.forward`)).get()!.payload as MailPayload).text;
    expect(forward).toContain('Bila laporan ini bukan masalah yang sama dengan laporan awalnya, balas dengan #bukan-berulang');
    // on the first report there is nothing to take out: the staff are told where to answer instead
    s.staffMail(a, 'komisi-c@localhost', '#bukan-berulang');
    const refused = s.db.select().from(outbox).where(like(outbox.id, `${a}.help-%`)).get()!.payload as MailPayload;
    expect(refused.text).toContain(`${a} adalah laporan awal; balas #bukan-berulang pada laporan yang salah dikaitkan (${b}, ${c})`);
    expect(getCaseByNumber(s.db, a)!.reportCount).toBe(3);

    s.staffMail(c, 'komisi-c@localhost', '#bukan-berulang lokasinya km 12, bukan km 5');
    expect(getCaseByNumber(s.db, c)!.relatedToCaseId).toBeNull();
    expect(getCaseByNumber(s.db, a)!.reportCount).toBe(2);
    expect(s.eventsOf(c).find((e) => e.type === 'recurring_unlinked')).toMatchObject({ actorType: 'division', actor: 'komisi-c@localhost', text: `Bukan laporan berulang dari ${a}: lokasinya km 12, bukan km 5` });
    expect(s.eventsOf(a).find((e) => e.type === 'recurring_unlinked')!.text).toContain(`${c} bukan masalah yang sama`);
    const confirm = s.db.select().from(outbox).where(like(outbox.id, `${c}.confirm-%`)).get()!.payload as MailPayload;
    expect(confirm.text).toBe(`${c} dipisahkan dari laporan berulang ${a}: ditangani sendiri; jawaban pada ${a} tidak lagi berlaku untuk ${c}.`);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditambal.' }, 'petugas.budi');
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'forwarded']);
    expect(s.results(c)).toEqual([]);
  });

  it('a problem staff re-routed keeps its desk: later reports of it go to that division too, and say why', async () => {
    const s = setup();
    const a = s.sms('+6281200000001', ROAD);
    await s.deliverForward(a);
    officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    const b = s.sms('+6281200000002', `${ROAD} Tolong pak.`);
    expect(getCaseByNumber(s.db, b)).toMatchObject({ divisionId: 'komisi-a', relatedToCaseId: getCaseByNumber(s.db, a)!.id });
    const forward = s.db.select().from(outbox).where(eq(outbox.id, `${b}.forward`)).get()!.payload as MailPayload;
    expect(forward.to).toEqual(['komisi-a@localhost']);
    const received = s.eventsOf(b).find((e) => e.type === 'received')!;
    expect(received.text).toContain(`Masalah yang sama dengan ${a}: diteruskan ke Komisi A`);
    expect(received.data).toMatchObject({ division: 'komisi-a', routedWith: a, guessedDivision: 'komisi-c' });
    // so one answer from Komisi A reaches both citizens
    await s.deliverForward(b);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditambal.' }, 'petugas.ani');
    expect([a, b].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback']);
  });

  it('two staff replies taken in within the same millisecond each get their confirmation', async () => {
    const s = setup();
    const a = s.sms('+6281200000001', ROAD);
    await s.deliverForward(a);
    const to = s.mail(`${a}.forward`)!;
    const deps = { db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at };
    for (const [id, text] of [['<x1@dprd.test>', '#catatan dicek besok'], ['<x2@dprd.test>', '#kaji']] as const) {
      const m = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: id, receivedAt: s.at().toISOString(),
        sender: { email: 'komisi-c@localhost' }, subject: `Re: ${to.subject}`, text, thread: { inReplyTo: to.messageId }, meta: { to: [to.replyTo] } });
      recordInbound(deps, m, ingestId('email-test', id));
    }
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.confirm-%`)).all()).toHaveLength(2);
  });

  it('dedupe.shareResults: false answers every report on its own', async () => {
    const s = setup({ shareResults: false });
    const [a, b, c] = await threeReports(s);
    expect((s.db.select().from(outbox).where(eq(outbox.id, `${c}.forward`)).get()!.payload as MailPayload).text).not.toContain('Satu balasan');
    const done = officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditambal.' }, 'petugas.budi');
    expect(done.confirmation).not.toContain('Berlaku juga');
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'forwarded', 'forwarded']);
    expect([b, c].flatMap(s.results)).toEqual([]);
  });
});

describe('a staff command by mail', () => {
  it('runs only from a reply to the case\'s own address: a forged From without it moves nothing, and the division hears of it', async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', 'Jalan Kenari depan SD ada lubang besar, bahaya untuk motor, mohon ditambal');
    await s.deliverForward(a);
    const forward = s.mail(`${a}.forward`)!;
    // a forged mail: the division's From, our guessable Message-ID, sent to the gateway's plain address
    const forged = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<forged-1@evil.example>', receivedAt: s.at().toISOString(),
      sender: { email: forward.to[0] }, subject: `Re: ${forward.subject}`, text: '#selesai Sudah beres, tidak perlu ditindaklanjuti.', thread: { inReplyTo: forward.messageId }, meta: { to: ['aduan@localhost'] } });
    recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, forged, ingestId('email-test', forged.externalId));
    expect(s.status(a)).toBe('forwarded');
    expect(s.results(a)).toEqual([]);
    expect(s.eventsOf(a).map((e) => e.type)).toContain('command_without_token');
    const told = s.db.select().from(outbox).all().find((o) => o.id.startsWith(`${a}.untokened-`))!.payload as { to: string[]; text: string };
    expect(told.to).toEqual(forward.to);
    expect(told.text).toContain('TIDAK dijalankan');
    // the same command as a reply to the forward (its Reply-To carries the case's token) runs
    const replied = s.staffMail(a, forward.to[0]!, '#selesai Lubang sudah ditambal DPUPKP.');
    expect(replied.relation).toBe('reply');
    expect(s.status(a)).toBe('awaiting_feedback');
    // and every mail to staff about the case carries that address as its Reply-To
    expect(told).toMatchObject({ replyTo: forward.replyTo });
  });

  it('acts on the case whose own address it was sent to, even in the thread of another case\'s mail (a digest under its problem\'s first report)', async () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', 'Jalan Kenari depan SD ada lubang besar, bahaya untuk motor, mohon ditambal');
    const b = s.sms('+6281200000002', 'Lampu PJU di Jalan Magelang mati semua sejak seminggu, gelap sekali');
    await s.deliverForward(a);
    await s.deliverForward(b);
    const fa = s.mail(`${a}.forward`)!;
    const fb = s.mail(`${b}.forward`)!;
    const kb = getCaseByNumber(s.db, b)!;
    const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<both-1@dprd.test>', receivedAt: s.at().toISOString(),
      sender: { email: fb.to[0] }, subject: `Re: ${fa.subject}`, text: '#kaji', thread: { inReplyTo: fa.messageId, caseNumber: b }, meta: { to: [fb.replyTo], replyToken: kb.token } });
    recordInbound({ db: s.db, config: s.config, understander: createUnderstander(s.config), outboundChannels: new Set(['sms-test']), now: s.at }, message, ingestId('email-test', message.externalId));
    expect(s.status(b)).toBe('in_review');
    expect(s.status(a)).toBe('forwarded');
  });
});

describe('staff command text', () => {
  it('"#selesai: hasil" loses its colon; #tindakan reads its deadline from its own line, not the signature below', async () => {
    const { parseStaffReply } = await import('../../core/lifecycle/commands.ts');
    expect(parseStaffReply('#selesai: Lampu sudah diganti.')).toEqual({ command: { kind: 'selesai', result: 'Lampu sudah diganti.' } });
    expect(parseStaffReply('#tindakan kabel putus | ganti kabel | Dishub | 2026-03-04\n\nSalam,\nBudi'))
      .toEqual({ command: { kind: 'tindakan', cause: 'kabel putus', plan: 'ganti kabel', owner: 'Dishub', due: '2026-03-04' } });
  });
});
