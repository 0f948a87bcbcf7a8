import type { Logger } from '../../src/logger.js';

/**
 * The work after an acknowledgement (the core's answer, rendering, the post to Slack) waits here.
 * Slack's 3-second ack window is a hard limit (a miss shows the user an error and brings a retry);
 * an answer has 30 minutes on its response_url. So under a burst the acks go first: each turn of the
 * event loop reads (and acks) what arrived, then starts at most `perTurn` answers from `setImmediate`.
 * Started answers may wait on the network side by side (up to `concurrency`), since a post to Slack
 * takes a round trip, not CPU. With no burst the queue is empty and an answer starts at once.
 */
export class AnswerQueue {
  private readonly jobs: (() => Promise<void>)[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly log: Logger,
    /** Answers started per turn of the event loop: the CPU share answers get during a burst. */
    private readonly perTurn = 2,
    /** Answers in progress at once (most of them waiting on Slack). */
    private readonly concurrency = 64,
    /** Beyond this many waiting, new work is refused and the caller says "busy" instead. */
    private readonly max = 5_000,
  ) {}

  get waiting(): number {
    return this.jobs.length;
  }

  get active(): number {
    return this.running;
  }

  /** False when the queue is full. */
  push(job: () => Promise<void>): boolean {
    if (this.jobs.length >= this.max) return false;
    this.jobs.push(job);
    this.schedule();
    return true;
  }

  /** Resolves when nothing is waiting or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.jobs.length || this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    let started = 0;
    while (this.jobs.length && this.running < this.concurrency && started < this.perTurn) {
      started += 1;
      const job = this.jobs.shift()!;
      this.running += 1;
      job()
        .catch((err: unknown) => this.log.error({ err }, 'slack answer failed'))
        .finally(() => {
          this.running -= 1;
          if (this.jobs.length) this.schedule();
        });
    }
    if (this.jobs.length && this.running < this.concurrency) this.schedule();
  };
}
