import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { metrics } from '../../src/metrics.js';
import { advance, DAY, FakePlatform, HOUR, MINUTE, notes, settle, startBot, tempDir, type Bot } from './harness.js';
import { silentLogger } from '../../src/logger.js';
import { createDailyFeature } from '../../src/schedule/feature.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const EIGHT_KST = Date.UTC(2026, 0, 4, 23, 0); // 08:00 on 5 January in Seoul

function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

async function counter(result: string): Promise<number> {
  const m = await metrics.dailyPosts.get();
  return m.values.find((v) => v.labels.result === result)?.value ?? 0;
}

describe('/daily', () => {
  const tmp = tempDir();
  let clock: ManualClock;
  let platform: FakePlatform;
  let bot: Bot;
  let logged: ReturnType<typeof memoryLog>;

  beforeEach(async () => {
    clock = new ManualClock(EIGHT_KST);
    platform = new FakePlatform(clock);
    logged = memoryLog();
    bot = startBot({ dataDir: tmp.dir, clock, platform, log: logged.log });
    await bot.feature.start();
  });
  afterEach(async () => {
    await bot.close().catch(() => undefined);
    tmp.remove();
  });

  it('on with no arguments subscribes at 09:00 Asia/Seoul and says when the first post comes', async () => {
    const [reply] = await bot.daily('on');
    expect(reply).toMatchObject({ code: 'daily.on', visibility: 'channel' });
    expect(reply!.markdown).toContain('09:00 (Asia/Seoul)');
    expect(reply!.markdown).toContain('2026-01-05 09:00 (Asia/Seoul)');
  });

  it('reads the time and the zone in either order and any case', async () => {
    const [reply] = await bot.daily('on europe/london 7:30');
    expect(reply!.markdown).toContain('07:30 (Europe/London)');
    const sub = await bot.store.daily.subscription('test', 'general');
    expect(sub).toMatchObject({ timeOfDay: '07:30', zone: 'Europe/London', enabled: true });
  });

  it.each([
    ['on 25:00', 'daily.time.invalid'],
    ['on 9', 'daily.time.invalid'],
    ['on 09:00 Mars/Base', 'daily.zone.invalid'],
    ['on KST', 'daily.zone.invalid'],
    ['on 09:00 Asia/Seoul extra', 'daily.usage'],
    ['sometimes', 'daily.usage'],
    ['off now', 'daily.usage'],
  ])('given %j, answers privately in both languages with %s and changes nothing', async (text, code) => {
    const [reply] = await bot.daily(text);
    expect(reply).toMatchObject({ code, visibility: 'private' });
    expect(reply!.markdown).toMatch(/[가-힣]/);
    expect(reply!.markdown).toMatch(/[A-Za-z]{4}/);
    expect(await bot.store.daily.subscription('test', 'general')).toBeUndefined();
  });

  it('never echoes a ping from a bad time zone', async () => {
    const [reply] = await bot.daily('on <@U123> @everyone');
    expect(reply!.code).toMatch(/^daily\.(time|zone)\.invalid$/);
    const [zone] = await bot.daily('on <!channel>');
    expect(zone!.code).toBe('daily.zone.invalid');
    for (const r of [reply!, zone!]) {
      expect(r.markdown).not.toMatch(/<@U123>|@everyone|<!channel>/);
    }
  });

  it('refuses on, off and now politely to someone who cannot manage the channel, and shows status to anyone', async () => {
    for (const sub of ['on', 'off', 'now']) {
      const [reply] = await bot.daily(sub, { canManage: false });
      expect(reply).toMatchObject({ code: 'daily.forbidden', visibility: 'private' });
      expect(reply!.markdown).toContain('Sorry');
      expect(reply!.markdown).toContain('죄송해요');
    }
    const [unset] = await bot.daily('now', { canManage: undefined });
    expect(unset!.code).toBe('daily.forbidden');
    expect(platform.attempts).toHaveLength(0);
    const [status] = await bot.daily('status', { canManage: false });
    expect(status!.code).toBe('daily.status');
  });

  it('posts the card, why it matters, and a quiz button that runs a private quiz for the presser', async () => {
    await bot.daily('on 09:00 Asia/Seoul');
    await advance(clock, 2 * HOUR, 10 * MINUTE);
    expect(platform.sent).toHaveLength(1);
    const { target, reply } = platform.sent[0]!;
    expect(target).toEqual({ platform: 'test', channel: 'general', workspace: 'w' });
    expect(reply).toMatchObject({ kind: 'daily', code: 'daily.post', visibility: 'channel', daily: { day: '2026-01-05' } });
    expect(reply.card!.id).toBe('container-infrastructure');
    expect(reply.daily!.why!.en).toMatch(/\w/);
    expect(reply.markdown).toContain('Why it matters');
    expect(reply.markdown).toContain(reply.daily!.why!.ko);
    expect(reply.actions).toEqual([
      {
        kind: 'quiz-on-concept',
        conceptId: 'container-infrastructure',
        command: '/quiz container-infrastructure',
        label: { ko: '퀴즈 풀기', en: 'Quiz me' },
      },
    ]);
  });

  it('now posts today’s concept once; a second now says it was already posted', async () => {
    const before = await counter('sent');
    const [first] = await bot.daily('now');
    expect(first!.code).toBe('daily.now.sent');
    const [second] = await bot.daily('now');
    expect(second!.code).toBe('daily.now.already');
    expect(platform.sent).toHaveLength(1);
    // Subscribing afterwards does not post a second time today.
    await bot.daily('on 08:30 Asia/Seoul');
    await advance(clock, 3 * HOUR, 10 * MINUTE);
    expect(platform.sent).toHaveLength(1);
    expect(await counter('sent')).toBe(before + 1);
  });

  it('retries a failing send with growing waits, records each failure for status, then gives up for the day', async () => {
    const failedBefore = await counter('failed');
    await bot.daily('on 09:00 Asia/Seoul');
    platform.failNext('general', 'transient', 'transient', 'transient', 'transient', 'transient', 'transient');
    await advance(clock, 4 * HOUR, 10_000);
    const times = platform.attempts.map((a) => (a.at - Date.UTC(2026, 0, 5, 0, 0)) / 1000);
    expect(times).toEqual([0, 30, 150, 750, 2550, 6150]);
    expect(platform.sent).toHaveLength(0);
    expect(await counter('failed')).toBe(failedBefore + 6);
    const [status] = await bot.daily('status');
    expect(status!.markdown).toContain('failed after 6 attempts');
    expect(status!.markdown).toContain('platform answered 503');
    expect(logged.lines.some((l) => l.msg === 'daily: post failed, giving up for today')).toBe(true);
    // The next day is a new day.
    await advance(clock, DAY, 10 * MINUTE);
    expect(platform.sent).toHaveLength(1);
  });

  it('now retries a day whose retries gave up', async () => {
    await bot.daily('on 09:00 Asia/Seoul');
    platform.failNext('general', ...Array<'transient'>(6).fill('transient'));
    await advance(clock, 4 * HOUR, MINUTE);
    expect(platform.sent).toHaveLength(0);
    const [reply] = await bot.daily('now');
    expect(reply!.code).toBe('daily.now.sent');
    expect(platform.sent).toHaveLength(1);
  });

  it('pauses a channel the platform refuses for good, logs it, stops trying, and resumes on /daily on', async () => {
    const pausedBefore = await counter('paused');
    await bot.daily('on 09:00 Asia/Seoul');
    platform.failNext('general', 'permanent');
    await advance(clock, 2 * HOUR, MINUTE);
    expect(platform.attempts).toHaveLength(1);
    expect(await counter('paused')).toBe(pausedBefore + 1);
    expect(logged.lines.find((l) => String(l.msg).includes('paused'))).toMatchObject({ channel: 'general', level: 40 });
    await advance(clock, 3 * DAY, 10 * MINUTE);
    expect(platform.attempts).toHaveLength(1);
    const [status] = await bot.daily('status');
    expect(status!.markdown).toContain('paused');
    expect(status!.markdown).toContain('channel\\_not\\_found');
    await bot.daily('on');
    await advance(clock, DAY, 10 * MINUTE);
    expect(platform.sent).toHaveLength(1);
  });

  it('now in a channel the platform refuses says so and pauses it', async () => {
    await bot.daily('on');
    platform.failNext('general', 'permanent');
    const [reply] = await bot.daily('now');
    expect(reply!.code).toBe('daily.now.paused');
    expect((await bot.store.daily.subscription('test', 'general'))!.pausedReason).toContain('channel_not_found');
  });

  it('off stops the posts; off again says there was nothing to stop', async () => {
    await bot.daily('on');
    const [off] = await bot.daily('off');
    expect(off!.code).toBe('daily.off');
    const [again] = await bot.daily('off');
    expect(again!.code).toBe('daily.off.none');
    await advance(clock, 2 * DAY, 10 * MINUTE);
    expect(platform.attempts).toHaveLength(0);
  });

  it('status shows the schedule, the next post, today, the recent posts and the progress', async () => {
    const [off] = await bot.daily('status');
    expect(off!.markdown).toContain('off');
    await bot.daily('on 09:00 America/New_York');
    await advance(clock, 2 * DAY, 10 * MINUTE);
    const [status] = await bot.daily('');
    expect(status!.code).toBe('daily.status');
    expect(status!.markdown).toContain('every day at 09:00 (America/New_York)');
    expect(status!.markdown).toContain('next post: 2026-01-07 09:00 (America/New_York)');
    expect(status!.markdown).toMatch(/today \(2026-01-06\): 게시됨 · posted — /);
    expect(status!.markdown).toMatch(/recent: 2026-01-06 .* \/ 2026-01-05 /);
    expect(status!.markdown).toMatch(/progress: 2\/\d+ /);
  });

  it('reads Korean subcommands', async () => {
    const [reply] = await bot.daily('켜기 08:00');
    expect(reply!.code).toBe('daily.on');
    const [status] = await bot.daily('상태');
    expect(status!.code).toBe('daily.status');
  });
});

describe('/daily while a send hangs', () => {
  it('answers status after a bounded wait instead of hanging with the platform', async () => {
    const tmp = tempDir();
    const clock = new ManualClock(EIGHT_KST + HOUR + MINUTE);
    let release: () => void = () => {};
    const hung = new Promise<void>((r) => (release = r));
    const store = openSqliteStore({ dataDir: tmp.dir });
    const feature = createDailyFeature({ kb: notes(), store, clock, log: silentLogger, outbox: () => hung });
    const msg = { platform: 'test', user: { id: 'a' }, channel: { id: 'general' }, text: '', canManage: true };
    const sending = feature.commands!.daily!({ name: 'daily', args: ['now'] }, msg);
    await settle(); // the post is now waiting on the platform
    const status = feature.commands!.daily!({ name: 'daily', args: ['status'] }, msg);
    await settle();
    clock.advance(2_000);
    const [reply] = await status;
    expect(reply!.markdown).toContain('sending');
    release();
    expect((await sending)[0]!.code).toBe('daily.now.sent');
    await feature.close!();
    await store.close();
    tmp.remove();
  });
});
