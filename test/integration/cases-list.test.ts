/**
 * `aduan cases list` on a history of years shows a page (the newest --limit cases, default 1000) and says
 * how many there are: "showing the newest 1000 of 1000000 case(s)", not a bare "1000 case(s)".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { insertCase } from '../../core/repo/cases.repo.ts';
import { cliFixture } from '../helpers/cli.ts';

const fx = cliFixture('aduan-cases-list-');
afterAll(fx.dispose);
const db = openDb(fx.db);
db.transaction((tx) => {
  for (let i = 1; i <= 5; i++) {
    insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: i <= 3 ? 'triage' : 'forwarded', kind: i === 2 ? 'statement' : 'complaint', divisionId: 'humas', contactId: null,
      channel: 'web', connectorId: 'web', subject: null, summary: `aduan ${i}`, relatedToCaseId: null, now: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
  }
});
closeDb(db);

const run = (...args: string[]) => fx.run('cases', 'list', ...args);

describe('aduan cases list on a long history', () => {
  it('says how many cases there are beyond the page shown', () => {
    const page = run('--limit', '2');
    expect(page.status).toBe(0);
    expect(page.stdout.trim().split('\n').slice(0, 2).map((l) => l.split(' ')[0])).toEqual(['ADU-2026-000005', 'ADU-2026-000004']);
    expect(page.last).toBe('showing the newest 2 of 5 case(s); --limit <n> shows more');
    expect(run('--status', 'triage', '--limit', '2').last).toBe('showing the newest 2 of 3 case(s) in triage; --limit <n> shows more');
    // all of them fit: the count alone
    expect(run('--limit', '5').last).toBe('5 case(s)');
    expect(run('--status', 'triage').last).toBe('3 case(s) in triage');
  }, 60_000);

  it('--json keeps stdout a JSON array; the note goes to stderr', () => {
    const r = run('--json', '--limit', '2');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { number: string }[]).map((c) => c.number)).toEqual(['ADU-2026-000005', 'ADU-2026-000004']);
    expect(r.stderr.trim()).toBe('showing the newest 2 of 5 case(s); --limit <n> shows more');
    expect(run('--json').stderr).toBe('');
  }, 60_000);

  it('--division and --kind show only the cases that match all given, and say so; an unknown one names what there is', () => {
    const r = run('--kind', 'statement');
    expect(r.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['ADU-2026-000002', '1']);
    expect(r.last).toBe('1 case(s) of kind statement');
    expect(run('--division', 'humas', '--status', 'triage', '--kind', 'complaint', '--limit', '1').last)
      .toBe('showing the newest 1 of 2 case(s) in triage at humas of kind complaint; --limit <n> shows more');
    expect(run('--kind', 'spam').last).toBe('no cases of kind spam');
    const typo = run('--division', 'komisi-x');
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain('"komisi-x": one of humas (divisions[].id)');
    expect(run('--kind', 'aduan').stderr).toContain('"aduan": one of complaint, question, statement, spam');
  }, 60_000);
});
