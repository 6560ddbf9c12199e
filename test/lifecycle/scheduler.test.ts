import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { caseEvents, cases } from '../../core/db/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { closeDb, openDb } from '../../core/db/client.ts';
import { runSweeps } from '../../core/lifecycle/sweeps.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';

let h: Harness;
let base: string;
const quiet = createLogger({ process: 'scheduler' }, pino.destination('/dev/null'));

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }], archive: { afterDays: 30 } });
  await h.startConnector('web');
  h.startIntake();
  h.startForward();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h?.stop();
});

async function newCase(text: string): Promise<number> {
  await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `s${Date.now()}@example.org`, text }) });
  let id = 0;
  await waitFor(() => {
    const c = h.db.select().from(cases).all().find((x) => x.summary === text && x.status === 'forwarded');
    id = c?.id ?? 0;
    return id !== 0;
  });
  return id;
}

describe('scheduler worker (BullMQ job scheduler + SQLite clocks)', () => {
  it('runs sweeps on its schedule, and a restarted scheduler carries on where the last one stopped', async () => {
    const id = await newCase('Pohon tumbang menutup jalan di Kotabaru.');
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    h.db.update(cases).set({ status: 'closed', closedAt: longAgo, updatedAt: longAgo }).where(eq(cases.id, id)).run();
    const first = startSchedulerWorker({ config: h.config, db: h.db, logger: quiet, outboundChannels: new Set(), everyMs: 300 });
    await waitFor(() => h.db.select().from(cases).where(eq(cases.id, id)).get()!.status === 'archived', 15_000);
    await first.close();

    // Restart with a case whose reminder is due: state lives in SQLite, so nothing is lost or repeated.
    const id2 = await newCase('Saluran air meluap di Gedongkuning.');
    const old = new Date(Date.now() - 14 * 86_400_000).toISOString();
    h.db.update(caseEvents).set({ at: old }).where(eq(caseEvents.caseId, id2)).run();
    const second = startSchedulerWorker({ config: h.config, db: h.db, logger: quiet, outboundChannels: new Set(), everyMs: 300 });
    try {
      await waitFor(() => h.db.select().from(caseEvents).where(eq(caseEvents.caseId, id2)).all().some((e) => e.type.startsWith('sla_escalated:forwarded')), 15_000);
    } finally {
      await second.close();
    }
    // a fresh connection (another process after a restart) sees the same clocks and does nothing twice
    const db2 = openDb(h.config.database.path);
    try {
      const again = runSweeps({ config: h.config, db: db2, outboundChannels: new Set() });
      expect(again.escalations).toBe(0);
      expect(again.reminders).toBe(0);
    } finally {
      closeDb(db2);
    }
  }, 60_000);
});
