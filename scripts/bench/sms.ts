// `npm run bench -- sms`: (1) 10,000 Gammu inbox files (20 % of them parts of multipart messages)
// dropped into a running files-backend connector's spool → time until every message is in the
// intake queue and every file moved; (2) 10,000 distinct signed Twilio webhooks with autocannon at
// 50 connections against the twilio connector running as in production (own process) → req/s, p99.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import twilio from 'twilio';
import { gammuConfigSchema } from '../../connectors/gammu/gammu.config.ts';
import { gammuConnector } from '../../connectors/gammu/index.ts';
import { configSchema } from '../../core/config/schema.ts';
import { closeDb, openDb } from '../../core/db/client.ts';
import { createLogger } from '../../core/logger.ts';
import { createConnectorContext } from '../../core/runtime.ts';
import { ROOT } from '../load-config.ts';
import { cpuMs, freePort, stop } from '../bench-support/proc.ts';
import { startRedis } from '../../test/helpers/redis.ts';

/** The slice of autocannon's result this benchmark prints (the package ships no types). */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<LoadResult>;

const FILES = Number(process.env['BENCH_SMS_FILES'] ?? 10_000);
const WEBHOOKS = Number(process.env['BENCH_SMS_WEBHOOKS'] ?? 10_000);
const CONNECTIONS = 50;



function utf16be(text: string): Buffer {
  const b = Buffer.from(text, 'utf16le');
  b.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), b]);
}


/** Gammu: returns the number of messages and the seconds from first write to all queued. */
async function gammuBench(dir: string, redisUrl: string): Promise<void> {
  const spool = path.join(dir, 'gammu');
  const inbox = path.join(spool, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const config = configSchema.parse({ redis: { url: redisUrl, prefix: 'benchgammu' }, database: { path: path.join(dir, 'gammu.db') }, storage: { dir: path.join(dir, 'storage') } });
  const channel = gammuConfigSchema.parse({ id: 'sms-gammu', type: 'gammu', backend: 'files', inboxPath: inbox, processedPath: path.join(spool, 'processed'), outboxPath: path.join(spool, 'outbox'), scanIntervalMs: 1_000, settleMs: 200, multipartWaitSeconds: 60, repeatWindowSeconds: 0 });
  const db = openDb(config.database.path);
  const logger = createLogger({ process: 'bench', connector: channel.id }, pino.destination({ dest: '/dev/null', sync: true }));
  const runtime = createConnectorContext({ config, channel, db, logger });
  const instance = gammuConnector.create(channel, runtime.ctx);
  await instance.start();
  const queue = new Queue('intake', { connection: { host: '127.0.0.1', port: Number(new URL(redisUrl).port) }, prefix: 'benchgammu' });

  // 20 % of the files are parts of multipart messages (2 or 3 parts, written last part first)
  const multipartFiles = Math.round(FILES * 0.2);
  const singles = FILES - multipartFiles;
  const names: [string, Buffer][] = [];
  let messages = 0;
  const stamp = (i: number): string => {
    const s = i % 60, m = Math.floor(i / 60) % 60, h = Math.floor(i / 3600) % 24, d = 1 + Math.floor(i / 86_400);
    return `202603${String(d).padStart(2, '0')}_${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}${String(s).padStart(2, '0')}`;
  };
  for (let i = 0; i < singles; i++, messages++) {
    names.push([`IN${stamp(i)}_00_+62812${String(i).padStart(7, '0')}_00.txt`, utf16be(`Laporan nomor ${i}: jalan rusak di RT ${i % 50}, mohon segera ditangani.`)]);
  }
  for (let left = multipartFiles, j = 0; left > 0; j++, messages++) {
    const n = left >= 5 || left === 3 ? 3 : 2;
    const k = n > left ? left : n;
    for (let p = k - 1; p >= 0; p--) names.push([`IN${stamp(j)}_00_+62813${String(j).padStart(7, '0')}_${String(p).padStart(2, '0')}.txt`, utf16be(`Bagian ${p + 1} dari pesan panjang ${j}. `.repeat(3))]);
    left -= k;
  }
  const t0 = performance.now();
  for (const [name, content] of names) writeFileSync(path.join(inbox, name), content);
  const written = performance.now();
  let queued = 0;
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed');
    queued = Object.values(c).reduce((a, b) => a + b, 0);
    if (queued >= messages && readdirSync(inbox).length === 0) break;
    if (performance.now() - t0 > 300_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const t1 = performance.now();
  console.log(`gammu files: ${names.length} files (${multipartFiles} multipart parts) = ${messages} messages; written in ${((written - t0) / 1000).toFixed(2)} s; all queued and moved after ${((t1 - t0) / 1000).toFixed(2)} s (${(messages / ((t1 - t0) / 1000)).toFixed(0)} msg/s, includes ${channel.settleMs} ms settle); queued ${queued}/${messages}`);
  await queue.close();
  await instance.stop();
  await runtime.close();
  closeDb(db);
}

async function twilioBench(dir: string, redisUrl: string): Promise<void> {
  const port = await freePort();
  const accountSid = `AC${'a'.repeat(32)}`;
  const token = 'bench-auth-token';
  const publicUrl = `http://127.0.0.1:${port}/sms/twilio`;
  const configFile = path.join(dir, 'aduan.yaml');
  writeFileSync(configFile, [
    'redis:', `  url: ${redisUrl}`, '  prefix: benchtwilio', 'database:', `  path: ${dir}/aduan.db`, 'storage:', `  dir: ${dir}/storage`,
    'mail:', '  transport: file', '  file:', `    dir: ${dir}/mail`,
    'channels:', '  - id: sms-twilio', '    type: twilio', '    listen:', '      host: 127.0.0.1', `      port: ${port}`, '    path: /sms/twilio',
    `    publicUrl: ${publicUrl}`, `    accountSid: ${accountSid}`, `    authToken: ${token}`, "    from: '+6281100000000'", '    repeatWindowSeconds: 0',
  ].join('\n'));
  const child = spawn(process.execPath, [...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean), path.join(ROOT, 'scripts', 'aduan.mjs'), 'connector', 'sms-twilio', '--config', configFile], { stdio: 'ignore', env: { ...process.env, ADUAN_LOG_LEVEL: 'warn' } });
  try {
    for (let i = 0; i < 200; i++) {
      try {
        await fetch(publicUrl, { method: 'POST' });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const make = (offset: number, count: number): { body: string; sig: string }[] =>
      Array.from({ length: count }, (_, k) => {
        const i = offset + k;
        const sid = `SM${i.toString(16).padStart(32, '0')}`;
        const params = { ToCountry: 'ID', ToState: '', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, SmsStatus: 'received', Body: `Lampu jalan mati di gang ${i}, mohon diperbaiki`, To: '+6281100000000', NumSegments: '1', MessageSid: sid, AccountSid: accountSid, From: `+62857${String(i).padStart(7, '0')}`, ApiVersion: '2010-04-01' };
        return { body: new URLSearchParams(params).toString(), sig: twilio.getExpectedTwilioSignature(token, publicUrl, params) };
      });
    const fire = (reqs: { body: string; sig: string }[]): Promise<LoadResult> => {
      let n = 0;
      return autocannon({
        url: publicUrl, connections: CONNECTIONS, amount: reqs.length,
        requests: [{
          method: 'POST',
          setupRequest: (req: Record<string, unknown>) => {
            const r = reqs[n++ % reqs.length] as { body: string; sig: string };
            return { ...req, method: 'POST', body: r.body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': r.sig } };
          },
        }],
      });
    };
    await fire(make(1_000_000, 2_000)); // warm-up (JIT, connections), other MessageSids
    const reqs = make(0, WEBHOOKS);
    const c0 = cpuMs(child.pid);
    const r = await fire(reqs);
    const cpuPerReq = (cpuMs(child.pid) - c0) / r.requests.total;
    const q = new Queue('intake', { connection: { host: '127.0.0.1', port: Number(new URL(redisUrl).port) }, prefix: 'benchtwilio' });
    const counts = await q.getJobCounts('waiting', 'prioritized');
    await q.close();
    console.log(`twilio webhooks: ${r.requests.total} signed requests, ${CONNECTIONS} connections: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (target ≤ 30: ${r.latency.p99 <= 30 ? 'met' : 'MISSED'}), non-2xx ${r.non2xx}, errors ${r.errors}; connector CPU ${cpuPerReq.toFixed(3)} ms per request; intake queue holds ${(counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0)} jobs (warm-up included)`);
    await stop(child);

    // the ceiling on this machine at this moment: bare express + one queue.add per request
    const barePort = await freePort();
    const bare = fork(path.join(ROOT, 'scripts', 'bench-support', 'bare-server.ts'), [redisUrl, String(barePort)], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    try {
      await new Promise<void>((resolve) => bare.once('message', () => resolve()));
      const body = JSON.stringify({ text: 'Lampu jalan mati di gang 7, mohon diperbaiki', phone: '+6285700000007' });
      const opts = { url: `http://127.0.0.1:${barePort}/v1/messages`, method: 'POST', connections: CONNECTIONS, headers: { 'content-type': 'application/json' }, body };
      await autocannon({ ...opts, amount: 2_000 });
      const b0 = cpuMs(bare.pid);
      const b = await autocannon({ ...opts, amount: WEBHOOKS });
      const bareCpu = (cpuMs(bare.pid) - b0) / b.requests.total;
      console.log(`baseline bare express + queue.add, same load: ${b.requests.average.toFixed(0)} req/s, p50 ${b.latency.p50} ms, p99 ${b.latency.p99} ms, server CPU ${bareCpu.toFixed(3)} ms per request; twilio/baseline throughput ratio ${(r.requests.average / b.requests.average).toFixed(2)}`);
    } finally {
      await stop(bare);
    }
  } finally {
    await stop(child);
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-bench-sms-'));
  const redis = await startRedis({ durable: false });
  try {
    await gammuBench(dir, redis.url);
    await twilioBench(dir, redis.url);
  } finally {
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
