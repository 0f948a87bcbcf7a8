import { u } from './rows.js';
import type { Sql } from './sql.js';
import type {
  AnswerRecord,
  LeaderboardQuery,
  LeaderboardRow,
  QuizStore,
  RoundQuestionRecord,
  RoundRecord,
  RoundResult,
  StoredRound,
} from './types.js';

/**
 * The quiz's tables (migration 1) on the `Sql` seam: one repository for SQLite and PostgreSQL.
 * Every change that touches more than one row is one transaction.
 */
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

export function toRound(r: RoundRow): RoundRecord {
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

const Q = {
  player: `INSERT INTO players (platform, user_id, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (platform, user_id) DO UPDATE SET name = COALESCE(excluded.name, players.name),
      last_seen = CASE WHEN excluded.last_seen > players.last_seen THEN excluded.last_seen ELSE players.last_seen END`,
  answer: `INSERT INTO answers (question_id, round_id, number, platform, workspace, channel, user_id, kind, item_key, text, correct, credit, points, hints, mode, at, seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (question_id, platform, user_id) DO NOTHING`,
  hint: `INSERT INTO hints (question_id, round_id, number, platform, user_id, count) VALUES (?, ?, ?, ?, ?, 1)
    ON CONFLICT (question_id, platform, user_id) DO UPDATE SET count = hints.count + 1 RETURNING count`,
  round: `INSERT INTO rounds (id, platform, workspace, channel, channel_name, thread, started_by, started_at, total, kind, topic, seconds, state, current)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  question: 'INSERT INTO round_questions (round_id, number, question) VALUES (?, ?, ?)',
  ask: 'UPDATE round_questions SET asked_at = ?, deadline = ? WHERE round_id = ? AND number = ?',
  current: 'UPDATE rounds SET current = ? WHERE id = ?',
  closeQ: 'UPDATE round_questions SET closed_at = COALESCE(closed_at, ?) WHERE round_id = ? AND number = ?',
  end: "UPDATE rounds SET state = ?, ended_at = ?, end_reason = ? WHERE id = ? AND state = 'running'",
  result: `INSERT INTO round_results (round_id, platform, user_id, points, rank, correct, answers) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (round_id, platform, user_id) DO UPDATE SET points = excluded.points, rank = excluded.rank, correct = excluded.correct, answers = excluded.answers`,
  running: "SELECT * FROM rounds WHERE state = 'running' ORDER BY started_at, id",
  roundById: "SELECT * FROM rounds WHERE id = ? AND state = 'running'",
  roundIn: "SELECT * FROM rounds WHERE platform = ? AND channel = ? AND state = 'running'",
  unowned: `SELECT r.id FROM rounds r LEFT JOIN leases l ON l.name = 'round:' || r.id
    WHERE r.state = 'running' AND (l.name IS NULL OR l.expires_at <= ?) ORDER BY r.started_at, r.id`,
  questions: 'SELECT * FROM round_questions WHERE round_id = ? ORDER BY number',
  roundAnswers: `SELECT ${ANSWER_COLUMNS} FROM answers a LEFT JOIN players p ON p.platform = a.platform AND p.user_id = a.user_id WHERE a.round_id = ? ORDER BY a.seq, a.id`,
  roundHints: 'SELECT number, platform, user_id, count FROM hints WHERE round_id = ?',
  results: 'SELECT * FROM round_results WHERE round_id = ? ORDER BY rank',
};

export class SqlQuizStore implements QuizStore {
  constructor(private readonly sql: Sql) {}

  recordAnswer(a: AnswerRecord): Promise<'recorded' | 'duplicate'> {
    return this.sql.tx(async (q) => {
      await q.run(Q.player, [a.platform, a.userId, a.userName ?? null, a.at, a.at]);
      const changed = await q.run(Q.answer, [
        a.questionId,
        a.roundId ?? null,
        a.number ?? null,
        a.platform,
        a.workspace ?? null,
        a.channel,
        a.userId,
        a.kind,
        a.itemKey,
        a.text,
        a.correct ? 1 : 0,
        a.credit,
        a.points,
        a.hints,
        a.mode,
        a.at,
        a.seq,
      ]);
      if (changed === 0) return 'duplicate';
      return 'recorded';
    });
  }

  async addHint(
    questionId: string,
    roundId: string | undefined,
    number: number | undefined,
    platform: string,
    userId: string,
  ): Promise<number> {
    const row = await this.sql.get<{ count: number }>(Q.hint, [questionId, roundId ?? null, number ?? null, platform, userId]);
    return row?.count ?? 0;
  }

  createRound(round: RoundRecord, questions: RoundQuestionRecord[]): Promise<void> {
    return this.sql.tx(async (q) => {
      await q.run(Q.round, [
        round.id,
        round.platform,
        round.workspace ?? null,
        round.channel,
        round.channelName ?? null,
        round.thread ?? null,
        round.startedBy,
        round.startedAt,
        round.total,
        round.kind,
        round.topic ?? null,
        round.seconds,
        round.state,
        round.current,
      ]);
      for (const question of questions) await q.run(Q.question, [round.id, question.number, JSON.stringify(question.question)]);
    });
  }

  askQuestion(
    roundId: string,
    number: number,
    askedAt: number,
    deadline: number,
    closePrevious?: { number: number; at: number },
  ): Promise<void> {
    return this.sql.tx(async (q) => {
      if (closePrevious) await q.run(Q.closeQ, [closePrevious.at, roundId, closePrevious.number]);
      await q.run(Q.ask, [askedAt, deadline, roundId, number]);
      await q.run(Q.current, [number, roundId]);
    });
  }

  async closeQuestion(roundId: string, number: number, at: number): Promise<void> {
    await this.sql.run(Q.closeQ, [at, roundId, number]);
  }

  endRound(roundId: string, state: 'finished' | 'stopped' | 'closed', at: number, reason: string, results: RoundResult[]): Promise<void> {
    return this.sql.tx(async (q) => {
      await q.run(Q.end, [state, at, reason, roundId]);
      for (const r of results) await q.run(Q.result, [roundId, r.platform, r.userId, r.points, r.rank, r.correct, r.answers]);
    });
  }

  async runningRounds(): Promise<StoredRound[]> {
    const rows = await this.sql.all<RoundRow>(Q.running);
    const out: StoredRound[] = [];
    for (const row of rows) out.push(await this.load(row));
    return out;
  }

  /** One running round with its questions, answers and hints; undefined when it is not running. */
  async runningRound(roundId: string): Promise<StoredRound | undefined> {
    const row = await this.sql.get<RoundRow>(Q.roundById, [roundId]);
    return row ? this.load(row) : undefined;
  }

  async runningRoundIn(platform: string, channel: string): Promise<StoredRound | undefined> {
    const row = await this.sql.get<RoundRow>(Q.roundIn, [platform, channel]);
    return row ? this.load(row) : undefined;
  }

  async unownedRounds(now: number): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>(Q.unowned, [now]);
    return rows.map((r) => r.id);
  }

  private async load(row: RoundRow): Promise<StoredRound> {
    const questions = await this.sql.all<{
      number: number;
      question: string;
      asked_at: number | null;
      deadline: number | null;
      closed_at: number | null;
    }>(Q.questions, [row.id]);
    const answers = await this.sql.all<AnswerRow>(Q.roundAnswers, [row.id]);
    const hints = await this.sql.all<{ number: number; platform: string; user_id: string; count: number }>(Q.roundHints, [row.id]);
    return {
      round: toRound(row),
      questions: questions.map((q) => ({
        number: q.number,
        question: JSON.parse(q.question) as unknown,
        askedAt: u(q.asked_at),
        deadline: u(q.deadline),
        closedAt: u(q.closed_at),
      })),
      answers: answers.map(toAnswer),
      hints: hints.map((h) => ({ number: h.number, platform: h.platform, userId: h.user_id, count: h.count })),
    };
  }

  async roundResults(roundId: string): Promise<RoundResult[]> {
    const rows = await this.sql.all<{ platform: string; user_id: string; points: number; rank: number; correct: number; answers: number }>(
      Q.results,
      [roundId],
    );
    return rows.map((r) => ({
      platform: r.platform,
      userId: r.user_id,
      points: r.points,
      rank: r.rank,
      correct: r.correct,
      answers: r.answers,
    }));
  }

  async roundAnswers(roundId: string): Promise<AnswerRecord[]> {
    return (await this.sql.all<AnswerRow>(Q.roundAnswers, [roundId])).map(toAnswer);
  }

  async leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]> {
    const scope = q.channel !== undefined ? 'a.channel = ?' : 'a.workspace = ?';
    // The arrival of the player's last scoring answer ranks equal totals: the earlier one first.
    // MAX(p.name): PostgreSQL wants every selected column grouped or aggregated; a player has one name.
    const rows = await this.sql.all<{ user_id: string; name: string | null; points: number; answers: number; reached_at: number }>(
      // The tie key (at × 10^6 + seq) passes 2^53, so it stays in ORDER BY and never comes back as a number.
      `SELECT a.user_id, MAX(p.name) AS name, SUM(a.points) AS points, COUNT(*) AS answers,
              MAX(CASE WHEN a.points > 0 THEN a.at ELSE 0 END) AS reached_at
       FROM answers a LEFT JOIN players p ON p.platform = a.platform AND p.user_id = a.user_id
       WHERE a.platform = ? AND ${scope} AND a.at >= ?
       GROUP BY a.user_id HAVING SUM(a.points) > 0
       ORDER BY points DESC, MAX(CASE WHEN a.points > 0 THEN a.at * 1000000 + a.seq ELSE 0 END) ASC, a.user_id LIMIT ?`,
      [q.platform, q.channel ?? q.workspace ?? '', q.since ?? 0, q.limit],
    );
    return rows.map((r) => ({ userId: r.user_id, name: u(r.name), points: r.points, answers: r.answers, reachedAt: r.reached_at }));
  }
}
