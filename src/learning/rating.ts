import { Rating, type Grade } from 'ts-fsrs';

/**
 * The FSRS rating of a graded answer, read from the grade itself (the learner never rates):
 * wrong → Again; right after a hint, late, or with partial credit → Hard; right → Good;
 * right, fast and exact (no typo forgiven) → Easy.
 */
export interface AnswerSignals {
  correct: boolean;
  /** 0..1: partial credit for drills. */
  credit: number;
  hints: number;
  /** A recall answer accepted with a forgiven typo is right but not exact. */
  typo?: boolean | undefined;
  /** Time from the question to the answer. */
  elapsedMs?: number | undefined;
  /** The question's time limit (team rounds); solo questions have none. */
  limitMs?: number | undefined;
}

/**
 * Solo questions have no clock: under 15 s reads as fluent recall, over 2 min as a struggle
 * (or looking it up). In a round: the first third of the time is fast, the last third late.
 */
export const SOLO_FAST_MS = 15_000;
export const SOLO_LATE_MS = 120_000;

export function speedOf(s: AnswerSignals): 'fast' | 'normal' | 'late' | 'unknown' {
  if (s.elapsedMs === undefined || s.elapsedMs < 0) return 'unknown';
  const fast = s.limitMs ? s.limitMs / 3 : SOLO_FAST_MS;
  const late = s.limitMs ? (s.limitMs * 2) / 3 : SOLO_LATE_MS;
  if (s.elapsedMs <= fast) return 'fast';
  if (s.elapsedMs > late) return 'late';
  return 'normal';
}

export function ratingOf(s: AnswerSignals): Grade {
  if (s.credit <= 0) return Rating.Again;
  if (!s.correct || s.credit < 1 || s.hints > 0) return Rating.Hard;
  const speed = speedOf(s);
  if (speed === 'late') return Rating.Hard;
  if (speed === 'fast' && !s.typo) return Rating.Easy;
  return Rating.Good;
}

export const RATING_NAMES: Record<number, { ko: string; en: string }> = {
  [Rating.Manual]: { ko: '가져옴', en: 'imported' },
  [Rating.Again]: { ko: '다시', en: 'Again' },
  [Rating.Hard]: { ko: '어려움', en: 'Hard' },
  [Rating.Good]: { ko: '좋음', en: 'Good' },
  [Rating.Easy]: { ko: '쉬움', en: 'Easy' },
};
