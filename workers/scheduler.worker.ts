import { Queue, Worker } from 'bullmq';
import type { AduanConfig } from '../core/config/schema.ts';
import type { Db } from '../core/db/client.ts';
import { runDigests } from '../core/lifecycle/digest.ts';
import { runSweeps } from '../core/lifecycle/sweeps.ts';
import type { Logger } from '../core/logger.ts';
import { OutboxDispatcher } from '../core/outbox.ts';
import { redisHealth } from '../core/redis-health.ts';
import { QUEUES, queueSettings } from '../core/queue.ts';
import { runningWorker, type RunningWorker } from './running.ts';

const SWEEP_SCHEDULE = 'sla-sweep';

/**
 * SLA clocks, the archive and the digests of joined reports (dedupe.digestMinutes): a BullMQ job scheduler (kept in Redis, so it survives restarts) fires
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
  const register = () => queue.upsertJobScheduler(SWEEP_SCHEDULE, { every }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
  void register().catch((err: unknown) => { if (!health.report(err)) logger.error({ err }, 'could not register the sweep schedule; will check again'); });
  let checking = false;
  const watchdog = setInterval(() => {
    if (checking) return;
    checking = true;
    void (async () => {
      if (await queue.getJobScheduler(SWEEP_SCHEDULE)) return;
      logger.warn('the SLA sweep schedule was missing in Redis (Redis restarted without its data, FLUSHALL, or evicted keys?); registered it again. Run Redis with appendonly yes and maxmemory-policy noeviction');
      await register();
    })().catch((err: unknown) => { if (!health.report(err)) logger.warn({ err }, 'could not check the sweep schedule; will check again'); })
      .finally(() => { checking = false; });
  }, every);
  watchdog.unref();
  const worker = new Worker(QUEUES.scheduler, async () => {
    const result = runSweeps({ config, db, logger, outboundChannels: deps.outboundChannels });
    const digests = runDigests({ config, db, logger });
    await dispatcher.kick();
    return { ...result, digests };
  }, settings);
  return runningWorker('scheduler', worker, logger, health, () => clearInterval(watchdog), () => queue.close(), () => dispatcher.stop());
}
