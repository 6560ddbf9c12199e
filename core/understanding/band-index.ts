/**
 * The repeat bucket index (`dedupe_buckets`) held in memory by the intake worker: a copy, never the
 * record. SQLite keeps the buckets; at start the worker reads them once, in primary-key order, into two
 * typed arrays (8 bytes per entry, ≈ 64 MB per 10^6 cases), and cases stored later are added to a small
 * map, merged into the arrays whenever it holds `compactAt` entries (so a long-running worker's heap
 * does not grow with every case it stores). A lookup is then a binary search per band in memory,
 * whatever the history size, and no longer depends on SQLite's page cache, which another process's
 * write empties.
 */
const DIR_SPAN = 0x10000;

export class BandIndex {
  /** Entries in primary-key order (band key, case id): the band key's low 32 bits and the case id. */
  private keys = new Uint32Array(1024);
  private ids = new Uint32Array(1024);
  private size = 0;
  /** First entry of each band (band b's keys are b × 2^32 + 32 bits); -1 until the band has begun. */
  private readonly bandStart: number[];
  /** After the load: per band, the first entry whose key's top 16 bits are ≥ t (t = 0…65536), so a
   *  lookup searches a handful of entries instead of the whole band (fewer cache misses). */
  private directory: Uint32Array | undefined;
  /** Entries added after the load, per band key, oldest first. */
  private readonly recent = new Map<number, number[]>();
  private recentEntries = 0;

  /** @param compactAt added entries (≈ 130 bytes of heap each) that are merged into the arrays at once */
  constructor(private readonly bands: number, private readonly compactAt = 262_144) {
    this.bandStart = new Array<number>(bands + 1).fill(-1);
  }

  /** Entries held (loaded and added). */
  get entries(): number {
    return this.size + this.recentEntries;
  }

  /** Bytes of the typed arrays and of the added entries (an estimate for the latter). */
  get bytes(): number {
    return this.keys.byteLength + this.ids.byteLength + (this.directory?.byteLength ?? 0) + this.recentEntries * 130;
  }

  /** Room for `n` entries before the load (no copies while loading; `seal` trims what is left over). */
  reserve(n: number): void {
    if (n > this.keys.length) this.grow(n);
  }

  /** Loads one entry; entries must come in primary-key order (as SQLite's index gives them). */
  append(bandKey: number, caseId: number): void {
    const band = Math.floor(bandKey / 0x1_0000_0000);
    for (let b = band; b >= 0 && this.bandStart[b] === -1; b--) this.bandStart[b] = this.size;
    if (this.size === this.keys.length) this.grow(Math.ceil(this.size * 1.5));
    this.keys[this.size] = bandKey >>> 0;
    this.ids[this.size] = caseId;
    this.size++;
  }

  /** The load is complete: trims the arrays to their size and builds the directory. */
  seal(): void {
    for (let b = this.bands; b >= 0 && this.bandStart[b] === -1; b--) this.bandStart[b] = this.size;
    if (this.size < this.keys.length * 0.9) this.grow(this.size);
    this.buildDirectory();
  }

  private buildDirectory(): void {
    const dir = this.directory?.length === this.bands * DIR_SPAN ? this.directory : new Uint32Array(this.bands * DIR_SPAN);
    for (let b = 0; b < this.bands; b++) {
      const end = this.bandStart[b + 1]!;
      let i = this.bandStart[b]!;
      for (let t = 0; t < DIR_SPAN; t++) {
        while (i < end && this.keys[i]! >>> 16 < t) i++;
        dir[b * DIR_SPAN + t] = i;
      }
    }
    this.directory = dir;
  }

  /**
   * Merges the added entries into the arrays: one pass, insertion points found by the directory.
   * Measured at 8·10^6 loaded + 262,144 added entries (10^6 cases + 32,768 stored since): 0.6–0.8 s,
   * once per 32,768 new cases; until then the added entries take ≈ 130 bytes of heap each.
   */
  private compact(): void {
    const n = this.size + this.recentEntries;
    const keys = new Uint32Array(n), ids = new Uint32Array(n);
    const oldKeys = this.keys, oldIds = this.ids;
    const addedBefore = new Array<number>(this.bands + 1).fill(0);
    // keys in order (a native numeric sort); a key's added cases are newer than its loaded ones, so they
    // go at the end of its bucket, oldest first
    const order = new Float64Array(this.recent.size);
    let q = 0;
    for (const k of this.recent.keys()) order[q++] = k;
    order.sort();
    let w = 0, i = 0;
    for (const bandKey of order) {
      const band = Math.floor(bandKey / 0x1_0000_0000);
      const at = this.bucketEnd(bandKey)[1] || this.bandStart[band]!;
      for (; i < at; i++, w++) { keys[w] = oldKeys[i]!; ids[w] = oldIds[i]!; }
      const list = this.recent.get(bandKey)!;
      for (const id of list) { keys[w] = bandKey >>> 0; ids[w] = id; w++; }
      addedBefore[band + 1]! += list.length;
    }
    for (; i < this.size; i++, w++) { keys[w] = oldKeys[i]!; ids[w] = oldIds[i]!; }
    for (let b = 1; b <= this.bands; b++) addedBefore[b]! += addedBefore[b - 1]!;
    for (let b = 0; b <= this.bands; b++) this.bandStart[b]! += addedBefore[b]!;
    this.keys = keys;
    this.ids = ids;
    this.size = n;
    this.recent.clear();
    this.recentEntries = 0;
    this.buildDirectory();
  }

  /** Adds an entry of a case stored after the load (case ids only grow; an entry already held is skipped). */
  add(bandKey: number, caseId: number): void {
    const list = this.recent.get(bandKey);
    if (list?.[list.length - 1] === caseId) return;
    if (!list && this.newestInArrays(bandKey) === caseId) return; // merged into the arrays already
    if (list) list.push(caseId); else this.recent.set(bandKey, [caseId]);
    this.recentEntries++;
    if (this.directory && this.recentEntries >= this.compactAt) this.compact();
  }

  /** Pushes the newest `limit` case ids of the bucket onto `out`, newest first. */
  newest(bandKey: number, limit: number, out: number[]): void {
    let left = limit;
    const list = this.recent.get(bandKey);
    if (list) for (let i = list.length - 1; i >= 0 && left > 0; i--, left--) out.push(list[i]!);
    if (left === 0) return;
    const [start, end] = this.bucketEnd(bandKey);
    const key = bandKey >>> 0;
    for (let i = end - 1; i >= start && this.keys[i] === key && left > 0; i--, left--) out.push(this.ids[i]!);
  }

  private newestInArrays(bandKey: number): number | undefined {
    const [start, end] = this.bucketEnd(bandKey);
    return end > start && this.keys[end - 1] === bandKey >>> 0 ? this.ids[end - 1] : undefined;
  }

  /** The band's first entry and the end of the bucket's entries in the arrays (they lie just before it, oldest first). */
  private bucketEnd(bandKey: number): [number, number] {
    const band = Math.floor(bandKey / 0x1_0000_0000);
    if (band < 0 || band >= this.bands) return [0, 0];
    const key = bandKey >>> 0;
    const start = this.bandStart[band]!;
    let lo = start, hi = this.bandStart[band + 1]!;
    if (lo < 0 || hi <= lo) return [0, 0];
    if (this.directory) {
      const at = band * DIR_SPAN + (key >>> 16);
      lo = this.directory[at]!;
      hi = (key >>> 16) === 0xffff ? hi : this.directory[at + 1]!;
    }
    // first entry with a key above `key`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= key) lo = mid + 1; else hi = mid;
    }
    return [start, lo];
  }

  private grow(capacity: number): void {
    const keys = new Uint32Array(capacity), ids = new Uint32Array(capacity);
    keys.set(this.keys.subarray(0, this.size));
    ids.set(this.ids.subarray(0, this.size));
    this.keys = keys;
    this.ids = ids;
  }
}

/** Bits of a shingle sketch (8 × 32). */
export const SKETCH_BITS = 256;
const SKETCH_WORDS = SKETCH_BITS / 32;

/** The sketch of a case's shingle hashes: one bit per shingle in 256 (a tiny Bloom filter of the set). */
export function shingleSketch(hashes: Uint32Array, out = new Uint32Array(SKETCH_WORDS)): Uint32Array {
  out.fill(0);
  for (let i = 0; i < hashes.length; i++) {
    const bit = Math.imul(hashes[i]!, 0x9e3779b1) >>> 24;
    out[bit >>> 5]! |= 1 << (bit & 31);
  }
  return out;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Shingle sketches of the indexed cases, by case id (32 bytes a case, ≈ 32 MB per 10^6 ids), so that
 * a bucket candidate that shares only a few word pairs with the message is passed over without reading
 * its row. Bits set in both over bits set in either estimates the Jaccard similarity; only two shared
 * shingles landing on one bit can lower the estimate, which for texts of ~20–60 word pairs costs a
 * few hundredths (a margin of 0.15 below the threshold is kept), while long texts fill the bits and are
 * then simply always read.
 */
export class SketchTable {
  private words: Uint32Array<ArrayBuffer>;

  /** Sized for case ids up to `maxCaseId` (it grows for later ones). */
  constructor(maxCaseId = 1023) {
    this.words = new Uint32Array((maxCaseId + 1) * SKETCH_WORDS);
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  set(caseId: number, hashes: Uint32Array): void {
    const need = (caseId + 1) * SKETCH_WORDS;
    if (need > this.words.length) {
      const grown = new Uint32Array(Math.max(need, Math.ceil(this.words.length * 1.5)));
      grown.set(this.words);
      this.words = grown;
    }
    shingleSketch(hashes, this.words.subarray(caseId * SKETCH_WORDS, need));
  }

  /** The estimated Jaccard similarity of the case with a sketch, or undefined when the case has none. */
  estimate(caseId: number, sketch: Uint32Array): number | undefined {
    const at = caseId * SKETCH_WORDS;
    if (at + SKETCH_WORDS > this.words.length) return undefined;
    let inter = 0, union = 0, own = 0;
    for (let i = 0; i < SKETCH_WORDS; i++) {
      const a = this.words[at + i]!, b = sketch[i]!;
      inter += popcount(a & b);
      union += popcount(a | b);
      own += popcount(a);
    }
    return own === 0 ? undefined : inter / union;
  }
}

/**
 * The first 32 bits of every stored message's text hash (an open-addressing set, ≈ 8 bytes a message):
 * a message whose hash is not in it has no exact repeat, and its lookup skips the index seek. Holding
 * more than the database (a hash added for a message whose transaction then rolled back) only costs
 * that seek; it must never hold less, so hashes are added before their messages are committed.
 */
export class HashPrefixSet {
  private slots = new Uint32Array(1024);
  private used = 0;

  get bytes(): number {
    return this.slots.byteLength;
  }

  /** Room for `n` prefixes before the load. */
  reserve(n: number): void {
    let size = this.slots.length;
    while (n * 2 > size) size *= 2;
    if (size > this.slots.length) this.rehash(size);
  }

  add(hash: string): void {
    const x = prefixOf(hash);
    if (this.insert(this.slots, x)) this.used++;
    if (this.used * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  has(hash: string): boolean {
    const x = prefixOf(hash);
    const mask = this.slots.length - 1;
    for (let i = Math.imul(x, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === x) return true;
      if (s === 0) return false;
    }
  }

  private insert(slots: Uint32Array, x: number): boolean {
    const mask = slots.length - 1;
    for (let i = Math.imul(x, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === x) return false;
      if (s === 0) { slots[i] = x; return true; }
    }
  }

  private rehash(size: number): void {
    const next = new Uint32Array(size);
    for (const s of this.slots) if (s !== 0) this.insert(next, s);
    this.slots = next;
  }
}

/** 32 bits of a hex text hash; 0 marks an empty slot, so it is stored as 1. */
function prefixOf(hash: string): number {
  return parseInt(hash.slice(0, 8), 16) || 1;
}
