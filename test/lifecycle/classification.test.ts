/**
 * SOP step 3 through intake, with the committed model: what each label does to a new case (forward,
 * acknowledgement, neither), when a human decides (triage), and how an officer settles a triage case.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { closeDb, openDb, runMigrations, type Db } from '../../core/db/client.ts';
import { caseEvents, cases, messages, outbox } from '../../core/db/schema.ts';
import { recordInbound } from '../../core/intake.ts';
import { parseStaffReply } from '../../core/lifecycle/commands.ts';
import { officerClassify, officerCommand } from '../../core/lifecycle/service.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { getCaseByNumber, listCases } from '../../core/repo/cases.repo.ts';
import { humanLabels } from '../../core/repo/report.repo.ts';
import type { Understander } from '../../core/understand.ts';
import { createAnalyzer, createUnderstander } from '../../core/understanding/index.ts';
import { loadRepeatIndexNow } from '../../core/understanding/dedupe.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from '../helpers/config.ts';
import { forgetMigrationsFrom } from '../helpers/sql.ts';

const COMPLAINT = 'Jalan Kaliurang km 5 depan warung bakso rusak parah dan berlubang besar, sudah ada dua motor jatuh. Mohon segera diperbaiki.';
const STATEMENT = 'Terima kasih, lampunya sudah menyala lagi. Pelayanannya cepat.';
/** A suggestion the model calls a statement (confidence ≈ 0.7) that is about 0.3 likely a complaint. */
const SUGGESTION = 'Saran saja, sebaiknya halte di Jalan Solo diberi atap.';
const SPAM = 'SELAMAT! Nomor Anda memenangkan hadiah 1 unit mobil dari undian PT Hadiah Abadi. Klik bit.ly/klaimhadiah untuk klaim sekarang';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

/** Intake with the committed model; no audit sample unless asked (these tests say where each label goes). */
function setup(wrap: (u: Understander) => Understander = (u) => u, classifier: Record<string, unknown> = { auditShare: 0 }) {
  const db = openDb(':memory:');
  dbs.push(db);
  // (each settled copy forwarded in its own mail: the digest of joined reports is test/lifecycle/digest.test.ts)
  const config = testConfig({ divisions: loadDivisions(), classifier, dedupe: { digestMinutes: 0 } });
  const outboundChannels = new Set(['sms-test']);
  const understander = wrap(createUnderstander(config));
  let n = 0;
  let later = 0;
  /** One SMS, a minute after the one before (`laterMinutes`: that many more). */
  const send = (phone: string, text: string, laterMinutes = 0) => {
    later += laterMinutes;
    const at = new Date(Date.parse('2026-03-01T08:00:00Z') + (n + later) * 60_000).toISOString();
    const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `c${++n}`, receivedAt: at, sender: { phone }, text });
    const r = recordInbound({ db, config, understander, outboundChannels, now: () => new Date(at) }, message, ingestId('sms-test', message.externalId));
    const kase = getCaseByNumber(db, r.caseNumber!)!;
    const out = db.select().from(outbox).where(like(outbox.id, `${kase.number}.%`)).all();
    return { kase, forward: out.filter((o) => o.id.endsWith('.forward')), acks: out.filter((o) => o.id.includes('.ack')) };
  };
  return { db, config, outboundChannels, send };
}

const ackText = (o: { payload: unknown }): string => (o.payload as { text: string }).text;

describe('what the label does to a new case', () => {
  it('a complaint is forwarded to its division and acknowledged with the case number', () => {
    const { db, send } = setup();
    const { kase, forward, acks } = send('+6281200000001', COMPLAINT);
    expect(kase).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c' });
    expect(forward).toHaveLength(1);
    expect(acks).toHaveLength(1);
    expect(ackText(acks[0]!)).toContain(kase.number);
    // the decision is stored on the message: label, confidence and what decided it (with the route)
    const m = db.select().from(messages).where(eq(messages.caseId, kase.id)).get()!;
    expect(m).toMatchObject({ label: 'complaint', relation: 'new' });
    expect(m.confidence).toBeGreaterThan(0.55);
    expect(m.features as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/^(w|b|lex):/), expect.stringMatching(/^route:/)]));
  });

  it('the same complaint again from the same sender: told the existing number, no second case or forward', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', COMPLAINT);
    const again = send('+6281200000001', COMPLAINT.replace('dua motor', 'tiga motor'));
    expect(again.kase.number).toBe(first.kase.number);
    expect(again.forward).toHaveLength(1);
    expect(again.acks.map(ackText)).toContain(`Aduan ini sudah tercatat dengan nomor aduan ${first.kase.number} dan sedang kami tindak lanjuti. Anda tidak perlu mengirimnya lagi. Terima kasih.`);
    expect(listCases(db)).toHaveLength(1);
  });

  it('a statement is recorded and thanked, not forwarded', () => {
    const { send } = setup();
    const { kase, forward, acks } = send('+6281200000001', STATEMENT);
    expect(kase).toMatchObject({ status: 'statement', kind: 'statement' });
    expect(forward).toHaveLength(0);
    expect(acks.map(ackText)).toEqual([`Terima kasih, pesan Anda sudah dicatat Sekretariat DPRD Kota Yogyakarta dengan nomor ${kase.number}.`]);
  });

  it('a statement by e-mail is thanked as one: the mail does not claim it went to a division', () => {
    const { db, config, outboundChannels } = setup();
    const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<s1@example.org>', receivedAt: '2026-03-01T08:00:00Z',
      sender: { email: 'ani@example.org', name: 'Ani' }, subject: 'Lampu', text: STATEMENT, meta: { messageId: '<s1@example.org>' } });
    const r = recordInbound({ db, config, understander: createUnderstander(config), outboundChannels }, message, ingestId('email-test', message.externalId));
    const ack = db.select().from(outbox).where(like(outbox.id, `${r.caseNumber}.ack%`)).get()!.payload as { text: string };
    expect(getCaseByNumber(db, r.caseNumber!)!.status).toBe('statement');
    expect(ack.text).toContain(`dicatat dengan nomor ${r.caseNumber} sebagai masukan`);
    expect(ack.text).not.toContain('diteruskan kepada');
  });

  it('spam from an unknown sender is recorded, neither forwarded nor answered', () => {
    const { send } = setup();
    const { kase, forward, acks } = send('+6281200000009', SPAM);
    expect(kase).toMatchObject({ status: 'spam', kind: 'spam' });
    expect(forward).toHaveLength(0);
    expect(acks).toHaveLength(0);
  });

  it('spam-like text from a citizen who wrote before goes to triage, answered, not dropped', () => {
    const { db, send } = setup();
    send('+6281200000001', COMPLAINT);
    const { kase, forward, acks } = send('+6281200000001', SPAM);
    expect(kase).toMatchObject({ status: 'triage', kind: 'spam' });
    expect(forward).toHaveLength(0);
    expect(acks).toHaveLength(1);
    const received = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'received')!;
    expect(received.text).toContain('pengirim pernah mengirim pesan yang bukan spam');
    // an earlier spam case does not make a sender known
    send('+6281200000009', SPAM);
    expect(send('+6281200000009', `${SPAM}!`).kase.status).toBe('spam');
  });
});

describe('triage: an unsure guess waits for a human', () => {
  const unsure = (u: Understander): Understander => ({ ...u, understand: (...a) => ({ ...u.understand(...a), triage: true }) });

  it('an unsure statement is not settled alone: triage with the guess, acknowledged, not forwarded', () => {
    const { db, send } = setup(unsure);
    const { kase, forward, acks } = send('+6281200000001', STATEMENT);
    expect(kase).toMatchObject({ status: 'triage', kind: 'statement' });
    expect(forward).toHaveLength(0);
    expect(ackText(acks[0]!)).toContain(kase.number);
    expect(listCases(db, { status: 'triage' }).map((c) => [c.number, c.kind])).toEqual([[kase.number, 'statement']]);
    const received = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'received')!;
    expect(received.text).toMatch(/Perlu dipilah petugas: tebakan pernyataan, keyakinan [\d.]+ di bawah 0\.55/);
  });

  it('the desk hears of a triage case at once, with the guess, the text and how to settle it by replying', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const { kase } = send('+6281200000001', COMPLAINT);
    const notice = db.select().from(outbox).where(eq(outbox.id, `${kase.number}.triage`)).get()!.payload as { to: string[]; subject: string; text: string; messageId: string; replyTo: string };
    expect(notice.to).toEqual(['humas@localhost']);
    expect(notice.subject).toBe(`[${kase.number}] Perlu dipilah: tebakan aduan`);
    expect(notice.text).toMatch(/^Alasan: tebakan aduan, keyakinan [\d.]+ di bawah 0\.55\.$/m);
    expect(notice.text).toContain('diteruskan ke Komisi C');
    expect(notice.text).toContain('#aduan, #pertanyaan, #bukan-aduan atau #spam');
    expect(notice.text).toContain(COMPLAINT);
    // the desk answers the notice: the case is settled and forwarded, no need to wait for the reminder
    const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<n1@dprd.test>', receivedAt: '2026-03-01T09:00:00Z',
      sender: { email: 'humas@localhost' }, subject: `Re: ${notice.subject}`, text: '#aduan', thread: { inReplyTo: notice.messageId }, meta: { to: [notice.replyTo] } });
    recordInbound({ db, config, understander: createUnderstander(config), outboundChannels }, message, ingestId('email-test', message.externalId));
    expect(getCaseByNumber(db, kase.number)).toMatchObject({ status: 'received', kind: 'complaint' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).all()).toHaveLength(1);
    // a case settled at intake sends the desk nothing
    const plain = setup();
    for (const text of [COMPLAINT, STATEMENT, SPAM]) {
      const k = plain.send(`+62812000001${text.length}`, text).kase;
      expect(plain.db.select().from(outbox).where(eq(outbox.id, `${k.number}.triage`)).all()).toHaveLength(0);
    }
  });

  it('an officer settles it as a complaint: forwarded, with the officer in the audit trail', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const { kase } = send('+6281200000001', STATEMENT);
    const settled = officerClassify({ db, config, outboundChannels }, kase.number, 'complaint', 'petugas.budi');
    expect(settled).toMatchObject({ status: 'received', kind: 'complaint' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).all()).toHaveLength(1);
    const ev = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'classified')!;
    expect(ev).toMatchObject({ actorType: 'officer', actor: 'petugas.budi', fromStatus: 'triage', toStatus: 'received' });
    expect(listCases(db, { status: 'triage' })).toHaveLength(0);
  });

  it('a recurring report settled as a complaint is forwarded with its earlier reports', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const first = send('+6281200000001', COMPLAINT).kase;
    const second = send('+6281200000002', `${COMPLAINT}!`).kase;
    expect(second).toMatchObject({ status: 'triage', relatedToCaseId: first.id });
    officerClassify({ db, config, outboundChannels }, second.number, 'complaint', 'petugas.budi');
    const mail = db.select().from(outbox).where(eq(outbox.id, `${second.number}.forward`)).get()!.payload as { text: string };
    expect(mail.text).toContain(`Berulang    : dilaporkan 2 kali; laporan sebelumnya: ${first.number}`);
  });

  it('a person decides a text once: its copies from other senders waiting in triage are settled with it (label, division, forward), near copies are not', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const first = send('+6281200000001', COMPLAINT).kase;
    const copy = send('+6281200000002', COMPLAINT).kase;
    const near = send('+6281200000003', `${COMPLAINT} Sudah tiga minggu begini.`).kase;
    const other = send('+6281200000004', STATEMENT).kase;
    expect([copy.relatedToCaseId, near.relatedToCaseId]).toEqual([first.id, first.id]);
    expect(listCases(db, { status: 'triage' })).toHaveLength(4);
    // the copy raises no second notice, and no reminder of its own: the first one's covers it
    const notices = () => db.select({ id: outbox.id }).from(outbox).where(like(outbox.id, '%.triage')).all().map((o) => o.id).sort();
    expect(notices()).toEqual([first, near, other].map((k) => `${k.number}.triage`).sort());
    expect(db.select().from(caseEvents).where(eq(caseEvents.caseId, copy.id)).all().map((e) => e.text)).toContain(`Teks sama dengan ${first.number} yang menunggu dipilah: dipilah bersama kasus itu.`);
    const reminded = (k: { id: number }) => db.select().from(caseEvents).where(eq(caseEvents.caseId, k.id)).all().some((e) => e.type.startsWith('sla_reminder:received@'));
    for (let day = 1; day <= 4; day++) runSweeps({ db, config, outboundChannels }, new Date(Date.parse('2026-03-01T08:00:00Z') + day * 86_400_000));
    expect([first, copy, near, other].map(reminded)).toEqual([true, false, true, true]);
    const reminder = db.select().from(outbox).where(like(outbox.id, `${first.number}.reminder-%`)).get()!.payload as { text: string };
    expect(reminder.text).toContain('Pesan yang sama dari 1 pelapor lain menunggu bersama kasus ini; pemilahan Anda berlaku juga untuk mereka.');

    const settled = officerClassify({ db, config, outboundChannels }, copy.number, 'complaint', 'petugas.budi', 'komisi-d');
    expect(settled.copies).toEqual([first.number]);
    expect(getCaseByNumber(db, first.number)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-d' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${first.number}.forward`)).all()).toHaveLength(1);
    const ev = db.select().from(caseEvents).where(eq(caseEvents.caseId, first.id)).all().find((e) => e.toStatus === 'received')!;
    expect(ev).toMatchObject({ type: 'classified_as_copy', actorType: 'officer', actor: 'petugas.budi', fromStatus: 'triage' });
    expect(ev.text).toContain(`teks sama dengan ${copy.number}`);
    // another wording, or another text, is still a person's to decide
    expect(listCases(db, { status: 'triage' }).map((c) => c.number).sort()).toEqual([near.number, other.number].sort());
    // the decision counts once where people's labels are read (corpus export, report)
    expect(humanLabels(db).map((l) => l.number)).toEqual([copy.number]);

  });

  it('#bukan-aduan on a suggestion waiting in triage settles its copy from another sender too, and the confirmation says so', () => {
    const { db, config, outboundChannels, send } = setup();
    const first = send('+6281200000001', SUGGESTION).kase;
    const copy = send('+6281200000002', SUGGESTION).kase;
    expect([first.status, copy.status, copy.relatedToCaseId]).toEqual(['triage', 'triage', first.id]);
    const r = officerCommand({ db, config, outboundChannels }, first.number, { kind: 'bukan-aduan', note: '' }, 'petugas.sari');
    expect(r.confirmation).toBe(`Aduan ${first.number} dicatat sebagai pernyataan, bukan aduan. Salinan teks yang sama dari pelapor lain ikut dipilah: ${copy.number}.`);
    expect(getCaseByNumber(db, copy.number)).toMatchObject({ status: 'statement', kind: 'statement' });
    expect(listCases(db, { status: 'triage' })).toHaveLength(0);
    expect(db.select().from(outbox).where(like(outbox.id, '%.forward')).all()).toHaveLength(0);
    // nobody judged the copy on its own: a later decision on the text reaches it again
    expect(officerClassify({ db, config, outboundChannels }, first.number, 'complaint', 'petugas.budi').copies).toEqual([copy.number]);
    expect(getCaseByNumber(db, copy.number)).toMatchObject({ status: 'received', kind: 'complaint' });
  });

  it('a text a person calls a complaint rescues its copies the classifier alone thanked as statements: linked and forwarded as recurring reports', () => {
    const { db, config, outboundChannels, send } = setup();
    const sent = ['1', '2', '3', '4'].map((n) => send(`+628120000000${n}`, STATEMENT).kase);
    const [a, b, c, d] = [sent[0]!, sent[1]!, sent[2]!, sent[3]!];
    expect([a, b, c, d].map((k) => [k.status, k.relatedToCaseId])).toEqual(Array(4).fill(['statement', null]));
    // a person already said d is a statement: that stays
    officerClassify({ db, config, outboundChannels }, d.number, 'statement', 'petugas.sari');
    const settled = officerClassify({ db, config, outboundChannels }, b.number, 'complaint', 'petugas.budi', 'komisi-c');
    expect(settled.copies).toEqual([a.number, c.number]);
    for (const k of [a, c]) {
      expect(getCaseByNumber(db, k.number)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c', relatedToCaseId: b.id });
      const mail = db.select().from(outbox).where(eq(outbox.id, `${k.number}.forward`)).get()!.payload as { text: string };
      expect(mail.text).toContain('Berulang    : dilaporkan 3 kali');
      // the citizen was only thanked: now told it goes to a division
      const told = db.select().from(outbox).where(like(outbox.id, `${k.number}.reclassified-%`)).get()!.payload as { text: string };
      expect(told.text).toBe(`Pesan Anda dengan nomor ${k.number} kami teruskan ke Komisi C (Pembangunan) untuk ditindaklanjuti sebagai aduan. Terima kasih.`);
    }
    expect(getCaseByNumber(db, b.number)).toMatchObject({ status: 'received', reportCount: 3 });
    expect(getCaseByNumber(db, d.number)).toMatchObject({ status: 'statement', kind: 'statement', relatedToCaseId: null });
    // called a statement, nothing else moves; the person's two decisions are the two labels on record
    officerClassify({ db, config, outboundChannels }, a.number, 'statement', 'petugas.budi');
    expect(getCaseByNumber(db, c.number)!.status).toBe('received');
    expect(humanLabels(db).map((l) => [l.number, l.label]).sort()).toEqual([[a.number, 'statement'], [b.number, 'complaint'], [d.number, 'statement']]);
  });

  it('a later copy of a text a person decided follows the decision (recurring report, or no second question); a confident complaint is never settled that way', () => {
    const { db, config, outboundChannels, send } = setup();
    const deps = { db, config, outboundChannels };
    // a thank-you a person called a complaint: another sender's copy is its recurring report, forwarded
    const b = send('+6281200000001', STATEMENT).kase;
    officerClassify(deps, b.number, 'complaint', 'petugas.budi', 'komisi-c');
    const later = send('+6281200000002', STATEMENT);
    expect(later.kase).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c', relatedToCaseId: b.id });
    expect(later.forward).toHaveLength(1);
    const received = db.select().from(caseEvents).where(eq(caseEvents.caseId, later.kase.id)).all().find((e) => e.type === 'received')!;
    expect(received.text).toContain(`Teks sama dengan ${b.number} yang dipilah petugas sebagai aduan: mengikuti pemilahan itu.`);
    expect(db.select().from(messages).where(eq(messages.caseId, later.kase.id)).get()!.features).toContain(`person:${b.number}`);
    // the first sender again: the same case
    expect(send('+6281200000001', STATEMENT).kase.number).toBe(b.number);

    // a suggestion a person called a statement: the next copy is thanked, nobody is asked again
    const s1 = send('+6281200000003', SUGGESTION).kase;
    expect(s1.status).toBe('triage');
    officerCommand(deps, s1.number, { kind: 'bukan-aduan', note: '' }, 'petugas.sari');
    const s2 = send('+6281200000004', SUGGESTION);
    expect(s2.kase).toMatchObject({ status: 'statement', kind: 'statement' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${s2.kase.number}.triage`)).all()).toHaveLength(0);

    // a complaint a person called a statement: a copy the classifier is sure of still goes to its division
    const c1 = send('+6281200000005', COMPLAINT).kase;
    officerCommand(deps, c1.number, { kind: 'bukan-aduan', note: '' }, 'petugas.sari');
    expect(send('+6281200000006', COMPLAINT).kase).toMatchObject({ status: 'received', kind: 'complaint' });
  });

  it('the same words about another RT follow a person\'s label, but are not linked as the same problem', () => {
    const { db, config, outboundChannels, send } = setup();
    const deps = { db, config, outboundChannels };
    const at = (rt: string) => `${STATEMENT} Lampu di ${rt}.`;
    const [a, b, c] = [send('+6281200000001', at('RT 03')).kase, send('+6281200000002', at('RT 07')).kase, send('+6281200000003', at('RT 03')).kase];
    expect([a, b, c].map((k) => [k.status, k.relatedToCaseId])).toEqual(Array(3).fill(['statement', null]));
    // a person calls the RT 03 message a complaint: both copies follow the label; only RT 03's joins its report chain
    expect(officerClassify(deps, a.number, 'complaint', 'petugas.budi', 'komisi-c').copies).toEqual([b.number, c.number]);
    expect(getCaseByNumber(db, b.number)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-c', relatedToCaseId: null });
    expect(getCaseByNumber(db, c.number)).toMatchObject({ status: 'received', kind: 'complaint', relatedToCaseId: a.id });
    // later copies follow the label too, each joining the report of its own RT
    const d = send('+6281200000004', at('RT 07')).kase;
    const e = send('+6281200000005', at('RT 03')).kase;
    expect(d).toMatchObject({ kind: 'complaint', status: 'received', relatedToCaseId: b.id });
    expect(e).toMatchObject({ kind: 'complaint', status: 'received', relatedToCaseId: a.id });
    // and the first report about a third RT starts its own
    expect(send('+6281200000006', at('RT 09')).kase).toMatchObject({ kind: 'complaint', status: 'received', relatedToCaseId: null });
  });

  it('decisions people made before text_decisions existed are taken over by its migration', () => {
    const { db, config, outboundChannels, send } = setup();
    const b = send('+6281200000001', STATEMENT).kase;
    officerClassify({ db, config, outboundChannels }, b.number, 'complaint', 'petugas.budi');
    // back to the database as it was before migration 0004 (the decision only in case_events; 0005 adds digest_items, 0006 problem_places and cases.linked_by_problem, 0007 outbox.not_before, 0008 the history indexes in place of outbox_status_idx, 0009 outbox.clock_done_at and outbox_clock_idx)
    forgetMigrationsFrom(db, '0004_', 'DROP INDEX outbox_clock_idx; ALTER TABLE outbox DROP COLUMN clock_done_at; DROP TABLE text_decisions; DROP TABLE digest_items; DROP TABLE problem_places; ALTER TABLE cases DROP COLUMN linked_by_problem; ALTER TABLE outbox DROP COLUMN not_before; DROP INDEX outbox_status_created_idx; DROP INDEX outbox_status_sent_idx; DROP INDEX outbox_case_idx; DROP INDEX cases_created_idx; CREATE INDEX outbox_status_idx ON outbox (status);');
    runMigrations(db);
    expect(db.$client.prepare('SELECT case_id FROM text_decisions').all()).toEqual([{ case_id: b.id }]);
    expect(send('+6281200000002', STATEMENT).kase).toMatchObject({ status: 'received', kind: 'complaint', relatedToCaseId: b.id });
  });

  it('a label changed without a status change is still on the record with the officer', () => {
    const { db, config, outboundChannels, send } = setup();
    const { kase } = send('+6281200000001', 'Syarat bikin KTP elektronik apa saja ya pak?');
    expect(kase).toMatchObject({ status: 'received', kind: 'question' });
    expect(officerClassify({ db, config, outboundChannels }, kase.number, 'complaint', 'petugas.sri')).toMatchObject({ status: 'received', kind: 'complaint' });
    expect(getCaseByNumber(db, kase.number)!.kind).toBe('complaint');
    const ev = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'classified')!;
    expect(ev).toMatchObject({ actorType: 'officer', actor: 'petugas.sri', data: { label: 'complaint', from: 'question' } });
  });

  it('a triage case nobody settles: the desk (default division) is reminded with the guess and the text, then it escalates', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const waiting = send('+6281200000001', STATEMENT).kase;
    const settled = send('+6281200000002', COMPLAINT).kase;
    officerClassify({ db, config, outboundChannels }, settled.number, 'complaint', 'petugas.budi');
    const deps = { db, config, outboundChannels };
    const events = (id: number) => db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).all().map((e) => e.type);
    // (the delivery clocks escalate too here: nothing delivers the outbox in this test; count only the triage clock)
    const has = (prefix: string): boolean => events(waiting.id).some((t) => t.startsWith(prefix));
    let reminderDay = 0, escalationDay = 0;
    for (let day = 1; day <= 10 && !escalationDay; day++) {
      runSweeps(deps, new Date(Date.parse('2026-03-01T08:00:00Z') + day * 86_400_000));
      if (!reminderDay && has('sla_reminder:received@')) reminderDay = day;
      if (has('sla_escalated:received@')) escalationDay = day;
    }
    expect(reminderDay).toBeGreaterThan(0);
    expect(escalationDay).toBeGreaterThan(reminderDay);
    expect(events(waiting.id).filter((t) => t.startsWith('sla_reminder:received@'))).toHaveLength(1);
    expect(events(waiting.id).filter((t) => t.startsWith('sla_escalated:received@'))).toHaveLength(1);
    const reminder = db.select().from(outbox).where(like(outbox.id, `${waiting.number}.reminder-%`)).get()!.payload as { to: string[]; subject: string; text: string };
    expect(reminder.to).toEqual(['humas@localhost']);
    expect(reminder.subject).toContain('pemilahan oleh petugas');
    expect(reminder.text).toContain('Tebakan pengklasifikasi: pernyataan');
    expect(reminder.text).toContain(STATEMENT);
    // the case settled at once has no triage clock
    expect(events(settled.id).some((t) => t.includes('received@'))).toBe(false);
  });

  it('the desk settles a triage case by replying to the reminder: #aduan forwards it; the guessed division cannot be bypassed by others', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const { kase } = send('+6281200000001', COMPLAINT);
    expect(kase).toMatchObject({ status: 'triage', divisionId: 'komisi-c' });
    const reminderRow = () => db.select().from(outbox).where(like(outbox.id, `${kase.number}.reminder-%`)).get();
    for (let day = 1; day <= 5 && !reminderRow(); day++) runSweeps({ db, config, outboundChannels }, new Date(Date.parse('2026-03-01T08:00:00Z') + day * 86_400_000));
    const reminder = reminderRow()!.payload as { messageId: string; text: string; replyTo: string };
    expect(reminder.text).toContain('#aduan, #pertanyaan, #bukan-aduan atau #spam');
    let n = 0;
    const reply = (from: string, text: string) => {
      const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: `<r${++n}@dprd.test>`, receivedAt: '2026-03-05T08:00:00Z',
        sender: { email: from }, subject: `Re: [${kase.number}] Pengingat`, text, thread: { inReplyTo: reminder.messageId }, meta: { to: [reminder.replyTo] } });
      return recordInbound({ db, config, understander: createUnderstander(config), outboundChannels }, message, ingestId('email-test', message.externalId));
    };
    expect(['#ADUAN', '#pertanyaan', '#spam bukan'].map((t) => parseStaffReply(t))).toEqual([
      { command: { kind: 'pilah', label: 'complaint' } }, { command: { kind: 'pilah', label: 'question' } }, { command: { kind: 'pilah', label: 'spam' } }]);
    // someone outside the desk and the division: recorded as a note, nothing moves
    expect(reply('warga.lain@example.org', '#aduan').relation).toBe('reply');
    expect(getCaseByNumber(db, kase.number)!.status).toBe('triage');
    // the desk (default division, Humas) settles it
    expect(reply('humas@localhost', '#aduan\n\n> Pengingat: ...').relation).toBe('reply');
    expect(getCaseByNumber(db, kase.number)).toMatchObject({ status: 'received', kind: 'complaint' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).all()).toHaveLength(1);
    const ev = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'classified')!;
    expect(ev).toMatchObject({ actorType: 'division', actor: 'humas@localhost', fromStatus: 'triage', toStatus: 'received' });
    const confirm = db.select().from(outbox).where(like(outbox.id, `${kase.number}.confirm-%`)).get()!.payload as { to: string[]; subject: string; text: string };
    expect(confirm).toMatchObject({ to: ['humas@localhost'], subject: `[${kase.number}] Perintah #aduan diterima` });
    expect(confirm.text).toContain('dipilah sebagai aduan');
    // once settled the case is Komisi C's: the desk's commands no longer move it
    reply('humas@localhost', '#spam');
    expect(getCaseByNumber(db, kase.number)!.status).toBe('received');
  });

  it('the desk settles a triage case and sends it to another division in one reply (#aduan komisi-a); a wrong id changes nothing and says why', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const { kase } = send('+6281200000001', COMPLAINT);
    expect(kase.divisionId).toBe('komisi-c');
    const notice = db.select().from(outbox).where(eq(outbox.id, `${kase.number}.triage`)).get()!.payload as { messageId: string; text: string; replyTo: string };
    expect(notice.text).toContain('#aduan komisi-a');
    let n = 0;
    const reply = (text: string) => {
      const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: `<d${++n}@dprd.test>`, receivedAt: '2026-03-01T09:00:00Z',
        sender: { email: 'humas@localhost' }, subject: `Re: [${kase.number}] Perlu dipilah`, text, thread: { inReplyTo: notice.messageId }, meta: { to: [notice.replyTo] } });
      recordInbound({ db, config, understander: createUnderstander(config), outboundChannels }, message, ingestId('email-test', message.externalId));
    };
    const mails = (prefix: string) => db.select().from(outbox).where(like(outbox.id, `${kase.number}.${prefix}%`)).all().map((o) => o.payload as { to: string[]; text: string });
    reply('#aduan komisi-x\n\n> Pesan ...');
    expect(getCaseByNumber(db, kase.number)).toMatchObject({ status: 'triage', divisionId: 'komisi-c' });
    expect(mails('help-')[0]!.text).toContain('Perintah #aduan tidak dapat dijalankan: divisi "komisi-x" tidak dikenal; pilihan: komisi-a, komisi-b, komisi-c, komisi-d, humas.');
    reply('#aduan Komisi-A\nsudah dicek, ini urusan kependudukan');
    expect(getCaseByNumber(db, kase.number)).toMatchObject({ status: 'received', kind: 'complaint', divisionId: 'komisi-a' });
    expect(mails('forward')).toEqual([expect.objectContaining({ to: ['komisi-a@localhost'] })]);
    expect(mails('confirm-')[0]!.text).toContain('dipilah sebagai aduan (Diterima) dan diteruskan ke Komisi A (Pemerintahan)');
    const rerouted = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'rerouted')!;
    expect(rerouted).toMatchObject({ actor: 'humas@localhost', data: { from: 'komisi-c', to: 'komisi-a' } });
    // the command takes a division only from its own line
    expect(parseStaffReply('#aduan\nkomisi-a')).toEqual({ command: { kind: 'pilah', label: 'complaint' } });
    expect(parseStaffReply('#pertanyaan komisi-b')).toEqual({ command: { kind: 'pilah', label: 'question', division: 'komisi-b' } });
  });

  it('a command refused half-way leaves nothing behind: #aduan komisi-a on a case already under corrective action', () => {
    const { db, config, outboundChannels, send } = setup();
    const deps = { db, config, outboundChannels };
    const { kase } = send('+6281200000001', COMPLAINT);
    officerCommand(deps, kase.number, { kind: 'kaji', note: '' }, 'petugas.budi');
    officerCommand(deps, kase.number, { kind: 'tindakan', cause: 'aspal tua', plan: 'tambal', owner: 'DPUPKP', due: null }, 'petugas.budi');
    const message = inboundMessageSchema.parse({ connectorId: 'email-test', channel: 'email', externalId: '<h1@dprd.test>', receivedAt: '2026-03-02T09:00:00Z',
      sender: { email: 'komisi-c@localhost' }, subject: `Re: [${kase.number}] Aduan`, text: '#aduan komisi-a', thread: { caseNumber: kase.number }, meta: { replyToken: kase.token } });
    recordInbound({ db, config, understander: createUnderstander(config), outboundChannels }, message, ingestId('email-test', message.externalId));
    expect(getCaseByNumber(db, kase.number)).toMatchObject({ status: 'action', divisionId: 'komisi-c' });
    const types = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().map((e) => e.type);
    expect(types).toContain('command_rejected');
    expect(types).not.toContain('rerouted');
  });

  it('re-routing a triage case only changes where it will go; re-routing a forwarded case forwards it there', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const deps = { db, config, outboundChannels };
    const { kase } = send('+6281200000001', COMPLAINT);
    const r = officerCommand(deps, kase.number, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    expect(r.kase).toMatchObject({ status: 'triage', divisionId: 'komisi-a' });
    expect(r.confirmation).toContain('akan diteruskan ke Komisi A (Pemerintahan) bila dipilah');
    expect(db.select().from(outbox).where(like(outbox.id, `${kase.number}.forward%`)).all()).toHaveLength(0);
    // settled: it goes where it was re-routed; the CLI can also name the division at once
    expect(officerClassify(deps, kase.number, 'complaint', 'petugas.budi')).toMatchObject({ status: 'received', divisionId: 'komisi-a' });
    const other = send('+6281200000002', COMPLAINT.replace('Kaliurang', 'Magelang')).kase;
    expect(() => officerClassify(deps, other.number, 'complaint', 'petugas.budi', 'komisi-z')).toThrow(/unknown division komisi-z/);
    expect(officerClassify(deps, other.number, 'question', 'petugas.budi', 'komisi-d')).toMatchObject({ status: 'received', kind: 'question', divisionId: 'komisi-d' });
    const to = (number: string) => db.select().from(outbox).where(like(outbox.id, `${number}.forward%`)).all().map((o) => (o.payload as { to: string[] }).to[0]);
    expect(to(kase.number)).toEqual(['komisi-a@localhost']);
    expect(to(other.number)).toEqual(['komisi-d@localhost']);
    // a case already with a division is forwarded again, to the new one
    officerCommand(deps, kase.number, { kind: 'alihkan', division: 'komisi-b' }, 'petugas.budi');
    expect(to(kase.number)).toEqual(['komisi-a@localhost', 'komisi-b@localhost']);
  });

  it('spam forwarded by mistake can still be marked spam by its division (#spam)', () => {
    const { db, config, outboundChannels, send } = setup();
    const { kase } = send('+6281200000001', COMPLAINT);
    db.update(cases).set({ status: 'forwarded' }).where(eq(cases.id, kase.id)).run(); // as the forward worker does once the mail is out
    const { kase: k, confirmation } = officerCommand({ db, config, outboundChannels }, kase.number, { kind: 'pilah', label: 'spam' }, 'komisi-c@dprd.test');
    expect(k).toMatchObject({ status: 'spam', kind: 'spam' });
    expect(confirmation).toBe(`${kase.number} dipilah sebagai spam (Spam).`);
  });

  it('a forwarded case called a statement, then a complaint again, is forwarded again (the first forward id is taken)', () => {
    const { db, config, outboundChannels, send } = setup();
    const { kase } = send('+6281200000001', COMPLAINT);
    db.update(cases).set({ status: 'forwarded' }).where(eq(cases.id, kase.id)).run(); // as the forward worker does once the mail is out
    const deps = { db, config, outboundChannels };
    officerCommand(deps, kase.number, { kind: 'bukan-aduan', note: '' }, 'komisi-c@dprd.test');
    expect(officerClassify(deps, kase.number, 'complaint', 'petugas.budi')).toMatchObject({ status: 'received', kind: 'complaint' });
    const forwards = db.select().from(outbox).where(like(outbox.id, `${kase.number}.forward%`)).all();
    expect(forwards.map((o) => o.id)).toEqual([`${kase.number}.forward`, expect.stringMatching(new RegExp(`^${kase.number}\\.forward-\\d+$`))]);
    const again = forwards[1]!.payload as { marksForwarded: boolean; messageId: string };
    expect(again.marksForwarded).toBe(true);
    expect(again.messageId).not.toBe((forwards[0]!.payload as { messageId: string }).messageId);
  });

  it('a message rescued from spam is forwarded and the citizen now gets the case number', () => {
    const { db, config, outboundChannels, send } = setup();
    const { kase, acks } = send('+6281200000009', SPAM);
    expect(kase.status).toBe('spam');
    expect(acks).toHaveLength(0);
    officerClassify({ db, config, outboundChannels }, kase.number, 'complaint', 'petugas.budi');
    const out = db.select().from(outbox).where(like(outbox.id, `${kase.number}.%`)).all();
    expect(out.map((o) => o.id)).toEqual(expect.arrayContaining([`${kase.number}.forward`, expect.stringMatching(/\.ack-\d+$/)]));
    const ack = out.find((o) => o.id.includes('.ack-'))!.payload as { text: string; to: { phone?: string } };
    expect(ack).toMatchObject({ to: { phone: '+6281200000009' } });
    expect(ack.text).toContain(`Nomor aduan: ${kase.number}`);
  });

  it.each([['the SQLite index', false], ['the in-memory index', true]])('a triage case a person settles as a complaint is found as a repeat afterwards (%s)', (_, inMemory) => {
    let triage = true;
    const { db, config, outboundChannels, send } = setup((u) => ({ ...u, understand: (...a) => {
      const x = u.understand(...a);
      return triage ? { ...x, kind: 'statement', triage: true } : x; // an unsure guess of "statement"
    } }));
    if (inMemory) loadRepeatIndexNow(db, 64);
    const first = send('+6281200000001', COMPLAINT).kase;
    expect(first).toMatchObject({ status: 'triage', kind: 'statement' });
    triage = false;
    // another complaint in between: its lookup makes the memory copy catch up while the first case is still a statement
    expect(send('+6281200000003', 'Lampu jalan di Jl. Magelang mati total sejak tiga hari, mohon segera diperbaiki.').kase.kind).toBe('complaint');
    officerClassify({ db, config, outboundChannels }, first.number, 'complaint', 'petugas.budi');
    const again = send('+6281200000002', `${COMPLAINT} Tolong!`).kase;
    expect(again.relatedToCaseId).toBe(first.id);
  });

  it('settled as spam: recorded as spam, nothing forwarded', () => {
    const { db, config, outboundChannels, send } = setup(unsure);
    const { kase } = send('+6281200000001', SPAM);
    expect(officerClassify({ db, config, outboundChannels }, kase.number, 'spam', 'petugas.budi')).toMatchObject({ status: 'spam', kind: 'spam' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).all()).toHaveLength(0);
  });

  it('spam must be surer than other labels: below classifier.spamTriageBelow it waits for a human', () => {
    const text = 'Aku dapet kode promo Go-Jek 50%, mau aku pesenin sekalian?';
    // complaintDoubtAbove off: this text may also be a complaint, the next test's rule
    const at = (spamTriageBelow: number) => createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { spamTriageBelow, complaintDoubtAbove: 1 } })).analyze(text);
    const { classification: c } = at(0);
    expect(c.label).toBe('spam'); // a personal message the model reads as spam: the case this setting is for
    expect(c.confidence).toBeGreaterThan(0.55);
    expect(at(0).triage).toBe(false);
    expect(at(Math.min(1, c.confidence + 0.01)).triage).toBe(true);
    expect(at(Math.max(0, c.confidence - 0.01)).triage).toBe(false);
    // the default sends it to triage; a sure spam is still settled alone
    expect(createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { complaintDoubtAbove: 1 } })).analyze(text).triage).toBe(c.confidence < 0.9);
    expect(createAnalyzer(testConfig({ divisions: loadDivisions() })).analyze(SPAM).triage).toBe(false);
  });

  it('a confident statement that may still be a complaint (classifier.complaintDoubtAbove) waits for a person, who can forward it', () => {
    const { db, config, outboundChannels, send } = setup();
    const { kase, forward, acks } = send('+6281200000001', SUGGESTION);
    expect(kase).toMatchObject({ status: 'triage', kind: 'statement' });
    expect(forward).toHaveLength(0);
    expect(acks.map(ackText)).toEqual([expect.stringContaining(kase.number)]);
    const received = db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).all().find((e) => e.type === 'received')!;
    expect(received.text).toMatch(/Perlu dipilah petugas: tebakan pernyataan, keyakinan 0\.[5-9]\d, tetapi peluang aduan 0\.[1-4]\d \(classifier\.complaintDoubtAbove 0\.1\)/);
    expect(received.data).toMatchObject({ triage: 'maybe-complaint', label: 'statement' });
    expect(officerClassify({ db, config, outboundChannels }, kase.number, 'complaint', 'petugas.budi')).toMatchObject({ status: 'received', kind: 'complaint' });
    expect(db.select().from(outbox).where(eq(outbox.id, `${kase.number}.forward`)).all()).toHaveLength(1);
    // turned off (1), the same message is thanked and settled; a plain thank-you never needs a person
    expect(setup(undefined, { auditShare: 0, complaintDoubtAbove: 1 }).send('+6281200000002', SUGGESTION).kase.status).toBe('statement');
    expect(send('+6281200000003', STATEMENT).kase.status).toBe('statement');
  });

  it('a message waiting in triage sent again is the same case: the citizen gets its number, the desk no second notice', () => {
    const { db, send } = setup();
    const first = send('+6281200000001', SUGGESTION);
    expect(first.kase.status).toBe('triage');
    // (minutes later: a panic repeat seconds after is recorded without an answer, as the SMS channel folds it)
    const again = send('+6281200000001', SUGGESTION, 10);
    expect(again.kase.number).toBe(first.kase.number);
    expect(again.acks.map(ackText)).toContain(`Aduan ini sudah tercatat dengan nomor aduan ${first.kase.number} dan sedang kami tindak lanjuti. Anda tidak perlu mengirimnya lagi. Terima kasih.`);
    expect(listCases(db, { status: 'triage' })).toHaveLength(1);
    expect(db.select().from(outbox).where(like(outbox.id, '%.triage')).all()).toHaveLength(1);
    // from someone else: a new case, linked to the first as a recurring report
    const other = send('+6281200000002', SUGGESTION).kase;
    expect(other.number).not.toBe(first.kase.number);
    expect(other.relatedToCaseId).toBe(first.kase.id);
  });

  it('the analyzer asks a person about a statement exactly from its complaint probability classifier.complaintDoubtAbove on', () => {
    const at = (complaintDoubtAbove: number) => createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { complaintDoubtAbove } })).analyze(SUGGESTION);
    const { classification: c } = at(1);
    const pc = c.probabilities['complaint']!;
    expect(c.label).toBe('statement');
    expect(c.confidence).toBeGreaterThan(0.55); // confident: only this rule sends it to a person
    expect(at(pc)).toMatchObject({ triage: true, triageReason: 'maybe-complaint' });
    expect(at(Math.min(1, pc + 0.01))).toMatchObject({ triage: false });
    expect(at(1).triageReason).toBeUndefined();
  });

  it('a sample of confident statements and spam (classifier.auditShare) goes to a person anyway; complaints do not need it', () => {
    const all = setup(undefined, { auditShare: 1 });
    expect(all.send('+6281200000001', STATEMENT).kase.status).toBe('triage');
    expect(all.send('+6281200000002', SPAM).kase.status).toBe('triage');
    expect(all.send('+6281200000003', COMPLAINT).kase.status).toBe('received');
    const received = all.db.select().from(caseEvents).where(eq(caseEvents.type, 'received')).all()[0]!;
    expect(received.text).toMatch(/Perlu dipilah petugas: tebakan pernyataan, keyakinan [\d.]+; sampel pemeriksaan \(classifier\.auditShare\)/);
    // the default 5 %: chosen by message id, about one in twenty
    const some = setup(undefined, {});
    const statuses = Array.from({ length: 400 }, (_, i) => some.send(`+62812${String(i).padStart(7, '0')}`, STATEMENT).kase.status);
    const sampled = statuses.filter((s) => s === 'triage').length;
    expect(sampled).toBeGreaterThan(8);
    expect(sampled).toBeLessThan(36);
    expect(statuses.filter((s) => s === 'statement').length).toBe(400 - sampled);
  });

  it('the analyzer asks for triage exactly below classifier.triageBelow', () => {
    const text = 'jalan';
    const c = createAnalyzer(testConfig({ divisions: loadDivisions() })).analyze(text).classification.confidence;
    expect(c).toBeLessThan(1);
    const at = (triageBelow: number) => createAnalyzer(testConfig({ divisions: loadDivisions(), classifier: { triageBelow } })).analyze(text).triage;
    expect(at(Math.min(1, c + 0.01))).toBe(true);
    expect(at(Math.max(0, c - 0.01))).toBe(false);
  });
});
