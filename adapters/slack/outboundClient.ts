import { webApi, type App } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import { OutboundQueues } from '../outbound.js';

type WebClient = App['client'];

/** The wait Slack asked for, when `err` is the Web API's rate-limit rejection. */
export function slackRetryAfterMs(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined;
}

/** The queues every Slack post waits in: one lane per channel (per team and channel across workspaces). */
export function slackOutboundQueues(log: Logger, maxPerChannel: number): OutboundQueues {
  return new OutboundQueues({ platform: 'slack', log, maxPerChannel, retryAfterOf: slackRetryAfterMs });
}

/**
 * The client posts go through: its own WebClient, which rejects a 429 at once instead of pausing
 * (Bolt's shared client pauses its ONE request queue for the Retry-After, so one channel's 429
 * stalled every channel), with every `chat.*` call run in its channel's outbound queue, which
 * waits the 429 out for that channel alone. Other calls (users.info, conversations.*) go straight out.
 * `lane` names the queue a channel's posts wait in: the channel alone with one token, the team and
 * the channel across workspaces (channel ids are only unique within a team, and a team's 429 is its own).
 */
export function channelQueuedClient(
  token: string | undefined,
  options: webApi.WebClientOptions,
  queues: OutboundQueues,
  lane: (channel: string) => string = (c) => c,
): WebClient {
  const poster = new webApi.WebClient(token, { ...options, rejectRateLimitedCalls: true });
  const chat = new Proxy(poster.chat, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (args: { channel?: string }) =>
        queues.run(lane(String(args?.channel ?? '')), () => (value as (a: unknown) => Promise<unknown>).call(target, args));
    },
  });
  return new Proxy(poster, {
    get: (target, prop, receiver) => (prop === 'chat' ? chat : Reflect.get(target, prop, receiver)),
  }) as unknown as WebClient;
}
