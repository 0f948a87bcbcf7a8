import { Rating, State, type FSRS } from 'ts-fsrs';
import type { Clock } from '../clock.js';
import { asTutorError } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { Logger } from '../logger.js';
import type { AnswerRecord } from '../store/types.js';
import type { HistoryAnswer, LearningStore, LeitnerRow, ReviewLogRecord, StoredCard } from '../store/learning.js';
import { applyReview, fromFsrsCard, recallOf, scheduler, toFsrsCard } from './fsrs.js';
import { itemOf, parseItem } from './items.js';
import { ratingOf, type AnswerSignals } from './rating.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The Leitner ladder the import reads (days per box 1–5, as src/quiz/review.ts scheduled them). */
export const LEITNER_BOX_DAYS = [1, 3, 7, 14, 30] as const;

export interface LearningDeps {
  store: LearningStore;
  kb: KnowledgeBase;
  clock: Clock;
  log: Logger;
  /** Desired retention, 0.7–0.99 (REVIEW_RETENTION). */
  retention: number;
}

export interface Learned {
  item: string;
  rating: number;
  due: number;
  state: number;
}

/**
 * The learning engine: every graded answer becomes an FSRS review of the learner's card for
 * the item; `/review`, reminders and `/progress` read the cards it keeps.
 */
export class Learning {
  readonly fsrs: FSRS;

  constructor(readonly deps: LearningDeps) {
    this.fsrs = scheduler(deps.retention);
  }

  /** Records a graded answer as a review. Never throws: the answer itself is already stored. */
  async record(answer: AnswerRecord, signals: Omit<AnswerSignals, 'correct' | 'credit' | 'hints'>): Promise<Learned | undefined> {
    const item = itemOf(answer.itemKey);
    if (!item) return undefined;
    const rating = ratingOf({ correct: answer.correct, credit: answer.credit, hints: answer.hints, ...signals });
    try {
      let learned: Learned | undefined;
      const result = await this.deps.store.review(answer.platform, answer.userId, item.key, answer.questionId, (current) => {
        const out = applyReview(this.fsrs, current, {
          platform: answer.platform,
          userId: answer.userId,
          item: item.key,
          questionId: answer.questionId,
          itemKey: answer.itemKey,
          channel: answer.channel,
          mode: answer.mode,
          source: 'answer',
          correct: answer.correct,
          rating,
          at: answer.at,
        });
        learned = { item: item.key, rating, due: out.card.due, state: out.card.state };
        return out;
      });
      return result === 'recorded' ? learned : undefined;
    } catch (err) {
      const e = asTutorError(err, 'store.failed');
      this.deps.log.error({ err: e, code: e.code, item: item.key, platform: answer.platform }, 'learning: review log not written');
      return undefined;
    }
  }

  /**
   * Imports the Leitner queue and the stored answers once (both processes of a restart race
   * safely: the store checks its marker inside the transaction). Answers are replayed through
   * FSRS in order, so a learner's cards carry what they already did; a Leitner row whose answers
   * are gone still becomes a card from its box.
   */
  async importHistory(): Promise<{ imported: boolean; cards: number; logs: number }> {
    return this.deps.store.importOnce(({ leitner, answers }) => importCards(this.fsrs, leitner, answers));
  }

  /** Due cards, most overdue first, whose items the notes still have; cards of removed items are dropped. */
  async dueCards(platform: string, userId: string, now: number, limit = 20): Promise<StoredCard[]> {
    const out: StoredCard[] = [];
    for (const c of await this.deps.store.due(platform, userId, now, limit)) {
      if (this.known(c.item)) out.push(c);
      else await this.deps.store.removeCard(platform, userId, c.item);
    }
    return out;
  }

  /** Puts a concept in the learner's queue as a new card, due now, unless they already have it. */
  async enqueue(platform: string, userId: string, conceptId: string, now: number): Promise<boolean> {
    const item = `concept:${conceptId}`;
    return (await this.deps.store.addCard(fromFsrsCard(toFsrsCard(undefined, now), { platform, userId, item }))) === 'added';
  }

  known(key: string): boolean {
    const item = parseItem(key);
    if (!item) return false;
    const { kb } = this.deps;
    if (item.kind === 'concept') return kb.byId.has(item.id);
    if (item.kind === 'sequence') return kb.sequences.some((s) => s.id === item.id);
    return true; // sets may be derived from categories: the question builder decides
  }

  recall(card: StoredCard, now: number): number {
    return recallOf(this.fsrs, card, now);
  }
}

/** Pure: the cards and logs the import writes. Exported for tests. */
export function importCards(f: FSRS, leitner: LeitnerRow[], answers: HistoryAnswer[]): { cards: StoredCard[]; logs: ReviewLogRecord[] } {
  const cards = new Map<string, StoredCard>();
  const logs: ReviewLogRecord[] = [];
  const keyOf = (platform: string, userId: string, item: string) => `${platform}\u0000${userId}\u0000${item}`;
  for (const a of answers) {
    const item = itemOf(a.itemKey);
    if (!item) continue;
    const k = keyOf(a.platform, a.userId, item.key);
    // No timings were stored before FSRS: a right answer reads as Good, never Easy.
    const rating = ratingOf({ correct: a.correct, credit: a.credit, hints: a.hints });
    const out = applyReview(f, cards.get(k), {
      platform: a.platform,
      userId: a.userId,
      item: item.key,
      questionId: a.questionId,
      itemKey: a.itemKey,
      channel: a.channel,
      mode: a.mode,
      source: 'history',
      correct: a.correct,
      rating,
      at: a.at,
    });
    cards.set(k, out.card);
    logs.push(out.log);
  }
  for (const row of leitner) {
    const item = itemOf(row.itemKey);
    if (!item) continue;
    const k = keyOf(row.platform, row.userId, item.key);
    const box = Math.min(Math.max(row.box, 1), LEITNER_BOX_DAYS.length);
    let card = cards.get(k);
    if (!card) {
      // A box's interval is the time Leitner expected the item to be remembered: FSRS's stability
      // at 90% retention means the same thing, so it seeds the card; misses raise difficulty.
      card = {
        platform: row.platform,
        userId: row.userId,
        item: item.key,
        due: row.dueAt,
        stability: LEITNER_BOX_DAYS[box - 1]!,
        difficulty: Math.min(10, 5 + row.misses),
        scheduledDays: Math.max(0, Math.round((row.dueAt - row.lastAt) / DAY_MS)),
        learningSteps: 0,
        reps: box + row.misses,
        lapses: row.misses,
        state: State.Review,
        lastReview: row.lastAt,
      };
      cards.set(k, card);
    } else if (row.dueAt < card.due) {
      // Keep the earlier of the two schedules: nothing the old queue asked for comes later than promised.
      card = { ...card, due: row.dueAt };
      cards.set(k, card);
    }
    logs.push({
      platform: row.platform,
      userId: row.userId,
      questionId: `leitner:${row.itemKey}`,
      item: item.key,
      itemKey: row.itemKey,
      mode: 'import',
      source: 'leitner',
      rating: Rating.Manual,
      correct: false,
      stateBefore: State.Review,
      stability: card.stability,
      difficulty: card.difficulty,
      elapsedDays: 0,
      scheduledDays: LEITNER_BOX_DAYS[box - 1]!,
      dueAfter: row.dueAt,
      reviewedAt: row.lastAt,
    });
  }
  return { cards: [...cards.values()], logs };
}
