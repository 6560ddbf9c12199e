import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadAduanConfig, ROOT } from './load-config.ts';
import { closeDb, openDb } from '../core/db/client.ts';
import { DEFAULT_REDIS_URL, redisAnswers, shownRedisUrl } from '../core/queue.ts';

/**
 * `aduan start`: migrate, make sure Redis runs (a local redis-server with data under ./data/redis
 * when the configured Redis is local and not running), then PM2 in the foreground.
 */
export async function runStart(configPath?: string): Promise<number> {
  const { config, file, demo } = loadAduanConfig(configPath);
  console.log(`aduan: config ${file}${demo ? ' (demo)' : ''}`);
  closeDb(openDb(config.database.path));
  console.log(`aduan: database ${config.database.path} migrated`);

  const url = config.redis.url ?? DEFAULT_REDIS_URL;
  let redis: ChildProcess | undefined;
  if (!(await redisAnswers(url))) {
    const u = new URL(url);
    if (!['127.0.0.1', 'localhost', '::1'].includes(u.hostname)) {
      console.error(`aduan: Redis at ${shownRedisUrl(url)} does not answer; start it or fix redis.url`);
      return 1;
    }
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      console.error('aduan: redis-server not found; install it: sudo apt-get install -y redis-server');
      return 1;
    }
    const dir = path.resolve(path.dirname(config.database.path), 'redis');
    mkdirSync(dir, { recursive: true });
    const port = Number(u.port || '6379');
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '60 1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    // its log (stdout) is kept until it answers, to show why when it does not; then drained unread
    let said = '';
    const keep = (chunk: Buffer): void => { said = (said + chunk.toString()).slice(-8192); };
    child.stdout?.on('data', keep);
    let exited: number | null | undefined;
    child.once('exit', (code) => { exited = code; });
    let up = false;
    for (let i = 0; i < 50 && exited === undefined && !(up = await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!up && exited === undefined) up = await redisAnswers(url);
    if (!up) {
      // (before: 'started local redis-server' all the same, and the gateway on a Redis that is not ours, or none)
      if (exited === undefined) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      const why = said.split('\n').filter((l) => / # /.test(l) && !/Redis is starting|Redis version=|Configuration loaded/.test(l)).slice(-5);
      for (const l of why) console.error(`  redis-server: ${l.trim()}`);
      console.error(`aduan: ${redisNotStarted(port, shownRedisUrl(url), await portHolder(port), exited, file)}`);
      return 1;
    }
    child.stdout?.off('data', keep).resume();
    redis = child;
    console.log(`aduan: started local redis-server on ${shownRedisUrl(url)} (data in ${dir})`);
  }

  const pm2 = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2-runtime'), 'start', path.join(ROOT, 'ecosystem.config.cjs')], {
    stdio: 'inherit', env: { ...process.env, ADUAN_CONFIG: file },
  });
  const web = config.channels.find((c) => c.type === 'web' && c.enabled) as { listen?: { port?: number } } | undefined;
  if (web?.listen?.port) console.log(`aduan: complaint form on http://localhost:${web.listen.port}/`);
  const forward = (sig: NodeJS.Signals): void => {
    pm2.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => pm2.on('exit', (c) => resolve(c ?? 0)));
  if (redis) {
    redis.kill('SIGTERM');
    await new Promise((r) => redis!.once('exit', r));
  }
  return code;
}

/** Whether 127.0.0.1:`port` is taken, and by which program when this user may see it (ss -ltnp). */
export async function portHolder(port: number): Promise<{ inUse: boolean; by?: string }> {
  const inUse = await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(false)));
  });
  if (!inUse) return { inUse };
  const ss = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 3000 });
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout ?? '');
  return m ? { inUse, by: `${m[1]} (pid ${m[2]})` } : { inUse };
}

/** Why the redis-server `aduan start` ran does not answer, and what to do. */
export function redisNotStarted(port: number, shownUrl: string, holder: { inUse: boolean; by?: string }, exitCode: number | null | undefined, configFile: string): string {
  const otherPort = port === 6380 ? 6381 : 6380;
  const choose = `choose another port: redis.url in ${configFile} (e.g. redis://127.0.0.1:${otherPort}), or with the shipped configs ADUAN_REDIS_URL=redis://127.0.0.1:${otherPort}`;
  if (holder.inUse) {
    const who = holder.by ?? `another program (\`sudo ss -ltnp 'sport = :${port}'\` names it)`;
    return `the local Redis could not be started: port ${port} (${shownUrl}) is in use by ${who}, which does not answer as a Redis this gateway can use (another program, or a Redis with a password redis.url does not give). Stop it, or ${choose}. The gateway was not started`;
  }
  const how = exitCode === undefined ? 'did not answer within 5 s' : `exited${exitCode === null ? '' : ` with code ${exitCode}`}`;
  return `the local redis-server on ${shownUrl} ${how} (its messages above say why — a data folder it cannot write, too little memory); fix that, or ${choose}. The gateway was not started`;
}
