import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.ts';
import { redisAnswers } from '../../core/queue.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
const data = mkdtempSync(path.join(tmpdir(), 'aduan-start-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('aduan start (the quick start) with the embedded demo config', () => {
  it('starts Redis and every process under PM2, takes a complaint, forwards it, and stops cleanly on SIGTERM', async () => {
    const [redisPort, webPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env, ADUAN_REDIS_URL: `redis://127.0.0.1:${redisPort}`, ADUAN_WEB_PORT: String(webPort),
      ADUAN_WEB_HOST: '127.0.0.1', PM2_HOME: path.join(data, 'pm2'), ADUAN_LOG_LEVEL: 'warn', ADUAN_CONFIG: '',
    };
    // (no ADUAN_DATA: the demo's ./data is read from the working directory, as in the README's quick start)
    delete env.ADUAN_DATA;
    const start = spawn(process.execPath, [BIN, 'start'], { cwd: data, env, stdio: 'ignore' });
    try {
      await waitFor(async () => {
        try {
          return (await fetch(`http://127.0.0.1:${webPort}/`)).status === 200;
        } catch {
          return false;
        }
      }, 90_000, 250);
      expect(await redisAnswers(`redis://127.0.0.1:${redisPort}`)).toBe(true);
      const res = await fetch(`http://127.0.0.1:${webPort}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '081255556666', text: 'Demo: jalan berlubang di Jl. Solo.' }) });
      expect(res.status).toBe(202);
      await waitFor(() => {
        try {
          return readdirSync(path.join(data, 'data', 'mail')).some((f) => f.includes('.forward@'));
        } catch {
          return false;
        }
      }, 30_000, 200);
      const list = JSON.parse(execFileSync(process.execPath, [BIN, 'cases', 'list', '--json'], { cwd: data, env, encoding: 'utf8' })) as { number: string; status: string }[];
      expect(list).toHaveLength(1);
      expect(list[0]!.status).toBe('forwarded');
    } finally {
      start.kill('SIGTERM');
      await new Promise((r) => (start.exitCode !== null ? r(null) : start.once('exit', r)));
    }
    await waitFor(async () => !(await redisAnswers(`redis://127.0.0.1:${redisPort}`)), 15_000, 200);
  }, 150_000);
});
