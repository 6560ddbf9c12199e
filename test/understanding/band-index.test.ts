import { describe, expect, it } from 'vitest';
import { BandIndex } from '../../core/understanding/band-index.ts';
import { seededRandom } from '../../scripts/corpus/rng.ts';

/** What `SELECT case_id FROM dedupe_buckets WHERE band_key = ? ORDER BY case_id DESC LIMIT n` returns. */
function oracle(entries: Array<[number, number]>, key: number, limit: number): number[] {
  return entries.filter(([k]) => k === key).map(([, id]) => id).sort((a, b) => b - a).slice(0, limit);
}

describe('in-memory band index', () => {
  it('returns the newest case ids of a bucket, as the SQLite query does, across loaded and added entries', () => {
    const rnd = seededRandom(99);
    const bands = 4;
    // few distinct keys per band, so buckets hold many cases; band 2 is left empty
    const keyOf = (): number => {
      let band = Math.floor(rnd() * bands);
      if (band === 2) band = 3;
      return band * 0x1_0000_0000 + (Math.floor(rnd() * 40) * 0x0777_7777 >>> 0);
    };
    const loaded = new Map<string, [number, number]>();
    for (let id = 1; id <= 3000; id++) for (let j = 0; j < 2; j++) { const k = keyOf(); loaded.set(`${k}:${id}`, [k, id]); }
    const sorted = [...loaded.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const index = new BandIndex(bands);
    for (const [k, id] of sorted) index.append(k, id);
    index.seal();
    const all = [...sorted];
    for (let id = 3001; id <= 3200; id++) { const k = keyOf(); index.add(k, id); index.add(k, id); all.push([k, id]); }
    expect(index.entries).toBe(all.length);
    const keys = new Set(all.map(([k]) => k));
    for (const k of keys) for (const limit of [1, 5, 32, 1000]) {
      const out: number[] = [];
      index.newest(k, limit, out);
      expect(out).toEqual(oracle(all, k, limit));
    }
    // keys never stored, in a stored band, in the empty band and out of range
    for (const k of [1 * 0x1_0000_0000 + 12345, 2 * 0x1_0000_0000 + 5, 9 * 0x1_0000_0000]) {
      const out: number[] = [];
      index.newest(k, 32, out);
      expect(out).toEqual([]);
    }
  });
});
