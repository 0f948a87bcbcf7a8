import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import type { OrderQuestion } from '../../src/quiz/question.js';
import { MANAGE_CHANNELS, type FakeDiscord, type RestCall } from '../fakes/discord/server.js';
import { startHttpHarness, type HttpHarness } from './httpHarness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const buttons = (body: any): any[] => (body.components ?? []).flatMap((r: any) => r.components ?? []);
const button = (body: any, label: RegExp) => buttons(body).find((b) => label.test(b.label ?? ''));
const GREEN = 0x2ecc71;

/**
 * DISCORD_GATEWAY=off: the real discord.js client never logs in. The fake Discord signs every
 * interaction (Ed25519) and POSTs it to /discord/interactions; everything the bot says goes over REST.
 */
describe('discord without the gateway: HTTP interactions in, REST out', () => {
  let fake: FakeDiscord;
  let app: App;
  let adapter: DiscordAdapter;
  let clock: ManualClock;
  let general: string;
  let quiz: string;
  let thread = '';
  let q1: RestCall;
  const alice = { id: '500000000000000001', username: 'alice', global_name: 'Alice' };
  const bob = { id: '500000000000000002', username: 'bob', global_name: 'Bob' };
  const posts = (channel: string) => fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channel}/messages`);

  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttpHarness({ typedAnswers: false, gateway: false });
    ({ fake, app, adapter, clock } = h);
    general = fake.guilds[0]!.channels[0]!.id;
    quiz = fake.guilds[0]!.channels[1]!.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const answered = (id: string) => h.answered(id);

  it('turns ready once REST accepts the token, without ever opening the gateway', async () => {
    expect(adapter.ready()).toBe(false);
    await adapter.start();
    expect(adapter.ready()).toBe(true);
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/api/v10/users/@me')).toBe(true);
    expect(fake.calls.some((c) => c.path === '/api/v10/gateway/bot')).toBe(false);
    expect(fake.gatewayConnections).toBe(0);
  });

  it('refuses to start when REST rejects the token, naming DISCORD_TOKEN', async () => {
    const wrong = createDiscordAdapter({
      token: 'not-the-token',
      apiUrl: fake.apiUrl,
      tutor: app.tutor,
      log: silentLogger,
      publicKey: fake.publicKeyHex,
      http: { route: () => undefined },
      typedAnswers: false,
      gateway: false,
    });
    await expect(wrong.start()).rejects.toThrow(/DISCORD_TOKEN was rejected/);
    expect(wrong.ready()).toBe(false);
    await wrong.stop();
  });

  it('will not run without the gateway while typed answers are on, or without the HTTP route', () => {
    const base = { token: fake.token, apiUrl: fake.apiUrl, tutor: app.tutor, log: silentLogger, gateway: false };
    expect(() => createDiscordAdapter({ ...base, publicKey: fake.publicKeyHex, http: { route: () => undefined } })).toThrow(
      /DISCORD_TYPED_ANSWERS=off/,
    );
    expect(() => createDiscordAdapter({ ...base, typedAnswers: false })).toThrow(/DISCORD_PUBLIC_KEY/);
  });

  it('answers a slash command over HTTP: 202, then the card through the callback', async () => {
    const { http: res, callback } = await answered(fake.slash(alice, general, 'k8s', { query: 'etcd' }).id);
    expect(res.status).toBe(202);
    expect(callback.status).toBe(204);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.embeds[0].title).toMatch(/etcd/i);
  });

  it('answers autocomplete over HTTP with concept choices', async () => {
    const { callback } = await answered(fake.autocomplete(alice, general, 'k8s', 'query', '쿠버네티').id);
    expect(callback.body.type).toBe(8);
    expect(callback.body.data.choices[0].value).toBe('kubernetes');
  });

  it('starts a team round: the thread is created over REST and question 1 is posted in it', async () => {
    const { id } = fake.slash(alice, quiz, 'quiz', { questions: 2, kind: 'order' }, 'start', MANAGE_CHANNELS);
    await fake.waitFor(() => fake.callbacksFor(id).length > 0 && fake.threads.length === 1);
    thread = fake.threads[0]!.id;
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${quiz}/threads`)).toHaveLength(1);
    await fake.waitFor(() => posts(thread).length === 1);
    expect(fake.callbacksFor(id)[0]!.body.data.content).toContain(`<#${thread}>`);
    q1 = posts(thread)[0]!;
    expect(q1.body.embeds[0].title).toMatch(/1\/2/);
  });

  it('grades a button answer clicked in the thread (the thread is known from the payload alone), and the round goes on there', async () => {
    const [stored] = await app.store.quiz.runningRounds();
    const q = stored!.questions.find((x) => x.number === 1)!.question as OrderQuestion;
    const right = q.shown.map((_, pos) => String.fromCharCode(65 + q.shown.indexOf(pos)));
    const open = fake.click(bob, { ...q1.body, id: '1', channel_id: thread }, button(q1.body, /Pick the order/).custom_id);
    let picker = (await answered(open.id)).callback.body.data;
    expect(picker.flags & 64).toBe(64);
    let last = open;
    for (const label of [...right, 'Submit']) {
      const b = button(picker, label === 'Submit' ? /Submit/ : new RegExp(`^${label} ·`));
      expect(b, label).toBeTruthy();
      last = fake.click(bob, { ...picker, id: '2', channel_id: thread, flags: 64 }, b.custom_id);
      const cb = (await answered(last.id)).callback;
      if (cb.body.type === 7) picker = cb.body.data;
    }
    const follow = () =>
      fake.calls.find((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(last.token));
    await fake.waitFor(() => Boolean(follow()));
    expect(follow()!.body.flags & 64).toBe(64);
    expect(follow()!.body.embeds[0].color).toBe(GREEN);
    const [after] = await app.store.quiz.runningRounds();
    expect(after!.answers.filter((a) => a.userId === bob.id)).toHaveLength(1);
    // The timer ends question 1: the scoreboard and question 2 go to the same thread over REST.
    clock.advance(30_000);
    await fake.waitFor(() => posts(thread).length === 3, 5000, 'scoreboard and question 2');
    expect(posts(thread)[1]!.body.embeds[0].title).toMatch(/점수판|Scoreboard/);
    expect(JSON.stringify(posts(thread)[1]!.body)).toMatch(/Bob/);
    expect(posts(thread)[2]!.body.embeds[0].title).toMatch(/2\/2/);
    expect(fake.threads).toHaveLength(1);
  });

  it('stops the round from /quiz stop typed in its thread: the thread is read from the payload, discord.js has no channel to give', async () => {
    const { id } = fake.slash(alice, thread, 'quiz', {}, 'stop', MANAGE_CHANNELS);
    await answered(id);
    await fake.waitFor(() => posts(quiz).length >= 1, 5000, 'final scoreboard in the channel');
    expect(posts(quiz)[0]!.body.embeds[0].title).toMatch(/최종|Final/);
    expect(await app.store.quiz.runningRounds()).toHaveLength(0);
  });

  it('posts the concept of the day over REST: /daily on from a manager, then the clock reaches its time', async () => {
    const on = await answered(fake.slash(alice, general, 'daily', { time: '09:00', timezone: 'UTC' }, 'on', MANAGE_CHANNELS).id);
    expect(on.callback.body.data.content).toMatch(/09:00 \(UTC\)/);
    const daily = () => posts(general).filter((c) => c.status === 200 && /Concept of the day/.test(c.body.content ?? ''));
    expect(daily()).toHaveLength(0);

    const next = app.daily.scheduler.nextPost({ timeOfDay: '09:00', zone: 'UTC' });
    clock.advance(next - clock.now() + 1000);
    await app.daily.scheduler.idle();
    await fake.waitFor(() => daily().length === 1, 5000, 'the daily post');
    const [post] = daily();
    expect(post!.body.embeds[0].footer.text).toMatch(/출처 \/ Source/);
    const quizButton = button(post!.body, /Quiz me/);
    const sent = await app.store.daily.posts('discord', general);
    expect(quizButton.custom_id).toBe(`cmd:/quiz ${sent[0]!.conceptId}`);

    // Its quiz button is answered over HTTP as well, privately.
    const press = await answered(fake.click(bob, { ...post!.body, id: '3', channel_id: general }, quizButton.custom_id).id);
    expect(press.callback.body.data.flags & 64).toBe(64);
    expect(press.callback.body.data.embeds[0].title).toMatch(/문제|Question/);
  });

  it('never opened the gateway, and Discord accepted every call', () => {
    expect(fake.gatewayConnections).toBe(0);
    expect(fake.identifies).toBe(0);
    expect(fake.calls.filter((c) => c.status >= 400 && c.path !== '/api/v10/users/@me')).toEqual([]);
  });
});

describe('discord: DISCORD_GATEWAY in the configuration', () => {
  const key = 'ab'.repeat(32);
  it('reads DISCORD_GATEWAY=off with a public key and typed answers off; on by default', () => {
    const off = loadConfig({ DISCORD_TOKEN: 't', DISCORD_PUBLIC_KEY: key, DISCORD_TYPED_ANSWERS: 'off', DISCORD_GATEWAY: 'off' });
    expect(off.discord).toMatchObject({ gateway: false, typedAnswers: false, publicKey: key });
    expect(loadConfig({ DISCORD_TOKEN: 't' }).discord).toMatchObject({ gateway: true });
  });

  it('refuses DISCORD_GATEWAY=off without a public key, with typed answers on, or a bad value, naming the variable and the fix', () => {
    const problem = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the configuration to be rejected');
    };
    expect(problem({ DISCORD_TOKEN: 't', DISCORD_TYPED_ANSWERS: 'off', DISCORD_GATEWAY: 'off' })).toMatch(
      /DISCORD_GATEWAY=off needs DISCORD_PUBLIC_KEY.*Fix:/,
    );
    expect(problem({ DISCORD_TOKEN: 't', DISCORD_PUBLIC_KEY: key, DISCORD_GATEWAY: 'off' })).toMatch(/DISCORD_TYPED_ANSWERS=off/);
    expect(problem({ DISCORD_TOKEN: 't', DISCORD_GATEWAY: 'no' })).toMatch(/DISCORD_GATEWAY must be on or off/);
  });
});
