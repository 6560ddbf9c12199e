// The monthly report by mail (SOP step 11): from report.time on the 1st of each month (instance.timezone),
// the scheduler's sweep (every minute) mails the previous month's figures — `aduan report --month` as the
// text, its --csv as an attachment — to report.mailTo, through the outbox like every other mail.
//
// A check on each sweep, not a cron job of its own: "is last month's report in the outbox? if not, and the
// 1st's report.time has passed, queue it". The outbox row's id (`report.<YYYY-MM>`) is the memory, in
// SQLite: a restarted scheduler, a replayed sweep, two schedulers at once or a Redis that lost its job
// schedules neither send it twice nor miss it, and a scheduler that was down on the 1st sends it when it
// is back (any day of that month). Each sweep costs one primary-key read.
import type { AduanConfig } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { formatTime, ourMessageId, type MailPayload } from '../mail/compose.ts';
import { QUEUES } from '../queue.ts';
import { monthlyReport } from '../report.ts';
import { getOutbox, insertOutbox } from '../repo/outbox.repo.ts';
import type { Storage } from '../storage.ts';
import { localParts } from './calendar.ts';

const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** The outbox row of a month's report: its id makes the mail once per month. */
export const monthlyReportOutboxId = (month: string): string => `report.${month}`;

/** "Maret 2026" for 2026-03. */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${BULAN[m - 1]} ${y}`;
}

/** `now` in the timezone: its month (YYYY-MM), day of the month and time of day (HH:MM). */
function localNow(now: Date, timezone: string): { month: string; day: number; time: string } {
  const p = localParts(now, timezone);
  const two = (n: number): string => String(n).padStart(2, '0');
  return { month: `${p.year}-${two(p.month)}`, day: p.day, time: `${two(p.hour)}:${two(p.minute)}` };
}

/** The month before YYYY-MM. */
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Queue last month's report when it is due and not queued yet; returns the month queued, else undefined
 * (report.mailTo empty, before report.time on the 1st, or already in the outbox). Only the month before
 * `now`'s: a scheduler down for longer does not send older months (`aduan report --month` gives them).
 */
export function sendMonthlyReport(deps: { config: Readonly<AduanConfig>; db: Db; storage: Storage; logger?: Logger }, now: Date = new Date()): string | undefined {
  const { config, db, storage, logger } = deps;
  const to = config.report.mailTo;
  if (to.length === 0) return undefined;
  const local = localNow(now, config.instance.timezone);
  if (local.day === 1 && local.time < config.report.time) return undefined;
  const month = previousMonth(local.month);
  const id = monthlyReportOutboxId(month);
  if (getOutbox(db, id)) return undefined;
  const text = monthlyReport(db, month, false, config.instance.timezone);
  const csv = monthlyReport(db, month, true, config.instance.timezone);
  const filename = `laporan-aduan-${month}.csv`;
  const sha256 = storage.put(csv);
  const name = monthName(month);
  const payload: MailPayload = {
    to: [...to],
    subject: `Laporan bulanan aduan ${name}`,
    text: `Laporan bulanan aduan ${name} (SOP langkah 11), dibuat otomatis oleh Aduan pada ${formatTime(now.toISOString(), config.instance.timezone)}. `
      + `Angka yang sama terlampir sebagai ${filename}; laporan ini dapat dibuat ulang dengan: aduan report --month ${month}\n\n${text}`,
    messageId: ourMessageId(config, `LAPORAN-${month}`, 'monthly'),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Aduan-Report': month },
    attachments: [{ filename, contentType: 'text/csv; charset=utf-8', sha256 }],
  };
  const queued = db.transaction((tx) => {
    if (getOutbox(tx, id)) return false; // another scheduler was quicker
    insertOutbox(tx, { id, caseId: null, kind: 'mail', queue: QUEUES.mail, now: now.toISOString(), payload });
    return true;
  }, { behavior: 'immediate' });
  if (!queued) return undefined;
  logger?.info({ month, to }, `monthly report for ${month} queued to ${to.join(', ')}`);
  return month;
}

/** After a failed build (a disk full, figures that do not add up), the next try waits this long. */
export const MONTHLY_REPORT_RETRY_MS = 3_600_000;

/**
 * sendMonthlyReport as the scheduler calls it each sweep: after a failure it is not tried again for an
 * hour — else the whole month's figures would be built anew every minute, each time with an error in the log.
 */
export class MonthlyReportMailer {
  private retryAt = 0;

  constructor(private readonly deps: Parameters<typeof sendMonthlyReport>[0]) {}

  check(now: Date = new Date()): string | undefined {
    if (now.getTime() < this.retryAt) return undefined;
    try {
      return sendMonthlyReport(this.deps, now);
    } catch (err) {
      this.retryAt = now.getTime() + MONTHLY_REPORT_RETRY_MS;
      throw err;
    }
  }
}
