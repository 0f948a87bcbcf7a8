import type { InboundEvent } from './event.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { metrics } from '../metrics.js';
import type { Reply } from '../reply.js';

/**
 * Fair limits, decided once in the core for every inbound event: each (platform, user) and each
 * channel has a bucket of events that refills when its window ends. The first event over a limit
 * gets one friendly notice; every further one in that window is dropped without a reply, so a
 * flood costs one answer, not one per line.
 */

/** One bucket store. rate-limiter-flexible's memory store today; its PostgreSQL store fits the same shape. */
export interface BucketStore {
  /** Takes one event from `key`'s bucket; `ok: false` when it is empty, with the time until it refills. */
  take(key: string): Promise<{ ok: boolean; retryMs: number }>;
}

export function memoryBuckets(events: number, windowSeconds: number, prefix: string): BucketStore {
  const limiter = new RateLimiterMemory({ keyPrefix: prefix, points: events, duration: windowSeconds });
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { ok: true, retryMs: 0 };
      } catch (res) {
        // consume rejects with a RateLimiterRes when the bucket is empty, with an Error only on a store failure.
        if (res instanceof RateLimiterRes) return { ok: false, retryMs: res.msBeforeNext };
        throw res;
      }
    },
  };
}

export interface LimitSettings {
  /** Events one person may send per window; 0 turns the per-user limit off. */
  userEvents: number;
  userWindowSeconds: number;
  /** Events one channel may send per window (everyone in it together); 0 turns it off. */
  channelEvents: number;
  channelWindowSeconds: number;
}

export const DEFAULT_LIMITS: LimitSettings = { userEvents: 30, userWindowSeconds: 60, channelEvents: 300, channelWindowSeconds: 60 };

/**
 * Platforms whose events are never limited: the person at the keyboard of a terminal chat or a
 * one-shot CLI run owns the process, so there is nobody to be fair to.
 */
const LOCAL_PLATFORMS = new Set(['terminal', 'cli']);

export interface AdmitRequest {
  platform: string;
  userId: string;
  /** The channel the event belongs to (a thread counts for its channel). */
  channelKey: string;
}

export type Admission =
  | { verdict: 'allowed' }
  | { verdict: 'notice'; scope: 'user' | 'channel'; retryMs: number }
  | { verdict: 'silent'; scope: 'user' | 'channel' };

interface Scope {
  name: 'user' | 'channel';
  buckets: BucketStore;
  /** One notice per person per window: a bucket of one, refilled with the scope's window. */
  notices: BucketStore;
}

export class Limits {
  private readonly scopes: Scope[] = [];

  constructor(settings: LimitSettings = DEFAULT_LIMITS, stores?: { user?: BucketStore; channel?: BucketStore }) {
    if (settings.userEvents > 0) {
      this.scopes.push({
        name: 'user',
        buckets: stores?.user ?? memoryBuckets(settings.userEvents, settings.userWindowSeconds, 'user'),
        notices: memoryBuckets(1, settings.userWindowSeconds, 'user-notice'),
      });
    }
    if (settings.channelEvents > 0) {
      this.scopes.push({
        name: 'channel',
        buckets: stores?.channel ?? memoryBuckets(settings.channelEvents, settings.channelWindowSeconds, 'channel'),
        notices: memoryBuckets(1, settings.channelWindowSeconds, 'channel-notice'),
      });
    }
  }

  /** The one call the core makes for every inbound event, before it does any work for it. */
  async admit(req: AdmitRequest): Promise<Admission> {
    if (LOCAL_PLATFORMS.has(req.platform)) return { verdict: 'allowed' };
    const user = `${req.platform}:${req.userId}`;
    for (const scope of this.scopes) {
      const key = scope.name === 'user' ? user : `${req.platform}:${req.channelKey}`;
      const taken = await scope.buckets.take(key);
      if (taken.ok) continue;
      metrics.rateLimitedEvents.inc({ platform: req.platform, scope: scope.name });
      // A channel's notice is per person in it, so everyone who meets the silence learns why once.
      const first = await scope.notices.take(scope.name === 'user' ? user : `${key}:${req.userId}`);
      if (!first.ok) return { verdict: 'silent', scope: scope.name };
      metrics.rateLimitedUsers.inc({ platform: req.platform, scope: scope.name });
      return { verdict: 'notice', scope: scope.name, retryMs: taken.retryMs };
    }
    return { verdict: 'allowed' };
  }
}

/** The one notice: Korean first, English beside, with when to try again. */
export function limitedReply(admission: Extract<Admission, { verdict: 'notice' }>): Reply {
  const seconds = Math.max(1, Math.ceil(admission.retryMs / 1000));
  const [ko, en] =
    admission.scope === 'user'
      ? ['잠깐만요! 메시지가 너무 빨리 와서 잠시 쉬어 갈게요.', 'Easy there! Messages are coming in faster than I can fairly answer.']
      : ['이 채널에서 지금 요청이 너무 많아서 잠시 쉬어 갈게요.', 'This channel is sending more than I can fairly answer right now.']; // channel-wide
  return {
    kind: 'notice',
    code: `limit.${admission.scope}`,
    visibility: 'private',
    markdown: `${ko} ${seconds}초 뒤에 다시 보내 주세요. 그때까지 보내는 메시지에는 답하지 않아요.\n${en} Please try again in ${seconds} s; until then I will stay quiet.`,
  };
}

/**
 * The limits as the conversation layer's one check for every inbound event: a person and their
 * channel (a thread counts for its parent channel) spend a token each; over the limit, one notice
 * and then silence.
 */
export function limitsAdmission(limits: Limits): (event: InboundEvent) => Promise<Reply[] | undefined> {
  return async (event) => {
    const c = event.conversation;
    const admission = await limits.admit({
      platform: c.platform,
      userId: event.actor.id,
      channelKey: c.workspace ? `${c.workspace}/${c.channel}` : c.channel,
    });
    if (admission.verdict === 'notice') return [limitedReply(admission)];
    if (admission.verdict === 'silent') return [];
    return undefined;
  };
}
