import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('discord: /k8s through the real discord.js client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given /k8s query:etcd, answers with the card as an ephemeral embed', async () => {
    const alice = h.fake.user('500000000000000001', 'alice');
    const { id } = h.fake.slash(alice, h.general, 'k8s', { query: 'etcd' });
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0);
    const [cb] = h.fake.callbacksFor(id);
    expect(cb!.status).toBe(204);
    expect(cb!.body.type).toBe(4);
    expect(cb!.body.data.flags & 64).toBe(64);
    expect(cb!.body.data.embeds[0].title).toMatch(/etcd/i);
    expect(cb!.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
