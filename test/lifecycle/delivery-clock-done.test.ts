/**
 * The delivery clocks (scheduler, every minute, inside the write lock) escalate an outbox row that did
 * not go out in time once. A dead row stays dead for years, until `aduan dlq replay`: the sweep used to
 * read every one of them again each minute, only to find its escalation event and skip it — a set that
 * only grows. Now a row the clocks are done with (escalated, or no clock applies: a staff mail) is marked
 * (outbox.clock_done_at) and not read again; the rows counted here are those the sweep's query returned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { closeDb, openDb, runMigrations, type Db } from '../../core/db/client.ts';
import { caseEvents, outbox } from '../../core/db/schema.ts';
import { markOutboxFailed } from '../../core/forward.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { getCaseByNumber } from '../../core/repo/cases.repo.ts';
import { insertOutbox, setOutboxStatus } from '../../core/repo/outbox.repo.ts';
import { smsIntake } from '../helpers/intake.ts';
import { forgetMigrationsFrom } from '../helpers/sql.ts';

const N = 40;
const AT = '2026-03-02T02:00:00.000Z';
const ROADS = ['Kaliurang', 'Magelang', 'Solo', 'Wonosari', 'Parangtritis', 'Godean', 'Bantul', 'Imogiri'];

const dbs: Db[] = [];
afterEach(() => { while (dbs.length) closeDb(dbs.pop()!); });

/**
 * `n` reports whose forwards failed for good, and as many dead staff mails (no delivery clock applies to
 * those); the forwards' case numbers.
 */
function deadRows(n: number) {
  const db = openDb(':memory:');
  dbs.push(db);
  const { deps, send } = smsIntake(db);
  const numbers: string[] = [];
  for (let i = 0; i < n; i++) {
    const number = send(`Lampu jalan di Jl. ${ROADS[i % ROADS.length]} km ${i + 1} mati sejak seminggu, mohon diperbaiki`, { at: AT });
    markOutboxFailed(db, `${number}.forward`, true, '550 5.1.1 mailbox unavailable');
    const kase = getCaseByNumber(db, number)!;
    insertOutbox(db, { id: `${number}.reminder-1`, caseId: kase.id, kind: 'mail', queue: 'mail', payload: {}, now: AT });
    setOutboxStatus(db, `${number}.reminder-1`, 'dead', AT, '550 5.1.1 mailbox unavailable');
    numbers.push(number);
  }
  return { db, deps, send, numbers };
}

/** What `fn` returns, and how many rows the delivery clocks' query (unfinished outbox rows) returned meanwhile. */
function outboxRowsRead<T>(db: Db, fn: () => T): { result: T; read: number } {
  const client = db.$client;
  const original = client.prepare;
  let read = 0;
  client.prepare = ((source: string) => {
    const statement = original.call(client, source);
    if (/^select .* from "outbox" where .*"status" in/i.test(source)) {
      const all = statement.all.bind(statement) as (...params: unknown[]) => unknown[];
      statement.all = ((...params: unknown[]) => {
        const rows = all(...params);
        read += rows.length;
        return rows;
      }) as typeof statement.all;
    }
    return statement;
  }) as typeof client.prepare;
  try {
    return { result: fn(), read };
  } finally {
    client.prepare = original;
  }
}

const escalations = (db: Db) => db.select({ type: caseEvents.type }).from(caseEvents).where(like(caseEvents.type, 'sla_escalated:outbox:%')).all().map((e) => e.type).sort();
const minutesAfter = (m: number) => new Date(Date.parse(AT) + m * 60_000);

describe('the delivery clocks and the dead rows of years', () => {
  it('a row escalated once is not read by the next sweeps, nor a dead staff mail; a row late later still escalates', () => {
    const { db, deps, send, numbers } = deadRows(N);
    const first = outboxRowsRead(db, () => runSweeps(deps, minutesAfter(120)));
    expect(first.result.escalations).toBe(N);
    expect(first.read).toBe(2 * N);
    expect(escalations(db)).toEqual(numbers.map((n) => `sla_escalated:outbox:${n}.forward`).sort());

    // every minute after: the 2N dead rows are not read again
    for (let m = 121; m <= 125; m++) {
      const next = outboxRowsRead(db, () => runSweeps(deps, minutesAfter(m)));
      expect(next.read).toBe(0);
      expect(next.result).toMatchObject({ escalations: 0, deliveryRowsRead: 0 });
    }

    // a report whose forward dies later: read, escalated once, then not read either
    const later = send('Jalan berlubang di depan SD Negeri 5, mohon segera diperbaiki.', { at: minutesAfter(200).toISOString() });
    markOutboxFailed(db, `${later}.forward`, true, '550 5.1.1 mailbox unavailable');
    const due = outboxRowsRead(db, () => runSweeps(deps, minutesAfter(320)));
    expect(due.result).toMatchObject({ escalations: 1, deliveryRowsRead: 1 });
    expect(due.read).toBe(1);
    expect(escalations(db)).toContain(`sla_escalated:outbox:${later}.forward`);
    expect(outboxRowsRead(db, () => runSweeps(deps, minutesAfter(321))).read).toBe(0);
  });

  it('a row replayed (aduan dlq replay) that fails again is not escalated a second time, as before', () => {
    const { db, deps, numbers } = deadRows(2);
    runSweeps(deps, minutesAfter(120));
    const [replayed, delivered] = numbers.map((n) => `${n}.forward`) as [string, string];
    // the replay hands both to their queue again: one fails for good once more, the other goes out
    for (const id of [replayed, delivered]) setOutboxStatus(db, id, 'sending', minutesAfter(600).toISOString());
    markOutboxFailed(db, replayed, true, '421 4.7.0 try again later');
    setOutboxStatus(db, delivered, 'sent', minutesAfter(601).toISOString());
    const after = outboxRowsRead(db, () => runSweeps(deps, minutesAfter(700)));
    expect(after.result.escalations).toBe(0);
    expect(after.read).toBe(0);
    expect(escalations(db)).toEqual([`sla_escalated:outbox:${replayed}`, `sla_escalated:outbox:${delivered}`].sort());
  });

  it('rows escalated before the upgrade are marked: by migration 0009 from their events, else by the first sweep, without a second escalation', () => {
    const { db, deps } = deadRows(3);
    runSweeps(deps, minutesAfter(120));
    // back to the database before migration 0009: the escalations only in case_events
    forgetMigrationsFrom(db, '0009_', 'DROP INDEX outbox_clock_idx; ALTER TABLE outbox DROP COLUMN clock_done_at;');
    runMigrations(db);
    const marked = db.select({ id: outbox.id, done: outbox.clockDoneAt }).from(outbox).where(like(outbox.id, '%.forward')).all();
    expect(marked.map((r) => r.done)).toEqual(Array(3).fill(minutesAfter(120).toISOString()));
    expect(outboxRowsRead(db, () => runSweeps(deps, minutesAfter(121))).read).toBe(3); // the staff mails: first sweep since
    expect(outboxRowsRead(db, () => runSweeps(deps, minutesAfter(122))).read).toBe(0);

    // escalated by a process of the old version while the new one started: its mark missing, its event there
    db.update(outbox).set({ clockDoneAt: null }).run();
    const first = outboxRowsRead(db, () => runSweeps(deps, minutesAfter(123)));
    expect(first.result.escalations).toBe(0);
    expect(first.read).toBe(6);
    expect(outboxRowsRead(db, () => runSweeps(deps, minutesAfter(124))).read).toBe(0);
    expect(escalations(db)).toHaveLength(3);
  });
});
