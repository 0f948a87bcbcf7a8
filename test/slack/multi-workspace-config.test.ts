import { describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../adapters/slack/adapter.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TutorError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';

/** The settings of Slack across workspaces: the install flow replaces SLACK_BOT_TOKEN, and each mistake names its variable and the fix. */
const FLOW = { SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'a-long-random-state-secret' };

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(TutorError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('slack settings for many workspaces', () => {
  it('given the install flow and a signing secret, configures Slack without SLACK_BOT_TOKEN', () => {
    const c = loadConfig({ ...FLOW, SLACK_SIGNING_SECRET: 'sign' });
    expect(c.slack).toMatchObject({
      botToken: undefined,
      signingSecret: 'sign',
      oauth: { clientId: '1111.2222', clientSecret: 'client-secret' },
    });
  });

  it('given the install flow and SLACK_BOT_TOKEN, keeps both (the token serves its own workspace until it installs)', () => {
    expect(loadConfig({ ...FLOW, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sign' }).slack).toMatchObject({
      botToken: 'xoxb-1',
      oauth: { clientId: '1111.2222' },
    });
  });

  it('given the install flow with no way to receive events, names SLACK_SIGNING_SECRET and SLACK_APP_TOKEN with the fix', () => {
    const msg = problems(FLOW);
    expect(msg).toMatch(/SLACK_SIGNING_SECRET/);
    expect(msg).toMatch(/SLACK_APP_TOKEN/);
    expect(msg).toMatch(/Fix:/);
  });

  it('given part of the install flow, names SLACK_CLIENT_ID and asks for all three', () => {
    const msg = problems({ SLACK_CLIENT_ID: '1111.2222', SLACK_SIGNING_SECRET: 'sign' });
    expect(msg).toMatch(/SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together/);
    expect(msg).toMatch(/SLACK_BOT_TOKEN is missing/);
  });

  it('given a signing secret alone, names SLACK_BOT_TOKEN and offers the install flow as the other fix', () => {
    const msg = problems({ SLACK_SIGNING_SECRET: 'sign' });
    expect(msg).toMatch(
      /SLACK_BOT_TOKEN is missing.*Fix: set SLACK_BOT_TOKEN=xoxb-.*SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/,
    );
  });

  it('refuses to build the adapter with neither a token nor the install flow, naming both fixes', async () => {
    const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'] });
    try {
      expect(() =>
        createSlackAdapter({
          tutor: app.tutor,
          log: silentLogger,
          slack: { botToken: undefined, appToken: undefined, signingSecret: 'sign', apiUrl: undefined, adminUsers: [] },
        }),
      ).toThrow(/SLACK_BOT_TOKEN is missing.*SLACK_CLIENT_ID/);
    } finally {
      await app.close();
    }
  });
});
