/**
 * The description layer's terms without a string and a Map entry each. At 100,000 notes there are ~380,000
 * terms (most of them two-syllable pieces of one note's name), and a Map of strings held ~24 MB of heap as
 * ~380,000 small objects for the life of the index. Here they are UTF-16 code units in one typed array,
 * found by hashing while the index is built (TermTable) and by binary search once it is (SortedTerms),
 * whose sorted order also answers prefix queries without sorting on the first one.
 */

/** Terms as they are first met, each given the next id, found by open addressing over typed arrays. */
export class TermTable {
  private chars = new Uint16Array(1 << 16);
  /** Term i is chars[starts[i] .. starts[i + 1]). */
  private starts = new Uint32Array(1 << 12);
  private count = 0;
  /** Term id + 1 in each slot, 0 for an empty one; a power of two, never more than half full. */
  private slots = new Int32Array(1 << 13);

  get size(): number {
    return this.count;
  }

  /** The term's id, given the next one if it is new. */
  id(term: string): number {
    const mask = this.slots.length - 1;
    for (let s = hash(term) & mask; ; s = (s + 1) & mask) {
      const held = this.slots[s]!;
      if (held === 0) {
        this.slots[s] = this.append(term) + 1;
        if (this.count * 2 > this.slots.length) this.rehash();
        return this.count - 1;
      }
      if (this.equals(held - 1, term)) return held - 1;
    }
  }

  private append(term: string): number {
    const at = this.starts[this.count]!;
    if (at + term.length > this.chars.length) this.chars = grown(this.chars, at + term.length);
    for (let i = 0; i < term.length; i++) this.chars[at + i] = term.charCodeAt(i);
    if (this.count + 2 > this.starts.length) this.starts = grown(this.starts, this.count + 2);
    this.starts[this.count + 1] = at + term.length;
    return this.count++;
  }

  private equals(id: number, term: string): boolean {
    const from = this.starts[id]!;
    if (this.starts[id + 1]! - from !== term.length) return false;
    for (let i = 0; i < term.length; i++) if (this.chars[from + i] !== term.charCodeAt(i)) return false;
    return true;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let s = hashOf(this.chars, this.starts[id]!, this.starts[id + 1]!) & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = id + 1;
    }
  }

  /** The terms in code-unit order (as `<` orders strings), and each term's place in it by id. */
  sorted(): { terms: SortedTerms; rank: Uint32Array } {
    const { chars, starts, count } = this;
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) =>
      compareRanges(chars, starts[a]!, starts[a + 1]!, starts[b]!, starts[b + 1]!),
    );
    const rank = new Uint32Array(count);
    const sortedStarts = new Uint32Array(count + 1);
    const sortedChars = new Uint16Array(starts[count]!);
    let at = 0;
    order.forEach((id, r) => {
      rank[id] = r;
      sortedChars.set(chars.subarray(starts[id]!, starts[id + 1]!), at);
      at += starts[id + 1]! - starts[id]!;
      sortedStarts[r + 1] = at;
    });
    return { terms: new SortedTerms(sortedChars, sortedStarts), rank };
  }
}

/** Terms in code-unit order, the id of a term its place. */
export class SortedTerms {
  constructor(
    private readonly chars: Uint16Array,
    /** Term i is chars[starts[i] .. starts[i + 1]). */
    private readonly starts: Uint32Array,
  ) {}

  static empty(): SortedTerms {
    return new SortedTerms(new Uint16Array(0), new Uint32Array(1));
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /** The term's id, or -1. */
  find(term: string): number {
    const at = this.lowerBound(term);
    return at < this.size && this.compare(term, at) === 0 ? at : -1;
  }

  /** Ids of the terms that start with `prefix`, in order: [from, to). */
  range(prefix: string): [number, number] {
    const from = this.lowerBound(prefix);
    let to = from;
    while (to < this.size && this.startsWith(to, prefix)) to++;
    return [from, to];
  }

  term(id: number): string {
    return String.fromCharCode(...this.chars.subarray(this.starts[id]!, this.starts[id + 1]!));
  }

  /** The first id whose term is not below `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(term, mid) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `term` against term `id`: negative when it sorts first. */
  private compare(term: string, id: number): number {
    const from = this.starts[id]!;
    const len = this.starts[id + 1]! - from;
    const n = Math.min(len, term.length);
    for (let i = 0; i < n; i++) {
      const d = term.charCodeAt(i) - this.chars[from + i]!;
      if (d !== 0) return d;
    }
    return term.length - len;
  }

  private startsWith(id: number, prefix: string): boolean {
    const from = this.starts[id]!;
    if (this.starts[id + 1]! - from < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.chars[from + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function hashOf(chars: Uint16Array, from: number, to: number): number {
  let h = 2166136261;
  for (let i = from; i < to; i++) h = Math.imul(h ^ chars[i]!, 16777619);
  return h >>> 0;
}

function compareRanges(chars: Uint16Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let i = 0; i < n; i++) {
    const d = chars[a + i]! - chars[b + i]!;
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
}

function grown<T extends Uint16Array | Uint32Array>(a: T, need: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, need));
  next.set(a);
  return next;
}
