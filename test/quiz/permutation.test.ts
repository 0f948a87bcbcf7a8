import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstWrong, isExact, longestInOrder, orderCredit } from '../../src/quiz/permutation.js';
import { createRng, shuffledOrder } from '../../src/quiz/rng.js';
import { soloPoints } from '../../src/quiz/scoring.js';

const permutation = (min = 2, max = 12) =>
  fc.integer({ min, max }).chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }));

describe('ordering drill grading', () => {
  it('gives the exact order full credit and full points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
        const exact = [...Array(n).keys()];
        expect(orderCredit(exact)).toBe(1);
        expect(soloPoints(orderCredit(exact), 0)).toBe(10);
      }),
    );
  });

  it('gives any other permutation strictly less credit and strictly fewer points', () => {
    fc.assert(
      fc.property(permutation(), (p) => {
        fc.pre(!isExact(p));
        expect(orderCredit(p)).toBeLessThan(1);
        expect(soloPoints(orderCredit(p), 0)).toBeLessThan(10);
      }),
    );
  });

  it('credits the longest run of steps in the right relative order', () => {
    fc.assert(
      fc.property(permutation(1, 14), (p) => {
        const run = longestInOrder(p);
        // The run is in increasing order and made of the answer's own steps, in the answer's order.
        expect(run.every((v, i) => i === 0 || run[i - 1]! < v)).toBe(true);
        let at = 0;
        for (const v of p) if (v === run[at]) at++;
        expect(at).toBe(run.length);
        // No longer increasing run exists (brute force on small inputs).
        if (p.length <= 8) {
          let best = 0;
          for (let mask = 1; mask < 1 << p.length; mask++) {
            const picked = p.filter((_, i) => mask & (1 << i));
            if (picked.every((v, i) => i === 0 || picked[i - 1]! < v)) best = Math.max(best, picked.length);
          }
          expect(run.length).toBe(best);
        }
      }),
    );
  });

  it('given one step moved, still credits most of the order and names the first wrong position', () => {
    // 8 steps, the true first step put last.
    const given = [1, 2, 3, 4, 5, 6, 7, 0];
    expect(longestInOrder(given)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(orderCredit(given)).toBeCloseTo(6 / 7);
    expect(firstWrong(given)).toBe(0);
  });

  it('gives a reversed order no credit', () => {
    expect(orderCredit([3, 2, 1, 0])).toBe(0);
  });
});

describe('seeded shuffle', () => {
  it('never returns the steps already in order when there are two or more', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 12 }), (seed, n) => {
        const p = shuffledOrder(createRng(seed), n);
        expect([...p].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        expect(isExact(p)).toBe(false);
      }),
    );
  });

  it('gives the same order for the same seed', () => {
    expect(shuffledOrder(createRng(42), 8)).toEqual(shuffledOrder(createRng(42), 8));
  });
});
