/**
 * `npm run bench:quiz`: 50 channels, each with a team round (the 8-step ordering drill), and 30
 * players per channel answering within the same second (one clock tick), every answer sent twice.
 * Checks, exiting non-zero on failure: every answer counted exactly once (store and replies), the
 * copies refused, ties going to the earlier answer. Prints answers per second for the burst and
 * grading latency (p50/p99) per answer, against a baseline measured in the same run: the bare
 * grading function on the same answers, without router, store or replies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { expectedOf, grade } from '../src/quiz/grade.js';
import { isQuestion, type Question } from '../src/quiz/question.js';
import type { Reply } from '../src/reply.js';

const CHANNELS = 50;
const PLAYERS = 30;
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Planned {
  channel: string;
  user: string;
  text: string;
}

async function setup(dataDir: string): Promise<{ app: App; clock: ManualClock; posted: Reply[]; questions: Map<string, Question> }> {
  const clock = new ManualClock();
  const posted: Reply[] = [];
  const app = await createApp({ log: silentLogger, clock, seed: 42, dataDir, outbox: async (_t, r) => void posted.push(r) });
  for (let c = 0; c < CHANNELS; c++) {
    const [r] = await app.tutor.handle({
      platform: 'bench',
      user: { id: 'host' },
      channel: { id: `c${c}` },
      workspace: 'w',
      text: '/quiz start 1 order 파드 생성 과정',
      canManage: true,
    });
    if (r?.kind !== 'quiz') throw new Error(`round did not start in c${c}: ${r?.code}`);
  }
  const questions = new Map<string, Question>();
  for (const r of await app.store.quiz.runningRounds()) {
    const q = r.questions[0]!.question;
    if (isQuestion(q)) questions.set(r.round.channel, q);
  }
  return { app, clock, posted, questions };
}

/** Two in three players give the right order (various spellings), the rest a near miss or a reversed order. */
function plan(questions: Map<string, Question>): Planned[] {
  const out: Planned[] = [];
  for (let p = 0; p < PLAYERS; p++) {
    for (let c = 0; c < CHANNELS; c++) {
      const channel = `c${c}`;
      const expected = expectedOf(questions.get(channel)!) as string[];
      const forms = [
        expected.join(' '),
        expected.join(',').toLowerCase(),
        expected.map((l) => l.charCodeAt(0) - 64).join(' '),
        [expected[1], expected[0], ...expected.slice(2)].join(' '),
        [...expected].reverse().join(' '),
      ];
      out.push({ channel, user: `p${p}`, text: forms[p % 3 === 2 ? 3 + (p % 2) : p % 3]! });
    }
  }
  return out;
}

const send = (app: App, a: Planned) =>
  app.tutor.handle({ platform: 'bench', user: { id: a.user, name: a.user }, channel: { id: a.channel }, workspace: 'w', text: a.text });

async function burst(): Promise<{ seconds: number; answers: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'quiz-bench-'));
  const { app, clock, posted, questions } = await setup(dir);
  const answers = plan(questions);
  const t0 = performance.now();
  // Every answer twice, all at once: the copies must be refused, the originals counted once.
  const replies = await Promise.all([...answers, ...answers].map((a) => send(app, a)));
  const seconds = (performance.now() - t0) / 1000;

  const graded = replies.slice(0, answers.length);
  const copies = replies.slice(answers.length);
  check(
    graded.every((r) => r.length === 1 && r[0]!.kind === 'grade'),
    'every first answer got exactly one grade',
  );
  check(
    copies.every((r) => r.length === 1 && r[0]!.code === 'quiz.answered'),
    'every copy was refused as already answered',
  );

  for (let c = 0; c < CHANNELS; c++) {
    const channel = `c${c}`;
    const stored = await app.store.quiz.roundAnswers(`r1-${c + 1}`);
    check(stored.length === PLAYERS, `${channel}: ${stored.length} answers stored, expected ${PLAYERS}`);
    check(new Set(stored.map((a) => a.userId)).size === PLAYERS, `${channel}: an answer was doubled`);
    // Ties go to the earlier answer: in arrival order, points never rise, and the first right answer has the most.
    const inOrder = graded.map((r, i) => ({ a: answers[i]!, g: r[0]!.grade! })).filter((x) => x.a.channel === channel);
    const right = inOrder.filter((x) => x.g.correct).map((x) => x.g.points);
    check(
      right.every((p, i) => i === 0 || p <= right[i - 1]!),
      `${channel}: a later right answer scored more than an earlier one`,
    );
    check(right[0] === 100 && right[1]! < 100, `${channel}: the first right answer did not earn the most`);
  }
  clock.advance(30_000);
  const finals = posted.filter((r) => r.scoreboard?.final);
  check(finals.length === CHANNELS, `${finals.length} final scoreboards posted, expected ${CHANNELS}`);
  for (const f of finals) {
    const e = f.scoreboard!.entries;
    check(e.length === PLAYERS, 'a final scoreboard lost or doubled a player');
    // Equal totals: the player who answered first (lower pN, since players answer in order) ranks higher.
    check(
      e.every((x, i) => i === 0 || e[i - 1]!.points > x.points || Number(e[i - 1]!.user.slice(1)) < Number(x.user.slice(1))),
      'a tie on the scoreboard did not go to the earlier answer',
    );
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, answers: answers.length };
}

async function latency(): Promise<{ full: number[]; bare: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'quiz-bench-'));
  const { app, questions } = await setup(dir);
  const answers = plan(questions);
  const full: number[] = [];
  for (const a of answers) {
    const t = performance.now();
    const [r] = await send(app, a);
    full.push(performance.now() - t);
    check(r?.kind === 'grade', 'sequential answer not graded');
  }
  // Baseline in the same run: the grading function alone on the same answers.
  const index = app.tutor.index;
  const bare: number[] = [];
  for (const a of answers) {
    const t = performance.now();
    grade(questions.get(a.channel)!, a.text, { index, team: true });
    bare.push(performance.now() - t);
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return { full: full.sort((x, y) => x - y), bare: bare.sort((x, y) => x - y) };
}

const b = await burst();
const l = await latency();
const ms = (x: number) => `${x.toFixed(3)} ms`;
const rate = b.answers / b.seconds;
console.log(`quiz bench: ${CHANNELS} channels × ${PLAYERS} players, each answer sent twice, file-backed SQLite (WAL)`);
console.log(
  `burst:    ${b.answers} answers (+${b.answers} refused copies) in ${(b.seconds * 1000).toFixed(0)} ms → ${rate.toFixed(0)} answers/s (copies included: ${((2 * b.answers) / b.seconds).toFixed(0)} lines/s)`,
);
console.log(
  `latency:  full path (router, grading, store write, reply) p50 ${ms(percentile(l.full, 50))}, p99 ${ms(percentile(l.full, 99))}`,
);
console.log(`baseline: grading function alone p50 ${ms(percentile(l.bare, 50))}, p99 ${ms(percentile(l.bare, 99))}`);
console.log(
  `ratio:    full path p99 is ${(percentile(l.full, 99) / Math.max(percentile(l.bare, 99), 1e-6)).toFixed(1)}× the bare grading p99`,
);
if (failures.length) {
  console.error(`FAILED (${failures.length}):\n- ${[...new Set(failures)].slice(0, 20).join('\n- ')}`);
  process.exit(1);
}
console.log('checks:   every answer counted exactly once, copies refused, ties to the earlier answer — ok');
