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

/** Wrong proofs from one client for one case number before that client is locked out of that number, and for how long. */
export const PROOF_FAILURES_BEFORE_LOCK = 5;
export const PROOF_LOCK_MS = 60 * 60_000;
/** Wrong proofs from one client over all case numbers within PROOF_CLIENT_WINDOW_MS before it is locked out of the page until the window ends. */
export const PROOF_CLIENT_FAILURES = 30;
export const PROOF_CLIENT_WINDOW_MS = 24 * 60 * 60_000;
/**
 * Wrong proofs from one IPv6 /48 (all its /64 clients together) within PROOF_CLIENT_WINDOW_MS before the
 * whole /48 is locked out of the page until the window ends: ten clients' worth. An attacker with a /48 has
 * 65,536 /64s (2·10^6 guesses a day at 30 each); a mobile carrier hands its subscribers /64s out of shared
 * ranges, so a /48 may hold thousands of citizens — as many as share a carrier's IPv4 address behind CGNAT,
 * or more — and ten times one address's budget is far above what a city's status page sees in slips a day.
 */
export const PROOF_NET48_FAILURES = 10 * PROOF_CLIENT_FAILURES;

/** The IPv6 /48 of a client key (clientKey: `a:b:c:d::/64`), or undefined for an IPv4 client. */
export function net48Of(client: string): string | undefined {
  const m = /^([0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}):[0-9a-f]{1,4}::\/64$/.exec(client);
  return m ? `${m[1]}::/48` : undefined;
}

/**
 * One case number's budget of wrong proofs from all clients together: PROOF_CASE_BUDGET, refilled at
 * PROOF_CASE_BUDGET a day (one every ~14 minutes). Spent, the number is locked for everyone until one
 * wrong proof's worth has come back — reached only by someone guessing from many addresses.
 */
export const PROOF_CASE_BUDGET = 100;
export const PROOF_CASE_REFILL_MS = 24 * 60 * 60_000;

/**
 * What a lock is on: this client for this number, this client for every number, this client's IPv6 /48
 * for every number, or this number for everyone.
 */
export type ProofLockScope = 'pair' | 'client' | 'net48' | 'case';

const SWEEP_EVERY_MS = 60_000;
const SWEEP_ABOVE = 10_000;

/**
 * The status page shows a case to whoever names its number and the last four digits of its phone (or
 * its e-mail): 10,000 guesses at most, and case numbers are sequential and printed on mails. Wrong proofs
 * were counted per case number from every address together, so anyone who knew a number could keep its
 * citizen locked out by sending five wrong proofs an hour. Now they are counted
 *  - per client (its address; an IPv6 client by its /64) and case number: 5 lock that client out of that
 *    number for an hour (a citizen's typos lock only the citizen's own network, briefly);
 *  - per client over all numbers: 30 in a day lock that client out of the page for the rest of the day
 *    (one address gets 30 guesses a day, at one case or spread over many; not fewer: a mobile carrier's
 *    address is shared by many citizens, whose slips add up — and what is no proof at all is not counted);
 *  - per IPv6 /48 over all numbers (its /64 clients together): 300 in a day lock the /48 out of the page
 *    for the rest of the day (PROOF_NET48_FAILURES: else a /48's 65,536 /64s were 65,536 daily budgets);
 *  - per case number from everyone: a budget of 100, refilled at 100 a day. Only an attacker with at least
 *    four addresses a day spends it; spent, the number is locked for everyone (the right proof too) until
 *    some of it has come back, and the operator's log says so. So a guesser with many addresses gets at
 *    most ~100 guesses a day at one case (1% of the four digits a day), and locking a citizen out takes
 *    four fresh addresses a day, with the sysadmin told.
 * A right proof forgives the client's wrong proofs for that number only (not its daily count, not the
 * number's budget: proving one's own case must not buy guesses at others).
 */
export class ProofGuard {
  private readonly pairs = new Map<string, { first: number; count: number; lockedUntil: number }>();
  private readonly clients = new Map<string, { first: number; count: number }>();
  /** (IPv6 /48 → its clients' wrong proofs in the window, as `clients`) */
  private readonly nets = new Map<string, { first: number; count: number }>();
  /** (a leaky bucket: level as of `at`, draining continuously) */
  private readonly cases = new Map<string, { level: number; at: number; spent: boolean }>();
  private lastSweep = 0;

  /** The lock in the way of this client checking this number, if any, and how long it still holds (ms). */
  lockedFor(client: string, number: string, now = Date.now()): { scope: ProofLockScope; ms: number } | undefined {
    const c = this.cases.get(number);
    if (c) {
      const level = this.level(c, now);
      if (level > PROOF_CASE_BUDGET - 1) return { scope: 'case', ms: Math.ceil((level - (PROOF_CASE_BUDGET - 1)) * PROOF_CASE_REFILL_MS / PROOF_CASE_BUDGET) };
    }
    const k = this.clients.get(client);
    if (k && k.count >= PROOF_CLIENT_FAILURES && now - k.first < PROOF_CLIENT_WINDOW_MS) return { scope: 'client', ms: k.first + PROOF_CLIENT_WINDOW_MS - now };
    const net = net48Of(client);
    const n = net === undefined ? undefined : this.nets.get(net);
    if (n && n.count >= PROOF_NET48_FAILURES && now - n.first < PROOF_CLIENT_WINDOW_MS) return { scope: 'net48', ms: n.first + PROOF_CLIENT_WINDOW_MS - now };
    const p = this.pairs.get(`${client} ${number}`);
    if (p && p.lockedUntil > now) return { scope: 'pair', ms: p.lockedUntil - now };
    return undefined;
  }

  /** Count a wrong proof; returns the locks this one sets (each once, when it starts). */
  failed(client: string, number: string, now = Date.now()): ProofLockScope[] {
    this.sweep(now);
    const locks: ProofLockScope[] = [];
    const key = `${client} ${number}`;
    let p = this.pairs.get(key);
    if (!p || (now - p.first > PROOF_LOCK_MS && p.lockedUntil <= now)) this.pairs.set(key, p = { first: now, count: 0, lockedUntil: 0 });
    p.count++;
    if (p.count >= PROOF_FAILURES_BEFORE_LOCK && p.lockedUntil <= now) {
      p.lockedUntil = now + PROOF_LOCK_MS;
      locks.push('pair');
    }
    let k = this.clients.get(client);
    if (!k || now - k.first >= PROOF_CLIENT_WINDOW_MS) this.clients.set(client, k = { first: now, count: 0 });
    k.count++;
    if (k.count === PROOF_CLIENT_FAILURES) locks.push('client');
    const net = net48Of(client);
    if (net !== undefined) {
      let n = this.nets.get(net);
      if (!n || now - n.first >= PROOF_CLIENT_WINDOW_MS) this.nets.set(net, n = { first: now, count: 0 });
      n.count++;
      if (n.count === PROOF_NET48_FAILURES) locks.push('net48');
    }
    let c = this.cases.get(number);
    if (!c) this.cases.set(number, c = { level: 0, at: now, spent: false });
    c.level = this.level(c, now) + 1;
    c.at = now;
    if (c.level > PROOF_CASE_BUDGET - 1) {
      if (!c.spent) locks.push('case');
      c.spent = true;
    } else if (c.level < PROOF_CASE_BUDGET / 2) c.spent = false;
    return locks;
  }

  /** The right proof: this client's wrong proofs for this number are forgiven (its daily count and the number's budget stay). */
  succeeded(client: string, number: string): void {
    this.pairs.delete(`${client} ${number}`);
  }

  private level(c: { level: number; at: number }, now: number): number {
    return Math.max(0, c.level - (now - c.at) * PROOF_CASE_BUDGET / PROOF_CASE_REFILL_MS);
  }

  /** Forget what no longer counts — at most once a minute, and only when there is much to forget. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS || this.pairs.size + this.clients.size + this.nets.size + this.cases.size < SWEEP_ABOVE) return;
    this.lastSweep = now;
    for (const [k, p] of this.pairs) if (now - p.first > PROOF_LOCK_MS && p.lockedUntil <= now) this.pairs.delete(k);
    for (const [k, c] of this.clients) if (now - c.first >= PROOF_CLIENT_WINDOW_MS) this.clients.delete(k);
    for (const [k, c] of this.nets) if (now - c.first >= PROOF_CLIENT_WINDOW_MS) this.nets.delete(k);
    for (const [k, c] of this.cases) if (this.level(c, now) === 0) this.cases.delete(k);
  }
}
