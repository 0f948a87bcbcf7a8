import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { toPostError } from '../../adapters/discord/postError.js';

describe('discord: which refusals of a post are for good', () => {
  const apiError = (status: number, code: number, message: string) =>
    new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.test/api/v10/channels/1/messages', { body: {} });

  it.each([
    [404, 10003, 'Unknown Channel'],
    [404, 10004, 'Unknown Guild'],
    [403, 50001, 'Missing Access'],
    [403, 50013, 'Missing Permissions'],
    [400, 50083, 'Thread is archived'],
    [403, 160005, 'Thread is locked'],
    [400, 50008, 'Cannot send messages in a non-text channel'],
  ])('given HTTP %i with code %i (%s), the post is refused permanently', (status, code, message) => {
    const err = toPostError(apiError(status, code, message), '1');
    expect(err).toMatchObject({ name: 'PostRejectedError', permanent: true, reason: `discord ${code}` });
    expect(err.message).toContain(message);
  });

  it('given a rate limit, a 5xx, an invalid body or a network error, the failure is temporary', () => {
    expect(toPostError(apiError(429, 20016, 'Slowmode rate limit'), '1').permanent).toBe(false);
    expect(toPostError(apiError(400, 50035, 'Invalid Form Body'), '1').permanent).toBe(false);
    expect(toPostError(new HTTPError(502, 'Bad Gateway', 'POST', 'https://discord.test/x', { body: {} }), '1')).toMatchObject({
      permanent: false,
      reason: 'http 502',
    });
    expect(toPostError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), '1')).toMatchObject({
      permanent: false,
      reason: 'ECONNREFUSED',
    });
  });
});
