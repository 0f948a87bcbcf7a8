import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { advance, DAY, FakePlatform, HOUR, MINUTE, notes, startBot, tempDir, type Bot } from './harness.js';

/** Three cards without prerequisites, so a full pass takes three days. */
function smallNotes(): KnowledgeBase {
  const concepts = notes()
    .concepts.filter((c) => c.prerequisites.length === 0)
    .slice(0, 3)
    .map((c) => ({ ...c, related: [], confusedWith: [] }));
  return { concepts, sequences: [], classifications: [], problems: [], byId: new Map(concepts.map((c) => [c.id, c])) };
}

describe('after a full pass, what the channel missed comes first', () => {
  const tmp = tempDir();
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.close();
    tmp.remove();
  });

  it('given players missed a concept in quizzes and reviews here, posts it next; misses elsewhere do not count', async () => {
    const kb = smallNotes();
    const [a, b, c] = kb.concepts.map((x) => x.id) as [string, string, string];
    const clock = new ManualClock(Date.UTC(2026, 0, 4, 23, 0));
    const platform = new FakePlatform(clock);
    bot = startBot({ dataDir: tmp.dir, clock, platform, kb, options: { minGapMs: DAY } });
    await bot.feature.start();
    await bot.daily('on 09:00 Asia/Seoul');
    await advance(clock, 3 * DAY, 10 * MINUTE);
    expect(platform.sent.map((s) => s.reply.card!.id)).toEqual([a, b, c]);

    let seq = 0;
    const miss = (itemKey: string, channel: string, mode: 'solo' | 'review', user: string) =>
      bot!.store.quiz.recordAnswer({
        questionId: `q${++seq}`,
        platform: 'test',
        channel,
        userId: user,
        kind: itemKey.split(':')[0]!,
        itemKey,
        text: 'wrong',
        correct: false,
        credit: 0,
        points: 0,
        hints: 0,
        mode,
        at: clock.now(),
        seq,
      });
    await miss(`recall:${b}`, 'general', 'solo', 'u1');
    await miss(`choice:${b}`, 'general', 'review', 'u2');
    await miss(`recall:${a}`, 'general', 'solo', 'u3');
    // Many misses of c, but in another channel.
    for (let i = 0; i < 5; i++) await miss(`recall:${c}`, 'elsewhere', 'solo', `x${i}`);

    await advance(clock, 2 * DAY, 10 * MINUTE);
    expect(platform.sent.slice(3).map((s) => s.reply.card!.id)).toEqual([b, a]);
    await advance(clock, DAY + HOUR, 10 * MINUTE);
    // Nothing missed since: the second pass goes on with what it lacks.
    expect(platform.sent[5]!.reply.card!.id).toBe(c);
  });
});
