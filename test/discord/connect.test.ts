import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/adapter.js';
import { createApp, type App } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';

describe('discord: connecting', () => {
  let fake: FakeDiscord;
  let app: App;
  beforeAll(async () => {
    fake = await startFakeDiscord();
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'] });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  it('given a token Discord rejects, start fails naming DISCORD_TOKEN and the fix', async () => {
    const adapter = createDiscordAdapter({ token: 'wrong', apiUrl: fake.apiUrl, tutor: app.tutor, log: silentLogger });
    await expect(adapter.start()).rejects.toThrow(/DISCORD_TOKEN was rejected.*Fix:/);
    expect(adapter.ready()).toBe(false);
    await adapter.stop();
  });

  it('given a good token, identifies with only the intents it needs and is ready after every server arrived', async () => {
    const adapter = createDiscordAdapter({ token: fake.token, apiUrl: `${fake.apiUrl}/`, tutor: app.tutor, log: silentLogger });
    await adapter.start();
    expect(adapter.ready()).toBe(true);
    // Guilds (1) + GuildMessages (512) + MessageContent (32768) + DirectMessages (4096, not privileged): nothing else.
    expect(fake.intents).toBe(1 + 512 + 32768 + 4096);
    expect(adapter.client.guilds.cache.size).toBe(1);
    await adapter.stop();
    expect(adapter.ready()).toBe(false);
  });
});
