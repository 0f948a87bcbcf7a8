import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ seed: 8 });
});
afterAll(async () => {
  await h.close();
});

const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '@everyone',
    '<!channel>',
    '<@U123>',
    '<#C1|general>',
    '```',
    '**',
    'A'.repeat(5000),
    '\u0000\u202e',
    'ㅊ뮹',
    '1 2 3 4 5 6 7 8 9 10 11',
    'Z Y X',
    '/quiz start 0',
    '/quiz start 5 order 1s',
    '/hint',
    '/quiz stop',
  ),
  fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', '1', '9', ',', ' '), { maxLength: 20 }).map((a) => a.join(' ')),
);

describe('whatever players type', () => {
  it('never crashes a round or a solo question, and never echoes a ping', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('ana', 'bo', 'cy'), fc.constantFrom('c1', 'c2'), hostile, fc.boolean()), {
          minLength: 1,
          maxLength: 25,
        }),
        async (steps) => {
          await h.say('host', '/quiz start 3', 'c1', { canManage: true });
          await h.say('ana', '/quiz', 'c2');
          for (const [user, channel, text, tick] of steps) {
            const replies = await h.say(user, text, channel, { name: `${user} @everyone <!here>` });
            for (const r of replies) {
              expect(r.kind).not.toBe('error');
              expect(r.markdown).not.toMatch(/<!channel>|<!here>|<@U123>|@everyone/);
            }
            if (tick) h.tick(11);
          }
          for (const p of h.posted.splice(0)) expect(p.reply.markdown).not.toMatch(/<!channel>|<!here>|@everyone/);
          await h.say('host', '/quiz stop', 'c1', { canManage: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});
