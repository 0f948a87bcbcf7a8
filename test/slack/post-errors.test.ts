import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { PERMANENT_SLACK_ERRORS, toPostError } from '../../adapters/slack/postError.js';
import { isPermanentPostError, PostRejectedError } from '../../src/errors.js';

/** The errors @slack/web-api throws, as it throws them, sorted into "pause the channel" and "try again later". */
const platform = (error: string) =>
  new webApi.WebAPIPlatformError({ ok: false, error } as ConstructorParameters<typeof webApi.WebAPIPlatformError>[0]);

describe('given a Slack post that failed', () => {
  it("calls a channel that can never take posts permanent, with Slack's code as the reason", () => {
    for (const code of [
      'channel_not_found',
      'is_archived',
      'channel_is_archived',
      'not_in_channel',
      'restricted_action',
      'missing_scope',
      'account_inactive',
      'invalid_auth',
      'team_access_not_granted',
      'token_revoked',
    ]) {
      const err = toPostError(platform(code), 'C1');
      expect(err).toBeInstanceOf(PostRejectedError);
      expect(err.permanent, code).toBe(true);
      expect(isPermanentPostError(err)).toBe(true);
      expect(err.reason).toBe(code);
      expect(err.message).toContain(code);
      expect(err.cause).toBeInstanceOf(webApi.WebAPIPlatformError);
    }
    expect(PERMANENT_SLACK_ERRORS.has('is_archived')).toBe(true);
  });

  it("keeps rate limits, Slack's own trouble, HTTP errors and network failures temporary", () => {
    const temporary: unknown[] = [
      new webApi.WebAPIRateLimitedError(30),
      platform('ratelimited'),
      platform('internal_error'),
      platform('fatal_error'),
      platform('service_unavailable'),
      // A bug of ours must not pause every channel.
      platform('invalid_blocks'),
      new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}, ''),
      new webApi.WebAPIRequestError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })),
      new Error('socket hang up'),
      'a string',
    ];
    for (const e of temporary) {
      const err = toPostError(e, 'C1');
      expect(err).toBeInstanceOf(PostRejectedError);
      expect(err.permanent, String(err.message)).toBe(false);
      expect(isPermanentPostError(err)).toBe(false);
    }
    expect(toPostError(new webApi.WebAPIHTTPError(503, 'x', {}, ''), 'C1').reason).toBe('http 503');
  });

  it('passes a PostRejectedError through unchanged', () => {
    const original = new PostRejectedError('gone', { permanent: true, reason: 'is_archived' });
    expect(toPostError(original, 'C1')).toBe(original);
  });
});
