import { describe, expect, it } from 'vitest';
import { BandIndex, HashPrefixSet, SketchTable, shingleSketch } from '../../core/understanding/band-index.ts';
import { hashJaccard, rankCandidates } from '../../core/understanding/dedupe.ts';
import { seededRandom } from '../../scripts/corpus/rng.ts';

/** What `SELECT case_id FROM dedupe_buckets WHERE band_key = ? ORDER BY case_id DESC LIMIT n` returns. */
function oracle(entries: Array<[number, number]>, key: number, limit: number): number[] {
  return entries.filter(([k]) => k === key).map(([, id]) => id).sort((a, b) => b - a).slice(0, limit);
}

describe('in-memory band index', () => {
  it.each([
    ['kept in the map', undefined],
    ['merged into the arrays every 50', 50],
  ])('returns the newest case ids of a bucket, as the SQLite query does, across loaded and added entries (%s)', (_name, compactAt) => {
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
    const index = new BandIndex(bands, compactAt);
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

describe('shingle sketches', () => {
  /** Two sorted hash sets of the given sizes sharing `shared` hashes. */
  function pair(rnd: () => number, shared: number, onlyA: number, onlyB: number): [Uint32Array, Uint32Array] {
    const draw = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 0x1_0000_0000));
    const common = draw(shared);
    const a = Uint32Array.from(new Set([...common, ...draw(onlyA)])).sort();
    const b = Uint32Array.from(new Set([...common, ...draw(onlyB)])).sort();
    return [a, b];
  }

  it('never estimates a pair more than 0.15 below its Jaccard similarity, and sets chance pairs far below 0.55', () => {
    const rnd = seededRandom(7);
    const table = new SketchTable();
    let chanceOver = 0, chance = 0;
    for (let i = 1; i <= 4000; i++) {
      const shared = 1 + Math.floor(rnd() * 60);
      const [a, b] = pair(rnd, shared, Math.floor(rnd() * 30), Math.floor(rnd() * 30));
      table.set(i, a);
      const j = hashJaccard(a, b);
      const e = table.estimate(i, shingleSketch(b))!;
      if (j >= 0.55) expect(e).toBeGreaterThanOrEqual(j - 0.15);
      if (j <= 0.3 && a.length + b.length <= 80) { chance++; if (e >= 0.55) chanceOver++; }
    }
    expect(chance).toBeGreaterThan(500);
    expect(chanceOver / chance).toBeLessThan(0.02);
  });

  it('has no estimate for a case without a sketch', () => {
    const table = new SketchTable();
    table.set(5, Uint32Array.of(1, 2, 3));
    expect(table.estimate(4, shingleSketch(Uint32Array.of(1, 2, 3)))).toBeUndefined();
    expect(table.estimate(10_000, shingleSketch(Uint32Array.of(1, 2, 3)))).toBeUndefined();
    expect(table.estimate(5, shingleSketch(Uint32Array.of(1, 2, 3)))).toBe(1);
  });
});

describe('candidate ranking', () => {
  it('ranks by shared bands, then newest, as counting in a map and sorting does', () => {
    const rnd = seededRandom(3);
    for (let round = 0; round < 300; round++) {
      const rows = Array.from({ length: Math.floor(rnd() * 60) }, () => 1 + Math.floor(rnd() * 25));
      const hits = new Map<number, number>();
      for (const id of rows) hits.set(id, (hits.get(id) ?? 0) + 1);
      const expected = [...hits.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
      for (const limit of [3, 15, 100]) expect(rankCandidates(rows, limit)).toEqual(expected.slice(0, limit));
    }
  });
});

describe('text hash prefixes', () => {
  it('holds every added hash through its growth and tells unknown ones (but for 32-bit prefix collisions)', () => {
    const rnd = seededRandom(11);
    const hex = () => Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');
    const set = new HashPrefixSet();
    const added = Array.from({ length: 20_000 }, hex);
    added.push('00000000' + 'f'.repeat(24)); // a prefix of 0, the empty-slot marker
    for (const h of added) set.add(h);
    expect(added.every((h) => set.has(h))).toBe(true);
    expect(set.has('00000000' + 'a'.repeat(24))).toBe(true); // same 32-bit prefix
    const prefixes = new Set(added.map((a) => a.slice(0, 8)));
    const unknown = Array.from({ length: 20_000 }, hex).filter((h) => !prefixes.has(h.slice(0, 8)));
    expect(unknown.filter((h) => set.has(h))).toEqual([]);
  });
});
