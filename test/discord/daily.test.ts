import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeChannel } from '../fakes/discord/payloads.js';
import { MANAGE_CHANNELS, MANAGE_GUILD, type RestCall } from '../fakes/discord/server.js';
import { startHarness, type Harness } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The concept of the day on Discord, end to end: the real daily feature wired in createApp, the
 * real discord.js client, the fake Discord on 127.0.0.1, and a ManualClock moved to each slot.
 */
const GUILD = '300000000000000009';
const CH = {
  general: '410000000000000001',
  refused: '410000000000000002',
  gone: '410000000000000003',
  flaky: '410000000000000004',
  archived: '410000000000000005',
};
const channel = (id: string, name: string): FakeChannel => ({ id, name, type: 0, guild_id: GUILD });

const admin = { id: '510000000000000001', username: 'admin', global_name: 'Admin' };
const member = { id: '510000000000000002', username: 'mina', global_name: 'Mina' };
const other = { id: '510000000000000003', username: 'otto', global_name: '@everyone Otto' };

const buttons = (body: any): any[] => (body.components ?? []).flatMap((r: any) => r.components);
const shown = (body: any) =>
  [
    body.content ?? '',
    ...(body.embeds ?? []).flatMap((e: any) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]),
    ]),
  ].join('\n');

describe('discord: the concept of the day', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      fake: {
        guilds: [
          {
            id: GUILD,
            name: 'k8s study',
            channels: [
              channel(CH.general, 'general'),
              channel(CH.refused, 'announcements'),
              channel(CH.gone, 'old'),
              channel(CH.flaky, 'flaky'),
              channel(CH.archived, 'archived'),
            ],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const answer = async (id: string, n = 1): Promise<RestCall[]> => {
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length >= n, 5000, `callback of ${id}`);
    return h.fake.callbacksFor(id);
  };
  const slash = async (who: typeof admin, where: string, sub: string, options: Record<string, string> = {}, permissions?: bigint) => {
    const { id } = h.fake.slash(who, where, 'daily', options, sub, permissions);
    return (await answer(id))[0]!.body.data;
  };
  /** Moves the manual clock to the channel's next slot (plus a second) and lets the scheduler post. */
  const toNextSlot = async (time: string, zone: string) => {
    const next = h.app.daily.scheduler.nextPost({ timeOfDay: time, zone });
    h.clock.advance(next - h.clock.now() + 1000);
    await h.app.daily.scheduler.idle();
  };
  const dailyPosts = (id: string) => h.fake.postsTo(id).filter((c) => c.status === 200 && /Concept of the day/.test(c.body.content ?? ''));

  let post: any;

  it('given /daily on from a member without Manage Server or Manage Channels, refuses politely, privately, and subscribes nothing', async () => {
    const reply = await slash(member, CH.general, 'on', { time: '09:00', timezone: 'UTC' });
    expect(reply.flags & 64).toBe(64);
    expect(reply.content).toMatch(/관리할 수 있는 분만/);
    expect(reply.content).toMatch(/Manage Server or Manage Channels/);
    expect(await h.app.store.daily.subscription('discord', CH.general)).toBeUndefined();
  });

  it('given an admin subscribes the channel, a tick of the clock to 09:00 UTC posts the concept there as an embed with a quiz button', async () => {
    const on = await slash(admin, CH.general, 'on', { time: '09:00', timezone: 'UTC' }, MANAGE_GUILD);
    expect(on.content).toMatch(/09:00 \(UTC\)/);
    expect(await h.app.store.daily.subscription('discord', CH.general)).toMatchObject({
      enabled: true,
      timeOfDay: '09:00',
      zone: 'UTC',
      workspace: GUILD,
    });
    expect(dailyPosts(CH.general)).toHaveLength(0);

    await toNextSlot('09:00', 'UTC');
    await h.fake.waitFor(() => dailyPosts(CH.general).length === 1, 5000, 'the daily post');
    post = { ...dailyPosts(CH.general)[0]!.body };
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect(post.content).toBe(`📅 **오늘의 개념 · Concept of the day** — ${day}`);
    const [embed] = post.embeds;
    expect(embed.title.length).toBeGreaterThan(0);
    expect(embed.footer.text).toMatch(/출처 \/ Source/);
    expect(embed.fields.at(-1).name).toMatch(/Why it matters/);
    const quiz = buttons(post).find((b) => /Quiz me/.test(b.label));
    expect(quiz).toMatchObject({ type: 2, style: 3, label: '🧩 퀴즈 풀기 · Quiz me' });
    expect(quiz.custom_id).toMatch(/^cmd:\/quiz [a-z0-9-]+$/);
    expect(post.allowed_mentions).toEqual({ parse: [], replied_user: false });

    const sent = await h.app.store.daily.posts('discord', CH.general);
    expect(sent).toHaveLength(1);
    expect(quiz.custom_id).toBe(`cmd:/quiz ${sent[0]!.conceptId}`);
  });

  it('given someone presses the quiz button, they alone get one question about that concept, graded privately with its card', async () => {
    const press = h.fake.click(
      other,
      { ...post, id: dailyPosts(CH.general)[0]!.body.id, channel_id: CH.general },
      buttons(post).find((b) => /Quiz me/.test(b.label)).custom_id,
    );
    const q = (await answer(press.id))[0]!.body.data;
    expect(q.flags & 64).toBe(64);
    expect(q.embeds[0].title).toMatch(/문제 · Question/);
    const msg = { ...q, id: '1', channel_id: CH.general };
    const optionButtons = buttons(q).filter((b) => /^ans:/.test(b.custom_id));
    let graded: any[];
    if (optionButtons.length) {
      const { id } = h.fake.click(other, msg, optionButtons[0].custom_id);
      await h.fake.waitFor(() => (h.fake.messages.get(`interaction:${id}`)?.length ?? 0) >= 2, 5000, 'grade and card');
      graded = h.fake.messages.get(`interaction:${id}`)!;
    } else {
      const open = (await answer(h.fake.click(other, msg, buttons(q).find((b) => /^rec:/.test(b.custom_id)).custom_id).id))[0]!.body;
      expect(open.type).toBe(9);
      const { id } = h.fake.submitModal(other, CH.general, open.data.custom_id, { answer: 'zzzz' });
      await h.fake.waitFor(() => (h.fake.messages.get(`interaction:${id}`)?.length ?? 0) >= 2, 5000, 'grade and card');
      graded = h.fake.messages.get(`interaction:${id}`)!;
    }
    for (const m of graded) expect(m.flags & 64).toBe(64);
    // The card shown with the grade is the card of the day: the question was about that concept.
    expect(graded.some((m) => m.embeds?.[0]?.title === post.embeds[0].title)).toBe(true);
    // Nothing about the quiz went to the channel itself.
    expect(dailyPosts(CH.general)).toHaveLength(1);
    expect(h.fake.postsTo(CH.general)).toHaveLength(1);
  });

  it('given a forged action button that would start a round or run another command, answers politely and runs nothing', async () => {
    const msg = { ...post, id: dailyPosts(CH.general)[0]!.body.id, channel_id: CH.general };
    for (const forged of ['cmd:/quiz start 5', 'cmd:/daily off', 'cmd:/quiz stop']) {
      const reply = (await answer(h.fake.click(other, msg, forged).id))[0]!.body.data;
      expect(reply.flags & 64).toBe(64);
      expect(reply.content).toMatch(/아무것도 실행하지 않았어요|nothing was run/);
    }
    expect((await h.app.store.quiz.runningRounds()).length).toBe(0);
    expect((await h.app.store.daily.subscription('discord', CH.general))?.enabled).toBe(true);
  });

  it('given /daily now the same day, answers "already posted" and posts nothing more; /daily status shows it', async () => {
    const now = await slash(admin, CH.general, 'now', {}, MANAGE_CHANNELS);
    expect(now.content).toMatch(/이미 올라왔어요|already posted/);
    const status = await slash(member, CH.general, 'status');
    expect(status.flags & 64).toBe(64);
    expect(status.content).toMatch(/켜짐 · on/);
    expect(status.content).toMatch(/게시됨 · posted/);
    expect(dailyPosts(CH.general)).toHaveLength(1);
  });

  it('given Discord answers 403 Missing Access (50001) for a channel, post() fails for good and the channel is paused, not retried', async () => {
    await slash(admin, CH.refused, 'on', { time: '10:00', timezone: 'UTC' }, MANAGE_GUILD);
    h.fake.refusePosts(CH.refused, 403, 50001, 'Missing Access');
    await toNextSlot('10:00', 'UTC');
    await h.fake.waitFor(() => h.fake.postsTo(CH.refused).length === 1, 5000, 'the refused post');
    await h.app.daily.scheduler.idle();
    expect(h.fake.postsTo(CH.refused)[0]!.status).toBe(403);
    const sub = await h.app.store.daily.subscription('discord', CH.refused);
    expect(sub?.pausedReason).toMatch(/Missing Access/);
    const status = await slash(member, CH.refused, 'status');
    expect(status.content).toMatch(/일시 중지 · paused/);
    expect(status.content).toMatch(/Missing Access/);
    // Hours later (past every retry delay) Discord was asked once, and only once.
    h.clock.advance(3 * 60 * 60_000);
    await h.app.daily.scheduler.idle();
    expect(h.fake.postsTo(CH.refused)).toHaveLength(1);
    const now = await slash(admin, CH.refused, 'now', {}, MANAGE_GUILD);
    expect(now.content).toMatch(/올릴 수 없어요|cannot post/);
  });

  it('given the channel was deleted (404 Unknown Channel, 10003), the channel is paused too', async () => {
    await slash(admin, CH.gone, 'on', { time: '11:00', timezone: 'UTC' }, MANAGE_GUILD);
    h.fake.removeChannel(CH.gone);
    await toNextSlot('11:00', 'UTC');
    await h.fake.waitFor(() => h.fake.postsTo(CH.gone).length === 1, 5000, 'the post to a deleted channel');
    await h.app.daily.scheduler.idle();
    expect(h.fake.postsTo(CH.gone)[0]!.status).toBe(404);
    expect((await h.app.store.daily.subscription('discord', CH.gone))?.pausedReason).toMatch(/Unknown Channel/);
  });

  it('given Discord answers 400 with 50083 (an archived thread), the post is refused for good as well', async () => {
    await slash(admin, CH.archived, 'on', { time: '11:30', timezone: 'UTC' }, MANAGE_GUILD);
    h.fake.refusePosts(CH.archived, 400, 50083, 'Thread is archived');
    await toNextSlot('11:30', 'UTC');
    await h.fake.waitFor(() => h.fake.postsTo(CH.archived).length === 1, 5000, 'the refused post');
    await h.app.daily.scheduler.idle();
    expect((await h.app.store.daily.subscription('discord', CH.archived))?.pausedReason).toMatch(/archived/);
  });

  it('given Discord answers 500 (after discord.js’s own retries), the failure is temporary: recorded, retried after 30 s, then posted', async () => {
    await slash(admin, CH.flaky, 'on', { time: '12:00', timezone: 'UTC' }, MANAGE_GUILD);
    // discord.js retries a 5xx three times by itself: four refusals make one failed attempt.
    h.fake.refusePosts(CH.flaky, 500, 0, 'Internal Server Error', 4);
    await toNextSlot('12:00', 'UTC');
    await h.fake.waitFor(() => h.fake.postsTo(CH.flaky).length === 4, 5000, 'four 500s');
    await h.app.daily.scheduler.idle();
    const sub = await h.app.store.daily.subscription('discord', CH.flaky);
    expect(sub?.pausedReason).toBeFalsy();
    const status = await slash(member, CH.flaky, 'status');
    expect(status.content).toMatch(/켜짐 · on/);
    expect(status.content).toMatch(/마지막 오류 · last failure/);
    expect(status.content).toMatch(/500/);
    h.clock.advance(31_000);
    await h.fake.waitFor(() => dailyPosts(CH.flaky).length === 1, 5000, 'the retried post');
  });

  it('given /daily now or off from a member, refuses; from a manager, off stops the channel and status says so', async () => {
    expect((await slash(member, CH.general, 'now')).content).toMatch(/Manage Server or Manage Channels/);
    expect((await slash(member, CH.general, 'off')).content).toMatch(/Manage Server or Manage Channels/);
    expect((await h.app.store.daily.subscription('discord', CH.general))?.enabled).toBe(true);
    const off = await slash(admin, CH.general, 'off', {}, MANAGE_CHANNELS);
    expect(off.content).toMatch(/껐어요|is off/);
    expect((await slash(member, CH.general, 'status')).content).toMatch(/꺼짐 · off/);
    const before = dailyPosts(CH.general).length;
    await toNextSlot('09:00', 'UTC');
    expect(dailyPosts(CH.general)).toHaveLength(before);
  });

  it('every message the bot made turned pings off, and every interaction was answered once', () => {
    const callbacks = h.fake.calls.filter((c) => /\/callback$/.test(c.path)).map((c) => c.path);
    expect(new Set(callbacks).size).toBe(callbacks.length);
    const made = h.fake.messagesMade();
    expect(made.length).toBeGreaterThan(10);
    for (const body of made) {
      expect(body.allowed_mentions?.parse, JSON.stringify(body).slice(0, 200)).toEqual([]);
      expect(shown(body)).not.toMatch(/(^|[^\u200b])@everyone|<@\d/);
    }
  });
});
