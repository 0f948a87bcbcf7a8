import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { TutorError } from '../../src/errors.js';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(TutorError);
    expect((err as TutorError).code).toBe('config.invalid');
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('given no settings, starts with defaults and no chat platform', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./data');
    expect(c.slack).toBeUndefined();
    expect(c.discord).toBeUndefined();
    expect(c.quizSeconds).toBe(30);
    expect(c.reviewRetention).toBe(0.9);
    expect(c.reviewRemindMinDue).toBe(3);
  });

  it('given a review retention or reminder threshold, takes it; out of range, names the variable and the fix', () => {
    expect(loadConfig({ REVIEW_RETENTION: '0.85', REVIEW_REMIND_MIN_DUE: '5' })).toMatchObject({ reviewRetention: 0.85, reviewRemindMinDue: 5 });
    expect(problems({ REVIEW_RETENTION: '90%' })).toMatch(/REVIEW_RETENTION.*0\.70 to 0\.99.*Fix: set REVIEW_RETENTION=0\.9/);
    expect(problems({ REVIEW_RETENTION: '1.5' })).toMatch(/REVIEW_RETENTION/);
    expect(problems({ REVIEW_REMIND_MIN_DUE: '0' })).toMatch(/REVIEW_REMIND_MIN_DUE.*Fix:/);
  });

  it('given a Slack bot token in the wrong shape, names SLACK_BOT_TOKEN and how to fix it', () => {
    const msg = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' });
    expect(msg).toMatch(/SLACK_BOT_TOKEN/);
    expect(msg).toMatch(/xoxb-/);
    expect(msg).toMatch(/Fix:/);
  });

  it('given a bot token without a way to receive events, asks for SLACK_APP_TOKEN or SLACK_SIGNING_SECRET', () => {
    const msg = problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' });
    expect(msg).toMatch(/SLACK_SIGNING_SECRET/);
    expect(msg).toMatch(/SLACK_APP_TOKEN/);
  });

  it('given an app token without a bot token, names SLACK_BOT_TOKEN', () => {
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1-abc' })).toMatch(/SLACK_BOT_TOKEN is missing/);
  });

  it('given several bad settings, lists each with its variable', () => {
    const msg = problems({ PORT: 'eighty', TUTOR_SEED: 'abc', DISCORD_API_URL: 'not a url' });
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/TUTOR_SEED/);
    expect(msg).toMatch(/DISCORD_API_URL/);
  });

  it('given Socket Mode settings, configures Slack with both tokens', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMIN_USERS: 'U1, U2' });
    expect(c.slack).toMatchObject({ botToken: 'xoxb-1', appToken: 'xapp-1', adminUsers: ['U1', 'U2'] });
  });

  it('given NOTES_PATH with commas, reads every path', () => {
    expect(loadConfig({ NOTES_PATH: 'a.md, knowledge ,b' }).notesPaths).toEqual(['a.md', 'knowledge', 'b']);
  });
});
