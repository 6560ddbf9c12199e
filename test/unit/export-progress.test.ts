/**
 * `aduan export` over many months ran for seconds with nothing on stderr. Its progress: on a terminal a
 * line every 10,000 cases; into a file or pipe (cron) only once the export has taken over a second, so a
 * short export stays silent; with --progress from the start. (A fake clock: no timing.)
 */
import { describe, expect, it } from 'vitest';
import { exportProgress } from '../../scripts/export-progress.ts';

function run(o: { tty: boolean; always?: boolean }, chunks: { cases: number; at: number }[]) {
  let t = 0;
  const lines: string[] = [];
  const p = exportProgress({ ...o, write: (l) => lines.push(l), now: () => t });
  for (const c of chunks) {
    t = c.at;
    p.add(c.cases);
  }
  p.done();
  return lines;
}
// chunks of 2,000 cases (EXPORT_CHUNK), 25,000 cases in all, 100 ms a chunk
const chunks = Array.from({ length: 13 }, (_, i) => ({ cases: i === 12 ? 1_000 : 2_000, at: (i + 1) * 100 }));

describe('aduan export progress', () => {
  it('on a terminal: a line every 10,000 cases and the total at the end', () => {
    expect(run({ tty: true }, chunks)).toEqual([
      'export: 10000 cases exported (0.5 s) …\n',
      'export: 20000 cases exported (1.0 s) …\n',
      'export: 25000 cases exported in 1.3 s\n',
    ]);
  });

  it('into a file or pipe: nothing in the first second, then the same lines', () => {
    // 200 ms a chunk: at 10,000 cases one second has passed, not more; at 20,000 two
    const slow = chunks.map((c) => ({ ...c, at: c.at * 2 }));
    expect(run({ tty: false }, slow)).toEqual(['export: 20000 cases exported (2.0 s) …\n', 'export: 25000 cases exported in 2.6 s\n']);
    // an export done within the second says nothing, not even the total
    expect(run({ tty: false }, chunks)).toEqual([]);
    // nor one of fewer than 10,000 cases, on a terminal either
    expect(run({ tty: true }, chunks.slice(0, 4))).toEqual([]);
  });

  it('--progress: from the start, also into a file', () => {
    expect(run({ tty: false, always: true }, chunks.slice(0, 6))).toEqual(['export: 10000 cases exported (0.5 s) …\n', 'export: 12000 cases exported in 0.6 s\n']);
  });

  it('a chunk that crosses a multiple of 10,000 writes one line', () => {
    expect(run({ tty: true }, [{ cases: 9_999, at: 1 }, { cases: 25_000, at: 2 }, { cases: 6_000, at: 3 }])).toEqual([
      'export: 34999 cases exported (0.0 s) …\n',
      'export: 40999 cases exported (0.0 s) …\n',
      'export: 40999 cases exported in 0.0 s\n',
    ]);
  });
});
