import type { Bilingual } from './knowledge/types.js';

/**
 * The one neutral reply model. `markdown` is a complete rendering (Korean first, English beside)
 * that any surface can show as is; the structured parts let adapters render natively
 * (Block Kit, embeds, buttons). The transcript (`tutor chat --json`) prints this object.
 */
export type ReplyKind =
  | 'card'
  | 'didYouMean'
  | 'miss'
  | 'help'
  | 'notice'
  | 'error'
  | 'quiz'
  | 'grade'
  | 'scoreboard'
  | 'leaderboard'
  | 'daily'
  | 'explain'
  | 'progress';

export interface ConceptRef {
  id: string;
  title: Bilingual;
}

export interface CardView {
  id: string;
  title: Bilingual;
  category: string;
  summary: Bilingual;
  body: string;
  example?: { lang: string; code: string };
  related: ConceptRef[];
  confusedWith: ConceptRef[];
  aliases: string[];
  source: { file: string; heading: string; line?: number; url?: string };
  /** Steps, when the concept is a sequence. */
  steps?: { text: Bilingual; reason?: Bilingual }[];
}

export interface Suggestion extends ConceptRef {
  score: number;
}

export interface QuizItem {
  label: string;
  text: string;
}

export interface QuizView {
  kind: 'order' | 'recall' | 'choice' | 'class' | string;
  /** Markdown prompt, Korean then English. */
  prompt: string;
  items: QuizItem[];
  questionId: string;
  roundId?: string;
  /** 1-based position within a round, and the round's length. */
  number?: number;
  total?: number;
  /** Epoch ms when answers stop counting (team rounds). */
  deadline?: number;
  /** Answer options for a classification question (e.g. control plane / worker node). */
  classes?: string[];
}

export interface GradeView {
  user: string;
  correct: boolean;
  points: number;
  /** Labels in the right order for a drill, the right answer otherwise. */
  expected: string[] | string;
  questionId: string;
  partial?: number;
}

export interface ScoreEntry {
  user: string;
  name?: string;
  points: number;
  rank: number;
}

export interface ScoreboardView {
  title: Bilingual;
  entries: ScoreEntry[];
  final?: boolean;
}

export interface Reply {
  kind: ReplyKind;
  markdown: string;
  /** `private`: only the asker should see it (ephemeral); `channel`: everyone in the channel. */
  visibility: 'private' | 'channel';
  /** Identifier for an expected miss or notice (e.g. `query.empty`), for adapters and tests. */
  code?: string;
  card?: CardView;
  suggestions?: Suggestion[];
  quiz?: QuizView;
  grade?: GradeView;
  scoreboard?: ScoreboardView;
  /** Post into the round's thread rather than the channel itself. */
  thread?: string;
  /** Buttons under the reply (the daily post's "quiz me on this"). See ReplyAction. */
  actions?: ReplyAction[];
  /** Set on the concept of the day (kind `daily`): render a heading and the why line around `card`. */
  daily?: DailyView;
  /** Set on an explained paste (kind `explain`): what was read, as `tutor explain --json` prints it. */
  explain?: ExplainView;
  /**
   * A picture (`/progress`): Slack uploads it, Discord attaches it, the terminal prints `markdown`
   * instead. `alt` carries the same figures as the picture. `chat --json` writes `data` to a file
   * and prints `{ mime, alt, file }` in its place.
   */
  image?: ReplyImage;
}

/** What an explained paste showed (docs: README, Scripts). `line` is 1-based in the paste; `text` is masked. */
export interface ExplainView {
  findings: { signal: string; concept: string; line: number; text: string }[];
  /** Lines that looked like trouble but matched no signal (masked). */
  unknown: string[];
}

export interface ReplyImage {
  mime: 'image/png';
  alt: string;
  /** File name offered to the platform, e.g. `progress.png`. */
  name: string;
  data: Uint8Array;
}

/** The concept-of-the-day parts that a card alone does not carry (docs/daily.md). */
export interface DailyView {
  /** The channel's local day, `YYYY-MM-DD`. */
  day: string;
  /** One line on why the concept matters, Korean and English; absent when the notes give none. */
  why?: Bilingual;
}

/**
 * A button an adapter offers under a reply. Contract (docs/daily.md):
 * - `quiz-on-concept`: a one-question quiz about `conceptId` for whoever presses it, answered to
 *   that person privately (ephemeral in Slack and Discord). The adapter runs `command` through
 *   `Tutor.handle` as a message from the presser in the same channel and shows the replies only
 *   to them; `label` is the button text (Korean · English). The terminal prints `command` as a hint.
 */
export interface ReplyAction {
  kind: 'quiz-on-concept';
  conceptId: string;
  /** The command the button runs, in the one command language, e.g. `/quiz container`. */
  command: string;
  label: Bilingual;
}

/** Where a reply goes when it is not an answer to a message (timers, daily posts). */
export interface PostTarget {
  platform: string;
  channel: string;
  /** A direct message to this user (review reminders): the adapter opens the DM; `channel` is ignored. */
  user?: string;
  thread?: string;
  workspace?: string;
}
