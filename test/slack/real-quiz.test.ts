import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, CHANNEL, eventCallback, sendToApp } from '../fakes/slack/payloads.js';
import { allText, blocksOf, responses, SECRET, startHarness, type AnyBlock, type Harness } from './harness.js';

/** The real quiz engine (wired into createApp), end to end through Slack. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const posts = () => h.api.callsOf('chat.postMessage').filter((c) => c.status === 200);
const buttons = (blocks: AnyBlock[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

describe('given the quiz engine behind /k8s quiz', () => {
  it('a solo ordering drill comes privately with step buttons, and submitting the picked order is graded', async () => {
    const { responseUrl } = await h.command('quiz order', { channel_id: 'C0REAL1' });
    const [q] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(q!.args.response_type).toBe('ephemeral');
    let current = q!.args;
    let steps = buttons(blocksOf(current)).filter((b) => b.action_id!.startsWith('drill.pick'));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    // Press every step in the order shown, then submit: right or wrong, the core grades it.
    while (steps.length) {
      const url = h.api.responseUrl();
      await sendToApp(
        h.url,
        'interaction',
        blockActions({ actionId: steps[0]!.action_id!, value: steps[0]!.value!, responseUrl: url, ephemeral: true, channel: 'C0REAL1' }),
        { secret: SECRET },
      );
      current = (await h.api.waitFor(() => responses(h.api, url)[0])).args;
      steps = buttons(blocksOf(current)).filter((b) => b.action_id!.startsWith('drill.pick'));
    }
    const submit = buttons(blocksOf(current)).find((b) => b.action_id === 'drill.submit')!;
    const url = h.api.responseUrl();
    await sendToApp(
      h.url,
      'interaction',
      blockActions({ actionId: 'drill.submit', value: submit.value!, responseUrl: url, ephemeral: true, channel: 'C0REAL1' }),
      { secret: SECRET },
    );
    const [, graded] = await h.api.waitFor(() => (responses(h.api, url).length >= 2 ? responses(h.api, url) : undefined));
    // The verdict in the core's words, and the concept's card one press away.
    const shown = allText(graded!.args);
    expect(shown).toMatch(/✅|❌|🟡/);
    expect(buttons(blocksOf(graded!.args)).some((b) => b.action_id === 'card.open.0')).toBe(true);
  });

  it('a team round runs in one thread: question, typed answer graded privately, scoreboard when time is up', async () => {
    await h.command('quiz start 2');
    const question = await h.api.waitFor(() =>
      posts().find((c) => c.args.thread_ts && blocksOf(c.args).some((b) => b.type === 'context' && JSON.stringify(b).includes('1/2'))),
    );
    const parent = question.args.thread_ts as string;
    expect(posts().filter((c) => !c.args.thread_ts && c.args.channel === CHANNEL)).toHaveLength(1);
    const before = h.api.callsOf('chat.postEphemeral').length;
    await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'message',
        channel_type: 'channel',
        user: 'U0042',
        text: 'a',
        ts: '1767225600.800001',
        thread_ts: parent,
        channel: CHANNEL,
      }),
      { secret: SECRET },
    );
    const answer = await h.api.waitFor(() => h.api.callsOf('chat.postEphemeral')[before]);
    expect(answer.args).toMatchObject({ user: 'U0042', thread_ts: parent });
    const count = posts().length;
    h.clock.advance(30_000);
    const next = await h.api.waitFor(() => (posts().length >= count + 2 ? posts().slice(count) : undefined));
    for (const p of next) expect(p.args.thread_ts).toBe(parent);
    expect(blocksOf(next[0]!.args)[0]!.type).toBe('header');
  });
});
