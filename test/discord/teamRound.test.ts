import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_CHANNELS, type RestCall } from '../fakes/discord/server.js';
import { startHarness, type Harness } from './harness.js';
import { FIXTURES, teamRoundFeature } from './roundFeature.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const posts = (h: Harness, channel: string) => h.fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channel}/messages`);
const buttons = (body: any): any[] => (body.components ?? []).flatMap((r: any) => r.components);
const button = (body: any, label: RegExp) => buttons(body).find((b) => label.test(b.label));
/** What the bot's message shows, as a person would read it. */
const shown = (body: any) => [body.content ?? '', ...(body.embeds ?? []).flatMap((e: any) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f: any) => f.value)])].join('\n');

describe('discord: a team round in a thread, three players, a reconnect in the middle', () => {
  let h: Harness;
  const alice = { id: '500000000000000001', username: 'alice', global_name: 'Alice' };
  const bob = { id: '500000000000000002', username: 'bob', global_name: 'Bob' };
  const mallory = { id: '500000000000000003', username: 'mallory', global_name: '@everyone' };
  let thread = '';
  let firstQuestion: RestCall;

  beforeAll(async () => {
    h = await startHarness({ features: (outbox, clock) => [teamRoundFeature({ outbox, clock })] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given /quiz start, answers in the channel and opens a thread holding question 1 with a countdown', async () => {
    const { id } = h.fake.slash(alice, h.quizChannel, 'quiz', { questions: 3 }, 'start', MANAGE_CHANNELS);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0 && h.fake.threads.length === 1);
    thread = h.fake.threads[0]!.id;
    expect(h.fake.threads[0]!.parent_id).toBe(h.quizChannel);
    await h.fake.waitFor(() => posts(h, thread).length === 1);
    const cb = h.fake.callbacksFor(id)[0]!;
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.content).toContain(`<#${thread}>`);
    firstQuestion = posts(h, thread)[0]!;
    expect(firstQuestion.body.embeds[0].title).toMatch(/1\/3/);
    expect(firstQuestion.body.embeds[0].description).toMatch(/<t:\d+:R>/);
    expect(button(firstQuestion.body, /Pick the order/)).toBeTruthy();
    expect(posts(h, h.quizChannel)).toHaveLength(0);
  });

  it('given step buttons, Bob picks, undoes, picks again and submits: the grade lands in the thread', async () => {
    const open = h.fake.click(bob, { ...firstQuestion.body, id: 'm1', channel_id: thread }, button(firstQuestion.body, /Pick the order/).custom_id);
    await h.fake.waitFor(() => h.fake.callbacksFor(open.id).length === 1);
    let picker = h.fake.callbacksFor(open.id)[0]!.body.data;
    expect(picker.flags & 64).toBe(64);
    const press = async (label: RegExp) => {
      const b = button(picker, label);
      expect(b, `button ${label}`).toBeTruthy();
      const { id } = h.fake.click(bob, { ...picker, id: 'm2', channel_id: thread, flags: 64 }, b.custom_id);
      await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
      const cb = h.fake.callbacksFor(id)[0]!;
      expect(cb.status).toBe(204);
      if (cb.body.type === 7) picker = cb.body.data;
      return id;
    };
    await press(/^C ·/);
    await press(/^B ·/);
    expect(picker.content).toMatch(/\*\*C\*\* → \*\*B\*\*/);
    await press(/Undo/);
    expect(picker.content).not.toMatch(/\*\*B\*\*/);
    for (const l of ['A', 'E', 'B', 'D']) await press(new RegExp(`^${l} ·`));
    expect(button(picker, /Submit/).disabled).toBeFalsy();
    const submit = await press(/Submit/);
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(h.fake.callbacksFor(submit)[0]!.path.split('/')[5]!)));
    const grade = h.fake.allMessages().find((m) => m.webhook === 'POST' && /정답/.test(shown(m)));
    expect(shown(grade)).toMatch(/✅/);
    expect(grade.flags ?? 0).toBe(0);
  });

  it('given hostile text typed in the thread, grades it without ever pinging anyone', async () => {
    h.fake.say(mallory, thread, '@everyone <@123> <@&456> hi @here');
    await h.fake.waitFor(() => posts(h, thread).length === 2);
    const reply = posts(h, thread)[1]!;
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.body.message_reference).toBeTruthy();
    expect(shown(reply.body)).not.toMatch(/@everyone|@here|<@\d|<@&/);
  });

  it('given the gateway drops mid-round, the round goes on: the next question still arrives and typed answers sent meanwhile are replayed on resume', async () => {
    const identifies = h.fake.identifies;
    h.fake.dropConnection();
    h.clock.advance(30_000);
    // Scoreboard then question 2, sent over REST while the gateway is down.
    await h.fake.waitFor(() => posts(h, thread).length === 4, 5000, 'question 2');
    h.fake.say(alice, thread, 'B');
    await h.fake.waitFor(() => h.fake.resumes === 1, 10_000, 'resume');
    expect(h.fake.identifies).toBe(identifies);
    await h.fake.waitFor(() => posts(h, thread).length === 5, 5000, 'replayed answer graded');
    expect(shown(posts(h, thread)[4]!.body)).toMatch(/✅/);
    expect(h.adapter.ready()).toBe(true);
  });

  it('given choice buttons after Discord asks for a reconnect, Bob answers by button', async () => {
    h.fake.requestReconnect();
    await h.fake.waitFor(() => h.fake.resumes === 2, 10_000, 'second resume');
    const q2 = posts(h, thread)[3]!;
    expect(q2.body.embeds[0].title).toMatch(/2\/3/);
    const { id } = h.fake.click(bob, { ...q2.body, id: 'm3', channel_id: thread }, button(q2.body, /^B ·/).custom_id);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    const cb = h.fake.callbacksFor(id)[0]!;
    expect(cb.body.type).toBe(4);
    expect(shown(cb.body.data)).toMatch(/✅/);
  });

  it('given an oversize typed answer, grades it and every message stays within Discord limits', async () => {
    h.clock.advance(30_000);
    await h.fake.waitFor(() => posts(h, thread).length === 7, 5000, 'question 3');
    h.fake.say(bob, thread, `${'kubelet '.repeat(1500)}`);
    await h.fake.waitFor(() => posts(h, thread).length === 8);
    expect(posts(h, thread)[7]!.status).toBe(200);
  });

  it('given the last timer, posts the final scoreboard in the thread and the channel, then a click on an old button is politely stale', async () => {
    h.clock.advance(30_000);
    await h.fake.waitFor(() => posts(h, h.quizChannel).length === 1, 5000, 'final scoreboard in channel');
    const final = posts(h, h.quizChannel)[0]!;
    expect(final.body.embeds[0].title).toMatch(/최종|Final/);
    expect(final.body.embeds[0].description).toMatch(/<@500000000000000002>/);
    expect(final.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const q2 = posts(h, thread)[3]!;
    const { id } = h.fake.click(alice, { ...q2.body, id: 'm3', channel_id: thread }, button(q2.body, /^A ·/).custom_id);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    const cb = h.fake.callbacksFor(id)[0]!;
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/끝났어요|is over/);
  });

  it('never answered an interaction twice, and every REST call was accepted', () => {
    expect(h.fake.calls.filter((c) => c.status >= 400)).toEqual([]);
    expect(FIXTURES).toHaveLength(3);
  });
});
