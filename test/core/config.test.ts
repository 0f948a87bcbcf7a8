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
    expect(loadConfig({ REVIEW_RETENTION: '0.85', REVIEW_REMIND_MIN_DUE: '5' })).toMatchObject({
      reviewRetention: 0.85,
      reviewRemindMinDue: 5,
    });
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

  it('given DATABASE_URL, selects PostgreSQL with its pool settings; unset keeps SQLite', () => {
    expect(loadConfig({}).database).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://tutor:pw@db:5432/tutor', DATABASE_POOL_MAX: '4' }).database).toEqual({
      url: 'postgres://tutor:pw@db:5432/tutor',
      poolMax: 4,
      statementTimeoutMs: 5_000,
    });
  });

  it('given a DATABASE_URL that is not a PostgreSQL URL, names DATABASE_URL and how to fix it', () => {
    for (const bad of ['mysql://db/tutor', 'db:5432', 'postgres://']) {
      const msg = problems({ DATABASE_URL: bad });
      expect(msg).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
      expect(msg).toMatch(/Fix: correct it, or unset DATABASE_URL/);
    }
    expect(problems({ DATABASE_URL: 'postgres://db/t', DATABASE_POOL_MAX: '0' })).toMatch(/DATABASE_POOL_MAX must be/);
  });

  it('given Discord HTTP and shard settings, reads them; a bad key or shard list names the variable and the fix', () => {
    const d = loadConfig({
      DISCORD_TOKEN: 't',
      DISCORD_PUBLIC_KEY: 'AB'.repeat(32),
      DISCORD_SHARDS: '2-3',
      DISCORD_SHARD_COUNT: '4',
      DISCORD_TYPED_ANSWERS: 'off',
    }).discord!;
    expect(d).toMatchObject({ publicKey: 'ab'.repeat(32), shards: [2, 3], shardCount: 4, typedAnswers: false });
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_SHARDS: 'auto' }).discord).toMatchObject({ shards: 'auto', typedAnswers: true });
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_PUBLIC_KEY: 'not-hex' })).toMatch(/DISCORD_PUBLIC_KEY must be the 64 hex characters/);
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_SHARDS: '0,1' })).toMatch(/DISCORD_SHARD_COUNT is missing/);
    expect(problems({ DISCORD_TOKEN: 't', DISCORD_SHARDS: '0,4', DISCORD_SHARD_COUNT: '4' })).toMatch(/at or above DISCORD_SHARD_COUNT/);
  });
});
