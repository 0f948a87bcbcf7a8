import type { Bilingual } from '../knowledge/types.js';
import { labelOf } from './labels.js';
import type { Question } from './question.js';
import { MAX_HINTS } from './scoring.js';
import { both } from './view.js';
import { titleLine } from '../lang.js';

/**
 * The hint number `used` (0-based) for a question: a step's place for drills, a wrong option
 * ruled out for picks, the first letter or a related concept for recall. Undefined when there is
 * nothing more to give without giving the answer away.
 */
export function hintFor(q: Question, used: number): Bilingual | undefined {
  if (used >= MAX_HINTS) return undefined;
  switch (q.kind) {
    case 'order': {
      if (used >= q.steps.length - 1) return undefined;
      const label = labelOf(q.shown.indexOf(used));
      return {
        ko: `${used + 1}번째 단계는 **${label}** 예요: ${q.steps[used]!.text.ko}`,
        en: `Step ${used + 1} is **${label}**: ${q.steps[used]!.text.en}`,
      };
    }
    case 'swap': {
      if (used === 0) {
        const l = labelOf(q.pair[0]);
        return { ko: `바뀐 단계 중 하나는 **${l}** 예요.`, en: `One of the swapped steps is **${l}**.` };
      }
      const inPlace = q.shown.map((p, k) => (p === k ? k : -1)).filter((k) => k >= 0);
      const k = inPlace[used - 1];
      if (k === undefined) return undefined;
      return { ko: `**${labelOf(k)}** 는 제자리에 있어요.`, en: `**${labelOf(k)}** is in its right place.` };
    }
    case 'next':
    case 'missing':
    case 'choice': {
      const wrong = q.options.map((_, k) => k).filter((k) => k !== q.answer);
      // Leave at least two options standing.
      if (used >= wrong.length - 1) return undefined;
      const k = wrong[used]!;
      return { ko: `**${labelOf(k)}** 는 답이 아니에요.`, en: `**${labelOf(k)}** is not it.` };
    }
    case 'recall': {
      const hints: Bilingual[] = [
        {
          ko: `첫 글자: **${first(q.title.ko)}**${q.title.en !== q.title.ko ? ` / **${first(q.title.en)}**` : ''}`,
          en: `First letter: **${first(q.title.en)}**`,
        },
        ...(q.related[0] ? [{ ko: `관련 개념: ${titleLine(q.related[0])}`, en: `A related concept: ${q.related[0].en}` }] : []),
        { ko: `영어 이름은 ${q.title.en.length}글자예요.`, en: `The English name has ${q.title.en.length} characters.` },
      ];
      return hints[used];
    }
    case 'class': {
      const hints: Bilingual[] = [
        ...(q.related[0] ? [{ ko: `관련 개념: ${titleLine(q.related[0])}`, en: `A related concept: ${q.related[0].en}` }] : []),
        { ko: `설명: ${q.summary.ko}`, en: `What it is: ${q.summary.en}` },
      ];
      return hints[used];
    }
  }
}

function first(s: string): string {
  return [...s.trim()][0] ?? '?';
}

export function hintMarkdown(h: Bilingual, used: number, cost: string): string {
  return [`💡 **힌트 ${used} / Hint ${used}**`, both(h, '\n'), '', cost].join('\n');
}
