/**
 * The monthly report reaches the secretariat by itself (SOP step 11): from report.time on the 1st
 * (instance.timezone) the scheduler mails last month's `aduan report` to report.mailTo, the CSV attached,
 * through the outbox — once per month, however often the check runs, and late when the scheduler was
 * down on the 1st. Real SQLite, Redis and SMTP.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { like } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { MONTHLY_REPORT_RETRY_MS, MonthlyReportMailer, sendMonthlyReport } from '../../core/lifecycle/monthly-report.ts';
import { createLogger } from '../../core/logger.ts';
import { OutboxDispatcher } from '../../core/outbox.ts';
import { monthlyReport } from '../../core/report.ts';
import { getState } from '../../core/repo/state.repo.ts';
import { Storage } from '../../core/storage.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { smsIntake } from '../helpers/intake.ts';

let h: Harness;
let dispatcher: OutboxDispatcher;
let storage: Storage;
const logger = createLogger({ process: 'scheduler' }, pino.destination('/dev/null'));

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({
    report: { mailTo: ['sekwan@dprd.test', 'arsip@dprd.test'], time: '07:00' },
    channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port }, quietAlertHours: 24 }],
  });
  h.startForward();
  dispatcher = new OutboxDispatcher(h.config, h.db, logger);
  storage = new Storage(h.config.storage.dir);
  // two reports in March 2026, one in April (WIB)
  const { send } = smsIntake(h.db);
  send('Lampu jalan di Jl. Kenari mati sudah seminggu, mohon diperbaiki.', { at: '2026-03-03T02:00:00.000Z' });
  send('Sampah di depan pasar Beringharjo tidak diangkut tiga hari.', { at: '2026-03-30T18:00:00.000Z' }); // 31 March 01:00 WIB
  send('Air PDAM di Tegalrejo mati sejak kemarin, tolong ditangani.', { at: '2026-04-10T02:00:00.000Z' });
});
afterAll(async () => {
  await dispatcher?.stop();
  await h?.stop();
});

const reportMails = (subject: string) => h.smtp.mails.filter((m) => m.parsed.subject === subject);
const reportRows = () => h.db.select().from(outbox).where(like(outbox.id, 'report.%')).all();
const check = (now: string, config = h.config) => sendMonthlyReport({ config, db: h.db, storage, logger }, new Date(now));

describe('monthly report by mail (report.mailTo)', () => {
  it('sends the previous month\'s report once from report.time on the 1st: the text as body, the CSV attached', async () => {
    // 06:59 WIB on 1 April: not yet
    expect(check('2026-03-31T23:59:00.000Z')).toBeUndefined();
    // 07:00 WIB: March's report
    expect(check('2026-04-01T00:00:00.000Z')).toBe('2026-03');
    // (the figures as they were when queued: the forward worker is still delivering the reports' forwards)
    const [asText, asCsv] = [monthlyReport(h.db, '2026-03', false), monthlyReport(h.db, '2026-03', true)];
    await dispatcher.kick();
    await waitFor(() => reportMails('Laporan bulanan aduan Maret 2026').length === 1, 15_000);
    const mail = reportMails('Laporan bulanan aduan Maret 2026')[0]!;
    expect(mail.envelope.to.sort()).toEqual(['arsip@dprd.test', 'sekwan@dprd.test']);
    const text = mail.parsed.text ?? '';
    expect(text).toContain(asText.trim());
    expect(text).toMatch(/^cases\s+2$/m);
    const csv = mail.parsed.attachments.find((a) => a.filename === 'laporan-aduan-2026-03.csv');
    expect(csv?.content.toString('utf8')).toBe(asCsv);
    expect(csv?.content.toString('utf8')).toMatch(/^cases,2$/m);

    // every later sweep that month, and a second run at the same minute: nothing more
    for (const now of ['2026-04-01T00:00:00.000Z', '2026-04-01T00:01:00.000Z', '2026-04-02T03:00:00.000Z', '2026-04-30T16:59:00.000Z']) {
      expect(check(now)).toBeUndefined();
    }
    // a restarted scheduler (another process, its own connection): nothing more
    const db2 = openDb(h.config.database.path);
    try {
      expect(sendMonthlyReport({ config: h.config, db: db2, storage: new Storage(h.config.storage.dir), logger }, new Date('2026-04-01T00:05:00.000Z'))).toBeUndefined();
    } finally {
      closeDb(db2);
    }
    await dispatcher.kick();
    expect(reportRows().map((r) => r.id)).toEqual(['report.2026-03']);
    expect(reportMails('Laporan bulanan aduan Maret 2026')).toHaveLength(1);
  }, 30_000);

  it('sends last month\'s report late when the scheduler was down on the 1st', async () => {
    // nothing ran on 1 or 2 May; the first sweep on 3 May sends April's report
    expect(check('2026-05-03T09:00:00.000Z')).toBe('2026-04');
    expect(check('2026-05-03T09:01:00.000Z')).toBeUndefined();
    await dispatcher.kick();
    await waitFor(() => reportMails('Laporan bulanan aduan April 2026').length === 1, 15_000);
    expect(reportMails('Laporan bulanan aduan April 2026')[0]!.parsed.text).toMatch(/^cases\s+1$/m);
  }, 30_000);

  it('a report that cannot be made (the disk will not take its CSV) is tried again an hour later, not every minute', () => {
    const blocked = path.join(h.config.dataDir, 'not-a-folder');
    writeFileSync(blocked, '');
    const mailer = new MonthlyReportMailer({ config: h.config, db: h.db, storage: new Storage(blocked), logger });
    const t = Date.parse('2026-08-01T01:00:00.000Z'); // 08:00 WIB on the 1st: July's report is due
    expect(() => mailer.check(new Date(t))).toThrow();
    // the sweeps of the next hour do not build it again
    for (let m = 1; m < 60; m++) expect(mailer.check(new Date(t + m * 60_000))).toBeUndefined();
    expect(() => mailer.check(new Date(t + MONTHLY_REPORT_RETRY_MS))).toThrow();
    expect(reportRows().some((r) => r.id === 'report.2026-07')).toBe(false);
  });

  it('sends nothing when report.mailTo is unset', () => {
    const off = { ...h.config, report: { mailTo: [], time: '07:00' } };
    expect(check('2026-07-01T02:00:00.000Z', off)).toBeUndefined();
    expect(check('2026-07-15T02:00:00.000Z', off)).toBeUndefined();
    expect(reportRows().map((r) => r.id)).not.toContain('report.2026-06');
  });

  it('the scheduler worker sends it, and a restarted one does not send it again', async () => {
    // report.time 00:00: last month's report is due whatever day and time the test runs
    const config = { ...h.config, report: { mailTo: ['sekwan@dprd.test'], time: '00:00' } };
    const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: config.instance.timezone, year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number) as [number, number];
    const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const subject = `Laporan bulanan aduan ${new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T00:00:00Z`))}`;
    const first = startSchedulerWorker({ config, db: h.db, logger, outboundChannels: new Set(), everyMs: 300 });
    try {
      await waitFor(() => reportMails(subject).length === 1, 15_000);
    } finally {
      await first.close();
    }
    // the restarted scheduler sweeps (the channel watch moves on) and sends nothing more
    const watched = getState<string>(h.db, 'web', 'quietWatchedAt');
    const second = startSchedulerWorker({ config, db: h.db, logger, outboundChannels: new Set(), everyMs: 300 });
    try {
      // (the sweep watches the channels and then checks the report, in one synchronous step)
      await waitFor(() => getState<string>(h.db, 'web', 'quietWatchedAt') !== watched, 15_000);
    } finally {
      await second.close();
    }
    expect(reportRows().map((r) => r.id).sort()).toEqual(['report.2026-03', 'report.2026-04', `report.${month}`].sort());
    expect(reportMails(subject)).toHaveLength(1);
  }, 60_000);
});
