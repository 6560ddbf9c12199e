/**
 * The outbox dispatcher races the senders: a fast sender can send a row (and mark it `sent`) before the
 * dispatcher, back from `queue.add`, marks it `queued`. Several dispatchers run (intake, forward,
 * scheduler). A row set back to `queued` over `sent` was found by the stale sweep once its finished
 * job was cleaned up (removeOnComplete), set pending and sent again: the division got the forward twice.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Queue } from 'bullmq';
import { closeDb, openDb, type Db } from '../../core/db/client.ts';
import { outbox } from '../../core/db/schema.ts';
import { deliverOutboxMail, markOutboxFailed } from '../../core/forward.ts';
import { createLogger } from '../../core/logger.ts';
import type { MailPayload } from '../../core/mail/compose.ts';
import type { MailSender } from '../../core/mail/transport.ts';
import { OutboxDispatcher } from '../../core/outbox.ts';
import { QUEUES, queueSettings } from '../../core/queue.ts';
import { getOutbox, insertOutbox } from '../../core/repo/outbox.repo.ts';
import { testConfig } from '../helpers/config.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let db: Db;
beforeAll(async () => { redis = await startRedis({ durable: false }); });
afterAll(async () => { if (db) closeDb(db); await redis?.dispose(); });

describe('outbox dispatcher and senders', () => {
  it('a row sent before the dispatcher marks it queued stays sent, and is never sent again', async () => {
    const config = testConfig({ redisUrl: redis.url });
    db = openDb(config.database.path);
    const sent: string[] = [];
    const sender: MailSender = { send: async (p) => { sent.push(p.messageId); return { messageId: p.messageId }; }, verify: async () => {}, close: () => {} };
    const payload: MailPayload = { from: 'aduan@dprd.test', to: ['komisi-c@dprd.test'], subject: 'x', text: 'x', messageId: '<ADU-2026-000001.forward@dprd.test>', headers: {}, attachments: [] } as unknown as MailPayload;
    const now = new Date().toISOString();
    insertOutbox(db, { id: 'ADU-2026-000001.forward', caseId: null, kind: 'mail', queue: QUEUES.mail, payload, now });
    // a sender as fast as the file transport: the job is done before `add` returns to the dispatcher
    const add = Queue.prototype.add;
    const spy = vi.spyOn(Queue.prototype, 'add').mockImplementation(async function (this: Queue, ...args: Parameters<Queue['add']>) {
      const job = await add.apply(this, args);
      await deliverOutboxMail(db, sender, (args[1] as { outboxId: string }).outboxId);
      return job;
    });
    const dispatcher = new OutboxDispatcher(config, db, createLogger({ process: 'test' }, { write: () => {} } as never));
    try {
      expect(await dispatcher.kick()).toBe(1);
      spy.mockRestore();
      expect(getOutbox(db, 'ADU-2026-000001.forward')!.status).toBe('sent');
      // an hour later: the finished job is cleaned up, the stale sweep looks at rows still "queued"
      const q = new Queue(QUEUES.mail, queueSettings(config, 'worker'));
      await (await q.getJob('ADU-2026-000001.forward'))?.remove();
      await q.close();
      db.update(outbox).set({ updatedAt: new Date(Date.now() - 3_600_000).toISOString() }).run();
      await dispatcher.kick();
      expect(getOutbox(db, 'ADU-2026-000001.forward')!.status).toBe('sent');
      expect(sent).toEqual(['<ADU-2026-000001.forward@dprd.test>']);
      // a late failure report of an earlier attempt does not mark a sent row dead or queued
      markOutboxFailed(db, 'ADU-2026-000001.forward', true, 'late');
      expect(getOutbox(db, 'ADU-2026-000001.forward')!.status).toBe('sent');
    } finally {
      spy.mockRestore();
      await dispatcher.stop();
    }
  });

  it('a reply to a citizen is retried at most 15 minutes apart, for about three days (an SMS phone back after a day is not waited on for another day)', async () => {
    const { cappedBackoff, outboundQueueName } = await import('../../core/queue.ts');
    expect([1, 2, 3, 8, 9, 50].map(cappedBackoff)).toEqual([5_000, 10_000, 20_000, 640_000, 900_000, 900_000]);
    const config = testConfig({ redisUrl: redis.url });
    const db2 = openDb(config.database.path);
    insertOutbox(db2, { id: 'ADU-2026-000002.ack', caseId: null, kind: 'channel', queue: outboundQueueName('sms-test'), payload: { outboxId: 'ADU-2026-000002.ack' }, now: new Date().toISOString() });
    const dispatcher = new OutboxDispatcher(config, db2, createLogger({ process: 'test' }, { write: () => {} } as never));
    try {
      expect(await dispatcher.kick()).toBe(1);
      const q = new Queue(outboundQueueName('sms-test'), queueSettings(config, 'worker'));
      const job = (await q.getJob('ADU-2026-000002.ack'))!;
      expect(job.opts).toMatchObject({ attempts: 300, backoff: { type: 'capped' } });
      // the sum of the waits: about three days
      const total = Array.from({ length: 299 }, (_, i) => cappedBackoff(i + 1)).reduce((a, b) => a + b, 0);
      expect(total / 86_400_000).toBeGreaterThan(2.9);
      expect(total / 86_400_000).toBeLessThan(3.2);
      await q.close();
    } finally {
      await dispatcher.stop();
      closeDb(db2);
    }
  });
});
