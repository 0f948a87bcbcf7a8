import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App as TutorApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { createSlackAdapter } from '../../adapters/slack/adapter.js';
import { FakeSocketMode } from '../fakes/slack/socketMode.js';
import { FakeSlackApi } from '../fakes/slack/webApi.js';

let api: FakeSlackApi;
let socket: FakeSocketMode;
let tutor: TutorApp;
beforeAll(async () => {
  api = await new FakeSlackApi().start();
  socket = await new FakeSocketMode(api).start();
  tutor = await createApp({ notesPaths: ['knowledge'], log: silentLogger });
});
afterAll(async () => {
  await socket.stop();
  await api.stop();
  await tutor.close();
});

const base = () => ({ tutor: tutor.tutor, log: silentLogger, port: 0, host: '127.0.0.1' });

describe('given a wrong Slack setting', () => {
  it('fails at start naming SLACK_BOT_TOKEN and the fix when Slack rejects the bot token', async () => {
    const adapter = createSlackAdapter({
      ...base(),
      slack: { botToken: 'xoxb-wrong', appToken: undefined, signingSecret: 's', apiUrl: api.apiUrl, adminUsers: [] },
    });
    await expect(adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth.*Fix:/s);
    expect(adapter.ready()).toBe(false);
  });

  it('fails at start naming SLACK_APP_TOKEN and the fix when Socket Mode cannot connect', async () => {
    const adapter = createSlackAdapter({
      ...base(),
      slack: { botToken: api.opts.botToken, appToken: 'xapp-wrong', signingSecret: undefined, apiUrl: api.apiUrl, adminUsers: [] },
    });
    await expect(adapter.start()).rejects.toThrow(/SLACK_APP_TOKEN.*Fix:/s);
    await adapter.stop();
  });

  it('refuses HTTP mode without a signing secret, naming SLACK_SIGNING_SECRET', () => {
    expect(() =>
      createSlackAdapter({
        ...base(),
        slack: { botToken: api.opts.botToken, appToken: undefined, signingSecret: undefined, apiUrl: api.apiUrl, adminUsers: [] },
      }),
    ).toThrow(/SLACK_SIGNING_SECRET/);
  });
});

describe('given a shared HTTP server', () => {
  it('mounts /slack/events on it instead of listening on its own port', async () => {
    const routes = new Map<string, unknown>();
    const adapter = createSlackAdapter({
      ...base(),
      http: { route: (p, h) => void routes.set(p, h) },
      slack: { botToken: api.opts.botToken, appToken: undefined, signingSecret: 's', apiUrl: api.apiUrl, adminUsers: [] },
    });
    await adapter.start();
    expect(routes.get('/slack/events')).toBe(adapter.handleRequest);
    expect(adapter.address()).toBeUndefined();
    expect(adapter.ready()).toBe(true);
    await adapter.stop();
  });
});
