import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { localDay, localWhen } from '../../src/schedule/zone.js';
import { curriculum } from '../../src/schedule/order.js';
import { advance, DAY, FakePlatform, HOUR, MINUTE, notes, settle, startBot, tempDir, type Bot } from './harness.js';

const CHANNELS = [
  { channel: 'seoul', time: '09:00', zone: 'Asia/Seoul' },
  // New York springs forward on 8 March 2026, inside the window.
  { channel: 'new-york', time: '09:00', zone: 'America/New_York' },
  // London springs forward on 29 March 2026.
  { channel: 'london', time: '18:30', zone: 'Europe/London' },
];

describe('sixty days of concept of the day in three time zones', () => {
  const tmp = tempDir();
  let bot: Bot | undefined;
  afterEach(async () => {
    await bot?.close().catch(() => undefined);
    tmp.remove();
  });

  it('given a crash mid-way and failed sends, posts exactly once per channel per local day, never repeating a concept', async () => {
    const start = Date.UTC(2026, 1, 20, 0, 30); // 20 Feb 2026
    const clock = new ManualClock(start);
    const platform = new FakePlatform(clock);
    bot = startBot({ dataDir: tmp.dir, clock, platform });
    await bot.feature.start();
    for (const c of CHANNELS) {
      const [reply] = await bot.daily(`on ${c.time} ${c.zone}`, { channel: { id: c.channel } });
      expect(reply?.code).toBe('daily.on');
    }

    // Day 10: Seoul's 09:00 attempt fails (a 503) and is retried 30 s later.
    const seoulSlot = Date.UTC(2026, 2, 2, 0, 0); // 09:00 KST on 2 March
    await advance(clock, seoulSlot - 2 * MINUTE - clock.now(), 10 * MINUTE);
    platform.failNext('seoul', 'transient');
    await advance(clock, 4 * MINUTE, 10_000);

    // Day 29: New York's send fails, and the process dies before it retries.
    await advance(clock, Date.UTC(2026, 2, 21, 11, 0) - clock.now(), 10 * MINUTE);
    platform.failNext('new-york', 'transient');
    const nyPosts = platform.to('new-york').length;
    const slot = Date.UTC(2026, 2, 21, 13, 0); // 09:00 EDT on 21 March
    await advance(clock, slot - clock.now() + 10_000, MINUTE);
    expect(platform.attempts.filter((a) => a.target.channel === 'new-york').length).toBe(nyPosts + 1);
    await bot.crash();

    // A new process over the same store, ten minutes later.
    await advance(clock, 10 * MINUTE);
    bot = startBot({ dataDir: tmp.dir, clock, platform });
    await bot.feature.start();
    await settle();
    // The dead process's claim is honoured until its lease runs out, then taken over the same day.
    expect(platform.to('new-york').length).toBe(nyPosts);
    await advance(clock, 2 * HOUR);
    expect(platform.to('new-york').length).toBe(nyPosts + 1);
    expect(localDay(platform.to('new-york').at(-1)!.at, 'America/New_York')).toBe('2026-03-21');

    await advance(clock, start + 60 * DAY - clock.now(), 10 * MINUTE);
    await bot.close();
    bot = undefined;

    const order = curriculum(notes().concepts);
    const pos = new Map(order.map((id, i) => [id, i]));
    for (const c of CHANNELS) {
      const posts = platform.to(c.channel);
      const days = posts.map((p) => localDay(p.at, c.zone));
      expect(new Set(days).size, `${c.channel}: one post a day`).toBe(days.length);
      expect(days.length, `${c.channel}: a post every day`).toBeGreaterThanOrEqual(59);
      // Consecutive local days, none skipped.
      for (let i = 1; i < days.length; i++) expect(Date.parse(days[i]!) - Date.parse(days[i - 1]!)).toBe(DAY);
      const ids = posts.map((p) => p.reply.card!.id);
      expect(new Set(ids).size, `${c.channel}: no repeat before every concept was posted`).toBe(ids.length);
      // The first pass follows the teaching order: prerequisites first.
      expect(ids).toEqual(order.slice(0, ids.length));
      for (const id of ids) for (const p of notes().byId.get(id)!.prerequisites) expect(pos.get(p)!).toBeLessThan(pos.get(id)!);
      // On time by the local clock across the DST changes; only the taken-over post came late.
      const late = posts.filter((p) => !localWhen(p.at, c.zone).includes(` ${c.time} `)).map((p) => localWhen(p.at, c.zone));
      if (c.channel === 'new-york') expect(late).toEqual([expect.stringMatching(/^2026-03-21 (10|11):\d\d /)]);
      else expect(late, `${c.channel}: late posts`).toEqual([]);
    }
    // New York at 09:00 local: 14:00 UTC before 8 March, 13:00 UTC after.
    const ny = platform.to('new-york').map((p) => new Date(p.at).toISOString());
    expect(ny).toContain('2026-03-07T14:00:00.000Z');
    expect(ny).toContain('2026-03-09T13:00:00.000Z');
    // London at 18:30 local: 18:30 UTC before 29 March, 17:30 UTC after.
    const london = platform.to('london').map((p) => new Date(p.at).toISOString());
    expect(london).toContain('2026-03-28T18:30:00.000Z');
    expect(london).toContain('2026-03-30T17:30:00.000Z');
    // The Seoul retry: the failed 09:00 attempt, then one success 30 s later (steps of a minute around it).
    const seoulAttempts = platform.attempts.filter((a) => a.target.channel === 'seoul' && localDay(a.at, 'Asia/Seoul') === '2026-03-02');
    expect(seoulAttempts.map((a) => new Date(a.at).toISOString())).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-02T00:00:30.000Z']);
    if (process.env.DAILY_DEBUG)
      console.log(
        CHANNELS.map(
          (c) =>
            `${c.channel}: ${platform.to(c.channel).length} posts, first ${localWhen(platform.to(c.channel)[0]!.at, c.zone)}, late ${platform
              .to(c.channel)
              .filter((p) => !localWhen(p.at, c.zone).includes(` ${c.time} `))
              .map((p) => localWhen(p.at, c.zone))
              .join(', ')}`,
        ).join('\n'),
      );
  });
});
