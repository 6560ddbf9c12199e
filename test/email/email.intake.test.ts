import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapClient, startDovecot, type TestDovecot } from '../helpers/dovecot.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { listCases } from '../../core/repo/cases.repo.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
let dovecot: TestDovecot;
let h: Harness;
let admin: ImapFlow;
let caseNumber = '';

beforeAll(async () => {
  dovecot = await startDovecot();
  h = await startHarness({
    channels: [{
      id: 'email-flow', type: 'email', address: 'aduan@dprd.test',
      imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
      reconnect: { minMs: 100, maxMs: 1_000 },
    }],
    escalation: { address: 'sekwan@dprd.test' },
  });
  h.startIntake();
  const c = await h.startConnector('email-flow');
  await waitFor(async () => (await c.instance.health()).ok, 10_000);
  admin = await imapClient(dovecot);
});

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await h?.stop();
  await dovecot?.dispose();
});

interface Row { external_id: string; relation: string; case_id: number | null; text: string }
const rows = (): Row[] => h.db.$client.prepare('SELECT external_id, relation, case_id, text FROM messages WHERE connector_id = ? ORDER BY id').all('email-flow') as Row[];
const rowOf = (externalId: string): Row | undefined => rows().find((r) => r.external_id === externalId);
const outboxIds = (): string[] => (h.db.$client.prepare('SELECT id FROM outbox ORDER BY id').all() as { id: string }[]).map((r) => r.id);

/** A fixture re-addressed to this test's gateway (dprd.test) and to the case the first mail opened. */
function fixture(name: string, replace: Record<string, string> = {}): string {
  let text = readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('dprd.example.go.id', 'dprd.test').replaceAll('ADU-2026-000042', caseNumber);
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return text.replace(/\r?\n/g, '\r\n');
}

async function arrives(raw: string, externalId: string): Promise<Row> {
  await admin.append('INBOX', raw);
  await waitFor(() => rowOf(externalId) !== undefined, 15_000);
  return rowOf(externalId)!;
}

describe('e-mail through the intake worker: threading and loop safety', () => {
  it('opens a case for a citizen mail and writes a threaded acknowledgement to the outbox', async () => {
    const row = await arrives(fixture('multipart-alternative.eml'), '<CAF1234.alt@mail.example.net>');
    expect(row.relation).toBe('new');
    const cases = listCases(h.db);
    expect(cases).toHaveLength(1);
    caseNumber = cases[0]!.number;
    const ack = h.db.$client.prepare('SELECT payload FROM outbox WHERE id = ?').get(`${caseNumber}.ack`) as { payload: string } | undefined;
    expect(ack).toBeDefined();
    const payload = JSON.parse(ack!.payload) as { to: string[]; inReplyTo?: string; headers: Record<string, string> };
    expect(payload.to).toEqual(['budi.santoso@example.net']);
    expect(payload.inReplyTo).toBe('<CAF1234.alt@mail.example.net>');
    expect(payload.headers['Auto-Submitted']).toBe('auto-replied');
  });

  it('attaches a reply to our acknowledgement to the existing case (trimmed text), not a new case', async () => {
    const before = outboxIds();
    const row = await arrives(fixture('reply-in-thread.eml'), '<CAF5678.reply@mail.example.net>');
    expect(row.relation).toBe('reply');
    expect(row.case_id).toBe(rowOf('<CAF1234.alt@mail.example.net>')!.case_id);
    expect(row.text).toBe('Lubangnya sekarang makin besar, tadi pagi ada mobil terperosok.');
    expect(listCases(h.db)).toHaveLength(1);
    // no second forward or acknowledgement: the division gets what the citizen added, the citizen an
    // answer saying it is recorded and where the case stands
    const added = outboxIds().filter((id) => !before.includes(id));
    expect(added).toEqual([expect.stringMatching(new RegExp(`^${caseNumber}\\.added-[0-9a-f]{12}$`)), expect.stringMatching(new RegExp(`^${caseNumber}\\.noted-\\d+$`))]);
  });

  it('records an out-of-office reply on the case but never answers or forwards it', async () => {
    const before = outboxIds().length;
    const row = await arrives(fixture('auto-reply.eml'), '<oof-0001@example.com>');
    expect(row.relation).toBe('ignored');
    expect(row.case_id).toBe(rowOf('<CAF1234.alt@mail.example.net>')!.case_id);
    expect(listCases(h.db)).toHaveLength(1);
    expect(outboxIds()).toHaveLength(before);
  });

  it('links a hard bounce of our acknowledgement to the case and stops mailing that address', async () => {
    const before = outboxIds().length;
    const row = await arrives(fixture('bounce.eml', { 'salah.alamat@example.net': 'budi.santoso@example.net' }), '<20261109050500.ABC123@mx.dprd.test>');
    expect(row.relation).toBe('ignored');
    expect(row.case_id).toBe(rowOf('<CAF1234.alt@mail.example.net>')!.case_id);
    expect(outboxIds()).toHaveLength(before);
    const contact = h.db.$client.prepare('SELECT do_not_contact_until FROM contacts WHERE email = ?').get('budi.santoso@example.net') as { do_not_contact_until: string | null };
    expect(contact.do_not_contact_until).not.toBeNull();
    expect(Date.parse(contact.do_not_contact_until!)).toBeGreaterThan(Date.now() + 20 * 86_400_000);
  });

  it('a hard bounce of our forward from the division\'s inbox is on the case\'s record, and the secretariat is told how to send it again', async () => {
    const kase = h.db.$client.prepare('SELECT id, division_id FROM cases WHERE number = ?').get(caseNumber) as { id: number; division_id: string };
    const inbox = h.config.divisions.find((d) => d.id === kase.division_id)!.inbox as string;
    const row = await arrives(fixture('bounce.eml', { 'salah.alamat@example.net': inbox, [`${caseNumber}.ack@`]: `${caseNumber}.forward@`, '20261109050500.ABC123': '20261109051500.DEF456' }), '<20261109051500.DEF456@mx.dprd.test>');
    expect(row.relation).toBe('ignored');
    const event = h.db.$client.prepare("SELECT text FROM case_events WHERE case_id = ? AND type = 'staff_mail_bounced'").get(kase.id) as { text: string } | undefined;
    expect(event?.text).toContain(`${inbox}) ditolak server penerima (status 5.1.1)`);
    await waitFor(() => outboxIds().includes(`${caseNumber}.bounce-forward`));
    const notice = h.db.$client.prepare('SELECT payload FROM outbox WHERE id = ?').get(`${caseNumber}.bounce-forward`) as { payload: string };
    const mail = JSON.parse(notice.payload) as { to: string[]; text: string };
    expect(mail.to).toEqual(['sekwan@dprd.test']);
    expect(mail.text).toContain(`aduan cases update ${caseNumber} --status received`);
  });

  it('a hard bounce of the monthly report (no case) tells the secretariat to correct report.mailTo, once; a bounce of that notice tells nobody', async () => {
    const report = fixture('bounce.eml', { 'salah.alamat@example.net': 'laporan@salah.example', [`<${caseNumber}.ack@`]: '<LAPORAN-2026-10.monthly@', '20261109050500.ABC123': '20261109052000.REP001' });
    const row = await arrives(report, '<20261109052000.REP001@mx.dprd.test>');
    expect(row.relation).toBe('ignored');
    expect(row.case_id).toBeNull();
    await waitFor(() => outboxIds().includes('mailbounce.LAPORAN-2026-10.monthly'));
    const notice = JSON.parse((h.db.$client.prepare('SELECT payload FROM outbox WHERE id = ?').get('mailbounce.LAPORAN-2026-10.monthly') as { payload: string }).payload) as { to: string[]; subject: string; text: string; messageId: string };
    expect(notice.to).toEqual(['sekwan@dprd.test']);
    expect(notice.subject).toBe('Mail Aduan tidak sampai: laporan bulanan 2026-10');
    expect(notice.text).toContain('Mail laporan bulanan 2026-10 ke laporan@salah.example ditolak server penerima (status 5.1.1)');
    expect(notice.text).toContain('report.mailTo');
    // the notice bounces too (a wrong escalation.address): no notice of the notice
    const before = outboxIds().length;
    await arrives(fixture('bounce.eml', { 'salah.alamat@example.net': 'sekwan@dprd.test', [`<${caseNumber}.ack@`]: notice.messageId.replace(/@.*$/, '@'), '20261109050500.ABC123': '20261109052500.REP002' }), '<20261109052500.REP002@mx.dprd.test>');
    expect(outboxIds()).toHaveLength(before);
  });

  it('attaches a new mail naming the case number in its subject from the case\'s own contact; a stranger naming it gets no access', async () => {
    const own = await arrives([
      'From: Budi Santoso <budi.santoso@example.net>', 'To: aduan@dprd.test', `Subject: Tambahan untuk ${caseNumber}`,
      'Message-ID: <subject-thread-1@example.net>', 'Content-Type: text/plain; charset=utf-8', '', 'Lubangnya sudah ditandai warga dengan ban bekas.', '',
    ].join('\r\n'), '<subject-thread-1@example.net>');
    expect(own.relation).toBe('reply');
    expect(own.case_id).toBe(rowOf('<CAF1234.alt@mail.example.net>')!.case_id);
    const stranger = await arrives([
      'From: Orang Lain <orang.lain@example.org>', 'To: aduan@dprd.test', `Subject: Soal ${caseNumber}`,
      'Message-ID: <subject-thread-2@example.org>', 'Content-Type: text/plain; charset=utf-8', '', 'Selokan di depan rumah saya mampet dan berbau.', '',
    ].join('\r\n'), '<subject-thread-2@example.org>');
    expect(stranger.relation).not.toBe('reply');
    expect(stranger.case_id).not.toBe(own.case_id);
  });

  it('records a reply from the division\'s inbox (Outlook, plus-addressed with the case token) as a staff note; a forged token is refused', async () => {
    const kase = h.db.$client.prepare('SELECT id, division_id, token FROM cases WHERE number = ?').get(caseNumber) as { id: number; division_id: string; token: string };
    const division = h.config.divisions.find((d) => d.id === kase.division_id)!;
    const inbox = Array.isArray(division.inbox) ? division.inbox[0]! : division.inbox;
    const row = await arrives(fixture('outlook-reply.eml', { 'komisi-c@dprd.test': inbox, tok123: kase.token }), '<outlook-0001@dprd.test>');
    expect(row.relation).toBe('reply');
    expect(row.case_id).toBe(kase.id);
    expect(row.text).toBe('Sudah kami jadwalkan peninjauan hari Kamis.');
    const events = (): { type: string; actor_type: string; text: string }[] =>
      h.db.$client.prepare('SELECT type, actor_type, text FROM case_events WHERE case_id = ? ORDER BY id').all(kase.id) as { type: string; actor_type: string; text: string }[];
    expect(events().filter((e) => e.type === 'staff_note')).toEqual([{ type: 'staff_note', actor_type: 'division', text: 'Sudah kami jadwalkan peninjauan hari Kamis.' }]);
    const forged = await arrives(fixture('outlook-reply.eml', { 'komisi-c@dprd.test': inbox, '<outlook-0001@': '<outlook-0002@' }), '<outlook-0002@dprd.test>');
    expect(forged.case_id).toBe(kase.id);
    expect(events().some((e) => e.type === 'forged_token_refused')).toBe(true);
  });

  it('records our own mail coming back and list mail without opening cases', async () => {
    const casesBefore = listCases(h.db).length;
    const own = await arrives(fixture('own-mail.eml'), '<ADU-2026-000050.ack@dprd.test>');
    expect(own.relation).toBe('ignored');
    const list = await arrives(fixture('list-mail.eml'), '<list-0001@news.example.com>');
    expect(list.relation).toBe('ignored');
    expect(listCases(h.db)).toHaveLength(casesBefore);
  });
});
