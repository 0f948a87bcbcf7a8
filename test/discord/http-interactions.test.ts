import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { startHttpHarness, type HttpHarness } from './httpHarness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Discord over HTTP: the fake Discord signs each interaction with its own Ed25519 key and POSTs it
 * to /discord/interactions on the bot's shared HTTP server; the bot answers through the callback
 * endpoint, through the same handlers as the gateway.
 */
describe('discord: HTTP interactions at /discord/interactions', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let general: string;
  const alice = { id: '500000000000000001', username: 'alice', global_name: 'Alice' };

  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttpHarness();
    ({ fake, adapter } = h);
    await adapter.start();
    general = fake.guilds[0]!.channels[0]!.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const answered = (id: string) => h.answered(id);

  it('answers a signed PING with PONG in the response body', async () => {
    const res = await fake.deliver(JSON.stringify({ id: '1', type: 1, application_id: fake.applicationId, token: 't', version: 1 }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ type: 1 });
  });

  it('refuses a bad, missing, tampered or stale signature with 401 and runs no handler', async () => {
    const { id, token } = { id: '900000000000000001', token: 'tok' };
    const slash = JSON.stringify({
      id,
      token,
      type: 2,
      application_id: fake.applicationId,
      channel_id: general,
      guild_id: fake.guilds[0]!.id,
      data: { id: '1', name: 'k8s', type: 1, options: [{ name: 'query', type: 3, value: 'etcd' }] },
      member: { user: alice, permissions: '0', roles: [] },
      version: 1,
    });
    const good = await fetch(fake.interactionsUrl!, {
      method: 'POST',
      body: slash,
      headers: { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) },
    });
    expect(good.status).toBe(401);
    expect((await fetch(fake.interactionsUrl!, { method: 'POST', body: slash })).status).toBe(401);
    const stale = await fake.deliver(slash, { timestamp: String(Math.floor(Date.now() / 1000) - 3_600) });
    expect(stale.status).toBe(401);
    const tampered = await fake.deliver(slash, { signature: 'cd'.repeat(64) });
    expect(tampered.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls.filter((c) => c.path.includes(id))).toEqual([]);
    expect((await fetch(fake.interactionsUrl!)).status).toBe(405);
  });

  it('answers /k8s over HTTP through the same handlers as the gateway: 202, then the card through the callback', async () => {
    const { id } = fake.slash(alice, general, 'k8s', { query: 'etcd' });
    const { http: res, callback } = await answered(id);
    expect(res.status).toBe(202);
    expect(callback.status).toBe(204);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.embeds[0].title).toMatch(/etcd/i);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('answers autocomplete over HTTP with concept choices', async () => {
    const { callback } = await answered(fake.autocomplete(alice, general, 'k8s', 'query', '쿠버네티').id);
    expect(callback.body.type).toBe(8);
    expect(callback.body.data.choices[0].value).toBe('kubernetes');
  });

  it('answers a solo question and its button over HTTP: the click is graded by the real quiz engine', async () => {
    const { callback } = await answered(fake.slash(alice, general, 'quiz', { kind: 'choice' }, 'solo').id);
    const message = callback.body.data;
    const buttons = (message.components ?? []).flatMap((row: any) => row.components ?? []);
    const button = buttons.find((b: any) => typeof b.custom_id === 'string' && b.style !== 5);
    expect(button).toBeDefined();
    const click = fake.click(alice, { id: '800000000000000001', channel_id: general, ...message, author: fake.bot }, button.custom_id);
    const graded = await answered(click.id);
    expect(graded.http.status).toBe(202);
    expect(graded.callback.body.type).toBe(4);
    expect(JSON.stringify(graded.callback.body.data)).toMatch(/정답|Correct|not quite|Not quite|오답/);
  });
});

describe('discord: gateway intents and shards', () => {
  it('asks for the privileged Message Content intent only when typed answers are on, and identifies as the configured shard', async () => {
    const fake = await startFakeDiscord();
    const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], clock: new ManualClock(Date.now()), seed: 7 });
    const adapter = createDiscordAdapter({
      token: fake.token,
      apiUrl: fake.apiUrl,
      tutor: app.tutor,
      log: silentLogger,
      typedAnswers: false,
      shards: [1],
      shardCount: 2,
    });
    try {
      await adapter.start();
      const MESSAGE_CONTENT = 1 << 15;
      const GUILD_MESSAGES = 1 << 9;
      expect(fake.intents & MESSAGE_CONTENT).toBe(0);
      expect(fake.intents & GUILD_MESSAGES).toBe(0);
      expect(fake.identifiedShards).toEqual([[1, 2]]);
    } finally {
      await adapter.stop();
      await app.close();
      await fake.close();
    }
    const fake2 = await startFakeDiscord();
    const app2 = await createApp({ log: silentLogger, notesPaths: ['knowledge'], clock: new ManualClock(Date.now()), seed: 7 });
    const typed = createDiscordAdapter({ token: fake2.token, apiUrl: fake2.apiUrl, tutor: app2.tutor, log: silentLogger });
    try {
      await typed.start();
      expect(fake2.intents & (1 << 15)).toBe(1 << 15);
    } finally {
      await typed.stop();
      await app2.close();
      await fake2.close();
    }
  });
});
