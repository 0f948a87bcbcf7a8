import type { Bilingual } from '../knowledge/types.js';

/**
 * A question is plain, self-contained data: it is stored with a round as JSON and graded after a
 * restart without the notes it came from. `itemKey` names what it tests, for the review queue.
 */
export type QuestionKind = 'order' | 'next' | 'swap' | 'missing' | 'recall' | 'choice' | 'class';

export interface Step {
  text: Bilingual;
  reason?: Bilingual | undefined;
}

interface Base {
  id: string;
  itemKey: string;
  /** The card shown with the feedback. */
  conceptId: string;
  title: Bilingual;
}

/** All steps shuffled; `shown[k]` is the true position of the step under label k. */
export interface OrderQuestion extends Base {
  kind: 'order';
  steps: Step[];
  shown: number[];
}

/** Which step comes right after step `after`? `options[k]` is the true position under label k. */
export interface NextQuestion extends Base {
  kind: 'next';
  steps: Step[];
  after: number;
  options: number[];
  answer: number;
}

/** The steps in order except two swapped; `shown[k]` as in OrderQuestion. */
export interface SwapQuestion extends Base {
  kind: 'swap';
  steps: Step[];
  shown: number[];
  /** The two labels (indices) that were swapped, ascending. */
  pair: [number, number];
}

/** The steps in order with one blanked; pick it from the options (the others come from other sequences). */
export interface MissingQuestion extends Base {
  kind: 'missing';
  steps: Step[];
  missing: number;
  options: Bilingual[];
  answer: number;
}

export interface RecallQuestion extends Base {
  kind: 'recall';
  clue: Bilingual;
  category: string;
  related: Bilingual[];
}

export interface ChoiceQuestion extends Base {
  kind: 'choice';
  clue: Bilingual;
  options: { id: string; title: Bilingual }[];
  answer: number;
}

export interface ClassQuestion extends Base {
  kind: 'class';
  setTitle: Bilingual;
  classes: Bilingual[];
  answer: number;
  summary: Bilingual;
  related: Bilingual[];
}

export type Question = OrderQuestion | NextQuestion | SwapQuestion | MissingQuestion | RecallQuestion | ChoiceQuestion | ClassQuestion;

/** How many labels the question shows (0 for recall, answered in words). */
export function optionCount(q: Question): number {
  switch (q.kind) {
    case 'order':
    case 'swap':
      return q.shown.length;
    case 'next':
    case 'missing':
    case 'choice':
      return q.options.length;
    case 'class':
      return q.classes.length;
    case 'recall':
      return 0;
  }
}

export function isQuestion(value: unknown): value is Question {
  const v = value as Partial<Question> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.kind === 'string' && typeof v.itemKey === 'string';
}
