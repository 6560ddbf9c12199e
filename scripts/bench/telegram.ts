// `npm run bench -- telegram`: 10,000 updates served by the local fake Bot API in getUpdates
// batches of 100 to the Telegram connector running in its own process (as in production) with a
// real redis-server; prints updates/s until all are queued and confirmed, and the connector's
// peak RSS. Targets: ≥ 1,000 updates/s, RSS ≤ 150 MB.
import { spawn } from 'node:child_process';
import { runBenchChild } from '../bench-support/child.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { telegramConnector } from '../../connectors/telegram/index.ts';
import { loadConfigText } from '../../core/config/load.ts';
import { openDb } from '../../core/db/client.ts';
import { queueSettings, QUEUES } from '../../core/queue.ts';
import { FakeBotApi, make } from '../../test/telegram/fake-bot-api.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const TOTAL = Number(process.env['BENCH_UPDATES'] ?? 10_000);
const CHATS = 1_000;
const CHANNEL = 'telegram-bench';
const SELF = fileURLToPath(import.meta.url);
// Only this connector's schema: the bench process should not load every other channel's libraries.
const CHANNEL_SCHEMAS = { telegram: telegramConnector.configSchema };

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-bench-tg-'));
  const redis = await startRedis();
  const fake = await new FakeBotApi().start();
  try {
    const raw = {
      redis: { url: redis.url, prefix: 'benchtg' },
      database: { path: path.join(dir, 'aduan.db') },
      storage: { dir: path.join(dir, 'storage') },
      channels: [{ id: CHANNEL, type: 'telegram', token: fake.token, apiRoot: fake.url, polling: { timeoutSeconds: 1, limit: 100 } }],
    };
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(raw));
    const { config } = loadConfigText(JSON.stringify(raw), '(bench)', { channelSchemas: CHANNEL_SCHEMAS });
    openDb(config.database.path).$client.close();

    let lastId = 0;
    for (let i = 0; i < TOTAL; i += 1) {
      const chatId = 9_000_000 + (i % CHATS);
      const u = fake.push(make.text(`Laporan ${i}: lampu penerangan jalan di gang ${i % 97} padam sejak kemarin malam, mohon diperbaiki.`, { chatId, messageId: 1 + Math.floor(i / CHATS) }));
      lastId = u['update_id'] as number;
    }

    const child = spawn(process.execPath, [...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean), '--import', 'tsx', SELF, '--child', configFile, CHANNEL], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ADUAN_LOG_LEVEL: 'warn' } });
    let startRss = 0;
    child.stdout!.on('data', (d: Buffer) => {
      const m = /RSS_AFTER_START (\d+)/.exec(d.toString());
      if (m) startRss = Number(m[1]);
    });
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // not started yet / gone
      }
    }, 50);

    const deadline = Date.now() + 180_000;
    while (fake.confirmedOffset <= lastId && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const first = fake.callsOf('getUpdates').find((c) => Number(c.payload['offset'] ?? 0) >= 0);
    const end = Date.now();
    clearInterval(sampler);
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // gone
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

    const queue = new Queue(QUEUES.intake, queueSettings(config, 'worker'));
    const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    await queue.close();
    const queued = Object.values(counts).reduce((a, b) => a + b, 0);
    if (fake.confirmedOffset <= lastId) {
      console.log(`telegram: NOT FINISHED within 180 s (confirmed up to ${fake.confirmedOffset}, last ${lastId}); queued ${queued}`);
      process.exitCode = 1;
      return;
    }
    const seconds = (end - (first?.at ?? end)) / 1000;
    const rate = TOTAL / seconds;
    const rssMb = peakKb / 1024;
    console.log(`telegram: ${TOTAL} updates (${CHATS} chats, batches of 100) queued in ${seconds.toFixed(2)} s → ${Math.round(rate)} updates/s (target ≥ 1000) ${rate >= 1000 ? 'OK' : 'BELOW TARGET'}`);
    console.log(`telegram: jobs in the intake queue ${queued} (expected ${TOTAL}); getUpdates calls ${fake.callsOf('getUpdates').length}`);
    console.log(`telegram: connector peak RSS ${rssMb.toFixed(1)} MB (target ≤ 150) ${rssMb <= 150 ? 'OK' : 'ABOVE TARGET'}; RSS right after start() ${(startRss / 1048576).toFixed(1)} MB (tsx loader, telegraf, BullMQ, SQLite loaded)`);
  } finally {
    await fake.stop();
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child' && path.resolve(process.argv[1] ?? '') === SELF) {
  await runBenchChild(process.argv[3]!, process.argv[4]!, telegramConnector);
}
