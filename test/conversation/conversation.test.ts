import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { Actor, ConversationRef, InboundEvent } from '../../src/conversation/event.js';
import { silentLogger } from '../../src/logger.js';
import type { PostTarget, Reply } from '../../src/reply.js';

/** The core's conversation layer with the real quiz, on a manual clock; no adapter. */
async function core(opts: { dataDir?: string; clock?: ManualClock } = {}) {
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 9));
  const posted: { target: PostTarget; reply: Reply }[] = [];
  // The fair limits have tests of their own; these scenarios send more than one person's share on purpose.
  const app = await createApp({
    log: silentLogger,
    clock,
    seed: 3,
    dataDir: opts.dataDir,
    limits: false,
    outbox: async (target, reply) => void posted.push({ target, reply }),
  });
  const where = (over: Partial<ConversationRef> = {}): ConversationRef => ({
    platform: 'test',
    workspace: 'w',
    channel: 'general',
    ...over,
  });
  const send = (
    input: InboundEvent['input'],
    over: Partial<ConversationRef> = {},
    actor: Actor = { id: 'ann', name: 'Ann' },
    id?: string,
  ) => app.tutor.receive({ conversation: where(over), actor, input, ...(id ? { id } : {}) });
  return {
    app,
    clock,
    posted,
    line: (text: string, over: Partial<ConversationRef> = {}, actor?: Actor, addressed = false) =>
      send({ type: 'line', text, addressed }, over, actor),
    command: (text: string, over: Partial<ConversationRef> = {}, actor?: Actor) => send({ type: 'command', command: text }, over, actor),
    action: (action: Extract<InboundEvent['input'], { type: 'action' }>['action'], over: Partial<ConversationRef> = {}, actor?: Actor) =>
      send({ type: 'action', action }, over, actor),
    send,
  };
}

/** The right answer to the open question of the channel's round, from the store. */
async function rightAnswer(app: App, channel = 'general'): Promise<string> {
  const [r] = (await app.store.quiz.runningRounds()).filter((x) => x.round.channel === channel);
  const q = r!.questions.find((x) => x.number === r!.round.current)!.question as { id: string };
  const twin = await app.quiz.rounds.currentQuestion(r!.round.id);
  expect(twin).toBe(q.id);
  const { expectedOf } = await import('../../src/quiz/grade.js');
  const e = expectedOf(q as never);
  return Array.isArray(e) ? e.join(' ') : e;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('the conversation layer decides what a line means, once for every platform', () => {
  it('in a round thread, chatter gets no reply and an answer is graded', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    const started = await c.command('/quiz start 2 choice', { thread: 't1' });
    expect(started.replies[0]!.quiz?.roundId).toBeDefined();
    const chatter = await c.line('gg that was fun', { thread: 't1' }, { id: 'bo' });
    expect(chatter).toEqual({ verdict: 'ignored', replies: [] });
    const answer = await c.line(await rightAnswer(c.app), { thread: 't1' }, { id: 'bo' });
    expect(answer.replies[0]!.grade?.correct).toBe(true);
  });

  it('an answer typed in a round thread is graded on a replica that does not own the round, and chatter there stays silent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conversation-replicas-'));
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const owner = await core({ dataDir: dir, clock });
    const other = await core({ dataDir: dir, clock });
    cleanup.push(async () => {
      await other.app.close();
      await owner.app.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await owner.command('/quiz start 2 choice', { thread: 't1' });
    expect(other.app.quiz.rounds.liveRound('test', 'general')).toBeUndefined();
    expect(await other.line('gg', { thread: 't1' }, { id: 'bo' })).toEqual({ verdict: 'ignored', replies: [] });
    const answer = await other.line(await rightAnswer(owner.app), { thread: 't1' }, { id: 'bo' });
    expect(answer.replies[0]!.grade?.correct).toBe(true);
    const [round] = await owner.app.store.quiz.runningRounds();
    expect((await owner.app.store.quiz.roundAnswers(round!.round.id)).map((a) => [a.userId, a.correct])).toEqual([['bo', true]]);
  });

  it('a line in a finished round’s thread never answers the channel’s next round', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    await c.command('/quiz start 1 choice', { thread: 'old' });
    c.clock.advance(31_000);
    await c.command('/quiz start 1 choice', { thread: 'new' });
    const right = await rightAnswer(c.app);
    const inOld = await c.line(right, { thread: 'old' }, { id: 'bo' });
    expect(inOld.replies.some((r) => r.grade)).toBe(false);
    const inNew = await c.line(right, { thread: 'new' }, { id: 'bo' });
    expect(inNew.replies[0]!.grade?.correct).toBe(true);
  });

  it('a solo answer right after a round ended is graded, typed or by button', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    const solo = await c.command('/quiz choice');
    const q = solo.replies[0]!.quiz!;
    await c.command('/quiz start 1 choice', { thread: 't' }, { id: 'bo' });
    c.clock.advance(31_000);
    const typed = await c.line('A', {}, undefined, true);
    expect(typed.replies[0]!.code).not.toBe('quiz.late');
    expect(typed.replies[0]!.grade?.questionId).toBe(q.questionId);

    const again = await c.command('/quiz choice');
    await c.command('/quiz start 1 choice', { thread: 't2' }, { id: 'bo' });
    c.clock.advance(31_000);
    const pressed = await c.action({ type: 'answer', question: again.replies[0]!.quiz!.questionId, value: '0' });
    expect(pressed.replies[0]!.grade?.questionId).toBe(again.replies[0]!.quiz!.questionId);
  });

  it('a button sends only its own question’s labels: a forged value runs nothing', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    const solo = await c.command('/quiz choice');
    const key = solo.replies[0]!.quiz!.questionId;
    expect((await c.action({ type: 'answer', question: key, value: '/quiz start 20 600s' })).verdict).toBe('forged');
    expect((await c.action({ type: 'submit', question: key, labels: ['/quiz', 'start'] })).verdict).toBe('forged');
    expect((await c.action({ type: 'run', command: '/quiz start 20 600s' })).verdict).toBe('forged');
    expect(c.app.quiz.rounds.size).toBe(0);
    expect((await c.action({ type: 'answer', question: key, value: 'A' }, {}, { id: 'mallory' })).replies[0]!.code).toBe('quiz.notYours');
    expect((await c.action({ type: 'answer', question: 'q999-1', value: 'A' })).verdict).toBe('stale');
  });

  it('a drill is picked step by step, kept in the store, and submitted with its own labels', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    const q = (await c.command('/quiz order')).replies[0]!.quiz!;
    const labels = q.items.map((i) => i.label);
    for (const l of labels) await c.action({ type: 'pick', question: q.questionId, label: l });
    const shown = await c.action({ type: 'picker', question: q.questionId });
    expect(shown.picker?.picks).toEqual(labels);
    const done = await c.action({ type: 'submit', question: q.questionId });
    expect(done.replies[0]!.grade).toBeDefined();
    expect((await c.action({ type: 'submit', question: q.questionId })).verdict).toBe('stale');
  });

  it('a retried delivery (same event id) is answered once', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    const first = await c.send({ type: 'line', text: 'etcd', addressed: true }, {}, { id: 'ann' }, 'Ev1');
    const again = await c.send({ type: 'line', text: 'etcd', addressed: true }, {}, { id: 'ann' }, 'Ev1');
    expect(first.replies[0]!.kind).toBe('card');
    expect(again.verdict).toBe('duplicate');
  });

  it('a line not addressed to the bot outside DMs and round threads is ignored; a DM is answered', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    expect((await c.line('etcd')).verdict).toBe('ignored');
    expect((await c.line('etcd', { direct: true, channel: 'D1' })).replies[0]!.kind).toBe('card');
  });

  it('rounds run only in shared channels, and managers may stop one they did not start', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    expect((await c.command('/quiz start', { direct: true, channel: 'D1' })).replies[0]!.code).toBe('quiz.round.direct');
    await c.command('/quiz start 20 600s', { thread: 't' });
    expect((await c.command('/quiz stop', {}, { id: 'bo', manager: async () => false })).replies[0]!.code).toBe('quiz.round.notYours');
    expect((await c.command('/quiz stop', {}, { id: 'cy', manager: async () => true })).replies[0]!.code).toBe('quiz.round.stopped');
  });

  it('after a restart, an old button still answers the resumed round in its own thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conv-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const a = await core({ dataDir: dir, clock });
    const q = (await a.command('/quiz start 2 choice', { thread: 't' })).replies[0]!.quiz!;
    const right = await rightAnswer(a.app);
    await a.app.close();
    const b = await core({ dataDir: dir, clock });
    cleanup.push(() => b.app.close());
    expect(b.posted[0]?.target.thread).toBe('t');
    const pressed = await b.action({ type: 'answer', question: q.questionId, value: right }, {}, { id: 'bo' });
    expect(pressed.replies[0]!.grade?.correct).toBe(true);
    expect(pressed.where?.thread).toBe('t');
  });

  it('expired conversation state is swept', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    await c.send({ type: 'line', text: 'etcd', addressed: true }, {}, { id: 'ann' }, 'Ev1');
    await c.command('/quiz choice');
    c.clock.advance(2 * 24 * 60 * 60 * 1000);
    expect(await c.app.store.conversation.sweep(c.clock.now())).toBeGreaterThanOrEqual(3);
  });
});

describe('nothing the conversation keeps in memory grows without bound', () => {
  it('forgets ended rounds once their late window has passed, however many channels played', async () => {
    const c = await core();
    cleanup.push(() => c.app.close());
    for (let i = 0; i < 30; i++) await c.command('/quiz start 1 choice', { channel: `c${i}`, thread: `t${i}` });
    c.clock.advance(31_000);
    expect(c.app.quiz.rounds.recentlyEnded).toBe(30);
    c.clock.advance(3 * 60_000);
    await c.command('/quiz start 1 choice', { channel: 'late', thread: 'tl' });
    c.clock.advance(31_000);
    expect(c.app.quiz.rounds.recentlyEnded).toBe(1);
  });
});
