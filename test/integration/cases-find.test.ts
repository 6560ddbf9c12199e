/**
 * `aduan cases find`: a citizen asks at the desk or on the phone after their reports without the case
 * number; the desk finds them by phone (as typed: 0812…), e-mail (any case), Telegram chat or part of the name.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase, listCases } from '../../core/repo/cases.repo.ts';
import { findContacts, resolveContact } from '../../core/repo/contacts.repo.ts';
import { cliFixture } from '../helpers/cli.ts';
import { planOf, prepared } from '../helpers/sql.ts';

const fx = cliFixture('aduan-cases-find-');
afterAll(fx.dispose);
const db = openDb(fx.db);
db.transaction((tx) => {
  const now = '2026-11-01T00:00:00.000Z';
  const siti = resolveContact(tx, { name: 'Siti Aminah', phone: '+6281234567890', email: 'siti@example.org' }, now, 'manual');
  const budi = resolveContact(tx, { name: 'Budi Santoso', phone: '+6281311112222' }, now, 'sms');
  const tg = resolveContact(tx, { name: 'Sri_Rahayu 100%', telegramChatId: '5550001' }, now, 'telegram');
  const add = (n: number, contactId: number, summary: string) => insertCase(tx, { number: `ADU-2026-${String(n).padStart(6, '0')}`, status: 'forwarded', kind: 'complaint', divisionId: 'humas',
    contactId, channel: 'web', connectorId: 'web', subject: null, summary, relatedToCaseId: null, now: new Date(Date.UTC(2026, 10, n)).toISOString() });
  add(1, siti.id, 'lampu PJU mati di gang Mawar');
  add(2, budi.id, 'sampah menumpuk di pasar');
  add(3, siti.id, 'saluran mampet di Tegalrejo');
  add(4, tg.id, 'jalan berlubang');
});
// (the plans of the queries the command makes: a phone is an index seek, and so are a citizen's cases)
const plans = [...prepared(db, () => findContacts(db, { phone: '+6281234567890' })), ...prepared(db, () => listCases(db, { contactIds: [1], limit: 10 }))]
  .map((q) => planOf(db, q).join('\n'));
closeDb(db);

const run = (...args: string[]) => fx.run('cases', 'find', ...args);
const numbers = (out: string) => [...out.matchAll(/ADU-2026-\d{6}/g)].map((m) => m[0]);

describe('aduan cases find', () => {
  it('finds a citizen\'s cases, newest first, by the phone as the desk types it, the e-mail in any case, the Telegram chat, or part of the name', () => {
    const byPhone = run('--phone', '0812-3456-7890');
    expect(byPhone.status).toBe(0);
    expect(byPhone.stdout).toContain('Siti Aminah / +6281234567890 / siti@example.org: 2 case(s)');
    expect(numbers(byPhone.stdout)).toEqual(['ADU-2026-000003', 'ADU-2026-000001']);
    expect(numbers(run('--email', 'Siti@Example.ORG').stdout)).toEqual(['ADU-2026-000003', 'ADU-2026-000001']);
    expect(numbers(run('--telegram', '5550001').stdout)).toEqual(['ADU-2026-000004']);
    // a part of the name, any case; LIKE's wildcards in a name are letters
    expect(numbers(run('--name', 'santo').stdout)).toEqual(['ADU-2026-000002']);
    expect(numbers(run('--name', 'yu 100%').stdout)).toEqual(['ADU-2026-000004']);
    expect(run('--name', 'a_m').stdout).toContain('no citizen with these details');
    // criteria together must all match
    expect(run('--phone', '081234567890', '--name', 'budi').stdout).toContain('no citizen with these details');
    const json = JSON.parse(run('--phone', '+6281311112222', '--json').stdout) as { contact: { name: string }; cases: { number: string }[] }[];
    expect(json.map((f) => [f.contact.name, f.cases.map((c) => c.number)])).toEqual([['Budi Santoso', ['ADU-2026-000002']]]);
    // the phone is an index seek, not a scan of every citizen, and so are their cases
    expect(plans[0]).toMatch(/SEARCH contacts USING INDEX contacts_phone_idx/);
    expect(plans.at(-1)).toMatch(/SEARCH cases USING INDEX cases_contact_idx/);
  }, 60_000);

  it('says what to give when nothing or something unusable is given', () => {
    const none = run();
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/give --phone, --email, --telegram or --name/);
    expect(run('--phone', 'abc').stderr).toMatch(/"abc" is no phone number/);
    expect(run('--name', 'si').stderr).toMatch(/at least 3 letters/);
  }, 60_000);
});
