// `npm run bench -- web-intake`: autocannon (50 connections, 10 s) against the web channel's
// POST /v1/messages, running as in production (its own process), and against a bare express
// endpoint that only does queue.add; prints req/s, p99 and the ratio. Target: ratio ≥ 0.85, p99 ≤ 30 ms.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { ROOT } from '../load-config.ts';
import { cpuMs, freePort, stop } from '../bench-support/proc.ts';
import { startRedis } from '../../test/helpers/redis.ts';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = 50;



async function waitHttp(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not come up`);
}

async function load(url: string): Promise<autocannon.Result> {
  const body = JSON.stringify({ name: 'Bench', phone: '081234567890', text: 'Jalan berlubang di depan SD Negeri, mohon segera diperbaiki sebelum ada korban.' });
  return autocannon({ url, method: 'POST', connections: CONNECTIONS, duration: DURATION, headers: { 'content-type': 'application/json' }, body });
}


export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-bench-'));
  const redis = await startRedis({ durable: false });
  const redisUrl = redis.url;
  const children: ChildProcess[] = [];
  try {
    const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    await probe.connect();
    const webPort = await freePort();
    const config = path.join(dir, 'aduan.yaml');
    writeFileSync(config, [
      'redis:', `  url: ${redisUrl}`, '  prefix: bench', 'database:', `  path: ${dir}/aduan.db`, 'storage:', `  dir: ${dir}/storage`,
      'mail:', '  transport: file', '  file:', `    dir: ${dir}/mail`,
      'channels:', '  - id: web', '    type: web', '    listen:', '      host: 127.0.0.1', `      port: ${webPort}`, '    rateLimit:', '      perMinute: 0',
    ].join('\n'));
    const web = spawn(process.execPath, [path.join(ROOT, 'scripts', 'aduan.mjs'), 'connector', 'web', '--config', config], { stdio: 'ignore', env: { ...process.env, ADUAN_LOG_LEVEL: 'warn' } });
    children.push(web);
    await waitHttp(`http://127.0.0.1:${webPort}/healthz`);
    await load(`http://127.0.0.1:${webPort}/v1/messages`); // warm-up (JIT, connections)
    let c0 = cpuMs(web.pid!);
    const aduan = await load(`http://127.0.0.1:${webPort}/v1/messages`);
    const aduanCpu = (cpuMs(web.pid!) - c0) / aduan.requests.total;
    await stop(web);

    const barePort = await freePort();
    const bare = fork(path.join(ROOT, 'scripts', 'bench-support', 'bare-server.ts'), [redisUrl, String(barePort)], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    children.push(bare);
    await waitHttp(`http://127.0.0.1:${barePort}/`);
    await load(`http://127.0.0.1:${barePort}/v1/messages`);
    c0 = cpuMs(bare.pid!);
    const baseline = await load(`http://127.0.0.1:${barePort}/v1/messages`);
    const bareCpu = (cpuMs(bare.pid!) - c0) / baseline.requests.total;
    await stop(bare);
    const queued = await probe.zcard('bench:intake:id').catch(() => 0);
    probe.disconnect();

    const row = (name: string, r: autocannon.Result): string =>
      `${name.padEnd(28)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
    console.log(`web-intake: ${CONNECTIONS} connections, ${DURATION} s each, after a warm-up run`);
    console.log(row('aduan POST /v1/messages', aduan));
    console.log(row('bare express + queue.add', baseline));
    const ratio = aduan.requests.average / baseline.requests.average;
    console.log(`server CPU per request: aduan ${aduanCpu.toFixed(3)} ms, bare ${bareCpu.toFixed(3)} ms (bare/aduan ${(bareCpu / aduanCpu).toFixed(2)}; independent of other load on the machine)`);
    console.log(`ratio ${ratio.toFixed(2)} (target ≥ 0.85): ${ratio >= 0.85 ? 'met' : 'MISSED'};  aduan p99 ${aduan.latency.p99} ms (target ≤ 30): ${aduan.latency.p99 <= 30 ? 'met' : 'MISSED'}`);
    void queued;
  } finally {
    for (const c of children.reverse()) await stop(c);
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
