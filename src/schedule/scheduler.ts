import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import { isPermanentPostError } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { Logger } from '../logger.js';
import { metrics } from '../metrics.js';
import type { PostTarget, Reply } from '../reply.js';
import type { Claim, Subscription } from '../store/daily.js';
import type { Store } from '../store/types.js';
import type { Outbox } from '../tutor.js';
import { conceptOfItem, curriculum, DEFAULT_MIN_GAP_MS, pickConcept } from './order.js';
import { dailyPost } from './replies.js';
import { nextSlot, owedSlot } from './slots.js';

export interface SchedulerOptions {
  /** A claim not renewed for this long, and not sent, belonged to a process that died: take it over. */
  leaseMs: number;
  /** Waits between attempts after a failed send; one more attempt than entries, then the day gives up. */
  retryDelaysMs: number[];
  /** Re-read the subscriptions at least this often (another process may have changed them). */
  resyncMs: number;
  /** After the first full pass, a missed concept is not posted again sooner than this. */
  minGapMs: number;
  /** How far back players' misses count when choosing. */
  missesWindowMs: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  leaseMs: 90 * 60_000,
  retryDelaysMs: [30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000],
  resyncMs: 15 * 60_000,
  minGapMs: DEFAULT_MIN_GAP_MS,
  missesWindowMs: 90 * 24 * 60 * 60_000,
};

export interface SchedulerDeps {
  kb: KnowledgeBase;
  store: Store;
  clock: Clock;
  log: Logger;
  outbox?: Outbox | undefined;
  /**
   * The platforms whose scheduled posts this process sends (the adapters it runs); unset: all.
   * Another process sharing the store serves the rest. `/daily now` always posts through the outbox.
   */
  platforms?: string[] | undefined;
  options?: Partial<SchedulerOptions> | undefined;
}

/** Where a day's delivery ended up. `taken`: another process (or an earlier call) holds the day. */
export type Delivery =
  | { result: 'sent'; conceptId: string }
  | { result: 'retrying' }
  | { result: 'failed' }
  | { result: 'paused' }
  | { result: 'taken'; claim: Claim }
  | { result: 'empty' }
  | { result: 'unavailable' };

export interface Slot {
  target: PostTarget;
  day: string;
}

interface Job extends Slot {
  key: string;
  reply: Reply;
  conceptId: string;
}

const keyOf = (platform: string, channel: string) => `${platform}\u0000${channel}`;
const signature = (subs: Subscription[]) => subs.map((s) => `${keyOf(s.platform, s.channel)} ${s.timeOfDay} ${s.zone}`).join('\n');

/**
 * Posts each subscribed channel's concept once per local day.
 *
 * Exactly once: a delivery first claims the (channel, day) row in the store (INSERT … ON CONFLICT
 * DO NOTHING, one transaction), so of two processes, or a timer and `/daily now`, one sends.
 * The claim is renewed on every attempt; a process that dies mid-delivery leaves a stale claim that
 * the next sweep takes over after `leaseMs`, and a clean stop releases its claims at once.
 *
 * Timing: one timer on the injected clock, armed for the earliest next slot (croner computes it
 * in each channel's zone) or the resync interval. Every wake re-reads the subscriptions and sends
 * what is owed today; a slot missed during downtime is owed only on its own local day, so a restart
 * sends today's post late, once, and never a backlog.
 */
export class DailyScheduler {
  readonly owner: string;
  private readonly opts: SchedulerOptions;
  private orderOf: { kb: KnowledgeBase; order: string[] } | undefined;
  private subs: Subscription[] = [];
  private timer: TimerHandle | undefined;
  private readonly retries = new Set<TimerHandle>();
  private readonly sweeps = new Set<Promise<void>>();
  /** Per channel, so a timer and a command never pick a concept for the same channel at once. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Deliveries this instance holds and is still retrying: the sweep leaves them alone. */
  private readonly active = new Map<string, Job>();
  /** Until start(): commands work (they store schedules) but no timer runs in this process. */
  private stopped = true;

  constructor(private readonly deps: SchedulerDeps) {
    this.opts = { ...DEFAULT_SCHEDULER_OPTIONS, ...(deps.options ?? {}) };
    this.owner = `${deps.store.boot}-${randomUUID().slice(0, 8)}`;
  }

  /** Reads the schedules, sends what is owed now (a post missed while down), and arms the timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.sweep(this.deps.clock.now());
  }

  /** Stops the timer and retries, and releases held claims so the next start sends without waiting out the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const t of this.retries) t.cancel();
    this.retries.clear();
    await Promise.allSettled([...this.chains.values()]);
    for (const job of this.active.values()) {
      await this.deps.store.daily
        .release(job.target.platform, job.target.channel, job.day, this.owner)
        .catch((err: unknown) => this.deps.log.warn({ err, channel: job.target.channel }, 'daily: could not release claim'));
    }
    this.active.clear();
  }

  /** After `/daily on|off` here: read the schedules again and re-arm. */
  async refresh(): Promise<void> {
    this.subs = await this.served();
    this.arm();
  }

  private async served(): Promise<Subscription[]> {
    const all = await this.deps.store.daily.activeSubscriptions();
    const platforms = this.deps.platforms;
    return platforms ? all.filter((s) => platforms.includes(s.platform)) : all;
  }

  /** The next post time for a schedule, from now. */
  nextPost(s: { timeOfDay: string; zone: string }): number {
    return nextSlot(s, this.deps.clock.now());
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.deps.clock.now();
    let next = now + this.opts.resyncMs;
    for (const s of this.subs) {
      try {
        next = Math.min(next, nextSlot(s, now));
      } catch (err) {
        this.deps.log.warn({ err, channel: s.channel, zone: s.zone }, 'daily: no next slot for a schedule');
      }
    }
    this.timer = this.deps.clock.setTimer(Math.max(0, next - now), () => this.wake());
  }

  private wake(): void {
    const at = this.deps.clock.now();
    // Armed again before any await, from the schedules known now: a clock moved far ahead in one
    // step (a test, a transcript tick) still wakes at every slot on the way, each with its own time.
    this.arm();
    const sweep = this.sweep(at);
    this.sweeps.add(sweep);
    void sweep.finally(() => this.sweeps.delete(sweep));
  }

  /**
   * Resolves once the work that timers started so far (sweeps, sends, retries now running) is done.
   * `/daily` commands wait for it so `status` never reports a post that is half sent; a transcript
   * can wait for it after a tick so posts print in time order.
   */
  async idle(maxMs = 2_000): Promise<void> {
    // Bounded: a platform call that hangs must not hang `/daily status` with it.
    let waited = false;
    let timer: TimerHandle | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = this.deps.clock.setTimer(maxMs, () => {
        waited = true;
        resolve();
      });
    });
    try {
      while (!waited && (this.sweeps.size > 0 || this.chains.size > 0)) {
        await Promise.race([Promise.allSettled([...this.sweeps, ...this.chains.values()]), gaveUp]);
      }
    } finally {
      timer?.cancel();
    }
  }

  /** Sends every post owed at `at`. Never throws. */
  async sweep(at: number): Promise<void> {
    try {
      const before = signature(this.subs);
      this.subs = await this.served();
      // Re-armed only when another process changed the schedules: wake() has armed for these already.
      if (!this.timer || signature(this.subs) !== before) this.arm();
    } catch (err) {
      this.deps.log.error({ err }, 'daily: could not read subscriptions');
      return;
    }
    const work: Promise<unknown>[] = [];
    for (const sub of this.subs) {
      let owed;
      try {
        owed = owedSlot(sub, at);
      } catch (err) {
        this.deps.log.warn({ err, channel: sub.channel, zone: sub.zone }, 'daily: cannot compute slot');
        continue;
      }
      // A slot from before the schedule was set (subscribed at 14:00 for 09:00) is not owed today.
      if (!owed || owed.slot < sub.updatedAt) continue;
      const slot: Slot = {
        target: { platform: sub.platform, channel: sub.channel, ...(sub.workspace ? { workspace: sub.workspace } : {}) },
        day: owed.day,
      };
      work.push(this.serial(slot, () => this.deliverIfOwed(slot, at)));
    }
    await Promise.allSettled(work);
  }

  /** Runs `fn` after whatever this channel is already doing. */
  serial<T>(slot: { target: PostTarget }, fn: () => Promise<T>): Promise<T> {
    const key = keyOf(slot.target.platform, slot.target.channel);
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return run;
  }

  private async deliverIfOwed(slot: Slot, at: number): Promise<Delivery | undefined> {
    const key = keyOf(slot.target.platform, slot.target.channel);
    if (this.active.get(key)?.day === slot.day) return undefined;
    try {
      const claim = await this.deps.store.daily.claimFor(slot.target.platform, slot.target.channel, slot.day);
      if (claim && (claim.state !== 'claimed' || claim.claimedAt >= at - this.opts.leaseMs)) return undefined;
      return await this.deliver(slot, at, false);
    } catch (err) {
      this.deps.log.error({ err, channel: slot.target.channel, day: slot.day }, 'daily: delivery failed');
      return undefined;
    }
  }

  /**
   * Claims the day and sends (call inside `serial`). `retryFailed`: `/daily now` may try a day
   * whose retries gave up; a sent day is never sent twice.
   */
  async deliver(slot: Slot, at: number, retryFailed: boolean): Promise<Delivery> {
    const { store, log, kb } = this.deps;
    if (!this.deps.outbox) {
      log.warn({ channel: slot.target.channel }, 'daily: no outbox, nothing posted');
      return { result: 'unavailable' };
    }
    const { platform, channel } = slot.target;
    const claimed = await store.daily.claim(platform, channel, slot.day, this.owner, at, this.opts.leaseMs, retryFailed);
    if (!claimed.won) return { result: 'taken', claim: claimed.existing };
    if (claimed.takeover) log.info({ platform, channel, day: slot.day }, 'daily: took over a claim left unsent');
    const conceptId = await this.pick(platform, channel, at);
    const concept = conceptId ? kb.byId.get(conceptId) : undefined;
    if (!concept) {
      await store.daily.recordFailure(
        { platform, channel, day: slot.day, error: 'no concepts in the notes', attempt: 1, at },
        this.owner,
        true,
      );
      return { result: 'empty' };
    }
    const job: Job = { ...slot, key: keyOf(platform, channel), reply: dailyPost(concept, kb, slot.day), conceptId: concept.id };
    this.active.set(job.key, job);
    return this.attempt(job, 1, at);
  }

  /** The curriculum of the current notes, worked out again only after a reload. */
  private order(): string[] {
    const kb = this.deps.kb;
    if (this.orderOf?.kb !== kb) this.orderOf = { kb, order: curriculum(kb.concepts) };
    return this.orderOf.order;
  }

  private async pick(platform: string, channel: string, at: number): Promise<string | undefined> {
    const { store, kb } = this.deps;
    const posts = await store.daily.posts(platform, channel);
    const missed = await store.daily.missedItems(platform, channel, at - this.opts.missesWindowMs, 5000);
    const misses = missed.flatMap((m) => {
      const conceptId = conceptOfItem(m.itemKey, kb);
      return conceptId ? [{ conceptId, at: m.at }] : [];
    });
    return pickConcept(
      this.order(),
      posts.map((p) => ({ conceptId: p.conceptId, at: p.postedAt })),
      misses,
      { now: at, minGapMs: this.opts.minGapMs },
    );
  }

  private async attempt(job: Job, n: number, at: number): Promise<Delivery> {
    const { store, log } = this.deps;
    const { platform, channel } = job.target;
    const fields = { platform, channel, day: job.day, concept: job.conceptId, attempt: n };
    if (n > 1 && !(await store.daily.renew(platform, channel, job.day, this.owner, at, n - 1))) {
      log.warn(fields, 'daily: claim lost to another process, not retrying');
      this.active.delete(job.key);
      const claim = await store.daily.claimFor(platform, channel, job.day);
      return claim ? { result: 'taken', claim } : { result: 'failed' };
    }
    try {
      await this.deps.outbox!(job.target, job.reply);
    } catch (err) {
      return this.failed(job, n, at, err);
    }
    this.active.delete(job.key);
    try {
      await store.daily.markSent({ platform, channel, day: job.day, conceptId: job.conceptId, postedAt: at }, this.owner);
    } catch (err) {
      // Posted but not recorded: the claim stays `claimed`, and a takeover after the lease would post again. Say so loudly.
      log.error({ err, ...fields }, 'daily: posted but could not record it');
    }
    metrics.dailyPosts.inc({ result: 'sent' });
    log.info(fields, 'daily: posted');
    return { result: 'sent', conceptId: job.conceptId };
  }

  private async failed(job: Job, n: number, at: number, err: unknown): Promise<Delivery> {
    const { store, log, clock } = this.deps;
    const { platform, channel } = job.target;
    const message = err instanceof Error ? err.message : String(err);
    const fields = { err, platform, channel, day: job.day, attempt: n };
    if (isPermanentPostError(err)) {
      this.active.delete(job.key);
      await store.daily.recordFailure({ platform, channel, day: job.day, error: message, attempt: n, at }, this.owner, true);
      await store.daily.pause(platform, channel, message, at);
      metrics.dailyPosts.inc({ result: 'paused' });
      log.warn(fields, 'daily: the platform refuses posts in this channel; its daily post is paused until /daily on');
      this.subs = this.subs.filter((s) => keyOf(s.platform, s.channel) !== job.key);
      return { result: 'paused' };
    }
    const delay = this.opts.retryDelaysMs[n - 1];
    const final = delay === undefined || this.stopped;
    await store.daily.recordFailure(
      { platform, channel, day: job.day, error: message, attempt: n, at },
      this.owner,
      final && !this.stopped,
    );
    metrics.dailyPosts.inc({ result: 'failed' });
    if (final) {
      if (!this.stopped) this.active.delete(job.key);
      log.error(
        fields,
        this.stopped ? 'daily: post failed while stopping; the next start retries' : 'daily: post failed, giving up for today',
      );
      return { result: 'failed' };
    }
    log.warn({ ...fields, retryInMs: delay }, 'daily: post failed, will retry');
    const handle = clock.setTimer(delay, () => {
      this.retries.delete(handle);
      const retryAt = clock.now();
      void this.serial(job, () => this.attempt(job, n + 1, retryAt)).catch((e: unknown) =>
        log.error({ err: e, channel }, 'daily: retry failed'),
      );
    });
    this.retries.add(handle);
    return { result: 'retrying' };
  }
}
