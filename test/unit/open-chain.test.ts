/**
 * The other open reports one answer moves with a case (openChainReports / countOpenChainReports): the SLA
 * sweep's reminder lists them, a shared #kaji/#tindakan/#selesai moves them, and a copy joining an open
 * report (intake, for every recurring message) looks up its holder. Which reports they are, in which
 * order, is pinned on a small database of several chains; and each such query reads the chain's open
 * reports through an index, never every case at a status (a history of years: 10^6 cases).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, runMigrations, type Db } from '../../core/db/client.ts';
import { answerGroupOf, countOpenChainReports, insertCase, openChainReports, type CaseRow } from '../../core/repo/cases.repo.ts';
import { forgetMigrationsFrom, planOf, prepared } from '../helpers/sql.ts';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

/** [status, division, related to (index into this list + 1, i.e. the case id), linked by problem] */
const SEED: [string, string, number | null, boolean][] = [
  /* 1 */ ['forwarded', 'a', null, false], // chain A's first report
  /* 2 */ ['in_review', 'a', 1, false],
  /* 3 */ ['forwarded', 'a', 1, true], // linked by problem: answered on its own
  /* 4 */ ['forwarded', 'b', 1, false], // re-routed: division b's
  /* 5 */ ['closed', 'a', 1, false],
  /* 6 */ ['reopened', 'a', 1, false],
  /* 7 */ ['received', 'a', 1, false],
  /* 8 */ ['triage', 'a', 1, false],
  /* 9 */ ['forwarded', 'a', 3, false], // a copy of 3's text: shares 3's answer
  /* 10 */ ['action', 'a', 3, false],
  /* 11 */ ['closed', 'a', null, false], // chain B's first report, answered
  /* 12 */ ['forwarded', 'a', 11, false],
  /* 13 */ ['action', 'a', 11, false],
  /* 14 */ ['forwarded', 'a', 11, true],
  /* 15 */ ['forwarded', 'a', 11, false],
  /* 16 */ ['forwarded', 'a', null, false], // unrelated
  /* 17 */ ['in_review', 'b', null, false],
  /* 18 */ ['forwarded', 'b', 17, false], // chain C, at division b
  /* 19 */ ['archived', 'b', 17, false],
  /* 20 */ ['in_review', 'b', 17, false],
  /* 21 */ ['received', 'a', 16, false],
];

function seeded(): { db: Db; all: CaseRow[] } {
  const db = openDb(':memory:');
  dbs.push(db);
  const all = db.transaction((tx) => SEED.map(([status, divisionId, relatedToCaseId, linkedByProblem], i) => insertCase(tx, {
    number: `ADU-2026-${String(i + 1).padStart(6, '0')}`, status, kind: 'complaint', divisionId, contactId: null, channel: 'web', connectorId: 'web',
    subject: null, summary: `aduan ${i + 1}`, relatedToCaseId, linkedByProblem, now: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  })));
  expect(all.map((c) => c.id)).toEqual(SEED.map((_, i) => i + 1));
  return { db, all };
}

const OPEN = ['forwarded', 'in_review', 'action', 'reopened'];
const STATUS_SETS: string[][] = [OPEN, ['received', ...OPEN], ['forwarded'], ['in_review'], ['forwarded', 'reopened'], ['forwarded', 'in_review', 'reopened'], ['closed'], []];

/** What the functions are documented to return: the answer group's reports at the case's division, in `statuses`, oldest first. */
function expected(all: CaseRow[], k: CaseRow, statuses: string[], limit?: number): number[] {
  const group = answerGroupOf(k);
  return all.filter((c) => (c.id === group || c.relatedToCaseId === group) && c.id !== k.id && c.divisionId === k.divisionId
    && statuses.includes(c.status) && (!c.linkedByProblem || c.id === group)).map((c) => c.id).sort((x, y) => x - y).slice(0, limit);
}

describe('the other open reports of a problem', () => {
  it('are the answer group\'s reports at the same division in the given statuses, oldest first', () => {
    const { db, all } = seeded();
    const ids = (k: CaseRow, statuses: string[], limit?: number) => openChainReports(db, k, statuses, limit === undefined ? {} : { limit }).map((c) => c.id);
    const byId = (id: number) => all[id - 1]!;
    // the first report: its text copies at its division, not the one linked by problem (3) nor the re-routed one (4)
    expect(ids(byId(1), OPEN)).toEqual([2, 6]);
    expect(ids(byId(1), ['received', ...OPEN], 1)).toEqual([2]);
    expect(ids(byId(1), ['received', ...OPEN])).toEqual([2, 6, 7]);
    expect(countOpenChainReports(db, byId(1), OPEN)).toBe(2);
    // a later copy: the first report and the other copies
    expect(ids(byId(6), OPEN)).toEqual([1, 2]);
    expect(ids(byId(7), ['received', ...OPEN])).toEqual([1, 2, 6]);
    // linked by problem: its own group (its text copies), not chain A
    expect(ids(byId(3), OPEN)).toEqual([9, 10]);
    expect(ids(byId(9), OPEN)).toEqual([3, 10]);
    expect(ids(byId(9), ['forwarded'])).toEqual([3]);
    // the re-routed report: alone at its division
    expect(ids(byId(4), OPEN)).toEqual([]);
    expect(countOpenChainReports(db, byId(4), OPEN)).toBe(0);
    // an answered first report is no longer among them; the copies still are
    expect(ids(byId(12), OPEN)).toEqual([13, 15]);
    expect(ids(byId(12), OPEN, 1)).toEqual([13]);
    expect(ids(byId(14), OPEN)).toEqual([]);
    expect(ids(byId(13), ['closed'])).toEqual([11]);
    expect(ids(byId(18), OPEN)).toEqual([17, 20]);
    expect(ids(byId(16), ['received'])).toEqual([21]);
    expect(ids(byId(16), [])).toEqual([]);
    // every case, every set of statuses, with and without a limit
    for (const k of all) {
      for (const statuses of STATUS_SETS) {
        for (const limit of [undefined, 1, 2, 10]) expect(ids(k, statuses, limit), `${k.id} ${statuses.join()} ${limit}`).toEqual(expected(all, k, statuses, limit));
        expect(countOpenChainReports(db, k, statuses), `${k.id} ${statuses.join()}`).toBe(expected(all, k, statuses).length);
      }
    }
  });

  it('are read through the chain\'s indexes — its first report and its linked reports at those statuses — not every case at a status', () => {
    const { db, all } = seeded();
    const seen = prepared(db, () => {
      for (const k of [all[0]!, all[5]!, all[8]!]) {
        for (const statuses of STATUS_SETS.filter((s) => s.length > 0)) {
          openChainReports(db, k, statuses);
          openChainReports(db, k, statuses, { limit: 1 });
          countOpenChainReports(db, k, statuses);
        }
      }
    });
    // (one statement per number of statuses, 1 to 5, and kind of call)
    expect(seen.length).toBeGreaterThanOrEqual(3 * 5);
    for (const source of seen) {
      const plan = planOf(db, source);
      const reads = plan.filter((d) => /^(SCAN|SEARCH) /.test(d));
      // (with one status, SQLite read every case at that status: SEARCH cases USING INDEX cases_status_idx (status=?))
      expect(reads, source).toEqual(['SEARCH cases USING INTEGER PRIMARY KEY (rowid=?)', 'SEARCH cases USING INDEX cases_related_status_idx (related_to_case_id=? AND status=?)']);
    }
  });

  it('migration 0010 (their index) can be applied again over itself: a process that waited while another applied it goes on', () => {
    const { db } = seeded();
    forgetMigrationsFrom(db, '0010_');
    expect(() => runMigrations(db)).not.toThrow();
    const indexes = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'cases_related%'").all() as { name: string }[]).map((r) => r.name).sort();
    expect(indexes).toEqual(['cases_related_idx', 'cases_related_status_idx']);
  });
});
