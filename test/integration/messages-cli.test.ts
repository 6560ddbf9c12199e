/**
 * `aduan messages`: the messages recorded on no case (a question about a case the sender has none of —
 * relation `unmatched` —, auto-replies — `ignored`), which no other listing shows; and their count in
 * `aduan status`. For the desk told "I asked about my report and got 'nomor tidak ditemukan'".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { resolveContact } from '../../core/repo/contacts.repo.ts';
import { caselessCounts, caselessMessages, insertMessage } from '../../core/repo/messages.repo.ts';
import { inboundMessageSchema } from '../../core/message.ts';
import { cliFixture } from '../helpers/cli.ts';
import { planOf, prepared } from '../helpers/sql.ts';

const fx = cliFixture('aduan-messages-');
afterAll(fx.dispose);
// recorded minutes ago, and one two days ago (--since, and the 24 hours of `aduan status`)
const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const LONG = `gimana laporan saya ${'x'.repeat(200)}`;
const db = openDb(fx.db);
db.transaction((tx) => {
  const siti = resolveContact(tx, { phone: '+6281234567890' }, ago(3000), 'sms');
  const budi = resolveContact(tx, { email: 'budi@example.org' }, ago(3000), 'email');
  const tg = resolveContact(tx, { telegramChatId: '5550001' }, ago(3000), 'telegram');
  const kase = insertCase(tx, { number: 'ADU-2026-000001', status: 'forwarded', kind: 'complaint', divisionId: 'humas', contactId: budi.id, channel: 'email', connectorId: 'mail',
    subject: null, summary: 'lampu mati', relatedToCaseId: null, now: ago(3000) });
  let n = 0;
  const add = (connectorId: string, channel: string, contactId: number, caseId: number | null, relation: string, text: string, at: string, subject?: string) => {
    n++;
    const message = inboundMessageSchema.parse({ connectorId, channel, externalId: `x${n}`, receivedAt: at, sender: {}, text, ...(subject ? { subject } : {}) });
    insertMessage(tx, { ingestId: `i${n}`, message, contactId, caseId, relation, recordedAt: at });
  };
  add('sms-gammu', 'sms', siti.id, null, 'unmatched', 'status ADU-2026-000099', ago(2880));
  add('mail', 'email', budi.id, kase.id, 'new', 'lampu mati', ago(2000));
  add('mail', 'email', budi.id, kase.id, 'ignored', 'Out of office', ago(100));
  add('mail', 'email', budi.id, null, 'ignored', 'Saya sedang cuti', ago(30), 'Cuti');
  add('tg', 'telegram', tg.id, null, 'unmatched', LONG, ago(20));
  add('sms-gammu', 'sms', siti.id, null, 'unmatched', 'cek aduan ADU-2026-000098 pak', ago(10));
});
// (the plans of the queries: the caseless messages through messages_case_idx, never every message)
const plans = prepared(db, () => {
  caselessMessages(db, { relations: ['unmatched'], since: ago(60), limit: 10 });
  caselessCounts(db, ago(60));
}).map((q) => planOf(db, q).join('\n'));
closeDb(db);

const run = (...args: string[]) => fx.run('messages', ...args);

describe('aduan messages', () => {
  it('lists the questions answered "tidak ditemukan" (--unmatched), newest first: time, channel, masked sender, the first 100 characters, relation', () => {
    const r = run('--unmatched');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}sms-gammu +\*\*\*890 +unmatched +cek aduan ADU-2026-000098 pak$/);
    expect(lines[1]).toMatch(/tg +telegram \*\*\*001 +unmatched +gimana laporan saya x+…$/);
    expect(lines[1]).toContain(`${LONG.slice(0, 100)}…`);
    expect(lines[1]).not.toContain(LONG.slice(0, 101));
    expect(lines[2]).toMatch(/sms-gammu +\*\*\*890 +unmatched +status ADU-2026-000099$/);
    expect(lines[3]).toBe('3 message(s) recorded without a case (unmatched; times in Asia/Jakarta)');
    // no full phone number, no e-mail address
    expect(r.stdout).not.toContain('6281234567890');
    // the sender's own, by the phone as the desk types it
    expect(run('--unmatched', '--phone', '0812-3456-7890').stdout.trim().split('\n')).toHaveLength(3);
    expect(run('--unmatched', '--phone', '081299999999').stdout).toContain('no unmatched message recorded without a case');
  }, 60_000);

  it('without a flag both kinds (an auto-reply in a case\'s thread is on that case, not here); --since a day or a time; --json', () => {
    const all = run();
    expect(all.stdout).toMatch(/mail +b\*\*\*@example\.org +ignored +Cuti \| Saya sedang cuti/);
    expect(all.stdout).not.toContain('Out of office');
    expect(all.stdout.trim().split('\n').at(-1)).toMatch(/^4 message\(s\) recorded without a case \(unmatched or ignored/);
    expect(run('--ignored').stdout.trim().split('\n')).toHaveLength(2);
    // since an hour ago: not the question of two days ago
    const recent = JSON.parse(run('--unmatched', '--since', ago(60), '--json').stdout) as { relation: string; text: string; sender: string; channel: string; recordedAt: string }[];
    expect(recent.map((m) => [m.channel, m.sender, m.text])).toEqual([['sms', '***890', 'cek aduan ADU-2026-000098 pak'], ['telegram', 'telegram ***001', LONG]]);
    // a day: from its local midnight (tomorrow: none yet)
    const tomorrow = new Date(now + 86_400_000).toISOString().slice(0, 10);
    expect(run('--since', tomorrow).stdout).toContain('no unmatched or ignored message recorded without a case since');
    const bad = run('--since', 'kemarin');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/"kemarin": a day as YYYY-MM-DD/);
    // the caseless messages are an index seek, not a scan of every message
    for (const p of plans) expect(p).toMatch(/USING INDEX messages_case_idx \(case_id=\?\)/);
  }, 60_000);

  it('aduan status counts them for the last 24 hours', () => {
    const r = fx.run('status');
    expect(r.stdout).toContain('recorded without a case (24 h): 2 unmatched, 1 ignored: aduan messages');
    const json = JSON.parse(fx.run('status', '--json').stdout) as { caseless: { unmatched: number; ignored: number } };
    expect(json.caseless).toMatchObject({ unmatched: 2, ignored: 1 });
  }, 60_000);
});
