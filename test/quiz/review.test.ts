import { describe, expect, it } from 'vitest';
import { BOX_DAYS, DAY_MS, reviewChange } from '../../src/quiz/review.js';

const entry = (box: number) => ({ platform: 'p', userId: 'u', itemKey: 'recall:etcd', box, dueAt: 0, lastAt: 0, misses: 1 });

describe('Leitner review queue', () => {
  it('sends a miss to box 1, due a day later', () => {
    expect(reviewChange(undefined, false, false, 0)).toEqual({ op: 'put', box: 1, dueAt: DAY_MS, missed: true });
    expect(reviewChange(entry(4), false, true, 0)).toMatchObject({ box: 1, dueAt: DAY_MS });
  });

  it('moves a right review up one box: due after 1, 3, 7, 14, 30 days', () => {
    expect(BOX_DAYS).toEqual([1, 3, 7, 14, 30]);
    for (let box = 1; box < 5; box++) {
      expect(reviewChange(entry(box), true, true, 0)).toEqual({ op: 'put', box: box + 1, dueAt: BOX_DAYS[box]! * DAY_MS, missed: false });
    }
  });

  it('lets an item learned in the last box leave the queue', () => {
    expect(reviewChange(entry(5), true, true, 0)).toEqual({ op: 'remove' });
  });

  it('leaves the schedule alone when an item is answered right outside a review', () => {
    expect(reviewChange(entry(2), true, false, 0)).toBeUndefined();
  });
});
