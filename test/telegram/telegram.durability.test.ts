import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../core/db/schema.ts';
import { queueSettings, QUEUES } from '../../core/queue.ts';
import { getState } from '../../core/repo/state.repo.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { waitFor } from '../helpers/ports.ts';
import { FakeBotApi, make } from './fake-bot-api.ts';

const CONNECTOR = 'telegram-dur';

describe('telegram polling durability', () => {
  let fake: FakeBotApi;
  let h: Harness;
  let queue: Queue;
  const children: ChildProcess[] = [];
  let configFile: string;

  beforeAll(async () => {
    fake = await new FakeBotApi().start();
    h = await startHarness({
      channels: [{ id: CONNECTOR, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1 }, albumWaitMs: 200 }],
    });
    queue = new Queue(QUEUES.intake, queueSettings(h.config, 'worker'));
    queue.on('error', () => undefined);
    configFile = path.join(h.config.dataDir, 'config.json');
    const { dataDir: _dataDir, ...plain } = h.config;
    writeFileSync(configFile, JSON.stringify(plain));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await kill(c, 'SIGKILL');
  });
  afterAll(async () => {
    await queue?.close();
    await h?.stop();
    await fake?.stop();
  });

  const offset = () => getState<number>(h.db, CONNECTOR, 'offset') ?? 0;
  const jobsFor = async (externalId: string) => (await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => (j?.data as { externalId?: string } | undefined)?.externalId === externalId);

  function child(hang?: string): { proc: ChildProcess; out: string[] } {
    const out: string[] = [];
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child-connector.ts'), configFile, CONNECTOR], {
      env: { ...process.env, ...(hang ? { ADUAN_TG_HANG: hang } : {}), ADUAN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    proc.stdout!.on('data', (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean)));
    children.push(proc);
    return { proc, out };
  }

  it('SIGKILL between getUpdates and enqueue: the update is taken again after restart, one job, one case', { timeout: 90_000 }, async () => {
    const u = fake.push(make.text('Jembatan di Jl. Sagan retak, mohon segera dicek.', { chatId: 7770001, messageId: 1 }));
    const before = offset();
    const first = child('before-enqueue');
    await waitFor(() => first.out.some((l) => l === 'HANG before-enqueue 7770001:1'), 40_000);
    await kill(first.proc, 'SIGKILL');
    expect(offset()).toBe(before);
    expect(fake.pending.map((p) => p['update_id'])).toContain(u['update_id']);
    expect(await jobsFor('7770001:1')).toHaveLength(0);

    const second = child();
    await waitFor(() => second.out.includes('ENQUEUED 7770001:1'), 40_000);
    await waitFor(() => offset() > (u['update_id'] as number));
    expect(await jobsFor('7770001:1')).toHaveLength(1);
    await kill(second.proc, 'SIGTERM');

    const intake = h.startIntake();
    await waitFor(async () => (await queue.getJobCounts('waiting', 'active')).waiting === 0);
    await waitFor(() => h.db.select({ n: count() }).from(cases).where(eq(cases.connectorId, CONNECTOR)).get()!.n === 1);
    await intake.close();
  });

  it('SIGKILL after enqueue but before the offset is stored: re-taken, still one job and one case', { timeout: 90_000 }, async () => {
    const u = fake.push(make.text('Got drainase di Jl. Tamansiswa meluap setiap hujan.', { chatId: 7770002, messageId: 1 }));
    const first = child('after-enqueue');
    await waitFor(() => first.out.includes('HANG after-enqueue 7770002:1'), 40_000);
    await kill(first.proc, 'SIGKILL');
    expect(offset()).toBeLessThanOrEqual(u['update_id'] as number);

    const second = child();
    await waitFor(() => second.out.includes('ENQUEUED 7770002:1'), 40_000);
    await waitFor(() => offset() > (u['update_id'] as number));
    expect(await jobsFor('7770002:1')).toHaveLength(1);
    await kill(second.proc, 'SIGTERM');
    const intake = h.startIntake();
    await waitFor(() => h.db.select({ n: count() }).from(cases).where(eq(cases.connectorId, CONNECTOR)).get()!.n === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.db.select({ n: count() }).from(cases).where(eq(cases.connectorId, CONNECTOR)).get()!.n).toBe(2);
    await intake.close();
  });

  it('Redis down: the offset is not advanced and the update stays with Telegram until Redis is back', { timeout: 300_000 }, async () => {
    const { instance } = await h.startConnector(CONNECTOR);
    await stage('connector healthy', () => waitFor(async () => (await instance.health()).ok, 60_000));
    const start = offset();
    await h.redis.stop();
    const u = fake.push(make.text('Kabel listrik menjuntai rendah di Jl. Parangtritis.', { chatId: 7770003, messageId: 1 }));
    const polls = fake.callsOf('getUpdates').length;
    // Several rounds of getUpdates while the queue refuses the message. (Each round waits out the enqueue's
    // deadline, 3 s, then a growing backoff: on a loaded machine three rounds took over a minute.)
    await stage('three polls while Redis is down', () => waitFor(() => fake.callsOf('getUpdates').length >= polls + 3, 150_000));
    expect(offset()).toBe(start);
    expect(offset()).toBeLessThanOrEqual(u['update_id'] as number);
    expect(fake.pending.map((p) => p['update_id'])).toContain(u['update_id']);
    for (const c of fake.callsOf('getUpdates').slice(polls)) expect(Number(c.payload['offset'])).toBeLessThanOrEqual(u['update_id'] as number);

    await h.redis.restart();
    await stage('offset advanced after Redis is back', () => waitFor(() => offset() > (u['update_id'] as number), 60_000));
    expect(await jobsFor('7770003:1')).toHaveLength(1);
  });
});

/** Name the step that timed out (waitFor's own message does not say). */
async function stage(name: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}

async function kill(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}
