import type { Store } from '../store/types.js';
import { dueAfter } from '../quiz/review.js';

/**
 * The one place an explained paste touches the review queue, so the scheduler behind it (Leitner
 * boxes today) can be swapped without touching the explainer. The concept comes back as a recall
 * question, due when a missed question would be (box 1).
 */
export async function queueConceptReview(store: Store, platform: string, userId: string, conceptId: string, now: number): Promise<boolean> {
  return (await store.quiz.queueReview(platform, userId, `recall:${conceptId}`, dueAfter(1, now), now)) === 'added';
}
