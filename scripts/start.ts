import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
    redis = spawn('redis-server', ['--port', u.port || '6379', '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '60 1000'], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
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
