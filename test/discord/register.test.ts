import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../../adapters/discord/register.js';
import { silentLogger } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';

describe('discord: npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('given no application id, asks Discord for it and registers the commands globally', async () => {
    const result = await registerCommands({ token: fake.token, apiUrl: fake.apiUrl, log: silentLogger });
    expect(result.count).toBeGreaterThanOrEqual(6);
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/api/v10/applications/@me')).toBe(true);
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === `/api/v10/applications/${fake.applicationId}/commands`);
    expect(put?.status).toBe(200);
  });

  it('given DISCORD_GUILD_ID, registers for that server with Korean names and descriptions beside English', async () => {
    await registerCommands({
      token: fake.token,
      apiUrl: fake.apiUrl,
      applicationId: fake.applicationId,
      guildId: '300000000000000001',
      log: silentLogger,
    });
    const put = fake.calls.find((c) => c.path === `/api/v10/applications/${fake.applicationId}/guilds/300000000000000001/commands`);
    const k8s = put!.body.find((c: { name: string }) => c.name === 'k8s');
    expect(k8s.name_localizations.ko).toBe('개념');
    expect(k8s.description_localizations.ko).toMatch(/쿠버네티스/);
    expect(k8s.options[0].autocomplete).toBe(true);
    for (const c of put!.body) {
      expect(c.name_localizations.ko).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('registers /daily for server members who manage channels only, and /quiz for servers and the bot’s DM, in a body Discord’s OpenAPI description accepts', async () => {
    await registerCommands({ token: fake.token, apiUrl: fake.apiUrl, applicationId: fake.applicationId, log: silentLogger });
    const put = fake.calls.filter((c) => c.method === 'PUT' && c.path === `/api/v10/applications/${fake.applicationId}/commands`).at(-1)!;
    const byName = (n: string) => put.body.find((c: { name: string }) => c.name === n);
    expect(byName('daily').default_member_permissions).toBe(16);
    expect(byName('daily').contexts).toEqual([0]);
    expect(byName('quiz').contexts).toEqual([0, 1]);
    expect(put.status).toBe(200);
    expect(fake.specViolations).toEqual([]);
  });
});
