/**
 * A Redis that evicts keys under memory pressure (maxmemory-policy allkeys-lru / volatile-lru, the
 * default of several managed Redis offers) deletes queued messages that their senders were already told
 * are taken (HTTP 202, Telegram offset, IMAP move); one without appendonly forgets them on a restart.
 * `aduan doctor` said "✓ redis" to both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'aduan.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'aduan-evict-'));
const servers: TestRedis[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function doctor(redisOpts: Parameters<typeof startRedis>[0]): Promise<{ status: number; stdout: string }> {
  const redis = await startRedis(redisOpts);
  servers.push(redis);
  const file = path.join(dir, `aduan-${redis.port}.yaml`);
  writeFileSync(file, ['redis:', `  url: ${redis.url}`, 'database:', `  path: ${dir}/aduan.db`, 'storage:', `  dir: ${dir}/storage`,
    'mail:', '  transport: file', '  from: Aduan <aduan@dprd.test>', '  file:', `    dir: ${dir}/mail`,
    'divisions:', '  - id: humas', '    name: Humas', '    inbox: humas@dprd.test', '    default: true'].join('\n'));
  const r = spawnSync(process.execPath, [BIN, 'doctor', '--config', file], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout };
}

describe('aduan doctor and a Redis that can lose queued messages', () => {
  it('a Redis that evicts keys is a failure naming the setting; one without appendonly a warning', async () => {
    const lru = await doctor({ durable: false, args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] });
    expect(lru.stdout).toMatch(/✗ redis redis:\/\/127\.0\.0\.1:\d+\/?: maxmemory-policy is allkeys-lru: .*Set maxmemory-policy noeviction/);
    expect(lru.stdout).toContain('! redis: appendonly is off');
    expect(lru.status).toBe(1);
    const good = await doctor({});
    expect(good.stdout).toMatch(/✓ redis redis:\/\/127\.0\.0\.1:\d+/);
    expect(good.stdout).not.toContain('appendonly is off');
  });
});
