import type { Clock } from '../clock.js';
import type { Learned, Learning } from '../learning/engine.js';
import type { AnswerSignals } from '../learning/rating.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { isPermanentPostError } from '../errors.js';
import { escapeMarkdown } from '../lang.js';
import type { Logger } from '../logger.js';
import type { PostTarget, Reply } from '../reply.js';
import type { SearchIndex } from '../search/engine.js';
import { sanitize } from '../search/normalize.js';
import type { AnswerRecord, Store } from '../store/types.js';
import type { Outbox } from '../tutor.js';
import type { IncomingMessage } from '../message.js';
import type { Graded } from './feedback.js';
import type { Question } from './question.js';
import type { BuildContext } from './build.js';
import { createRng, randomSeed, type Rng } from './rng.js';

export interface QuizDeps {
  kb: KnowledgeBase;
  index: SearchIndex;
  store: Store;
  clock: Clock;
  log: Logger;
  outbox?: Outbox | undefined;
  /** Same seed, same shuffles and question choices. */
  seed?: number | undefined;
  /** Default time limit of a round's question (QUIZ_SECONDS). */
  quizSeconds: number;
  /** FSRS review logs for every graded answer (src/learning); absent: answers are only stored. */
  learning?: Learning | undefined;
  /** How long a replica owns a round between heartbeats (ROUND_LEASE_MS); tests shorten it. */
  roundLeaseMs?: number | undefined;
}

/** What solo play and rounds share: the notes, the generator, ids, arrival order, posting. */
export class QuizContext implements BuildContext {
  readonly rng: Rng;
  private questions = 0;
  private rounds = 0;
  private arrivals = 0;

  constructor(readonly deps: QuizDeps) {
    this.rng = createRng(deps.seed ?? randomSeed());
  }

  /** Read at each use: the notes may be reloaded while the bot runs. */
  get kb(): KnowledgeBase {
    return this.deps.kb;
  }

  /** Unique across restarts of one store (its boot count), and the same in two runs with the same seed on fresh stores. */
  newId(): string {
    return `q${this.deps.store.boot}-${++this.questions}`;
  }

  newRoundId(): string {
    return `r${this.deps.store.boot}-${++this.rounds}`;
  }

  /** Arrival order of answers: ties inside one clock tick go to the earlier arrival. */
  arrival(): number {
    return ++this.arrivals;
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** Stores a graded answer, then makes it a review of the learner's FSRS card for the item. */
  async record(
    answer: AnswerRecord,
    signals: Omit<AnswerSignals, 'correct' | 'credit' | 'hints'>,
  ): Promise<{ result: 'recorded' | 'duplicate'; learned?: Learned | undefined }> {
    const result = await this.deps.store.quiz.recordAnswer(answer);
    if (result === 'duplicate' || !this.deps.learning) return { result };
    return { result, learned: await this.deps.learning.record(answer, signals) };
  }

  /**
   * Posts a reply no message asked for; a failure is logged and retried a few times, never thrown. A
   * refusal for good (the app was uninstalled, the channel is gone: `permanent`) is not retried, and
   * `refused` is told, so what posted it can stop.
   */
  post(target: PostTarget, reply: Reply, opts: { refused?: () => void } = {}, attempt = 1): void {
    const { outbox, log, clock } = this.deps;
    if (!outbox) {
      log.warn({ channel: target.channel, code: reply.code }, 'quiz: no outbox, timer reply dropped');
      return;
    }
    let sent: Promise<void>;
    try {
      sent = outbox(target, reply);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.catch((err: unknown) => {
      const permanent = isPermanentPostError(err);
      log.warn({ err, channel: target.channel, platform: target.platform, code: reply.code, attempt, permanent }, 'quiz: posting failed');
      if (permanent) opts.refused?.();
      else if (attempt < 4) clock.setTimer(attempt * 2000, () => this.post(target, reply, opts, attempt + 1));
    });
  }
}

export function playerKey(platform: string, userId: string): string {
  return `${platform}\u0000${userId}`;
}

export function channelKey(platform: string, channel: string): string {
  return `${platform}\u0000${channel}`;
}

/**
 * A display name as plain text: no pings, no control characters, bounded. This is what structured
 * parts (a scoreboard's entries) carry, since each adapter escapes for its own markup; Markdown
 * gets `safeName`.
 */
export function plainName(name: string | undefined, fallback: string): string {
  const cleaned = sanitize(name ?? '')
    .slice(0, 40)
    .trim();
  return cleaned || sanitize(fallback).slice(0, 40) || 'player';
}

/** A display name safe to print in Markdown: plain, then escaped. */
export function safeName(name: string | undefined, fallback: string): string {
  return escapeMarkdown(plainName(name, fallback));
}

/** The answer text kept in the store: cleaned and bounded. */
export function answerText(text: string): string {
  return sanitize(text).slice(0, 200);
}

export function notice(code: string, markdown: string, visibility: Reply['visibility'] = 'private'): Reply {
  return { kind: 'notice', code, markdown, visibility };
}

/** What the store keeps of a graded answer. */
export function answerRecord(
  msg: IncomingMessage,
  q: Question,
  a: Graded,
  rest: Pick<AnswerRecord, 'points' | 'hints' | 'mode' | 'at' | 'seq'> & Partial<Pick<AnswerRecord, 'roundId' | 'number'>>,
): AnswerRecord {
  return {
    questionId: q.id,
    platform: msg.platform,
    workspace: msg.workspace,
    channel: msg.channel.id,
    userId: msg.user.id,
    userName: msg.user.name,
    kind: q.kind,
    itemKey: q.itemKey,
    text: answerText(msg.text),
    correct: a.correct,
    credit: a.credit,
    ...rest,
  };
}
