import type { Logger } from '../../src/logger.js';

/**
 * The work after an acknowledgement (the core's answer, rendering, the post to Slack) waits here.
 * Slack's 3-second ack window is a hard limit (a miss shows the user an error and brings a retry);
 * an answer has 30 minutes on its response_url. So under a burst the acks go first: answers run a
 * few at a time, each batch started from `setImmediate`, after the event loop has read (and acked)
 * what arrived. With no burst the queue is empty and an answer starts at once.
 */
export class AnswerQueue {
  private readonly jobs: (() => Promise<void>)[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly log: Logger,
    /** Answers in progress at once (they wait on the core and on Slack). */
    private readonly concurrency = 8,
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
    while (this.jobs.length && this.running < this.concurrency) {
      const job = this.jobs.shift()!;
      this.running += 1;
      job()
        .catch((err: unknown) => this.log.error({ err }, 'slack answer failed'))
        .finally(() => {
          this.running -= 1;
          if (this.jobs.length) this.schedule();
        });
    }
  };
}
