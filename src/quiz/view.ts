import type { Bilingual } from '../knowledge/types.js';
import type { QuizItem, QuizView, Reply } from '../reply.js';
import { labelOf, labelRange } from './labels.js';
import type { Question, Step } from './question.js';
import { titleLine } from '../lang.js';

/** `ko — en`, or one of them when both are the same. */
export function both(t: Bilingual, sep = ' — '): string {
  return t.ko === t.en ? t.ko : `${t.ko}${sep}${t.en}`;
}

export function stepText(s: Step): string {
  return both(s.text);
}

const KIND_NAMES: Record<Question['kind'], Bilingual> = {
  order: { ko: '순서 맞히기', en: 'Ordering drill' },
  next: { ko: '다음 단계는?', en: 'What comes next?' },
  swap: { ko: '바뀐 두 단계 찾기', en: 'Spot the swapped pair' },
  missing: { ko: '빠진 단계 채우기', en: 'Fill the missing step' },
  recall: { ko: '이 개념은?', en: 'Which concept is this?' },
  choice: { ko: '알맞은 개념 고르기', en: 'Pick the concept' },
  class: { ko: '분류하기', en: 'Classify' },
};

export function kindName(kind: Question['kind']): Bilingual {
  return KIND_NAMES[kind];
}

/** The question's items: what the labels stand for. */
export function itemsOf(q: Question): QuizItem[] {
  const item = (k: number, text: string): QuizItem => ({ label: labelOf(k), text });
  switch (q.kind) {
    case 'order':
    case 'swap':
      return q.shown.map((p, k) => item(k, stepText(q.steps[p]!)));
    case 'next':
      return q.options.map((p, k) => item(k, stepText(q.steps[p]!)));
    case 'missing':
      return q.options.map((t, k) => item(k, both(t)));
    case 'choice':
      return q.options.map((o, k) => item(k, titleLine(o.title)));
    case 'class':
      return q.classes.map((c, k) => item(k, both(c, ' / ')));
    case 'recall':
      return [];
  }
}

/** The prompt, Korean then English, without the items. */
export function promptOf(q: Question): string {
  const name = kindName(q.kind);
  const head = (ko: string, en: string) => [`**${name.ko}** ${ko}`, `**${name.en}** ${en}`];
  switch (q.kind) {
    case 'order':
      return [
        ...head(q.title.ko, q.title.en),
        `단계를 올바른 순서로 라벨만 적어 주세요 (예: \`${exampleLabels(q.shown.length)}\`).`,
        `Write the labels in the right order (e.g. \`${exampleLabels(q.shown.length)}\`).`,
      ].join('\n');
    case 'next': {
      const s = q.steps[q.after]!;
      return [
        ...head(`${q.title.ko}: “${s.text.ko}” 바로 다음 단계는?`, `${q.title.en}: which step comes right after “${s.text.en}”?`),
        '라벨 하나를 적어 주세요. / Answer with one label.',
      ].join('\n');
    }
    case 'swap':
      return [
        ...head(`${q.title.ko}: 두 단계의 자리가 바뀌었어요.`, `${q.title.en}: two steps have traded places.`),
        '바뀐 두 단계의 라벨을 적어 주세요 (예: `B E`). / Give the labels of the two swapped steps (e.g. `B E`).',
      ].join('\n');
    case 'missing': {
      const lines = q.steps.map((s, i) => `${i + 1}. ${i === q.missing ? '**＿＿＿ (?)**' : stepText(s)}`);
      return [
        ...head(q.title.ko, q.title.en),
        '',
        ...lines,
        '',
        '빈칸에 들어갈 단계의 라벨을 적어 주세요. / Which step fills the blank? Answer with its label.',
      ].join('\n');
    }
    case 'recall':
      return [...head(q.clue.ko, q.clue.en), '이름을 한국어나 영어로 적어 주세요. / Answer with its name, in Korean or English.'].join(
        '\n',
      );
    case 'choice':
      return [
        ...head(q.clue.ko, q.clue.en),
        `라벨(${labelRange(q.options.length)})이나 이름으로 답해 주세요. / Answer with a label or the name.`,
      ].join('\n');
    case 'class':
      return [
        ...head(`**${q.title.ko}** 은(는) 어디에 속할까요? (${q.setTitle.ko})`, `Where does **${q.title.en}** belong? (${q.setTitle.en})`),
        `라벨(${labelRange(q.classes.length)})이나 이름으로 답해 주세요. / Answer with a label or the class name.`,
      ].join('\n');
  }
}

function exampleLabels(n: number): string {
  const ex = [2, 0, 1, 3].filter((i) => i < n).map(labelOf);
  return `${ex.join(' ')}${n > 4 ? ' …' : ''}`;
}

export interface RoundSlot {
  roundId: string;
  number: number;
  total: number;
  deadline: number;
  seconds: number;
  thread?: string | undefined;
}

export function quizView(q: Question, slot?: RoundSlot): QuizView {
  return {
    kind: q.kind,
    prompt: promptOf(q),
    items: itemsOf(q),
    questionId: q.id,
    ...(slot ? { roundId: slot.roundId, number: slot.number, total: slot.total, deadline: slot.deadline } : {}),
    ...(q.kind === 'class' ? { classes: q.classes.map((c) => both(c, ' / ')) } : {}),
  };
}

/** A question as a reply: private when solo, in the channel (and the round's thread) in a round. */
export function questionReply(q: Question, slot?: RoundSlot, intro?: string): Reply {
  const quiz = quizView(q, slot);
  const lines: string[] = [];
  if (intro) lines.push(intro, '');
  if (slot)
    lines.push(
      `**문제 ${slot.number}/${slot.total} · Question ${slot.number} of ${slot.total}** ⏱ ${slot.seconds}초 / ${slot.seconds} s`,
      '',
    );
  lines.push(quiz.prompt);
  if (quiz.items.length) lines.push('', ...quiz.items.map((i) => `- **${i.label}** ${i.text}`));
  if (!slot) lines.push('', '_힌트: `/hint` (점수가 줄어요) · Hint: `/hint` (costs points)_');
  return {
    kind: 'quiz',
    code: slot ? 'quiz.round.question' : 'quiz.question',
    markdown: lines.join('\n'),
    visibility: slot ? 'channel' : 'private',
    quiz,
    ...(slot?.thread ? { thread: slot.thread } : {}),
  };
}
