import type { QuizView } from '../reply.js';

/** How many labels a drill's step picker takes: every step of an ordering drill, two for a swapped pair. */
export function picksWanted(quiz: Pick<QuizView, 'kind' | 'items'>): number | undefined {
  if (quiz.kind === 'order') return quiz.items.length;
  if (quiz.kind === 'swap') return Math.min(2, quiz.items.length);
  return undefined;
}

/** The answers a question's buttons may send: its own labels (or its classes when it shows none). */
export function labelsOf(quiz: Pick<QuizView, 'items' | 'classes'>): string[] {
  return quiz.items.length ? quiz.items.map((i) => i.label) : (quiz.classes ?? []);
}

/**
 * A button's answer value as one of the question's own labels: the label itself (any case) or its
 * 0-based index. Anything else is not something our buttons send: undefined.
 */
export function ownLabel(labels: string[], value: string): string | undefined {
  const v = value.trim();
  if (/^\d{1,3}$/.test(v)) return labels[Number(v)];
  return labels.find((l) => l === v) ?? labels.find((l) => l.toLowerCase() === v.toLowerCase());
}

/** A drill submission: distinct labels of the question, exactly as many as the picker takes. */
export function ownSubmission(labels: string[], wanted: number | undefined, picks: string[]): string[] | undefined {
  if (wanted === undefined || picks.length !== wanted) return undefined;
  const own = picks.map((p) => ownLabel(labels, p));
  if (own.some((l) => l === undefined) || new Set(own).size !== own.length) return undefined;
  return own as string[];
}
