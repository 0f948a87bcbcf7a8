import { createEmptyCard, fsrs, State, type Card, type FSRS, type Grade } from 'ts-fsrs';
import type { ReviewLogRecord, StoredCard } from '../store/learning.js';

/**
 * ts-fsrs (FSRS-6, default parameters) behind the shapes the store keeps. Learning and relearning
 * take one 10-minute step: a missed item comes back within the same sitting (`/review` right after
 * a round), then FSRS spaces it by days. Fuzz spreads items learned together over nearby days.
 */
export function scheduler(retention: number): FSRS {
  return fsrs({
    request_retention: retention,
    enable_fuzz: true,
    enable_short_term: true,
    learning_steps: ['10m'],
    relearning_steps: ['10m'],
    maximum_interval: 365,
  });
}

export function toFsrsCard(c: StoredCard | undefined, now: number): Card {
  if (!c) return createEmptyCard(new Date(now));
  return {
    due: new Date(c.due),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: 0,
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as State,
    ...(c.lastReview !== undefined ? { last_review: new Date(c.lastReview) } : {}),
  };
}

export function fromFsrsCard(card: Card, who: { platform: string; userId: string; item: string }): StoredCard {
  return {
    ...who,
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review?.getTime(),
  };
}

export interface ReviewInput {
  platform: string;
  userId: string;
  item: string;
  questionId: string;
  itemKey: string;
  channel?: string | undefined;
  mode: string;
  source: ReviewLogRecord['source'];
  correct: boolean;
  rating: Grade;
  at: number;
}

/** One graded answer applied to the stored card: the next card and its log. */
export function applyReview(f: FSRS, current: StoredCard | undefined, r: ReviewInput): { card: StoredCard; log: ReviewLogRecord } {
  const before = toFsrsCard(current, r.at);
  const next = f.next(before, new Date(r.at), r.rating);
  const card = fromFsrsCard(next.card, r);
  const elapsed = before.last_review ? Math.max(0, (r.at - before.last_review.getTime()) / 86_400_000) : 0;
  return {
    card,
    log: {
      platform: r.platform,
      userId: r.userId,
      questionId: r.questionId,
      item: r.item,
      itemKey: r.itemKey,
      channel: r.channel,
      mode: r.mode,
      source: r.source,
      rating: r.rating,
      correct: r.correct,
      stateBefore: before.state,
      stability: card.stability,
      difficulty: card.difficulty,
      elapsedDays: elapsed,
      scheduledDays: card.scheduledDays,
      dueAfter: card.due,
      reviewedAt: r.at,
    },
  };
}

/** Probability of recall now (0..1); 0 for a card never reviewed. */
export function recallOf(f: FSRS, c: StoredCard, now: number): number {
  if (c.state === State.New || c.lastReview === undefined) return 0;
  const r = f.get_retrievability(toFsrsCard(c, now), new Date(now), false);
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}
