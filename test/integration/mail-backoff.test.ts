/**
 * How long a mail is retried while the SMTP server is down or answers 4xx: the waits the forward worker
 * applies to the jobs the outbox dispatcher queues. With the defaults (mail.retry: 15 attempts from 30 s)
 * the README promises about 9 hours before the dead-letter list; plain exponential backoff waited 68
 * hours before the last attempt (5.7 days in all), so mail held up by an outage of half a day went out
 * 5 hours after the server was back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backoffs, Queue } from 'bullmq';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { OutboxDispatcher } from '../../core/outbox.ts';
import { mailBackoff, QUEUES, queueSettings } from '../../core/queue.ts';
import { insertOutbox } from '../../core/repo/outbox.repo.ts';
import { testConfig } from '../helpers/config.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let db: Db;
beforeAll(async () => { redis = await startRedis({ durable: false }); });
afterAll(async () => { if (db) closeDb(db); await redis?.dispose(); });

describe('mail retry schedule', () => {
  it('waits at most an hour between attempts and dead-letters after about 8 hours with the defaults', async () => {
    const config = testConfig({ redisUrl: redis.url });
    expect(config.mail.retry).toEqual({ attempts: 15, backoffMs: 30_000 });
    db = openDb(config.database.path);
    insertOutbox(db, { id: 'ADU-2026-000001.forward', caseId: null, kind: 'mail', queue: QUEUES.mail, now: new Date().toISOString(),
      payload: { to: ['komisi-c@dprd.test'], subject: 'x', text: 'x', messageId: '<ADU-2026-000001.forward@dprd.test>', headers: {}, attachments: [] } });
    const dispatcher = new OutboxDispatcher(config, db, createLogger({ process: 'test' }, { write: () => {} } as never));
    const q = new Queue(QUEUES.mail, queueSettings(config, 'worker'));
    try {
      expect(await dispatcher.kick()).toBe(1);
      const job = (await q.getJob('ADU-2026-000001.forward'))!;
      expect(job.opts.attempts).toBe(15);
      // the wait after each failed attempt but the last, as the forward worker computes it
      const waits: number[] = [];
      for (let made = 1; made < 15; made++) waits.push(await Backoffs.calculate(Backoffs.normalize(job.opts.backoff!)!, made, new Error('451'), job, mailBackoff) as number);
      expect(waits[0]).toBe(30_000);
      expect(Math.max(...waits)).toBeLessThanOrEqual(3_600_000);
      const total = waits.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(7 * 3_600_000);
      expect(total).toBeLessThan(9 * 3_600_000);
    } finally {
      await dispatcher.stop();
      await q.close();
    }
  });
});
