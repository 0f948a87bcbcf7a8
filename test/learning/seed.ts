import type { Store } from '../../src/store/types.js';

const DAY = 86_400_000;

/** Cards due now for `user` on `platform`, as if reviewed `daysAgo` days ago; the first item is the least overdue. */
export async function seedDueCards(store: Store, platform: string, user: string, items: string[], now: number, daysAgo = 5): Promise<void> {
  for (const [i, item] of items.entries()) {
    const lastReview = now - daysAgo * DAY - i * 1000;
    const due = now - (i + 1) * DAY;
    await store.learning.review(platform, user, item, `seed-${item}`, () => ({
      card: {
        platform,
        userId: user,
        item,
        due,
        stability: 2,
        difficulty: 5,
        scheduledDays: 2,
        learningSteps: 0,
        reps: 2,
        lapses: 0,
        state: 2,
        lastReview,
      },
      log: {
        platform,
        userId: user,
        questionId: `seed-${item}`,
        item,
        itemKey: item,
        mode: 'solo',
        source: 'answer',
        rating: 3,
        correct: true,
        stateBefore: 2,
        stability: 2,
        difficulty: 5,
        elapsedDays: 1,
        scheduledDays: 2,
        dueAfter: due,
        reviewedAt: lastReview,
      },
    }));
  }
}
