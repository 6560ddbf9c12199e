/**
 * `aduan start` when the local Redis it starts cannot take its port (another program holds it). Before: it
 * waited 5 s, printed "started local redis-server" all the same and started the gateway on a port that was
 * no Redis. Now: it says the port is in use by which program, how to choose another port, and exits 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'scripts', 'aduan.mjs');
const data = mkdtempSync(path.join(tmpdir(), 'aduan-start-port-'));
let other: Server | undefined;
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => (other ? other.close(r) : r(null)));
  rmSync(data, { recursive: true, force: true });
});

describe('aduan start: the port of its local Redis is held by another program', () => {
  it('says which program holds it and how to choose another port, exits 1, and starts nothing', async () => {
    const port = await freePort();
    // a program that takes connections and answers nothing Redis understands
    other = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((r) => other!.listen(port, '127.0.0.1', r));
    const env: NodeJS.ProcessEnv = {
      ...process.env, ADUAN_REDIS_URL: `redis://127.0.0.1:${port}`, ADUAN_WEB_PORT: String(await freePort()),
      ADUAN_WEB_HOST: '127.0.0.1', PM2_HOME: path.join(data, 'pm2'), ADUAN_LOG_LEVEL: 'warn', ADUAN_CONFIG: '',
    };
    delete env.ADUAN_DATA;
    const start = spawn(process.execPath, [BIN, 'start'], { cwd: data, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    start.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    start.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    let code: number | null | undefined;
    start.once('exit', (c) => { code = c; });
    try {
      // (the old code went on to PM2 after its 5 s: stopped as soon as it says so)
      await waitFor(() => code !== undefined || out.includes('started local redis-server'), 60_000, 100);
    } finally {
      if (code === undefined) {
        start.kill('SIGTERM');
        await new Promise((r) => start.once('exit', r));
      }
    }
    expect(out).not.toContain('started local redis-server');
    expect(code).toBe(1);
    expect(err).toContain(`port ${port} (redis://127.0.0.1:${port}) is in use by node (pid ${process.pid})`);
    expect(err).toContain('choose another port: redis.url in');
    expect(err).toContain('ADUAN_REDIS_URL=redis://127.0.0.1:6380');
    expect(err).toContain('The gateway was not started');
  }, 90_000);
});
