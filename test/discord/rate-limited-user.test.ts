import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a Discord user over the fair limit', () => {
  it('gets one bilingual notice, then only the bare private acknowledgement Discord requires, while others are answered', async () => {
    h = await startHarness({ limits: { userEvents: 2, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 } });
    const fake = h.fake;
    const noisy = fake.user('500000000000000011', 'noisy');
    const quiet = fake.user('500000000000000012', 'quiet');
    const answer = async (who: typeof noisy) => {
      const { id } = fake.slash(who, h!.general, 'k8s', { query: 'etcd' });
      await fake.waitFor(() => fake.callbacksFor(id).length > 0);
      return fake.callbacksFor(id)[0]!.body.data;
    };
    for (let i = 0; i < 2; i++) expect((await answer(noisy)).embeds[0].title).toMatch(/etcd/i);
    const notice = await answer(noisy);
    expect(notice.flags & 64).toBe(64);
    expect(`${notice.content ?? ''}${JSON.stringify(notice.embeds ?? [])}`).toMatch(/잠깐만요[\s\S]*Please try again in \d+ s/);
    // Discord drops an interaction that is not answered: the silence is a private tick, not a card.
    const silent = await answer(noisy);
    expect(silent.flags & 64).toBe(64);
    expect(silent.embeds ?? []).toEqual([]);
    expect(silent.content).toBe('✅');
    expect((await answer(quiet)).embeds[0].title).toMatch(/etcd/i);
  });
});
