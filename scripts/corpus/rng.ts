/**
 * The corpus generators' seeded random numbers (mulberry32). Each generator module makes its own
 * stream, so adding rows to one never shifts what another writes.
 */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s |= 0; s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
