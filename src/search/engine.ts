import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Concept } from '../knowledge/types.js';
import { osaDistance } from './editDistance.js';
import { flatString } from './flatString.js';
import { isChoseongOnly, toChoseong, toJamo } from './hangul.js';
import { compactKey, queryForms } from './normalize.js';
import { mergePostings, Postings, PostingsBuilder } from './postings.js';
import { TextIndex, type TextDoc } from './textIndex.js';
import { tokenize } from './tokenize.js';

/**
 * Lookup in layers, cheapest first: exact names, initial consonants, fuzzy names (fuse.js over
 * Hangul letters), then descriptions (a BM25 inverted index over summaries and bodies, textIndex.ts). Scores run from
 * 0 (perfect) to 1; each concept keeps its best score over all layers and query variants.
 */
export type Via = 'exact' | 'choseong' | 'prefix' | 'fuzzy' | 'text';
export type Verdict = 'hit' | 'didYouMean' | 'miss' | 'empty';

export interface SearchHit {
  concept: Concept;
  score: number;
  via: Via;
}

export interface SearchOutcome {
  /** The query as cleaned for display (no pings, no markup). */
  query: string;
  verdict: Verdict;
  hits: SearchHit[];
  truncated: boolean;
}

export interface SearchOptions {
  /** A hit at or below this score is answered with its card. */
  confident?: number;
  /** Above `confident` and at or below this: "did you mean". */
  plausible?: number;
  /** How many longer names (those sharing the most letter pairs with the query) fuse.js searches inside. */
  fuzzyCandidates?: number;
}

/** One name of a concept, as the fuzzy layer looks at it (made on demand from the name table). */
interface NameEntry {
  concept: number;
  jamo: string;
  primary: boolean;
}

/**
 * Every name as three parallel arrays, not an object a name: at 100,000 notes there are 300,000
 * names, and an object, its initial consonants and a jamo copy of a Latin name cost ~30 MB more.
 */
class NameTable {
  readonly keys: string[] = [];
  /** The key in Hangul letters; the key itself when it has no Hangul. */
  readonly jamo: string[] = [];
  /** concept × 2 + 1 when the name is a title or id (primary), + 0 when an alias; typed, grown by doubling. */
  info = new Int32Array(1024);
  /** How many distinct letter pairs each name has (at most 255: a query has at most 31). */
  ownPairs = new Uint8Array(1024);

  add(key: string, jamo: string, info: number, ownPairs: number): number {
    const at = this.keys.length;
    if (at === this.info.length) {
      const grownInfo = new Int32Array(at * 2);
      grownInfo.set(this.info);
      this.info = grownInfo;
      const grownOwn = new Uint8Array(at * 2);
      grownOwn.set(this.ownPairs);
      this.ownPairs = grownOwn;
    }
    this.keys.push(key);
    this.jamo.push(jamo);
    this.info[at] = info;
    this.ownPairs[at] = Math.min(ownPairs, 255);
    return at;
  }

  get length(): number {
    return this.keys.length;
  }

  concept(at: number): number {
    return this.info[at]! >> 1;
  }

  primary(at: number): boolean {
    return (this.info[at]! & 1) === 1;
  }

  entry(at: number): NameEntry {
    return { concept: this.concept(at), jamo: this.jamo[at]!, primary: this.primary(at) };
  }
}

interface Scored {
  score: number;
  via: Via;
}

const MAX_FUZZY_LETTERS = 32;
/** Names scored by edit distance for one query variant, those sharing the most letter pairs first. */
const MAX_CANDIDATES = 200;
const AGGREGATES = new Set(['sequence', 'classification']);
const DEFAULTS: Required<SearchOptions> = { confident: 0.3, plausible: 0.6, fuzzyCandidates: 8 };
const FUSE_OPTIONS: IFuseOptions<NameEntry> = {
  keys: ['jamo'],
  includeScore: true,
  ignoreLocation: true,
  ignoreFieldNorm: true,
  threshold: 0.4,
  minMatchCharLength: 2,
};

/** Names whose count candidates() raised, shared by every index: a search runs to its end before another starts. */
let touchedScratch = new Int32Array(0);

/** Passed by build(): the constructor leaves the filling to it. */
const LATER = Symbol('build later');
/** Concepts indexed between two turns of the event loop when building in the background. */
const SLICE = 500;

export class SearchIndex {
  /** The concepts in the notes' order. */
  readonly concepts: Concept[];
  private readonly options: Required<SearchOptions>;
  /**
   * Concepts by id in this index (the id a name entry and a text posting carry). After a full build
   * it is `concepts`; update() appends the added concepts and leaves a hole where a removed one was.
   */
  private docs: (Concept | undefined)[] = [];
  /** Each id's place in `concepts`: equal scores are ranked by it, as a full build would rank them. */
  private order: Int32Array = new Int32Array(0);
  /**
   * Name entries, the initial-consonant map, letter-pair ids and each name's own pair
   * count: shared, append-only, by every index derived with update(). A version sees the entries below
   * its own `nameCount` whose concept it still holds, so deriving a new one never disturbs this one.
   */
  private names = new NameTable();
  private nameCount = 0;
  /** A key's name entries: one number for the usual single one, an array when several concepts share it. */
  private byChoseong = new Map<string, number | number[]>();
  /** Name entries of this version by key, for the prefix layer. */
  private sortedKeys: Int32Array = new Int32Array(0);
  /** Letter pairs (of names in jamo) to the names that have them. */
  private pairIds = new Map<string, number>();
  private pairs = Postings.empty();
  /** Scratch counters for candidates(), one per name, always left at zero (a query has at most 31 letter pairs). */
  private pairCounts: Uint8Array = new Uint8Array(0);
  private text = new TextIndex();
  /** Name entries of concepts removed by update(): a full build drops them. */
  private deadNames = 0;

  constructor(concepts: Concept[], options: SearchOptions = {}, later?: typeof LATER) {
    this.concepts = concepts;
    this.options = { ...DEFAULTS, ...options };
    if (later === LATER) return;
    for (const step = this.fill(Infinity); !step.next().done;);
  }

  /**
   * The same index, built a slice at a time with a turn of the event loop between slices, so a bot
   * that is rebuilding goes on answering from its current index. Nothing can reach this one until it resolves.
   */
  static async build(concepts: Concept[], options: SearchOptions = {}): Promise<SearchIndex> {
    const index = new SearchIndex(concepts, options, LATER);
    for (const step = index.fill(SLICE); !step.next().done;) await new Promise((resolve) => setImmediate(resolve));
    return index;
  }

  private *fill(slice: number): Generator<void> {
    const concepts = this.concepts;
    const pairs = new PostingsBuilder();
    this.docs = concepts.slice();
    this.order = Int32Array.from(concepts.keys());
    for (let i = 0; i < concepts.length; i++) {
      if (i > 0 && i % slice === 0) yield;
      const c = concepts[i]!;
      this.addNames(c, i, pairs);
      this.text.add(textDoc(c));
    }
    this.nameCount = this.names.length;
    this.pairs = pairs.finish(this.pairIds.size);
    this.pairCounts = new Uint8Array(this.names.length);
    const keys = this.names.keys;
    this.sortedKeys = Int32Array.from(keys.keys()).sort((a, b) => compareKeys(keys[a]!, keys[b]!) || a - b);
    this.text.finish();
  }

  private addNames(c: Concept, doc: number, pairs: PostingsBuilder): void {
    const seen = new Set<string>();
    // A title's own words without its parenthesis (`kubelet (큐블릿)` → `kubelet`) name the concept as surely as the title.
    const bare = [c.title.ko, c.title.en].map((t) => t.replace(/\s*\([^)]*\)\s*$/, '')).filter((t) => t);
    const primary = [c.title.ko, c.title.en, c.id, ...bare];
    for (const [n, name] of [...primary, ...c.aliases].entries()) {
      const key = compactKey(name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      // A free note's id is its file and heading made into a slug (`notes-00012--파드-pod`): found when typed
      // exactly, but nobody misspells it, and at 100,000 notes its letter pairs were 40 % of them all.
      const exactOnly = name === c.id && c.category === 'note';
      const jamo = exactOnly ? key : toJamo(key);
      const choseong = exactOnly ? '' : toChoseong(key);
      const own = new Set(exactOnly ? [] : letterPairs(jamo));
      // Flat copies: a key made by compactKey's replace is a concatenation V8 would keep as pieces (flatString.ts).
      const flatKey = flatString(key);
      const at = this.names.add(flatKey, jamo === key ? flatKey : flatString(jamo), doc * 2 + (n < primary.length ? 1 : 0), own.size);
      if (choseong.length >= 2) push(this.byChoseong, choseong, at);
      for (const p of own) {
        let id = this.pairIds.get(p);
        if (id === undefined) this.pairIds.set(p, (id = this.pairIds.size));
        pairs.add(id, at);
      }
    }
  }

  /**
   * The index of `concepts` (the notes after an edit), derived from this one: the concepts that are
   * no longer there are dropped, those that are new (by object: the notes loader keeps the objects of
   * files that did not change) are indexed, and everything else is reused. It answers as a full build of
   * `concepts` would, and costs a pass over the packed postings instead of indexing every note again.
   * This index goes on answering as it did. Undefined when a full build is the better buy: more than a
   * fifth of the concepts changed, or removed concepts' leftovers would reach a quarter of the names.
   */
  update(concepts: Concept[]): SearchIndex | undefined {
    // Each concept's id here, made for the update: kept for the life of the index, this Map was ~4.5 MB at 100,000 notes.
    const docOf = new Map<Concept, number>();
    this.docs.forEach((c, doc) => c && docOf.set(c, doc));
    const kept = new Set<Concept>();
    const added: Concept[] = [];
    for (const c of concepts) {
      if (docOf.has(c) && !kept.has(c)) kept.add(c);
      else added.push(c);
    }
    const removed: number[] = [];
    for (const [c, doc] of docOf) if (!kept.has(c)) removed.push(doc);
    if (added.length + removed.length > Math.max(50, concepts.length / 5)) return undefined;

    const next = new SearchIndex(concepts, this.options, LATER);
    Object.assign(next, {
      names: this.names,
      byChoseong: this.byChoseong,
      pairIds: this.pairIds,
    });
    next.docs = this.docs.slice();
    for (const doc of removed) {
      docOf.delete(next.docs[doc]!);
      next.docs[doc] = undefined;
    }
    const from = this.names.length;
    const pairs = new PostingsBuilder();
    for (const c of added) {
      const doc = next.docs.push(c) - 1;
      docOf.set(c, doc);
      next.addNames(c, doc, pairs);
    }
    next.nameCount = next.names.length;
    next.order = new Int32Array(next.docs.length);
    for (const [i, c] of concepts.entries()) next.order[docOf.get(c)!] = i;

    // By document, not a Set: alive() runs for every name and every letter-pair posting.
    const gone = new Uint8Array(this.docs.length);
    for (const doc of removed) gone[doc] = 1;
    const alive = (entry: number) => gone[this.names.concept(entry)] === 0;
    let dead = this.deadNames;
    for (let e = 0; e < this.nameCount; e++) if (!alive(e) && this.docs[this.names.concept(e)] !== undefined) dead += 1;
    next.deadNames = dead;
    if (dead > next.nameCount / 4) return undefined;

    next.pairs = mergePostings(this.pairs, pairs.finish(next.pairIds.size), (entry) => alive(entry));
    next.pairCounts = new Uint8Array(next.nameCount);
    const keys = next.names.keys;
    const byKeyRank = (a: number, b: number) => compareKeys(keys[a]!, keys[b]!) || next.rank(a, b);
    const fresh = Int32Array.from({ length: next.nameCount - from }, (_, i) => from + i).sort(byKeyRank);
    next.sortedKeys = mergeSorted(this.sortedKeys.filter(alive), fresh, byKeyRank);
    next.text = this.text.update(removed, added.map(textDoc));
    return next;
  }

  /** Name entries in the order a full build of the same notes numbers them: by concept, then as added. */
  private rank(a: number, b: number): number {
    return this.order[this.names.concept(a)]! - this.order[this.names.concept(b)]! || a - b;
  }

  /** Whether name entry `at` belongs to this version and to a concept it still holds. */
  private holds(at: number): boolean {
    return at < this.nameCount && this.docs[this.names.concept(at)] !== undefined;
  }

  get size(): number {
    return this.concepts.length;
  }

  search(raw: string, limit = 5): SearchOutcome {
    const forms = queryForms(raw);
    if (forms.variants.length === 0) return { query: forms.display, verdict: 'empty', hits: [], truncated: forms.truncated };
    const best = new Map<number, Scored>();
    const offer = (concept: number, score: number, via: Via) => {
      const s = Math.min(1, Math.max(0, score));
      const cur = best.get(concept);
      if (!cur || s < cur.score) best.set(concept, { score: s, via });
    };

    let exactHit = false;
    for (const v of forms.variants) exactHit = this.exactLayer(compactKey(v.text), v.penalty, offer) || exactHit;
    for (const v of forms.variants) this.prefixLayer(compactKey(v.text), v.penalty, offer);
    if (!exactHit) {
      const bestSoFar = () => Math.min(...[...best.values()].map((b) => b.score));
      for (const v of forms.variants) {
        // A near-exact name from an earlier reading of the query makes the later readings moot.
        if (bestSoFar() <= this.options.confident / 2) break;
        this.fuzzyLayer(compactKey(v.text), v.penalty, offer);
      }
      // Descriptions are the costliest layer: skip them when a name already matched with confidence.
      if (!(bestSoFar() <= this.options.confident)) this.textLayer(forms.variants[0]!.text, offer);
    }

    const hits = [...best.entries()]
      .sort((a, b) => a[1].score - b[1].score || this.order[a[0]]! - this.order[b[0]]!)
      .slice(0, limit)
      .map(([i, s]) => ({ concept: this.docs[i]!, score: round(s.score), via: s.via }));
    return { query: forms.display, verdict: this.verdict(hits), hits, truncated: forms.truncated };
  }

  private verdict(hits: SearchHit[]): Verdict {
    const top = hits[0];
    if (!top) return 'miss';
    if (top.score <= this.options.confident) return 'hit';
    if (top.score <= this.options.plausible) return 'didYouMean';
    return 'miss';
  }

  private exactLayer(key: string, penalty: number, offer: (c: number, s: number, v: Via) => void): boolean {
    let found = false;
    // Names with this key sit together among the sorted keys: no Map of 300,000 keys (~15 MB at 100,000 notes) to find them.
    const keys = this.names.keys;
    for (let i = this.firstKeyFrom(key); i < this.sortedKeys.length && keys[this.sortedKeys[i]!] === key; i++) {
      const at = this.sortedKeys[i]!;
      if (!this.holds(at)) continue;
      offer(this.names.concept(at), (this.names.primary(at) ? 0 : 0.02) + penalty, 'exact');
      found = true;
    }
    if (isChoseongOnly(key) && key.length >= 2) {
      for (const at of entries(this.byChoseong.get(key))) {
        if (!this.holds(at)) continue;
        offer(this.names.concept(at), (this.names.primary(at) ? 0.05 : 0.07) + penalty, 'choseong');
        found = true;
      }
    }
    return found;
  }

  /** The first place among the sorted keys whose key is not below `key`. */
  private firstKeyFrom(key: string): number {
    let lo = 0;
    let hi = this.sortedKeys.length;
    const keys = this.names.keys;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[this.sortedKeys[mid]!]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Names that start with what was typed: partial words, and what autocomplete shows first. */
  private prefixLayer(key: string, penalty: number, offer: (c: number, s: number, v: Via) => void): void {
    if (key.length < 2) return;
    const keys = this.names.keys;
    for (let i = this.firstKeyFrom(key), n = 0; i < this.sortedKeys.length && n < 50; i++, n++) {
      const entry = this.sortedKeys[i]!;
      const k = keys[entry]!;
      if (!k.startsWith(key)) break;
      const ratio = key.length / k.length;
      offer(this.names.concept(entry), 0.12 + 0.4 * (1 - ratio) + penalty, 'prefix');
    }
  }

  /**
   * Misspelt names. Every name that shares enough letter pairs with the query is scored by edit
   * distance (transpositions cost one); fuse.js's bitap, which costs tens of microseconds a name,
   * looks only at the few longer names that might contain the query (프록시 in 큐브프록시).
   */
  private fuzzyLayer(key: string, penalty: number, offer: (c: number, s: number, v: Via) => void): void {
    const q = toJamo(key);
    // A sentence is no misspelt name, and bitap's cost grows with the pattern: descriptions go to the text layer.
    if (key.length < 2 || q.length > MAX_FUZZY_LETTERS) return;
    const candidates = this.candidates(q);
    if (candidates.length === 0) return;
    let closest = 1;
    for (const name of candidates) {
      // A name inside a longer query (서비스 in 서비스 어카운트) is worth suggesting, not answering with.
      if (name.jamo.length >= 4 && name.jamo.length < q.length && q.includes(name.jamo)) {
        offer(name.concept, 0.32 + 0.3 * (1 - name.jamo.length / q.length) + penalty, 'fuzzy');
      }
      const longer = Math.max(q.length, name.jamo.length);
      const bound = Math.ceil(longer / 3);
      const d = osaDistance(q, name.jamo, bound);
      if (d > bound) continue;
      const score = (d / longer) * 1.1;
      closest = Math.min(closest, score);
      offer(name.concept, score + (name.primary ? 0 : 0.01) + penalty, 'fuzzy');
    }
    // One slip from a name is answer enough; looking inside longer names is for when nothing is that close.
    if (closest <= this.options.confident / 2) return;
    const containers = candidates.filter((n) => n.jamo.length > q.length + 1).slice(0, this.options.fuzzyCandidates);
    if (containers.length === 0) return;
    for (const r of new Fuse(containers, FUSE_OPTIONS).search(q, { limit: 20 })) {
      const name = r.item;
      // Good, less so the more of the name the query leaves out.
      const inside = (r.score ?? 1) + 0.1 + 0.35 * (1 - q.length / name.jamo.length);
      offer(name.concept, inside + (name.primary ? 0 : 0.01) + penalty, 'fuzzy');
    }
  }

  /**
   * Names sharing at least a third of the query's letter pairs, most first: a typo keeps most of its
   * word's letter pairs, so the rest need not be compared at all.
   */
  private candidates(q: string): NameEntry[] {
    const pairs = new Set(letterPairs(q));
    const need = Math.max(1, Math.floor(pairs.size * 0.34));
    const counts = this.pairCounts;
    if (touchedScratch.length < counts.length) touchedScratch = new Int32Array(counts.length);
    const touched = touchedScratch;
    let n = 0;
    const { start, values } = this.pairs;
    for (const p of pairs) {
      const id = this.pairIds.get(p);
      if (id === undefined || id + 1 >= start.length) continue;
      for (let i = start[id]!, end = start[id + 1]!; i < end; i++) {
        const at = values[i]!;
        const c = counts[at]!;
        // Written always, kept (n moves on) only the first time: no branch to mispredict on ~200,000 postings.
        touched[n] = at;
        n += (c - 1) >>> 31;
        counts[at] = c + 1;
      }
    }
    const picked = this.mostShared(touched.subarray(0, n), need).map((at) => this.names.entry(at));
    for (let i = 0; i < n; i++) counts[touched[i]!] = 0;
    return picked;
  }

  /**
   * The MAX_CANDIDATES names among `touched` that qualify, most shared pairs first, then by rank: what
   * sorting every qualifying name gives, without sorting them. A short Latin query's pairs reach ~200,000
   * of 500,000 names at 100,000 concepts, and that sort was most of a typo's time (40 ms for `metirc`).
   * Counts are small (one per letter pair of the query), so names are bucketed by count; only the bucket
   * that straddles the cut is ranked, by a heap that keeps the best few.
   */
  private mostShared(touched: Int32Array, need: number): number[] {
    const counts = this.pairCounts;
    // A name whose pairs all occur in the query may stand inside it.
    const own = this.names.ownPairs;
    // A name sharing fewer than `need` pairs still qualifies when the query has all its own pairs (at least 3).
    const qualifies = (at: number, c: number) => c >= need || (c >= own[at]! && own[at]! >= 3);
    const perCount = new Uint32Array(256);
    for (let i = 0; i < touched.length; i++) perCount[counts[touched[i]!]!]! += 1;
    perCount.fill(0, 0, need);
    if (need > 3) {
      // Below `need`, only those names: rare, and only for long queries.
      for (let i = 0; i < touched.length; i++) {
        const at = touched[i]!;
        const c = counts[at]!;
        if (c >= 3 && c < need && qualifies(at, c)) perCount[c]! += 1;
      }
    }
    // The lowest count still (partly) taken: every name above it is in, the rest from its bucket by rank.
    let cut = 255;
    let above = 0;
    while (cut > 0 && above + perCount[cut]! < MAX_CANDIDATES) above += perCount[cut--]!;
    const low = Math.max(cut, 1);
    const out: number[] = [];
    const straddling: number[] = [];
    for (let i = 0; i < touched.length; i++) {
      const at = touched[i]!;
      const c = counts[at]!;
      if (c < low || !qualifies(at, c)) continue;
      if (c > cut) out.push(at);
      else straddling.push(at);
    }
    out.push(...this.bestRanked(straddling, MAX_CANDIDATES - out.length));
    return out.sort((a, b) => counts[b]! - counts[a]! || this.rank(a, b));
  }

  /** The `k` first of `entries` by rank, in no particular order. */
  private bestRanked(entries: number[], k: number): number[] {
    if (entries.length <= k) return entries;
    // A max-heap of the k best seen so far: its root is the worst of them.
    const heap = entries.slice(0, k);
    const worse = (a: number, b: number) => this.rank(a, b) > 0;
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && worse(heap[l]!, heap[m]!)) m = l;
        if (r < k && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (let i = (k >> 1) - 1; i >= 0; i--) down(i);
    for (let i = k; i < entries.length; i++) {
      if (!worse(heap[0]!, entries[i]!)) continue;
      heap[0] = entries[i]!;
      down(0);
    }
    return heap;
  }

  /**
   * Descriptions. The score says how much of the query a concept covers: a word found in its names
   * or summary counts fully, one found only in its body counts half.
   */
  private textLayer(text: string, offer: (c: number, s: number, v: Via) => void): void {
    const terms = [...new Set(tokenize(text))];
    const known = terms.filter((t) => this.text.has(t) || /^[a-z]{4,}$/.test(t));
    if (known.length === 0) return;
    const results = this.text.search(known, (term) => /^[a-z]{5,}$/.test(term), this.order);
    const few = known.length <= 2 ? 0.2 : 0;
    const top = results[0]?.score ?? 0;
    for (const r of results.slice(0, 12)) {
      const strong = Object.entries(r.match)
        .filter(([, fields]) => fields.includes('names') || fields.includes('summary'))
        .map(([term]) => term);
      let covered = 0;
      for (const q of new Set(r.queryTerms)) covered += strong.some((t) => t === q || t.startsWith(q) || q.startsWith(t)) ? 1 : 0.5;
      const coverage = covered / known.length;
      const weaker = top > 0 ? 0.1 * (1 - r.score / top) : 0;
      // Sequences and classification sets mention many concepts; a description of one thing means that thing.
      const aggregate = AGGREGATES.has(this.docs[r.id]!.category) ? 0.06 : 0;
      offer(r.id, 0.12 + 0.7 * (1 - coverage) + few + weaker + aggregate, 'text');
    }
  }
}

function push(map: Map<string, number | number[]>, key: string, value: number): void {
  const had = map.get(key);
  if (had === undefined) map.set(key, value);
  else if (typeof had === 'number') map.set(key, [had, value]);
  else had.push(value);
}

function entries(value: number | number[] | undefined): readonly number[] {
  return value === undefined ? [] : typeof value === 'number' ? [value] : value;
}

function textDoc(c: Concept): TextDoc {
  return { names: [c.title.ko, c.title.en, ...c.aliases].join(' '), summary: `${c.summary.ko} ${c.summary.en}`, body: c.body };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeSorted(a: Int32Array, b: Int32Array, compare: (x: number, y: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function letterPairs(s: string): string[] {
  if (s.length < 2) return [s];
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2));
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
