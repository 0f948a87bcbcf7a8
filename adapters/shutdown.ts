import type { Logger } from '../src/logger.js';
import type { Tutor } from '../src/tutor.js';
import type { ChatAdapter } from './adapter.js';

/**
 * Graceful shutdown for the long-running bot. Kubernetes sends SIGTERM and waits
 * terminationGracePeriodSeconds (30 s by default) before SIGKILL; we aim to be gone in under 10 s.
 */

/** What shutdown needs of the tutor: stop taking new messages, and wait for those in flight. */
export type TutorGate = Pick<Tutor, 'stopTaking' | 'inFlight' | 'idle'>;

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
