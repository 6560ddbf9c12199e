import { Queue, Worker } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { runDigests } from '../core/lifecycle/digest.ts';
import { MonthlyReportMailer } from '../core/lifecycle/monthly-report.ts';
import { watchQuietChannels } from '../core/lifecycle/quiet.ts';
import { runSweeps } from '../core/lifecycle/sweeps.ts';
import type { Logger } from '../core/logger.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { redisHealth } from '../core/redis-health.ts';
import { QUEUES, queueSettings } from '../core/queue.ts';
import { Storage } from '../core/storage.ts';
import { runningWorker, type RunningWorker } from './running.ts';

const SWEEP_SCHEDULE = 'sla-sweep';
const BACKUP_SCHEDULE = 'daily-backup';

/**
 * SLA clocks, the archive, the digests of joined reports (dedupe.digestMinutes), channels gone quiet (quietAlertHours) and
 * last month's report (report.mailTo, due from the 1st's report.time): a BullMQ job scheduler (kept in Redis, so it survives restarts) fires
 * a sweep every `everyMs`; the sweep reads event times from SQLite, so nothing is lost while down.
 * The schedule is checked every `everyMs` too: a Redis that lost its data (restarted without
 * persistence, FLUSHALL, evicted keys) had no schedule any more, and the sweeps stopped silently.
 */
export function startSchedulerWorker(deps: { config: Readonly<AduanConfig>; db: Db; logger: Logger; outboundChannels: ReadonlySet<string>; everyMs?: number }): RunningWorker {
  const { config, db, logger } = deps;
  const every = deps.everyMs ?? 60_000;
  const settings = queueSettings(config, 'worker');
  const health = redisHealth(config, logger);
  const queue = new Queue(QUEUES.scheduler, settings);
  health.watch(queue, 'scheduler queue error');
  const dispatcher = new OutboxDispatcher(config, db, logger, health);
  const storage = new Storage(config.storage.dir);
  const backup = config.backup.dir;
  const register = async () => {
    await queue.upsertJobScheduler(SWEEP_SCHEDULE, { every }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
    // the daily backup (backup.dir), at backup.time in the instance's timezone; without backup.dir none
    if (backup !== undefined) {
      const [hh, mm] = config.backup.time.split(':').map(Number);
      await queue.upsertJobScheduler(BACKUP_SCHEDULE, { pattern: `${mm} ${hh} * * *`, tz: config.instance.timezone }, { name: 'backup', opts: { removeOnComplete: true, removeOnFail: 30 } });
    } else {
      await queue.removeJobScheduler(BACKUP_SCHEDULE);
    }
  };
  void register().catch((err: unknown) => { if (!health.report(err)) logger.error({ err }, 'could not register the sweep schedule; will check again'); });
  let checking = false;
  const watchdog = setInterval(() => {
    if (checking) return;
    checking = true;
    void (async () => {
      if (await queue.getJobScheduler(SWEEP_SCHEDULE) && (backup === undefined || await queue.getJobScheduler(BACKUP_SCHEDULE))) return;
      logger.warn('the SLA sweep schedule was missing in Redis (Redis restarted without its data, FLUSHALL, or evicted keys?); registered it again. Run Redis with appendonly yes and maxmemory-policy noeviction');
      await register();
    })().catch((err: unknown) => { if (!health.report(err)) logger.warn({ err }, 'could not check the sweep schedule; will check again'); })
      .finally(() => { checking = false; });
  }, every);
  watchdog.unref();
  const monthly = new MonthlyReportMailer({ config, db, storage, logger });
  const worker = new Worker(QUEUES.scheduler, async (job) => {
    if (job.name === 'backup') return runBackup(config, logger);
    const result = runSweeps({ config, db, logger, outboundChannels: deps.outboundChannels });
    const digests = runDigests({ config, db, logger });
    const quiet = watchQuietChannels({ config, db, logger });
    let report: string | undefined;
    try {
      report = monthly.check();
    } catch (err) {
      // (the sweep's other work is done)
      logger.error({ err }, `could not make the monthly report for report.mailTo: ${(err as Error).message}; tried again in an hour (aduan report --month YYYY-MM shows it by hand)`);
    }
    await dispatcher.kick();
    return { ...result, digests, quiet, report };
  }, settings);
  if (backup !== undefined) logger.info({ dir: backup, time: config.backup.time, keep: config.backup.keep }, `daily backup at ${config.backup.time} (${config.instance.timezone}) into ${backup}`);
  else logger.info('no daily backup: set backup.dir (a folder on another disk) or run aduan backup from cron');
  if (config.report.mailTo.length > 0) logger.info({ to: config.report.mailTo, time: config.report.time }, `monthly report to ${config.report.mailTo.join(', ')} on the 1st from ${config.report.time} (${config.instance.timezone})`);
  else logger.info('no monthly report by mail: set report.mailTo (the secretariat) or run aduan report --month YYYY-MM');
  return runningWorker('scheduler', worker, logger, health, () => clearInterval(watchdog), () => queue.close(), () => dispatcher.stop());
}

/**
 * The daily backup: a failure is logged as an error saying what to fix and fails the job (kept in
 * Redis: `aduan dlq list`), and is tried again the next day; nothing else waits for it.
 */
async function runBackup(config: Readonly<AduanConfig>, logger: Logger): Promise<unknown> {
  const { backupDatabase } = await import('../core/backup.ts');
  try {
    const r = await backupDatabase({ database: config.database.path, storageDir: config.storage.dir, toDir: config.backup.dir!, keep: config.backup.keep });
    logger.info({ file: r.file, bytes: r.bytes, cases: r.cases, messages: r.messages, attachmentsCopied: r.storage.copied, staleCopiesRemoved: r.storage.staleRemoved, removed: r.removed.length, ms: r.ms },
      `daily backup written and checked: ${r.file} (${r.cases} cases, ${r.storage.copied} new attachment(s)${r.storage.staleRemoved > 0 ? `; ${r.storage.staleRemoved} half-copied attachment(s) of an interrupted run removed` : ''})`);
    return { file: r.file, cases: r.cases };
  } catch (err) {
    logger.error({ err }, `daily backup failed: ${(err as Error).message}`);
    throw err;
  }
}
