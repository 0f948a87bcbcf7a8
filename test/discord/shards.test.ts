import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events } from 'discord.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import type { FakeGuild } from '../fakes/discord/payloads.js';

/**
 * Sharding against the fake Discord, which keeps one session per IDENTIFY'd shard and sends each
 * guild's events only on shard `(guild_id >> 22) % count`, as Discord does. Guild A lands on shard 0,
 * guild B on shard 1 (their ids differ in the timestamp bits above bit 22).
 */
const GUILD_A = '300000000000000001';
const GUILD_B = '300000000004194305';
const guild = (id: string, name: string, channel: string): FakeGuild => ({
  id,
  name,
  channels: [{ id: channel, name: 'general', type: 0, guild_id: id }],
});
const CHANNEL_A = '400000000000000001';
const CHANNEL_B = '400000000000000011';
const alice = { id: '500000000000000001', username: 'alice', global_name: 'Alice' };

async function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting for the clients');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function replica(fake: FakeDiscord, shards: number[]): Promise<{ app: App; adapter: DiscordAdapter; seen: string[] }> {
  const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], clock: new ManualClock(Date.now()), seed: 7 });
  const adapter = createDiscordAdapter({
    token: fake.token,
    apiUrl: fake.apiUrl,
    tutor: app.tutor,
    log: silentLogger,
    shards,
    shardCount: 2,
  });
  const seen: string[] = [];
  // What reached this client: the guild of every interaction and message it was given.
  adapter.client.on(Events.InteractionCreate, (i) => seen.push(`interaction:${i.guildId}`));
  adapter.client.on(Events.MessageCreate, (m) => seen.push(`message:${m.guildId}`));
  await adapter.start();
  return { app, adapter, seen };
}

describe('discord: two shards, one replica each (DISCORD_SHARDS=0 / 1, DISCORD_SHARD_COUNT=2)', () => {
  let fake: FakeDiscord;
  let r0: Awaited<ReturnType<typeof replica>>;
  let r1: Awaited<ReturnType<typeof replica>>;

  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [guild(GUILD_A, 'a', CHANNEL_A), guild(GUILD_B, 'b', CHANNEL_B)] });
    expect(fake.shardOf(GUILD_A, 2)).toBe(0);
    expect(fake.shardOf(GUILD_B, 2)).toBe(1);
    r0 = await replica(fake, [0]);
    r1 = await replica(fake, [1]);
  });
  afterAll(async () => {
    for (const r of [r0, r1]) {
      await r?.adapter.stop();
      await r?.app.close();
    }
    await fake?.close();
  });

  it('identifies each replica as its shard, on its own connection, and each becomes ready with only its guild', () => {
    expect(fake.gatewayConnections).toBe(2);
    expect([...fake.identifiedShards].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...r0.adapter.client.guilds.cache.keys()]).toEqual([GUILD_A]);
    expect([...r1.adapter.client.guilds.cache.keys()]).toEqual([GUILD_B]);
    expect(r0.adapter.ready() && r1.adapter.ready()).toBe(true);
  });

  it("delivers each guild's slash commands and messages only to the replica holding its shard, and each is answered", async () => {
    const a = fake.slash(alice, CHANNEL_A, 'k8s', { query: 'etcd' });
    const b = fake.slash(alice, CHANNEL_B, 'k8s', { query: 'pod' });
    await fake.waitFor(() => fake.callbacksFor(a.id).length === 1 && fake.callbacksFor(b.id).length === 1);
    expect(fake.callbacksFor(a.id)[0]!.body.data.embeds[0].title).toMatch(/etcd/i);
    expect(fake.callbacksFor(b.id)[0]!.body.data.embeds[0].title).toMatch(/pod|파드/i);
    fake.say(alice, CHANNEL_A, 'hello A');
    fake.say(alice, CHANNEL_B, 'hello B');
    // The fake re-checks waitFor only on its own events; what the clients saw is polled.
    await until(() => r0.seen.includes(`message:${GUILD_A}`) && r1.seen.includes(`message:${GUILD_B}`));
    expect(r0.seen.filter((e) => !e.endsWith(GUILD_A))).toEqual([]);
    expect(r1.seen.filter((e) => !e.endsWith(GUILD_B))).toEqual([]);
    expect(r0.seen).toContain(`interaction:${GUILD_A}`);
    expect(r1.seen).toContain(`interaction:${GUILD_B}`);
    expect(fake.deliveredTo.get(0)?.get('INTERACTION_CREATE')).toBe(1);
    expect(fake.deliveredTo.get(1)?.get('INTERACTION_CREATE')).toBe(1);
  });
});

describe('discord: one replica holding both shards (DISCORD_SHARDS=0,1)', () => {
  it('opens one connection per shard and files each guild under the shard Discord sent it on', async () => {
    const fake = await startFakeDiscord({ guilds: [guild(GUILD_A, 'a', CHANNEL_A), guild(GUILD_B, 'b', CHANNEL_B)] });
    const r = await replica(fake, [0, 1]);
    try {
      expect(fake.gatewayConnections).toBe(2);
      expect(r.adapter.client.guilds.cache.get(GUILD_A)?.shardId).toBe(0);
      expect(r.adapter.client.guilds.cache.get(GUILD_B)?.shardId).toBe(1);
      const b = fake.slash(alice, CHANNEL_B, 'k8s', { query: 'etcd' });
      await fake.waitFor(() => fake.callbacksFor(b.id).length === 1);
      expect(fake.deliveredTo.get(1)?.get('INTERACTION_CREATE')).toBe(1);
      expect(fake.deliveredTo.get(0)?.get('INTERACTION_CREATE')).toBeUndefined();
    } finally {
      await r.adapter.stop();
      await r.app.close();
      await fake.close();
    }
  });
});
