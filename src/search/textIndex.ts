/**
 * The description layer's inverted index: BM25+ over three weighted fields, scored as MiniSearch 7
 * scores an OR query (k 1.2, b 0.7, d 0.5; a prefix match weighs 0.375 × len / (len + 0.3 × extra letters);
 * a document's score times the number of query terms it matched), so answers stay the same.
 *
 * Why not MiniSearch itself: profiling a 10,000-note build (`node --cpu-prof`) put 7.6 of 8.1 s in
 * MiniSearch's `add`: its radix tree scans a node's children one by one, and two-syllable Hangul pieces
 * give the root thousands of children. It also keeps a Map of documents per term and field (its index
 * alone took ~95 MB at 10,000 notes). Here the terms are one sorted typed array (terms.ts) and the postings
 * gaps in varint bytes (postings.ts).
 */
import { mergePacked, PackedPostings, packBuilt, PostingsBuilder } from './postings.js';
import { SortedTerms, TermTable } from './terms.js';
import { tokenize } from './tokenize.js';

export interface TextDoc {
  names: string;
  summary: string;
  body: string;
}

export interface TextResult {
  /** Position of the document as given to the constructor. */
  id: number;
  score: number;
  /** Query terms (as typed) that matched. */
  queryTerms: string[];
  /** Each matched indexed term and the fields it was found in. */
  match: Record<string, string[]>;
}

const FIELDS = ['names', 'summary', 'body'] as const;
const BOOST = [3, 2, 1];
const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
/** A posting packs document, field and term frequency into one int: doc × 64 + field × 16 + min(tf, 15). */
const MAX_TF = 15;

export class TextIndex {
  /** Terms while the first build runs; after finish(), `terms` (sorted, id = place) and `later`. */
  private table: TermTable | undefined = new TermTable();
  private terms = SortedTerms.empty();
  /**
   * Terms first met by update(), ids from terms.size on. Shared, append-only, by every index derived
   * with update(): a version sees the terms below its own term count, so deriving a new one never
   * disturbs the one still answering.
   */
  private later = new Map<string, number>();
  private building: PostingsBuilder | undefined = new PostingsBuilder();
  /** Each term's postings, documents rising (update() gives added documents higher ids). */
  private postings = PackedPostings.empty();
  /** Terms this version knows: postings.keys. */
  private termCount = 0;
  /** Distinct terms of document d's field f: fieldLength[d × 3 + f]. */
  private readonly lengths: number[] = [];
  private fieldLength = new Uint16Array(0);
  private avgLength = [0, 0, 0];
  private totals = [0, 0, 0];
  /** Documents ever given an id in this line of versions (ids are never reused), and those still indexed. */
  private docs = 0;
  private count = 0;
  /** 1 for a document that update() removed: its id stays taken, its postings are gone. */
  private removed = new Uint8Array(0);
  /** Scratch counts by term id while adding one field, left at zero. */
  private tf = new Uint16Array(1024);
  private readonly touched: number[] = [];

  /** All documents at once. Use add() and finish() to build in slices. */
  constructor(docs: readonly TextDoc[] = []) {
    if (docs.length === 0) return;
    for (const doc of docs) this.add(doc);
    this.finish();
  }

  /** Adds the next document; its id is its position. */
  add(doc: TextDoc): void {
    const d = this.docs++;
    this.count++;
    this.post(d, doc, this.building!);
  }

  private post(d: number, doc: TextDoc, into: PostingsBuilder): void {
    const touched = this.touched;
    for (let f = 0; f < 3; f++) {
      for (const term of tokenize(doc[FIELDS[f]!])) {
        const id = this.table ? this.table.id(term) : this.laterId(term);
        if (id >= this.tf.length) {
          const grown = new Uint16Array(Math.max(this.tf.length * 2, id + 1));
          grown.set(this.tf);
          this.tf = grown;
        }
        if (this.tf[id] === 0) touched.push(id);
        if (this.tf[id]! < MAX_TF) this.tf[id]! += 1;
      }
      this.lengths.push(Math.min(touched.length, 65535));
      for (const id of touched) {
        into.add(id, d * 64 + f * 16 + this.tf[id]!);
        this.tf[id] = 0;
      }
      touched.length = 0;
    }
  }

  /** A term met by update(): known, or given the next id after every term so far. */
  private laterId(term: string): number {
    const known = this.terms.find(term);
    if (known >= 0) return known;
    let id = this.later.get(term);
    if (id === undefined) this.later.set(term, (id = this.terms.size + this.later.size));
    return id;
  }

  private get termsKnown(): number {
    return this.table ? this.table.size : this.terms.size + this.later.size;
  }

  /** Packs the postings and sorts the terms (a term's id becomes its place): searchable from here on. */
  finish(): void {
    this.fieldLength = Uint16Array.from(this.lengths);
    this.lengths.length = 0;
    this.removed = new Uint8Array(this.docs);
    const { terms, rank } = this.table!.sorted();
    this.settle(packBuilt(this.building!, terms.size, rank));
    this.terms = terms;
    this.table = undefined;
    this.building = undefined;
  }

  private termId(term: string): number | undefined {
    const t = this.terms.find(term);
    return t >= 0 ? t : this.later.get(term);
  }

  /** Document frequencies, field lengths and averages from the packed postings, as a full build gives them. */
  private settle(postings: PackedPostings): void {
    this.postings = postings;
    this.termCount = postings.keys;
    this.totals = [0, 0, 0];
    for (let d = 0; d < this.docs; d++) {
      if (this.removed[d]) continue;
      for (let f = 0; f < 3; f++) this.totals[f]! += this.fieldLength[d * 3 + f]!;
    }
    this.avgLength = this.totals.map((t) => (this.count ? t / this.count : 0));
  }

  /**
   * A new index: this one without the documents `remove` and with `add`, which take the ids from
   * `docs` on. Scores are those a full build of the same documents gives (the same document
   * frequencies, lengths and averages); the cost is one pass over the packed postings plus tokenizing
   * what was added, so an edit among 100,000 notes does not wait for a full build. This index is left
   * answering as it was.
   */
  update(remove: Iterable<number>, add: readonly TextDoc[]): TextIndex {
    const next = Object.create(TextIndex.prototype) as TextIndex;
    Object.assign(next, { ...this, lengths: [], touched: [], tf: new Uint16Array(this.tf.length) });
    next.removed = new Uint8Array(this.docs + add.length);
    next.removed.set(this.removed);
    next.count = this.count;
    for (const d of remove) {
      if (d < this.docs && !next.removed[d]) {
        next.removed[d] = 1;
        next.count -= 1;
      }
    }
    const fresh = new PostingsBuilder();
    for (const doc of add) {
      next.post(next.docs++, doc, fresh);
      next.count += 1;
    }
    next.fieldLength = new Uint16Array(next.docs * 3);
    next.fieldLength.set(this.fieldLength);
    next.fieldLength.set(next.lengths, this.docs * 3);
    next.lengths.length = 0;
    const added = packBuilt(fresh, next.termsKnown);
    const keep = (p: number) => next.removed[Math.floor(p / 64)] === 0;
    next.settle(mergePacked(this.postings, added, keep));
    return next;
  }

  /** Whether any document has this term: a query word no document has says nothing about which one is meant. */
  has(term: string): boolean {
    const t = this.termId(term);
    return t !== undefined && t < this.termCount && this.postings.start[t + 1]! > this.postings.start[t]!;
  }

  /** Documents indexed, and ids given (removed documents keep theirs until a full build). */
  get size(): { documents: number; ids: number } {
    return { documents: this.count, ids: this.docs };
  }

  /** OR over the query terms, best first. `prefix(term)` says which terms also match longer indexed terms. */
  search(queryTerms: readonly string[], prefix: (term: string) => boolean = () => false, order?: ArrayLike<number>): TextResult[] {
    const results = new Map<number, TextResult>();
    for (const q of queryTerms) {
      const exact = this.termId(q);
      if (exact !== undefined && exact < this.termCount) this.score(q, q, exact, 1, results);
      if (!prefix(q)) continue;
      for (const [term, t] of this.withPrefix(q)) {
        const extra = term.length - q.length;
        if (extra === 0 || t >= this.termCount) continue;
        this.score(q, term, t, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * extra), results);
      }
    }
    const out = [...results.values()];
    for (const r of out) r.score *= r.queryTerms.length || 1;
    // Ties go by `order` (the documents' places in the notes), so an index derived by update() ranks them as a full build would.
    return out.sort(order ? (a, b) => b.score - a.score || order[a.id]! - order[b.id]! : (a, b) => b.score - a.score || a.id - b.id);
  }

  private score(source: string, derived: string, t: number, weight: number, results: Map<number, TextResult>): void {
    const { start, bytes } = this.postings;
    // Documents with the term in each field, counted here for the few terms of a query: a table of them for
    // every term was 4.6 MB at 100,000 notes, and an update had to count them all again.
    const matchingIn = [0, 0, 0];
    let p = 0;
    for (let i = start[t]!, end = start[t + 1]!; i < end;) {
      let b = bytes[i++]!;
      let gap = b & 127;
      for (let shift = 128; b & 128; shift *= 128) {
        b = bytes[i++]!;
        gap += (b & 127) * shift;
      }
      p += gap;
      matchingIn[(p >> 4) & 3]! += 1;
    }
    p = 0;
    for (let i = start[t]!, end = start[t + 1]!; i < end;) {
      let b = bytes[i++]!;
      let gap = b & 127;
      for (let shift = 128; b & 128; shift *= 128) {
        b = bytes[i++]!;
        gap += (b & 127) * shift;
      }
      p += gap;
      const doc = Math.floor(p / 64);
      const f = (p >> 4) & 3;
      const tf = p & 15;
      const matching = matchingIn[f]!;
      const idf = Math.log(1 + (this.count - matching + 0.5) / (matching + 0.5));
      const norm = this.avgLength[f]! > 0 ? this.fieldLength[doc * 3 + f]! / this.avgLength[f]! : 1;
      const s = weight * BOOST[f]! * idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + B * norm)));
      const field = FIELDS[f]!;
      const r = results.get(doc);
      if (!r) {
        // No prototype: an indexed word such as `constructor` must not find Object's own properties.
        const match = Object.create(null) as Record<string, string[]>;
        match[derived] = [field];
        results.set(doc, { id: doc, score: s, queryTerms: [source], match });
        continue;
      }
      r.score += s;
      if (!r.queryTerms.includes(source)) r.queryTerms.push(source);
      const fields = r.match[derived];
      if (fields) fields.push(field);
      else r.match[derived] = [field];
    }
  }

  /** Terms that start with `q` and their ids, in code-unit order. */
  private withPrefix(q: string): [string, number][] {
    const [from, to] = this.terms.range(q);
    const out: [string, number][] = [];
    for (let t = from; t < to; t++) out.push([this.terms.term(t), t]);
    if (this.later.size === 0) return out;
    for (const [term, t] of this.later) if (term.startsWith(q)) out.push([term, t]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
