// `npm run bench -- email`: APPENDs 5,000 mails to a real Dovecot, starts the e-mail connector in
// its own process (as in production) with a real redis-server, and times until every mail is queued
// and moved; prints mails/s and the connector's peak RSS. Then measures IDLE latency: APPEND of one
// mail to its job in the intake queue, p50/p99. Targets: ≥ 300 mails/s, RSS ≤ 200 MB, p99 ≤ 2 s.
import { spawn } from 'node:child_process';
import { runBenchChild } from '../bench-support/child.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { ImapFlow } from 'imapflow';
import { emailConnector } from '../../connectors/email/index.ts';
import { loadConfigText } from '../../core/config/load.ts';
import { openDb } from '../../core/db/client.ts';
import { ingestId } from '../../core/message.ts';
import { queueSettings, QUEUES } from '../../core/queue.ts';
import { startDovecot } from '../../test/helpers/dovecot.ts';
import { startRedis } from '../../test/helpers/redis.ts';
import { cpuMs } from '../bench-support/proc.ts';

const TOTAL = Number(process.env['BENCH_MAILS'] ?? 5_000);
const LATENCY_SAMPLES = Number(process.env['BENCH_IDLE_SAMPLES'] ?? 100);
const CHANNEL = 'email-bench';
const SELF = fileURLToPath(import.meta.url);
// Only this connector's schema: the bench process should not load every other channel's libraries.
const CHANNEL_SCHEMAS = { email: emailConnector.configSchema };

/** A realistic citizen mail (~1.5 KB); every tenth one HTML-only. */
function mail(tag: string, i: number): string {
  const text = `Selamat siang Bapak/Ibu,\r\n\r\nLaporan ${i}: lampu penerangan jalan di gang ${i % 97} RT ${i % 12} padam sejak kemarin malam.\r\nWarga merasa tidak aman, terutama ibu-ibu yang pulang kerja malam hari. Mohon segera diperbaiki.\r\n\r\nTerima kasih,\r\nWarga ${i}\r\n`;
  const head = [
    `From: Warga ${i} <warga${i}@example.net>`,
    'To: Aduan DPRD <aduan@dprd.example.go.id>',
    `Subject: Lampu jalan padam di gang ${i % 97}`,
    `Message-ID: <${tag}-${i}.${Date.now()}@example.net>`,
    'Date: Mon, 09 Nov 2026 10:00:00 +0700',
    'MIME-Version: 1.0',
    'Received: from mx.example.net (mx.example.net [192.0.2.1]) by mx.dprd.example.go.id with ESMTPS id 4Bq9Xk2; Mon, 09 Nov 2026 10:00:01 +0700',
  ];
  if (i % 10 === 0) {
    const html = `<html><body><p>${text.replace(/\r\n/g, '<br>')}</p><div class="gmail_quote">dikutip</div></body></html>`;
    return [...head, 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n');
  }
  return [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text].join('\r\n');
}

function peakRssKb(pid: number | undefined, current: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.max(current, Number(m[1])) : current;
  } catch {
    return current;
  }
}

const cpuSeconds = (pid: number | undefined): number => cpuMs(pid) / 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-bench-email-'));
  const redis = await startRedis();
  const dovecot = await startDovecot();
  const admin = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
  admin.on('error', () => undefined);
  try {
    const raw = {
      redis: { url: redis.url, prefix: 'benchmail' },
      database: { path: path.join(dir, 'aduan.db') },
      storage: { dir: path.join(dir, 'storage') },
      channels: [{
        id: CHANNEL, type: 'email', address: 'aduan@dprd.example.go.id',
        imap: { host: dovecot.host, port: dovecot.port, secure: false, starttls: false, auth: { user: dovecot.user, pass: dovecot.pass } },
        poll: { seconds: 60 },
      }],
    };
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(raw));
    const { config } = loadConfigText(JSON.stringify(raw), '(bench)', { channelSchemas: CHANNEL_SCHEMAS });
    openDb(config.database.path).$client.close();

    await admin.connect();
    const appendStart = Date.now();
    for (let i = 0; i < TOTAL; i += 50) {
      // imapflow pipelines queued commands: 50 APPENDs in flight at a time
      await Promise.all(Array.from({ length: Math.min(50, TOTAL - i) }, (_, k) => admin.append('INBOX', mail('bulk', i + k))));
    }
    console.log(`email: appended ${TOTAL} mails to Dovecot in ${((Date.now() - appendStart) / 1000).toFixed(1)} s (setup, not measured)`);

    const queue = new Queue(QUEUES.intake, queueSettings(config, 'worker'));
    const queued = async (): Promise<number> => Object.values(await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')).reduce((a, b) => a + b, 0);

    // BENCH_NODE_ARGS: V8 flags for the connector process, e.g. "--max-old-space-size=128"
    const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SELF, '--child', configFile, CHANNEL], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ADUAN_LOG_LEVEL: 'warn' } });
    let startRss = 0;
    let startedAt = 0;
    let startCpu = 0;
    child.stdout!.on('data', (d: Buffer) => {
      const m = /RSS_AFTER_START (\d+)/.exec(d.toString());
      if (m) {
        startRss = Number(m[1]);
        startedAt = Date.now();
        startCpu = cpuSeconds(child.pid);
      }
    });
    let peakKb = 0;
    const sampler = setInterval(() => (peakKb = peakRssKb(child.pid, peakKb)), 50);

    const deadline = Date.now() + 300_000;
    let n = 0;
    while (Date.now() < deadline) {
      n = await queued();
      if (n >= TOTAL) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const allQueuedAt = Date.now();
    const usedCpu = cpuSeconds(child.pid) - startCpu;
    let inbox = -1;
    while (Date.now() < deadline) {
      const s = await admin.status('INBOX', { messages: true });
      inbox = s ? (s.messages ?? -1) : -1;
      if (inbox === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const allMovedAt = Date.now();
    peakKb = peakRssKb(child.pid, peakKb);

    if (n < TOTAL) {
      console.log(`email: NOT FINISHED within 300 s: ${n}/${TOTAL} queued`);
      process.exitCode = 1;
    } else {
      const seconds = (allQueuedAt - startedAt) / 1000;
      const rate = TOTAL / seconds;
      console.log(`email: ${TOTAL} mails queued in ${seconds.toFixed(2)} s after connector start → ${Math.round(rate)} mails/s (target ≥ 300) ${rate >= 300 ? 'OK' : 'BELOW TARGET'}`);
      console.log(`email: connector CPU ${usedCpu.toFixed(2)} s for ${TOTAL} mails → ${Math.round(TOTAL / usedCpu)} mails per CPU-second (machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores during the run)`);
      console.log(`email: all moved to the processed mailbox after ${((allMovedAt - startedAt) / 1000).toFixed(2)} s; jobs in the intake queue ${n} (expected ${TOTAL})`);
    }

    // IDLE latency: the connector sits in IDLE; one mail at a time, APPEND → job in Redis
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const m = mail('idle', i);
      const id = /Message-ID: (<[^>]+>)/.exec(m)![1]!;
      const jobId = ingestId(CHANNEL, id);
      await new Promise((r) => setTimeout(r, 20 + (i % 5) * 10));
      const t0 = performance.now();
      await admin.append('INBOX', m);
      let done = false;
      const limit = Date.now() + 10_000;
      while (!done && Date.now() < limit) {
        done = (await queue.getJob(jobId)) !== undefined;
        if (!done) await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(done ? performance.now() - t0 : Infinity);
    }
    peakKb = peakRssKb(child.pid, peakKb);
    clearInterval(sampler);
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`email: IDLE latency APPEND → job queued over ${LATENCY_SAMPLES} mails: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (target p99 ≤ 2000) ${p99 <= 2000 ? 'OK' : 'ABOVE TARGET'}`);
    const rssMb = peakKb / 1024;
    console.log(`email: connector peak RSS ${rssMb.toFixed(1)} MB${nodeArgs.length ? ` with ${nodeArgs.join(' ')}` : ''} (target ≤ 200) ${rssMb <= 200 ? 'OK' : 'ABOVE TARGET'}; RSS right after start() ${(startRss / 1048576).toFixed(1)} MB (tsx loader, imapflow, mailparser, BullMQ, SQLite loaded)`);

    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await queue.close();
  } finally {
    await admin.logout().catch(() => undefined);
    await dovecot.dispose();
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child' && path.resolve(process.argv[1] ?? '') === SELF) {
  await runBenchChild(process.argv[3]!, process.argv[4]!, emailConnector);
}
