/**
 * Postings gathered as (key, value) pairs in one growing Int32Array, then packed by key into one array
 * with offsets (compressed sparse rows). At 100,000 concepts this is millions of entries: a JavaScript
 * array per key costs 8 bytes an entry plus growth slack and leaves garbage behind; this costs 4 and none.
 */
export class PostingsBuilder {
  /**
   * Filled chunks and the one being filled. Chunks, not one array grown by doubling: at 100,000 notes
   * there are 22 million ints, and doubling peaks at a 134 MB array beside the 67 MB one it copies
   * (measured: RSS stayed ~100 MB higher after the build).
   */
  private readonly full: Int32Array[] = [];
  private chunk = new Int32Array(CHUNK);
  private used = 0;
  private keys = 0;

  add(key: number, value: number): void {
    if (this.used === CHUNK) {
      this.full.push(this.chunk);
      this.chunk = new Int32Array(CHUNK);
      this.used = 0;
    }
    this.chunk[this.used++] = key;
    this.chunk[this.used++] = value;
    if (key >= this.keys) this.keys = key + 1;
  }

  /** Values of each key in the order they were added. */
  finish(keyCount = this.keys): Postings {
    const chunks = [...this.full, this.chunk.subarray(0, this.used)];
    const start = new Uint32Array(keyCount + 1);
    let size = 0;
    for (const c of chunks) {
      for (let i = 0; i < c.length; i += 2) start[c[i]! + 1]! += 1;
      size += c.length / 2;
    }
    for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
    const values = new Int32Array(size);
    const at = start.slice(0, keyCount);
    for (const c of chunks) for (let i = 0; i < c.length; i += 2) values[at[c[i]!]!++] = c[i + 1]!;
    this.full.length = 0;
    this.chunk = new Int32Array(0);
    this.used = 0;
    return new Postings(start, values);
  }
}

/** Ints a chunk: 16 MB, large enough to be mapped and unmapped on its own (small ones fragment the C heap, which then keeps the memory), and even, so a (key, value) pair never straddles two. */
const CHUNK = 1 << 22;

export class Postings {
  constructor(
    /** Values of key k are values[start[k] .. start[k + 1]). */
    readonly start: Uint32Array,
    readonly values: Int32Array,
  ) {}

  static empty(): Postings {
    return new Postings(new Uint32Array(1), new Int32Array(0));
  }
}

/**
 * `old` without the values `keep` rejects, each key followed by its values in `added` (which may have
 * more keys): one pass over typed arrays, how an index is updated without building it again.
 */
export function mergePostings(old: Postings, added: Postings, keep: (value: number) => boolean): Postings {
  const oldKeys = old.start.length - 1;
  const keys = Math.max(oldKeys, added.start.length - 1);
  const start = new Uint32Array(keys + 1);
  const kept = new Uint8Array(old.values.length);
  for (let k = 0; k < keys; k++) {
    let n = 0;
    if (k < oldKeys) {
      for (let i = old.start[k]!; i < old.start[k + 1]!; i++) {
        if (keep(old.values[i]!)) {
          kept[i] = 1;
          n++;
        }
      }
    }
    if (k + 1 < added.start.length) n += added.start[k + 1]! - added.start[k]!;
    start[k + 1] = start[k]! + n;
  }
  const values = new Int32Array(start[keys]!);
  for (let k = 0; k < keys; k++) {
    let at = start[k]!;
    if (k < oldKeys) for (let i = old.start[k]!; i < old.start[k + 1]!; i++) if (kept[i]) values[at++] = old.values[i]!;
    if (k + 1 < added.start.length) values.set(added.values.subarray(added.start[k]!, added.start[k + 1]!), at);
  }
  return new Postings(start, values);
}
