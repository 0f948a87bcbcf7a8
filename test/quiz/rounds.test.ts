import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PostRejectedError } from '../../src/errors.js';
import { asAnswer, harness, one, roundExpected, type Harness } from './harness.js';

let open: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open) await h.close();
  open = [];
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const make = async (opts: Parameters<typeof harness>[0] = {}) => {
  const h = await harness(opts);
  open.push(h);
  return h;
};

describe('team rounds', () => {
  it('closes a round whose channel refuses its posts for good, without retrying them or posting the next questions', async () => {
    let refusing = false;
    const h = await make({
      refuse: () => (refusing ? new PostRejectedError('not_installed', { permanent: true, reason: 'not_installed' }) : undefined),
    });
    expect(one(await h.say('ana', '/quiz start 5 recall')).quiz).toMatchObject({ number: 1, total: 5 });
    refusing = true; // the workspace uninstalls the app mid-round
    h.tick(31);
    await new Promise((r) => setImmediate(r));
    const tried = h.posted.length;
    expect(tried).toBeGreaterThan(0);
    expect(await h.app.store.quiz.runningRounds()).toEqual([]);
    // No retries of the refused posts, and no further questions.
    h.tick(10 * 60);
    await new Promise((r) => setImmediate(r));
    expect(h.posted.length).toBe(tried);
  });

  it('posts the question in the channel with round, number, total and deadline', async () => {
    const h = await make();
    const q = one(await h.say('ana', '/quiz start 2 order 파드 생성 과정'));
    expect(q).toMatchObject({ kind: 'quiz', visibility: 'channel', quiz: { kind: 'order', number: 1, total: 2 } });
    expect(q.quiz!.roundId).toMatch(/^r\d+-\d+$/);
    expect(q.quiz!.deadline).toBe(h.clock.now() + 30_000);
  });

  it('runs one round per channel: a second start says a round is running', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 2 recall');
    expect(one(await h.say('bo', '/quiz start')).code).toBe('quiz.round.running');
    expect(one(await h.say('bo', '/quiz start', 'other')).kind).toBe('quiz');
  });

  it('gives the first right answer the most points and later right answers fewer, privately', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 1 choice');
    const right = asAnswer(await roundExpected(h));
    const wrong = right === 'A' ? 'B' : 'A';
    const first = one(await h.say('bo', right));
    const second = one(await h.say('cy', right));
    const miss = one(await h.say('di', wrong));
    expect(first).toMatchObject({
      kind: 'grade',
      visibility: 'private',
      grade: { user: 'bo', correct: true, points: 100, expected: right },
    });
    expect(second.grade).toMatchObject({ user: 'cy', correct: true, points: 80 });
    expect(miss.grade).toMatchObject({ correct: false, points: 0 });
    // The answer stays hidden from the channel until time is up.
    expect(first.markdown).not.toContain('정답 / Answer');
  });

  it('tells an answer to the question that just closed, typed as the next one appears, that it was late, and keeps the turn', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 2 order');
    const first = asAnswer(await roundExpected(h));
    h.tick(30);
    const second = asAnswer(await roundExpected(h));
    expect(second).not.toBe(first);
    const late = one(await h.say('bo', first));
    expect(late.code).toBe('quiz.late');
    expect(late.markdown).toMatch(/just closed/);
    const right = one(await h.say('bo', second));
    expect(right.grade).toMatchObject({ correct: true });
    h.tick(5);
    const wrongLater = one(await h.say('cy', first));
    expect(wrongLater.code).not.toBe('quiz.late');
  });

  it('scores ordering drills by partial credit and speed', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 1 order 파드 생성 과정');
    const expected = (await roundExpected(h)) as string[];
    const fast = one(await h.say('bo', expected.join(' ')));
    h.tick(20);
    const nearMiss = [expected[1]!, expected[0]!, ...expected.slice(2)].join(' ');
    const slow = one(await h.say('cy', nearMiss));
    expect(fast.grade).toMatchObject({ correct: true, points: 100, partial: 1 });
    expect(slow.grade!.correct).toBe(false);
    expect(slow.grade!.partial).toBeCloseTo(6 / 7, 3);
    // 100 × 6/7 credit × (0.5 + 0.5 × 10/30) speed × 0.8 for the second scorer.
    expect(slow.grade!.points).toBe(Math.floor(100 * (6 / 7) * (0.5 + 0.5 * (10 / 30)) * 0.8));
  });

  it('refuses a second answer, malformed answers and answers after time is up, without changing scores', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 1 order 파드 생성 과정');
    const expected = (await roundExpected(h)) as string[];
    expect(one(await h.say('bo', 'A B')).code).toBe('quiz.invalid.labels.count');
    expect(one(await h.say('bo', 'A A B C D E F G')).code).toBe('quiz.invalid.labels.duplicate');
    expect(one(await h.say('bo', 'A B C D E F G Q')).code).toBe('quiz.invalid.labels.range');
    expect(one(await h.say('bo', expected.join(' '))).grade!.points).toBe(100);
    expect(one(await h.say('bo', expected.join(' '))).code).toBe('quiz.answered');
    expect(one(await h.say('bo', 'C A B D', 'elsewhere')).code).toBe('quiz.round.elsewhere');
    h.tick(30);
    expect(one(await h.say('cy', expected.join(' '))).code).toBe('quiz.late');
    const roundId = h.posted.at(-1)!.reply.code === 'quiz.round.finished' ? 'r1-1' : '';
    const answers = await h.app.store.quiz.roundAnswers(roundId);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ userId: 'bo', points: 100 });
  });

  it('posts the answer and a scoreboard when time is up, then the next question, then the final scores', async () => {
    const h = await make({ quizSeconds: 20 });
    const q1 = one(await h.say('ana', '/quiz start 2 recall'));
    expect(q1.quiz!.deadline).toBe(h.clock.now() + 20_000);
    await h.say('bo', asAnswer(await roundExpected(h)), 'general', { name: 'Bo <!channel> @everyone' });
    h.tick(20);
    const [board, q2] = h.posted.map((p) => p.reply);
    expect(board).toMatchObject({
      kind: 'scoreboard',
      visibility: 'channel',
      scoreboard: { final: false, entries: [{ user: 'bo', points: 100, rank: 1 }] },
    });
    expect(board!.markdown).toContain('정답 / Answer');
    // Display names never ping.
    expect(board!.markdown).not.toMatch(/<!channel>|@everyone/);
    expect(q2).toMatchObject({ kind: 'quiz', quiz: { number: 2, total: 2 } });
    expect(h.posted[0]!.target).toMatchObject({ platform: 'test', channel: 'general' });
    h.tick(20);
    const final = h.posted[2]!.reply;
    expect(final).toMatchObject({ kind: 'scoreboard', code: 'quiz.round.finished', scoreboard: { final: true } });
    expect(h.app.quiz.rounds.size).toBe(0);
    expect(one(await h.say('ana', '/quiz start 1 recall')).kind).toBe('quiz');
  });

  it('lets the starter or a channel manager stop a round, and keeps the scores', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 3 choice');
    await h.say('bo', asAnswer(await roundExpected(h)));
    expect(one(await h.say('bo', '/quiz stop')).code).toBe('quiz.round.notYours');
    const stopped = one(await h.say('ana', '/quiz stop'));
    expect(stopped).toMatchObject({
      kind: 'scoreboard',
      code: 'quiz.round.stopped',
      visibility: 'channel',
      scoreboard: { final: true, entries: [{ user: 'bo', points: 100 }] },
    });
    expect(h.app.quiz.rounds.size).toBe(0);
    h.tick(60);
    expect(h.posted).toHaveLength(0);
  });

  it('takes a per-round time limit', async () => {
    const h = await make();
    const q = one(await h.say('ana', '/quiz start 1 recall 10s'));
    expect(q.quiz!.deadline).toBe(h.clock.now() + 10_000);
    expect(one(await h.say('ana', '/quiz start 1 recall 2s', 'x')).code).toBe('quiz.args.seconds');
    expect(one(await h.say('ana', '/quiz start 99', 'x')).code).toBe('quiz.args.count');
  });

  it('scores the same answers to rounds in two channels independently', async () => {
    const h = await make();
    await h.say('ana', '/quiz start 1 choice', 'c1');
    await h.say('ana', '/quiz start 1 choice', 'c2');
    const r1 = one(await h.say('bo', asAnswer(await roundExpected(h, 'c1')), 'c1'));
    const r2 = one(await h.say('bo', asAnswer(await roundExpected(h, 'c2')), 'c2'));
    expect(r1.grade!.points).toBe(100);
    expect(r2.grade!.points).toBe(100);
  });
});

describe('a restart in the middle of a round', () => {
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'quiz-restart-'));
    dirs.push(d);
    return d;
  };

  it('resumes a round whose question still has time, keeping answers, and says so', async () => {
    const dataDir = tempDir();
    const first = await make({ dataDir, seed: 5 });
    await first.say('ana', '/quiz start 2 choice');
    const right = asAnswer(await roundExpected(first));
    expect(one(await first.say('bo', right)).grade!.points).toBe(100);
    const at = first.clock.now();
    await first.close();
    open = open.filter((x) => x !== first);

    const second = await make({ dataDir, seed: 5, start: at + 5_000 });
    const [resumed] = second.posted.map((p) => p.reply);
    expect(resumed).toMatchObject({ code: 'quiz.round.resumed', visibility: 'channel', quiz: { number: 1, total: 2 } });
    expect(resumed!.markdown).toContain('resumes');
    expect(one(await second.say('bo', right)).code).toBe('quiz.answered');
    expect(one(await second.say('cy', right)).grade!.points).toBe(80);
    second.tick(25);
    const board = second.posted[1]!.reply;
    expect(board.scoreboard!.entries.map((e) => [e.user, e.points])).toEqual([
      ['bo', 100],
      ['cy', 80],
    ]);
  });

  it('closes a round left too long, with its scores kept, and says so', async () => {
    const dataDir = tempDir();
    const first = await make({ dataDir, seed: 6 });
    await first.say('ana', '/quiz start 3 choice');
    await first.say('bo', asAnswer(await roundExpected(first)));
    const at = first.clock.now();
    await first.close();
    open = open.filter((x) => x !== first);

    const second = await make({ dataDir, seed: 6, start: at + 60 * 60_000 });
    const closed = second.posted[0]!.reply;
    expect(closed).toMatchObject({
      code: 'quiz.round.closed',
      kind: 'scoreboard',
      scoreboard: { final: true, entries: [{ user: 'bo', points: 100 }] },
    });
    expect(closed.markdown).toContain('closed');
    expect(second.app.quiz.rounds.size).toBe(0);
    expect(await second.app.store.quiz.runningRounds()).toHaveLength(0);
    expect(await second.app.store.quiz.roundResults('r1-1')).toEqual([
      { platform: 'test', userId: 'bo', points: 100, rank: 1, correct: 1, answers: 1 },
    ]);
    expect(one(await second.say('ana', '/quiz start 1 recall')).kind).toBe('quiz');
  });
});
