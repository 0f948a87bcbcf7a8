import type { Learning } from '../learning/engine.js';

/**
 * The one place an explained paste touches the learner's review queue: the concept behind a
 * finding becomes a new FSRS card, due now, so `/review` asks about it next. A concept the learner
 * already studies keeps its schedule.
 */
export function queueConceptReview(learning: Learning, platform: string, userId: string, conceptId: string, now: number): Promise<boolean> {
  return learning.enqueue(platform, userId, conceptId, now);
}
