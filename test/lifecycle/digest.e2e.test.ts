/**
 * The digest of joined reports with real parts: three citizens submit the same problem on the web
 * form (real HTTP, real Redis queue, the intake worker with the committed model), the forward worker
 * mails the first report to the division's inbox on a real SMTP server, and the scheduler worker
 * (BullMQ job scheduler) writes one digest for the other two, which the forward worker sends,
 * threaded under the first forward.
 */
import { eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, digestItems, outbox } from '../../core/db/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { createUnderstander } from '../../core/understanding/index.ts';
import { loadDivisions } from '../../scripts/eval.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const LIGHT = 'Lampu PJU di Jalan Kenari depan SD Negeri Kenari mati sejak seminggu, jalan gelap sekali dan rawan jambret. Mohon segera diperbaiki.';

let h: Harness;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }], divisions: loadDivisions(), classifier: { auditShare: 0 } });
  await h.startConnector('web');
  h.startIntake(createUnderstander(h.config));
  h.startForward();
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await h?.stop();
});

const submit = async (email: string, text: string) => {
  const res = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, name: 'Warga', text }) });
  expect(res.status).toBe(202);
};
const toDivision = () => h.smtp.mails.filter((m) => m.envelope.to.includes('komisi-c@localhost'));

describe('digest of joined reports, end to end', () => {
  it('three web reports of one problem: one forward, then one digest from the scheduler, threaded under it', async () => {
    await submit('warga1@example.org', LIGHT);
    await waitFor(() => toDivision().length === 1, 15_000);
    await submit('warga2@example.org', `${LIGHT} Tolong pak.`);
    await submit('warga3@example.org', `${LIGHT} Sudah dua minggu.`);
    await waitFor(() => h.db.select().from(digestItems).all().length === 2, 15_000);
    const all = h.db.select().from(cases).orderBy(cases.id).all();
    expect(all.map((c) => c.status)).toEqual(['forwarded', 'forwarded', 'forwarded']);
    expect(all.slice(1).map((c) => c.relatedToCaseId)).toEqual([all[0]!.id, all[0]!.id]);
    // the citizens were acknowledged; the division still has only the first forward
    await waitFor(() => h.smtp.mails.filter((m) => /warga[23]@/.test(m.envelope.to.join())).length === 2, 15_000);
    expect(toDivision()).toHaveLength(1);

    // an hour passes (dedupe.digestMinutes 60): the scheduler writes the digest, the forward worker sends it
    const earlier = new Date(Date.now() - 61 * 60_000).toISOString();
    h.db.update(digestItems).set({ joinedAt: earlier }).where(isNull(digestItems.outboxId)).run();
    const scheduler = startSchedulerWorker({ config: h.config, db: h.db, logger: createLogger({ process: 'scheduler' }, pino.destination('/dev/null')), outboundChannels: new Set(), everyMs: 300 });
    try {
      await waitFor(() => toDivision().length === 2, 15_000);
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await scheduler.close();
    }
    const [forward, digest] = toDivision().map((m) => m.parsed);
    expect(toDivision()).toHaveLength(2);
    expect(digest!.subject).toBe(`[${all[0]!.number}] Laporan tambahan: 2 pelapor lain, masalah yang sama`);
    expect(digest!.inReplyTo).toBe(forward!.messageId);
    expect(digest!.text).toContain(`1. ${all[1]!.number} — Formulir web (web)`);
    expect(digest!.text).toContain('E-mail   : warga3@example.org');
    expect(digest!.text).toContain('Sudah dua minggu.');
    expect(h.db.select().from(outbox).where(eq(outbox.id, `${all[0]!.number}.digest-1`)).get()!.status).toBe('sent');
  }, 60_000);
});
