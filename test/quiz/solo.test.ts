import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/reply.js';
import { DAY_MS } from '../../src/quiz/review.js';
import { harness, one, peekExpected, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const expectedOf = (r: Reply) => r.grade!.expected;

describe('solo questions', () => {
  it('asks an ordering drill privately, with labels A… over shuffled steps', async () => {
    h = await harness();
    const q = one(await h.say('ana', '/quiz order 파드 생성 과정'));
    expect(q).toMatchObject({ kind: 'quiz', visibility: 'private', quiz: { kind: 'order' } });
    expect(q.quiz!.items.map((i) => i.label)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(q.quiz!.roundId).toBeUndefined();
  });

  it('grades the exact order with full points and shows the card', async () => {
    h = await harness();
    await h.say('ana', '/quiz order 파드 생성 과정');
    // A wrong answer first would close the question: read the expected order from a throwaway wrong answer on a twin app instead.
    const twin = await harness();
    await twin.say('ana', '/quiz order 파드 생성 과정');
    const expected = expectedOf(one(await twin.say('ana', 'A B C D E F G H'))) as string[];
    await twin.close();
    const graded = one(await h.say('ana', expected.join(' ')));
    expect(graded).toMatchObject({ kind: 'grade', visibility: 'private', grade: { user: 'ana', correct: true, points: 10, expected } });
    expect(graded.card?.id).toBe('pod-creation');
    expect(graded.markdown).toContain('올바른 순서 / Correct order');
    expect(graded.markdown).toContain('Why:');
  });

  it('explains partial credit and the first wrong position for a near miss', async () => {
    h = await harness({ seed: 3 });
    await h.say('ana', '/quiz order 파드 생성 과정');
    const twin = await harness({ seed: 3 });
    await twin.say('ana', '/quiz order 파드 생성 과정');
    const expected = expectedOf(one(await twin.say('ana', 'A B C D E F G H'))) as string[];
    await twin.close();
    const swapped = [expected[1]!, expected[0]!, ...expected.slice(2)];
    const graded = one(await h.say('ana', swapped.join(' ')));
    expect(graded.grade).toMatchObject({ correct: false, expected });
    expect(graded.grade!.points).toBeGreaterThan(0);
    expect(graded.grade!.points).toBeLessThan(10);
    expect(graded.markdown).toContain('First wrong position: 1st');
    expect(graded.markdown).toContain('longest run of steps in the right relative order is 7 of 8');
  });

  it('answers malformed label answers clearly and keeps the question open', async () => {
    h = await harness();
    await h.say('ana', '/quiz order 파드 생성 과정');
    expect(one(await h.say('ana', 'A B C')).code).toBe('quiz.invalid.labels.count');
    expect(one(await h.say('ana', 'A A B C D E F G')).code).toBe('quiz.invalid.labels.duplicate');
    expect(one(await h.say('ana', 'A B C D E F G Z')).code).toBe('quiz.invalid.labels.range');
    const graded = one(await h.say('ana', 'H G F E D C B A'));
    expect(graded.kind).toBe('grade');
  });

  it('tells a player who answers twice that the answer was already counted', async () => {
    h = await harness();
    await h.say('ana', '/quiz order 파드 생성 과정');
    expect(one(await h.say('ana', 'A B C D E F G H')).kind).toBe('grade');
    const again = one(await h.say('ana', 'A B C D E F G H'));
    expect(again.code).toBe('quiz.answered');
  });

  it('says there is no open question when labels arrive out of the blue', async () => {
    h = await harness();
    expect(one(await h.say('ana', 'C A B D')).code).toBe('quiz.noQuestion');
  });

  it('takes a recall answer in Korean or English', async () => {
    h = await harness({ seed: 11 });
    const q = one(await h.say('ana', '/quiz recall etcd'));
    expect(q.quiz!.kind).toBe('recall');
    // The topic etcd brings its neighbours; answer with whatever the expected title is.
    const twin = await harness({ seed: 11 });
    await twin.say('ana', '/quiz recall etcd');
    const expected = one(await twin.say('ana', 'zzzz')).grade!.expected as string;
    await twin.close();
    const graded = one(await h.say('ana', expected.toUpperCase()));
    expect(graded.grade).toMatchObject({ correct: true, points: 10 });
  });

  it('charges for hints: each one takes a quarter of the points', async () => {
    h = await harness({ seed: 4 });
    await h.say('ana', '/quiz order 파드 생성 과정');
    const hint = one(await h.say('ana', '/hint'));
    expect(hint.code).toBe('quiz.hint');
    expect(hint.markdown).toMatch(/Step 1 is \*\*[A-H]\*\*/);
    const twin = await harness({ seed: 4 });
    await twin.say('ana', '/quiz order 파드 생성 과정');
    const expected = one(await twin.say('ana', 'A B C D E F G H')).grade!.expected as string[];
    await twin.close();
    expect(one(await h.say('ana', expected.join(' '))).grade).toMatchObject({ correct: true, points: 7 });
  });
});

describe('review queue (FSRS)', () => {
  it('brings a missed item back within the sitting, then spaces it by days once it is right', async () => {
    const expected = (await peekExpected(2, ['/quiz choice kubelet'], 'A')) as string;
    const wrong = expected === 'A' ? 'B' : 'A';
    h = await harness({ seed: 2 });
    await h.say('ana', '/quiz choice kubelet');
    const missed = one(await h.say('ana', wrong));
    expect(missed.grade!.correct).toBe(false);
    expect(missed.markdown).toContain('Rated Again');
    expect(one(await h.say('ana', '/review')).code).toBe('quiz.review.notDue');

    h.tick(11 * 60);
    const [card] = await h.app.store.learning.due('test', 'ana', h.clock.now(), 5);
    expect(card).toMatchObject({ item: 'concept:kubelet', lapses: 0, reps: 1 });
    const review = one(await h.say('ana', '/review'));
    expect(review).toMatchObject({ kind: 'quiz', code: 'quiz.review.question', visibility: 'private' });
    const graded = one(await h.say('ana', 'kubelet'));
    expect(graded.grade!.correct).toBe(true);
    const after = await h.app.store.learning.card('test', 'ana', 'concept:kubelet');
    expect(after!.reps).toBe(2);
    expect(after!.due - h.clock.now()).toBeGreaterThanOrEqual(DAY_MS);
  });
});

describe('leaderboard', () => {
  it('ranks this channel and the whole workspace, week and all time', async () => {
    h = await harness();
    for (const [user, channel] of [
      ['ana', 'c1'],
      ['bo', 'c2'],
    ] as const) {
      await h.say(user, '/quiz order', channel);
      await h.say(user, 'H G F E D C B A', channel);
    }
    const board = one(await h.say('ana', '/leaderboard', 'c1'));
    expect(board.kind).toBe('leaderboard');
    expect(board.markdown).toContain('Whole workspace');
    expect(one(await h.say('ana', '/leaderboard all', 'c1')).code).toBe('leaderboard.all');
    expect(one(await h.say('ana', '/leaderboard yesterday', 'c1')).code).toBe('leaderboard.period');
  });
});
