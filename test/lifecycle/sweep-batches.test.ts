/**
 * The first sweep after a long outage finds thousands of cases past their targets at once. It used to
 * escalate them all in ONE write transaction (12–17 s on a history of 10^6 cases), and intake's writes
 * waited for all of it. Now a transaction makes at most LIMITS.sweepWritesPerTransaction case writes, and
 * between two transactions another writer gets the lock; each case is still escalated once, and the
 * secretariat still gets one mail per clock, listing every case late on it.
 */
import { inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { caseEvents, cases, outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, markOutboxFailed } from '../../core/forward.ts';
import { recordInbound } from '../../core/intake.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { LIMITS } from '../../core/limits.ts';
import type { MailSender } from '../../core/mail/transport.ts';
import { ingestId, inboundMessageSchema } from '../../core/message.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { testConfig } from '../helpers/config.ts';

const FORWARDED = 1_800;
const UNDELIVERED = 300;
const STREETS = ['Kaliurang', 'Magelang', 'Solo', 'Wonosari', 'Parangtritis', 'Godean', 'Bantul', 'Imogiri'];
const DAY = 86_400_000;

const config = testConfig({ divisions: loadDivisions(), classifier: { auditShare: 0 }, escalation: { address: 'sekwan@dprd.test' } });
const understander = createUnderstander(config);
const sender: MailSender = { send: async (p) => ({ messageId: p.messageId }), verify: async () => {}, close: () => {} };
let db: Db;
/** Another process's connection (the intake worker's): it does not wait for the lock at all. */
let other: Db;
let sent = 0;

/** A citizen's SMS, recorded by the real intake on `into` at `at`; its case number. */
function sms(into: Db, at: Date): string {
  const i = sent++;
  const message = inboundMessageSchema.parse({ connectorId: 'sms-test', channel: 'sms', externalId: `m${i}`, receivedAt: at.toISOString(),
    sender: { phone: `+62812${String(i).padStart(7, '0')}` }, text: `Lampu jalan di Jl. ${STREETS[i % STREETS.length]} km ${i} mati sejak seminggu, mohon diperbaiki` });
  return recordInbound({ db: into, config, understander, outboundChannels: new Set(), now: () => at }, message, ingestId('sms-test', message.externalId)).caseNumber!;
}

/**
 * What `fn` returns, and the case writes of the sweep (its events: escalations, reminders, closes,
 * archivings) in each transaction it ran.
 */
function counted<T>(fn: () => T): { result: T; perTransaction: number[] } {
  const written = db.$client.prepare(`SELECT count(*) FROM case_events WHERE type LIKE 'sla_%' OR type IN ('archived', 'closed_no_answer')`).pluck();
  const perTransaction: number[] = [];
  const original = db.transaction.bind(db);
  db.transaction = ((tx: Parameters<Db['transaction']>[0], cfg?: Parameters<Db['transaction']>[1]) => original((t) => {
    const before = written.get() as number;
    const r = tx(t);
    perTransaction.push((written.get() as number) - before);
    return r;
  }, cfg)) as Db['transaction'];
  try {
    return { result: fn(), perTransaction };
  } finally {
    db.transaction = original;
  }
}

const forwarded: string[] = [];
const undelivered: string[] = [];

beforeAll(async () => {
  db = openDb(config.database.path);
  other = openDb(config.database.path);
  other.$client.pragma('busy_timeout = 0');
  const start = Date.now() - 30 * DAY;
  for (let i = 0; i < FORWARDED + UNDELIVERED; i++) (i < FORWARDED ? forwarded : undelivered).push(sms(db, new Date(start + i * 1000)));
  // most reached their division (and nobody answered), the rest could not be mailed at all
  for (const n of forwarded) expect(await deliverOutboxMail(db, sender, `${n}.forward`)).toBe('sent');
  for (const n of undelivered) markOutboxFailed(db, `${n}.forward`, true, '550 5.1.1 mailbox unavailable');
}, 120_000);
afterAll(() => {
  closeDb(other);
  closeDb(db);
});

describe('the first sweep after a long outage', () => {
  it('escalates thousands of cases in bounded transactions, each once, with one mail per clock; another writer gets in between them', () => {
    const now = new Date(Date.now() + 14 * DAY);
    // between two transactions, a citizen's message is recorded on the other connection without waiting
    const between: string[] = [];
    const { result, perTransaction } = counted(() => runSweeps({ config, db, outboundChannels: new Set(), pause: () => { between.push(sms(other, new Date(now.getTime() + 1000))); } }, now));

    const total = FORWARDED + UNDELIVERED;
    expect(result.escalations).toBe(total);
    expect(perTransaction.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...perTransaction)).toBeLessThanOrEqual(LIMITS.sweepWritesPerTransaction);
    expect(perTransaction.length).toBeGreaterThanOrEqual(Math.ceil(total / LIMITS.sweepWritesPerTransaction));
    expect(between).toHaveLength(perTransaction.length - 1);
    expect(db.select().from(cases).all().filter((c) => between.includes(c.number))).toHaveLength(between.length);

    // every case escalated exactly once, on its clock
    const events = db.select({ caseId: caseEvents.caseId, type: caseEvents.type }).from(caseEvents).where(like(caseEvents.type, 'sla_escalated:%')).all();
    const numberOf = new Map(db.select({ id: cases.id, number: cases.number }).from(cases).all().map((c) => [c.id, c.number]));
    const byCase = new Map<string, string[]>();
    for (const e of events) byCase.set(numberOf.get(e.caseId)!, [...(byCase.get(numberOf.get(e.caseId)!) ?? []), e.type]);
    for (const n of forwarded) expect(byCase.get(n), n).toEqual([expect.stringMatching(/^sla_escalated:forwarded@/)]);
    for (const n of undelivered) expect(byCase.get(n), n).toEqual([`sla_escalated:outbox:${n}.forward`]);
    expect(byCase.size).toBe(total);

    // the secretariat: one mail per clock, listing all of that clock's cases
    const mails = db.select().from(outbox).where(like(outbox.id, '%.escalation-%')).all().map((o) => o.payload as { to: string[]; subject: string; text: string });
    expect(mails.map((m) => m.subject).sort()).toEqual([
      `[${undelivered[0]}] Eskalasi SLA: ${UNDELIVERED} penerusan ke komisi/bagian melewati target`,
      `[${forwarded[0]}] Eskalasi SLA: ${FORWARDED} aduan melewati target tanggapan pertama (#kaji)`,
    ].sort());
    for (const m of mails) expect(m.to).toEqual(['sekwan@dprd.test']);
    expect(mails.find((m) => m.subject.includes(`${FORWARDED} aduan`))!.text).toContain(`… dan ${FORWARDED - 50} lainnya`);

    // the next minute's sweep has nothing left to do
    const again = runSweeps({ config, db, outboundChannels: new Set(), pause: () => { throw new Error('a second transaction'); } }, new Date(now.getTime() + 60_000));
    expect(again.escalations).toBe(0);
    expect(db.select().from(outbox).where(like(outbox.id, '%.escalation-%')).all()).toHaveLength(2);
  }, 120_000);

  it('archives hundreds of closed cases in bounded transactions too', () => {
    const now = new Date(Date.now() + 15 * DAY);
    const longAgo = new Date(now.getTime() - (config.archive.afterDays + 1) * DAY).toISOString();
    const old = forwarded.slice(0, 600);
    db.update(cases).set({ status: 'closed', closedAt: longAgo, updatedAt: longAgo }).where(inArray(cases.number, old)).run();
    const { result, perTransaction } = counted(() => runSweeps({ config, db, outboundChannels: new Set(), pause: () => {} }, now));
    expect(result.archived).toBe(old.length);
    expect(Math.max(...perTransaction)).toBeLessThanOrEqual(LIMITS.sweepWritesPerTransaction);
    expect(perTransaction.length).toBeGreaterThanOrEqual(Math.ceil(old.length / LIMITS.sweepWritesPerTransaction));
    expect(db.select().from(cases).where(inArray(cases.number, old)).all().every((c) => c.status === 'archived')).toBe(true);
  });
});
