import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import type { RecordedCall } from '../fakes/slack/webApi.js';
import { allText, blocksOf, responses, SECRET, startHarness, type AnyBlock, type Harness } from './harness.js';
import { quizFeature } from './roundFeature.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ features: (outbox, clock) => [quizFeature({ outbox, clock })] });
});
afterAll(async () => {
  await h?.close();
});

const posts = () => h.api.callsOf('chat.postMessage').filter((c) => c.status === 200);
const buttons = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const press = async (b: { action_id?: string; value?: string }, opts: { ephemeral: boolean; message?: { ts: string; thread_ts?: string }; user?: string }) => {
  const responseUrl = h.api.responseUrl();
  const res = await sendToApp(h.url, 'interaction', blockActions({ actionId: b.action_id!, value: b.value!, responseUrl, ephemeral: opts.ephemeral, ...(opts.message ? { message: opts.message } : {}), ...(opts.user ? { user: opts.user } : {}) }), { secret: SECRET });
  expect(res.status).toBe(200);
  return h.api.waitFor(() => responses(h.api, responseUrl)[0]);
};

let parentTs: string;
let question: RecordedCall;

describe('given /k8s quiz start in a channel', () => {
  it('posts one parent message in the channel and the first question in its thread, with step buttons', async () => {
    const { status } = await h.command('quiz start');
    expect(status).toBe(200);
    question = await h.api.waitFor(() => posts().find((c) => c.args.thread_ts && allText(c.args).includes('Ordering drill')));
    const parent = posts().find((c) => !c.args.thread_ts && allText(c.args).includes('Team round'))!;
    expect(parent.args.channel).toBe(CHANNEL);
    parentTs = h.api.messages.find((m) => m.text === parent.args.text)!.ts;
    expect(question.args.thread_ts).toBe(parentTs);
    const blocks = blocksOf(question.args);
    // Block by block: the core's text, the position and deadline, then one button per step.
    expect(blocks[0]!.type).toBe('section');
    expect(blocks[0]!.text!.text).toContain('팀 퀴즈 시작');
    const ctx = blocks.find((b) => b.type === 'context')!;
    expect(JSON.stringify(ctx)).toContain('1/3');
    expect(JSON.stringify(ctx)).toContain('<!date^');
    const steps = buttons(blocks);
    expect(steps.map((s) => s.action_id)).toEqual(['drill.pick.0', 'drill.pick.1', 'drill.pick.2', 'drill.pick.3', 'drill.pick.4']);
    // Only the parent reached the channel itself.
    expect(posts().filter((c) => !c.args.thread_ts && c.args.channel === CHANNEL)).toHaveLength(1);
  });

  it('pressing steps on the shared question gives the presser a private copy showing the order so far, with undo', async () => {
    const q = h.api.messages.find((m) => m.thread_ts === parentTs && !m.ephemeral)!;
    const steps = buttons(blocksOf(question.args));
    const first = await press(steps[2]!, { ephemeral: false, message: { ts: q.ts, thread_ts: parentTs } });
    expect(first.args.response_type).toBe('ephemeral');
    expect(first.args.replace_original).toBe(false);
    const pad = blocksOf(first.args);
    expect(JSON.stringify(pad)).toContain('C');
    expect(allText(first.args)).toMatch(/Picked: \*C\*/);
    const padButtons = buttons(pad);
    expect(padButtons.filter((b) => b.action_id!.startsWith('drill.pick'))).toHaveLength(4);
    expect(padButtons.some((b) => b.action_id === 'drill.undo')).toBe(true);

    // The pad is ephemeral: later presses update it in place.
    const second = await press(padButtons.find((b) => b.action_id === 'drill.pick.1')!, { ephemeral: true });
    expect(second.args.replace_original).toBe(true);
    expect(allText(second.args)).toMatch(/Picked: \*C → B\*/);
    const undone = await press(buttons(blocksOf(second.args)).find((b) => b.action_id === 'drill.undo')!, { ephemeral: true });
    expect(allText(undone.args)).toMatch(/Picked: \*C\*/);
  });

  it('submitting the full order sends the labels through the core as the answer, graded privately', async () => {
    let current = (await press(buttons(blocksOf(question.args))[2]!, { ephemeral: false, message: { ts: '1767225600.000002', thread_ts: parentTs } })).args;
    for (const label of ['A', 'E', 'B', 'D']) {
      const b = buttons(blocksOf(current)).find((x) => x.value && JSON.parse(x.value).l === label)!;
      current = (await press(b, { ephemeral: true })).args;
    }
    const submit = buttons(blocksOf(current)).find((b) => b.action_id === 'drill.submit')!;
    expect(submit).toBeDefined();
    expect(JSON.parse(submit.value!).p).toEqual(['C', 'A', 'E', 'B', 'D']);
    const responseUrl = h.api.responseUrl();
    await sendToApp(h.url, 'interaction', blockActions({ actionId: submit.action_id!, value: submit.value!, responseUrl, ephemeral: true }), { secret: SECRET });
    const [replaced, graded] = await h.api.waitFor(() => (responses(h.api, responseUrl).length >= 2 ? responses(h.api, responseUrl) : undefined));
    expect(replaced!.args.replace_original).toBe(true);
    expect(replaced!.args.text).toContain('C → A → E → B → D');
    expect(graded!.args.response_type).toBe('ephemeral');
    expect(allText(graded!.args)).toContain('정답 / Correct');
  });

  it('takes an answer typed in the round thread and grades it privately in the thread', async () => {
    const before = h.api.callsOf('chat.postEphemeral').length;
    await sendToApp(h.url, 'event', eventCallback({ type: 'message', channel_type: 'channel', user: 'U0002', text: 'c a e b d', ts: '1767225600.600001', thread_ts: parentTs, channel: CHANNEL }), { secret: SECRET });
    const eph = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral')[before]);
    expect(eph.args).toMatchObject({ channel: CHANNEL, user: 'U0002', thread_ts: parentTs });
    expect(allText(eph.args)).toContain('정답 / Correct');
  });

  it('when time is up, the scoreboard and the next question (choice, as buttons) go to the thread', async () => {
    const before = posts().length;
    h.clock.advance(30_000);
    const [board, next] = await h.api.waitFor(() => (posts().length >= before + 2 ? posts().slice(before) : undefined));
    expect(board!.args.thread_ts).toBe(parentTs);
    expect(blocksOf(board!.args)[0]).toMatchObject({ type: 'header', text: { text: '점수판 · Scoreboard' } });
    expect(allText(board!.args)).toContain('🥇');
    expect(next!.args.thread_ts).toBe(parentTs);
    const choices = buttons(blocksOf(next!.args));
    expect(choices.map((b) => b.action_id)).toEqual(['quiz.answer.0', 'quiz.answer.1', 'quiz.answer.2']);
    const graded = await press(choices[1]!, { ephemeral: false, message: { ts: '1767225600.000009', thread_ts: parentTs }, user: 'U0003' });
    expect(allText(graded.args)).toContain('정답 / Correct');
  });

  it('refuses a second round while one runs, and removes the parent it opened for it', async () => {
    const { responseUrl } = await h.command('quiz start');
    const [notice] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(allText(notice!.args)).toContain('already running');
    const del = await h.api.waitFor(() => h.api.callsOf('chat.delete')[0]);
    expect(del.status).toBe(200);
  });

  it('ends with the final scoreboard in the thread, also shown in the channel', async () => {
    h.clock.advance(30_000);
    // The feature arms the next timer after posting; wait for the last question before time runs out again.
    await h.api.waitFor(() => posts().find((c) => allText(c.args).includes('The agent on every node')));
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
    expect(steps).toHaveLength(5);
    const next = await press(steps[0]!, { ephemeral: true });
    expect(next.args.replace_original).toBe(true);
    expect(allText(next.args)).toMatch(/Picked: \*A\*/);
  });

  it('a recall question is answered with a mention in the same channel', async () => {
    const { responseUrl } = await h.command('quiz recall', { channel_id: 'C0SOLO2' });
    await h.api.waitFor(() => responses(h.api, responseUrl)[0]);
    await sendToApp(h.url, 'event', eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> kubelet', ts: '1767225600.700001', channel: 'C0SOLO2' }), { secret: SECRET });
    const eph = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral').find((c) => c.args.channel === 'C0SOLO2'));
    expect(allText(eph.args)).toContain('정답 / Correct');
  });
});
