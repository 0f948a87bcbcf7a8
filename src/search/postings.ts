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

  /** The (key, value) pairs gathered, as chunks of ints; the builder is left empty. */
  drain(): Int32Array[] {
    const chunks = [...this.full, this.chunk.subarray(0, this.used)];
    this.full.length = 0;
    this.chunk = new Int32Array(0);
    this.used = 0;
    return chunks;
  }

  /** Values of each key in the order they were added. */
  finish(keyCount = this.keys): Postings {
    const chunks = this.drain();
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

/**
 * Postings whose values rise strictly within each key (a term's documents, each with its fields in order),
 * each stored as its gap from the one before (the first from 0) in LEB128 varint bytes: seven bits a byte,
 * the high bit set on every byte but a number's last. At 100,000 notes the description layer's 11 million
 * postings took 44 MB as ints and take ~1.5 bytes each this way; reading them is one pass, as scoring is.
 */
export class PackedPostings {
  constructor(
    /** Key k's bytes are bytes[start[k] .. start[k + 1]). */
    readonly start: Uint32Array,
    readonly bytes: Uint8Array,
  ) {}

  static empty(): PackedPostings {
    return new PackedPostings(new Uint32Array(1), new Uint8Array(0));
  }

  get keys(): number {
    return this.start.length - 1;
  }

  /** Key k's values, in order (scoring decodes in place). */
  values(k: number): number[] {
    const out: number[] = [];
    this.forEach(k, (v) => out.push(v));
    return out;
  }

  forEach(k: number, visit: (value: number) => unknown): void {
    const { bytes } = this;
    let value = 0;
    for (let i = this.start[k]!, end = this.start[k + 1]!; i < end;) {
      let gap = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[i++]!;
        gap += (b & 127) * 2 ** shift;
        shift += 7;
      } while (b & 128);
      value += gap;
      visit(value);
    }
  }

  /** From values given key by key, each key's rising (what PostingsBuilder.pack() and merges produce). */
  static of(lists: readonly (readonly number[])[]): PackedPostings {
    const start = new Uint32Array(lists.length + 1);
    lists.forEach((list, k) => {
      let prev = 0;
      let n = 0;
      for (const v of list) {
        n += varintLength(v - prev);
        prev = v;
      }
      start[k + 1] = start[k]! + n;
    });
    const bytes = new Uint8Array(start[lists.length]!);
    lists.forEach((list, k) => {
      let at = start[k]!;
      let prev = 0;
      for (const v of list) {
        at = writeVarint(bytes, at, v - prev);
        prev = v;
      }
    });
    return new PackedPostings(start, bytes);
  }
}

export function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes n (0 ≤ n < 2^53) at bytes[at]; returns where the next number goes. */
export function writeVarint(bytes: Uint8Array, at: number, n: number): number {
  while (n >= 128) {
    bytes[at++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  bytes[at++] = n;
  return at;
}

/**
 * Packs what a PostingsBuilder gathered, straight from its chunks (no array of ints in between), keys
 * renumbered by `renumber` (old key → new key) when given. Each key's values must rise in the order added.
 */
export function packBuilt(builder: PostingsBuilder, keyCount: number, renumber?: Uint32Array): PackedPostings {
  const chunks = builder.drain();
  const key = renumber ? (k: number) => renumber[k]! : (k: number) => k;
  const prev = new Float64Array(keyCount);
  const start = new Uint32Array(keyCount + 1);
  for (const c of chunks) {
    for (let i = 0; i < c.length; i += 2) {
      const k = key(c[i]!);
      start[k + 1]! += varintLength(c[i + 1]! - prev[k]!);
      prev[k] = c[i + 1]!;
    }
  }
  for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
  const bytes = new Uint8Array(start[keyCount]!);
  const at = start.slice(0, keyCount);
  prev.fill(0);
  for (const c of chunks) {
    for (let i = 0; i < c.length; i += 2) {
      const k = key(c[i]!);
      at[k] = writeVarint(bytes, at[k]!, c[i + 1]! - prev[k]!);
      prev[k] = c[i + 1]!;
    }
  }
  return new PackedPostings(start, bytes);
}

/**
 * `old` without the values `keep` rejects, each key followed by its values in `added` (which may have
 * more keys, and whose values are all above the old ones of the same key): how an index is updated
 * without building it again. Two passes over the bytes (sizes, then writing); a key that lost nothing
 * keeps its bytes as they were, so an edit among 100,000 notes mostly copies.
 */
export function mergePacked(old: PackedPostings, added: PackedPostings, keep: (value: number) => boolean): PackedPostings {
  const keys = Math.max(old.keys, added.keys);
  const start = new Uint32Array(keys + 1);
  /** Per old key: its last kept value, and whether it lost any. */
  const last = new Float64Array(old.keys);
  const lost = new Uint8Array(old.keys);
  const ob = old.bytes;
  for (let k = 0; k < keys; k++) {
    let size = 0;
    let kept = 0;
    if (k < old.keys) {
      let value = 0;
      for (let i = old.start[k]!, end = old.start[k + 1]!; i < end;) {
        let b = ob[i++]!;
        let gap = b & 127;
        for (let shift = 128; b & 128; shift *= 128) {
          b = ob[i++]!;
          gap += (b & 127) * shift;
        }
        value += gap;
        if (keep(value)) {
          size += varintLength(value - kept);
          kept = value;
        } else lost[k] = 1;
      }
      last[k] = kept;
    }
    if (k < added.keys) {
      const first = added.start[k]!;
      const end = added.start[k + 1]!;
      if (end > first) {
        // Only the first gap changes: it is now counted from the last kept value, not from 0.
        const [v, next] = readVarint(added.bytes, first);
        size += varintLength(v - kept) + (end - next);
      }
    }
    start[k + 1] = start[k]! + size;
  }
  const bytes = new Uint8Array(start[keys]!);
  for (let k = 0; k < keys; k++) {
    let at = start[k]!;
    let kept = 0;
    if (k < old.keys) {
      if (!lost[k]) {
        bytes.set(ob.subarray(old.start[k]!, old.start[k + 1]!), at);
        at += old.start[k + 1]! - old.start[k]!;
      } else {
        let value = 0;
        for (let i = old.start[k]!, end = old.start[k + 1]!; i < end;) {
          let b = ob[i++]!;
          let gap = b & 127;
          for (let shift = 128; b & 128; shift *= 128) {
            b = ob[i++]!;
            gap += (b & 127) * shift;
          }
          value += gap;
          if (keep(value)) {
            at = writeVarint(bytes, at, value - kept);
            kept = value;
          }
        }
      }
      kept = last[k]!;
    }
    if (k < added.keys) {
      const first = added.start[k]!;
      const end = added.start[k + 1]!;
      if (end > first) {
        const [v, next] = readVarint(added.bytes, first);
        at = writeVarint(bytes, at, v - kept);
        bytes.set(added.bytes.subarray(next, end), at);
      }
    }
  }
  return new PackedPostings(start, bytes);
}

/** The number at bytes[at] and where the next one starts. */
export function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let b = bytes[at++]!;
  let n = b & 127;
  for (let shift = 128; b & 128; shift *= 128) {
    b = bytes[at++]!;
    n += (b & 127) * shift;
  }
  return [n, at];
}
