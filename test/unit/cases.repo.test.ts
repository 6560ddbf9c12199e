/**
 * Case lookups that must not depend on how many cases exist: `cases show` / GET /admin/cases/<n>
 * of an old case in a database of more than a thousand, and the other reports of its problem.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { caseDetail, insertCase, listCases } from '../../core/repo/cases.repo.ts';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

function withCases(n: number): Db {
  const db = openDb(':memory:');
  dbs.push(db);
  db.transaction((tx) => {
    for (let i = 1; i <= n; i++) {
      insertCase(tx, { number: `ADU-2026-${String(i).padStart(6, '0')}`, status: 'forwarded', kind: 'complaint', divisionId: i % 2 ? 'komisi-c' : 'komisi-a', contactId: null,
        channel: 'web', connectorId: 'web', subject: null, summary: `aduan ${i}`, relatedToCaseId: i > 1 && i <= 4 ? 1 : null, now: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
    }
  });
  return db;
}

describe('case lookups', () => {
  it('shows an old case in a database of more than a thousand (the list behind it stops at 1000)', () => {
    const db = withCases(1205);
    expect(listCases(db)).toHaveLength(1000);
    const d = caseDetail(db, 'ADU-2026-000007')!;
    expect(d).toMatchObject({ number: 'ADU-2026-000007', status: 'forwarded', division: 'komisi-c', text: 'aduan 7', relatedTo: null });
    expect(listCases(db, { number: 'ADU-2026-000002' })).toMatchObject([{ number: 'ADU-2026-000002', relatedTo: 'ADU-2026-000001' }]);
  });

  it('names the other reports of the same problem, from the first report and from a linked one', () => {
    const db = withCases(6);
    expect(caseDetail(db, 'ADU-2026-000001')!.sameProblem).toEqual({ total: 3, reports: [
      { number: 'ADU-2026-000002', status: 'forwarded', division: 'komisi-a' },
      { number: 'ADU-2026-000003', status: 'forwarded', division: 'komisi-c' },
      { number: 'ADU-2026-000004', status: 'forwarded', division: 'komisi-a' }] });
    expect(caseDetail(db, 'ADU-2026-000003')!.sameProblem.reports.map((r) => r.number)).toEqual(['ADU-2026-000001', 'ADU-2026-000002', 'ADU-2026-000004']);
    expect(caseDetail(db, 'ADU-2026-000005')!.sameProblem).toEqual({ total: 0, reports: [] });
  });
});
