import { Queue, type Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import { quarantine } from '../../core/db/schema.ts';
import { ingestId } from '../../core/message.ts';
import { outboundQueueName } from '../../core/queue.ts';
import type { ChannelReply } from '../../core/connector.ts';
import type { Harness } from '../helpers/harness.ts';

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

/** Put a reply on a connector's outbound queue, as the intake's outbox dispatcher does. */
export async function pushReply(h: Harness, connectorId: string, reply: ChannelReply): Promise<void> {
  const url = new URL(h.redis.url);
  const q = new Queue(outboundQueueName(connectorId), { connection: { host: url.hostname, port: Number(url.port) }, prefix: h.config.redis.prefix });
  await q.add('reply', reply, { jobId: reply.outboxId, attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  await q.close();
}
