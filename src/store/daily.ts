import { u } from './rows.js';
import type { Sql } from './sql.js';

/**
 * The concept of the day's tables (migrations 2 and 3): subscriptions, the (channel, day) claims
 * that make a post happen once, what was posted, and failed attempts. The scheduler in
 * src/schedule owns the rules; this file only reads and writes, each change in one transaction, on the `Sql` seam (both dialects).
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
  /** Pauses every subscription of one workspace (the app was uninstalled there); returns how many. */
  pauseWorkspace(platform: string, workspace: string, reason: string, at: number): Promise<number>;
  subscription(platform: string, channel: string): Promise<Subscription | undefined>;
  /** Switched on and not paused: the channels the scheduler serves. */
  activeSubscriptions(): Promise<Subscription[]>;
  /**
   * Takes the (channel, day) slot for `owner`: inserted when new (INSERT … ON CONFLICT DO NOTHING),
   * or taken over when its holder stopped renewing it for `leaseMs` before sending (a crashed
   * process), or when `retryFailed` and the day gave up earlier (`/daily now` after a failure).
   * One transaction: of two processes racing, exactly one wins.
   */
  claim(
    platform: string,
    channel: string,
    day: string,
    owner: string,
    at: number,
    leaseMs: number,
    retryFailed?: boolean,
  ): Promise<ClaimResult>;
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
  return {
    platform: r.platform,
    channel: r.channel,
    day: r.day,
    state: r.state,
    owner: u(r.owner),
    claimedAt: r.claimed_at,
    attempts: r.attempts,
    conceptId: u(r.concept_id),
  };
}

const Q = {
  subscribe: `INSERT INTO daily_subscriptions (platform, workspace, channel, time_of_day, zone, enabled, paused_reason, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)
    ON CONFLICT (platform, channel) DO UPDATE SET workspace = excluded.workspace, time_of_day = excluded.time_of_day, zone = excluded.zone,
      enabled = 1, paused_reason = NULL, created_by = excluded.created_by, updated_at = excluded.updated_at`,
  unsubscribe: 'UPDATE daily_subscriptions SET enabled = 0, updated_at = ? WHERE platform = ? AND channel = ? AND enabled = 1',
  pause: 'UPDATE daily_subscriptions SET paused_reason = ?, updated_at = ? WHERE platform = ? AND channel = ?',
  pauseWorkspace:
    'UPDATE daily_subscriptions SET paused_reason = ?, updated_at = ? WHERE platform = ? AND workspace = ? AND paused_reason IS NULL',
  sub: 'SELECT * FROM daily_subscriptions WHERE platform = ? AND channel = ?',
  active: 'SELECT * FROM daily_subscriptions WHERE enabled = 1 AND paused_reason IS NULL ORDER BY platform, channel',
  insertClaim: `INSERT INTO daily_claims (platform, channel, day, claimed_at, state, owner, attempts) VALUES (?, ?, ?, ?, 'claimed', ?, 0)
    ON CONFLICT (platform, channel, day) DO NOTHING`,
  // PostgreSQL re-reads the row after a concurrent writer commits (READ COMMITTED), so of two takeovers one changes it.
  takeover: `UPDATE daily_claims SET owner = ?, claimed_at = ?
    WHERE platform = ? AND channel = ? AND day = ?
      AND ((state = 'claimed' AND claimed_at < ?) OR (state = 'failed' AND ? = 1))`,
  reopen: "UPDATE daily_claims SET state = 'claimed', attempts = 0 WHERE platform = ? AND channel = ? AND day = ? AND owner = ?",
  renew:
    "UPDATE daily_claims SET claimed_at = ?, attempts = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'",
  release: "UPDATE daily_claims SET claimed_at = 0 WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'",
  sent: "UPDATE daily_claims SET state = 'sent', concept_id = ?, claimed_at = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ?",
  post: 'INSERT INTO daily_posts (platform, channel, day, concept_id, posted_at) VALUES (?, ?, ?, ?, ?)',
  failure: 'INSERT INTO daily_failures (platform, channel, day, error, attempt, at) VALUES (?, ?, ?, ?, ?, ?)',
  failed:
    "UPDATE daily_claims SET state = 'failed', attempts = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ? AND state = 'claimed'",
  claim: 'SELECT * FROM daily_claims WHERE platform = ? AND channel = ? AND day = ?',
  posts: 'SELECT platform, channel, day, concept_id, posted_at FROM daily_posts WHERE platform = ? AND channel = ? ORDER BY posted_at, id',
  lastFailure: 'SELECT * FROM daily_failures WHERE platform = ? AND channel = ? ORDER BY at DESC, id DESC LIMIT 1',
  missed: 'SELECT item_key, at FROM answers WHERE platform = ? AND channel = ? AND correct = 0 AND at >= ? ORDER BY at DESC LIMIT ?',
};

export class SqlDailyStore implements DailyStore {
  constructor(private readonly sql: Sql) {}

  async subscribe(sub: Subscription): Promise<void> {
    await this.sql.run(Q.subscribe, [
      sub.platform,
      sub.workspace ?? null,
      sub.channel,
      sub.timeOfDay,
      sub.zone,
      sub.createdBy,
      sub.createdAt,
      sub.updatedAt,
    ]);
  }

  async unsubscribe(platform: string, channel: string, at: number): Promise<boolean> {
    return (await this.sql.run(Q.unsubscribe, [at, platform, channel])) > 0;
  }

  async pause(platform: string, channel: string, reason: string, at: number): Promise<void> {
    await this.sql.run(Q.pause, [reason.slice(0, 300), at, platform, channel]);
  }

  async pauseWorkspace(platform: string, workspace: string, reason: string, at: number): Promise<number> {
    return this.sql.run(Q.pauseWorkspace, [reason.slice(0, 300), at, platform, workspace]);
  }

  async subscription(platform: string, channel: string): Promise<Subscription | undefined> {
    const r = await this.sql.get<SubRow>(Q.sub, [platform, channel]);
    return r ? toSub(r) : undefined;
  }

  async activeSubscriptions(): Promise<Subscription[]> {
    return (await this.sql.all<SubRow>(Q.active)).map(toSub);
  }

  claim(
    platform: string,
    channel: string,
    day: string,
    owner: string,
    at: number,
    leaseMs: number,
    retryFailed = false,
  ): Promise<ClaimResult> {
    // One transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks), so of two racers one wins.
    return this.sql.tx(async (q): Promise<ClaimResult> => {
      if ((await q.run(Q.insertClaim, [platform, channel, day, at, owner])) === 1) return { won: true, takeover: false };
      const taken = (await q.run(Q.takeover, [owner, at, platform, channel, day, at - leaseMs, retryFailed ? 1 : 0])) === 1;
      if (taken) {
        await q.run(Q.reopen, [platform, channel, day, owner]);
        return { won: true, takeover: true };
      }
      return { won: false, existing: toClaim((await q.get<ClaimRow>(Q.claim, [platform, channel, day]))!) };
    });
  }

  async renew(platform: string, channel: string, day: string, owner: string, at: number, attempts: number): Promise<boolean> {
    return (await this.sql.run(Q.renew, [at, attempts, platform, channel, day, owner])) === 1;
  }

  async release(platform: string, channel: string, day: string, owner: string): Promise<void> {
    await this.sql.run(Q.release, [platform, channel, day, owner]);
  }

  markSent(post: DailyPost, owner: string): Promise<void> {
    return this.sql.tx(async (q) => {
      await q.run(Q.sent, [post.conceptId, post.postedAt, post.platform, post.channel, post.day, owner]);
      await q.run(Q.post, [post.platform, post.channel, post.day, post.conceptId, post.postedAt]);
    });
  }

  recordFailure(f: DailyFailure, owner: string, final: boolean): Promise<void> {
    return this.sql.tx(async (q) => {
      await q.run(Q.failure, [f.platform, f.channel, f.day, f.error.slice(0, 500), f.attempt, f.at]);
      if (final) await q.run(Q.failed, [f.attempt, f.platform, f.channel, f.day, owner]);
    });
  }

  async claimFor(platform: string, channel: string, day: string): Promise<Claim | undefined> {
    const r = await this.sql.get<ClaimRow>(Q.claim, [platform, channel, day]);
    return r ? toClaim(r) : undefined;
  }

  async posts(platform: string, channel: string): Promise<DailyPost[]> {
    const rows = await this.sql.all<{ platform: string; channel: string; day: string; concept_id: string; posted_at: number }>(Q.posts, [
      platform,
      channel,
    ]);
    return rows.map((r) => ({ platform: r.platform, channel: r.channel, day: r.day, conceptId: r.concept_id, postedAt: r.posted_at }));
  }

  async lastFailure(platform: string, channel: string): Promise<DailyFailure | undefined> {
    const r = await this.sql.get<{ platform: string; channel: string; day: string; error: string; attempt: number; at: number }>(
      Q.lastFailure,
      [platform, channel],
    );
    return r ? { platform: r.platform, channel: r.channel, day: r.day, error: r.error, attempt: r.attempt, at: r.at } : undefined;
  }

  async missedItems(platform: string, channel: string, since: number, limit: number): Promise<{ itemKey: string; at: number }[]> {
    const rows = await this.sql.all<{ item_key: string; at: number }>(Q.missed, [platform, channel, since, limit]);
    return rows.reverse().map((r) => ({ itemKey: r.item_key, at: r.at }));
  }
}
