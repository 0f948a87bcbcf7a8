import type { IncomingMessage } from '../message.js';
import { metrics } from '../metrics.js';
import type { Reply } from '../reply.js';
import { cardMarkdown, toCardView } from '../lookup/cardView.js';
import type { Learned } from '../learning/engine.js';
import { answerRecord, notice, playerKey, type QuizContext } from './context.js';
import { feedbackHead, gradeReply, invalidMarkdown, revealMarkdown, type Graded } from './feedback.js';
import { grade } from './grade.js';
import { hintFor, hintMarkdown } from './hints.js';
import { looksLikeLabels } from './labels.js';
import { pickQuestions, type Topic } from './pick.js';
import type { Question, QuestionKind } from './question.js';
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

/**
 * One question at a time per player and channel, private, graded at once with the card.
 * Open solo questions live in memory: a restart forgets an unanswered one (answers are stored).
 */
export class SoloPlay {
  private readonly sessions = new Map<string, Session>();
  private readonly answered = new Map<string, { questionId: string; at: number }>();

  constructor(private readonly ctx: QuizContext) {}

  private key(msg: IncomingMessage): string {
    return `${playerKey(msg.platform, msg.user.id)}\u0000${msg.channel.id}`;
  }

  ask(msg: IncomingMessage, kind: QuestionKind | undefined, topic: Topic | undefined): Reply[] {
    const [q] = pickQuestions(this.ctx, { kind, topic, count: 1 });
    if (!q) return [noQuestions(kind, topic)];
    const replaced = this.sessions.has(this.key(msg));
    this.sessions.set(this.key(msg), { question: q, hints: 0, askedAt: this.ctx.now() });
    return [questionReply(q, undefined, replaced ? '_이전 문제는 넘겼어요. / The previous question was skipped._' : undefined)];
  }

  async review(msg: IncomingMessage): Promise<Reply[]> {
    const next = await reviewNext(this.ctx, msg);
    if ('replies' in next) return next.replies;
    this.sessions.set(this.key(msg), { question: next.question, review: true, hints: 0, askedAt: this.ctx.now() });
    return [{ ...questionReply(next.question, undefined, next.intro), code: 'quiz.review.question' }];
  }

  hint(msg: IncomingMessage): Reply[] | undefined {
    const s = this.sessions.get(this.key(msg));
    if (!s) return undefined;
    const h = hintFor(s.question, s.hints);
    if (!h) return [notice('quiz.hint.none', `더 드릴 힌트가 없어요 (최대 ${MAX_HINTS}개). / No more hints for this question (at most ${MAX_HINTS}).`)];
    s.hints += 1;
    const cost = `_힌트 ${s.hints}개: 이 문제 점수 −${Math.round(HINT_COST * 100 * s.hints)}% / ${s.hints} hint${s.hints === 1 ? '' : 's'}: −${Math.round(HINT_COST * 100 * s.hints)}% on this question_`;
    return [notice('quiz.hint', hintMarkdown(h, s.hints, cost))];
  }

  /** An answer to the player's open question; undefined when they have none. */
  async answer(msg: IncomingMessage): Promise<Reply[] | undefined> {
    const key = this.key(msg);
    const s = this.sessions.get(key);
    if (!s) {
      const last = this.answered.get(key);
      if (last && this.ctx.now() - last.at < ANSWERED_MEMORY_MS && looksLikeLabels(msg.text)) {
        return [notice('quiz.answered', '이 문제에는 이미 답했어요. 다음 문제는 `/quiz` 로 받아요.\nYou already answered that question. Type `/quiz` for the next one.')];
      }
      return undefined;
    }
    const q = s.question;
    const attempt = grade(q, msg.text, { index: this.ctx.deps.index, team: false });
    if (attempt.status === 'ignored') return undefined;
    if (attempt.status === 'invalid') return [notice(`quiz.invalid.${attempt.code}`, invalidMarkdown(attempt, q))];
    // Taken before the first await: a second answer racing this one finds no open question.
    this.sessions.delete(key);
    const now = this.ctx.now();
    const points = soloPoints(attempt.credit, s.hints);
    const inReview = Boolean(s.review);
    let learned: Learned | undefined;
    try {
      ({ learned } = await this.ctx.record(answerRecord(msg, q, attempt, { points, hints: s.hints, mode: inReview ? 'review' : 'solo', at: now, seq: this.ctx.arrival() }), {
        typo: attempt.typo,
        elapsedMs: now - s.askedAt,
      }));
    } catch (err) {
      this.sessions.set(key, s);
      throw err;
    }
    this.answered.set(key, { questionId: q.id, at: now });
    metrics.quizAnswers.inc({ kind: q.kind, correct: String(attempt.correct) });
    return [this.gradeReply(msg, q, attempt, points, learned, now)];
  }

  private gradeReply(msg: IncomingMessage, q: Question, a: Graded, points: number, learned: Learned | undefined, now: number): Reply {
    const concept = this.ctx.kb.byId.get(q.conceptId);
    const card = concept ? toCardView(concept, this.ctx.kb) : undefined;
    const lines = feedbackHead(q, a, points, { fullExplanation: true });
    lines.push('', revealMarkdown(q));
    if (learned) lines.push('', reviewOutcomeLine(learned, now));
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
