import type { PostTarget, Reply } from '../src/reply.js';

/** Every platform adapter is made the same way: created from config, then start, post, stop. */
export interface ChatAdapter {
  readonly platform: string;
  start(): Promise<void>;
  /** Sends a reply that answers no message: a round's next question, a daily post. */
  post(target: PostTarget, reply: Reply): Promise<void>;
  stop(): Promise<void>;
  /** True once connected (for /readyz). */
  ready(): boolean;
}

/** Routes timer-driven replies to the adapter of the target's platform. */
export function createOutbox(adapters: () => ChatAdapter[]) {
  return async (target: PostTarget, reply: Reply): Promise<void> => {
    const adapter = adapters().find((a) => a.platform === target.platform);
    if (!adapter) throw new Error(`no adapter for platform ${target.platform}`);
    await adapter.post(target, reply);
  };
}
