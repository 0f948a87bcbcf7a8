import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePacked, PackedPostings, packBuilt, PostingsBuilder, varintLength, writeVarint } from '../../src/search/postings.js';
import { SortedTerms, TermTable } from '../../src/search/terms.js';

/** Rising values a key, as a term's postings are (document × 64 + field × 16 + frequency); some keys empty. */
const risingLists = fc.array(
  fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { maxLength: 40 }).map((xs) => [...new Set(xs)].sort((a, b) => a - b)),
  { maxLength: 30 },
);

describe('varint-packed postings', () => {
  it('give back every value of every key, in order', () => {
    fc.assert(
      fc.property(risingLists, (lists) => {
        const packed = PackedPostings.of(lists);
        expect(packed.keys).toBe(lists.length);
        lists.forEach((list, k) => expect(packed.values(k)).toEqual(list));
      }),
      { numRuns: 300 },
    );
  });

  it('write each number in as many bytes as they say, seven bits a byte', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), (n) => {
        const bytes = new Uint8Array(10);
        const end = writeVarint(bytes, 0, n);
        expect(end).toBe(varintLength(n));
        expect(bytes[end - 1]! & 128).toBe(0);
        for (let i = 0; i < end - 1; i++) expect(bytes[i]! & 128).toBe(128);
        expect(new PackedPostings(Uint32Array.of(0, end), bytes.subarray(0, end)).values(0)).toEqual([n]);
      }),
    );
  });

  it('are packed from a builder fed keys in any interleaving, renumbered or not', () => {
    fc.assert(
      fc.property(risingLists, fc.integer(), (lists, seed) => {
        // Interleave the keys' values as a build does (documents in order, terms in any order within one).
        const cursors = lists.map(() => 0);
        const builder = new PostingsBuilder();
        const again = new PostingsBuilder();
        let rnd = seed;
        for (;;) {
          const open = lists.map((l, k) => (cursors[k]! < l.length ? k : -1)).filter((k) => k >= 0);
          if (open.length === 0) break;
          rnd = (Math.imul(rnd, 1103515245) + 12345) | 0;
          const k = open[Math.abs(rnd) % open.length]!;
          builder.add(k, lists[k]![cursors[k]!]!);
          again.add(k, lists[k]![cursors[k]!]!);
          cursors[k]! += 1;
        }
        const plain = packBuilt(builder, lists.length);
        lists.forEach((list, k) => expect(plain.values(k)).toEqual(list));
        const renumber = Uint32Array.from(lists.keys()).reverse();
        const moved = packBuilt(again, lists.length, renumber);
        lists.forEach((list, k) => expect(moved.values(renumber[k]!)).toEqual(list));
      }),
      { numRuns: 200 },
    );
  });

  it('merge as filtering the old values and appending the added ones', () => {
    fc.assert(
      fc.property(risingLists, risingLists, fc.integer({ min: 2, max: 7 }), (old, more, modulus) => {
        // Added values lie above every old one of their key, as added documents' ids do.
        const top = Math.max(0, ...old.flat());
        const added = more.map((l) => l.map((v) => v + top));
        const keep = (v: number) => v % modulus !== 0;
        const merged = mergePacked(PackedPostings.of(old), PackedPostings.of(added), keep);
        expect(merged.keys).toBe(Math.max(old.length, added.length));
        for (let k = 0; k < merged.keys; k++) expect(merged.values(k)).toEqual([...(old[k] ?? []).filter(keep), ...(added[k] ?? [])]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the packed term dictionary', () => {
  const term = fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.string({ unit: fc.constantFrom(...'가각나다라마파드스ㅋㅜ'), minLength: 1, maxLength: 4 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  );

  it('numbers terms as first met, sorts them as strings sort, and finds each and only each', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 200 }), fc.array(term, { maxLength: 20 }), (terms, others) => {
        const table = new TermTable();
        const firstMet = [...new Set(terms)];
        for (const t of terms) expect(table.id(t)).toBe(firstMet.indexOf(t));
        expect(table.size).toBe(firstMet.length);
        const { terms: sorted, rank } = table.sorted();
        const expected = [...firstMet].sort();
        expect(Array.from({ length: sorted.size }, (_, i) => sorted.term(i))).toEqual(expected);
        firstMet.forEach((t, id) => {
          expect(rank[id]).toBe(expected.indexOf(t));
          expect(sorted.find(t)).toBe(rank[id]);
        });
        for (const t of others) expect(sorted.find(t)).toBe(expected.indexOf(t));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the terms starting with a prefix, in order', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 150 }), fc.string({ maxLength: 3 }), (terms, prefix) => {
        const table = new TermTable();
        for (const t of terms) table.id(t);
        const { terms: sorted } = table.sorted();
        const [from, to] = sorted.range(prefix);
        const got = Array.from({ length: to - from }, (_, i) => sorted.term(from + i));
        expect(got).toEqual([...new Set(terms)].filter((t) => t.startsWith(prefix)).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('stays right past many rehashes', () => {
    const table = new TermTable();
    const words = Array.from({ length: 20000 }, (_, i) => `w${(i * 7919) % 20000}`);
    words.forEach((w, i) => expect(table.id(w)).toBe(i));
    words.forEach((w, i) => expect(table.id(w)).toBe(i));
    expect(SortedTerms.empty().find('w1')).toBe(-1);
    expect(table.sorted().terms.find('w19999')).toBeGreaterThanOrEqual(0);
  });
});
