import { TutorError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { metrics } from '../src/metrics.js';

export interface OutboundOptions {
  platform: string;
  log: Logger;
  /** Posts that may wait in one channel (OUTBOUND_QUEUE_MAX); the next one is refused. */
  maxPerChannel: number;
  /** Channels that may have posts waiting at once; a post to one more channel is refused. */
  maxChannels?: number;
  /** Times one post is tried again after a rate limit before it is given up. */
  retries?: number;
  /** The wait a platform asked for (ms) when `err` is its rate limit, undefined for any other failure. */
  retryAfterOf?: (err: unknown) => number | undefined;
  /** Longest rate-limit wait honoured before the post is given up (a channel must not stall for hours). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Lane {
  jobs: Job[];
  busy: boolean;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * One outbound queue per channel. Posts to a channel go out one at a time, in order (Slack and
 * Discord both limit posting per channel, and a round's messages must not overtake each other);
 * a rate limit pauses only the channel it was for, so one busy channel never holds the others up.
 *
 * Bounded: at most `maxPerChannel` posts wait per channel, and at most `maxChannels` channels have
 * posts waiting. Overflow refuses the NEWEST post with a coded error (`outbound.full`), which the
 * caller logs; what is already queued keeps its order. A channel's lane is dropped when it empties.
 */
export class OutboundQueues {
  private readonly lanes = new Map<string, Lane>();
  private waiting = 0;
  private readonly maxChannels: number;
  private readonly retries: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: OutboundOptions) {
    this.maxChannels = opts.maxChannels ?? 10_000;
    this.retries = opts.retries ?? 3;
    this.maxWaitMs = opts.maxWaitMs ?? 120_000;
    this.sleep = opts.sleep ?? realSleep;
  }

  /** Posts waiting (not yet started) in every channel. */
  get depth(): number {
    return this.waiting;
  }

  /** Channels with posts waiting or in flight. */
  get channels(): number {
    return this.lanes.size;
  }

  /** Runs `job` in `channel`'s turn; rejects with `outbound.full` when that queue (or the channel table) is full. */
  run<T>(channel: string, job: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(channel);
    if (!lane) {
      if (this.lanes.size >= this.maxChannels)
        return Promise.reject(this.full(channel, `${this.maxChannels} channels already have posts waiting`));
      lane = { jobs: [], busy: false };
      this.lanes.set(channel, lane);
      metrics.outboundChannels.set({ platform: this.opts.platform }, this.lanes.size);
    }
    if (lane.jobs.length >= this.opts.maxPerChannel)
      return Promise.reject(this.full(channel, `${this.opts.maxPerChannel} posts already wait in this channel`));
    const promise = new Promise<T>((resolve, reject) => lane.jobs.push({ run: job, resolve: resolve as (v: unknown) => void, reject }));
    this.changeDepth(1);
    if (!lane.busy) void this.pump(channel, lane);
    return promise;
  }

  /** Resolves once nothing is waiting or in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await realSleep(5);
  }

  private async pump(channel: string, lane: Lane): Promise<void> {
    lane.busy = true;
    for (let job = lane.jobs.shift(); job; job = lane.jobs.shift()) {
      this.changeDepth(-1);
      try {
        job.resolve(await this.attempt(channel, job.run));
      } catch (err) {
        job.reject(err);
      }
    }
    lane.busy = false;
    this.lanes.delete(channel);
    metrics.outboundChannels.set({ platform: this.opts.platform }, this.lanes.size);
  }

  /** One post, tried again after each rate limit for as long as the platform asked; other failures go back to the caller. */
  private async attempt(channel: string, run: () => Promise<unknown>): Promise<unknown> {
    for (let tries = 0; ; tries++) {
      try {
        return await run();
      } catch (err) {
        const waitMs = this.opts.retryAfterOf?.(err);
        if (waitMs === undefined) throw err;
        metrics.rateLimited429.inc({ platform: this.opts.platform });
        if (tries >= this.retries || waitMs > this.maxWaitMs) throw err;
        metrics.retries.inc({ platform: this.opts.platform, reason: 'rate_limited' });
        this.opts.log.warn({ channel, waitMs, attempt: tries + 1 }, 'rate limited: this channel waits, others go on');
        await this.sleep(waitMs);
      }
    }
  }

  private changeDepth(by: number): void {
    this.waiting += by;
    metrics.outboundDepth.set({ platform: this.opts.platform }, this.waiting);
  }

  private full(channel: string, why: string): TutorError {
    metrics.outboundDropped.inc({ platform: this.opts.platform });
    this.opts.log.warn({ channel, platform: this.opts.platform }, `outbound queue full (${why}): the newest post is refused`);
    return new TutorError(
      'outbound.full',
      `Outbound queue full for channel ${channel} on ${this.opts.platform}: ${why}. Fix: raise OUTBOUND_QUEUE_MAX if this is normal load.`,
    );
  }
}
