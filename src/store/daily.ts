import type Database from 'better-sqlite3';
import { u, wrap } from './rows.js';

/**
 * The concept of the day's tables (migrations 2 and 3): subscriptions, the (channel, day) claims
 * that make a post happen once, what was posted, and failed attempts. The scheduler in
 * src/schedule owns the rules; this file only reads and writes, each change in one transaction.
 */
export interface Subscription {
  platform: string;
  workspace?: string | undefined;
  channel: string;
  /** `HH:MM` in `zone`. */
  timeOfDay: string;
  /** IANA time zone, canonical spelling. */
  zone: string;
  enabled: boolean;
  /** Set when the platform refused the channel for good (removed, archived, no permission). */
  pausedReason?: string | undefined;
  createdBy: string;
  createdAt: number;
  /** When the schedule last changed: a slot before it is never owed. */
  updatedAt: number;
}

export type ClaimState = 'claimed' | 'sent' | 'failed';

export interface Claim {
  platform: string;
  channel: string;
  day: string;
  state: ClaimState;
  owner?: string | undefined;
  claimedAt: number;
  attempts: number;
  conceptId?: string | undefined;
}

export type ClaimResult = { won: true; takeover: boolean } | { won: false; existing: Claim };

export interface DailyPost {
  platform: string;
  channel: string;
  day: string;
  conceptId: string;
  postedAt: number;
}

export interface DailyFailure {
  platform: string;
  channel: string;
  day: string;
  error: string;
  attempt: number;
  at: number;
}

export interface DailyStore {
  subscribe(sub: Subscription): Promise<void>;
  /** Marks the subscription off; returns false when there was none switched on. */
  unsubscribe(platform: string, channel: string, at: number): Promise<boolean>;
  pause(platform: string, channel: string, reason: string, at: number): Promise<void>;
  subscription(platform: string, channel: string): Promise<Subscription | undefined>;
  /** Switched on and not paused: the channels the scheduler serves. */
  activeSubscriptions(): Promise<Subscription[]>;
  /**
   * Takes the (channel, day) slot for `owner`: inserted when new (INSERT … ON CONFLICT DO NOTHING),
   * or taken over when its holder stopped renewing it for `leaseMs` before sending (a crashed
   * process), or when `retryFailed` and the day gave up earlier (`/daily now` after a failure).
   * One transaction: of two processes racing, exactly one wins.
   */
  claim(platform: string, channel: string, day: string, owner: string, at: number, leaseMs: number, retryFailed?: boolean): Promise<ClaimResult>;
  /** Keeps the claim alive between retries; false when another owner has it now. */
  renew(platform: string, channel: string, day: string, owner: string, at: number, attempts: number): Promise<boolean>;
  /** Lets go of a claim this owner holds unsent (a clean stop), so the next process need not wait out the lease. */
  release(platform: string, channel: string, day: string, owner: string): Promise<void>;
  /** Records the post and closes the claim, together. */
  markSent(post: DailyPost, owner: string): Promise<void>;
  /** Records a failed attempt; `final` closes the day's claim as failed. */
  recordFailure(failure: DailyFailure, owner: string, final: boolean): Promise<void>;
  claimFor(platform: string, channel: string, day: string): Promise<Claim | undefined>;
  /** Oldest first. */
  posts(platform: string, channel: string): Promise<DailyPost[]>;
  lastFailure(platform: string, channel: string): Promise<DailyFailure | undefined>;
  /** Wrong answers (quizzes and reviews) in the channel since `since`, oldest first; the newest `limit` when there are more. */
  missedItems(platform: string, channel: string, since: number, limit: number): Promise<{ itemKey: string; at: number }[]>;
}

interface SubRow {
  platform: string;
  workspace: string | null;
  channel: string;
  time_of_day: string;
  zone: string;
  enabled: number;
  paused_reason: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

interface ClaimRow {
  platform: string;
  channel: string;
  day: string;
  claimed_at: number;
  state: ClaimState;
  owner: string | null;
  attempts: number;
  concept_id: string | null;
}

function toSub(r: SubRow): Subscription {
  return {
    platform: r.platform,
    workspace: u(r.workspace),
    channel: r.channel,
    timeOfDay: r.time_of_day,
    zone: r.zone,
    enabled: r.enabled === 1,
    pausedReason: u(r.paused_reason),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toClaim(r: ClaimRow): Claim {
  return { platform: r.platform, channel: r.channel, day: r.day, state: r.state, owner: u(r.owner), claimedAt: r.claimed_at, attempts: r.attempts, conceptId: u(r.concept_id) };
}

export class SqliteDailyStore implements DailyStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      subscribe: db.prepare(`INSERT INTO daily_subscriptions (platform, workspace, channel, time_of_day, zone, enabled, paused_reason, created_by, created_at, updated_at)
        VALUES (@platform, @workspace, @channel, @timeOfDay, @zone, 1, NULL, @createdBy, @createdAt, @updatedAt)
        ON CONFLICT (platform, channel) DO UPDATE SET workspace = excluded.workspace, time_of_day = excluded.time_of_day, zone = excluded.zone,
          enabled = 1, paused_reason = NULL, created_by = excluded.created_by, updated_at = excluded.updated_at`),
      unsubscribe: db.prepare('UPDATE daily_subscriptions SET enabled = 0, updated_at = ? WHERE platform = ? AND channel = ? AND enabled = 1'),
      pause: db.prepare('UPDATE daily_subscriptions SET paused_reason = ?, updated_at = ? WHERE platform = ? AND channel = ?'),
      sub: db.prepare('SELECT * FROM daily_subscriptions WHERE platform = ? AND channel = ?'),
      active: db.prepare('SELECT * FROM daily_subscriptions WHERE enabled = 1 AND paused_reason IS NULL ORDER BY platform, channel'),
      insertClaim: db.prepare(`INSERT INTO daily_claims (platform, channel, day, claimed_at, state, owner, attempts) VALUES (?, ?, ?, ?, 'claimed', ?, 0)
        ON CONFLICT (platform, channel, day) DO NOTHING`),
      takeover: db.prepare(`UPDATE daily_claims SET owner = @owner, claimed_at = @at
        WHERE platform = @platform AND channel = @channel AND day = @day
          AND ((state = 'claimed' AND claimed_at < @stale) OR (state = 'failed' AND @retryFailed = 1))`),
      reopen: db.prepare("UPDATE daily_claims SET state = 'claimed', attempts = 0 WHERE platform = ? AND channel = ? AND day = ? AND owner = ?"),
      renew: db.prepare("UPDATE daily_claims SET claimed_at = ?, attempts = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'"),
      release: db.prepare("UPDATE daily_claims SET claimed_at = 0 WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'"),
      sent: db.prepare("UPDATE daily_claims SET state = 'sent', concept_id = ?, claimed_at = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ?"),
      post: db.prepare('INSERT INTO daily_posts (platform, channel, day, concept_id, posted_at) VALUES (?, ?, ?, ?, ?)'),
      failure: db.prepare('INSERT INTO daily_failures (platform, channel, day, error, attempt, at) VALUES (?, ?, ?, ?, ?, ?)'),
      failed: db.prepare("UPDATE daily_claims SET state = 'failed', attempts = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'"),
      claim: db.prepare('SELECT * FROM daily_claims WHERE platform = ? AND channel = ? AND day = ?'),
      posts: db.prepare('SELECT platform, channel, day, concept_id, posted_at FROM daily_posts WHERE platform = ? AND channel = ? ORDER BY posted_at, id'),
      lastFailure: db.prepare('SELECT * FROM daily_failures WHERE platform = ? AND channel = ? ORDER BY at DESC, id DESC LIMIT 1'),
      missed: db.prepare('SELECT item_key, at FROM answers WHERE platform = ? AND channel = ? AND correct = 0 AND at >= ? ORDER BY at DESC LIMIT ?'),
    };
  }

  subscribe(sub: Subscription): Promise<void> {
    return wrap('daily subscribe', () => void this.s.subscribe.run({ ...sub, workspace: sub.workspace ?? null }));
  }

  unsubscribe(platform: string, channel: string, at: number): Promise<boolean> {
    return wrap('daily unsubscribe', () => this.s.unsubscribe.run(at, platform, channel).changes > 0);
  }

  pause(platform: string, channel: string, reason: string, at: number): Promise<void> {
    return wrap('daily pause', () => void this.s.pause.run(reason.slice(0, 300), at, platform, channel));
  }

  subscription(platform: string, channel: string): Promise<Subscription | undefined> {
    return wrap('daily subscription', () => {
      const r = this.s.sub.get(platform, channel) as SubRow | undefined;
      return r ? toSub(r) : undefined;
    });
  }

  activeSubscriptions(): Promise<Subscription[]> {
    return wrap('daily activeSubscriptions', () => (this.s.active.all() as SubRow[]).map(toSub));
  }

  claim(platform: string, channel: string, day: string, owner: string, at: number, leaseMs: number, retryFailed = false): Promise<ClaimResult> {
    return wrap('daily claim', () =>
      // IMMEDIATE takes the write lock first, so a second process waits (busy_timeout) and then sees the row.
      this.db
        .transaction((): ClaimResult => {
          if (this.s.insertClaim.run(platform, channel, day, at, owner).changes === 1) return { won: true, takeover: false };
          const taken = this.s.takeover.run({ owner, at, platform, channel, day, stale: at - leaseMs, retryFailed: retryFailed ? 1 : 0 }).changes === 1;
          if (taken) {
            this.s.reopen.run(platform, channel, day, owner);
            return { won: true, takeover: true };
          }
          return { won: false, existing: toClaim(this.s.claim.get(platform, channel, day) as ClaimRow) };
        })
        .immediate(),
    );
  }

  renew(platform: string, channel: string, day: string, owner: string, at: number, attempts: number): Promise<boolean> {
    return wrap('daily renew', () => this.s.renew.run(at, attempts, platform, channel, day, owner).changes === 1);
  }

  release(platform: string, channel: string, day: string, owner: string): Promise<void> {
    return wrap('daily release', () => void this.s.release.run(platform, channel, day, owner));
  }

  markSent(post: DailyPost, owner: string): Promise<void> {
    return wrap('daily markSent', () =>
      this.db.transaction(() => {
        this.s.sent.run(post.conceptId, post.postedAt, post.platform, post.channel, post.day, owner);
        this.s.post.run(post.platform, post.channel, post.day, post.conceptId, post.postedAt);
      })(),
    );
  }

  recordFailure(f: DailyFailure, owner: string, final: boolean): Promise<void> {
    return wrap('daily recordFailure', () =>
      this.db.transaction(() => {
        this.s.failure.run(f.platform, f.channel, f.day, f.error.slice(0, 500), f.attempt, f.at);
        if (final) this.s.failed.run(f.attempt, f.platform, f.channel, f.day, owner);
      })(),
    );
  }

  claimFor(platform: string, channel: string, day: string): Promise<Claim | undefined> {
    return wrap('daily claimFor', () => {
      const r = this.s.claim.get(platform, channel, day) as ClaimRow | undefined;
      return r ? toClaim(r) : undefined;
    });
  }

  posts(platform: string, channel: string): Promise<DailyPost[]> {
    return wrap('daily posts', () =>
      (this.s.posts.all(platform, channel) as { platform: string; channel: string; day: string; concept_id: string; posted_at: number }[]).map((r) => ({
        platform: r.platform,
        channel: r.channel,
        day: r.day,
        conceptId: r.concept_id,
        postedAt: r.posted_at,
      })),
    );
  }

  lastFailure(platform: string, channel: string): Promise<DailyFailure | undefined> {
    return wrap('daily lastFailure', () => {
      const r = this.s.lastFailure.get(platform, channel) as { platform: string; channel: string; day: string; error: string; attempt: number; at: number } | undefined;
      return r ? { platform: r.platform, channel: r.channel, day: r.day, error: r.error, attempt: r.attempt, at: r.at } : undefined;
    });
  }

  missedItems(platform: string, channel: string, since: number, limit: number): Promise<{ itemKey: string; at: number }[]> {
    return wrap('daily missedItems', () => (this.s.missed.all(platform, channel, since, limit) as { item_key: string; at: number }[]).reverse().map((r) => ({ itemKey: r.item_key, at: r.at })));
  }
}
