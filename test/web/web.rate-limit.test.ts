import { describe, expect, it } from 'vitest';
import { clientKey, net48Of, PROOF_CASE_BUDGET, PROOF_CASE_REFILL_MS, PROOF_CLIENT_FAILURES, PROOF_CLIENT_WINDOW_MS, PROOF_LOCK_MS, PROOF_NET48_FAILURES, ProofGuard } from '../../connectors/web/web.rate-limit.ts';

describe('web rate limits', () => {
  it('an IPv6 client is limited by its /64, an IPv4 one (also mapped into IPv6) by its address', () => {
    expect(clientKey('2001:db8:1:1::1')).toBe('2001:db8:1:1::/64');
    expect(clientKey('2001:db8:1:1:ffff:2:3:4')).toBe('2001:db8:1:1::/64');
    expect(clientKey('2001:0db8:0001:0001:0:0:0:9')).toBe('2001:db8:1:1::/64');
    expect(clientKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(clientKey('10.0.0.7')).toBe('10.0.0.7');
    expect(clientKey(undefined)).toBe('unknown');
  });

  it('five wrong proofs lock that client out of that number for an hour, not other clients; a right proof first starts its count again', () => {
    const g = new ProofGuard();
    const t = 1_000_000;
    const N = 'ADU-2026-000001';
    for (let i = 0; i < 4; i++) expect(g.failed('203.0.113.9', N, t + i)).toEqual([]);
    g.succeeded('203.0.113.9', N);
    for (let i = 0; i < 4; i++) expect(g.failed('203.0.113.9', N, t + 10 + i)).toEqual([]);
    expect(g.lockedFor('203.0.113.9', N, t + 20)).toBeUndefined();
    expect(g.failed('203.0.113.9', N, t + 20)).toEqual(['pair']);
    expect(g.lockedFor('203.0.113.9', N, t + 21)).toEqual({ scope: 'pair', ms: PROOF_LOCK_MS - 1 });
    // the citizen, elsewhere, is not locked out; nor is this client from another number
    expect(g.lockedFor('198.51.100.7', N, t + 21)).toBeUndefined();
    expect(g.lockedFor('203.0.113.9', 'ADU-2026-000002', t + 21)).toBeUndefined();
    expect(g.lockedFor('203.0.113.9', N, t + 20 + PROOF_LOCK_MS)).toBeUndefined();
  });

  it('one client gets PROOF_CLIENT_FAILURES (30) wrong proofs a day over all numbers (a right proof of its own case buys none back)', () => {
    const g = new ProofGuard();
    const t = 1_000_000;
    const locks = Array.from({ length: PROOF_CLIENT_FAILURES }, (_, i) => g.failed('203.0.113.9', `ADU-2026-00000${i}`, t + i)).flat();
    expect(locks).toEqual(['client']);
    g.succeeded('203.0.113.9', 'ADU-2026-000099');
    expect(g.lockedFor('203.0.113.9', 'ADU-2026-000099', t + 100)).toEqual({ scope: 'client', ms: PROOF_CLIENT_WINDOW_MS - 100 });
    expect(g.lockedFor('198.51.100.7', 'ADU-2026-000001', t + 100)).toBeUndefined();
    expect(g.lockedFor('203.0.113.9', 'ADU-2026-000099', t + PROOF_CLIENT_WINDOW_MS)).toBeUndefined();
  });

  it('a case number\'s budget of wrong proofs from many clients: spent, the number is locked for everyone until some of it comes back', () => {
    const g = new ProofGuard();
    const t = 1_000_000;
    const N = 'ADU-2026-000001';
    const locks: string[] = [];
    for (let i = 0; i < PROOF_CASE_BUDGET; i++) {
      const client = `10.0.${Math.floor(i / 4)}.1`; // four from each: below every client's own limits
      expect(g.lockedFor(client, N, t + i)).toBeUndefined();
      locks.push(...g.failed(client, N, t + i));
    }
    expect(locks).toEqual(['case']);
    const slot = PROOF_CASE_REFILL_MS / PROOF_CASE_BUDGET;
    const held = g.lockedFor('198.51.100.7', N, t + PROOF_CASE_BUDGET);
    expect(held?.scope).toBe('case');
    expect(held!.ms).toBeGreaterThan(slot - PROOF_CASE_BUDGET * 2);
    expect(held!.ms).toBeLessThanOrEqual(slot);
    expect(g.lockedFor('198.51.100.7', 'ADU-2026-000002', t + PROOF_CASE_BUDGET)).toBeUndefined();
    // a slot's time later one more check goes through; a wrong one spends it again, logged only once
    expect(g.lockedFor('198.51.100.7', N, t + slot + 1)).toBeUndefined();
    expect(g.failed('10.9.9.9', N, t + slot + 1)).toEqual([]);
    expect(g.lockedFor('198.51.100.7', N, t + slot + 2)?.scope).toBe('case');
    expect(g.lockedFor('198.51.100.7', N, t + 2 * slot + 2)).toBeUndefined();
  });

  it('an IPv6 /48 gets ten clients\' daily budget of wrong proofs over all its /64s: then the whole /48 is locked out of the page for the day', () => {
    expect(net48Of(clientKey('2001:db8:1:ff::9'))).toBe('2001:db8:1::/48');
    expect(net48Of(clientKey('2001:db8::5'))).toBe('2001:db8:0::/48');
    expect(net48Of(clientKey('203.0.113.9'))).toBeUndefined();
    expect(net48Of(clientKey('::ffff:203.0.113.9'))).toBeUndefined();
    expect(PROOF_NET48_FAILURES).toBe(10 * PROOF_CLIENT_FAILURES);
    const g = new ProofGuard();
    const t = 1_000_000;
    // an attacker with a /48: a fresh /64 for every wrong proof, each at another number — below every /64's and number's own limits
    const locks: string[] = [];
    for (let i = 0; i < PROOF_NET48_FAILURES; i++) {
      const client = clientKey(`2001:db8:1:${i.toString(16)}::1`);
      expect(g.lockedFor(client, `ADU-2026-${100000 + i}`, t + i)).toBeUndefined();
      locks.push(...g.failed(client, `ADU-2026-${100000 + i}`, t + i));
    }
    expect(locks).toEqual(['net48']);
    // every /64 of that /48 now, one never seen too, for any number
    expect(g.lockedFor(clientKey('2001:db8:1:ffff::7'), 'ADU-2026-000001', t + PROOF_NET48_FAILURES)).toEqual({ scope: 'net48', ms: PROOF_CLIENT_WINDOW_MS - PROOF_NET48_FAILURES });
    // not the neighbouring /48, nor an IPv4 client
    expect(g.lockedFor(clientKey('2001:db8:2:1::7'), 'ADU-2026-000001', t + PROOF_NET48_FAILURES)).toBeUndefined();
    expect(g.lockedFor('203.0.113.9', 'ADU-2026-000001', t + PROOF_NET48_FAILURES)).toBeUndefined();
    // until the day is over
    expect(g.lockedFor(clientKey('2001:db8:1:ffff::7'), 'ADU-2026-000001', t + PROOF_CLIENT_WINDOW_MS)).toBeUndefined();

    // ordinary slips of a carrier's /48: many citizens, a few each, less than the budget in the day — never a lock
    const carrier = new ProofGuard();
    for (let i = 0; i < PROOF_NET48_FAILURES - 1; i++) expect(carrier.failed(clientKey(`2001:db8:77:${(i % 200).toString(16)}::1`), `ADU-2026-${200000 + i}`, t + i)).toEqual([]);
    expect(carrier.lockedFor(clientKey('2001:db8:77:abcd::1'), 'ADU-2026-000001', t + PROOF_NET48_FAILURES)).toBeUndefined();
  });
});
