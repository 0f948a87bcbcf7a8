import type { ReviewChange, ReviewEntry } from '../store/types.js';

/** Leitner boxes 1–5: an item is due again 1, 3, 7, 14 or 30 days after it was last seen. */
export const BOX_DAYS = [1, 3, 7, 14, 30] as const;
export const DAY_MS = 24 * 60 * 60 * 1000;

export function dueAfter(box: number, now: number): number {
  return now + BOX_DAYS[Math.min(Math.max(box, 1), BOX_DAYS.length) - 1]! * DAY_MS;
}

/**
 * What an answer does to the queue. Missed anywhere: back to box 1. Right in a review: one box up,
 * and out of the queue after the last box (learned). Right outside a review: no change, the
 * schedule stands.
 */
export function reviewChange(entry: ReviewEntry | undefined, correct: boolean, inReview: boolean, now: number): ReviewChange | undefined {
  if (!correct) return { op: 'put', box: 1, dueAt: dueAfter(1, now), missed: true };
  if (!inReview || !entry) return undefined;
  if (entry.box >= BOX_DAYS.length) return { op: 'remove' };
  return { op: 'put', box: entry.box + 1, dueAt: dueAfter(entry.box + 1, now), missed: false };
}
