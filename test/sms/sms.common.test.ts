import { describe, expect, it } from 'vitest';
import { RecentIds, RepeatGuard, SignatureRejects, rejectedPayload, senderToE164, zonedIso } from '../../connectors/sms/sms.common.ts';
import { groupInboxRows, localIso, type InboxRow } from '../../connectors/gammu/gammu.sql.ts';
import { concatUdh } from '../../connectors/gammu/gammu.udh.ts';

describe('sender numbers', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['whatsapp:+31612345678', '+31612345678'],
    ['+420777123456', '+420777123456'],
  ])('%s → %s', (raw, e164) => {
    expect(senderToE164(raw, 'ID')).toBe(e164);
  });
  it.each(['Telkomsel', 'Vodafone CZ', '*123#', 'X100X1#', '', '12', `+62${'1'.repeat(40)}`])('%s is not a phone number', (raw) => {
    expect(senderToE164(raw, 'ID')).toBeNull();
  });
});

describe('panic repeats', () => {
  it('gives a repeat within the window the first externalId, and not after it', () => {
    let now = 0;
    const g = new RepeatGuard(120_000, () => now);
    expect(g.resolve('+62811', 'Banjir di Jl. Solo', 'a')).toEqual({ externalId: 'a' });
    now = 5_000;
    expect(g.resolve('+62811', 'banjir  di jl. solo ', 'b')).toEqual({ externalId: 'a', repeatOf: 'a' });
    expect(g.resolve('+62812', 'Banjir di Jl. Solo', 'c')).toEqual({ externalId: 'c' });
    expect(g.resolve('+62811', 'Banjir di Jl. Solo', 'a')).toEqual({ externalId: 'a' });
    now = 200_000;
    expect(g.resolve('+62811', 'Banjir di Jl. Solo', 'd')).toEqual({ externalId: 'd' });
  });
  it('measures the window on the messages own times, not on when a backlog is processed', () => {
    const g = new RepeatGuard(120_000, () => 1_000_000); // the whole backlog is processed at one instant
    const text = 'Lampu jalan di Jl. Parangtritis masih mati';
    expect(g.resolve('+62811', text, 'd1', { receivedAt: '2026-03-01T08:00:00+07:00' })).toEqual({ externalId: 'd1' });
    expect(g.resolve('+62811', text, 'd2', { receivedAt: '2026-03-02T08:00:00+07:00' })).toEqual({ externalId: 'd2' });
    expect(g.resolve('+62811', text, 'd2b', { receivedAt: '2026-03-02T08:01:30+07:00' })).toEqual({ externalId: 'd2', repeatOf: 'd2' });
    expect(g.resolve('+62811', text, 'd3', { receivedAt: '2026-03-03T08:00:00+07:00' })).toEqual({ externalId: 'd3' });
  });
  it('is off with a zero window and ignores empty texts', () => {
    const g = new RepeatGuard(0);
    g.resolve('+62811', 'x', 'a');
    expect(g.resolve('+62811', 'x', 'b')).toEqual({ externalId: 'b' });
    const h = new RepeatGuard(60_000);
    h.resolve('+62811', '  ', 'a');
    expect(h.resolve('+62811', '', 'b')).toEqual({ externalId: 'b' });
  });
  it('remembers a bounded number of webhook ids', () => {
    const r = new RecentIds(2);
    r.add('a');
    r.add('b');
    r.add('c');
    expect([r.has('a'), r.has('b'), r.has('c')]).toEqual([false, true, true]);
  });
});

describe('webhook signature failures', () => {
  it('records a few per address and minute, counts the rest, and says how many were dropped', () => {
    let now = 120_000;
    const r = new SignatureRejects(2, 5, () => now);
    expect(r.take('203.0.113.9')).toEqual({ record: true, suppressedBefore: 0 });
    expect(r.take('203.0.113.9')).toEqual({ record: true, suppressedBefore: 0 });
    expect(r.take('203.0.113.9')).toEqual({ record: false, first: true });
    expect(r.take('203.0.113.9')).toEqual({ record: false, first: false });
    expect(r.take('198.51.100.7')).toEqual({ record: true, suppressedBefore: 0 });
    expect(r.take('198.51.100.8')).toEqual({ record: false, first: true }); // all addresses together: 5 a minute
    now += 60_000;
    expect(r.take('203.0.113.9')).toEqual({ record: true, suppressedBefore: 2 });
    expect(r.dropped).toBe(3);
  });
  it('keeps only a fingerprint of the body', () => {
    expect(JSON.parse(rejectedPayload(Buffer.from('Body=rahasia'), '203.0.113.9'))).toEqual({ sha256: 'ebd1893ed7e9a2726c4a1c62627595ffb6971618af623eb05519adb99e9be864', size: 12, ip: '203.0.113.9' });
  });
});

describe('local times', () => {
  it('puts the instance offset on wall-clock times', () => {
    expect(zonedIso(2026, 3, 4, 10, 0, 0, 'Asia/Jakarta')).toBe('2026-03-04T10:00:00+07:00');
    expect(zonedIso(2026, 3, 4, 10, 0, 0, 'Asia/Jayapura')).toBe('2026-03-04T10:00:00+09:00');
    expect(zonedIso(2026, 2, 29, 10, 0, 0, 'Asia/Jakarta')).toBeNull();
    expect(localIso('2026-03-04 23:59:59', 'Asia/Jakarta')).toBe('2026-03-04T23:59:59+07:00');
    expect(localIso('yesterday', 'Asia/Jakarta')).toBeNull();
  });
});

describe('schema 18 rows without a MessageID fall back to the UDH', () => {
  it('groups them by concatenation reference', () => {
    const row = (ID: number, seq: number): InboxRow => ({ ID, SenderNumber: '+62811', Text: '', TextDecoded: `p${seq}`, Coding: 'Default_No_Compression', UDH: concatUdh(3, 2, seq), Class: -1, ReceivingDateTime: '2026-03-04 09:00:00', MessageID: 0, SequencePosition: seq, PartCount: 2 });
    const groups = groupInboxRows([row(5, 2), row(4, 1)], 18, 600_000, 'Asia/Jakarta');
    expect(groups).toHaveLength(1);
    expect([...(groups[0]?.rows.keys() ?? [])].sort()).toEqual([1, 2]);
  });
});
