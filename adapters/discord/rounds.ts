import type { Reply } from '../../src/reply.js';

interface Round {
  key: string;
  channel: string;
  thread: string;
}

/**
 * Which thread holds which team round. A round's questions go to its thread so the channel is not
 * flooded; answers typed in the thread come back to the core as messages of the parent channel,
 * where the engine keeps the round. Survives gateway reconnects (it is plain memory, not tied
 * to the socket).
 */
export class RoundThreads {
  private readonly byKey = new Map<string, Round>();
  private readonly byThread = new Map<string, Round>();
  private readonly activeInChannel = new Map<string, Round>();

  /** The round a reply belongs to (its question's round id). */
  static keyOf(reply: Reply): string | undefined {
    return reply.quiz?.roundId;
  }

  add(key: string, channel: string, thread: string): void {
    const round = { key, channel, thread };
    this.byKey.set(key, round);
    this.byThread.set(thread, round);
    this.activeInChannel.set(channel, round);
  }

  threadOf(key: string): string | undefined {
    return this.byKey.get(key)?.thread;
  }

  /** The channel a round's thread belongs to. */
  parentOf(thread: string): string | undefined {
    return this.byThread.get(thread)?.channel;
  }

  roundOfThread(thread: string): string | undefined {
    return this.byThread.get(thread)?.key;
  }

  active(channel: string): Round | undefined {
    return this.activeInChannel.get(channel);
  }

  /** The round is over: its thread stays readable, but it is no longer where the channel's replies go. */
  finish(channel: string): Round | undefined {
    const round = this.activeInChannel.get(channel);
    this.activeInChannel.delete(channel);
    return round;
  }
}
