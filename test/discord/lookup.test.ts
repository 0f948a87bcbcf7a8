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
    const before = h.fake.calls.length;
    const { id } = h.fake.slash(alice, h.general, 'k8s', { query: 'etcd' });
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0);
    await new Promise((r) => setTimeout(r, 50));
    // One request: the callback with the card (nothing fetched first, no follow-up).
    expect(h.fake.calls.slice(before).map((c) => `${c.method} ${c.path.replace(/\d{5,}\/[^/]+/, ':id/:token')}`)).toEqual([
      'POST /api/v10/interactions/:id/:token/callback',
    ]);
    const [cb] = h.fake.callbacksFor(id);
    expect(cb!.status).toBe(204);
    expect(cb!.body.type).toBe(4);
    expect(cb!.body.data.flags & 64).toBe(64);
    expect(cb!.body.data.embeds[0].title).toMatch(/etcd/i);
    expect(cb!.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('discord: autocomplete, buttons and answers that must be split', () => {
  let h: Harness;
  const bob = { id: '500000000000000002', username: 'bob' };
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const answerOf = async (id: string) => {
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0);
    return h.fake.callbacksFor(id)[0]!;
  };

  it('given a Korean typo, autocompletes 쿠버네티스 within 25 choices of 100 characters', async () => {
    const cb = await answerOf(h.fake.autocomplete(bob, h.general, 'k8s', 'query', '쿠버네티').id);
    expect(cb.status).toBe(204);
    expect(cb.body.type).toBe(8);
    const choices = cb.body.data.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]!.name).toMatch(/쿠버네티스/);
    expect(choices[0]!.value).toBe('kubernetes');
  });

  it('given choseong only, autocompletes the concept by its initial consonants', async () => {
    const cb = await answerOf(h.fake.autocomplete(bob, h.general, 'k8s', 'query', 'ㅋㅂㄴㅌㅅ').id);
    expect(cb.body.data.choices[0].value).toBe('kubernetes');
  });

  it('given an English prefix and an empty box, offers concept names (25 at most)', async () => {
    const typed = await answerOf(h.fake.autocomplete(bob, h.general, 'k8s', 'query', 'deploym').id);
    expect(typed.body.data.choices.map((c: any) => c.value)).toContain('deployment');
    const empty = await answerOf(h.fake.autocomplete(bob, h.general, 'k8s', 'query', '').id);
    expect(empty.body.data.choices).toHaveLength(25);
  });

  it('given a card with related concepts, its buttons open their cards', async () => {
    const cb = await answerOf(h.fake.slash(bob, h.general, 'k8s', { query: 'pod' }).id);
    const rows = cb.body.data.components as any[];
    const related = rows.flatMap((r) => r.components).filter((b: any) => b.custom_id.startsWith('card:'));
    expect(related.length).toBeGreaterThan(0);
    const click = await answerOf(
      h.fake.click(bob, { ...cb.body.data, id: '1', channel_id: h.general, flags: 64 }, related[0].custom_id).id,
    );
    expect(click.body.data.flags & 64).toBe(64);
    expect(click.body.data.embeds[0].footer.text).toMatch(/Source/);
  });

  it('given a query that only nearly matches, "did you mean" comes as buttons, for the asker only', async () => {
    // '서비스 어카운트' used to be a near miss; it has its own card now (issue 12), so ask for something that has none.
    const cb = await answerOf(h.fake.slash(bob, h.general, 'k8s', { query: '서비스 게이트웨이' }).id);
    const data = cb.body.data;
    expect(data.flags & 64).toBe(64);
    expect(data.content).toMatch(/찾으셨나요|Did you mean/);
    const ids = data.components.flatMap((r: any) => r.components).map((b: any) => b.custom_id);
    expect(ids).toContain('card:service');
  });

  it('given /k8s with no query, answers with help', async () => {
    const cb = await answerOf(h.fake.slash(bob, h.general, 'k8s').id);
    expect(cb.body.data.content).toMatch(/사용법|How to use/);
  });

  it('given hostile text as a query, echoes nothing that pings', async () => {
    const cb = await answerOf(h.fake.slash(bob, h.general, 'k8s', { query: '@everyone <@123> @here' }).id);
    const text = JSON.stringify(cb.body.data);
    expect(text).not.toMatch(/@everyone|@here|<@\d/);
    expect(cb.body.data.allowed_mentions.parse).toEqual([]);
  });

  it('given a button from an unknown concept or an old question, replies politely and only to the clicker', async () => {
    for (const customId of ['card:no-such-concept', 'ans:zzzz9:1', 'ord:zzzz9:submit', 'garbage']) {
      const cb = await answerOf(h.fake.click(bob, { id: '1', channel_id: h.general, content: 'old', components: [] }, customId).id);
      expect(cb.body.data.flags & 64).toBe(64);
      expect(cb.body.data.content).toMatch(/끝났어요|is closed|no longer works/);
    }
  });

  it('given /quiz hint with no open question, the quiz engine says so, privately', async () => {
    const cb = await answerOf(h.fake.slash(bob, h.general, 'quiz', {}, 'hint').id);
    expect(cb.body.data.flags & 64).toBe(64);
    expect(cb.body.data.content).toMatch(/no open question|문제가 없어요/);
  });
});
