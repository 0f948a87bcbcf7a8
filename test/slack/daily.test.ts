import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, sendToApp } from '../fakes/slack/payloads.js';
import { allText, blocksOf, responses, SECRET, startHarness, type AnyBlock, type Harness } from './harness.js';

/**
 * The concept of the day on Slack, end to end: the real Bolt app and createApp (the daily feature
 * with its scheduler on a ManualClock) against the fake Web API. What reached the fake is checked
 * block by block.
 */
const HOUR = 3_600_000;
const users = { U0001: { name: 'minji' }, UADMIN: { name: 'jiho', is_admin: true }, UOWNER: { name: 'sora', is_owner: true } };

/** `/k8s {text}` from `user` in `channel`. */
function command(h: Harness, text: string, user: string, channel: string) {
  return h.command(text, { user_id: user, user_name: user.toLowerCase(), channel_id: channel });
}

/** The first private answer to a command. */
async function privateAnswer(h: Harness, responseUrl: string) {
  const [first] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
  expect(first!.args.response_type).toBe('ephemeral');
  return first!.args;
}

const channelPosts = (h: Harness, channel: string) => h.api.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);
const isDailyPost = (args: Record<string, unknown>) => JSON.stringify(blocksOf(args)[0] ?? {}).includes('Concept of the day');
/** Daily posts the fake accepted (a refused call is recorded too, but stores no message). */
const delivered = (h: Harness, channel: string) =>
  h.api.messages.filter((m) => m.channel === channel && JSON.stringify(m.blocks?.[0] ?? {}).includes('Concept of the day'));
const buttons = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

/** An admin subscribes `channel` at 09:00 UTC; resolves with the time of its first post. */
async function subscribe(h: Harness, channel: string): Promise<number> {
  const before = channelPosts(h, channel).length;
  await command(h, 'daily on 09:00 UTC', 'UADMIN', channel);
  const confirmation = await h.api.waitFor(() => channelPosts(h, channel)[before]);
  expect(allText(confirmation.args)).toContain('every day at 09:00 (UTC)');
  return h.tutor.daily.scheduler.nextPost({ timeOfDay: '09:00', zone: 'UTC' });
}

describe('given /k8s daily in a channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ api: { users }, adminUsers: ['UALLOW'] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a plain member politely, in both languages, and subscribes nothing', async () => {
    const { responseUrl } = await command(h, 'daily on 08:00 Europe/London', 'U0001', 'CPLAIN');
    const shown = allText(await privateAnswer(h, responseUrl));
    expect(shown).toContain('죄송해요');
    expect(shown).toContain('Sorry, only people who can manage this channel');
    expect(h.api.callsOf('users.info').some((c) => c.args.user === 'U0001')).toBe(true);
    expect(await h.tutor.store.daily.subscription('slack', 'CPLAIN')).toBeUndefined();
    expect(channelPosts(h, 'CPLAIN')).toHaveLength(0);
  });

  it('lets anyone see the status', async () => {
    const { responseUrl } = await command(h, 'daily status', 'U0001', 'CPLAIN');
    expect(allText(await privateAnswer(h, responseUrl))).toContain('off');
  });

  it('lets a user in SLACK_ADMIN_USERS manage it without asking users.info', async () => {
    const asked = h.api.callsOf('users.info').length;
    const { responseUrl } = await command(h, 'daily off', 'UALLOW', 'CPLAIN');
    expect(allText(await privateAnswer(h, responseUrl))).toContain('has no concept of the day to switch off');
    expect(h.api.callsOf('users.info').length).toBe(asked);
  });

  it("lets a workspace owner post today's concept at once with `now`", async () => {
    const { responseUrl } = await command(h, 'daily now', 'UOWNER', 'CNOW');
    const post = await h.api.waitFor(() => channelPosts(h, 'CNOW').find((c) => isDailyPost(c.args)));
    expect(post.status).toBe(200);
    expect(allText(await privateAnswer(h, responseUrl))).toContain("Posted today's concept");
  });

  it('after an admin subscribes, a tick of the clock to 09:00 UTC posts the concept into the channel in Block Kit', async () => {
    const next = await subscribe(h, 'CDAILY');
    h.clock.set(next + 1_000);
    const post = await h.api.waitFor(() => channelPosts(h, 'CDAILY').find((c) => isDailyPost(c.args)));
    const blocks = blocksOf(post.args);
    const day = new Date(next).toISOString().slice(0, 10);

    // The heading with the channel's local day, then the card as /k8s shows it (title header, summary, source).
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: `📅 오늘의 개념 · Concept of the day — ${day}` } });
    await h.tutor.daily.scheduler.idle();
    const { conceptId } = (await h.tutor.store.daily.posts('slack', 'CDAILY'))[0]!;
    const concept = h.tutor.knowledge.byId.get(conceptId)!;
    expect(blocks[1]!.type).toBe('header');
    expect(blocks[1]!.text!.text).toContain(concept.title.ko);
    expect(blocks.some((b) => b.type === 'context' && JSON.stringify(b).includes('출처 / Source'))).toBe(true);
    // Why it matters, after the card, when the notes give one.
    const why = blocks.find((b) => b.type === 'section' && b.text!.text.includes('Why it matters'));
    if (concept.why) expect(why!.text!.text).toContain(concept.why.en.split(' ')[0]);
    else expect(why).toBeUndefined();
    // Last: the quiz button, carrying the core's command; no "share" (it is in the channel already).
    const last = blocks[blocks.length - 1]!;
    expect(last.type).toBe('actions');
    expect(last.elements).toHaveLength(1);
    expect(last.elements![0]).toMatchObject({ action_id: 'concept.quiz.0', text: { text: '🧩 퀴즈 풀기 · Quiz me' }, style: 'primary' });
    expect(JSON.parse(last.elements![0]!.value!)).toEqual({ c: conceptId, cmd: `/quiz ${conceptId}` });
    expect(buttons(blocks).some((b) => b.action_id === 'card.share')).toBe(false);
    // Plain fallback for notifications, and nothing that pings.
    expect(post.args.text).toContain('Concept of the day');
    expect(allText(post.args)).not.toMatch(/<!|<@|<#/);

    // Posted once; status says so.
    h.clock.advance(2 * HOUR);
    await h.tutor.daily.scheduler.idle();
    expect(channelPosts(h, 'CDAILY').filter((c) => isDailyPost(c.args))).toHaveLength(1);
    const { responseUrl } = await command(h, 'daily status', 'U0001', 'CDAILY');
    expect(allText(await privateAnswer(h, responseUrl))).toContain('posted');
  });

  it('pressing "Quiz me" asks the presser one question on that concept, privately, and posts nothing in the channel', async () => {
    const post = channelPosts(h, 'CDAILY').find((c) => isDailyPost(c.args))!;
    const quizMe = buttons(blocksOf(post.args)).find((b) => b.action_id === 'concept.quiz.0')!;
    const postsBefore = h.api.callsOf('chat.postMessage').length;
    const pressUrl = h.api.responseUrl();
    const res = await sendToApp(
      h.url,
      'interaction',
      blockActions({
        actionId: quizMe.action_id!,
        value: quizMe.value!,
        responseUrl: pressUrl,
        channel: 'CDAILY',
        user: 'U0042',
        message: { ts: '1767225600.000777', text: String(post.args.text) },
      }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const question = await privateAnswer(h, pressUrl);
    expect(question.replace_original).toBe(false);
    // A question, in the quiz's words (its kind's answering hint is in the context line).
    expect(blocksOf(question).some((b) => b.type === 'context' && /Press|Type your answer/.test(JSON.stringify(b)))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.api.callsOf('chat.postMessage').length).toBe(postsBefore);
  });

  it('answers bad input privately and changes nothing; Korean words work; an admin switches it off in the channel', async () => {
    const zone = await command(h, 'daily on 09:00 KST', 'UADMIN', 'CDAILY');
    expect(allText(await privateAnswer(h, zone.responseUrl))).toContain('is not a time zone I know');
    const time = await command(h, '오늘의개념 켜기 25:99', 'UADMIN', 'CDAILY');
    expect(allText(await privateAnswer(h, time.responseUrl))).toContain('24-hour');
    expect(await h.tutor.store.daily.subscription('slack', 'CDAILY')).toMatchObject({ timeOfDay: '09:00', zone: 'UTC', enabled: true });

    const before = channelPosts(h, 'COFF').length;
    await command(h, 'daily on 07:30 America/New_York', 'UOWNER', 'COFF');
    await h.api.waitFor(() => channelPosts(h, 'COFF')[before]);
    await command(h, '오늘의개념 끄기', 'UOWNER', 'COFF');
    const off = await h.api.waitFor(() => channelPosts(h, 'COFF')[before + 1]);
    expect(allText(off.args)).toContain('The concept of the day is off for this channel');
    expect(allText(off.args)).toContain('`/k8s daily on`');
    expect((await h.tutor.store.daily.subscription('slack', 'COFF'))?.enabled).toBe(false);
  });

  it('a forged "Quiz me" value that is not a solo quiz runs nothing', async () => {
    const before = h.api.callsOf('chat.postMessage').length;
    for (const cmd of ['/daily off', '/quiz start 5']) {
      const pressUrl = h.api.responseUrl();
      await sendToApp(
        h.url,
        'interaction',
        blockActions({
          actionId: 'concept.quiz.0',
          value: JSON.stringify({ c: 'etcd', cmd }),
          responseUrl: pressUrl,
          channel: 'CDAILY',
          user: 'UADMIN',
        }),
        { secret: SECRET },
      );
      expect(allText(await privateAnswer(h, pressUrl))).toContain('nothing was run');
    }
    expect((await h.tutor.store.daily.subscription('slack', 'CDAILY'))?.enabled).toBe(true);
    expect(h.api.callsOf('chat.postMessage').length).toBe(before);
  });
});

describe('given Slack refuses the daily post', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ api: { users } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pauses a channel that answers is_archived after one attempt, and status shows it paused', async () => {
    const next = await subscribe(h, 'CARCH');
    h.api.refuse('CARCH', 'is_archived');
    const before = channelPosts(h, 'CARCH').length;
    h.clock.set(next + 1_000);
    await h.api.waitFor(() => channelPosts(h, 'CARCH')[before]);
    await h.tutor.daily.scheduler.idle();
    const sub = await h.tutor.store.daily.subscription('slack', 'CARCH');
    expect(sub!.pausedReason).toContain('is_archived');

    // No retries (30 s … 60 min) and no post on later days either: paused until /k8s daily on.
    h.clock.advance(3 * 24 * HOUR);
    await h.tutor.daily.scheduler.idle();
    expect(channelPosts(h, 'CARCH').length).toBe(before + 1);

    const { responseUrl } = await command(h, 'daily status', 'U0001', 'CARCH');
    const shown = allText(await privateAnswer(h, responseUrl));
    expect(shown).toContain('paused');
    // Slack's code, as the status's escaped text renders (an underscore look-alike, never markup).
    expect(shown).toMatch(/is.archived/);
  });

  it('an admin resumes a paused channel with /k8s daily on once it can be posted to again', async () => {
    h.api.clearRefusal('CARCH');
    const next = await subscribe(h, 'CARCH');
    expect((await h.tutor.store.daily.subscription('slack', 'CARCH'))!.pausedReason).toBeUndefined();
    h.clock.set(next + 1_000);
    await h.api.waitFor(() => delivered(h, 'CARCH')[0]);
  });

  it('treats internal_error as temporary: recorded, retried 30 s later, posted once', async () => {
    const next = await subscribe(h, 'CTEMP');
    h.api.refuse('CTEMP', 'internal_error', 1);
    const before = channelPosts(h, 'CTEMP').length;
    h.clock.set(next + 1_000);
    await h.api.waitFor(() => channelPosts(h, 'CTEMP')[before]);
    await h.tutor.daily.scheduler.idle();
    const failure = await h.tutor.store.daily.lastFailure('slack', 'CTEMP');
    expect(failure).toMatchObject({ attempt: 1 });
    expect(failure!.error).toContain('internal_error');
    expect((await h.tutor.store.daily.subscription('slack', 'CTEMP'))!.pausedReason).toBeUndefined();

    h.clock.advance(30_000);
    await h.api.waitFor(() => delivered(h, 'CTEMP')[0]);
    h.clock.advance(2 * HOUR);
    await h.tutor.daily.scheduler.idle();
    expect(delivered(h, 'CTEMP')).toHaveLength(1);
  });

  it('waits out a 429 on the post instead of counting it as a failure', async () => {
    // Only this channel posts at the next slot, so the 429 is its own.
    for (const channel of ['CARCH', 'CTEMP']) await command(h, 'daily off', 'UADMIN', channel);
    await h.api.waitFor(() => h.api.messages.filter((m) => m.channel === 'CTEMP').length >= 3 || undefined);
    const next = await subscribe(h, 'CRATE');
    h.api.rateLimit('chat.postMessage', 1, 1);
    h.clock.set(next + 1_000);
    await h.api.waitFor(() => delivered(h, 'CRATE')[0]);
    await h.tutor.daily.scheduler.idle();
    expect(await h.tutor.store.daily.lastFailure('slack', 'CRATE')).toBeUndefined();
    expect(h.api.callsOf('chat.postMessage').some((c) => c.status === 429)).toBe(true);
  });
});
