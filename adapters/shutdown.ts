import type { Logger } from '../src/logger.js';
import type { Reply } from '../src/reply.js';
import type { Tutor } from '../src/tutor.js';
import type { ChatAdapter } from './adapter.js';

/**
 * Graceful shutdown for the long-running bot. Kubernetes sends SIGTERM and waits
 * terminationGracePeriodSeconds (30 s by default) before SIGKILL; we aim to be gone in under 10 s.
 */

/** Counts answers in flight and, once closing, turns new messages away politely instead of starting them. */
export interface TutorGate {
  stopTaking(): void;
  inFlight(): number;
  /** Resolves true when nothing is in flight, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
}

/**
 * Wraps `tutor.run` on this one instance (every message goes through it, `handle` included), so the
 * adapters built from `app.tutor` are covered without each of them tracking its own work.
 */
export function gateTutor(tutor: Tutor): TutorGate {
  const run = tutor.run.bind(tutor);
  let open = true;
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    pending -= 1;
    if (pending === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  tutor.run = async (cmd, msg) => {
    if (!open) return [closingReply()];
    pending += 1;
    try {
      return await run(cmd, msg);
    } finally {
      settle();
    }
  };
  return {
    stopTaking() {
      open = false;
    },
    inFlight: () => pending,
    idle(timeoutMs) {
      if (pending === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

function closingReply(): Reply {
  return {
    kind: 'notice',
    code: 'bot.restarting',
    visibility: 'private',
    markdown: '튜터가 잠시 재시작하는 중이에요. 조금 뒤에 다시 물어봐 주세요.\nThe tutor is restarting. Please ask again in a moment.',
  };
}

export interface ShutdownDeps {
  log: Logger;
  gate: TutorGate;
  /** Marks the process not ready (readyz 503) as the first step. */
  drain(): void;
  /** Closes the features (saves round state, stops timers) and the store. */
  closeApp(): Promise<void>;
  adapters(): ChatAdapter[];
  closeHttp(): Promise<void>;
  exit(code: number): void;
  /** Whole budget; past it the process exits 1 naming the step that hung. Default 9 s. */
  budgetMs?: number;
  /** How long answers already started may take to finish. Default 5 s. */
  inFlightMs?: number;
}

export interface Shutdown {
  /** Runs once; later calls return the same promise. */
  run(reason: string): Promise<void>;
  /** SIGTERM and SIGINT start `run`; a second signal exits at once. */
  onSignals(proc?: NodeJS.Process): void;
}

export function createShutdown(deps: ShutdownDeps): Shutdown {
  const { log, gate } = deps;
  const budgetMs = deps.budgetMs ?? 9_000;
  const inFlightMs = deps.inFlightMs ?? 5_000;
  let running: Promise<void> | undefined;
  let step = 'starting';

  const sequence = async (reason: string) => {
    const started = Date.now();
    log.info({ reason, inFlight: gate.inFlight() }, 'shutting down: no new work, finishing answers in flight');
    const deadline = setTimeout(() => {
      log.error({ step, budgetMs }, 'shutdown took too long; exiting anyway');
      deps.exit(1);
    }, budgetMs);
    deadline.unref();

    step = 'drain';
    deps.drain();
    gate.stopTaking();

    step = 'answers in flight';
    if (!(await gate.idle(inFlightMs))) log.warn({ inFlight: gate.inFlight() }, 'answers still running after the wait; closing anyway');

    // Before the adapters stop, so a feature that says goodbye (a round paused) can still post.
    step = 'features and store';
    await deps.closeApp().catch((err: unknown) => log.error({ err }, 'closing features or the store failed'));

    step = 'adapters';
    await Promise.all(
      deps.adapters().map((a) =>
        Promise.resolve()
          .then(() => a.stop())
          .then(
          () => log.info({ platform: a.platform }, 'adapter stopped'),
          (err: unknown) => log.error({ err, platform: a.platform }, 'adapter stop failed'),
        ),
      ),
    );

    step = 'http server';
    await deps.closeHttp().catch((err: unknown) => log.error({ err }, 'http server close failed'));

    clearTimeout(deadline);
    log.info({ ms: Date.now() - started }, 'shutdown complete');
    deps.exit(0);
  };

  const shutdown: Shutdown = {
    run(reason) {
      running ??= sequence(reason);
      return running;
    },
    onSignals(proc = process) {
      const onSignal = (signal: NodeJS.Signals) => {
        if (running) {
          log.warn({ signal, step }, 'second signal: exiting now');
          deps.exit(signal === 'SIGINT' ? 130 : 143);
          return;
        }
        void shutdown.run(signal);
      };
      proc.on('SIGTERM', onSignal);
      proc.on('SIGINT', onSignal);
    },
  };
  return shutdown;
}
