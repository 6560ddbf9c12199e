/**
 * The repeat bucket index (`dedupe_buckets`) held in memory by the intake worker: a copy, never the
 * record. SQLite keeps the buckets; at start the worker reads them once, in primary-key order, into two
 * typed arrays (8 bytes per entry, ≈ 64 MB per 10^6 cases), and cases stored later are added to a small
 * map. A lookup is then a binary search per band in memory, whatever the history size, and no longer
 * depends on SQLite's page cache, which another process's write empties.
 */
export class BandIndex {
  /** Entries in primary-key order (band key, case id): the band key's low 32 bits and the case id. */
  private keys = new Uint32Array(1024);
  private ids = new Uint32Array(1024);
  private size = 0;
  /** First entry of each band (band b's keys are b × 2^32 + 32 bits); -1 until the band has begun. */
  private readonly bandStart: number[];
  /** Entries added after the load, per band key, oldest first. */
  private readonly recent = new Map<number, number[]>();
  private recentEntries = 0;

  constructor(private readonly bands: number) {
    this.bandStart = new Array<number>(bands + 1).fill(-1);
  }

  /** Entries held (loaded and added). */
  get entries(): number {
    return this.size + this.recentEntries;
  }

  /** Bytes of the typed arrays and of the added entries (an estimate for the latter). */
  get bytes(): number {
    return this.keys.byteLength + this.ids.byteLength + this.recentEntries * 48;
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

  /** The load is complete: trims the arrays to their size. */
  seal(): void {
    for (let b = this.bands; b >= 0 && this.bandStart[b] === -1; b--) this.bandStart[b] = this.size;
    if (this.size < this.keys.length) this.grow(this.size);
  }

  /** Adds an entry of a case stored after the load (case ids only grow). */
  add(bandKey: number, caseId: number): void {
    const list = this.recent.get(bandKey);
    if (list?.[list.length - 1] === caseId) return;
    if (list) list.push(caseId); else this.recent.set(bandKey, [caseId]);
    this.recentEntries++;
  }

  /** Pushes the newest `limit` case ids of the bucket onto `out`, newest first. */
  newest(bandKey: number, limit: number, out: number[]): void {
    let left = limit;
    const list = this.recent.get(bandKey);
    if (list) for (let i = list.length - 1; i >= 0 && left > 0; i--, left--) out.push(list[i]!);
    if (left === 0) return;
    const band = Math.floor(bandKey / 0x1_0000_0000);
    if (band < 0 || band >= this.bands) return;
    const key = bandKey >>> 0;
    let lo = this.bandStart[band]!, hi = this.bandStart[band + 1]!;
    if (lo < 0 || hi <= lo) return;
    // first entry with a key above `key`; the bucket's entries end just before it, oldest first
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! <= key) lo = mid + 1; else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && this.keys[i] === key && left > 0 && i >= this.bandStart[band]!; i--, left--) out.push(this.ids[i]!);
  }

  private grow(capacity: number): void {
    const keys = new Uint32Array(capacity), ids = new Uint32Array(capacity);
    keys.set(this.keys.subarray(0, this.size));
    ids.set(this.ids.subarray(0, this.size));
    this.keys = keys;
    this.ids = ids;
  }
}
