import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { createInstaller, slackInstallationStore } from '../../adapters/slack/installs.js';
import { createApp, type App } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { eventCallback } from '../fakes/slack/payloads.js';
import { FakeSocketMode } from '../fakes/slack/socketMode.js';
import { FakeSlackApi } from '../fakes/slack/webApi.js';

/** Socket Mode with the install flow: events from two installed workspaces, each answered with its own token. */
describe('slack: Socket Mode across workspaces', () => {
  let api: FakeSlackApi;
  let socket: FakeSocketMode;
  let app: App;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    api.addTeam({
      teamId: 'T0002',
      botToken: 'xoxb-second-workspace',
      botUserId: 'UBOT2',
      botId: 'B0002',
      refreshToken: 'xoxe-2',
      name: 'Second',
    });
    socket = await new FakeSocketMode(api).start();
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], limits: false });
    for (const [team, token, bot] of [
      ['T0001', api.opts.botToken, 'UBOT'],
      ['T0002', 'xoxb-second-workspace', 'UBOT2'],
    ] as const) {
      // What @slack/oauth saves after an install (adapters/slack/installs.ts), as the redirect would have stored it.
      await app.store.installations.save(
        'slack',
        `T:${team}`,
        {
          team: { id: team },
          bot: { token, userId: bot, id: `B${team}`, scopes: ['chat:write'] },
          authVersion: 'v2',
          isEnterpriseInstall: false,
          enterprise: undefined,
        },
        Date.now(),
      );
    }
    const installer = createInstaller(
      { clientId: api.oauth.clientId, clientSecret: api.oauth.clientSecret, stateSecret: 'state-secret-for-tests', apiUrl: api.apiUrl },
      slackInstallationStore(app.store, systemClock, silentLogger),
    );
    adapter = createSlackAdapter({
      tutor: app.tutor,
      log: silentLogger,
      slack: { botToken: undefined, appToken: api.opts.appToken, signingSecret: undefined, apiUrl: api.apiUrl, adminUsers: [] },
      authorize: installer.authorize.bind(installer),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await socket?.stop();
    await api?.stop();
  });

  it('answers a mention in each workspace in its thread, with that workspace’s token', async () => {
    const mention = (team: string, bot: string, ts: string) => ({
      ...eventCallback({ type: 'app_mention', user: 'U0001', text: `<@${bot}> etcd`, ts, channel: `C${team}`, team }),
      team_id: team,
    });
    await socket.send('events_api', mention('T0001', 'UBOT', '1767225600.700001'));
    await socket.send('events_api', mention('T0002', 'UBOT2', '1767225600.700002'));
    const answer = (ts: string) => api.callsOf('chat.postMessage').find((c) => c.args.thread_ts === ts && c.status === 200);
    await api.waitFor(() => answer('1767225600.700001') && answer('1767225600.700002'));
    expect(answer('1767225600.700001')!.token).toBe(api.opts.botToken);
    expect(answer('1767225600.700002')!.token).toBe('xoxb-second-workspace');
    expect(api.callsOf('auth.test')).toHaveLength(0);
  });
});
