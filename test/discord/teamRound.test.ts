import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderQuestion } from '../../src/quiz/question.js';
import { MANAGE_CHANNELS, type RestCall } from '../fakes/discord/server.js';
import { startHarness, type Harness } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const posts = (h: Harness, channel: string) =>
  h.fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channel}/messages`);
const buttons = (body: any): any[] => (body.components ?? []).flatMap((r: any) => r.components);
const button = (body: any, label: RegExp) => buttons(body).find((b) => label.test(b.label));
/** What a bot message shows, as a person would read it. */
const shown = (body: any) =>
  [
    body.content ?? '',
    ...(body.embeds ?? []).flatMap((e: any) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f: any) => f.value)]),
  ].join('\n');
const PING = /@everyone|@here|<@!?\d|<@&\d/;
const GREEN = 0x2ecc71;

describe('discord: a team round of the real quiz engine in a thread, three players, reconnects in the middle', () => {
  let h: Harness;
  const alice = { id: '500000000000000001', username: 'alice', global_name: 'Alice' };
  const bob = { id: '500000000000000002', username: 'bob', global_name: 'Bob' };
  const mallory = { id: '500000000000000003', username: 'mallory', global_name: '@everyone' };
  let thread = '';
  let q1: RestCall;

  /** The right labels for question `n` of the running round, from what the engine stored. */
  const rightOrder = async (n: number): Promise<string[]> => {
    const [stored] = await h.app.store.quiz.runningRounds();
    const q = stored!.questions.find((x) => x.number === n)!.question as OrderQuestion;
    return q.shown.map((_, pos) => String.fromCharCode(65 + q.shown.indexOf(pos)));
  };

  /** Opens a player's private picker from a question in the thread, presses `labels`, and submits; returns the follow-up grade. */
  const pickOrder = async (who: typeof bob, question: RestCall, labels: string[], undoAfterFirst = false) => {
    const open = h.fake.click(who, { ...question.body, id: '1', channel_id: thread }, button(question.body, /Pick the order/).custom_id);
    await h.fake.waitFor(() => h.fake.callbacksFor(open.id).length === 1);
    let picker = h.fake.callbacksFor(open.id)[0]!.body.data;
    expect(picker.flags & 64).toBe(64);
    const press = async (label: RegExp) => {
      const b = button(picker, label);
      expect(b, `button ${label}`).toBeTruthy();
      const click = h.fake.click(who, { ...picker, id: '2', channel_id: thread, flags: 64 }, b.custom_id);
      await h.fake.waitFor(() => h.fake.callbacksFor(click.id).length === 1);
      const cb = h.fake.callbacksFor(click.id)[0]!;
      expect(cb.status).toBe(204);
      if (cb.body.type === 7) picker = cb.body.data;
      return click;
    };
    for (const [i, l] of labels.entries()) {
      await press(new RegExp(`^${l} ·`));
      if (i === 0 && undoAfterFirst) {
        await press(/^[A-Z] ·/);
        expect(picker.content).toMatch(/So far: \*\*[A-Z]\*\* → \*\*[A-Z]\*\*/);
        await press(/Undo/);
      }
    }
    const submit = await press(/Submit/);
    await h.fake.waitFor(() =>
      h.fake.calls.some((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(submit.token)),
    );
    return h.fake.calls.find((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(submit.token))!.body;
  };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given /quiz start, says so in the channel and opens a thread holding question 1 with a countdown', async () => {
    const { id } = h.fake.slash(alice, h.quizChannel, 'quiz', { questions: 3, kind: 'order' }, 'start', MANAGE_CHANNELS);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0 && h.fake.threads.length === 1);
    thread = h.fake.threads[0]!.id;
    expect(h.fake.threads[0]!.parent_id).toBe(h.quizChannel);
    await h.fake.waitFor(() => posts(h, thread).length === 1);
    const cb = h.fake.callbacksFor(id)[0]!;
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.content).toContain(`<#${thread}>`);
    q1 = posts(h, thread)[0]!;
    expect(q1.body.embeds[0].title).toMatch(/1\/3/);
    expect(q1.body.embeds[0].description).toMatch(/<t:\d+:R>/);
    expect(q1.body.embeds[0].description).toMatch(/Team round/);
    expect(button(q1.body, /Pick the order/)).toBeTruthy();
    expect(posts(h, h.quizChannel)).toHaveLength(0);
  });

  it('given step buttons, Bob picks (with an undo) and submits the right order: his grade is for him alone', async () => {
    const grade = await pickOrder(bob, q1, await rightOrder(1), true);
    expect(grade.flags & 64).toBe(64);
    expect(grade.embeds[0].color).toBe(GREEN);
    expect(shown(grade)).toMatch(/정답/);
  });

  it('given Alice types the labels in the thread, she gets a receipt there, not the verdict', async () => {
    const message = h.fake.say(alice, thread, (await rightOrder(1)).join(' '));
    await h.fake.waitFor(() => h.fake.reactions.some((r) => r.message === message));
    expect(h.fake.reactions.find((r) => r.message === message)!.channel).toBe(thread);
    expect(posts(h, thread)).toHaveLength(1);
  });

  it('given hostile text typed in the thread, nothing the bot says can ping', async () => {
    const before = posts(h, thread).length + h.fake.reactions.length;
    h.fake.say(mallory, thread, '@everyone <@123> <@&456> @here A B');
    await h.fake.waitFor(() => posts(h, thread).length + h.fake.reactions.length > before, 3000, 'an answer to the hostile text');
    expect(shown(posts(h, thread).at(-1)!.body)).toMatch(/labels|라벨/);
    for (const p of posts(h, thread).slice(1)) {
      expect(p.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
      expect(shown(p.body)).not.toMatch(PING);
    }
  });

  it('given the gateway drops mid-round, the round goes on: question 2 still arrives and an answer typed meanwhile is replayed on resume', async () => {
    const identifies = h.fake.identifies;
    const before = posts(h, thread).length;
    h.fake.dropConnection();
    h.clock.advance(30_000);
    // The scoreboard for question 1, then question 2: sent over REST while the gateway is down.
    await h.fake.waitFor(() => posts(h, thread).length === before + 2, 5000, 'question 2');
    const board = posts(h, thread)[before]!;
    expect(board.body.embeds[0].title).toMatch(/점수판|Scoreboard/);
    expect(shown(board.body)).toMatch(/Bob/);
    const message = h.fake.say(alice, thread, (await rightOrder(2)).join(' '));
    await h.fake.waitFor(() => h.fake.resumes === 1, 10_000, 'resume');
    expect(h.fake.identifies).toBe(identifies);
    await h.fake.waitFor(() => h.fake.reactions.some((r) => r.message === message), 5000, 'replayed answer received');
    expect(h.adapter.ready()).toBe(true);
  });

  it('given Discord asks for a reconnect, the next players still answer with the buttons', async () => {
    h.fake.requestReconnect();
    await h.fake.waitFor(() => h.fake.resumes === 2, 10_000, 'second resume');
    const q2 = posts(h, thread).at(-1)!;
    expect(q2.body.embeds[0].title).toMatch(/2\/3/);
    const right = await rightOrder(2);
    const wrong = await pickOrder(bob, q2, [...right].reverse());
    expect(wrong.flags & 64).toBe(64);
    expect(wrong.embeds[0].color).not.toBe(GREEN);
    const malloryGrade = await pickOrder(mallory, q2, right);
    expect(malloryGrade.embeds[0].color).toBe(GREEN);
  });

  it('given an oversize typed answer, the bot stays within Discord limits', async () => {
    h.clock.advance(30_000);
    await h.fake.waitFor(() => posts(h, thread).some((p) => /3\/3/.test(p.body.embeds?.[0]?.title ?? '')), 5000, 'question 3');
    h.fake.say(bob, thread, 'A B C D E F G H '.repeat(700));
    await sleep(300);
    expect(h.fake.calls.filter((c) => c.status >= 400)).toEqual([]);
  });

  it('given the last timer, the final scoreboard goes to the thread and the channel, pinging nobody', async () => {
    h.clock.advance(30_000);
    await h.fake.waitFor(() => posts(h, h.quizChannel).length >= 1, 5000, 'final scoreboard in the channel');
    const final = posts(h, h.quizChannel)[0]!;
    expect(final.body.embeds[0].title).toMatch(/최종|Final/);
    expect(shown(final.body)).toMatch(/Alice/);
    expect(shown(final.body)).not.toMatch(PING);
    expect(final.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(posts(h, thread).some((p) => /최종|Final/.test(p.body.embeds?.[0]?.title ?? ''))).toBe(true);
  });

  it('given a click on a button from the finished round, answers politely and only to the clicker', async () => {
    const { id } = h.fake.click(alice, { ...q1.body, id: '1', channel_id: thread }, button(q1.body, /Pick the order/).custom_id);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    const cb = h.fake.callbacksFor(id)[0]!;
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/끝났어요|is over/);
  });

  it('given /leaderboard for the server, lists the players', async () => {
    const { id } = h.fake.slash(bob, h.general, 'leaderboard', { period: 'all' });
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    const text = shown(h.fake.callbacksFor(id)[0]!.body.data);
    expect(text).toMatch(/Alice/);
    expect(text).not.toMatch(PING);
  });

  it('answered every interaction exactly once, and Discord accepted every call', () => {
    expect(h.fake.calls.filter((c) => c.status >= 400)).toEqual([]);
    const callbacks = h.fake.calls.filter((c) => /\/callback$/.test(c.path)).map((c) => c.path);
    expect(new Set(callbacks).size).toBe(callbacks.length);
    // Every message the bot made, however it made it, turned pings off.
    const made = h.fake.messagesMade();
    expect(made.length).toBeGreaterThan(20);
    for (const body of made) expect(body.allowed_mentions?.parse, JSON.stringify(body).slice(0, 200)).toEqual([]);
  });
});
