import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redisAnswers } from '../../core/queue.ts';
import { freePort, waitFor } from './ports.ts';

export interface TestRedis {
  url: string;
  port: number;
  /** Stop the server (SIGTERM) — for "Redis down" tests. */
  stop(): Promise<void>;
  /** Start it again on the same port (data is in-memory: an AOF keeps it across restarts). */
  restart(): Promise<void>;
  /** Stop for good and remove the temp dir. */
  dispose(): Promise<void>;
}

/**
 * A real Debian redis-server on a free loopback port with a temp dir. AOF with fsync on every write
 * by default, so restarts keep data; benchmarks pass `durable: false` (no AOF, as bare as a baseline).
 */
export async function startRedis(opts: { durable?: boolean; args?: string[] } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-redis-'));
  let child: ChildProcess | undefined;
  const up = async (): Promise<void> => {
    const persistence = opts.durable === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always'];
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence, ...(opts.args ?? [])], { stdio: 'ignore' });
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), 10_000, 50);
  };
  const down = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await up();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: down,
    restart: up,
    async dispose() {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
