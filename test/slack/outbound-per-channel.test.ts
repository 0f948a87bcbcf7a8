import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/reply.js';
import { registry } from '../../src/metrics.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const notice = (text: string): Reply => ({ kind: 'notice', visibility: 'channel', markdown: text });

async function counter(name: string): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values ?? []).filter((v) => v.labels.platform === 'slack').reduce((n, v) => n + Number(v.value), 0);
}

describe('Slack posts, one queue per channel', () => {
  it("one channel's 429 does not hold up a post to another channel, and the limited post still arrives after its Retry-After", async () => {
    h = await startHarness();
    const api = h.api;
    const retriesBefore = await counter('tutor_platform_retries_total');
    api.rateLimit('chat.postMessage', 3, 1, 'CBUSY');
    const t0 = Date.now();
    const busy = h.adapter.post({ platform: 'slack', channel: 'CBUSY' }, notice('first, to the busy channel'));
    // Wait until Slack has answered the busy channel's post with a 429, then post elsewhere.
    await api.waitFor(() => api.callsOf('chat.postMessage').some((c) => c.status === 429));
    // ...and the app has read that answer (the fake records it as it sends it).
    await new Promise((r) => setTimeout(r, 200));
    const calmStarted = Date.now();
    await h.adapter.post({ platform: 'slack', channel: 'CCALM' }, notice('second, to a calm channel'));
    const calmMs = Date.now() - calmStarted;
    // Before the per-channel queues, the shared WebClient paused every channel for the whole 3 s Retry-After.
    expect(calmMs).toBeLessThan(1_500);
    await busy;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_900);
    const delivered = api
      .callsOf('chat.postMessage')
      .filter((c) => c.status === 200)
      .map((c) => c.args.channel);
    expect(delivered).toEqual(['CCALM', 'CBUSY']);
    expect(await counter('tutor_platform_retries_total')).toBe(retriesBefore + 1);
  });

  it('keeps the order of posts within one channel while it waits out a 429', async () => {
    h = await startHarness();
    const api = h.api;
    api.rateLimit('chat.postMessage', 1, 1, 'CORDER');
    await Promise.all([1, 2, 3].map((n) => h!.adapter.post({ platform: 'slack', channel: 'CORDER' }, notice(`message ${n}`))));
    const texts = api
      .callsOf('chat.postMessage')
      .filter((c) => c.status === 200)
      .map((c) => String(c.args.text));
    expect(texts.map((t) => t.match(/message (\d)/)?.[1])).toEqual(['1', '2', '3']);
  });
});
