import type { ConversationStore } from './conversation.js';
import type { DailyStore } from './daily.js';

/**
 * Persistence behind one interface. The embedded SQLite store implements it today; a server
 * database can stand in later, which is why every call returns a promise even though SQLite
 * answers synchronously. Later features add their own part (e.g. `daily`) beside `quiz`, with
 * tables created by new numbered migrations (src/store/migrations.ts).
 */
export interface Store {
  readonly quiz: QuizStore;
  /** The concept of the day (src/store/daily.ts). */
  readonly daily: DailyStore;
  /** Conversation state: thread subscriptions, open questions, picks, solo sessions, dedupe (src/store/conversation.ts). */
  readonly conversation: ConversationStore;
  /** Incremented every time the store is opened: makes ids unique across restarts. */
  readonly boot: number;
  /** Highest migration applied. */
  schemaVersion(): number;
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

/** A change to one review-queue entry, written in the same transaction as the answer. */
export type ReviewChange = { op: 'put'; box: number; dueAt: number; missed: boolean } | { op: 'remove' };

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

export interface ReviewEntry {
  platform: string;
  userId: string;
  itemKey: string;
  box: number;
  dueAt: number;
  lastAt: number;
  misses: number;
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
  /** Writes the answer (and the player, and the review change) at once. A second answer to one question by one player is refused. */
  recordAnswer(answer: AnswerRecord, review?: ReviewChange): Promise<'recorded' | 'duplicate'>;
  /** One more hint used on a question; returns the count now. */
  addHint(questionId: string, roundId: string | undefined, number: number | undefined, platform: string, userId: string): Promise<number>;
  createRound(round: RoundRecord, questions: RoundQuestionRecord[]): Promise<void>;
  /** Closes the previous question (when given) and opens `number`, in one transaction. */
  askQuestion(roundId: string, number: number, askedAt: number, deadline: number, closePrevious?: { number: number; at: number }): Promise<void>;
  closeQuestion(roundId: string, number: number, at: number): Promise<void>;
  endRound(roundId: string, state: Exclude<RoundState, 'running'>, at: number, reason: string, results: RoundResult[]): Promise<void>;
  runningRounds(): Promise<StoredRound[]>;
  roundResults(roundId: string): Promise<RoundResult[]>;
  leaderboard(query: LeaderboardQuery): Promise<LeaderboardRow[]>;
  review(platform: string, userId: string, itemKey: string): Promise<ReviewEntry | undefined>;
  dueReviews(platform: string, userId: string, now: number, limit: number): Promise<ReviewEntry[]>;
  reviewSummary(platform: string, userId: string, now: number): Promise<{ total: number; due: number; nextDue?: number | undefined }>;
  removeReview(platform: string, userId: string, itemKey: string): Promise<void>;
  /** Every answer in a round, in arrival order (tests, recovery, audits). */
  roundAnswers(roundId: string): Promise<AnswerRecord[]>;
}
