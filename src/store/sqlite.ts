import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TutorError } from '../errors.js';
import { u, wrap } from './rows.js';
import { SqlConversationStore } from './conversation.js';
import { SqliteDailyStore } from './daily.js';
import { migrate } from './migrations.js';
import { sqliteSql } from './sql.js';
import type {
  AnswerRecord,
  LeaderboardQuery,
  LeaderboardRow,
  QuizStore,
  ReviewChange,
  ReviewEntry,
  RoundQuestionRecord,
  RoundRecord,
  RoundResult,
  Store,
  StoredRound,
} from './types.js';

export const DB_FILE = 'tutor.sqlite';
/** `dataDir` value for a database that lives only as long as the process (tests, transcripts). */
export const IN_MEMORY = ':memory:';

export interface SqliteStoreOptions {
  /** Folder for tutor.sqlite, created when missing; `:memory:` for a throwaway database. */
  dataDir: string;
}

/**
 * The embedded store: one SQLite file in WAL mode. synchronous=NORMAL keeps every committed
 * answer through a crash of the process (the case the issue names); only a power loss can
 * drop the last moment of writes.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  let db: Database.Database;
  try {
    if (options.dataDir === IN_MEMORY) db = new Database(IN_MEMORY);
    else {
      const dir = resolve(options.dataDir);
      mkdirSync(dir, { recursive: true });
      db = new Database(join(dir, DB_FILE));
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new TutorError('store.failed', `Could not open the database in ${options.dataDir}. Fix: set DATA_DIR to a writable folder.`, err);
  }
  let version: number;
  let boot: number;
  try {
    version = migrate(db);
    boot = db.transaction(() => {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'boots'").get() as { value: string } | undefined;
      const next = (row ? Number(row.value) : 0) + 1;
      db.prepare("INSERT INTO meta (key, value) VALUES ('boots', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(next));
      return next;
    }).immediate(); // read-then-write: take the write lock first, or two processes opening at once deadlock
  } catch (err) {
    db.close();
    throw new TutorError('store.failed', `Could not prepare the database in ${options.dataDir}: ${(err as Error).message}`, err);
  }
  const quiz = new SqliteQuizStore(db);
  return {
    quiz,
    daily: new SqliteDailyStore(db),
    conversation: new SqlConversationStore(sqliteSql(db)),
    boot,
    schemaVersion: () => version,
    close: async () => {
      if (db.open) db.close();
    },
  };
}

interface AnswerRow {
  question_id: string;
  round_id: string | null;
  number: number | null;
  platform: string;
  workspace: string | null;
  channel: string;
  user_id: string;
  name: string | null;
  kind: string;
  item_key: string;
  text: string;
  correct: number;
  credit: number;
  points: number;
  hints: number;
  mode: AnswerRecord['mode'];
  at: number;
  seq: number;
}

interface RoundRow {
  id: string;
  platform: string;
  workspace: string | null;
  channel: string;
  channel_name: string | null;
  thread: string | null;
  started_by: string;
  started_at: number;
  total: number;
  kind: string;
  topic: string | null;
  seconds: number;
  state: RoundRecord['state'];
  current: number;
  ended_at: number | null;
  end_reason: string | null;
}

function toAnswer(r: AnswerRow): AnswerRecord {
  return {
    questionId: r.question_id,
    roundId: u(r.round_id),
    number: u(r.number),
    platform: r.platform,
    workspace: u(r.workspace),
    channel: r.channel,
    userId: r.user_id,
    userName: u(r.name),
    kind: r.kind,
    itemKey: r.item_key,
    text: r.text,
    correct: r.correct === 1,
    credit: r.credit,
    points: r.points,
    hints: r.hints,
    mode: r.mode,
    at: r.at,
    seq: r.seq,
  };
}

function toRound(r: RoundRow): RoundRecord {
  return {
    id: r.id,
    platform: r.platform,
    workspace: u(r.workspace),
    channel: r.channel,
    channelName: u(r.channel_name),
    thread: u(r.thread),
    startedBy: r.started_by,
    startedAt: r.started_at,
    total: r.total,
    kind: r.kind,
    topic: u(r.topic),
    seconds: r.seconds,
    state: r.state,
    current: r.current,
    endedAt: u(r.ended_at),
    endReason: u(r.end_reason),
  };
}

const ANSWER_COLUMNS = `a.question_id, a.round_id, a.number, a.platform, a.workspace, a.channel, a.user_id, p.name, a.kind, a.item_key,
  a.text, a.correct, a.credit, a.points, a.hints, a.mode, a.at, a.seq`;

class SqliteQuizStore implements QuizStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      player: db.prepare(`INSERT INTO players (platform, user_id, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (platform, user_id) DO UPDATE SET name = COALESCE(excluded.name, players.name), last_seen = MAX(players.last_seen, excluded.last_seen)`),
      answer: db.prepare(`INSERT INTO answers (question_id, round_id, number, platform, workspace, channel, user_id, kind, item_key, text, correct, credit, points, hints, mode, at, seq)
        VALUES (@questionId, @roundId, @number, @platform, @workspace, @channel, @userId, @kind, @itemKey, @text, @correct, @credit, @points, @hints, @mode, @at, @seq)
        ON CONFLICT (question_id, platform, user_id) DO NOTHING`),
      reviewGet: db.prepare('SELECT * FROM review_queue WHERE platform = ? AND user_id = ? AND item_key = ?'),
      reviewPut: db.prepare(`INSERT INTO review_queue (platform, user_id, item_key, box, due_at, last_at, misses) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, user_id, item_key) DO UPDATE SET box = excluded.box, due_at = excluded.due_at, last_at = excluded.last_at, misses = review_queue.misses + excluded.misses`),
      reviewDel: db.prepare('DELETE FROM review_queue WHERE platform = ? AND user_id = ? AND item_key = ?'),
      reviewDue: db.prepare('SELECT * FROM review_queue WHERE platform = ? AND user_id = ? AND due_at <= ? ORDER BY due_at, item_key LIMIT ?'),
      reviewSummary: db.prepare('SELECT COUNT(*) AS total, SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END) AS due, MIN(CASE WHEN due_at > ? THEN due_at END) AS next FROM review_queue WHERE platform = ? AND user_id = ?'),
      hint: db.prepare(`INSERT INTO hints (question_id, round_id, number, platform, user_id, count) VALUES (?, ?, ?, ?, ?, 1)
        ON CONFLICT (question_id, platform, user_id) DO UPDATE SET count = hints.count + 1 RETURNING count`),
      round: db.prepare(`INSERT INTO rounds (id, platform, workspace, channel, channel_name, thread, started_by, started_at, total, kind, topic, seconds, state, current)
        VALUES (@id, @platform, @workspace, @channel, @channelName, @thread, @startedBy, @startedAt, @total, @kind, @topic, @seconds, @state, @current)`),
      question: db.prepare('INSERT INTO round_questions (round_id, number, question) VALUES (?, ?, ?)'),
      ask: db.prepare('UPDATE round_questions SET asked_at = ?, deadline = ? WHERE round_id = ? AND number = ?'),
      current: db.prepare('UPDATE rounds SET current = ? WHERE id = ?'),
      closeQ: db.prepare('UPDATE round_questions SET closed_at = COALESCE(closed_at, ?) WHERE round_id = ? AND number = ?'),
      end: db.prepare("UPDATE rounds SET state = ?, ended_at = ?, end_reason = ? WHERE id = ? AND state = 'running'"),
      result: db.prepare('INSERT OR REPLACE INTO round_results (round_id, platform, user_id, points, rank, correct, answers) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      running: db.prepare("SELECT * FROM rounds WHERE state = 'running' ORDER BY started_at, id"),
      questions: db.prepare('SELECT * FROM round_questions WHERE round_id = ? ORDER BY number'),
      roundAnswers: db.prepare(`SELECT ${ANSWER_COLUMNS} FROM answers a LEFT JOIN players p ON p.platform = a.platform AND p.user_id = a.user_id WHERE a.round_id = ? ORDER BY a.seq, a.id`),
      roundHints: db.prepare('SELECT number, platform, user_id, count FROM hints WHERE round_id = ?'),
      results: db.prepare('SELECT * FROM round_results WHERE round_id = ? ORDER BY rank'),
    };
  }

  recordAnswer(a: AnswerRecord, review?: ReviewChange): Promise<'recorded' | 'duplicate'> {
    return wrap('recordAnswer', () =>
      this.db.transaction((): 'recorded' | 'duplicate' => {
        this.s.player.run(a.platform, a.userId, a.userName ?? null, a.at, a.at);
        const res = this.s.answer.run({
          ...a,
          roundId: a.roundId ?? null,
          number: a.number ?? null,
          workspace: a.workspace ?? null,
          correct: a.correct ? 1 : 0,
        });
        if (res.changes === 0) return 'duplicate';
        if (review?.op === 'put') this.s.reviewPut.run(a.platform, a.userId, a.itemKey, review.box, review.dueAt, a.at, review.missed ? 1 : 0);
        else if (review?.op === 'remove') this.s.reviewDel.run(a.platform, a.userId, a.itemKey);
        return 'recorded';
      })(),
    );
  }

  addHint(questionId: string, roundId: string | undefined, number: number | undefined, platform: string, userId: string): Promise<number> {
    return wrap('addHint', () => (this.s.hint.get(questionId, roundId ?? null, number ?? null, platform, userId) as { count: number }).count);
  }

  createRound(round: RoundRecord, questions: RoundQuestionRecord[]): Promise<void> {
    return wrap('createRound', () =>
      this.db.transaction(() => {
        this.s.round.run({
          ...round,
          workspace: round.workspace ?? null,
          channelName: round.channelName ?? null,
          thread: round.thread ?? null,
          topic: round.topic ?? null,
        });
        for (const q of questions) this.s.question.run(round.id, q.number, JSON.stringify(q.question));
      })(),
    );
  }

  askQuestion(roundId: string, number: number, askedAt: number, deadline: number, closePrevious?: { number: number; at: number }): Promise<void> {
    return wrap('askQuestion', () =>
      this.db.transaction(() => {
        if (closePrevious) this.s.closeQ.run(closePrevious.at, roundId, closePrevious.number);
        this.s.ask.run(askedAt, deadline, roundId, number);
        this.s.current.run(number, roundId);
      })(),
    );
  }

  closeQuestion(roundId: string, number: number, at: number): Promise<void> {
    return wrap('closeQuestion', () => void this.s.closeQ.run(at, roundId, number));
  }

  endRound(roundId: string, state: 'finished' | 'stopped' | 'closed', at: number, reason: string, results: RoundResult[]): Promise<void> {
    return wrap('endRound', () =>
      this.db.transaction(() => {
        this.s.end.run(state, at, reason, roundId);
        for (const r of results) this.s.result.run(roundId, r.platform, r.userId, r.points, r.rank, r.correct, r.answers);
      })(),
    );
  }

  runningRounds(): Promise<StoredRound[]> {
    return wrap('runningRounds', () =>
      (this.s.running.all() as RoundRow[]).map((row) => ({
        round: toRound(row),
        questions: (this.s.questions.all(row.id) as { number: number; question: string; asked_at: number | null; deadline: number | null; closed_at: number | null }[]).map((q) => ({
          number: q.number,
          question: JSON.parse(q.question) as unknown,
          askedAt: u(q.asked_at),
          deadline: u(q.deadline),
          closedAt: u(q.closed_at),
        })),
        answers: (this.s.roundAnswers.all(row.id) as AnswerRow[]).map(toAnswer),
        hints: (this.s.roundHints.all(row.id) as { number: number; platform: string; user_id: string; count: number }[]).map((h) => ({
          number: h.number,
          platform: h.platform,
          userId: h.user_id,
          count: h.count,
        })),
      })),
    );
  }

  roundResults(roundId: string): Promise<RoundResult[]> {
    return wrap('roundResults', () =>
      (this.s.results.all(roundId) as { platform: string; user_id: string; points: number; rank: number; correct: number; answers: number }[]).map((r) => ({
        platform: r.platform,
        userId: r.user_id,
        points: r.points,
        rank: r.rank,
        correct: r.correct,
        answers: r.answers,
      })),
    );
  }

  roundAnswers(roundId: string): Promise<AnswerRecord[]> {
    return wrap('roundAnswers', () => (this.s.roundAnswers.all(roundId) as AnswerRow[]).map(toAnswer));
  }

  leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]> {
    return wrap('leaderboard', () => {
      const scope = q.channel !== undefined ? 'a.channel = @scope' : 'a.workspace = @scope';
      // reachedAt: the arrival of the player's last scoring answer, so equal totals rank the earlier one first.
      const rows = this.db
        .prepare(
          `SELECT a.user_id, p.name, SUM(a.points) AS points, COUNT(*) AS answers, MAX(CASE WHEN a.points > 0 THEN a.at * 1000000 + a.seq ELSE 0 END) AS reached,
                  MAX(CASE WHEN a.points > 0 THEN a.at ELSE 0 END) AS reached_at
           FROM answers a LEFT JOIN players p ON p.platform = a.platform AND p.user_id = a.user_id
           WHERE a.platform = @platform AND ${scope} AND a.at >= @since
           GROUP BY a.user_id HAVING SUM(a.points) > 0
           ORDER BY points DESC, reached ASC, a.user_id LIMIT @limit`,
        )
        .all({ platform: q.platform, scope: q.channel ?? q.workspace ?? '', since: q.since ?? 0, limit: q.limit }) as {
        user_id: string;
        name: string | null;
        points: number;
        answers: number;
        reached_at: number;
      }[];
      return rows.map((r) => ({ userId: r.user_id, name: u(r.name), points: r.points, answers: r.answers, reachedAt: r.reached_at }));
    });
  }

  review(platform: string, userId: string, itemKey: string): Promise<ReviewEntry | undefined> {
    return wrap('review', () => {
      const r = this.s.reviewGet.get(platform, userId, itemKey) as ReviewRow | undefined;
      return r ? toReview(r) : undefined;
    });
  }

  dueReviews(platform: string, userId: string, now: number, limit: number): Promise<ReviewEntry[]> {
    return wrap('dueReviews', () => (this.s.reviewDue.all(platform, userId, now, limit) as ReviewRow[]).map(toReview));
  }

  reviewSummary(platform: string, userId: string, now: number): Promise<{ total: number; due: number; nextDue?: number | undefined }> {
    return wrap('reviewSummary', () => {
      const r = this.s.reviewSummary.get(now, now, platform, userId) as { total: number; due: number | null; next: number | null };
      return { total: r.total, due: r.due ?? 0, nextDue: u(r.next) };
    });
  }

  removeReview(platform: string, userId: string, itemKey: string): Promise<void> {
    return wrap('removeReview', () => void this.s.reviewDel.run(platform, userId, itemKey));
  }
}

interface ReviewRow {
  platform: string;
  user_id: string;
  item_key: string;
  box: number;
  due_at: number;
  last_at: number;
  misses: number;
}

function toReview(r: ReviewRow): ReviewEntry {
  return { platform: r.platform, userId: r.user_id, itemKey: r.item_key, box: r.box, dueAt: r.due_at, lastAt: r.last_at, misses: r.misses };
}
