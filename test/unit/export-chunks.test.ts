/**
 * `aduan export` of a history of years (10^6 cases, millions of events) is written a chunk of cases at a
 * time: it read everything into one text first and ran out of memory after five minutes. The output is
 * the same JSON as before (JSON.stringify of all cases, indented by 2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { addEvent, insertCase } from '../../core/repo/cases.repo.ts';
import { EXPORT_CHUNK } from '../../core/repo/report.repo.ts';
import { exportCases, exportChunks, monthlyReport } from '../../core/report.ts';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

function history(n: number): Db {
  const db = openDb(':memory:');
  dbs.push(db);
  db.transaction((tx) => {
    for (let i = 1; i <= n; i++) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      const c = insertCase(tx, { number: `ADU-2025-${String(i).padStart(6, '0')}`, status: 'received', kind: 'complaint', divisionId: 'humas', contactId: null,
        channel: 'web', connectorId: 'web', subject: null, summary: `aduan "${i}"\nbaris dua\u2028baris tiga\u2029akhir`, relatedToCaseId: i > 1 ? 1 : null, now: at });
      addEvent(tx, { caseId: c.id, at, actorType: 'citizen', actor: 'web', type: 'received', toStatus: 'received' });
    }
  });
  return db;
}

describe('aduan export of a long history', () => {
  it('comes in chunks of cases, and the JSON is that of all cases at once', () => {
    const n = EXPORT_CHUNK * 2 + 7;
    const db = history(n);
    const pieces = [...exportChunks(db, undefined, undefined, 'json')];
    // one piece per chunk of cases, and the closing bracket
    expect(pieces).toHaveLength(4);
    const text = pieces.join('');
    const all = JSON.parse(text) as { number: string; relatedTo: string | null; events: { type: string }[] }[];
    expect(all).toHaveLength(n);
    expect(text).toBe(`${JSON.stringify(all, null, 2)}\n`);
    expect(all.map((c) => c.number)).toEqual(Array.from({ length: n }, (_, i) => `ADU-2025-${String(i + 1).padStart(6, '0')}`));
    expect(all[n - 1]).toMatchObject({ relatedTo: 'ADU-2025-000001', events: [{ type: 'received' }] });
    // the citizen's text as stored, line and paragraph separators included (a /^/m indent wrote spaces after them)
    expect((all[0] as unknown as { text: string }).text).toBe('aduan "1"\nbaris dua\u2028baris tiga\u2029akhir');
    expect(exportCases(db, undefined, undefined, 'json')).toBe(text);
    const csv = [...exportChunks(db, undefined, undefined, 'csv')];
    expect(csv).toHaveLength(4);
    expect(csv.join('').split('\n').filter((l) => l.startsWith('case,'))).toHaveLength(n);
  });

  it('an empty range is an empty array', () => {
    const db = history(3);
    expect(exportCases(db, '2030-01-01', '2030-01-31', 'json')).toBe('[]\n');
  });

  it('a day (--from/--to) and a month (aduan report) begin at midnight in the instance\'s timezone, not always in WIB', () => {
    const db = openDb(':memory:');
    dbs.push(db);
    // 22:30 WIB on 31 March is 00:30 on 1 April in Jayapura (WIT, UTC+9)
    db.transaction((tx) => insertCase(tx, { number: 'ADU-2026-000001', status: 'received', kind: 'complaint', divisionId: 'humas', contactId: null,
      channel: 'web', connectorId: 'web', subject: null, summary: 'x', relatedToCaseId: null, now: '2026-03-31T15:30:00.000Z' }));
    const count = (from: string, tz?: string) => (JSON.parse(exportCases(db, from, from, 'json', tz)) as unknown[]).length;
    expect([count('2026-03-31'), count('2026-04-01')]).toEqual([1, 0]);
    expect([count('2026-03-31', 'Asia/Jayapura'), count('2026-04-01', 'Asia/Jayapura')]).toEqual([0, 1]);
    const total = (month: string, tz: string) => /^cases\s+(\d+)/m.exec(monthlyReport(db, month, false, tz))?.[1];
    expect([total('2026-03', 'Asia/Jakarta'), total('2026-04', 'Asia/Jakarta')]).toEqual(['1', '0']);
    expect([total('2026-03', 'Asia/Jayapura'), total('2026-04', 'Asia/Jayapura')]).toEqual(['0', '1']);
    expect(() => exportCases(db, '31-03-2026', undefined, 'json')).toThrow('Invalid field --from: "31-03-2026": a day as YYYY-MM-DD');
  });
});
