/**
 * `aduan status` and `aduan doctor` ask Redis once: one connection attempt with a short connect timeout,
 * nothing reconnected or retried — with Redis down the operator is told at once, not after seconds of retries.
 * How long they wait is `redis.cliTimeoutMs`, by default 1 s for a local Redis and 5 s for one elsewhere, over
 * TLS or behind Sentinel (which needs more than a second to answer, working).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis, type RedisOptions } from 'ioredis';
import { CLI_REDIS_REMOTE_WAIT_MS, CLI_REDIS_WAIT_MS, cliRedisOptions, cliRedisWaitMs, connectForCli } from '../../core/queue.ts';
import { redisSchema } from '../../core/config/schema.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { slowProxy } from '../helpers/slow-proxy.ts';

/** A TCP server on 127.0.0.1 counting connections: `close` hangs each up at once, `silent` accepts and never answers. */
async function fakeRedis(mode: 'close' | 'silent'): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
  let n = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((s) => {
    n++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
    if (mode === 'close') s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://aduan:rahasia@127.0.0.1:${port}`,
    connections: () => n,
    stop: () => new Promise<void>((resolve) => { for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}

let redis: TestRedis;
beforeAll(async () => { redis = await startRedis({ durable: false }); });
afterAll(async () => { await redis?.dispose(); });

describe('connectForCli: the Redis client of an operator\'s command', () => {
  it('is the gateway\'s client with one attempt: a short connect timeout, no reconnecting, no retried commands', () => {
    const o = cliRedisOptions({ redis: { url: 'redis://aduan:rahasia@127.0.0.1:6380/2', prefix: 'aduan' } });
    expect(o).toMatchObject({ host: '127.0.0.1', port: 6380, db: 2, username: 'aduan', password: 'rahasia', lazyConnect: true, maxRetriesPerRequest: 0 });
    expect(o.connectTimeout).toBeLessThanOrEqual(CLI_REDIS_WAIT_MS);
    expect(CLI_REDIS_WAIT_MS).toBeLessThanOrEqual(1_500);
    expect(o.retryStrategy?.(1)).toBeNull();
    expect(o.sentinelRetryStrategy?.(1)).toBeNull();
    expect(o.disconnectTimeout).toBeLessThanOrEqual(200);
  });

  it('a Redis that hangs up: one connection, the connection\'s own error, and the client is created with the CLI options', async () => {
    const fake = await fakeRedis('close');
    const made: RedisOptions[] = [];
    try {
      const err = await connectForCli({ redis: { url: fake.url, prefix: 'aduan' } }, CLI_REDIS_WAIT_MS, (o) => { made.push(o); return new Redis(o); }).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/closed|ECONNRESET|EPIPE/i);
      expect(fake.connections()).toBe(1);
      expect(made).toHaveLength(1);
      expect(made[0]!.retryStrategy?.(1)).toBeNull();
    } finally {
      await fake.stop();
    }
  });

  it('a Redis that accepts and never answers: one connection, "no answer" (or the connect timeout)', async () => {
    const fake = await fakeRedis('silent');
    try {
      const err = await connectForCli({ redis: { url: fake.url, prefix: 'aduan' } }).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/no answer within 1 s, the default wait for a Redis on this machine; .*set redis\.cliTimeoutMs in the config, e\.g\. 5000/);
      expect(fake.connections()).toBe(1);
    } finally {
      await fake.stop();
    }
  });

  it('nothing listening: the refusal, as the operator should read it', async () => {
    const fake = await fakeRedis('close');
    const url = fake.url;
    await fake.stop();
    const err = await connectForCli({ redis: { url, prefix: 'aduan' } }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/);
  });

  it('a Redis that answers: a connected client', async () => {
    const r = await connectForCli({ redis: { url: redis.url, prefix: 'aduan' } });
    try {
      expect(await r.ping()).toBe('PONG');
    } finally {
      r.disconnect();
    }
  });

  it('waits 1 s for a Redis on this machine, 5 s for one elsewhere, over TLS or behind Sentinel; redis.cliTimeoutMs when set', () => {
    const wait = (redis: Record<string, unknown>) => cliRedisWaitMs({ redis: redisSchema.parse(redis) });
    expect(wait({})).toBe(CLI_REDIS_WAIT_MS);
    expect(wait({ url: 'redis://127.0.0.1:6379/0' })).toBe(CLI_REDIS_WAIT_MS);
    expect(wait({ url: 'redis://localhost:6379' })).toBe(CLI_REDIS_WAIT_MS);
    expect(wait({ url: 'redis://[::1]:6379' })).toBe(CLI_REDIS_WAIT_MS);
    expect(wait({ url: 'redis://redis.dprd.internal:6379' })).toBe(CLI_REDIS_REMOTE_WAIT_MS);
    expect(wait({ url: 'rediss://127.0.0.1:6380' })).toBe(CLI_REDIS_REMOTE_WAIT_MS);
    expect(wait({ url: 'redis://127.0.0.1:6379', sentinels: [{ host: '127.0.0.1', port: 26379 }] })).toBe(CLI_REDIS_REMOTE_WAIT_MS);
    expect(wait({ url: 'rediss://redis.example.net:6380', cliTimeoutMs: 8000 })).toBe(8000);
    // (the connection attempt itself may take that long)
    expect(cliRedisOptions({ redis: redisSchema.parse({ url: 'rediss://redis.example.net:6380' }) }).connectTimeout).toBe(CLI_REDIS_REMOTE_WAIT_MS);
    expect(() => redisSchema.parse({ cliTimeoutMs: 0 })).toThrow();
  });

  it('a Redis that answers later than a second but within redis.cliTimeoutMs works; later than it, the error says how long it waited and how to wait longer', async () => {
    const slow = await slowProxy(redis.url, 1_500);
    try {
      const r = await connectForCli({ redis: { url: slow.url, prefix: 'aduan', cliTimeoutMs: 5_000 } });
      try {
        expect(await r.ping()).toBe('PONG');
      } finally {
        r.disconnect();
      }
      const short = await connectForCli({ redis: { url: slow.url, prefix: 'aduan', cliTimeoutMs: 300 } }).then(() => undefined, (e: Error) => e);
      expect(short?.message).toMatch(/^no answer within 0\.3 s, as redis\.cliTimeoutMs 300 says; .*set redis\.cliTimeoutMs in the config, e\.g\. 5000$/);
    } finally {
      await slow.stop();
    }
  });
});
