/**
 * A history of years (10^6 cases, millions of outbox rows and events): what runs for every message, every
 * mail, every minute or every operator command reads what it needs through an index, never the whole
 * history. Checked on the query plans (EXPLAIN QUERY PLAN, deterministic) of every statement the real code
 * prepares; figures at 10^6 cases are in the commit that added this test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, openDb, runMigrations, type Db } from '../../core/db/client.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { officerCommand, officerSetStatus } from '../../core/lifecycle/service.ts';
import { casesBetween } from '../../core/repo/report.repo.ts';
import { autoMailsSentTo, insertOutbox, oldestAutoMailSentTo, outboxCounts, pendingOutbox } from '../../core/repo/outbox.repo.ts';
import { countCases } from '../../core/repo/cases.repo.ts';
import { smsIntake } from '../helpers/intake.ts';
import { forgetMigrationsFrom, planOf, prepared, recordRuns } from '../helpers/sql.ts';

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });
const fresh = (): Db => {
  const db = openDb(':memory:');
  dbs.push(db);
  return db;
};

const BIG = /^SCAN (cases|outbox|case_events|messages|contacts)\b/;

/** Reads (and writes by a condition) whose plan reads a whole table of the history, with their plans. */
function fullScans(db: Db, sources: string[]): string[] {
  // (an INSERT's plan lists the foreign-key checks of child rows, which run only while a deferred violation is pending)
  return sources.filter((s) => /^\s*(select|update|delete|with)\b/i.test(s))
    .flatMap((s) => planOf(db, s).filter((d) => BIG.test(d)).map((d) => `${d}  ←  ${s.slice(0, 160)}`));
}

describe('queries over a history of years', () => {
  it('the scheduler\'s sweep (every minute, in the write lock) reads open cases and unfinished mails, not the history', () => {
    const db = fresh();
    const { send, deps, state } = smsIntake(db);
    send('Lampu jalan di Jalan Kaliurang mati sejak seminggu, mohon diperbaiki.', { at: '2026-03-02T02:00:00.000Z' });
    state.unsure = true;
    send('Halo min, mau tanya saja.', { at: '2026-03-02T02:00:00.000Z' });
    const sql = prepared(db, () => runSweeps({ ...deps, db }, new Date('2026-03-20T02:00:00.000Z')));
    // (the delivery clocks read every unfinished outbox row: once with `status NOT IN ('sent', 'skipped')`, a read of every mail ever sent)
    expect(sql.some((s) => /from "outbox"/.test(s) && /"status" in/.test(s))).toBe(true);
    expect(fullScans(db, sql)).toEqual([]);
    // (and only the rows no clock is done with: each dead row of the years was read every minute, to find it escalated)
    const clocks = sql.filter((s) => /from "outbox"/.test(s) && /"status" in/.test(s));
    expect(clocks.map((s) => planOf(db, s).join(' | '))).toEqual([expect.stringContaining('USING INDEX outbox_clock_idx (status=? AND created_at<?)')]);
    // each late case's problem: its oldest other report at the case's status, not all the reports it had in years
    const oldest = sql.filter((s) => /min\(id\)/i.test(s) && /related_to_case_id/.test(s));
    expect(oldest).toHaveLength(1);
    expect(planOf(db, oldest[0]!).join(' | ')).toContain('cases_related_status_idx (related_to_case_id=? AND status=?)');
  });

  it('a sweep with nothing new (every minute) reads the open cases in indexes, not each one\'s row and events again', () => {
    const db = fresh();
    const { send, deps } = smsIntake(db);
    // every statement run on the connection, by SQL (the sweep prepares its own once per connection)
    const { runs, restore } = recordRuns(db);
    const numbers = ['Lampu jalan di Jalan Kaliurang mati sejak seminggu, mohon diperbaiki.', 'Jalan berlubang di depan SD Negeri 5 Kotagede, mohon segera diperbaiki.',
      'Saluran air di Gondokusuman tersumbat, setiap hujan banjir.'].map((text) => send(text, { at: '2026-03-02T02:00:00.000Z' }));
    for (const n of numbers) officerSetStatus({ ...deps, db }, n, 'forwarded', null, 'petugas');
    const later = (days: number): Date => new Date(Date.now() + days * 86_400_000);
    // the first sweep escalates the three (nobody took them up; and their mails, never sent); the next ones have nothing new to do
    expect(runSweeps({ ...deps, db }, later(20)).escalations).toBeGreaterThanOrEqual(3);
    // (the sweep after one that wrote on a case reads that case once more)
    expect(runSweeps({ ...deps, db }, later(20.001)).escalations).toBe(0);
    runs.length = 0;
    expect(runSweeps({ ...deps, db }, later(20.002)).escalations).toBe(0);
    const again = runs.filter((s) => /from "?case_events"? where ("?case_events"?\.)?"?case_id"? = \?/i.test(s) || /from "cases" where "cases"\."id" = \?/i.test(s));
    expect(again).toEqual([]);
    // (the open cases with their latest event's id, through cases_status_idx and case_events_case_idx alone)
    const open = runs.filter((s) => /max\(e\.id\)/i.test(s) && !/'awaiting_feedback'/.test(s));
    expect(open).toHaveLength(1);
    const plan = planOf(db, open[0]!).join(' | ');
    expect(plan).toContain('COVERING INDEX cases_status_idx (status=?)');
    expect(plan).toContain('COVERING INDEX case_events_case_idx (case_id=?)');
    // a case that moves on is read again: taken up (#kaji) and left past the review target, it is escalated again
    officerCommand({ ...deps, db }, numbers[1]!, { kind: 'kaji', note: '' }, 'petugas');
    expect(runSweeps({ ...deps, db }, later(40)).escalations).toBeGreaterThanOrEqual(1);
    expect(db.$client.prepare("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.type LIKE 'sla_escalated:review_started@%'").pluck().get(numbers[1])).toBe(1);
    restore();
  });

  it('a sweep with nothing new reads the cases awaiting the verdict in indexes, not each one\'s row, events and mails again', () => {
    const db = fresh();
    const { send, deps } = smsIntake(db);
    const { runs, restore } = recordRuns(db);
    try {
      const numbers = ['Lampu jalan di Jalan Kaliurang mati sejak seminggu, mohon diperbaiki.', 'Jalan berlubang di depan SD Negeri 5 Kotagede, mohon segera diperbaiki.']
        .map((text) => send(text, { at: '2026-03-02T02:00:00.000Z' }));
      for (const n of numbers) {
        officerSetStatus({ ...deps, db }, n, 'forwarded', null, 'petugas');
        officerCommand({ ...deps, db }, n, { kind: 'selesai', result: 'Sudah diperbaiki.' }, 'petugas');
      }
      const status = (n: string) => db.$client.prepare('SELECT status FROM cases WHERE number = ?').pluck().get(n);
      expect(numbers.map(status)).toEqual(['awaiting_feedback', 'awaiting_feedback']);
      const later = (hours: number): Date => new Date(Date.now() + hours * 3_600_000);
      runSweeps({ ...deps, db }, later(1));
      runSweeps({ ...deps, db }, later(2));
      runs.length = 0;
      runSweeps({ ...deps, db }, later(3));
      // (neither case's row, its move, replies nor result's mails: unansweredSince's reads, and the full rows by status)
      const again = runs.filter((s) => /from "?case_events"? where ("?case_events"?\.)?"?case_id"? = \?/i.test(s) || /from "?cases"? where ("?cases"?\.)?"?(id|status)"? = \?/i.test(s)
        || /from outbox where case_id = \?/i.test(s) || /select number from cases where id = \?/i.test(s));
      expect(again).toEqual([]);
      // (the cases awaiting the verdict with their latest event's id, through cases_status_idx and case_events_case_idx alone)
      const awaiting = runs.filter((s) => /max\(e\.id\)/i.test(s) && /'awaiting_feedback'/.test(s));
      expect(awaiting).toHaveLength(1);
      const plan = planOf(db, awaiting[0]!).join(' | ');
      expect(plan).toContain('COVERING INDEX cases_status_idx (status=?)');
      expect(plan).toContain('COVERING INDEX case_events_case_idx (case_id=?)');
      expect(plan).not.toContain('TEMP B-TREE');
      // past the days to answer each is closed, read afresh first
      expect(runSweeps({ ...deps, db }, later(24 * 10)).closedNoAnswer).toBe(2);
      expect(numbers.map(status)).toEqual(['closed', 'closed']);
    } finally {
      restore();
    }
  });

  it('a citizen\'s message on their own case (answered at most once an hour) looks up that case\'s mails only', () => {
    const db = fresh();
    const { send } = smsIntake(db);
    const phone = '+6281234500001';
    send('Jalan berlubang di depan SD Negeri 5, mohon segera diperbaiki.', { phone, at: '2026-03-02T02:00:00.000Z' });
    const sql = prepared(db, () => send('Bagaimana perkembangan aduan saya? Lubangnya makin besar.', { phone, at: '2026-03-03T02:00:00.000Z' }));
    // (the "noted" answer's once-an-hour check ran: it read the whole outbox, a LIKE on the id with no index on the case)
    expect(sql.some((s) => /from "outbox"/.test(s) && /like/.test(s))).toBe(true);
    expect(fullScans(db, sql)).toEqual([]);
  });

  it('a question about a case the sender has none of (answered at most once an hour), and a reply read for quotes of ours, seek the outbox by id range and case', () => {
    const db = fresh();
    const { send } = smsIntake(db);
    send('Jalan berlubang di depan SD Negeri 5, mohon segera diperbaiki.', { phone: '+6281234500001', at: '2026-03-02T02:00:00.000Z' });
    const sql = prepared(db, () => send('status ADU-2026-000099', { phone: '+6281234500002', at: '2026-03-03T02:00:00.000Z' }));
    // (the neutral answer's once-an-hour check ran, and the quotes of ours were looked for)
    expect(sql.some((s) => /from "outbox" where .*"outbox"\."id" >= \?/.test(s))).toBe(true);
    expect(fullScans(db, sql)).toEqual([]);
  });

  it('the per-recipient cap of automatic mails (every auto-reply the forward worker sends) reads the last hour\'s sent mails', () => {
    const db = fresh();
    const sql = prepared(db, () => {
      autoMailsSentTo(db, 'warga@mail.test', '2026-03-02T01:00:00.000Z');
      oldestAutoMailSentTo(db, 'warga@mail.test', '2026-03-02T01:00:00.000Z');
    });
    expect(sql).toHaveLength(2);
    for (const s of sql) {
      const plan = planOf(db, s).join(' | ');
      // (status = 'sent' alone is nearly every row of the outbox)
      expect(plan).toContain('outbox_status_sent_idx (status=? AND sent_at>?)');
      expect(plan).not.toMatch(BIG);
    }
  });

  it('the dispatcher takes the oldest pending rows from the index, unsorted', () => {
    const db = fresh();
    const sql = prepared(db, () => pendingOutbox(db, 100));
    expect(sql.map((s) => planOf(db, s).join(' | '))).toEqual([expect.stringContaining('outbox_status_created_idx (status=?)')]);
    expect(sql.map((s) => planOf(db, s).join(' | '))).toEqual([expect.not.stringContaining('TEMP B-TREE')]);
  });

  it('doctor\'s outbox counts and the CLI\'s case count read an index, not the rows', () => {
    const db = fresh();
    insertOutbox(db, { id: 'x.ack', caseId: null, kind: 'mail', queue: 'mail', payload: {}, now: '2026-03-02T01:00:00.000Z', notBefore: '2026-03-02T02:00:00.000Z' });
    expect(outboxCounts(db, '2026-03-02T01:30:00.000Z')).toEqual({ held: 1 });
    expect(outboxCounts(db, '2026-03-02T02:30:00.000Z')).toEqual({ pending: 1 });
    const sql = prepared(db, () => {
      outboxCounts(db);
      countCases(db);
      countCases(db, { status: 'triage' });
    });
    for (const s of sql) expect(planOf(db, s).filter((d) => BIG.test(d) && !/USING COVERING INDEX/.test(d)), s).toEqual([]);
  });

  it('a month\'s report and a range\'s export read that range of cases and their rows', () => {
    const db = fresh();
    const { send } = smsIntake(db);
    send('Sampah menumpuk di pasar, bau sekali.', { at: '2026-03-02T02:00:00.000Z' });
    const sql = prepared(db, () => {
      expect(casesBetween(db, '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')).toHaveLength(1);
    });
    expect(fullScans(db, sql)).toEqual([]);
  });

  it('migration 0008 can be applied again over itself: a process that waited while another applied it (pm2 start, every process migrating) goes on', () => {
    const db = fresh();
    // as the waiting process saw the database: 0008 not yet recorded, its indexes already built by the other
    // (0009 not applied yet: a column cannot be added twice — a process that waited for it tries once more, and sees it applied)
    forgetMigrationsFrom(db, '0008_', 'DROP INDEX outbox_clock_idx; ALTER TABLE outbox DROP COLUMN clock_done_at;');
    expect(() => runMigrations(db)).not.toThrow();
    const indexes = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('outbox_status_created_idx', 'outbox_status_sent_idx', 'outbox_case_idx', 'cases_created_idx', 'outbox_status_idx')").all() as { name: string }[]).map((r) => r.name).sort();
    expect(indexes).toEqual(['cases_created_idx', 'outbox_case_idx', 'outbox_status_created_idx', 'outbox_status_sent_idx']);
  });
});
