/**
 * `aduan report --month` and `aduan export --from/--to` typed wrong: the operator is told what to type,
 * not shown a stack trace ("Error: dates must be YYYY-MM-DD at startOfLocalDay …" for --month 2026-13),
 * and a day that does not exist (2026-02-30) is refused rather than read as 2 March.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFixture } from '../helpers/cli.ts';

const fx = cliFixture('aduan-report-args-');
beforeAll(() => {
  expect(fx.run('migrate').status).toBe(0);
}, 60_000);
afterAll(fx.dispose);

describe('aduan report and export with a mistyped month or day', () => {
  it('--month that is no YYYY-MM month is an INPUT.INVALID naming the option and the form', () => {
    for (const month of ['2026-13', '2026-1', 'nov', '2026-11-01', '2026-00']) {
      const r = fx.run('report', '--month', month);
      expect(r.status, month).toBe(1);
      expect(r.stderr.trim(), month).toBe(`aduan: Invalid field --month: "${month}": a month as YYYY-MM, e.g. 2026-11 [INPUT.INVALID]`);
    }
    const ok = fx.run('report', '--month', '2026-12');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Laporan aduan 2026-12');
  }, 60_000);

  it('--from / --to that is no real day is refused the same way', () => {
    const cases: [string, string][] = [['--from', '2026-13-01'], ['--from', '1/11/2026'], ['--to', '2026-02-30']];
    for (const [option, day] of cases) {
      const r = fx.run('export', option, day);
      expect(r.status, day).toBe(1);
      expect(r.stdout, day).toBe('');
      expect(r.stderr.trim(), day).toBe(`aduan: Invalid field ${option}: "${day}": a day as YYYY-MM-DD, e.g. 2026-11-01 [INPUT.INVALID]`);
    }
    const ok = fx.run('export', '--from', '2026-02-01', '--to', '2026-02-28');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([]);
  }, 60_000);
});
