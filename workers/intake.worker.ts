import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { recordInbound, type IntakeResult } from '../core/intake.ts';
import type { Logger } from '../core/logger.ts';
import { inboundMessageSchema } from '../core/message.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { redisHealth } from '../core/redis-health.ts';
import { QUEUES, queueSettings } from '../core/queue.ts';
import { insertQuarantine } from '../core/repo/state.repo.ts';
import type { Understander } from '../core/understand.ts';
import { runningWorker, workerLockOptions, type RunningWorker } from './running.ts';

export type { RunningWorker };

export interface IntakeWorkerDeps {
  config: Readonly<AduanConfig>;
  db: Db;
  logger: Logger;
  understander: Understander;
  /** Channel ids whose connector sends replies (from the registry). */
  outboundChannels: ReadonlySet<string>;
  concurrency?: number;
}

/** Thin BullMQ processor: validate, call the intake use-case, kick the outbox dispatcher. */
export function startIntakeWorker(deps: IntakeWorkerDeps): RunningWorker {
  const { config, db, logger } = deps;
  deps.understander.prepare?.(db, logger);
  const health = redisHealth(config, logger);
  const dispatcher = new OutboxDispatcher(config, db, logger, health);
  dispatcher.start();
  const worker = new Worker(
    QUEUES.intake,
    async (job: Job): Promise<IntakeResult | { quarantined: number }> => {
      const parsed = inboundMessageSchema.safeParse(job.data);
      if (!parsed.success) {
        const id = insertQuarantine(db, {
          connectorId: typeof job.data?.connectorId === 'string' ? job.data.connectorId : 'unknown',
          externalId: typeof job.data?.externalId === 'string' ? job.data.externalId : null,
          code: 'MESSAGE.INVALID', reason: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          payload: JSON.stringify(job.data),
        }, new Date().toISOString());
        logger.warn({ jobId: job.id, quarantineId: id }, 'invalid inbound message quarantined');
        return { quarantined: id };
      }
      const result = recordInbound({ db, config, understander: deps.understander, outboundChannels: deps.outboundChannels }, parsed.data, job.id ?? '');
      if (result.idReused?.as === 'recorded') {
        // (no Message-ID, sender or text in the log: the two messages' ids lead to them in the database)
        logger.warn({ messageId: result.ingestId, firstMessageId: result.idReused.firstIngestId, caseNumber: result.caseNumber, firstCaseNumber: result.idReused.firstCaseNumber, channel: parsed.data.channel },
          "a message with another content came under the source id (e-mail: Message-ID) of a message already recorded: recorded as a message of its own; the sender's mailer gives one id to several messages — tell its administrator");
      } else if (result.idReused?.as === 'uncompared') {
        logger.warn({ messageId: result.ingestId, caseNumber: result.caseNumber, channel: parsed.data.channel },
          'a message came again under the source id (e-mail: Message-ID) of a message recorded before this version, whose stored original (storage.dir) is missing: taken as its redelivery, not recorded; if it was another message, it is only in the mailbox');
      }
      if (result.created) {
        logger.info({ messageId: result.ingestId, caseNumber: result.caseNumber, relation: result.relation, channel: parsed.data.channel }, 'message recorded');
        if (result.warning) logger.warn({ messageId: result.ingestId }, result.warning);
        void dispatcher.kick();
      }
      return result;
    },
    {
      ...queueSettings(config, 'worker'), concurrency: deps.concurrency ?? 1, autorun: true,
      // How fast a job held by a killed worker is taken again (BullMQ default 30 s); tests shorten it.
      ...workerLockOptions(),
    },
  );
  worker.on('failed', (job, err) => {
    logger.error({ err, jobId: job?.id, attempt: job?.attemptsMade }, 'intake job failed');
    if (err instanceof UnrecoverableError) return;
  });
  return runningWorker('intake', worker, logger, health, () => dispatcher.stop());
}
