/**
 * Points. Solo: 10 for a right answer, partial credit for drills. Team rounds: 100 for the first
 * right answer, then fewer for each later one (100, 80, 66, 57…: 100 / (1 + k/4)); the full
 * ordering drill also scores speed (half the points for merely finishing, the other half
 * shrinking with the time used). Every hint takes a quarter off. Floors, not rounding: a partial
 * answer never reaches the points of an exact one.
 */
export const SOLO_POINTS = 10;
export const TEAM_POINTS = 100;
export const HINT_COST = 0.25;
export const MAX_HINTS = 3;

export function hintFactor(hints: number): number {
  return Math.max(0, 1 - HINT_COST * Math.min(hints, MAX_HINTS));
}

/** k: how many answers earned points on this question before this one. */
export function rankFactor(k: number): number {
  return 1 / (1 + Math.max(0, k) / 4);
}

export function speedFactor(remainingMs: number, limitMs: number): number {
  if (limitMs <= 0) return 1;
  return 0.5 + 0.5 * Math.min(1, Math.max(0, remainingMs / limitMs));
}

export function soloPoints(credit: number, hints: number): number {
  return Math.floor(SOLO_POINTS * credit * hintFactor(hints) + 1e-9);
}

export interface TeamScoreInput {
  credit: number;
  hints: number;
  /** Earlier answers on this question that earned points. */
  earlier: number;
  /** Ordering drills only. */
  speed?: { remainingMs: number; limitMs: number } | undefined;
}

export function teamPoints(s: TeamScoreInput): number {
  if (s.credit <= 0) return 0;
  const speed = s.speed ? speedFactor(s.speed.remainingMs, s.speed.limitMs) : 1;
  return Math.max(1, Math.floor(TEAM_POINTS * s.credit * speed * rankFactor(s.earlier) * hintFactor(s.hints) + 1e-9));
}
