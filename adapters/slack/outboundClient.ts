import { webApi, type App } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import { OutboundQueues } from '../outbound.js';

type WebClient = App['client'];

/** The wait Slack asked for, when `err` is the Web API's rate-limit rejection. */
export function slackRetryAfterMs(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined;
}

/**
 * The client posts go through: its own WebClient, which rejects a 429 at once instead of pausing
 * (Bolt's shared client pauses its ONE request queue for the Retry-After, so one channel's 429
 * stalled every channel), with every `chat.*` call run in its channel's outbound queue, which
 * waits the 429 out for that channel alone. Other calls (users.info, conversations.*) keep Bolt's client.
 */
export function channelQueuedClient(token: string, options: webApi.WebClientOptions, log: Logger, maxPerChannel: number): { client: WebClient; queues: OutboundQueues } {
  const queues = new OutboundQueues({ platform: 'slack', log, maxPerChannel, retryAfterOf: slackRetryAfterMs });
  const poster = new webApi.WebClient(token, { ...options, rejectRateLimitedCalls: true });
  const chat = new Proxy(poster.chat, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (args: { channel?: string }) => queues.run(String(args?.channel ?? ''), () => (value as (a: unknown) => Promise<unknown>).call(target, args));
    },
  });
  const client = new Proxy(poster, { get: (target, prop, receiver) => (prop === 'chat' ? chat : Reflect.get(target, prop, receiver)) }) as unknown as WebClient;
  return { client, queues };
}
