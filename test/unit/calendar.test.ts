import { afterEach, describe, expect, it, vi } from 'vitest';
import { workingDaysBetween } from '../../core/lifecycle/calendar.ts';

/** The working days counted one calendar day at a time, as the definition reads. */
function dayByDay(from: Date, to: Date, timezone: string, holidays: readonly string[]): number {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const end = f.format(to);
  let cursor = f.format(from);
  let n = 0;
  for (let i = 0; i < 3660 && cursor < end; i++) {
    const next = new Date(`${cursor}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    cursor = next.toISOString().slice(0, 10);
    const wd = next.getUTCDay();
    if (wd !== 0 && wd !== 6 && !holidays.includes(cursor)) n++;
  }
  return n;
}

/** A fixed pseudo-random sequence (the same cases on every run). */
function seq(seed: number): () => number {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

describe('working-day calendar', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts as day by day would, over short and long spans, holidays (on weekends too), timezones and the ten-year cap', () => {
    const holidays = ['2024-02-29', '2025-01-01', '2025-03-29', '2025-03-31', '2025-12-25', '2026-01-01', '2026-05-01', '2026-08-15', '2026-08-17', '2026-12-25'];
    const r = seq(7);
    for (let i = 0; i < 3000; i++) {
      const from = Date.UTC(2014, 0, 1) + r() * 14 * 365 * 86_400_000;
      const days = i % 3 === 0 ? r() * 12 : i % 3 === 1 ? r() * 1200 : r() * 4500;
      const to = from + (i % 50 === 0 ? -1 : 1) * days * 86_400_000;
      const tz = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'][i % 4]!;
      expect(workingDaysBetween(new Date(from), new Date(to), tz, holidays), `${new Date(from).toISOString()} → ${new Date(to).toISOString()} ${tz}`)
        .toBe(dayByDay(new Date(from), new Date(to), tz, holidays));
    }
  });

  it('a case waiting for years is counted without stepping through its days (the sweep asks it of every open case every minute)', () => {
    const [from, to, holidays] = [new Date('2024-01-02T03:00:00Z'), new Date('2026-07-01T03:00:00Z'), ['2025-12-25', '2026-01-01']];
    const expected = dayByDay(from, to, 'Asia/Jakarta', holidays);
    const steps = vi.spyOn(Date.prototype, 'toISOString');
    // (a Friday to a Monday, then two years and a half on)
    expect(workingDaysBetween(new Date('2026-03-06T03:00:00Z'), new Date('2026-03-09T03:00:00Z'), 'Asia/Jakarta', [])).toBe(1);
    expect(workingDaysBetween(from, to, 'Asia/Jakarta', holidays)).toBe(expected);
    // day by day, 911 calendar days were 911 dates written; now a few, whatever the span
    expect(steps.mock.calls.length).toBeLessThan(10);
  });
});
