import { escapeMarkdown } from '../lang.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import { labelOf, labelRange } from './labels.js';
import type { Attempt, OrderDetail } from './grade.js';
import type { Question } from './question.js';
import { both, stepText } from './view.js';
import { titleLine } from '../lang.js';

const ordinalKo = (i: number) => `${i + 1}번째`;
const ordinalEn = (i: number) => {
  const n = i + 1;
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
};

/** The steps in the right order, each with its label in this question and its one-line reason. */
function correctOrder(q: Extract<Question, { kind: 'order' | 'swap' }>): string[] {
  const out = ['**올바른 순서 / Correct order**'];
  q.steps.forEach((s, p) => {
    out.push(`${p + 1}. **${labelOf(q.shown.indexOf(p))}** ${stepText(s)}`);
    if (s.reason) out.push(`   _이유: ${s.reason.ko} / Why: ${s.reason.en}_`);
  });
  return out;
}

/** The right answer, explained. Shown to a solo player at once, to a round when the time is up. */
export function revealMarkdown(q: Question): string {
  switch (q.kind) {
    case 'order':
      return correctOrder(q).join('\n');
    case 'swap': {
      const [a, b] = q.pair;
      return [
        `바뀐 두 단계는 **${labelOf(a)}** 와 **${labelOf(b)}** 예요. / The swapped pair is **${labelOf(a)}** and **${labelOf(b)}**.`,
        '',
        ...correctOrder(q),
      ].join('\n');
    }
    case 'next': {
      const s = q.steps[q.after + 1]!;
      return [
        `정답 / Answer: **${labelOf(q.answer)}** ${stepText(s)}`,
        ...(s.reason ? [`_이유: ${s.reason.ko} / Why: ${s.reason.en}_`] : []),
      ].join('\n');
    }
    case 'missing': {
      const s = q.steps[q.missing]!;
      return [
        `정답 / Answer: **${labelOf(q.answer)}** ${stepText(s)} (${q.missing + 1}단계 / step ${q.missing + 1})`,
        ...(s.reason ? [`_이유: ${s.reason.ko} / Why: ${s.reason.en}_`] : []),
      ].join('\n');
    }
    case 'recall':
      return `정답 / Answer: **${titleLine(q.title)}**`;
    case 'choice':
      return `정답 / Answer: **${labelOf(q.answer)}** ${titleLine(q.title)}`;
    case 'class':
      return [`정답 / Answer: **${labelOf(q.answer)}** ${both(q.classes[q.answer]!, ' / ')}`, `_${q.summary.ko} / ${q.summary.en}_`].join(
        '\n',
      );
  }
}

/** How the partial credit of a drill answer was reached, and where it first went wrong. */
export function orderExplanation(q: Extract<Question, { kind: 'order' }>, d: OrderDetail): string[] {
  const n = q.steps.length;
  const runLabels = d.run.map((p) => labelOf(q.shown.indexOf(p))).join(' → ');
  const pct = Math.round(((d.run.length - 1) / Math.max(1, n - 1)) * 100);
  const out = [
    `부분 점수: ${n}단계 중 올바른 상대 순서로 이어진 가장 긴 줄이 ${d.run.length}단계예요 (${runLabels}). 점수 비율 = (${d.run.length}−1)/(${n}−1) = ${pct}%.`,
    `Partial credit: your longest run of steps in the right relative order is ${d.run.length} of ${n} (${runLabels}); credit = (${d.run.length}−1)/(${n}−1) = ${pct}%.`,
  ];
  if (d.firstWrong >= 0) {
    const i = d.firstWrong;
    const put = labelOf(q.shown.indexOf(d.given[i]!));
    const should = labelOf(q.shown.indexOf(i));
    out.push(
      `처음 틀린 자리: ${ordinalKo(i)} — **${put}** 를 적었는데 **${should}** 가 와야 해요.`,
      `First wrong position: ${ordinalEn(i)} — you put **${put}**, it should be **${should}**.`,
    );
  }
  return out;
}

export function verdictLine(a: Extract<Attempt, { status: 'graded' }>, points: number, place?: number): string {
  const pts = `+${points}점 / +${points} point${points === 1 ? '' : 's'}`;
  if (a.correct) {
    const nth = place !== undefined ? ` (${place + 1}등 / ${ordinalEn(place)})` : '';
    return `✅ 정답! ${pts}${nth}${a.typo ? ' — 오타는 봐 드렸어요 / typo forgiven' : ''}`;
  }
  if (a.credit > 0) return `🟡 부분 정답 / Partly right: ${pts}`;
  return `❌ 아쉬워요, 틀렸어요. / Not quite. ${pts}`;
}

/** Why a recall answer naming another concept is wrong (the `kubectl` for kubelet case). */
export function recallNote(q: Question, a: Extract<Attempt, { status: 'graded' }>): string | undefined {
  if (q.kind !== 'recall' || a.correct) return undefined;
  if (a.named) return `“${titleLine(a.named.title)}” 은(는) 다른 개념이에요. / That names a different concept: ${a.named.title.en}.`;
  return '그런 이름의 개념을 찾지 못했어요. / That does not name a concept I know.';
}

/** A malformed answer: what was wrong, what to send instead. */
export function invalidMarkdown(a: Extract<Attempt, { status: 'invalid' }>, q: Question): string {
  const range = labelRange(a.range ?? 0);
  const bad = (a.bad ?? []).map((b) => escapeMarkdown(b)).join(', ');
  switch (a.code) {
    case 'labels.count':
      return a.want === 1
        ? `라벨 하나만 적어 주세요 (${a.got}개를 적었어요). / Give exactly one label (you gave ${a.got}).`
        : `라벨 ${a.want}개를 적어 주세요 (${a.got}개를 적었어요). / Give ${a.want} labels (you gave ${a.got}).`;
    case 'labels.duplicate':
      return `같은 라벨을 두 번 적었어요: ${bad}. 각 라벨은 한 번씩만 써 주세요. / Each label once, please: ${bad} appears twice.`;
    case 'labels.range':
      return `없는 라벨이에요: ${bad}. ${range} 중에서 골라 주세요. / No such label: ${bad}. Choose from ${range}.`;
    case 'answer.notOption':
      return q.kind === 'order'
        ? `라벨(${range})을 순서대로 적어 주세요. 예: \`C A B D\`, \`c,a,b,d\`, \`3 1 2 4\`. / Answer with the labels (${range}) in order, e.g. \`C A B D\`, \`c,a,b,d\`, \`3 1 2 4\`.`
        : `${range} 중에서 골라 주세요. / Choose one of ${range}.`;
    case 'answer.notConcept':
      return '개념 이름으로 답해 주세요. 이 줄은 답으로 세지 않았어요. / Answer with a concept name; this line was not counted.';
  }
}

export type Graded = Extract<Attempt, { status: 'graded' }>;

/** The verdict, why a recall answer was wrong, and (for a drill) how its partial credit was reached. */
export function feedbackHead(
  q: Question,
  a: Graded,
  points: number,
  opts: { place?: number | undefined; fullExplanation: boolean },
): string[] {
  const lines = [verdictLine(a, points, opts.place)];
  const note = recallNote(q, a);
  if (note) lines.push(note);
  if (q.kind === 'order' && a.order && !a.correct) {
    const why = orderExplanation(q, a.order);
    lines.push('', ...(opts.fullExplanation ? why : why.slice(0, 2)));
  }
  return lines;
}

/** A graded answer as the neutral reply: private to the player, with the transcript's `grade` part. */
export function gradeReply(
  msg: IncomingMessage,
  q: Question,
  a: Graded,
  points: number,
  markdown: string,
  extra: Partial<Reply> = {},
): Reply {
  return {
    kind: 'grade',
    code: a.correct ? 'quiz.correct' : a.credit > 0 ? 'quiz.partial' : 'quiz.wrong',
    visibility: 'private',
    markdown,
    grade: {
      user: msg.user.id,
      correct: a.correct,
      points,
      expected: a.expected,
      questionId: q.id,
      ...(q.kind === 'order' ? { partial: Math.round(a.credit * 1000) / 1000 } : {}),
    },
    ...extra,
  };
}
