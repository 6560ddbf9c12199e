import { Queue, Worker } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { runDigests } from '../core/lifecycle/digest.ts';
import { runSweeps } from '../core/lifecycle/sweeps.ts';
import type { Logger } from '../core/logger.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { QUEUES, queueSettings } from '../core/queue.ts';
import { runningWorker, type RunningWorker } from './running.ts';

/**
 * SLA clocks, the archive and the digests of joined reports (dedupe.digestMinutes): a BullMQ job scheduler (kept in Redis, so it survives restarts) fires
 * a sweep every `everyMs`; the sweep reads event times from SQLite, so nothing is lost while down.
 */
export function startSchedulerWorker(deps: { config: Readonly<AduanConfig>; db: Db; logger: Logger; outboundChannels: ReadonlySet<string>; everyMs?: number }): RunningWorker {
  const { config, db, logger } = deps;
  const settings = queueSettings(config, 'worker');
  const queue = new Queue(QUEUES.scheduler, settings);
  queue.on('error', (err) => logger.warn({ err }, 'scheduler queue error'));
  const dispatcher = new OutboxDispatcher(config, db, logger);
  void queue.upsertJobScheduler('sla-sweep', { every: deps.everyMs ?? 60_000 }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } })
    .catch((err: unknown) => logger.error({ err }, 'could not register the sweep schedule'));
  const worker = new Worker(QUEUES.scheduler, async () => {
    const result = runSweeps({ config, db, logger, outboundChannels: deps.outboundChannels });
    const digests = runDigests({ config, db, logger });
    await dispatcher.kick();
    return { ...result, digests };
  }, settings);
  return runningWorker('scheduler', worker, logger, () => queue.close(), () => dispatcher.stop());
}
