import { AsyncResource } from 'node:async_hooks';
import type { Logger } from '../../src/logger.js';
import { metrics } from '../../src/metrics.js';

export interface AnswerQueueOptions {
  /** Answers started every turn of the event loop however young they are. */
  perTurn?: number;
  /** An answer that has waited this long starts on the next turn, ahead of new acks. */
  lagMs?: number;
  /** At most this many answers start in one turn (bounds the time acks wait behind them). */
  maxPerTurn?: number;
  /** Answers in progress at once (most of them waiting on Slack). */
  concurrency?: number;
  /** Beyond this many waiting, new work is refused and the caller says "busy" instead. */
  max?: number;
  now?: () => number;
}

interface Job {
  run: () => Promise<void>;
  at: number;
}

/**
 * The work after an acknowledgement (the core's answer, rendering, the post to Slack) waits here.
 * Slack's 3-second ack window is a hard limit (a miss shows the user an error and brings a retry);
 * an answer has 30 minutes on its response_url. So each turn of the event loop reads (and acks) what
 * arrived first, then starts a few answers from `setImmediate`, and every answer that has waited
 * `lagMs` or more. A burst is acked at once and answered a moment later; a sustained load cannot pile
 * answers up behind the acks (that would only turn into "busy" answers later), because answers older
 * than `lagMs` take their share of the CPU and so slow the acks to the rate the app can answer.
 */
export class AnswerQueue {
  private jobs: Job[] = [];
  private head = 0;
  private running = 0;
  private scheduled = false;
  private readonly perTurn: number;
  private readonly lagMs: number;
  private readonly maxPerTurn: number;
  private readonly concurrency: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(
    private readonly log: Logger,
    opts: AnswerQueueOptions = {},
  ) {
    this.perTurn = opts.perTurn ?? 2;
    this.lagMs = opts.lagMs ?? 200;
    this.maxPerTurn = opts.maxPerTurn ?? 256;
    this.concurrency = opts.concurrency ?? 256;
    this.max = opts.max ?? 5_000;
    this.now = opts.now ?? (() => performance.now());
  }

  get waiting(): number {
    return this.jobs.length - this.head;
  }

  get active(): number {
    return this.running;
  }

  /** False when the queue is full. */
  push(run: () => Promise<void>): boolean {
    if (this.waiting >= this.max) return false;
    // Bound to the context it was queued in, so its log lines carry that event's correlation id.
    this.jobs.push({ run: AsyncResource.bind(run), at: this.now() });
    metrics.answerQueueDepth.set({ platform: 'slack' }, this.waiting);
    this.schedule();
    return true;
  }

  /** Resolves when nothing is waiting or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.waiting || this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const now = this.now();
    let started = 0;
    while (this.waiting && this.running < this.concurrency && started < this.maxPerTurn) {
      const job = this.jobs[this.head]!;
      if (started >= this.perTurn && now - job.at < this.lagMs) break;
      this.jobs[this.head] = undefined as unknown as Job;
      this.head += 1;
      started += 1;
      this.running += 1;
      job
        .run()
        .catch((err: unknown) => this.log.error({ err }, 'slack answer failed'))
        .finally(this.finished);
    }
    metrics.answerQueueDepth.set({ platform: 'slack' }, this.waiting);
    if (this.head > 1024 && this.head * 2 > this.jobs.length) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    if (this.waiting && this.running < this.concurrency) this.schedule();
  };

  private readonly finished = (): void => {
    this.running -= 1;
    if (this.waiting) this.schedule();
  };
}
