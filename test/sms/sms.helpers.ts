import { Queue, type Job, type JobsOptions } from 'bullmq';
import { expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { quarantine } from '../../core/db/schema.ts';
import { ingestId } from '../../core/message.ts';
import { outboundQueueName } from '../../core/queue.ts';
import type { ChannelReply } from '../../core/connector.ts';
import type { Harness } from '../helpers/harness.ts';
import type { FakeProvider } from './fake-provider.ts';
import { waitFor } from '../helpers/ports.ts';

/** The intake queue as a test sees it (same Redis, same prefix). */
export function intakeQueue(h: Harness): Queue {
  const url = new URL(h.redis.url);
  const q = new Queue('intake', { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
  q.on('error', () => undefined); // Redis-down tests stop the server under it
  return q;
}

export async function jobFor(q: Queue, connectorId: string, externalId: string): Promise<Job | undefined> {
  return (await q.getJob(ingestId(connectorId, externalId))) ?? undefined;
}

export async function allJobs(q: Queue): Promise<Job[]> {
  return q.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
}

export function quarantined(h: Harness, connectorId: string) {
  return h.db.select().from(quarantine).where(eq(quarantine.connectorId, connectorId)).all();
}

/**
 * Put a reply on a connector's outbound queue, as the intake's outbox dispatcher does: by default
 * retried quickly (3 attempts, 100 ms apart); `jobOptions` OUTBOUND_JOB_OPTIONS for the real backoff.
 */
export async function pushReply(h: Harness, connectorId: string, reply: ChannelReply, jobOptions: JobsOptions = { attempts: 3, backoff: { type: 'fixed', delay: 100 } }): Promise<void> {
  const q = outboundQueue(h, connectorId);
  await q.add('reply', reply, { jobId: reply.outboxId, ...jobOptions });
  await q.close();
}

function outboundQueue(h: Harness, connectorId: string): Queue {
  const url = new URL(h.redis.url);
  return new Queue(outboundQueueName(connectorId), { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
}

/**
 * Wait until the outbound job `jobId` waits as a delayed job, then promote it (the test need not wait
 * out the delay); returns the delay BullMQ chose for it (the backoff).
 */
export async function promoteDelayed(h: Harness, connectorId: string, jobId: string): Promise<number> {
  const q = outboundQueue(h, connectorId);
  try {
    await waitFor(async () => (await (await q.getJob(jobId))?.getState()) === 'delayed', 10_000);
    const job = (await q.getJob(jobId))!;
    const delay = job.delay;
    await job.promote();
    return delay;
  } finally {
    await q.close();
  }
}

/**
 * A gateway's 429 with `Retry-After: 120`, then its 503 with Retry-After as an HTTP date ten minutes on: each
 * reply's next attempt is delayed as long as asked (not the queue's 5 s), then sent. Returns after the
 * fourth send to `phone` (`sends` counts them).
 */
export async function expectRetryAfterHonoured(
  h: Harness, connectorId: string, fake: Pick<FakeProvider, 'failNext'>,
  reply: { idPrefix: string; caseNumber: string; phone: string }, sends: () => number, jobOptions: JobsOptions,
): Promise<void> {
  const inTenMinutes = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000).toUTCString();
  const push = (n: number, text: string) => pushReply(h, connectorId, { outboxId: `${reply.idPrefix}-${n}`, caseNumber: reply.caseNumber, to: { phone: reply.phone }, text }, jobOptions);
  fake.failNext = [{ status: 429, headers: { 'retry-after': '120' } }];
  await push(1, 'Aduan Anda diterima.');
  expect(await promoteDelayed(h, connectorId, `${reply.idPrefix}-1`)).toBeGreaterThanOrEqual(120_000);
  await waitFor(() => sends() === 2);
  fake.failNext = [{ status: 503, headers: { 'retry-after': inTenMinutes } }];
  await push(2, 'Pesan kedua.');
  // (an HTTP date counts to the second: at least the ten minutes less the time this test took)
  expect(await promoteDelayed(h, connectorId, `${reply.idPrefix}-2`)).toBeGreaterThan(540_000);
  await waitFor(() => sends() === 4);
}
