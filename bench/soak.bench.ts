/**
 * `npm run bench:soak`: the real app (createApp: notes, search, store on disk, quiz, daily, fair
 * limits) on a manual clock, driven by 10,000 simulated users in 500 channels for 30 minutes of
 * simulated time: lookups, solo quizzes (asked, then answered), team rounds (started, answered
 * while their timers run, left to end) and chatter. Prints RSS (after a full GC, when node runs with
 * --expose-gc, as the npm script does) at simulated minute 5 and at the end; the goal is the end
 * within 10% of minute 5, i.e. nothing the conversations leave behind accumulates.
 *
 *   npm run bench:soak -- [--users 10000] [--channels 500] [--minutes 30] [--rate 60] [--max-seconds 600]
 *
 * --rate is events per simulated second. It stops by itself: at the end of the simulated time, or
 * after --max-seconds of wall time (then it says so and prints what it measured). No network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import type { IncomingMessage } from '../src/message.js';
import type { PostTarget, Reply } from '../src/reply.js';
import { createRng } from '../src/quiz/rng.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const USERS = arg('users', 10_000);
const CHANNELS = arg('channels', 500);
const MINUTES = arg('minutes', 30);
const RATE = arg('rate', 60);
const MAX_SECONDS = arg('max-seconds', 600);

/** A deterministic generator, so two runs drive the same conversations. */
const rng = (seed: number): (() => number) => createRng(seed).next;

const CHATTER = [
  'gg that was fun',
  'ㅋㅋㅋ 어렵다',
  'who is winning?',
  '다음 문제 언제 나와요',
  'brb coffee',
  '<!channel> lol',
  '@everyone hi',
  'etcd 얘기 하던 중',
  '```kubectl get pods```',
  '',
];

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function main(): Promise<void> {
  const random = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'tutor-soak-'));
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  /** The question each channel's round asked last (what its players answer), by channel. */
  const roundQuestion = new Map<string, Reply>();
  let posts = 0;
  const outbox = async (target: PostTarget, reply: Reply) => {
    posts += 1;
    if (reply.quiz?.roundId) roundQuestion.set(target.channel, reply);
    if (reply.scoreboard?.final) roundQuestion.delete(target.channel);
  };
  const app = await createApp({ log: silentLogger, clock, dataDir, seed: 7, quizSeconds: 30, outbox, dailyPlatforms: [] });
  const titles = app.knowledge.concepts.flatMap((c) => [c.title.ko, c.title.en, c.id]);
  /** Each user's open solo question, answered on their next turn. Bounded by the number of users. */
  const solo = new Map<number, Reply>();
  const counts = { lookup: 0, soloAsk: 0, soloAnswer: 0, roundStart: 0, roundAnswer: 0, chatter: 0, limited: 0, replies: 0 };

  const say = async (user: number, text: string, thread?: string): Promise<Reply[]> => {
    const msg: IncomingMessage = {
      platform: 'slack',
      user: { id: `U${user}`, name: `user ${user}` },
      channel: { id: `C${user % CHANNELS}` },
      workspace: 'T1',
      ...(thread ? { thread } : {}),
      text,
    };
    const replies = await app.tutor.handle(msg);
    counts.replies += replies.length;
    if (replies.length === 0 || replies.some((r) => r.code?.startsWith('limit.'))) counts.limited += 1;
    return replies;
  };
  const answerFor = (q: Reply): string => {
    const items = q.quiz?.items ?? [];
    if (q.quiz?.kind === 'order') return [...items.map((i) => i.label)].sort(() => random() - 0.5).join(' ');
    if (items.length > 0) return pick(items).label;
    return pick(titles);
  };

  const act = async (): Promise<void> => {
    const user = Math.floor(random() * USERS);
    const channel = `C${user % CHANNELS}`;
    const open = solo.get(user);
    if (open) {
      solo.delete(user);
      counts.soloAnswer += 1;
      await say(user, answerFor(open));
      return;
    }
    const round = roundQuestion.get(channel);
    const r = random();
    if (round && r < 0.5) {
      counts.roundAnswer += 1;
      await say(user, answerFor(round), round.thread);
    } else if (r < 0.45) {
      counts.lookup += 1;
      await say(user, `/k8s ${pick(titles)}`);
    } else if (r < 0.65) {
      counts.soloAsk += 1;
      const q = (await say(user, pick(['/quiz', '/quiz order', '/quiz choice', '/quiz recall', '/quiz class']))).find(
        (x) => x.kind === 'quiz' && !x.quiz?.roundId,
      );
      if (q) solo.set(user, q);
    } else if (r < 0.67 && !round) {
      counts.roundStart += 1;
      await say(user, `/quiz start ${1 + Math.floor(random() * 5)}`);
    } else {
      counts.chatter += 1;
      await say(user, pick(CHATTER), round?.thread);
    }
  };

  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1000;
  const seconds = MINUTES * 60;
  let rss5: number | undefined;
  let heap5: number | undefined;
  let simulated = 0;
  let carry = 0;
  for (; simulated < seconds && performance.now() < deadline; simulated++) {
    carry += RATE;
    for (; carry >= 1; carry--) await act();
    clock.advance(1000);
    if (simulated + 1 === 5 * 60) {
      rss5 = rssMb();
      heap5 = heapMb();
    }
    // Let the limiter's timers and the store's work run between simulated seconds.
    if (simulated % 10 === 0) await new Promise((r) => setImmediate(r));
  }
  const wall = (performance.now() - started) / 1000;
  const rssEnd = rssMb();
  const heapEnd = heapMb();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });

  const events = Object.entries(counts)
    .filter(([k]) => !['limited', 'replies'].includes(k))
    .reduce((n, [, v]) => n + v, 0);
  const done = simulated >= seconds;
  const growth = rss5 ? (rssEnd / rss5 - 1) * 100 : NaN;
  const lines = [
    `soak: ${USERS} users in ${CHANNELS} channels, ${MINUTES} simulated minutes at ${RATE} events per simulated second; real app (createApp), store on disk, manual clock`,
    `machine: ${cpus().length} CPUs shared with other work (during development, up to 8 helpers' tests and builds); RSS after a full GC${(globalThis as { gc?: unknown }).gc ? '' : ' (NOT available: run with node --expose-gc)'}`,
    `${done ? 'ran' : `STOPPED by --max-seconds ${MAX_SECONDS} at`} simulated minute ${(simulated / 60).toFixed(1)} in ${wall.toFixed(0)} s of wall time: ${events} events (${counts.lookup} lookups, ${counts.soloAsk} solo questions, ${counts.soloAnswer} solo answers, ${counts.roundStart} round starts, ${counts.roundAnswer} round answers, ${counts.chatter} chatter), ${counts.replies} replies, ${posts} timer posts, ${counts.limited} events limited or unanswered`,
    `RSS at minute 5: ${rss5?.toFixed(1) ?? 'n/a'} MB (heap ${heap5?.toFixed(1) ?? 'n/a'} MB); at the end: ${rssEnd.toFixed(1)} MB (heap ${heapEnd.toFixed(1)} MB)`,
    `${Number.isFinite(growth) && growth <= 10 ? 'PASS' : 'MISS'} RSS at the end within 10% of minute 5: ${Number.isFinite(growth) ? `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%` : 'n/a'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
