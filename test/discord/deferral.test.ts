import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { Tutor, type Feature } from '../../src/tutor.js';
import { startHarness, type Harness } from './harness.js';

/** Handlers slower than the adapter's defer threshold, as a busy store might be. */
const slow: Feature = {
  name: 'slow',
  commands: {
    review: async () => {
      await sleep(300);
      return [{ kind: 'notice', visibility: 'private', markdown: '복습할 문제가 없어요. / Nothing is due.' }];
    },
    leaderboard: async () => {
      await sleep(300);
      return [{ kind: 'notice', visibility: 'private', markdown: '아직 순위가 없어요. / No scores yet.' }];
    },
    daily: () => {
      throw new Error('store exploded');
    },
  },
};

describe('discord: interactions are answered in time, and only once', () => {
  let h: Harness;
  const carol = { id: '500000000000000004', username: 'carol' };
  beforeAll(async () => {
    // A Tutor of its own, so these slow handlers are the only ones that answer.
    h = await startHarness({
      tutor: (app) => new Tutor({ knowledge: app.knowledge, index: app.tutor.index, log: silentLogger, features: [slow] }),
      deferAfterMs: 50,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given a slow command, defers within the threshold and then edits the deferred reply', async () => {
    const { id, token } = h.fake.slash(carol, h.general, 'review');
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === 'PATCH' && c.path.includes(token)));
    const callbacks = h.fake.callbacksFor(id);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = h.fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(token))!;
    expect(edit.path).toMatch(/messages\/@original$/);
    expect(edit.body.content).toMatch(/Nothing is due/);
  });

  it('given a slow command deferred in public whose answer is private, replaces the placeholder with an ephemeral follow-up', async () => {
    const { id, token } = h.fake.slash(carol, h.general, 'leaderboard', { period: 'week' });
    await h.fake.waitFor(() => h.fake.calls.some((c) => c.method === 'POST' && c.path.includes(`/webhooks/`) && c.path.includes(token)));
    expect(h.fake.callbacksFor(id)).toHaveLength(1);
    expect(h.fake.calls.some((c) => c.method === 'DELETE' && c.path.includes(token))).toBe(true);
    const follow = h.fake.calls.find((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(token))!;
    expect(follow.body.flags & 64).toBe(64);
  });

  it('given a handler that throws, the user gets a polite private answer and the bot keeps going', async () => {
    const { id } = h.fake.slash(carol, h.general, 'daily', {}, 'status', 32n);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    expect(h.fake.callbacksFor(id)[0]!.body.data.content).toMatch(/문제가 생겼어요|went wrong/);
    const again = h.fake.slash(carol, h.general, 'help');
    await h.fake.waitFor(() => h.fake.callbacksFor(again.id).length === 1);
    expect(h.adapter.ready()).toBe(true);
    expect(h.fake.calls.filter((c) => c.status >= 400)).toEqual([]);
  });
});
