/**
 * Redis loses its data under a running gateway: restarted without persistence, a `FLUSHALL` typed to
 * "fix" something, keys evicted by a maxmemory policy. The SLA sweeps' schedule (a BullMQ job scheduler)
 * lives in Redis: once gone, the scheduler worker waited for a job nobody would add again — reminders,
 * escalations, closing unanswered results and the archive stopped, silently, until someone restarted it.
 */
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../core/db/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';

let h: Harness;
const lines: string[] = [];
const logger = createLogger({ process: 'scheduler' }, { write: (s: string) => { lines.push(s); return true; } } as unknown as pino.DestinationStream);

beforeAll(async () => { h = await startHarness({ archive: { afterDays: 30 } }); });
afterAll(async () => { await h?.stop(); });

/** A case closed 40 days ago: the next sweep archives it. */
function closedLongAgo(n: number): number {
  const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
  return h.db.insert(cases).values({
    number: `ADU-2026-00000${n}`, status: 'closed', channel: 'web', kind: 'complaint', divisionId: 'humas',
    connectorId: 'web', token: `t${n}`, summary: `kasus ${n}`, createdAt: longAgo, updatedAt: longAgo, closedAt: longAgo,
  } as typeof cases.$inferInsert).returning({ id: cases.id }).get().id;
}
const status = (id: number) => h.db.select().from(cases).where(eq(cases.id, id)).get()!.status;

describe('Redis loses its data', () => {
  it('the scheduler registers its sweep schedule again, and the sweeps go on without a restart', async () => {
    const scheduler = startSchedulerWorker({ config: h.config, db: h.db, logger, outboundChannels: new Set(), everyMs: 300 });
    try {
      const first = closedLongAgo(1);
      await waitFor(() => status(first) === 'archived', 15_000);
      const r = new Redis(h.redis.url);
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
      const second = closedLongAgo(2);
      await waitFor(() => status(second) === 'archived', 15_000);
      expect(lines.some((l) => l.includes('sweep schedule was missing'))).toBe(true);
    } finally {
      await scheduler.close();
    }
  }, 40_000);
});
