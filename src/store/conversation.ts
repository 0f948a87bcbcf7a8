import { u as opt } from './rows.js';
import type { Sql } from './sql.js';

/**
 * Conversation state (migration 4), kept in the store so a restart keeps buttons working and a
 * resumed round keeps its thread: thread ↔ round subscriptions, open questions and the answers they
 * accept, step-picker picks, solo sessions, and delivery ids for dedupe. Every row has an expiry
 * (`expires_at`, epoch ms) and `sweep` deletes what is past it, so nothing grows without bound.
 * The rules live in src/conversation; this file only reads and writes. Portable SQL on the `Sql` seam.
 */
export const CONVERSATION_DDL = `
CREATE TABLE conversation_threads (
  platform TEXT NOT NULL,
  channel TEXT NOT NULL,
  thread TEXT NOT NULL,
  workspace TEXT,
  round_id TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  ended_at BIGINT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (platform, channel, thread)
);
CREATE INDEX conversation_threads_round ON conversation_threads (round_id);
CREATE INDEX conversation_threads_expiry ON conversation_threads (expires_at);
CREATE TABLE conversation_questions (
  question_key TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  workspace TEXT,
  channel TEXT NOT NULL,
  thread TEXT,
  round_id TEXT,
  owner TEXT,
  labels TEXT NOT NULL,
  picks_wanted INTEGER,
  view TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX conversation_questions_round ON conversation_questions (round_id);
CREATE INDEX conversation_questions_expiry ON conversation_questions (expires_at);
CREATE TABLE conversation_picks (
  question_key TEXT NOT NULL,
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  picks TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (question_key, platform, user_id)
);
CREATE INDEX conversation_picks_expiry ON conversation_picks (expires_at);
CREATE TABLE conversation_solo (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'answered')),
  question_id TEXT NOT NULL,
  session TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (platform, user_id, channel)
);
CREATE INDEX conversation_solo_expiry ON conversation_solo (expires_at);
CREATE TABLE conversation_deliveries (
  platform TEXT NOT NULL,
  event_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (platform, event_id)
);
CREATE INDEX conversation_deliveries_expiry ON conversation_deliveries (expires_at);
`;

export interface ThreadSubscription {
  platform: string;
  /** The channel the thread hangs off (where the round lives). */
  channel: string;
  thread: string;
  workspace?: string | undefined;
  roundId: string;
  openedAt: number;
  /** Set when the round ended: the thread is still known (its lines are ignored), not a round any more. */
  endedAt?: number | undefined;
  expiresAt: number;
}

/** A question someone can still answer by button, and what the buttons may send. */
export interface OpenQuestionRecord {
  /** The core's question id: what buttons carry. */
  key: string;
  platform: string;
  workspace?: string | undefined;
  channel: string;
  thread?: string | undefined;
  roundId?: string | undefined;
  /** A solo question belongs to whoever asked for it. */
  owner?: string | undefined;
  /** The labels an answer may use (its own items or classes); empty for free-text recall. */
  labels: string[];
  /** How many labels a drill's picker takes (all of them for an ordering drill, 2 for a swap). */
  picksWanted?: number | undefined;
  /** The QuizView as shown, so a picker can be drawn again after a restart. */
  view: unknown;
  openedAt: number;
  expiresAt: number;
}

export interface SoloRow {
  state: 'open' | 'answered';
  questionId: string;
  session: unknown;
  updatedAt: number;
}

export interface ConversationStore {
  subscribe(sub: ThreadSubscription): Promise<void>;
  subscription(platform: string, channel: string, thread: string): Promise<ThreadSubscription | undefined>;
  threadOfRound(roundId: string): Promise<ThreadSubscription | undefined>;
  /** The round is over: its threads stop being round threads, and its questions close. */
  endRound(roundId: string, at: number, keepFor: number): Promise<void>;
  openQuestion(q: OpenQuestionRecord): Promise<void>;
  question(key: string, now: number): Promise<OpenQuestionRecord | undefined>;
  closeQuestion(key: string): Promise<void>;
  picks(key: string, platform: string, userId: string, now: number): Promise<string[]>;
  setPicks(key: string, platform: string, userId: string, picks: string[], expiresAt: number): Promise<void>;
  solo(platform: string, userId: string, channel: string, now: number): Promise<SoloRow | undefined>;
  putSolo(
    platform: string,
    userId: string,
    channel: string,
    questionId: string,
    session: unknown,
    now: number,
    expiresAt: number,
  ): Promise<void>;
  /** Takes the open question `questionId` for answering: true once, false for a racing second answer. */
  takeSolo(platform: string, userId: string, channel: string, questionId: string, now: number, expiresAt: number): Promise<boolean>;
  /** Puts a taken question back (its answer could not be saved). */
  reopenSolo(platform: string, userId: string, channel: string, questionId: string, expiresAt: number): Promise<void>;
  /** True the first time an event id is offered, false for a repeat (a platform retry). */
  firstDelivery(platform: string, eventId: string, expiresAt: number): Promise<boolean>;
  /** Deletes every row past its expiry; returns how many. */
  sweep(now: number): Promise<number>;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

interface ThreadRow {
  platform: string;
  channel: string;
  thread: string;
  workspace: string | null;
  round_id: string;
  opened_at: number;
  ended_at: number | null;
  expires_at: number;
}

interface QuestionRow {
  question_key: string;
  platform: string;
  workspace: string | null;
  channel: string;
  thread: string | null;
  round_id: string | null;
  owner: string | null;
  labels: string;
  picks_wanted: number | null;
  view: string;
  opened_at: number;
  expires_at: number;
}

const toSub = (r: ThreadRow): ThreadSubscription => ({
  platform: r.platform,
  channel: r.channel,
  thread: r.thread,
  workspace: opt(r.workspace),
  roundId: r.round_id,
  openedAt: Number(r.opened_at),
  endedAt: r.ended_at === null ? undefined : Number(r.ended_at),
  expiresAt: Number(r.expires_at),
});

const toQuestion = (r: QuestionRow): OpenQuestionRecord => ({
  key: r.question_key,
  platform: r.platform,
  workspace: opt(r.workspace),
  channel: r.channel,
  thread: opt(r.thread),
  roundId: opt(r.round_id),
  owner: opt(r.owner),
  labels: JSON.parse(r.labels) as string[],
  picksWanted: opt(r.picks_wanted),
  view: JSON.parse(r.view) as unknown,
  openedAt: Number(r.opened_at),
  expiresAt: Number(r.expires_at),
});

const TABLES = [
  'conversation_threads',
  'conversation_questions',
  'conversation_picks',
  'conversation_solo',
  'conversation_deliveries',
] as const;

export class SqlConversationStore implements ConversationStore {
  constructor(private readonly sql: Sql) {}

  async subscribe(s: ThreadSubscription): Promise<void> {
    await this.sql.run(
      `INSERT INTO conversation_threads (platform, channel, thread, workspace, round_id, opened_at, ended_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
       ON CONFLICT (platform, channel, thread) DO UPDATE SET round_id = excluded.round_id, workspace = excluded.workspace, opened_at = excluded.opened_at, ended_at = NULL, expires_at = excluded.expires_at`,
      [s.platform, s.channel, s.thread, s.workspace ?? null, s.roundId, s.openedAt, s.expiresAt],
    );
  }

  async subscription(platform: string, channel: string, thread: string): Promise<ThreadSubscription | undefined> {
    const row = await this.sql.get<ThreadRow>('SELECT * FROM conversation_threads WHERE platform = ? AND channel = ? AND thread = ?', [
      platform,
      channel,
      thread,
    ]);
    return row ? toSub(row) : undefined;
  }

  async threadOfRound(roundId: string): Promise<ThreadSubscription | undefined> {
    const row = await this.sql.get<ThreadRow>('SELECT * FROM conversation_threads WHERE round_id = ? ORDER BY opened_at LIMIT 1', [
      roundId,
    ]);
    return row ? toSub(row) : undefined;
  }

  async endRound(roundId: string, at: number, keepFor: number): Promise<void> {
    await this.sql.tx(async (tx) => {
      await tx.run('UPDATE conversation_threads SET ended_at = ?, expires_at = ? WHERE round_id = ? AND ended_at IS NULL', [
        at,
        at + keepFor,
        roundId,
      ]);
      await tx.run(
        'DELETE FROM conversation_picks WHERE question_key IN (SELECT question_key FROM conversation_questions WHERE round_id = ?)',
        [roundId],
      );
      await tx.run('DELETE FROM conversation_questions WHERE round_id = ?', [roundId]);
    });
  }

  async openQuestion(q: OpenQuestionRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO conversation_questions (question_key, platform, workspace, channel, thread, round_id, owner, labels, picks_wanted, view, opened_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (question_key) DO UPDATE SET thread = COALESCE(excluded.thread, conversation_questions.thread), expires_at = excluded.expires_at`,
      [
        q.key,
        q.platform,
        q.workspace ?? null,
        q.channel,
        q.thread ?? null,
        q.roundId ?? null,
        q.owner ?? null,
        JSON.stringify(q.labels),
        q.picksWanted ?? null,
        JSON.stringify(q.view),
        q.openedAt,
        q.expiresAt,
      ],
    );
  }

  async question(key: string, now: number): Promise<OpenQuestionRecord | undefined> {
    const row = await this.sql.get<QuestionRow>('SELECT * FROM conversation_questions WHERE question_key = ? AND expires_at > ?', [
      key,
      now,
    ]);
    return row ? toQuestion(row) : undefined;
  }

  async closeQuestion(key: string): Promise<void> {
    await this.sql.tx(async (tx) => {
      await tx.run('DELETE FROM conversation_picks WHERE question_key = ?', [key]);
      await tx.run('DELETE FROM conversation_questions WHERE question_key = ?', [key]);
    });
  }

  async picks(key: string, platform: string, userId: string, now: number): Promise<string[]> {
    const row = await this.sql.get<{ picks: string }>(
      'SELECT picks FROM conversation_picks WHERE question_key = ? AND platform = ? AND user_id = ? AND expires_at > ?',
      [key, platform, userId, now],
    );
    return row ? (JSON.parse(row.picks) as string[]) : [];
  }

  async setPicks(key: string, platform: string, userId: string, picks: string[], expiresAt: number): Promise<void> {
    if (picks.length === 0) {
      await this.sql.run('DELETE FROM conversation_picks WHERE question_key = ? AND platform = ? AND user_id = ?', [key, platform, userId]);
      return;
    }
    await this.sql.run(
      `INSERT INTO conversation_picks (question_key, platform, user_id, picks, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (question_key, platform, user_id) DO UPDATE SET picks = excluded.picks, expires_at = excluded.expires_at`,
      [key, platform, userId, JSON.stringify(picks), expiresAt],
    );
  }

  async solo(platform: string, userId: string, channel: string, now: number): Promise<SoloRow | undefined> {
    const row = await this.sql.get<Nullable<{ state: string; question_id: string; session: string; updated_at: number }>>(
      'SELECT state, question_id, session, updated_at FROM conversation_solo WHERE platform = ? AND user_id = ? AND channel = ? AND expires_at > ?',
      [platform, userId, channel, now],
    );
    if (!row) return undefined;
    return {
      state: row.state === 'open' ? 'open' : 'answered',
      questionId: String(row.question_id),
      session: JSON.parse(String(row.session)) as unknown,
      updatedAt: Number(row.updated_at),
    };
  }

  async putSolo(
    platform: string,
    userId: string,
    channel: string,
    questionId: string,
    session: unknown,
    now: number,
    expiresAt: number,
  ): Promise<void> {
    await this.sql.run(
      `INSERT INTO conversation_solo (platform, user_id, channel, state, question_id, session, updated_at, expires_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?)
       ON CONFLICT (platform, user_id, channel) DO UPDATE SET state = 'open', question_id = excluded.question_id, session = excluded.session, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
      [platform, userId, channel, questionId, JSON.stringify(session), now, expiresAt],
    );
  }

  async takeSolo(platform: string, userId: string, channel: string, questionId: string, now: number, expiresAt: number): Promise<boolean> {
    const changed = await this.sql.run(
      "UPDATE conversation_solo SET state = 'answered', updated_at = ?, expires_at = ? WHERE platform = ? AND user_id = ? AND channel = ? AND question_id = ? AND state = 'open'",
      [now, expiresAt, platform, userId, channel, questionId],
    );
    return changed === 1;
  }

  async reopenSolo(platform: string, userId: string, channel: string, questionId: string, expiresAt: number): Promise<void> {
    await this.sql.run(
      "UPDATE conversation_solo SET state = 'open', expires_at = ? WHERE platform = ? AND user_id = ? AND channel = ? AND question_id = ?",
      [expiresAt, platform, userId, channel, questionId],
    );
  }

  async firstDelivery(platform: string, eventId: string, expiresAt: number): Promise<boolean> {
    const changed = await this.sql.run(
      'INSERT INTO conversation_deliveries (platform, event_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (platform, event_id) DO NOTHING',
      [platform, eventId, expiresAt],
    );
    return changed === 1;
  }

  async sweep(now: number): Promise<number> {
    let removed = 0;
    for (const table of TABLES) removed += await this.sql.run(`DELETE FROM ${table} WHERE expires_at <= ?`, [now]);
    return removed;
  }
}
