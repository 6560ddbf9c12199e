/**
 * Redis goes away for a while under a running gateway. Every ioredis connection of every process (the
 * connectors' queues and locks, the workers' BullMQ queues and workers) failed every few seconds and
 * logged each ECONNREFUSED: `pm2 logs` during a ten-minute outage was thousands of lines that hid
 * everything else. Now each process says it once (which Redis, which process), at most once a
 * minute that it still cannot reach it (here every 1.5 s: ADUAN_REDIS_OUTAGE_LOG_MS), and once that
 * it is back.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../core/db/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { startSchedulerWorker } from '../../workers/scheduler.worker.ts';
import type { RunningWorker } from '../../workers/running.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { freePort, waitFor } from '../helpers/ports.ts';

const EVERY_MS = 1_500;
let h: Harness;
let scheduler: RunningWorker;
let web: string;
const lines: { process: string; connector?: string; level: number; msg: string; err?: { message?: string } }[] = [];
const logs = { write: (s: string) => { lines.push(JSON.parse(s) as (typeof lines)[number]); return true; } } as unknown as pino.DestinationStream;
const who = (l: (typeof lines)[number]): string => [l.process, l.connector].filter(Boolean).join(' ');
const PROCESSES = ['connector web', 'intake', 'forward', 'scheduler'];
const previous = process.env['ADUAN_REDIS_OUTAGE_LOG_MS'];

beforeAll(async () => {
  process.env['ADUAN_REDIS_OUTAGE_LOG_MS'] = String(EVERY_MS);
  const port = await freePort();
  h = await startHarness({ channels: [{ id: 'web', type: 'web', listen: { host: '127.0.0.1', port } }] }, { logs });
  const { runtime } = await h.startConnector('web');
  // (a channel that sends replies has an outbound worker too: one more Redis connection of the connector)
  runtime.ctx.onOutbound(async () => undefined);
  h.startIntake();
  h.startForward();
  scheduler = startSchedulerWorker({ config: h.config, db: h.db, logger: createLogger({ process: 'scheduler' }, logs), outboundChannels: new Set(), everyMs: 500 });
  web = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await scheduler?.close();
  await h?.stop();
  if (previous === undefined) delete process.env['ADUAN_REDIS_OUTAGE_LOG_MS'];
  else process.env['ADUAN_REDIS_OUTAGE_LOG_MS'] = previous;
});

const send = async (text: string): Promise<string> => {
  const res = await fetch(`${web}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga@example.org', text }) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};
const recorded = (id: string) => h.db.select().from(messages).all().some((m) => m.ingestId === id);

describe('a Redis outage in the logs', () => {
  it('each process says once that Redis is unreachable, then at most once per interval, then once that it is back', async () => {
    const before = await send('Lampu jalan di Jl. Kaliurang mati sejak kemarin.');
    await waitFor(() => recorded(before), 15_000);
    lines.length = 0;

    const down = Date.now();
    await h.redis.stop();
    // every process has noticed, and has been down long enough to say so again at least once
    await waitFor(() => PROCESSES.every((p) => lines.some((l) => who(l) === p && l.msg.startsWith('Redis still unreachable for'))), 30_000, 50);
    // a website keeps posting meanwhile: each request is answered 503, the log says so once
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${web}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'warga@example.org', text: `Aduan ${i} saat Redis mati.` }) });
      expect(res.status).toBe(503);
    }
    const refusedLines = lines.filter((l) => who(l) === 'connector web' && (l as { code?: string }).code === 'QUEUE.UNAVAILABLE');
    expect(refusedLines.map((l) => l.msg)).toEqual([expect.stringContaining('Message queue (Redis) unavailable')]);
    await h.redis.restart();
    await waitFor(() => PROCESSES.every((p) => lines.some((l) => who(l) === p && l.msg.startsWith('Redis reachable again after'))), 30_000, 50);
    const outageMs = Date.now() - down;
    // and everything works again: a new message is queued and recorded
    const after = await send('Sampah menumpuk di pinggir Jl. Magelang.');
    await waitFor(() => recorded(after), 15_000);

    for (const p of PROCESSES) {
      const own = lines.filter((l) => who(l) === p);
      const first = own.filter((l) => l.msg.startsWith('Redis unreachable at'));
      expect(first, p).toHaveLength(1);
      expect(first[0]!.level).toBe(40);
      expect(first[0]!.msg).toContain(h.redis.url);
      expect(first[0]!.msg).toContain(`(${p})`);
      const still = own.filter((l) => l.msg.startsWith('Redis still unreachable for'));
      expect(still.length, p).toBeLessThanOrEqual(Math.ceil(outageMs / EVERY_MS));
      for (const l of still) expect(l.msg).toMatch(/^Redis still unreachable for \d+ s \(\d+ errors\)$/);
      const back = own.filter((l) => l.msg.startsWith('Redis reachable again after'));
      expect(back, p).toHaveLength(1);
      expect(back[0]!.level).toBe(30);
      expect(back[0]!.msg).toMatch(/^Redis reachable again after \d+ s$/);
      // nothing else about the connection: no line per error, per connection, per retry
      const other = own.filter((l) => !l.msg.startsWith('Redis ') && /ECONNREFUSED|Connection is closed/.test(`${l.msg} ${l.err?.message ?? ''}`));
      expect(other.map((l) => l.msg), p).toEqual([]);
    }
  }, 90_000);
});
