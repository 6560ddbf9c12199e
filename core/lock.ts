import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * One poller per source (DESIGN §4.7): a Redis lock with a TTL, renewed while held. A second copy
 * under PM2 waits instead of double-polling; if the holder dies the TTL frees the lock.
 */
export class RedisLock {
  private readonly token = randomUUID();
  private renewTimer: NodeJS.Timeout | undefined;
  private held = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs = 30_000,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Try once; true when this process now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    const ok = await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX');
    if (ok === 'OK') {
      this.held = true;
      this.renewTimer = setInterval(() => void this.renew(), Math.floor(this.ttlMs / 3));
      this.renewTimer.unref();
    }
    return this.held;
  }

  /** Wait until acquired or `signal` aborts; polls every `everyMs`. */
  async acquire(signal?: AbortSignal, everyMs = 1_000): Promise<boolean> {
    while (!signal?.aborted) {
      try {
        if (await this.tryAcquire()) return true;
      } catch {
        // Redis unreachable: keep waiting, the caller must not poll without the lock
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return false;
  }

  private async renew(): Promise<void> {
    try {
      const ok = await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs));
      if (ok !== 1) this.held = false;
    } catch {
      // transient; the TTL is three renew periods long
    }
  }

  async release(): Promise<void> {
    clearInterval(this.renewTimer);
    if (!this.held) return;
    this.held = false;
    try {
      await this.redis.eval(RELEASE, 1, this.key, this.token);
    } catch {
      // Redis gone: the TTL releases it
    }
  }
}
