import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { localDay } from '../../src/schedule/zone.js';
import { ROOT } from '../support/shared.js';
import { advance, DAY, FakePlatform, HOUR, MINUTE, startBot, tempDir, type Bot } from './harness.js';

const EIGHT_KST = Date.UTC(2026, 0, 4, 23, 0); // 08:00 on 5 January in Seoul

describe('exactly one post per channel per day', () => {
  const tmp = tempDir();
  const bots: Bot[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.close().catch(() => undefined);
    tmp.remove();
  });

  it('given two bot processes sharing one SQLite file, each day is posted once, by one of them', async () => {
    const clock = new ManualClock(EIGHT_KST);
    const platform = new FakePlatform(clock);
    const a = startBot({ dataDir: tmp.dir, clock, platform });
    const b = startBot({ dataDir: tmp.dir, clock, platform });
    bots.push(a, b);
    await Promise.all([a.feature.start(), b.feature.start()]);
    await a.daily('on 09:00 Asia/Seoul');
    // b learns of the subscription at its next resync, well before 09:00.
    await advance(clock, 5 * DAY, 10 * MINUTE);
    const days = platform.to('general').map((s) => localDay(s.at, 'Asia/Seoul'));
    expect(days).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09']);
    expect(platform.attempts).toHaveLength(5);
  });

  it('given two processes claiming the same slot at the same moment, exactly one sends', async () => {
    const clock = new ManualClock(EIGHT_KST + HOUR);
    const platform = new FakePlatform(clock);
    const a = startBot({ dataDir: tmp.dir, clock, platform });
    const b = startBot({ dataDir: tmp.dir, clock, platform });
    bots.push(a, b);
    const slot = { target: { platform: 'test', channel: 'general' }, day: '2026-01-05' };
    const results = await Promise.all([a, b].map((bot) => bot.feature.scheduler.deliver(slot, clock.now(), false)));
    expect(results.map((r) => r.result).sort()).toEqual(['sent', 'taken']);
    expect(platform.sent).toHaveLength(1);
  });

  it('given two real OS processes hammering the same slots, every slot has exactly one winner', async () => {
    const go = join(tmp.dir, 'go');
    await openSqliteStore({ dataDir: tmp.dir }).close(); // create and migrate once, before the race
    const run = (owner: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
            join(ROOT, 'test', 'schedule', 'claim-race.child.ts'),
            tmp.dir,
            go,
            '500',
            owner,
          ],
          { cwd: ROOT },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child ${owner} exited ${code}: ${err}`)),
        );
      });
    const ready = async (owner: string) => {
      while (!existsSync(`${go}.${owner}`)) await new Promise((r) => setTimeout(r, 10));
    };
    // Opened one after the other (opening counts boots in a read-then-write transaction; see the report), then raced.
    const p1 = run('p1');
    await ready('p1');
    const p2 = run('p2');
    await ready('p2');
    writeFileSync(go, 'go');
    const [w1, w2] = await Promise.all([p1, p2]);
    const all = [...w1!, ...w2!];
    if (process.env.DAILY_DEBUG) console.log(`p1 won ${w1!.length}, p2 won ${w2!.length}`);
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
  }, 30_000);

  it('after downtime, sends today’s missed post late, once, and never the days in between', async () => {
    const clock = new ManualClock(EIGHT_KST);
    const platform = new FakePlatform(clock);
    let bot = startBot({ dataDir: tmp.dir, clock, platform });
    await bot.feature.start();
    await bot.daily('on 09:00 Asia/Seoul');
    await advance(clock, 2 * HOUR, 10 * MINUTE);
    expect(platform.sent).toHaveLength(1);
    await bot.close();
    // Down for three and a half days; back at 14:00 Seoul time.
    clock.advance(3 * DAY + 3 * HOUR);
    bot = startBot({ dataDir: tmp.dir, clock, platform });
    bots.push(bot);
    await bot.feature.start();
    expect(platform.sent.map((s) => localDay(s.at, 'Asia/Seoul'))).toEqual(['2026-01-05', '2026-01-08']);
    await advance(clock, DAY, 10 * MINUTE);
    expect(platform.sent.map((s) => localDay(s.at, 'Asia/Seoul'))).toEqual(['2026-01-05', '2026-01-08', '2026-01-09']);
  });

  it('given a clean restart while a send is being retried, the new process retries at once instead of waiting out the lease', async () => {
    const clock = new ManualClock(EIGHT_KST);
    const platform = new FakePlatform(clock);
    const first = startBot({ dataDir: tmp.dir, clock, platform });
    await first.feature.start();
    await first.daily('on 09:00 Asia/Seoul');
    platform.failNext('general', 'transient');
    await advance(clock, HOUR, 10 * MINUTE);
    expect(platform.sent).toHaveLength(0);
    await first.close();
    const second = startBot({ dataDir: tmp.dir, clock, platform });
    bots.push(second);
    await second.feature.start();
    expect(platform.sent.map((s) => localDay(s.at, 'Asia/Seoul'))).toEqual(['2026-01-05']);
  });

  it('subscribing after today’s time waits for tomorrow', async () => {
    const clock = new ManualClock(EIGHT_KST + 5 * HOUR);
    const platform = new FakePlatform(clock);
    const bot = startBot({ dataDir: tmp.dir, clock, platform });
    bots.push(bot);
    await bot.feature.start();
    await bot.daily('on 09:00 Asia/Seoul');
    await advance(clock, 12 * HOUR, 10 * MINUTE);
    expect(platform.sent).toHaveLength(0);
    await advance(clock, 12 * HOUR, 10 * MINUTE);
    expect(platform.sent.map((s) => localDay(s.at, 'Asia/Seoul'))).toEqual(['2026-01-06']);
  });
});
