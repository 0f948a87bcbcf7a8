import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import type { RecordedCall } from '../fakes/slack/webApi.js';
import { roundAnswer } from '../support/answers.js';
import { allText, blocksOf, responses, SECRET, startHarness, type AnyBlock, type Harness } from './harness.js';

/** Team rounds and solo drills on Slack with the real core and the real quiz engine. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const posts = () => h.api.callsOf('chat.postMessage').filter((c) => c.status === 200);
const buttons = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const press = async (
  b: { action_id?: string; value?: string },
  opts: { ephemeral: boolean; message?: { ts: string; thread_ts?: string }; user?: string },
) => {
  const responseUrl = h.api.responseUrl();
  const res = await sendToApp(
    h.url,
    'interaction',
    blockActions({
      actionId: b.action_id!,
      value: b.value!,
      responseUrl,
      ephemeral: opts.ephemeral,
      ...(opts.message ? { message: opts.message } : {}),
      ...(opts.user ? { user: opts.user } : {}),
    }),
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
  return h.api.waitFor(() => responses(h.api, responseUrl)[0]);
};

let parentTs: string;
let question: RecordedCall;

describe('given /k8s quiz start in a channel', () => {
  it('posts one parent message in the channel and the first question in its thread, with step buttons', async () => {
    const { status } = await h.command('quiz start 3 order');
    expect(status).toBe(200);
    question = await h.api.waitFor(() => posts().find((c) => c.args.thread_ts && allText(c.args).includes('Ordering drill')));
    const parent = posts().find((c) => !c.args.thread_ts && c.args.channel === CHANNEL)!;
    parentTs = h.api.messages.find((m) => m.text === parent.args.text && !m.thread_ts)!.ts;
    expect(question.args.thread_ts).toBe(parentTs);
    const blocks = blocksOf(question.args);
    expect(blocks[0]!.type).toBe('section');
    expect(blocks[0]!.text!.text).toContain('팀 퀴즈 시작');
    const ctx = blocks.find((b) => b.type === 'context')!;
    expect(JSON.stringify(ctx)).toContain('1/3');
    expect(JSON.stringify(ctx)).toContain('<!date^');
    expect(buttons(blocks).every((s) => s.action_id!.startsWith('drill.pick.'))).toBe(true);
    // Only the parent reached the channel itself.
    expect(posts().filter((c) => !c.args.thread_ts && c.args.channel === CHANNEL)).toHaveLength(1);
  });

  it('pressing steps on the shared question gives the presser a private copy showing the order so far, with undo', async () => {
    const q = h.api.messages.find((m) => m.thread_ts === parentTs && !m.ephemeral)!;
    const steps = buttons(blocksOf(question.args));
    const first = await press(steps[1]!, { ephemeral: false, message: { ts: q.ts, thread_ts: parentTs } });
    expect(first.args.response_type).toBe('ephemeral');
    expect(first.args.replace_original).toBe(false);
    expect(allText(first.args)).toMatch(/Picked: \*B\*/);
    const pad = buttons(blocksOf(first.args));
    expect(pad.filter((b) => b.action_id!.startsWith('drill.pick'))).toHaveLength(steps.length - 1);
    expect(pad.some((b) => b.action_id === 'drill.undo')).toBe(true);
    // The pad is ephemeral: later presses update it in place.
    const second = await press(
      pad.find((b) => b.action_id === 'drill.pick.0')!,
      { ephemeral: true },
    );
    expect(second.args.replace_original).toBe(true);
    expect(allText(second.args)).toMatch(/Picked: \*B → A\*/);
    const undone = await press(
      buttons(blocksOf(second.args)).find((b) => b.action_id === 'drill.undo')!,
      { ephemeral: true },
    );
    expect(allText(undone.args)).toMatch(/Picked: \*B\*/);
    await press(
      buttons(blocksOf(undone.args)).find((b) => b.action_id === 'drill.undo')!,
      { ephemeral: true },
    );
  });

  it('submitting the full order sends the labels through the core as the answer, graded privately', async () => {
    const right = (await roundAnswer(h.tutor, CHANNEL)).split(' ');
    let current = (
      await press(
        {
          action_id: 'drill.pick.0',
          value: JSON.stringify({ q: JSON.parse(buttons(blocksOf(question.args))[0]!.value!).q, p: [], l: right[0] }),
        },
        { ephemeral: false, message: { ts: '1767225600.000002', thread_ts: parentTs } },
      )
    ).args;
    for (const label of right.slice(1)) {
      const b = buttons(blocksOf(current)).find((x) => x.value && JSON.parse(x.value).l === label)!;
      current = (await press(b, { ephemeral: true })).args;
    }
    const submit = buttons(blocksOf(current)).find((b) => b.action_id === 'drill.submit')!;
    const responseUrl = h.api.responseUrl();
    await sendToApp(
      h.url,
      'interaction',
      blockActions({ actionId: submit.action_id!, value: submit.value!, responseUrl, ephemeral: true }),
      { secret: SECRET },
    );
    const [replaced, graded] = await h.api.waitFor(() =>
      responses(h.api, responseUrl).length >= 2 ? responses(h.api, responseUrl) : undefined,
    );
    expect(replaced!.args.replace_original).toBe(true);
    expect(graded!.args.response_type).toBe('ephemeral');
    expect(allText(graded!.args)).toContain('✅ 정답! +100점');
  });

  it('takes an answer typed in the round thread and grades it privately in the thread', async () => {
    const before = h.api.callsOf('chat.postEphemeral').length;
    const right = await roundAnswer(h.tutor, CHANNEL);
    await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'message',
        channel_type: 'channel',
        user: 'U0002',
        text: right.toLowerCase(),
        ts: '1767225600.600001',
        thread_ts: parentTs,
        channel: CHANNEL,
      }),
      { secret: SECRET },
    );
    const eph = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral')[before]);
    expect(eph.args).toMatchObject({ channel: CHANNEL, user: 'U0002', thread_ts: parentTs });
    expect(allText(eph.args)).toContain('✅ 정답! +80점');
  });

  it('when time is up, the scoreboard and the next question go to the thread', async () => {
    const before = posts().length;
    h.clock.advance(30_000);
    const [board, next] = await h.api.waitFor(() => (posts().length >= before + 2 ? posts().slice(before) : undefined));
    expect(board!.args.thread_ts).toBe(parentTs);
    expect(blocksOf(board!.args)[0]).toMatchObject({ type: 'header', text: { text: '점수판 (1/3) · Scoreboard (1 of 3)' } });
    expect(allText(board!.args)).toContain('🥇');
    expect(next!.args.thread_ts).toBe(parentTs);
  });

  it('refuses a second round while one runs, and opens no second thread for it', async () => {
    const parents = posts().filter((c) => !c.args.thread_ts && c.args.channel === CHANNEL).length;
    const { responseUrl } = await h.command('quiz start');
    const [notice] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(allText(notice!.args)).toContain('already running');
    expect(posts().filter((c) => !c.args.thread_ts && c.args.channel === CHANNEL)).toHaveLength(parents);
  });

  it('ends with the final scoreboard in the thread, also shown in the channel', async () => {
    h.clock.advance(30_000);
    await h.api.waitFor(() => posts().find((c) => JSON.stringify(c.args.blocks ?? '').includes('3/3')));
    h.clock.advance(30_000);
    const final = await h.api.waitFor(() => posts().find((c) => allText(c.args).includes('최종 점수')));
    expect(final.args.thread_ts).toBe(parentTs);
    expect(final.args.reply_broadcast).toBe(true);
    expect(blocksOf(final.args)[0]!.text!.text).toContain('🏁');
  });
});

describe('given a solo question', () => {
  it('answers /k8s quiz privately with a step picker that updates in place', async () => {
    const { responseUrl } = await h.command('quiz order', { channel_id: 'C0SOLO' });
    const [q] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(q!.args.response_type).toBe('ephemeral');
    const steps = buttons(blocksOf(q!.args));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    const next = await press(steps[0]!, { ephemeral: true });
    expect(next.args.replace_original).toBe(true);
    expect(allText(next.args)).toMatch(/Picked: \*A\*/);
  });

  it('a recall question is answered with a mention in the same channel', async () => {
    const { responseUrl } = await h.command('quiz recall', { channel_id: 'C0SOLO2' });
    await h.api.waitFor(() => responses(h.api, responseUrl)[0]);
    await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> kubelet', ts: '1767225600.700001', channel: 'C0SOLO2' }),
      { secret: SECRET },
    );
    const eph = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral').find((c) => c.args.channel === 'C0SOLO2'));
    expect(allText(eph.args)).toMatch(/✅|❌|🟡/);
  });
});
