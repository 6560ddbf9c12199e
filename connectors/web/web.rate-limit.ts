/** Fixed-window per-key limiter (one process per channel, so memory is the right place). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = Date.now();

  constructor(private readonly perMinute: number) {}

  /** Count a hit; returns 0 when allowed, else the seconds to wait. */
  hit(key: string, now = Date.now()): number {
    if (this.perMinute === 0) return 0;
    if (now - this.lastSweep > 60_000) this.sweep(now);
    const w = this.windows.get(key);
    if (!w || now - w.start >= 60_000) {
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > this.perMinute ? Math.ceil((w.start + 60_000 - now) / 1000) : 0;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(k);
  }
}

/**
 * The rate-limit key of a client: its address, and for IPv6 its /64 (one subscriber's network: a single
 * attacker has billions of addresses in it, one bucket each would be no limit at all).
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Wrong proofs for one case number before its status page is locked, and for how long. */
export const PROOF_FAILURES_BEFORE_LOCK = 5;
export const PROOF_LOCK_MS = 60 * 60_000;

/**
 * The status page shows a case to whoever names its number and the last four digits of its phone (or
 * its e-mail): 10,000 guesses at most, and case numbers are sequential. So wrong proofs are counted per
 * case number, from every address together: after PROOF_FAILURES_BEFORE_LOCK within the lock time the
 * number is locked for PROOF_LOCK_MS — the right proof too — and the operator is told.
 */
export class ProofGuard {
  private readonly failures = new Map<string, { first: number; count: number; lockedUntil: number }>();

  /** Milliseconds the number is still locked for, 0 when it may be tried. */
  lockedFor(number: string, now = Date.now()): number {
    const f = this.failures.get(number);
    return f && f.lockedUntil > now ? f.lockedUntil - now : 0;
  }

  /** Count a wrong proof; true when this one locks the number. */
  failed(number: string, now = Date.now()): boolean {
    if (this.failures.size > 50_000) for (const [k, v] of this.failures) if (now - v.first > PROOF_LOCK_MS && v.lockedUntil <= now) this.failures.delete(k);
    let f = this.failures.get(number);
    if (!f || (now - f.first > PROOF_LOCK_MS && f.lockedUntil <= now)) this.failures.set(number, f = { first: now, count: 0, lockedUntil: 0 });
    f.count++;
    if (f.count >= PROOF_FAILURES_BEFORE_LOCK && f.lockedUntil <= now) {
      f.lockedUntil = now + PROOF_LOCK_MS;
      return true;
    }
    return false;
  }

  /** The right proof: the count starts again. */
  succeeded(number: string): void {
    this.failures.delete(number);
  }
}
