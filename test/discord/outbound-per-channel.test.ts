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
  return (m?.values ?? []).filter((v) => v.labels.platform === 'discord').reduce((n, v) => n + Number(v.value), 0);
}

describe('Discord posts, one queue per channel', () => {
  it("one channel's 429 does not hold up a post to another channel; the limited post arrives after its Retry-After, counted", async () => {
    h = await startHarness();
    const { fake, general, quizChannel } = h;
    const before = await counter('tutor_platform_429_total');
    fake.rateLimitPosts(quizChannel, 2, 1);
    const t0 = Date.now();
    const busy = h.adapter.post({ platform: 'discord', channel: quizChannel }, notice('to the limited channel'));
    await fake.waitFor(() => fake.postsTo(quizChannel).some((c) => c.status === 429));
    await new Promise((r) => setTimeout(r, 200));
    const calmStarted = Date.now();
    await h.adapter.post({ platform: 'discord', channel: general }, notice('to a calm channel'));
    expect(Date.now() - calmStarted).toBeLessThan(1_000);
    await busy;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900);
    expect(fake.postsTo(quizChannel).map((c) => c.status)).toEqual([429, 200]);
    expect(await counter('tutor_platform_429_total')).toBe(before + 1);
  });
});
