import { randomBytes } from 'node:crypto';
import type { GradeView, QuizView } from '../../src/reply.js';

/** A question the adapter has shown and still takes answers for. */
export interface LiveQuestion {
  key: string;
  quiz: QuizView;
  channel: string;
  thread?: string | undefined;
  workspace?: string | undefined;
  /** A solo question belongs to the person who asked for it. */
  owner?: string | undefined;
}

/**
 * The questions still open, by key, and each player's order picked so far. Kept in memory on
 * purpose: after a restart every old key is unknown, and clicks on old buttons get a polite
 * "this question is over" instead of being graded against a different question.
 */
export class QuestionBook {
  private readonly boot = randomBytes(3).toString('base64url');
  private seq = 0;
  private readonly live = new Map<string, LiveQuestion>();
  private readonly byQuestion = new Map<string, string>();
  private readonly picks = new Map<string, number[]>();

  open(q: Omit<LiveQuestion, 'key'>): LiveQuestion {
    const where = `${q.quiz.questionId}|${q.owner ?? ''}|${q.channel}`;
    const known = this.byQuestion.get(where);
    if (known && this.live.has(known)) return this.live.get(known)!;
    // A round moves on: the question before this one stops taking answers.
    if (q.quiz.roundId) for (const other of [...this.live.values()]) if (other.quiz.roundId === q.quiz.roundId) this.close(other.key);
    const key = `${this.boot}${(this.seq++).toString(36)}`;
    const entry = { ...q, key };
    this.live.set(key, entry);
    this.byQuestion.set(where, key);
    return entry;
  }

  get(key: string): LiveQuestion | undefined {
    return this.live.get(key);
  }

  close(key: string): void {
    const q = this.live.get(key);
    if (!q) return;
    this.live.delete(key);
    this.byQuestion.delete(`${q.quiz.questionId}|${q.owner ?? ''}|${q.channel}`);
    for (const k of [...this.picks.keys()]) if (k.startsWith(`${key}|`)) this.picks.delete(k);
  }

  closeRound(roundId: string): void {
    for (const q of [...this.live.values()]) if (q.quiz.roundId === roundId) this.close(q.key);
  }

  /** A solo question is over once its owner is graded on it. */
  graded(grade: GradeView): void {
    for (const q of [...this.live.values()]) if (!q.quiz.roundId && q.quiz.questionId === grade.questionId && q.owner === grade.user) this.close(q.key);
  }

  pickedBy(key: string, user: string): number[] {
    return this.picks.get(`${key}|${user}`) ?? [];
  }

  setPicks(key: string, user: string, picks: number[]): void {
    if (picks.length === 0) this.picks.delete(`${key}|${user}`);
    else this.picks.set(`${key}|${user}`, picks);
  }

  get size(): number {
    return this.live.size;
  }
}
