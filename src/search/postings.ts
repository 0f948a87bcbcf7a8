/**
 * Postings gathered as (key, value) pairs in one growing Int32Array, then packed by key into one array
 * with offsets (compressed sparse rows). At 100,000 concepts this is millions of entries: a JavaScript
 * array per key costs 8 bytes an entry plus growth slack and leaves garbage behind; this costs 4 and none.
 */
export class PostingsBuilder {
  private pairs = new Int32Array(1024);
  private size = 0;
  private keys = 0;

  add(key: number, value: number): void {
    if (this.size + 2 > this.pairs.length) {
      const grown = new Int32Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[this.size++] = key;
    this.pairs[this.size++] = value;
    if (key >= this.keys) this.keys = key + 1;
  }

  /** Values of each key in the order they were added. */
  finish(keyCount = this.keys): Postings {
    const start = new Uint32Array(keyCount + 1);
    for (let i = 0; i < this.size; i += 2) start[this.pairs[i]! + 1]! += 1;
    for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
    const values = new Int32Array(this.size / 2);
    const at = start.slice(0, keyCount);
    for (let i = 0; i < this.size; i += 2) values[at[this.pairs[i]!]!++] = this.pairs[i + 1]!;
    this.pairs = new Int32Array(0);
    this.size = 0;
    return new Postings(start, values);
  }
}

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
