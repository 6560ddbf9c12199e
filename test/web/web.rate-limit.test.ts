import { describe, expect, it } from 'vitest';
import { clientKey, PROOF_LOCK_MS, ProofGuard } from '../../connectors/web/web.rate-limit.ts';

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

  it('a case number is locked after five wrong proofs for an hour, whoever tries; a right proof first starts the count again', () => {
    const g = new ProofGuard();
    const t = 1_000_000;
    for (let i = 0; i < 4; i++) expect(g.failed('ADU-2026-000001', t + i)).toBe(false);
    g.succeeded('ADU-2026-000001');
    for (let i = 0; i < 4; i++) expect(g.failed('ADU-2026-000001', t + 10 + i)).toBe(false);
    expect(g.lockedFor('ADU-2026-000001', t + 20)).toBe(0);
    expect(g.failed('ADU-2026-000001', t + 20)).toBe(true);
    expect(g.lockedFor('ADU-2026-000001', t + 21)).toBe(PROOF_LOCK_MS - 1);
    expect(g.lockedFor('ADU-2026-000002', t + 21)).toBe(0);
    expect(g.lockedFor('ADU-2026-000001', t + 20 + PROOF_LOCK_MS)).toBe(0);
  });
});
