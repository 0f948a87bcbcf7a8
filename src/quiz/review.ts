import type { Learned, Learning } from '../learning/engine.js';
import { parseItem } from '../learning/items.js';
import { RATING_NAMES } from '../learning/rating.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import { curriculum } from '../schedule/order.js';
import type { StoredCard } from '../store/learning.js';
import { classificationSets, classMembers, fromItemKey, type BuildContext } from './build.js';
import type { Question } from './question.js';
import { notice, type QuizContext } from './context.js';

/**
 * `/review`: the learner's due FSRS cards, most overdue first, kinds mixed (a drill after a
 * concept when both are due), one question at a time. Pure choices here; SoloPlay asks and grades.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The most overdue card, unless it is the same kind as the last one reviewed and another kind is due. */
export function pickDue(due: StoredCard[], lastItem: string | undefined): StoredCard | undefined {
  const lastKind = lastItem ? parseItem(lastItem)?.kind : undefined;
  return due.find((c) => parseItem(c.item)?.kind !== lastKind) ?? due[0];
}

/** A question on the item, its form varied by how often it was seen (recall, then choice…). */
export function questionFor(ctx: BuildContext, card: StoredCard): Question | undefined {
  const item = parseItem(card.item);
  if (!item) return undefined;
  const tries: string[] = [];
  if (item.kind === 'concept')
    tries.push(...(card.reps % 2 === 0 ? ['recall', 'choice'] : ['choice', 'recall']).map((k) => `${k}:${item.id}`));
  else if (item.kind === 'sequence') {
    const seq = ctx.kb.sequences.find((s) => s.id === item.id);
    if (!seq) return undefined;
    const forms = [
      `order:${seq.id}`,
      `next:${seq.id}:${ctx.rng.int(Math.max(1, seq.steps.length - 1))}`,
      `swap:${seq.id}`,
      `missing:${seq.id}:${ctx.rng.int(seq.steps.length)}`,
    ];
    tries.push(...forms.slice(card.reps % forms.length), ...forms.slice(0, card.reps % forms.length));
  } else {
    const set = classificationSets(ctx.kb).find((s) => s.id === item.id);
    if (!set) return undefined;
    const members = classMembers(set);
    if (members.length === 0) return undefined;
    tries.push(`class:${set.id}:${members[ctx.rng.int(members.length)]!.conceptId}`);
  }
  for (const key of tries) {
    const q = fromItemKey(ctx, key);
    if (q) return q;
  }
  return undefined;
}

/** A concept the learner has no card for yet, in teaching order: the offer when nothing is due. */
export function newConcept(learning: Learning, cards: StoredCard[]): string | undefined {
  const have = new Set(cards.map((c) => c.item));
  return curriculum(learning.deps.kb.concepts).find((id) => !have.has(`concept:${id}`));
}

/** `in 3 hours`, `in 2 days`, bilingual, from a span in ms. */
export function whenText(ms: number): { ko: string; en: string } {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return { ko: `${min}분 뒤`, en: `in ${min} minute${min === 1 ? '' : 's'}` };
  const h = Math.round(min / 60);
  if (h < 24) return { ko: `${h}시간 뒤`, en: `in ${h} hour${h === 1 ? '' : 's'}` };
  const d = Math.round(ms / DAY_MS);
  return { ko: `${d}일 뒤`, en: `in ${d} day${d === 1 ? '' : 's'}` };
}

/** The next review question for the learner, or the replies that say why there is none. */
export async function reviewNext(
  ctx: QuizContext,
  msg: IncomingMessage,
): Promise<{ question: Question; intro: string } | { replies: Reply[] }> {
  const learning = ctx.deps.learning;
  if (!learning) return { replies: [notice('quiz.review.off', '복습 기능이 켜져 있지 않아요. / Review is not switched on here.')] };
  const { store } = ctx.deps;
  const now = ctx.now();
  const due = await learning.dueCards(msg.platform, msg.user.id, now, 20);
  const last = await store.learning.lastItem(msg.platform, msg.user.id);
  while (due.length > 0) {
    const card = pickDue(due, last)!;
    due.splice(due.indexOf(card), 1);
    const q = questionFor(ctx, card);
    if (!q) {
      await store.learning.removeCard(msg.platform, msg.user.id, card.item);
      continue;
    }
    const s = await store.learning.dueSummary(msg.platform, msg.user.id, now);
    const after = Math.max(0, s.due - 1);
    const overdue = now - card.due >= 60 * 60 * 1000 ? whenText(now - card.due) : undefined;
    const late = overdue ? ` · ${overdue.ko.replace('뒤', '지남')} / overdue by ${overdue.en.replace('in ', '')}` : '';
    const rest =
      after > 0
        ? `이 문제 뒤로 ${after}개 남았어요 / ${after} more due after this one`
        : s.nextDue !== undefined
          ? `이게 마지막이에요. 다음 복습은 ${whenText(s.nextDue - now).ko} / Last one due; the next is due ${whenText(s.nextDue - now).en}`
          : '이게 마지막이에요 / The last one due';
    return { question: q, intro: `📚 **복습 / Review**${late}\n_${rest}_` };
  }
  const cards = await store.learning.cards(msg.platform, msg.user.id);
  const s = await store.learning.dueSummary(msg.platform, msg.user.id, now);
  const fresh = newConcept(learning, cards);
  const c = fresh ? ctx.kb.byId.get(fresh) : undefined;
  const offer = c
    ? `\n\n🌱 대신 새 개념을 배워 볼까요? **${c.title.ko}** (${c.title.en}): \`/k8s ${c.id}\` 로 읽고 \`/quiz recall ${c.id}\` 로 풀어 보세요.\nA new concept instead? **${c.title.en}**: read it with \`/k8s ${c.id}\`, then try \`/quiz recall ${c.id}\`.`
    : '';
  if (s.total === 0) {
    return {
      replies: [
        notice(
          'quiz.review.empty',
          `아직 복습할 게 없어요. 퀴즈나 팀 라운드에서 답한 문제는 모두 복습 일정에 들어가요.\nNothing to review yet: every question you answer, alone or in a team round, joins your review schedule.${offer}`,
        ),
      ],
    };
  }
  const next = s.nextDue !== undefined ? whenText(s.nextDue - now) : undefined;
  return {
    replies: [
      notice(
        'quiz.review.notDue',
        `지금 복습할 건 없어요. 복습 카드 ${s.total}개 중 다음 복습은 ${next?.ko ?? '나중'}이에요.\nNothing is due now. Of your ${s.total} review card${s.total === 1 ? '' : 's'}, the next is due ${next?.en ?? 'later'}.${offer}`,
      ),
    ],
  };
}

/** The line under a grade: how FSRS read the answer and when the item comes back. */
export function reviewOutcomeLine(learned: Learned, now: number): string {
  const name = RATING_NAMES[learned.rating] ?? { ko: '?', en: '?' };
  const when = whenText(learned.due - now);
  return `📚 ${name.ko} → 다음 복습 ${when.ko} (\`/review\`) / Rated ${name.en}: due for review ${when.en} (\`/review\`)`;
}
