import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { ratingOf } from '../../src/learning/rating.js';

describe('the FSRS rating comes from the grade', () => {
  const right = { correct: true, credit: 1, hints: 0 };

  it('rates a wrong answer Again', () => {
    expect(ratingOf({ correct: false, credit: 0, hints: 0, elapsedMs: 1000 })).toBe(Rating.Again);
  });

  it('rates a right answer after a hint, a late one, or partial credit Hard', () => {
    expect(ratingOf({ ...right, hints: 1, elapsedMs: 1000 })).toBe(Rating.Hard);
    expect(ratingOf({ ...right, elapsedMs: 25_000, limitMs: 30_000 })).toBe(Rating.Hard);
    expect(ratingOf({ ...right, elapsedMs: 200_000 })).toBe(Rating.Hard);
    expect(ratingOf({ correct: false, credit: 0.6, hints: 0, elapsedMs: 1000 })).toBe(Rating.Hard);
  });

  it('rates a right answer Good, and a fast exact one Easy', () => {
    expect(ratingOf({ ...right, elapsedMs: 15_000, limitMs: 30_000 })).toBe(Rating.Good);
    expect(ratingOf({ ...right, elapsedMs: 40_000 })).toBe(Rating.Good);
    expect(ratingOf({ ...right, elapsedMs: 5_000, limitMs: 30_000 })).toBe(Rating.Easy);
    expect(ratingOf({ ...right, elapsedMs: 5_000 })).toBe(Rating.Easy);
  });

  it('does not call a fast answer exact when a typo was forgiven, nor guess speed it does not know', () => {
    expect(ratingOf({ ...right, typo: true, elapsedMs: 2_000 })).toBe(Rating.Good);
    expect(ratingOf(right)).toBe(Rating.Good);
  });
});
