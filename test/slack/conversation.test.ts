import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, eventCallback, sendToApp, TEAM } from '../fakes/slack/payloads.js';
import { roundAnswer } from '../support/answers.js';
import { allText, blocksOf, responses, SECRET, startHarness, type Harness } from './harness.js';

/** Slack's share of issue 11: what reaches the core, and how it comes back, with the real core and quiz engine. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ api: { notInChannel: ['C0PUBLIC', 'C0PRIVATE'], privateChannels: ['C0PRIVATE'] } });
});
afterAll(async () => {
  await h?.close();
});

const posted = () => h.api.callsOf('chat.postMessage').filter((c) => c.status === 200 && !c.args._error);
let ts = 1_767_700_000;
const message = (over: Record<string, unknown>) =>
  sendToApp(h.url, 'event', eventCallback({ type: 'message', user: 'U0002', ts: `${++ts}.000100`, ...over }), { secret: SECRET });

describe('given a direct message or a reply also sent to the channel', () => {
  it('answers a DM that mentions the bot (Slack sends no app_mention for DMs)', async () => {
    const before = posted().length;
    await message({ channel_type: 'im', channel: 'D0DM1', text: '<@UBOT> etcd' });
    const reply = await h.api.waitFor(() =>
      posted()
        .slice(before)
        .find((c) => c.args.channel === 'D0DM1'),
    );
    expect(allText(reply.args)).toMatch(/etcd/);
  });

  it('takes a thread_broadcast reply in a round thread as an answer', async () => {
    await h.command('quiz start 2 choice', { channel_id: 'C0BROAD' });
    const q = await h.api.waitFor(() => posted().find((c) => c.args.channel === 'C0BROAD' && c.args.thread_ts));
    const before = h.api.callsOf('chat.postEphemeral').length;
    await message({
      subtype: 'thread_broadcast',
      channel_type: 'channel',
      channel: 'C0BROAD',
      thread_ts: q.args.thread_ts,
      text: await roundAnswer(h.tutor, 'C0BROAD'),
    });
    const graded = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral')[before]);
    expect(allText(graded.args)).toContain('✅');
  });
});

describe('given a round in a channel the bot has not joined', () => {
  it('joins a public channel first, so answers typed there reach it', async () => {
    await h.command('quiz start 1 choice', { channel_id: 'C0PUBLIC' });
    const q = await h.api.waitFor(() => posted().find((c) => c.args.channel === 'C0PUBLIC' && c.args.thread_ts));
    expect(h.api.callsOf('conversations.join').some((c) => c.args.channel === 'C0PUBLIC' && !c.args._error)).toBe(true);
    expect(q.args.thread_ts).toBeDefined();
  });

  it('says how to invite it to a private channel, and leaves no round running there', async () => {
    const { responseUrl } = await h.command('quiz start 1 choice', { channel_id: 'C0PRIVATE' });
    const [notice] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(allText(notice!.args)).toContain('/invite');
    await h.api.waitFor(async () => true);
    expect((await h.tutor.store.quiz.runningRounds()).some((r) => r.round.channel === 'C0PRIVATE')).toBe(false);
  });
});

describe('given a stop from someone who did not start the round', () => {
  it('lets a workspace admin stop it, and not a plain member', async () => {
    const admin = await startHarness({ api: { users: { UADMIN: { is_admin: true } } } });
    try {
      await admin.command('quiz start 20 choice', { channel_id: 'C0LONG', user_id: 'U0STARTER' });
      await admin.api.waitFor(() => admin.api.callsOf('chat.postMessage').find((c) => c.args.thread_ts));
      const member = await admin.command('quiz stop', { channel_id: 'C0LONG', user_id: 'U0MEMBER' });
      const [refused] = await admin.api.waitFor(() =>
        responses(admin.api, member.responseUrl).length ? responses(admin.api, member.responseUrl) : undefined,
      );
      expect(allText(refused!.args)).toMatch(/Only whoever started/);
      await admin.command('quiz stop', { channel_id: 'C0LONG', user_id: 'UADMIN' });
      await admin.api.waitFor(() => admin.api.callsOf('chat.postMessage').find((c) => allText(c.args).includes('Round stopped')));
      expect(await admin.tutor.store.quiz.runningRounds()).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});

describe('given /k8s leaderboard after a round', () => {
  it('shows a name with Markdown characters as typed (escaped once, for Slack), with both boards and the other period in the blocks', async () => {
    await h.command('quiz start 1 choice', { channel_id: 'C0BOARD' });
    const q = await h.api.waitFor(() => posted().find((c) => c.args.channel === 'C0BOARD' && c.args.thread_ts));
    const right = await roundAnswer(h.tutor, 'C0BOARD');
    const button = blocksOf(q.args)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value && JSON.parse(e.value).a === right)!;
    const press = blockActions({
      actionId: button.action_id!,
      value: button.value!,
      responseUrl: h.api.responseUrl(),
      channel: 'C0BOARD',
      message: { ts: q.args.thread_ts as string, thread_ts: q.args.thread_ts as string },
    });
    press.user = { id: 'U0MINJI', username: 'min_ji (ops)', name: 'min_ji (ops)', team_id: TEAM };
    await sendToApp(h.url, 'interaction', press, { secret: SECRET });
    await h.api.waitFor(async () => (await h.tutor.store.quiz.leaderboard({ platform: 'slack', channel: 'C0BOARD', limit: 5 })).length > 0);
    h.clock.advance(31_000);
    const { responseUrl } = await h.command('leaderboard', { channel_id: 'C0BOARD' });
    const board = await h.api.waitFor(
      () =>
        posted().find((c) => c.args.channel === 'C0BOARD' && /Leaderboard \(/.test(allText(c.args))) ?? responses(h.api, responseUrl)[0],
    );
    const shown = blocksOf(board.args)
      .map((b) => b.text?.text ?? '')
      .join('\n');
    // Slack shows `_` through a look-alike so it cannot start italics; no backslashes from a second escape.
    expect(shown).toMatch(/min[_＿]ji \(ops\)/);
    expect(shown).not.toContain('\\');
    expect(shown).toMatch(/Whole workspace/);
    expect(shown).toMatch(/leaderboard all/);
  });
});
