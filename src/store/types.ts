import type { ConversationStore } from './conversation.js';
import type { DailyStore } from './daily.js';
import type { InstallationStore } from './installations.js';
import type { LearningStore } from './learning.js';
import type { LeaseStore } from './leases.js';
import type { Dialect, Sql } from './sql.js';

/**
 * Persistence behind one interface: the embedded SQLite store (src/store/sqlite.ts) or PostgreSQL
 * (src/store/postgres.ts, when DATABASE_URL is set). Both build the same repositories on the `Sql`
 * seam (src/store/sql.ts), which is why every call returns a promise. Later features add their own part (e.g. `daily`) beside `quiz`, with
 * tables created by new numbered migrations (src/store/migrations.ts).
 */
export interface Store {
  readonly quiz: QuizStore;
  /** The concept of the day (src/store/daily.ts). */
  readonly daily: DailyStore;
  /** FSRS cards, review logs and reminders (src/store/learning.ts). */
  readonly learning: LearningStore;
  /** Which replica owns what (src/store/leases.ts). */
  readonly leases: LeaseStore;
  /** Chat app installations per workspace (src/store/installations.ts). */
  readonly installations: InstallationStore;
  /** Conversation state: thread subscriptions, open questions, picks, solo sessions, dedupe (src/store/conversation.ts). */
  readonly conversation: ConversationStore;
  /** Incremented every time the store is opened: makes ids unique across restarts. */
  readonly boot: number;
  /** Highest migration applied. */
  schemaVersion(): number;
  readonly dialect: Dialect;
  /** The seam new repositories are built on. */
  readonly sql: Sql;
  /** A real query against the database (what /readyz asks); rejects when it cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type AnswerMode = 'solo' | 'round' | 'review';

export interface AnswerRecord {
  questionId: string;
  roundId?: string | undefined;
  /** 1-based question number within the round. */
  number?: number | undefined;
  platform: string;
  workspace?: string | undefined;
  channel: string;
  userId: string;
  userName?: string | undefined;
  kind: string;
  itemKey: string;
  /** What the player typed, trimmed and capped. */
  text: string;
  correct: boolean;
  /** 0..1, partial for drills. */
  credit: number;
  points: number;
  hints: number;
  mode: AnswerMode;
  at: number;
  /** Arrival order within the process, for ties inside the same millisecond. */
  seq: number;
}

export type RoundState = 'running' | 'finished' | 'stopped' | 'closed';

export interface RoundRecord {
  id: string;
  platform: string;
  workspace?: string | undefined;
  channel: string;
  channelName?: string | undefined;
  thread?: string | undefined;
  startedBy: string;
  startedAt: number;
  total: number;
  kind: string;
  topic?: string | undefined;
  seconds: number;
  state: RoundState;
  /** 1-based number of the question asked last; 0 before the first. */
  current: number;
  endedAt?: number | undefined;
  endReason?: string | undefined;
}

export interface RoundQuestionRecord {
  number: number;
  /** The question as plain data (self-contained: grading needs nothing else). */
  question: unknown;
  askedAt?: number | undefined;
  deadline?: number | undefined;
  closedAt?: number | undefined;
}

export interface StoredRound {
  round: RoundRecord;
  questions: RoundQuestionRecord[];
  answers: AnswerRecord[];
  hints: { number: number; platform: string; userId: string; count: number }[];
}

export interface RoundResult {
  platform: string;
  userId: string;
  points: number;
  rank: number;
  correct: number;
  answers: number;
}

export interface LeaderboardQuery {
  platform: string;
  /** One of channel or workspace. */
  channel?: string | undefined;
  workspace?: string | undefined;
  since?: number | undefined;
  limit: number;
}

export interface LeaderboardRow {
  userId: string;
  name?: string | undefined;
  points: number;
  answers: number;
  /** Arrival of the answer that brought the player to this total: ties go to the earlier one. */
  reachedAt: number;
}

export interface QuizStore {
  /** Writes the answer (and the player) at once. A second answer to one question by one player is refused. FSRS review logs: src/store/learning.ts. */
  recordAnswer(answer: AnswerRecord): Promise<'recorded' | 'duplicate'>;
  /** One more hint used on a question; returns the count now. */
  addHint(questionId: string, roundId: string | undefined, number: number | undefined, platform: string, userId: string): Promise<number>;
  createRound(round: RoundRecord, questions: RoundQuestionRecord[]): Promise<void>;
  /** Closes the previous question (when given) and opens `number`, in one transaction. */
  askQuestion(
    roundId: string,
    number: number,
    askedAt: number,
    deadline: number,
    closePrevious?: { number: number; at: number },
  ): Promise<void>;
  closeQuestion(roundId: string, number: number, at: number): Promise<void>;
  endRound(roundId: string, state: Exclude<RoundState, 'running'>, at: number, reason: string, results: RoundResult[]): Promise<void>;
  runningRounds(): Promise<StoredRound[]>;
  /** The running round in a channel, if any (another replica may own it). */
  runningRoundIn(platform: string, channel: string): Promise<StoredRound | undefined>;
  /** One running round by id; undefined once it ended. */
  runningRound(roundId: string): Promise<StoredRound | undefined>;
  /** Running rounds whose lease (`round:<id>`) is missing or expired at `now`: what a replica may take over. */
  unownedRounds(now: number): Promise<string[]>;
  roundResults(roundId: string): Promise<RoundResult[]>;
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardRow[]>;
  /** Every answer in a round, in arrival order (tests, recovery, audits). */
  roundAnswers(roundId: string): Promise<AnswerRecord[]>;
}
