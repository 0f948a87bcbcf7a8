import type { Sql, SqlValue } from './sql.js';
import { u } from './rows.js';

/**
 * The learning engine's tables (migration 5), written against the `Sql` seam so the same
 * repository serves SQLite and PostgreSQL. The engine in src/learning owns the rules (FSRS, ratings,
 * reminders); this file only reads and writes.
 *
 * - `learning_cards`: one FSRS memory state per learner and item (`concept:<id>`, `sequence:<id>`, `set:<id>`).
 * - `learning_reviews`: every graded answer as a review log, keyed by the question it answered, so a
 *   repeated write of one answer is one log.
 * - `learning_reminders`: opt-in review reminders per learner.
 * The Leitner `review_queue` of migration 1 stays as it was: the engine imports it once (meta key
 * `learning.imported`) and never writes it again.
 */
export const LEARNING_DDL = `
CREATE TABLE learning_cards (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  item TEXT NOT NULL,
  due BIGINT NOT NULL,
  stability DOUBLE PRECISION NOT NULL,
  difficulty DOUBLE PRECISION NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL,
  reps INTEGER NOT NULL,
  lapses INTEGER NOT NULL,
  state INTEGER NOT NULL,
  last_review BIGINT,
  PRIMARY KEY (platform, user_id, item)
);
CREATE INDEX learning_cards_due ON learning_cards (platform, user_id, due);
CREATE TABLE learning_reviews (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  item TEXT NOT NULL,
  item_key TEXT NOT NULL,
  channel TEXT,
  mode TEXT NOT NULL,
  source TEXT NOT NULL,
  rating INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  state_before INTEGER NOT NULL,
  stability DOUBLE PRECISION NOT NULL,
  difficulty DOUBLE PRECISION NOT NULL,
  elapsed_days DOUBLE PRECISION NOT NULL,
  scheduled_days INTEGER NOT NULL,
  due_after BIGINT NOT NULL,
  reviewed_at BIGINT NOT NULL,
  PRIMARY KEY (platform, user_id, question_id)
);
CREATE INDEX learning_reviews_user ON learning_reviews (platform, user_id, reviewed_at);
CREATE INDEX learning_reviews_channel ON learning_reviews (platform, channel, reviewed_at);
CREATE TABLE learning_reminders (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  workspace TEXT,
  time_of_day TEXT NOT NULL,
  zone TEXT NOT NULL,
  quiet_ok INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  off_reason TEXT,
  off_told INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (platform, user_id)
);
`;

export type ItemKind = 'concept' | 'sequence' | 'set';

/** An FSRS card as stored: dates as epoch milliseconds. */
export interface StoredCard {
  platform: string;
  userId: string;
  item: string;
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  lastReview?: number | undefined;
}

export interface ReviewLogRecord {
  platform: string;
  userId: string;
  questionId: string;
  item: string;
  /** The quiz's own item key (`next:pod-creation:2`), kept for audits. */
  itemKey: string;
  channel?: string | undefined;
  mode: string;
  /** `answer` (graded live), `history` (an answer replayed at import), `leitner` (a Leitner box imported). */
  source: 'answer' | 'history' | 'leitner';
  /** ts-fsrs Rating: 0 manual (imports), 1 again, 2 hard, 3 good, 4 easy. */
  rating: number;
  correct: boolean;
  stateBefore: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  dueAfter: number;
  reviewedAt: number;
}

export interface Reminder {
  platform: string;
  userId: string;
  workspace?: string | undefined;
  /** `HH:MM` in `zone`. */
  timeOfDay: string;
  zone: string;
  /** The learner asked for a time inside the quiet hours (22:00–08:00). */
  quietOk: boolean;
  enabled: boolean;
  /** Why the bot switched it off (a refused DM). */
  offReason?: string | undefined;
  /** False until the learner has been told it was switched off. */
  offTold: boolean;
  updatedAt: number;
}

/** What the import reads: the Leitner queue of migration 1 and the answers it was fed by. */
export interface LeitnerRow {
  platform: string;
  userId: string;
  itemKey: string;
  box: number;
  dueAt: number;
  lastAt: number;
  misses: number;
}

export interface HistoryAnswer {
  questionId: string;
  platform: string;
  userId: string;
  channel: string;
  itemKey: string;
  correct: boolean;
  credit: number;
  hints: number;
  mode: string;
  at: number;
}

export interface DailyCount {
  /** Epoch ms of the answer. */
  at: number;
  correct: boolean;
}

export interface LearningStore {
  card(platform: string, userId: string, item: string): Promise<StoredCard | undefined>;
  /** Every card of a learner (a learner has at most a few hundred: one per concept, sequence, set). */
  cards(platform: string, userId: string): Promise<StoredCard[]>;
  /** Due cards, most overdue first. */
  due(platform: string, userId: string, now: number, limit: number): Promise<StoredCard[]>;
  /** How many are due at `now`, how many in all, and when the next not yet due falls due. */
  dueSummary(platform: string, userId: string, now: number): Promise<{ total: number; due: number; nextDue?: number | undefined }>;
  /**
   * Writes the card and its log in one transaction; `read` computes the new card from the stored
   * one inside that transaction, so two answers of one learner never lose an update. 'duplicate'
   * when this question's log is already there.
   */
  review(
    platform: string,
    userId: string,
    item: string,
    questionId: string,
    read: (current: StoredCard | undefined) => { card: StoredCard; log: ReviewLogRecord },
  ): Promise<'recorded' | 'duplicate'>;
  /** The learner's answers since `since` (reviewed_at, correct), oldest first, at most `limit`. */
  answersSince(platform: string, userId: string, since: number, limit: number): Promise<DailyCount[]>;
  /** The kind of the learner's last reviewed item, to mix kinds. */
  lastItem(platform: string, userId: string): Promise<string | undefined>;
  removeCard(platform: string, userId: string, item: string): Promise<void>;
  /** Adds a card nobody has answered yet (an explained paste named its concept); a card already there keeps its schedule. */
  addCard(card: StoredCard): Promise<'added' | 'present'>;
  /** Per item in a channel since `since`: answers and wrong answers (the team's weak spots). */
  channelItems(platform: string, channel: string, since: number): Promise<{ itemKey: string; answers: number; wrong: number }[]>;

  setReminder(r: Reminder): Promise<void>;
  reminder(platform: string, userId: string): Promise<Reminder | undefined>;
  activeReminders(): Promise<Reminder[]>;
  /** Switches a reminder off because the platform refused the DM; the learner is told next time. */
  refuseReminder(platform: string, userId: string, reason: string, at: number): Promise<void>;
  /** Learners whose reminder was switched off by a refusal and who have not been told yet. */
  untoldRefusals(): Promise<{ platform: string; userId: string }[]>;
  /** Marks the switch-off as told. True when this call was the one that did (tell once). */
  markOffTold(platform: string, userId: string): Promise<boolean>;
  /** Closes a reminder day claim (in daily_claims, shared with the daily post) as sent. */
  markReminderSent(platform: string, channel: string, day: string, owner: string, at: number): Promise<void>;

  /** One-time import of the Leitner queue and the answers table; `build` runs inside the transaction. */
  importOnce(
    build: (history: { leitner: LeitnerRow[]; answers: HistoryAnswer[] }) => { cards: StoredCard[]; logs: ReviewLogRecord[] },
  ): Promise<{ imported: boolean; cards: number; logs: number }>;
}

interface CardRow {
  platform: string;
  user_id: string;
  item: string;
  due: number | string;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: number | string | null;
}

interface ReminderRow {
  platform: string;
  user_id: string;
  workspace: string | null;
  time_of_day: string;
  zone: string;
  quiet_ok: number;
  enabled: number;
  off_reason: string | null;
  off_told: number;
  updated_at: number | string;
}

// PostgreSQL returns BIGINT as a string: every epoch column goes through Number().
const toCard = (r: CardRow): StoredCard => ({
  platform: r.platform,
  userId: r.user_id,
  item: r.item,
  due: Number(r.due),
  stability: Number(r.stability),
  difficulty: Number(r.difficulty),
  scheduledDays: Number(r.scheduled_days),
  learningSteps: Number(r.learning_steps),
  reps: Number(r.reps),
  lapses: Number(r.lapses),
  state: Number(r.state),
  lastReview: r.last_review === null ? undefined : Number(r.last_review),
});

const toReminder = (r: ReminderRow): Reminder => ({
  platform: r.platform,
  userId: r.user_id,
  workspace: u(r.workspace),
  timeOfDay: r.time_of_day,
  zone: r.zone,
  quietOk: Number(r.quiet_ok) === 1,
  enabled: Number(r.enabled) === 1,
  offReason: u(r.off_reason),
  offTold: Number(r.off_told) === 1,
  updatedAt: Number(r.updated_at),
});

const CARD_UPSERT = `INSERT INTO learning_cards (platform, user_id, item, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, state, last_review)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (platform, user_id, item) DO UPDATE SET due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
    scheduled_days = excluded.scheduled_days, learning_steps = excluded.learning_steps, reps = excluded.reps, lapses = excluded.lapses,
    state = excluded.state, last_review = excluded.last_review`;

const cardParams = (c: StoredCard): SqlValue[] => [
  c.platform,
  c.userId,
  c.item,
  c.due,
  c.stability,
  c.difficulty,
  c.scheduledDays,
  c.learningSteps,
  c.reps,
  c.lapses,
  c.state,
  c.lastReview ?? null,
];

const LOG_INSERT = `INSERT INTO learning_reviews (platform, user_id, question_id, item, item_key, channel, mode, source, rating, correct, state_before,
  stability, difficulty, elapsed_days, scheduled_days, due_after, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (platform, user_id, question_id) DO NOTHING`;

const logParams = (l: ReviewLogRecord): SqlValue[] => [
  l.platform,
  l.userId,
  l.questionId,
  l.item,
  l.itemKey,
  l.channel ?? null,
  l.mode,
  l.source,
  l.rating,
  l.correct ? 1 : 0,
  l.stateBefore,
  l.stability,
  l.difficulty,
  l.elapsedDays,
  l.scheduledDays,
  l.dueAfter,
  l.reviewedAt,
];

export function sqlLearningStore(sql: Sql): LearningStore {
  return {
    async card(platform, userId, item) {
      const r = await sql.get<CardRow>('SELECT * FROM learning_cards WHERE platform = ? AND user_id = ? AND item = ?', [
        platform,
        userId,
        item,
      ]);
      return r ? toCard(r) : undefined;
    },
    async cards(platform, userId) {
      return (
        await sql.all<CardRow>('SELECT * FROM learning_cards WHERE platform = ? AND user_id = ? ORDER BY item', [platform, userId])
      ).map(toCard);
    },
    async due(platform, userId, now, limit) {
      return (
        await sql.all<CardRow>('SELECT * FROM learning_cards WHERE platform = ? AND user_id = ? AND due <= ? ORDER BY due, item LIMIT ?', [
          platform,
          userId,
          now,
          limit,
        ])
      ).map(toCard);
    },
    async dueSummary(platform, userId, now) {
      const r = await sql.get<{ total: number | string; due: number | string | null; next: number | string | null }>(
        'SELECT COUNT(*) AS total, SUM(CASE WHEN due <= ? THEN 1 ELSE 0 END) AS due, MIN(CASE WHEN due > ? THEN due END) AS next FROM learning_cards WHERE platform = ? AND user_id = ?',
        [now, now, platform, userId],
      );
      return {
        total: Number(r?.total ?? 0),
        due: Number(r?.due ?? 0),
        nextDue: r?.next === null || r?.next === undefined ? undefined : Number(r.next),
      };
    },
    review(platform, userId, item, questionId, read) {
      return sql.tx(async (tx) => {
        const seen = await tx.get('SELECT 1 AS one FROM learning_reviews WHERE platform = ? AND user_id = ? AND question_id = ?', [
          platform,
          userId,
          questionId,
        ]);
        if (seen) return 'duplicate' as const;
        const r = await tx.get<CardRow>('SELECT * FROM learning_cards WHERE platform = ? AND user_id = ? AND item = ?', [
          platform,
          userId,
          item,
        ]);
        const next = read(r ? toCard(r) : undefined);
        await tx.run(CARD_UPSERT, cardParams(next.card));
        await tx.run(LOG_INSERT, logParams(next.log));
        return 'recorded' as const;
      });
    },
    async addCard(card) {
      const changed = await sql.run(
        `INSERT INTO learning_cards (platform, user_id, item, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, state, last_review)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id, item) DO NOTHING`,
        cardParams(card),
      );
      return changed > 0 ? 'added' : 'present';
    },
    async answersSince(platform, userId, since, limit) {
      const rows = await sql.all<{ reviewed_at: number | string; correct: number }>(
        "SELECT reviewed_at, correct FROM learning_reviews WHERE platform = ? AND user_id = ? AND reviewed_at >= ? AND source <> 'leitner' ORDER BY reviewed_at LIMIT ?",
        [platform, userId, since, limit],
      );
      return rows.map((r) => ({ at: Number(r.reviewed_at), correct: Number(r.correct) === 1 }));
    },
    async lastItem(platform, userId) {
      const r = await sql.get<{ item: string }>(
        'SELECT item FROM learning_reviews WHERE platform = ? AND user_id = ? ORDER BY reviewed_at DESC LIMIT 1',
        [platform, userId],
      );
      return r?.item;
    },
    async removeCard(platform, userId, item) {
      await sql.run('DELETE FROM learning_cards WHERE platform = ? AND user_id = ? AND item = ?', [platform, userId, item]);
    },
    async channelItems(platform, channel, since) {
      const rows = await sql.all<{ item_key: string; answers: number | string; wrong: number | string }>(
        `SELECT item_key, COUNT(*) AS answers, SUM(CASE WHEN correct = 0 THEN 1 ELSE 0 END) AS wrong FROM answers
         WHERE platform = ? AND channel = ? AND at >= ? GROUP BY item_key`,
        [platform, channel, since],
      );
      return rows.map((r) => ({ itemKey: r.item_key, answers: Number(r.answers), wrong: Number(r.wrong) }));
    },
    async setReminder(r) {
      await sql.run(
        `INSERT INTO learning_reminders (platform, user_id, workspace, time_of_day, zone, quiet_ok, enabled, off_reason, off_told, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, user_id) DO UPDATE SET workspace = excluded.workspace, time_of_day = excluded.time_of_day, zone = excluded.zone,
           quiet_ok = excluded.quiet_ok, enabled = excluded.enabled, off_reason = excluded.off_reason, off_told = excluded.off_told, updated_at = excluded.updated_at`,
        [
          r.platform,
          r.userId,
          r.workspace ?? null,
          r.timeOfDay,
          r.zone,
          r.quietOk ? 1 : 0,
          r.enabled ? 1 : 0,
          r.offReason ?? null,
          r.offTold ? 1 : 0,
          r.updatedAt,
        ],
      );
    },
    async reminder(platform, userId) {
      const r = await sql.get<ReminderRow>('SELECT * FROM learning_reminders WHERE platform = ? AND user_id = ?', [platform, userId]);
      return r ? toReminder(r) : undefined;
    },
    async activeReminders() {
      return (await sql.all<ReminderRow>('SELECT * FROM learning_reminders WHERE enabled = 1 ORDER BY platform, user_id')).map(toReminder);
    },
    async refuseReminder(platform, userId, reason, at) {
      await sql.run(
        'UPDATE learning_reminders SET enabled = 0, off_reason = ?, off_told = 0, updated_at = ? WHERE platform = ? AND user_id = ?',
        [reason.slice(0, 300), at, platform, userId],
      );
    },
    async untoldRefusals() {
      return (
        await sql.all<{ platform: string; user_id: string }>(
          'SELECT platform, user_id FROM learning_reminders WHERE enabled = 0 AND off_told = 0',
        )
      ).map((r) => ({
        platform: r.platform,
        userId: r.user_id,
      }));
    },
    async markOffTold(platform, userId) {
      return (
        (await sql.run('UPDATE learning_reminders SET off_told = 1 WHERE platform = ? AND user_id = ? AND off_told = 0', [
          platform,
          userId,
        ])) === 1
      );
    },
    async markReminderSent(platform, channel, day, owner, at) {
      await sql.run("UPDATE daily_claims SET state = 'sent', claimed_at = ? WHERE platform = ? AND channel = ? AND day = ? AND owner = ?", [
        at,
        platform,
        channel,
        day,
        owner,
      ]);
    },
    importOnce(build) {
      return sql.tx(async (tx) => {
        const done = await tx.get("SELECT value FROM meta WHERE key = 'learning.imported'");
        if (done) return { imported: false, cards: 0, logs: 0 };
        const leitner = (
          await tx.all<{
            platform: string;
            user_id: string;
            item_key: string;
            box: number;
            due_at: number | string;
            last_at: number | string;
            misses: number;
          }>('SELECT * FROM review_queue ORDER BY platform, user_id, item_key')
        ).map((r) => ({
          platform: r.platform,
          userId: r.user_id,
          itemKey: r.item_key,
          box: Number(r.box),
          dueAt: Number(r.due_at),
          lastAt: Number(r.last_at),
          misses: Number(r.misses),
        }));
        const answers = (
          await tx.all<{
            question_id: string;
            platform: string;
            user_id: string;
            channel: string;
            item_key: string;
            correct: number;
            credit: number;
            hints: number;
            mode: string;
            at: number | string;
          }>('SELECT question_id, platform, user_id, channel, item_key, correct, credit, hints, mode, at FROM answers ORDER BY at, seq')
        ).map((r) => ({
          questionId: r.question_id,
          platform: r.platform,
          userId: r.user_id,
          channel: r.channel,
          itemKey: r.item_key,
          correct: Number(r.correct) === 1,
          credit: Number(r.credit),
          hints: Number(r.hints),
          mode: r.mode,
          at: Number(r.at),
        }));
        const out = build({ leitner, answers });
        for (const c of out.cards) await tx.run(CARD_UPSERT, cardParams(c));
        for (const l of out.logs) await tx.run(LOG_INSERT, logParams(l));
        await tx.run("INSERT INTO meta (key, value) VALUES ('learning.imported', ?) ON CONFLICT (key) DO NOTHING", [
          String(out.cards.length),
        ]);
        return { imported: true, cards: out.cards.length, logs: out.logs.length };
      });
    },
  };
}
