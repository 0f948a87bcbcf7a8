import type { Concept } from '../knowledge/types.js';
import type { SearchIndex } from '../search/engine.js';
import { compactKey, sanitize } from '../search/normalize.js';
import { labelOf, parseLabels, type LabelProblem } from './labels.js';
import { conceptNamedBy } from './match.js';
import { firstWrong, longestInOrder, orderCredit } from './permutation.js';
import { optionCount, type ChoiceQuestion, type ClassQuestion, type Question } from './question.js';

export interface OrderDetail {
  /** True positions of the steps in the order the player gave. */
  given: number[];
  /** The longest run of them in the right relative order. */
  run: number[];
  /** First position (0-based) holding the wrong step, −1 when none. */
  firstWrong: number;
}

export type Attempt =
  | {
      status: 'graded';
      credit: number;
      correct: boolean;
      expected: string[] | string;
      /** What the answer was read as: labels, or the concept named. */
      given: string;
      order?: OrderDetail;
      named?: Concept | undefined;
      typo?: boolean;
    }
  /** A malformed answer: explained, and it does not use up the player's turn. */
  | {
      status: 'invalid';
      code: LabelProblem | 'answer.notOption' | 'answer.notConcept';
      got?: number;
      want?: number;
      bad?: string[];
      range?: number;
    }
  /** Not an answer at all (chatter in a round's channel). */
  | { status: 'ignored' };

/** The right answer as the transcript reports it: labels in order for a drill, the answer otherwise. */
export function expectedOf(q: Question): string[] | string {
  switch (q.kind) {
    case 'order':
      return q.shown.map((_, p) => labelOf(q.shown.indexOf(p)));
    case 'swap':
      return q.pair.map(labelOf);
    case 'next':
    case 'missing':
    case 'choice':
    case 'class':
      return labelOf(q.answer);
    case 'recall':
      return q.title.en;
  }
}

export interface GradeOptions {
  index: SearchIndex;
  /** In a team round a line that is no answer is chatter; alone with a question, it is a wrong answer. */
  team: boolean;
}

export function grade(q: Question, text: string, opts: GradeOptions): Attempt {
  const expected = expectedOf(q);
  const n = optionCount(q);
  const graded = (credit: number, given: string, extra: Partial<Extract<Attempt, { status: 'graded' }>> = {}): Attempt => ({
    status: 'graded',
    credit,
    correct: credit === 1,
    expected,
    given,
    ...extra,
  });
  if (q.kind === 'recall') {
    const m = conceptNamedBy(opts.index, text);
    if (!m.concept && opts.team) return { status: 'invalid', code: 'answer.notConcept' };
    const right = m.concept?.id === q.conceptId;
    return graded(right ? 1 : 0, m.concept ? m.concept.title.en : sanitize(text).slice(0, 80), { named: m.concept, typo: m.typo });
  }
  const want = q.kind === 'order' ? n : q.kind === 'swap' ? 2 : 1;
  const parsed = parseLabels(text, n, want);
  if (!parsed.ok && parsed.code === 'labels.none') {
    if (q.kind === 'choice' || q.kind === 'class') {
      const pick = q.kind === 'choice' ? choiceByName(q, text, opts.index) : classByName(q, text);
      if (pick !== undefined) return graded(pick === q.answer ? 1 : 0, labelOf(pick));
    }
    return opts.team ? { status: 'ignored' } : { status: 'invalid', code: 'answer.notOption', range: n, want };
  }
  if (!parsed.ok) return { status: 'invalid', code: parsed.code, got: parsed.got, want: parsed.want, bad: parsed.bad, range: n };
  const labels = parsed.picks.map(labelOf);
  switch (q.kind) {
    case 'order': {
      const given = parsed.picks.map((k) => q.shown[k]!);
      return graded(orderCredit(given), labels.join(' '), { order: { given, run: longestInOrder(given), firstWrong: firstWrong(given) } });
    }
    case 'swap': {
      const [a, b] = [...parsed.picks].sort((x, y) => x - y);
      return graded(a === q.pair[0] && b === q.pair[1] ? 1 : 0, labels.join(' '));
    }
    default:
      return graded(parsed.picks[0] === q.answer ? 1 : 0, labels[0]!);
  }
}

/** `etcd` for a choice whose options include etcd: the option it names. */
function choiceByName(q: ChoiceQuestion, text: string, index: SearchIndex): number | undefined {
  const named = conceptNamedBy(index, text).concept;
  if (named) {
    const at = q.options.findIndex((o) => o.id === named.id);
    if (at >= 0) return at;
  }
  const key = compactKey(text);
  const at = q.options.findIndex((o) => compactKey(o.title.ko) === key || compactKey(o.title.en) === key);
  return at >= 0 ? at : undefined;
}

/** `컨트롤 플레인`, `control plane`, `worker`: the class whose name it is, in either language. */
function classByName(q: ClassQuestion, text: string): number | undefined {
  const key = compactKey(text);
  if (key.length < 2) return undefined;
  const names = q.classes.map((c) =>
    [c.ko, c.en, ...c.ko.split(/[()（）]/), ...c.en.split(/[()（）]/)].map(compactKey).filter((k) => k.length >= 2),
  );
  const exact = names.findIndex((ns) => ns.includes(key));
  if (exact >= 0) return exact;
  const partial = names
    .map((ns, i) => (ns.some((k) => k.startsWith(key) || (key.length >= 3 && k.includes(key))) ? i : -1))
    .filter((i) => i >= 0);
  return partial.length === 1 ? partial[0] : undefined;
}
