import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstaller, slackInstallationStore } from '../../adapters/slack/installs.js';
import { slackOutboundQueues } from '../../adapters/slack/outboundClient.js';
import { createSlackClients, type SlackClients } from '../../adapters/slack/teamClients.js';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { FakeSlackApi } from '../fakes/slack/webApi.js';

/** One Web API client per workspace, in a cache with a cap, each reading its token from the workspace's installation in our store. */
describe('slack: a client per workspace', () => {
  let api: FakeSlackApi;
  let app: App;
  let clients: SlackClients;
  let reads = 0;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'] });
    for (const n of [2, 3])
      api.addTeam({
        teamId: `T000${n}`,
        botToken: `xoxb-team-${n}`,
        botUserId: `UBOT${n}`,
        botId: `B000${n}`,
        refreshToken: `xoxe-${n}`,
        name: `Team ${n}`,
      });
    for (const n of [1, 2, 3]) {
      const token = n === 1 ? api.opts.botToken : `xoxb-team-${n}`;
      await app.store.installations.save(
        'slack',
        `T:T000${n}`,
        {
          team: { id: `T000${n}` },
          bot: { token, userId: `UBOT${n}`, id: `B000${n}`, scopes: [] },
          authVersion: 'v2',
          isEnterpriseInstall: false,
        },
        clock.now(),
      );
    }
    const installer = createInstaller(
      { clientId: api.oauth.clientId, clientSecret: api.oauth.clientSecret, stateSecret: 'state-secret-for-tests', apiUrl: api.apiUrl },
      slackInstallationStore(app.store, clock, silentLogger),
    );
    clients = createSlackClients({
      botToken: undefined,
      authorize: async (source) => {
        reads++;
        return installer.authorize(source);
      },
      clientOptions: { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } },
      queues: slackOutboundQueues(silentLogger, 10),
      log: silentLogger,
      now: () => clock.now(),
      maxTeams: 2,
    });
  });
  afterAll(async () => {
    await app?.close();
    await api?.stop();
  });

  it('posts with each workspace’s own token', async () => {
    for (const n of [1, 2]) await (await clients.get(`T000${n}`)).chat.postMessage({ channel: `C${n}`, text: 'hi' });
    expect(api.callsOf('chat.postMessage').map((c) => [c.args.channel, c.team])).toEqual([
      ['C1', 'T0001'],
      ['C2', 'T0002'],
    ]);
  });

  it('reads the store once per workspace while the token is fresh, and again after the TTL', async () => {
    const before = reads;
    await clients.get('T0001');
    await clients.get('T0002');
    expect(reads).toBe(before);
    clock.advance(61_000);
    await clients.get('T0001');
    expect(reads).toBe(before + 1);
  });

  it('keeps at most maxTeams clients: a third workspace pushes out the least recently used, which is read again when needed', async () => {
    await clients.get('T0001');
    await clients.get('T0002');
    const before = reads;
    await clients.get('T0003'); // evicts T0001, the least recently used
    await clients.get('T0002'); // still cached
    expect(reads).toBe(before + 1);
    await clients.get('T0001');
    expect(reads).toBe(before + 2);
  });

  it('refuses a workspace with no installation as permanent, so the scheduler pauses rather than retries', async () => {
    await expect(clients.get('T0404')).rejects.toMatchObject({ permanent: true, reason: 'not_installed' });
    await app.store.installations.remove('slack', 'T:T0003');
    clients.forget('T0003');
    await expect(clients.get('T0003')).rejects.toMatchObject({ permanent: true, reason: 'not_installed' });
  });
});
