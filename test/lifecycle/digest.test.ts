/**
 * dedupe.digestMinutes (default 60): a later report of a problem its division is already handling is
 * not forwarded in a mail of its own. It joins the problem's open report at once, takes its stage, and
 * the division gets one digest mail per problem listing the reports that joined, at most every
 * digestMinutes. One reply on the digest answers every citizen (dedupe.shareResults).
 */
import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { correctiveActions, digestItems, outbox } from '../../core/db/schema.ts';
import { runDigests } from '../../core/lifecycle/digest.ts';
import { officerCommand } from '../../core/lifecycle/service.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { ourMessageId, staffReplyTo } from '../../core/mail/compose.ts';
import { caseDetail, getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { CHAIN_START, chainSetup, type ChainSetup } from '../helpers/chain.ts';

const LIGHT = 'Lampu PJU di Jalan Kenari depan SD Negeri Kenari mati sejak seminggu, jalan gelap sekali dan rawan jambret. Mohon segera diperbaiki.';
const minutes = (m: number) => new Date(CHAIN_START + m * 60_000);

/** The first citizen's report, forwarded to Komisi C and delivered. */
async function firstReport(s: ChainSetup): Promise<string> {
  const a = s.sms('+6281200000001', LIGHT);
  await s.deliverForward(a);
  expect(s.status(a)).toBe('forwarded');
  return a;
}

const digestIds = (s: ChainSetup) => s.db.select().from(outbox).where(like(outbox.id, '%.digest-%')).all().map((o) => o.id);

describe('later reports join the open report; the division gets one digest', () => {
  it('a later report is at the division at once without a mail of its own; one digest after digestMinutes lists them all, once', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    const c = s.sms('+6281200000003', `${LIGHT} Sudah lapor RT.`);
    expect([b, c].map((x) => getCaseByNumber(s.db, x)!.relatedToCaseId)).toEqual([getCaseByNumber(s.db, a)!.id, getCaseByNumber(s.db, a)!.id]);
    expect([b, c].map(s.status)).toEqual(['forwarded', 'forwarded']);
    expect([b, c].map((x) => s.mail(`${x}.forward`))).toEqual([undefined, undefined]);
    expect(s.eventsOf(b).find((e) => e.type === 'forwarded')).toMatchObject({
      actorType: 'system', text: `Digabung dengan ${a}, laporan masalah yang sama di Komisi C (Pembangunan) (status: diteruskan ke komisi/bagian); Komisi C (Pembangunan) menerimanya dalam ringkasan laporan tambahan, bukan dalam e-mail tersendiri.`,
      data: { joined: a },
    });
    // the citizens are told others reported it and that the result comes to them
    expect((s.db.select().from(outbox).where(like(outbox.id, `${c}.ack%`)).get()!.payload as { text: string }).text).toContain('Warga lain juga melaporkannya');

    // b joined at minute 2: nothing before minute 62, then one digest with both
    expect(runDigests(s.deps, minutes(61))).toBe(0);
    expect(caseDetail(s.db, b)!.digest).toEqual({ joined: a, mail: null, mailStatus: null });
    expect(runDigests(s.deps, minutes(62))).toBe(1);
    expect(caseDetail(s.db, c)!.digest).toEqual({ joined: a, mail: `${a}.digest-1`, mailStatus: 'pending' });
    expect(caseDetail(s.db, a)!.digest).toBeNull();
    expect(runDigests(s.deps, minutes(62))).toBe(0);
    expect(digestIds(s)).toEqual([`${a}.digest-1`]);
    const digest = s.mail(`${a}.digest-1`)!;
    expect(digest.to).toEqual(['komisi-c@localhost']);
    expect(digest.subject).toBe(`[${a}] Laporan tambahan: 2 pelapor lain, masalah yang sama`);
    expect(digest.text).toContain(`Masalah dalam aduan ${a} (status: diteruskan ke komisi/bagian) dilaporkan lagi oleh 2 pelapor lain.`);
    expect(digest.text).toContain('Masalah ini kini dilaporkan 3 kali.');
    expect(digest.text).toContain(`1. ${b} — SMS (sms-test)`);
    expect(digest.text).toContain(`2. ${c} — SMS (sms-test)`);
    expect(digest.text).toContain('Telepon  : +6281200000003');
    expect(digest.text).toContain('Sudah lapor RT.');
    // how close each text is to the report it was found to repeat: a false link stands out
    expect(digest.text).toMatch(new RegExp(`Kemiripan: teks \\d{2}% sama dengan ${a}`));
    expect(digest.text).toContain(`#bukan-berulang ${b}`);
    // threaded under the first report's forward; a reply acts on the open report
    expect(digest).toMatchObject({ inReplyTo: ourMessageId(s.config, a, 'forward'), replyTo: staffReplyTo(s.config, getCaseByNumber(s.db, a)!) });
    expect(s.eventsOf(a).find((e) => e.type === 'digest_written')!.data).toMatchObject({ reports: [b, c] });

    // a report joining later waits for the next digest, which lists only it
    const d = s.sms('+6281200000004', `${LIGHT} Segera.`);
    expect(s.status(d)).toBe('forwarded');
    // (d came at minute 4)
    expect(runDigests(s.deps, minutes(63))).toBe(0);
    expect(runDigests(s.deps, minutes(64))).toBe(1);
    expect(digestIds(s)).toEqual([`${a}.digest-1`, `${a}.digest-2`]);
    expect(s.mail(`${a}.digest-2`)!.text).not.toContain(`${b} —`);
  });

  it('one #selesai replied to the digest answers every citizen under their own number', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Terima kasih.`);
    const c = s.sms('+6281200000003', `${LIGHT} Tolong pak.`);
    runDigests(s.deps, minutes(90));
    const reply = s.staffReply(`${a}.digest-1`, 'komisi-c@localhost', '#selesai Lampu sudah diganti oleh Dishub pada 3 Maret.');
    expect(reply).toMatchObject({ relation: 'reply', caseNumber: a });
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'awaiting_feedback']);
    for (const x of [a, b, c]) expect(s.results(x)).toEqual([`Hasil tindak lanjut aduan ${x}: Lampu sudah diganti oleh Dishub pada 3 Maret.\nBalas PUAS bila Anda puas, atau TIDAK PUAS bila belum.`]);
  });

  it('a burst of copies before the first forward has gone out makes one forward and one digest', () => {
    const s = chainSetup();
    const a = s.sms('+6281200000001', LIGHT);
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    const c = s.sms('+6281200000003', `${LIGHT} Segera.`);
    expect([a, b, c].map(s.status)).toEqual(['received', 'forwarded', 'forwarded']);
    expect(s.db.select().from(outbox).where(like(outbox.id, '%.forward')).all().map((o) => o.id)).toEqual([`${a}.forward`]);
    expect(runDigests(s.deps, minutes(70))).toBe(1);
    // #kaji on the first, once its forward is out, moves the joined reports with it
    officerCommand(s.deps, a, { kind: 'kaji', note: '' }, 'petugas.budi');
    expect([a, b, c].map(s.status)).toEqual(['in_review', 'in_review', 'in_review']);
  });

  it('a report joining a problem under review or corrective action takes its stage and its plan; the clock runs on the oldest report only', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    officerCommand(s.deps, a, { kind: 'kaji', note: 'dicek' }, 'petugas.budi');
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    expect(s.status(b)).toBe('in_review');
    expect(s.eventsOf(b).find((e) => e.type === 'review_started')).toMatchObject({ text: `Dikaji bersama ${a}.`, data: { sharedFrom: a } });
    officerCommand(s.deps, a, { kind: 'tindakan', cause: 'kabel putus', plan: 'ganti kabel dan lampu', owner: 'Dishub', due: '2026-03-12' }, 'petugas.budi');
    const c = s.sms('+6281200000003', `${LIGHT} Segera.`);
    expect([a, b, c].map(s.status)).toEqual(['action', 'action', 'action']);
    expect(s.db.select().from(correctiveActions).where(eq(correctiveActions.caseId, getCaseByNumber(s.db, c)!.id)).all())
      .toMatchObject([{ cause: 'kabel putus', plan: 'ganti kabel dan lampu', owner: 'Dishub', due: '2026-03-12' }]);
    // the joined reports are not reminded of a first response the division gave on the problem
    for (let day = 1; day <= 6; day++) runSweeps(s.deps, new Date(CHAIN_START + day * 86_400_000));
    expect([b, c].flatMap((x) => s.db.select().from(outbox).where(like(outbox.id, `${x}.reminder-%`)).all())).toEqual([]);
  });

  it('#bukan-berulang <number> replied to the digest takes that report out; one taken out before its digest gets its own forward', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Terima kasih.`);
    const c = s.sms('+6281200000003', `${LIGHT} Tolong pak.`);
    // an officer takes b out before any digest: Komisi C would otherwise never hear of it
    officerCommand(s.deps, b, { kind: 'bukan-berulang', note: 'lampu lain' }, 'petugas.budi');
    expect(getCaseByNumber(s.db, b)).toMatchObject({ relatedToCaseId: null, status: 'forwarded' });
    expect(s.mail(`${b}.forward`)!.to).toEqual(['komisi-c@localhost']);
    runDigests(s.deps, minutes(90));
    expect(digestIds(s)).toEqual([`${a}.digest-1`]);

    // from the digest: a number outside the problem is refused, c's own number takes c out
    s.staffReply(`${a}.digest-1`, 'komisi-c@localhost', `#bukan-berulang ${b}`);
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.help-%`)).get()!.payload).toMatchObject({ text: expect.stringContaining(`${b} bukan laporan lain atas masalah ${a} di divisi ini`) });
    s.staffReply(`${a}.digest-1`, 'komisi-c@localhost', `#bukan-berulang ${c.toLowerCase()}: di Jalan Kenanga`);
    expect(getCaseByNumber(s.db, c)!.relatedToCaseId).toBeNull();
    expect(s.eventsOf(c).find((e) => e.type === 'recurring_unlinked')!.text).toBe(`Bukan laporan berulang dari ${a}: di Jalan Kenanga`);
    // listed in a digest already: no second mail about it
    expect(s.mail(`${c}.forward`)).toBeUndefined();
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah diganti.' }, 'petugas.budi');
    expect([b, c].flatMap(s.results)).toEqual([]);
  });

  it('a text only similar to the report it repeats (below dedupe.joinSimilarity) is forwarded in its own mail, still one problem', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    // another danger named: linked as the same problem (similarity 0.82), but staff should look at that link
    const b = s.sms('+6281200000002', LIGHT.replace('rawan jambret', 'rawan kecelakaan'));
    expect(getCaseByNumber(s.db, b)).toMatchObject({ relatedToCaseId: getCaseByNumber(s.db, a)!.id, status: 'received' });
    expect(s.mail(`${b}.forward`)!.text).toContain('#bukan-berulang');
    // its own forward says how close its words are to the report it repeats, as a digest would
    expect(s.mail(`${b}.forward`)!.text).toMatch(new RegExp(`Kemiripan   : teks 8\\d% sama dengan ${a}\n`));
    expect(s.db.select().from(digestItems).all()).toEqual([]);
    // at 0.8 it joins
    const t = chainSetup({ joinSimilarity: 0.8 });
    await firstReport(t);
    expect(t.status(t.sms('+6281200000002', LIGHT.replace('rawan jambret', 'rawan kecelakaan')))).toBe('forwarded');
  });

  it('a digest that does not reach the division within sla.forwardMinutes escalates, once', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    runDigests(s.deps, minutes(62));
    const digest = s.db.select().from(outbox).where(like(outbox.id, '%.digest-%')).get()!;
    // never sent (SMTP down): an hour after it was written, the secretariat hears of it, once
    // (the acknowledgements, never sent here either, escalate on their own clock)
    const escalated = () => s.eventsOf(a).filter((e) => e.type === `sla_escalated:outbox:${digest.id}`);
    runSweeps(s.deps, minutes(62 + 59));
    expect(escalated()).toEqual([]);
    runSweeps(s.deps, minutes(62 + 61));
    runSweeps(s.deps, minutes(62 + 62));
    expect(escalated()).toHaveLength(1);
    expect(escalated()[0]!.text).toContain('ringkasan laporan tambahan ke komisi/bagian (60 menit');
    expect(s.db.select().from(outbox).where(like(outbox.id, `${a}.escalation-%`)).all().map((o) => (o.payload as { to: string[] }).to)).toContainEqual(['sekwan@dprd.test']);
  });

  it('a joined report re-routed before its digest leaves it and is forwarded to its new division', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    officerCommand(s.deps, b, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    expect(s.db.select().from(digestItems).all()).toEqual([]);
    expect(s.db.select().from(outbox).where(like(outbox.id, `${b}.forward-%`)).get()!.payload).toMatchObject({ to: ['komisi-a@localhost'] });
    expect(runDigests(s.deps, minutes(90))).toBe(0);
    expect(s.status(a)).toBe('forwarded');
  });

  it('#alihkan on the report others joined takes them along: the new division gets them in its digest, and its answer reaches them', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    runDigests(s.deps, minutes(62)); // Komisi C heard of b
    const c = s.sms('+6281200000003', `${LIGHT} Segera.`); // waiting for Komisi C's next digest
    const r = officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    expect(r.confirmation).toBe(`Aduan ${a} dialihkan ke Komisi A (Pemerintahan). Bersama 2 laporan yang digabung dengannya (masuk ringkasan Komisi A (Pemerintahan)): ${b}, ${c}.`);
    expect([a, b, c].map((x) => getCaseByNumber(s.db, x)!.divisionId)).toEqual(['komisi-a', 'komisi-a', 'komisi-a']);
    expect(s.eventsOf(c).find((e) => e.type === 'rerouted')).toMatchObject({ text: `Dialihkan dari komisi-c ke komisi-a bersama ${a}`, data: { sharedFrom: a } });
    // (the officer acted now, on the real clock)
    expect(runDigests(s.deps, new Date(Date.now() + 61 * 60_000))).toBe(1);
    const digest = s.db.select().from(outbox).where(like(outbox.id, `${a}.digest-%`)).all().map((o) => o.payload as { to: string[]; text: string }).at(-1)!;
    expect(digest.to).toEqual(['komisi-a@localhost']);
    expect(digest.text).toContain(`1. ${b} —`);
    expect(digest.text).toContain(`2. ${c} —`);
    officerCommand(s.deps, a, { kind: 'selesai', result: 'Sudah ditangani.' }, 'petugas.ani');
    expect([a, b, c].map(s.status)).toEqual(['awaiting_feedback', 'awaiting_feedback', 'awaiting_feedback']);
  });

  it('#bukan-aduan on the open report takes the reports that joined it along (they have no forward of their own to answer)', async () => {
    const s = chainSetup();
    const a = await firstReport(s);
    const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    const c = s.sms('+6281200000003', `${LIGHT} Segera.`);
    const r = s.staffMail(a, 'komisi-c@localhost', '#bukan-aduan sudah ditangani PLN, bukan kewenangan kota');
    expect(r.relation).toBe('reply');
    expect([a, b, c].map(s.status)).toEqual(['statement', 'statement', 'statement']);
    expect(s.eventsOf(b).find((e) => e.type === 'classified_as_copy')).toMatchObject({ actorType: 'division', text: `Dipilah petugas: pernyataan (digabung dengan ${a})` });
    const confirm = s.db.select().from(outbox).where(like(outbox.id, `${a}.confirm-%`)).get()!.payload as { text: string };
    expect(confirm.text).toContain(`ikut dipilah: ${b}, ${c}.`);
    // nothing left for a digest
    expect(runDigests(s.deps, minutes(200))).toBe(0);
  });

  it('digestMinutes 0, or answers not shared, forwards every report in its own mail', async () => {
    for (const dedupe of [{ digestMinutes: 0 }, { shareResults: false }]) {
      const s = chainSetup(dedupe);
      await firstReport(s);
      const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
      expect(s.status(b)).toBe('received');
      expect(s.mail(`${b}.forward`)!.text).toContain('Berulang    : dilaporkan 2 kali');
      expect(s.db.select().from(digestItems).all()).toEqual([]);
    }
  });
});

describe('a report that left the open report before its digest', () => {
  it('classified to another division, called spam, or no complaint: no digest lists it', async () => {
    const { officerClassify, officerSetStatus } = await import('../../core/lifecycle/service.ts');
    const listed = (s: ChainSetup, number: string) => s.db.select().from(outbox).where(like(outbox.id, '%.digest-%')).all().some((o) => (o.payload as { text: string }).text.includes(number));
    for (const leave of ['classify to komisi-a', 'spam', 'bukan-aduan']) {
      const s = chainSetup();
      const a = s.sms('+6281200000001', LIGHT);
      await s.deliverForward(a);
      const b = s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
      const c = s.sms('+6281200000003', `${LIGHT} Segera ya pak.`);
      expect(s.db.select().from(digestItems).all().map((i) => i.caseId), leave).toHaveLength(2);
      if (leave === 'spam') officerSetStatus(s.deps, b, 'spam', 'iklan', 'petugas.sri');
      else if (leave === 'bukan-aduan') officerCommand(s.deps, b, { kind: 'bukan-aduan', note: '' }, 'petugas.sri');
      else officerClassify(s.deps, b, 'complaint', 'petugas.sri', 'komisi-a');
      expect(runDigests(s.deps, new Date(Date.now() + 200 * 60_000)), leave).toBe(1);
      expect(listed(s, c), leave).toBe(true);
      expect(listed(s, b), leave).toBe(false);
    }
  });
});
