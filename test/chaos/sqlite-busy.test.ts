/**
 * The database is locked by another process (an `aduan` command, a `VACUUM`, a backup tool taking the
 * write lock) for longer than busy_timeout right after the SMTP server took a mail or the provider took
 * a reply. The send had happened, but recording it as sent failed, the job failed, and its retry sent
 * the same mail again: the division (or the citizen, by SMS) got it twice, once per such lock.
 */
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { outbox } from '../../core/db/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { OUTBOUND_JOB_OPTIONS, QUEUES, outboundQueueName, queueSettings } from '../../core/queue.ts';
import { createConnectorContext } from '../../core/runtime.ts';
import { insertOutbox } from '../../core/repo/outbox.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let h: Harness;
const lines: string[] = [];
const logs = { write: (s: string) => { lines.push(s); return true; } } as unknown as pino.DestinationStream;

beforeAll(async () => {
  h = await startHarness({}, { logs });
  // the gateway's connection gives up on a lock after 300 ms instead of 10 s: the same path, sooner
  h.db.$client.pragma('busy_timeout = 300');
});
afterAll(async () => { await h?.stop(); });

/** Another connection (another process, as far as SQLite is concerned) takes the write lock. */
function lockDatabase(): { release(): void } {
  const other = new Database(h.config.database.path);
  other.exec('BEGIN IMMEDIATE');
  return { release: () => { other.exec('COMMIT'); other.close(); } };
}

const statusOf = (id: string) => h.db.select().from(outbox).where(eq(outbox.id, id)).get()?.status;

describe('SQLite locked right after a send', () => {
  it('a forward the SMTP server took is recorded as sent once the lock is gone, not mailed again', async () => {
    const id = 'ADU-2026-000001.forward';
    const messageId = `<${id}@dprd.test>`;
    insertOutbox(h.db, { id, caseId: null, kind: 'mail', queue: QUEUES.mail, now: new Date().toISOString(),
      payload: { to: ['humas@dprd.test'], subject: '[ADU-2026-000001] Lampu jalan mati', text: 'Lampu jalan mati.', messageId, headers: {}, attachments: [] } });
    let lock: { release(): void } | undefined;
    h.smtp.onMail = (mail) => { if (!lock && mail.parsed.messageId === messageId) lock = lockDatabase(); };
    const mails = () => h.smtp.mails.filter((m) => m.parsed.messageId === messageId).length;
    h.startForward();
    try {
      // the lock is let go once the forward worker has run into it after the send
      await waitFor(() => lock !== undefined && lines.some((l) => l.includes('database is locked')), 20_000);
    } finally {
      lock?.release();
    }
    await waitFor(() => statusOf(id) === 'sent', 20_000);
    const queue = new Queue(QUEUES.mail, queueSettings(h.config, 'worker'));
    try {
      await waitFor(async () => (await (await queue.getJob(id))?.getState()) === 'completed', 20_000);
    } finally {
      await queue.close();
    }
    expect(mails()).toBe(1);
    expect(h.db.select().from(outbox).where(eq(outbox.id, id)).get()!.sentAt).not.toBeNull();
  });

  it('a reply the channel took is recorded as sent once the lock is gone, not sent again', async () => {
    const channel = { id: 'sms-busy', type: 'web', enabled: true } as never;
    const runtime = createConnectorContext({ config: h.config, channel, db: h.db, logger: createLogger({ process: 'connector' }, logs) });
    const id = 'ADU-2026-000002.ack';
    const queueName = outboundQueueName('sms-busy');
    const sent: string[] = [];
    let lock: { release(): void } | undefined;
    runtime.ctx.onOutbound(async (reply) => {
      sent.push(reply.outboxId);
      lock ??= lockDatabase();
    });
    const before = lines.length;
    const reply = { outboxId: id, to: { phone: '+6281377778888' }, text: 'Aduan Anda kami terima: ADU-2026-000002.' };
    insertOutbox(h.db, { id, caseId: null, kind: 'channel', queue: queueName, payload: reply, now: new Date().toISOString() });
    const queue = new Queue(queueName, queueSettings(h.config, 'worker'));
    try {
      await queue.add('channel', reply, { jobId: id, ...OUTBOUND_JOB_OPTIONS });
      try {
        await waitFor(() => lock !== undefined && lines.slice(before).some((l) => l.includes('database is locked')), 20_000);
      } finally {
        lock?.release();
      }
      await waitFor(() => statusOf(id) === 'sent', 20_000);
      await waitFor(async () => (await (await queue.getJob(id))?.getState()) === 'completed', 20_000);
    } finally {
      await queue.close();
      await runtime.close();
    }
    expect(sent).toEqual([id]);
  });
});
