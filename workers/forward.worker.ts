import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { deliverOutboxMail, markOutboxFailed, staffAddressesOf } from '../core/forward.ts';
import type { Logger } from '../core/logger.ts';
import { isPermanentSmtpError, isSmtpLoginRefused, type MailSender } from '../core/mail/transport.ts';
import { mailBackoff, QUEUES, queueSettings } from '../core/queue.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { redisHealth } from '../core/redis-health.ts';
import { runningWorker, workerLockOptions, type RunningWorker } from './running.ts';

/** Sends outbox mails (division forwards, citizen acknowledgements); SMTP 5xx → dead-letter at once. */
export function startForwardWorker(deps: { config: Readonly<AduanConfig>; db: Db; logger: Logger; sender: MailSender; concurrency?: number }): RunningWorker {
  const { config, db, logger, sender } = deps;
  // A second dispatcher: outbox rows still go out while the intake worker is down (idempotent: job ids are row ids).
  const health = redisHealth(config, logger);
  const dispatcher = new OutboxDispatcher(config, db, logger, health);
  const policy = { config, staffAddresses: staffAddressesOf(config), logger };
  dispatcher.start(5_000);
  const worker = new Worker(
    QUEUES.mail,
    async (job: Job<{ outboxId: string }>, token?: string) => {
      let result: Awaited<ReturnType<typeof deliverOutboxMail>>;
      try {
        result = await deliverOutboxMail(db, sender, job.data.outboxId, policy);
      } catch (err) {
        if (isSmtpLoginRefused(err)) logger.error({ outboxId: job.data.outboxId }, `the SMTP server refused the gateway's login: correct mail.smtp.auth (user and password); mails wait and are retried (mail.retry), none is sent until then`);
        if (isPermanentSmtpError(err)) throw new UnrecoverableError(`MAIL.REJECTED: ${(err as Error).message}`);
        throw err;
      }
      if (typeof result === 'object') {
        // the hour's cap for this address is reached: the same job waits until one more may go
        logger.warn({ outboxId: job.data.outboxId, until: result.deferredUntil }, `automatic mail held back: ${result.reason}`);
        await job.moveToDelayed(Date.parse(result.deferredUntil), token);
        throw new DelayedError();
      }
      if (result === 'skipped') logger.warn({ outboxId: job.data.outboxId }, 'automatic mail not sent: the address is blocked after a hard bounce');
      else if (result === 'stale') logger.warn({ outboxId: job.data.outboxId }, 'division forward not sent: its case was re-routed or settled since it was written (see the outbox row\'s last error)');
      else logger.info({ outboxId: job.data.outboxId, result }, 'mail delivered');
      return result;
    },
    // (a mail job held by a killed forward worker is taken again after the lock's life, like intake's)
    // (mail jobs wait mail.retry.backoffMs doubling, at most an hour: mailJobOptions)
    { ...queueSettings(config, 'worker'), concurrency: deps.concurrency ?? 4, ...workerLockOptions(), settings: { backoffStrategy: mailBackoff } },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ err, outboxId: job.data.outboxId, attempt: job.attemptsMade, final }, final ? 'mail dead-lettered' : 'mail failed; will retry');
    try {
      markOutboxFailed(db, job.data.outboxId, final, err.message);
    } catch (markErr) {
      // (the database is locked or full: the row stays as it was; BullMQ still retries the job, and a
      // final failure stays in the dead-letter list)
      logger.error({ err: markErr, outboxId: job.data.outboxId }, 'could not record the mail failure in the database');
    }
  });
  return runningWorker('forward', worker, logger, health, () => dispatcher.stop(), () => sender.close());
}
