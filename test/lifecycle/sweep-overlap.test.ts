/**
 * Two scheduler processes sweeping at once — PM2 restarting the scheduler while the old one still drains
 * its sweep, or a second host started by mistake — during a backlog of more than one transaction of late
 * cases (LIMITS.sweepWritesPerTransaction). The secretariat's mail per clock lists the late cases; which
 * ones a mail listed was known only to the process that wrote it, so the other process listed the cases
 * not yet escalated again, in a mail of its own. Now a case is listed (claimed, with the mail) in SQLite,
 * in the transaction that writes the mail: each late case is in exactly one mail, and a mail the SMTP
 * server refused for good has its cases listed again in a later one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import type { Db } from '../../core/db/client.ts';
import { caseEvents, cases, outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, markOutboxFailed } from '../../core/forward.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { LIMITS } from '../../core/limits.ts';
import { createMailSender, type MailSender } from '../../core/mail/transport.ts';
import { getOutbox } from '../../core/repo/outbox.repo.ts';
import { Storage } from '../../core/storage.ts';
import { chainSetup, type ChainSetup } from '../helpers/chain.ts';
import { asOf, DAY, HOUR } from '../helpers/clock.ts';
import { startSmtp, type CapturedMail, type TestSmtp } from '../helpers/smtp.ts';

/** More late cases than one sweep transaction escalates. */
const LATE = LIMITS.sweepWritesPerTransaction + 10;
const STREETS = ['Kaliurang', 'Magelang', 'Solo', 'Wonosari', 'Parangtritis', 'Godean', 'Bantul', 'Imogiri'];
/** The two clocks every case is late on: its division's first response, and its acknowledgement (never sent here). */
const FIRST_RESPONSE = 'tanggapan pertama';
const ACK = 'tanda terima ke pelapor';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

interface Backlog { s: ChainSetup; numbers: string[]; sender: MailSender; at: Date }

/** LATE citizens' SMS, forwarded to their division, which never answered: two weeks later every one is late. */
async function backlog(): Promise<Backlog> {
  const s = chainSetup({}, { onFile: true, config: { mail: { transport: 'smtp', from: 'Aduan <aduan@dprd.test>', smtp: { host: '127.0.0.1', port: smtp.port } } } });
  const numbers: string[] = [];
  for (let i = 0; i < LATE; i++) {
    numbers.push(s.sms(`+62812${String(i).padStart(7, '0')}`, `Lampu jalan di Jl. ${STREETS[i % STREETS.length]} km ${i} mati sejak seminggu, mohon diperbaiki`));
  }
  for (const n of numbers) await s.deliverForward(n);
  const sender = createMailSender(s.config, new Storage(s.config.storage.dir));
  return { s, numbers, sender, at: new Date(Date.now() + 14 * DAY) };
}

/** A sweep of the process on `db` at `at`; `pause`: what happens between its transactions. */
const sweep = (b: Backlog, db: Db, at: Date, pause: () => void = () => {}) => runSweeps({ ...b.s.deps, db, pause }, at);

/** The escalation mails in the outbox not yet handed to the SMTP server go out through it; the mails it took. */
async function deliverEscalations(b: Backlog): Promise<CapturedMail[]> {
  const before = smtp.mails.length;
  const rows = b.s.db.select().from(outbox).where(like(outbox.id, '%.escalation-%')).all().filter((r) => r.status === 'pending');
  for (const r of rows) expect(await deliverOutboxMail(b.s.db, b.sender, r.id)).toBe('sent');
  return smtp.mails.slice(before);
}

/** How many times each case is listed, per clock, over these mails: a summary's lines and its "… dan N lainnya", a mail of one case its own. */
function listings(b: Backlog, mails: CapturedMail[]): Record<string, { total: number; shown: string[] }> {
  const out: Record<string, { total: number; shown: string[] }> = { [FIRST_RESPONSE]: { total: 0, shown: [] }, [ACK]: { total: 0, shown: [] } };
  for (const m of mails) {
    const subject = m.parsed.subject ?? '';
    const clock = subject.includes(FIRST_RESPONSE) ? FIRST_RESPONSE : subject.includes(ACK) ? ACK : undefined;
    expect(clock, subject).toBeDefined();
    const text = m.parsed.text ?? '';
    const lines = [...text.matchAll(/^- ([A-Z]+-\d{4}-\d{6}) /gm)].map((x) => x[1]!);
    const more = Number(/… dan (\d+) lainnya/.exec(text)?.[1] ?? 0);
    const alone = lines.length === 0 ? /^\[([A-Z]+-\d{4}-\d{6})\]/.exec(subject)?.[1] : undefined;
    out[clock!]!.shown.push(...lines, ...(alone ? [alone] : []));
    out[clock!]!.total += lines.length + more + (alone ? 1 : 0);
    // a summary says how many it lists
    if (lines.length > 0) expect(subject).toContain(`Eskalasi SLA: ${lines.length + more} `);
  }
  return out;
}

/** Each case's escalation events: one per clock. */
function expectEscalatedOnce(b: Backlog): void {
  const events = b.s.db.select({ caseId: caseEvents.caseId, type: caseEvents.type }).from(caseEvents).where(like(caseEvents.type, 'sla_escalated:%')).all();
  const numberOf = new Map(b.s.db.select({ id: cases.id, number: cases.number }).from(cases).all().map((c) => [c.id, c.number]));
  for (const n of b.numbers) {
    const types = events.filter((e) => numberOf.get(e.caseId) === n).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('sla_escalated:forwarded@')), n).toHaveLength(1);
    expect(types.filter((t) => t.startsWith(`sla_escalated:outbox:${n}.ack`)), n).toHaveLength(1);
  }
  expect(events).toHaveLength(2 * b.numbers.length);
}

describe('two scheduler processes sweeping a backlog at once', () => {
  it('each late case is in exactly one mail to the secretariat, whichever process wrote it', async () => {
    const b = await backlog();
    const other = b.s.connect();
    // the old process escalates its first transaction's cases; in its pause, the new process sweeps all
    let overlapped = 0;
    const first = sweep(b, b.s.db, b.at, () => {
      if (overlapped++ === 0) sweep(b, other, new Date(b.at.getTime() + 1000));
    });
    expect(overlapped).toBeGreaterThan(0);
    expect(first.escalations).toBeLessThan(2 * LATE);

    const mails = await deliverEscalations(b);
    const listed = listings(b, mails);
    for (const clock of [FIRST_RESPONSE, ACK]) {
      expect(listed[clock]!.total, clock).toBe(LATE);
      expect(new Set(listed[clock]!.shown).size, clock).toBe(listed[clock]!.shown.length);
    }
    // one mail per clock: the first process's, as a single sweep's
    expect(mails).toHaveLength(2);
    expectEscalatedOnce(b);

    // a later sweep of either has nothing more to mail
    sweep(b, other, new Date(b.at.getTime() + 60_000));
    sweep(b, b.s.db, new Date(b.at.getTime() + 61_000));
    expect(await deliverEscalations(b)).toEqual([]);
  }, 120_000);

  it('a process stopped between two transactions: the next one escalates the rest without listing them again', async () => {
    const b = await backlog();
    const other = b.s.connect();
    // PM2 stops the old process in its first pause (it had written the mails and its first escalations)
    expect(() => sweep(b, b.s.db, b.at, () => { throw new Error('SIGKILL'); })).toThrow('SIGKILL');
    const next = sweep(b, other, new Date(b.at.getTime() + 60_000));
    expect(next.escalations).toBeGreaterThan(0);

    const listed = listings(b, await deliverEscalations(b));
    for (const clock of [FIRST_RESPONSE, ACK]) expect(listed[clock]!.total, clock).toBe(LATE);
    expectEscalatedOnce(b);
  }, 120_000);

  it('a mail the SMTP server refuses for good: its cases are listed again in a later mail, once', async () => {
    const b = await backlog();
    const other = b.s.connect();
    sweep(b, b.s.db, b.at, () => {});
    // the SMTP server refuses the secretariat's mails (550): dead-lettered
    smtp.reject = true;
    const rows = b.s.db.select().from(outbox).where(like(outbox.id, '%.escalation-%')).all();
    expect(rows).toHaveLength(2);
    try {
      for (const r of rows) {
        const err = await deliverOutboxMail(b.s.db, b.sender, r.id).catch((e: unknown) => e);
        asOf(new Date(b.at.getTime() + 60_000), () => markOutboxFailed(b.s.db, r.id, true, (err as Error).message));
      }
    } finally {
      smtp.reject = false;
    }
    expect(rows.map((r) => getOutbox(b.s.db, r.id)!.status)).toEqual(['dead', 'dead']);
    // within the hour after (LIMITS.escalationRelistMinutes), nothing is listed again
    sweep(b, other, new Date(b.at.getTime() + 30 * 60_000));
    expect(await deliverEscalations(b)).toEqual([]);

    // a while later (the SMTP server takes mail again), the two processes sweep at once: the cases are listed again, once
    const later = new Date(b.at.getTime() + 2 * HOUR);
    sweep(b, b.s.db, later, () => sweep(b, other, new Date(later.getTime() + 1000)));
    const mails = await deliverEscalations(b);
    const listed = listings(b, mails);
    for (const clock of [FIRST_RESPONSE, ACK]) expect(listed[clock]!.total, clock).toBe(LATE);
    expect(mails).toHaveLength(2);
    // (escalated once: listing them again is no new escalation)
    expectEscalatedOnce(b);
    // the dead mails are not sent as well by a replay (`aduan dlq replay`): their cases are in the new ones
    expect(rows.map((r) => getOutbox(b.s.db, r.id)!.status)).toEqual(['skipped', 'skipped']);
    for (const r of rows) expect(await deliverOutboxMail(b.s.db, b.sender, r.id)).toBe('already-sent');
    sweep(b, other, new Date(later.getTime() + HOUR));
    expect(await deliverEscalations(b)).toEqual([]);
  }, 120_000);
});
