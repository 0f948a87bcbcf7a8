import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { expectedOf } from '../../src/quiz/grade.js';
import { isQuestion } from '../../src/quiz/question.js';
import type { PostTarget, Reply } from '../../src/reply.js';

export interface Posted {
  target: PostTarget;
  reply: Reply;
}

export interface Harness {
  app: App;
  clock: ManualClock;
  posted: Posted[];
  say(user: string, text: string, channel?: string, extra?: { name?: string; canManage?: boolean; workspace?: string }): Promise<Reply[]>;
  /** Seconds forward; timers fire on the way. */
  tick(seconds: number): void;
  close(): Promise<void>;
}

/** The real app (notes, search, store, quiz) on a manual clock, with an outbox that records what timers post. */
export async function harness(
  opts: {
    seed?: number;
    dataDir?: string;
    start?: number;
    quizSeconds?: number;
    /** What the platform answers a post with: an error to throw (recorded in `posted` all the same), or nothing. */
    refuse?: (target: PostTarget, reply: Reply) => Error | undefined;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(opts.start);
  const posted: Posted[] = [];
  const app = await createApp({
    log: silentLogger,
    clock,
    seed: opts.seed ?? 1,
    dataDir: opts.dataDir,
    quizSeconds: opts.quizSeconds,
    outbox: async (target, reply) => {
      posted.push({ target, reply });
      const refused = opts.refuse?.(target, reply);
      if (refused) throw refused;
    },
  });
  return {
    app,
    clock,
    posted,
    say: (user, text, channel = 'general', extra = {}) =>
      app.tutor.handle({
        platform: 'test',
        user: { id: user, name: extra.name ?? user },
        channel: { id: channel },
        workspace: extra.workspace ?? 'ws',
        text,
        canManage: extra.canManage ?? false,
      }),
    tick: (seconds) => clock.advance(seconds * 1000),
    close: () => app.close(),
  };
}

/** The labels in the right order for an ordering question, read from the question itself. */
export function one(replies: Reply[]): Reply {
  if (replies.length !== 1) throw new Error(`expected one reply, got ${replies.length}: ${replies.map((r) => r.code).join(', ')}`);
  return replies[0]!;
}

/**
 * The right answer to the question a sequence of commands leads to, read from a twin app with the
 * same seed (same questions, same shuffles): answer it badly there and read `grade.expected`.
 */
export async function peekExpected(seed: number, commands: string[], junk = 'zzzz'): Promise<string[] | string> {
  const twin = await harness({ seed });
  try {
    for (const c of commands) await twin.say('peek', c);
    const [r] = await twin.say('peek', junk);
    if (!r?.grade) throw new Error(`the twin did not grade: ${r?.code}`);
    return r.grade.expected;
  } finally {
    await twin.close();
  }
}

/** The right answer to the open question of the round in `channel`, read from what the store holds. */
export async function roundExpected(h: Harness, channel = 'general'): Promise<string[] | string> {
  const rounds = await h.app.store.quiz.runningRounds();
  const r = rounds.find((x) => x.round.channel === channel);
  if (!r) throw new Error(`no running round in ${channel}`);
  const q = r.questions.find((x) => x.number === r.round.current)!.question;
  if (!isQuestion(q)) throw new Error('stored question unreadable');
  return expectedOf(q);
}

export function asAnswer(expected: string[] | string): string {
  return Array.isArray(expected) ? expected.join(' ') : expected;
}
