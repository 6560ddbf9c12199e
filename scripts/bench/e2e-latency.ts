// `npm run bench -- e2e-latency`: the gateway as in production (web channel, intake and forward
// workers as separate processes, file mail transport); POSTs complaints one at a time and measures
// the time from the HTTP request to the division's forward mail file on disk. Target: within 2 s.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../load-config.ts';
import { freePort, stop } from '../bench-support/proc.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const COUNT = Number(process.env['BENCH_COUNT'] ?? 100);


const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-e2e-'));
  const webPort = await freePort();
  const redis = await startRedis({ durable: false });
  const redisPort = redis.port;
  const children: ChildProcess[] = [];
  try {
    const config = path.join(dir, 'aduan.yaml');
    writeFileSync(config, [
      'redis:', `  url: redis://127.0.0.1:${redisPort}`, 'database:', `  path: ${dir}/aduan.db`, 'storage:', `  dir: ${dir}/storage`,
      'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
      'channels:', '  - id: web', '    type: web', '    listen:', '      host: 127.0.0.1', `      port: ${webPort}`, '    rateLimit:', '      perMinute: 0',
    ].join('\n'));
    const bin = path.join(ROOT, 'scripts', 'aduan.mjs');
    const env = { ...process.env, ADUAN_LOG_LEVEL: 'warn' };
    spawnSyncMigrate(bin, config);
    for (const args of [['connector', 'web'], ['worker', 'intake'], ['worker', 'forward']]) {
      children.push(spawn(process.execPath, [bin, ...args, '--config', config], { stdio: 'ignore', env }));
    }
    for (let i = 0; i < 300; i++) {
      try {
        await fetch(`http://127.0.0.1:${webPort}/healthz`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await new Promise((r) => setTimeout(r, 3_000)); // let the workers connect
    const latencies: number[] = [];
    let late = 0;
    for (let i = 0; i < COUNT; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${webPort}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `w${i}@example.org`, text: `Aduan uji ${i}: saluran air di RT ${i} mampet.` }) });
      if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
      const number = `ADU-${new Date().getFullYear()}-${String(i + 1).padStart(6, '0')}`;
      const file = path.join(dir, 'mail', `${number}.forward@dprd.test.eml`);
      while (!existsSync(file)) {
        if (performance.now() - t0 > 10_000) throw new Error(`no forward for ${number} within 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const ms = performance.now() - t0;
      if (ms > 2_000) late++;
      latencies.push(ms);
    }
    console.log(`e2e-latency: ${COUNT} complaints, POST → forward .eml on disk (web, intake, forward as separate processes)`);
    console.log(`p50 ${pct(latencies, 50).toFixed(0)} ms   p90 ${pct(latencies, 90).toFixed(0)} ms   p99 ${pct(latencies, 99).toFixed(0)} ms   max ${Math.max(...latencies).toFixed(0)} ms   over 2 s: ${late}`);
  } finally {
    for (const c of children.reverse()) await stop(c);
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnSyncMigrate(bin: string, config: string): void {
  const r = spawnSync(process.execPath, [bin, 'migrate', '--config', config], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('migrate failed');
}
