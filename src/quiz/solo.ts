import type { IncomingMessage } from '../message.js';
import { metrics } from '../metrics.js';
import type { Reply } from '../reply.js';
import { cardMarkdown, toCardView } from '../lookup/cardView.js';
import type { ReviewEntry } from '../store/types.js';
import { answerRecord, notice, type QuizContext } from './context.js';
import { fromItemKey } from './build.js';
import { feedbackHead, gradeReply, invalidMarkdown, revealMarkdown, type Graded } from './feedback.js';
import { grade } from './grade.js';
import { hintFor, hintMarkdown } from './hints.js';
import { looksLikeLabels } from './labels.js';
import { pickQuestions, type Topic } from './pick.js';
import { isQuestion, type Question, type QuestionKind } from './question.js';
import { BOX_DAYS, DAY_MS, reviewChange } from './review.js';
import { HINT_COST, MAX_HINTS, soloPoints } from './scoring.js';
import { questionReply } from './view.js';

interface Session {
  question: Question;
  review?: ReviewEntry | undefined;
  hints: number;
  askedAt: number;
}

/** How long after a solo answer a repeated answer is told it was already counted. */
const ANSWERED_MEMORY_MS = 10 * 60 * 1000;
/** How long an unanswered solo question stays open (its buttons too); swept after. */
export const SOLO_OPEN_MS = 24 * 60 * 60 * 1000;

function isSession(v: unknown): v is Session {
  const s = v as Session | null;
  return Boolean(s && typeof s === 'object' && isQuestion(s.question) && typeof s.hints === 'number' && typeof s.askedAt === 'number');
}

/**
 * One question at a time per player and channel, private, graded at once with the card. Open
 * questions are kept in the store's conversation part (src/store/conversation.ts): a restart
 * keeps them, and they expire after a day so nothing grows without bound.
 */
export class SoloPlay {
  constructor(private readonly ctx: QuizContext) {}

  private get rows() {
    return this.ctx.deps.store.conversation;
  }

  private async session(msg: IncomingMessage): Promise<{ state: 'open' | 'answered'; session: Session; at: number } | undefined> {
    const row = await this.rows.solo(msg.platform, msg.user.id, msg.channel.id, this.ctx.now());
    if (!row || !isSession(row.session)) return undefined;
    return { state: row.state, session: row.session, at: row.updatedAt };
  }

  private save(msg: IncomingMessage, s: Session): Promise<void> {
    const now = this.ctx.now();
    return this.rows.putSolo(msg.platform, msg.user.id, msg.channel.id, s.question.id, s, now, now + SOLO_OPEN_MS);
  }

  /** The player's open question here, if it is `questionId` (a button names the question it belongs to). */
  async isOpen(msg: IncomingMessage, questionId: string): Promise<boolean> {
    const s = await this.session(msg);
    return s?.state === 'open' && s.session.question.id === questionId;
  }

  async ask(msg: IncomingMessage, kind: QuestionKind | undefined, topic: Topic | undefined): Promise<Reply[]> {
    const [q] = pickQuestions(this.ctx, { kind, topic, count: 1 });
    if (!q) return [noQuestions(kind, topic)];
    const replaced = (await this.session(msg))?.state === 'open';
    await this.save(msg, { question: q, hints: 0, askedAt: this.ctx.now() });
    return [questionReply(q, undefined, replaced ? '_이전 문제는 넘겼어요. / The previous question was skipped._' : undefined)];
  }

  async review(msg: IncomingMessage): Promise<Reply[]> {
    const { store } = this.ctx.deps;
    const now = this.ctx.now();
    for (const entry of await store.quiz.dueReviews(msg.platform, msg.user.id, now, 20)) {
      const q = fromItemKey(this.ctx, entry.itemKey);
      if (!q) {
        // The notes no longer have this item: it cannot be reviewed.
        await store.quiz.removeReview(msg.platform, msg.user.id, entry.itemKey);
        continue;
      }
      await this.save(msg, { question: q, review: entry, hints: 0, askedAt: now });
      const intro = `📚 **복습 / Review** — 상자 ${entry.box}/${BOX_DAYS.length} · box ${entry.box} of ${BOX_DAYS.length}`;
      return [{ ...questionReply(q, undefined, intro), code: 'quiz.review.question' }];
    }
    const s = await store.quiz.reviewSummary(msg.platform, msg.user.id, now);
    if (s.total === 0) {
      return [notice('quiz.review.empty', '복습할 문제가 없어요. 틀린 문제는 자동으로 복습 목록에 들어가요. `/quiz` 로 풀어 보세요.\nNothing to review: missed questions join your review queue by themselves. Try `/quiz`.')];
    }
    const days = s.nextDue !== undefined ? Math.max(1, Math.ceil((s.nextDue - now) / DAY_MS)) : 1;
    return [
      notice(
        'quiz.review.notDue',
        `지금 복습할 문제는 없어요. 복습 목록에 ${s.total}문제가 있고, 다음 복습은 ${days}일 뒤예요.\nNothing is due now. ${s.total} item${s.total === 1 ? '' : 's'} in your queue; the next is due in ${days} day${days === 1 ? '' : 's'}.`,
      ),
    ];
  }

  async hint(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const open = await this.session(msg);
    if (open?.state !== 'open') return undefined;
    const s = open.session;
    const h = hintFor(s.question, s.hints);
    if (!h) return [notice('quiz.hint.none', `더 드릴 힌트가 없어요 (최대 ${MAX_HINTS}개). / No more hints for this question (at most ${MAX_HINTS}).`)];
    s.hints += 1;
    await this.save(msg, s);
    const cost = `_힌트 ${s.hints}개: 이 문제 점수 −${Math.round(HINT_COST * 100 * s.hints)}% / ${s.hints} hint${s.hints === 1 ? '' : 's'}: −${Math.round(HINT_COST * 100 * s.hints)}% on this question_`;
    return [notice('quiz.hint', hintMarkdown(h, s.hints, cost))];
  }

  /** An answer to the player's open question; undefined when they have none. */
  async answer(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const open = await this.session(msg);
    if (!open) return undefined;
    if (open.state === 'answered') {
      if (this.ctx.now() - open.at < ANSWERED_MEMORY_MS && looksLikeLabels(msg.text)) {
        return [notice('quiz.answered', '이 문제에는 이미 답했어요. 다음 문제는 `/quiz` 로 받아요.\nYou already answered that question. Type `/quiz` for the next one.')];
      }
      return undefined;
    }
    const s = open.session;
    const q = s.question;
    const attempt = grade(q, msg.text, { index: this.ctx.deps.index, team: false });
    if (attempt.status === 'ignored') return undefined;
    if (attempt.status === 'invalid') return [notice(`quiz.invalid.${attempt.code}`, invalidMarkdown(attempt, q))];
    const now = this.ctx.now();
    // Taken in the store before grading is recorded: a second answer racing this one finds no open question.
    if (!(await this.rows.takeSolo(msg.platform, msg.user.id, msg.channel.id, q.id, now, now + ANSWERED_MEMORY_MS))) {
      return [notice('quiz.answered', '이 문제에는 이미 답했어요. 다음 문제는 `/quiz` 로 받아요.\nYou already answered that question. Type `/quiz` for the next one.')];
    }
    const points = soloPoints(attempt.credit, s.hints);
    const inReview = Boolean(s.review);
    const change = reviewChange(s.review, attempt.correct, inReview, now);
    try {
      await this.ctx.deps.store.quiz.recordAnswer(
        answerRecord(msg, q, attempt, { points, hints: s.hints, mode: inReview ? 'review' : 'solo', at: now, seq: this.ctx.arrival() }),
        change,
      );
    } catch (err) {
      await this.rows.reopenSolo(msg.platform, msg.user.id, msg.channel.id, q.id, now + SOLO_OPEN_MS).catch(() => undefined);
      throw err;
    }
    metrics.quizAnswers.inc({ kind: q.kind, correct: String(attempt.correct) });
    return [this.gradeReply(msg, q, attempt, points, change, inReview)];
  }

  private gradeReply(msg: IncomingMessage, q: Question, a: Graded, points: number, change: ReturnType<typeof reviewChange>, inReview: boolean): Reply {
    const concept = this.ctx.kb.byId.get(q.conceptId);
    const card = concept ? toCardView(concept, this.ctx.kb) : undefined;
    const lines = feedbackHead(q, a, points, { fullExplanation: true });
    lines.push('', revealMarkdown(q));
    if (change?.op === 'put' && change.missed) lines.push('', '📚 복습 목록에 넣었어요: 내일 `/review` 로 다시 풀어요. / Added to your review queue: `/review` it tomorrow.');
    else if (inReview && change?.op === 'put') lines.push('', `📚 상자 ${change.box}로 올라갔어요: ${BOX_DAYS[change.box - 1]}일 뒤 다시 복습해요. / Up to box ${change.box}: due again in ${BOX_DAYS[change.box - 1]} days.`);
    else if (inReview && change?.op === 'remove') lines.push('', '🎓 다 익혔어요! 복습 목록에서 뺐어요. / Learned: it leaves your review queue.');
    // Drills already list every step with its reason; other kinds show the card.
    if (card && q.kind !== 'order' && q.kind !== 'swap') lines.push('', '---', cardMarkdown(card));
    lines.push('', '_다음 문제: `/quiz` · 복습: `/review` / Next: `/quiz` · Review: `/review`_');
    return gradeReply(msg, q, a, points, lines.join('\n'), card ? { card } : {});
  }
}

export function noQuestions(kind: QuestionKind | undefined, topic: Topic | undefined): Reply {
  const what = [kind ? `\`${kind}\`` : '', topic ? `“${topic.label.ko}”` : ''].filter(Boolean).join(' ');
  return notice(
    'quiz.none',
    `${what ? `${what} ` : ''}문제를 만들 노트가 없어요. 다른 종류나 주제로 해 보세요.\nThe notes have no ${what ? `${what} ` : ''}questions to ask. Try another kind or topic.`,
  );
}
