import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { deliverOutboxMail, markOutboxFailed, staffAddressesOf } from '../core/forward.ts';
import type { Logger } from '../core/logger.ts';
import { isPermanentSmtpError, type MailSender } from '../core/mail/transport.ts';
import { QUEUES, queueSettings } from '../core/queue.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { runningWorker, type RunningWorker } from './running.ts';

/** Sends outbox mails (division forwards, citizen acknowledgements); SMTP 5xx → dead-letter at once. */
export function startForwardWorker(deps: { config: Readonly<AduanConfig>; db: Db; logger: Logger; sender: MailSender; concurrency?: number }): RunningWorker {
  const { config, db, logger, sender } = deps;
  // A second dispatcher: outbox rows still go out while the intake worker is down (idempotent: job ids are row ids).
  const dispatcher = new OutboxDispatcher(config, db, logger);
  const policy = { config, staffAddresses: staffAddressesOf(config) };
  dispatcher.start(5_000);
  const worker = new Worker(
    QUEUES.mail,
    async (job: Job<{ outboxId: string }>) => {
      try {
        const result = await deliverOutboxMail(db, sender, job.data.outboxId, policy);
        if (result === 'skipped') logger.warn({ outboxId: job.data.outboxId }, 'automatic mail held back (per-recipient cap or blocked address)');
        else logger.info({ outboxId: job.data.outboxId, result }, 'mail delivered');
        return result;
      } catch (err) {
        if (isPermanentSmtpError(err)) throw new UnrecoverableError(`MAIL.REJECTED: ${(err as Error).message}`);
        throw err;
      }
    },
    { ...queueSettings(config, 'worker'), concurrency: deps.concurrency ?? 4 },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ err, outboxId: job.data.outboxId, attempt: job.attemptsMade, final }, final ? 'mail dead-lettered' : 'mail failed; will retry');
    markOutboxFailed(db, job.data.outboxId, final, err.message);
  });
  return runningWorker('forward', worker, logger, () => dispatcher.stop(), () => sender.close());
}
