import type { IncomingMessage } from '../message.js';
import { metrics } from '../metrics.js';
import type { Reply } from '../reply.js';
import { cardOf } from '../lookup/cardView.js';
import type { Learned } from '../learning/engine.js';
import { answerRecord, notice, type QuizContext } from './context.js';
import { feedbackHead, gradeReply, invalidMarkdown, revealMarkdown, type Graded } from './feedback.js';
import { grade } from './grade.js';
import { hintFor, hintMarkdown } from './hints.js';
import { looksLikeLabels } from './labels.js';
import { pickQuestions, type Topic } from './pick.js';
import { isQuestion, type Question, type QuestionKind } from './question.js';
import { reviewNext, reviewOutcomeLine } from './review.js';
import { HINT_COST, MAX_HINTS, soloPoints } from './scoring.js';
import { questionReply } from './view.js';

interface Session {
  question: Question;
  /** Asked by `/review`: the answer is logged as a review. */
  review?: boolean | undefined;
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
    const next = await reviewNext(this.ctx, msg);
    if ('replies' in next) return next.replies;
    await this.save(msg, { question: next.question, review: true, hints: 0, askedAt: this.ctx.now() });
    return [{ ...questionReply(next.question, undefined, next.intro), code: 'quiz.review.question' }];
  }

  async hint(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const open = await this.session(msg);
    if (open?.state !== 'open') return undefined;
    const s = open.session;
    const h = hintFor(s.question, s.hints);
    if (!h)
      return [
        notice('quiz.hint.none', `더 드릴 힌트가 없어요 (최대 ${MAX_HINTS}개). / No more hints for this question (at most ${MAX_HINTS}).`),
      ];
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
        return [
          notice(
            'quiz.answered',
            '이 문제에는 이미 답했어요. 다음 문제는 `/quiz` 로 받아요.\nYou already answered that question. Type `/quiz` for the next one.',
          ),
        ];
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
      return [
        notice(
          'quiz.answered',
          '이 문제에는 이미 답했어요. 다음 문제는 `/quiz` 로 받아요.\nYou already answered that question. Type `/quiz` for the next one.',
        ),
      ];
    }
    const points = soloPoints(attempt.credit, s.hints);
    const inReview = Boolean(s.review);
    let learned: Learned | undefined;
    try {
      ({ learned } = await this.ctx.record(
        answerRecord(msg, q, attempt, { points, hints: s.hints, mode: inReview ? 'review' : 'solo', at: now, seq: this.ctx.arrival() }),
        {
          typo: attempt.typo,
          elapsedMs: now - s.askedAt,
        },
      ));
    } catch (err) {
      await this.rows.reopenSolo(msg.platform, msg.user.id, msg.channel.id, q.id, now + SOLO_OPEN_MS).catch(() => undefined);
      throw err;
    }
    metrics.quizAnswers.inc({ kind: q.kind, correct: String(attempt.correct) });
    return [this.gradeReply(msg, q, attempt, points, learned, now)];
  }

  private gradeReply(msg: IncomingMessage, q: Question, a: Graded, points: number, learned: Learned | undefined, now: number): Reply {
    const concept = this.ctx.kb.byId.get(q.conceptId);
    const made = concept ? cardOf(concept, this.ctx.kb) : undefined;
    const lines = feedbackHead(q, a, points, { fullExplanation: true });
    lines.push('', revealMarkdown(q));
    if (learned) lines.push('', reviewOutcomeLine(learned, now));
    // Drills already list every step with its reason; other kinds show the card.
    if (made && q.kind !== 'order' && q.kind !== 'swap') lines.push('', '---', made.markdown);
    lines.push('', '_다음 문제: `/quiz` · 복습: `/review` / Next: `/quiz` · Review: `/review`_');
    return gradeReply(msg, q, a, points, lines.join('\n'), made ? { card: made.view } : {});
  }
}

export function noQuestions(kind: QuestionKind | undefined, topic: Topic | undefined): Reply {
  const what = [kind ? `\`${kind}\`` : '', topic ? `“${topic.label.ko}”` : ''].filter(Boolean).join(' ');
  return notice(
    'quiz.none',
    `${what ? `${what} ` : ''}문제를 만들 노트가 없어요. 다른 종류나 주제로 해 보세요.\nThe notes have no ${what ? `${what} ` : ''}questions to ask. Try another kind or topic.`,
  );
}
