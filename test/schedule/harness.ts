import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, ManualClock, TimerHandle } from '../../src/clock.js';
import { PostRejectedError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';
import type { PostTarget, Reply } from '../../src/reply.js';
import { createDailyFeature, type DailyFeature } from '../../src/schedule/feature.js';
import type { SchedulerOptions } from '../../src/schedule/scheduler.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let kb: KnowledgeBase | undefined;
export function notes(): KnowledgeBase {
  kb ??= loadKnowledge(['knowledge']);
  return kb;
}

export interface Sent {
  target: PostTarget;
  reply: Reply;
  at: number;
}

/**
 * The network edge faked: an outbox that records what reached "the platform", and can be told
 * to fail the next sends to a channel (a 500, or a permanent refusal such as an archived channel).
 */
export class FakePlatform {
  readonly sent: Sent[] = [];
  readonly attempts: Sent[] = [];
  private failures = new Map<string, ('transient' | 'permanent')[]>();

  constructor(private readonly clock: Clock) {}

  failNext(channel: string, ...kinds: ('transient' | 'permanent')[]): void {
    this.failures.set(channel, [...(this.failures.get(channel) ?? []), ...kinds]);
  }

  readonly outbox = async (target: PostTarget, reply: Reply): Promise<void> => {
    const record = { target, reply, at: this.clock.now() };
    this.attempts.push(record);
    const fail = this.failures.get(target.channel)?.shift();
    if (fail === 'transient') throw new Error('platform answered 503');
    if (fail === 'permanent') throw new PostRejectedError('channel_not_found', { permanent: true, reason: 'channel_not_found' });
    this.sent.push(record);
  };

  to(channel: string): Sent[] {
    return this.sent.filter((s) => s.target.channel === channel);
  }
}

/** A clock view whose timers die with their process: what a crash does to a bot's pending timers. */
export function killable(clock: ManualClock): Clock & { kill(): void } {
  let dead = false;
  return {
    now: () => clock.now(),
    setTimer(ms: number, fn: () => void): TimerHandle {
      return clock.setTimer(ms, () => {
        if (!dead) fn();
      });
    },
    kill: () => void (dead = true),
  };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'daily-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One bot process: its own connection to the store, its own scheduler. */
export interface Bot {
  store: Store;
  feature: DailyFeature;
  clock: Clock & { kill(): void };
  daily(text: string, msg?: Partial<IncomingMessage>): Promise<Reply[]>;
  crash(): Promise<void>;
  close(): Promise<void>;
}

export function startBot(opts: {
  dataDir: string;
  clock: ManualClock;
  platform: FakePlatform;
  log?: Logger;
  options?: Partial<SchedulerOptions>;
  kb?: KnowledgeBase;
}): Bot {
  const store = openSqliteStore({ dataDir: opts.dataDir });
  const clock = killable(opts.clock);
  const feature = createDailyFeature({
    kb: opts.kb ?? notes(),
    store,
    clock,
    log: opts.log ?? silentLogger,
    outbox: opts.platform.outbox,
    options: opts.options,
  });
  return {
    store,
    feature,
    clock,
    async daily(text, msg) {
      const args = text.trim().split(/\s+/).filter(Boolean);
      const message: IncomingMessage = {
        platform: 'test',
        user: { id: 'admin' },
        channel: { id: 'general' },
        workspace: 'w',
        text: `/daily ${text}`,
        canManage: true,
        ...msg,
      };
      return feature.commands!.daily!({ name: 'daily', args }, message);
    },
    async crash() {
      clock.kill();
      await store.close();
    },
    async close() {
      await feature.close!();
      await store.close();
    },
  };
}

/** Lets every promise chain started by timers finish (the store answers synchronously). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Moves the clock in steps, letting the bot's async work run between them as real time would.
 * Steps end on multiples of `step` (whole minutes, hours), where the slots fall, so work a timer
 * starts runs with the clock still at the timer's time.
 */
export async function advance(clock: ManualClock, ms: number, step = 5 * MINUTE): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    const boundary = Math.floor(clock.now() / step) * step + step;
    clock.advance(Math.min(boundary, end) - clock.now());
    await settle();
  }
}
