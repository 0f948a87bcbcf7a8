import { systemClock, type Clock } from './clock.js';
import { Conversation } from './conversation/conversation.js';
import type { Admission } from './conversation/event.js';
import { TutorError } from './errors.js';
import { createExplainFeature } from './explain/feature.js';
import { LiveKnowledge } from './knowledge/live.js';
import { collectAfterIndexing } from './knowledge/collect.js';
import { notePathOf } from './knowledge/load.js';
import { NotesLoader } from './knowledge/notesLoader.js';
import type { KnowledgeBase } from './knowledge/types.js';
import { watchNotes, type NotesWatcher } from './knowledge/watch.js';
import type { Logger } from './logger.js';
import { createQuizFeature, type QuizFeature } from './quiz/feature.js';
import { createDailyFeature, type DailyFeature } from './schedule/feature.js';
import { Learning } from './learning/engine.js';
import { createLearningFeature } from './learning/feature.js';
import { Reminders } from './learning/reminders.js';
import { SearchIndex } from './search/engine.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';
import { DEFAULT_LIMITS, Limits, limitsAdmission, type LimitSettings } from './conversation/limits.js';
import { Tutor, type Feature, type Outbox } from './tutor.js';

/** The composition root every entry point shares (bot, CLI, transcript, tests). */
export interface AppOptions {
  notesPaths?: string[] | undefined;
  log: Logger;
  clock?: Clock;
  seed?: number | undefined;
  /** Folder of the SQLite store (created on first start); `:memory:` or unset: a throwaway in-memory store. */
  dataDir?: string | undefined;
  /** DATABASE_URL and its pool settings: the PostgreSQL store instead of SQLite. */
  database?: { url: string; poolMax?: number | undefined; statementTimeoutMs?: number | undefined } | undefined;
  /** Seconds per team-round question (QUIZ_SECONDS); 30 when unset. */
  quizSeconds?: number | undefined;
  /** Where timer-driven replies go (a round's next question, a daily post). */
  outbox?: Outbox;
  /** Extra features, beside the built-in ones. */
  features?: Feature[];
  /**
   * Platforms whose scheduled daily posts this process sends (the adapters it runs); unset: every
   * platform with a subscription; `[]`: none (one-shot commands). See docs/daily.md.
   */
  dailyPlatforms?: string[] | undefined;
  /** Fair limits per person and per channel (README: Limits); unset: the defaults; `false`: none. */
  limits?: LimitSettings | false | undefined;
  /** FSRS desired retention (REVIEW_RETENTION); 0.9 when unset. */
  reviewRetention?: number | undefined;
  /** Review reminders need at least this many due items (REVIEW_REMIND_MIN_DUE); 3 when unset. */
  reviewRemindMinDue?: number | undefined;
  /** Reload the notes when a file changes, is added or removed (NOTES_WATCH, `--watch`). */
  watchNotes?: boolean | undefined;
  /** Overrides the limit check every inbound event passes first (src/conversation/event.ts, Admission); unset: `limits`. */
  admit?: Admission | undefined;
}

export interface App {
  tutor: Tutor;
  /** The current notes (after a reload, the new ones); `live` owns them and the index. */
  readonly knowledge: KnowledgeBase;
  live: LiveKnowledge;
  /** Set when the notes are watched. */
  watcher: NotesWatcher | undefined;
  clock: Clock;
  store: Store;
  quiz: QuizFeature;
  daily: DailyFeature;
  learning: Learning;
  reminders: Reminders;
  conversation: Conversation;
  close(): Promise<void>;
}

export function notesPaths(paths: string[] | undefined): string[] {
  return paths && paths.length > 0 ? paths : ['knowledge'];
}

export function loadNotes(paths: string[] | undefined, log: Logger, loader = new NotesLoader(notesPaths(paths))): KnowledgeBase {
  const { kb } = loader.load();
  for (const p of kb.problems) log.warn({ file: p.file, line: p.line }, `notes: ${p.message}`);
  if (kb.concepts.length === 0) {
    throw new TutorError(
      'notes.empty',
      `No concepts found in ${(paths ?? ['knowledge']).join(', ')}. Fix: point --notes (or NOTES_PATH) at Markdown notes with headings or bold terms.`,
    );
  }
  return kb;
}

export async function createApp(options: AppOptions): Promise<App> {
  const loader = new NotesLoader(notesPaths(options.notesPaths));
  const knowledge = loadNotes(options.notesPaths, options.log, loader);
  const live = new LiveKnowledge(knowledge, new SearchIndex(knowledge.concepts));
  // Indexed: the free notes' bodies are read back from their files when a card needs one (keeps memory small).
  loader.release();
  collectAfterIndexing();
  const clock = options.clock ?? systemClock;
  const store = await openStore({
    dataDir: options.dataDir,
    databaseUrl: options.database?.url,
    poolMax: options.database?.poolMax,
    statementTimeoutMs: options.database?.statementTimeoutMs,
  });
  const learning = new Learning({
    store: store.learning,
    get kb() {
      return live.kb;
    },
    clock,
    log: options.log.child({ feature: 'learning' }),
    retention: options.reviewRetention ?? 0.9,
  });
  const ref: { conversation?: Conversation } = {};
  // Every reply no message asked for passes the conversation layer on its way out, so its buttons are known.
  const outbox: Outbox | undefined = options.outbox
    ? async (target, reply) => {
        // Posted first, synchronously, so a round's posts leave in order; the write is queued before any press can come back.
        const posting = options.outbox!(target, reply);
        await Promise.all([ref.conversation?.sent(target, reply), posting]);
      }
    : undefined;
  const quiz = createQuizFeature({
    // Getters, so the quiz and the daily posts read the notes of the latest reload.
    get kb() {
      return live.kb;
    },
    get index() {
      return live.index;
    },
    store,
    clock,
    log: options.log.child({ feature: 'quiz' }),
    outbox,
    seed: options.seed,
    quizSeconds: options.quizSeconds ?? 30,
    learning,
  });
  const daily = createDailyFeature({
    get kb() {
      return live.kb;
    },
    store,
    clock,
    log: options.log.child({ feature: 'daily' }),
    outbox: options.outbox,
    platforms: options.dailyPlatforms,
  });
  // Reminders go out on the platforms whose daily posts this process sends (the adapters it runs).
  const reminders = new Reminders({
    store,
    clock,
    log: options.log.child({ feature: 'reminders' }),
    outbox: options.outbox,
    minDue: options.reviewRemindMinDue ?? 3,
    platforms: options.dailyPlatforms,
  });
  const quizReview = quiz.commands!.review!;
  const learningFeature = createLearningFeature({
    learning,
    reminders,
    store,
    get kb() {
      return live.kb;
    },
    clock,
    quizReview,
  });
  const explain = createExplainFeature({
    get kb() {
      return live.kb;
    },
    learning,
    clock,
    log: options.log.child({ feature: 'explain' }),
  });
  const tutor = new Tutor({
    live,
    log: options.log,
    features: [...(options.features ?? []), learningFeature, quiz, daily, explain],
  });
  const limits = options.limits === false ? undefined : new Limits(options.limits ?? DEFAULT_LIMITS);
  const conversation = new Conversation({
    tutor,
    store,
    clock,
    log: options.log.child({ component: 'conversation' }),
    quiz,
    admit: options.admit ?? (limits ? limitsAdmission(limits) : undefined),
  });
  ref.conversation = conversation;
  tutor.conversation = conversation;
  const watcher = options.watchNotes
    ? watchNotes({ paths: notesPaths(options.notesPaths).map(notePathOf), loader, live, log: options.log.child({ component: 'notes' }) })
    : undefined;
  options.log.debug(
    { concepts: knowledge.concepts.length, sequences: knowledge.sequences.length, schema: store.schemaVersion() },
    'knowledge loaded',
  );
  try {
    await reminders.load();
    const imported = await learning.importHistory();
    if (imported.imported && imported.cards > 0)
      options.log.info(imported, 'learning: Leitner queue and past answers imported as FSRS cards');
  } catch (err) {
    options.log.error({ err }, 'learning: past answers could not be imported');
  }
  try {
    await quiz.recover();
  } catch (err) {
    options.log.error({ err }, 'quiz rounds could not be recovered');
  }
  if (options.outbox && options.dailyPlatforms?.length !== 0) {
    try {
      // Sends today's post if it was missed while the bot was down, then arms the daily timer.
      await daily.start();
    } catch (err) {
      options.log.error({ err }, 'daily posts could not be scheduled');
    }
    reminders.start();
  }
  return {
    tutor,
    get knowledge() {
      return live.kb;
    },
    live,
    watcher,
    clock,
    store,
    quiz,
    daily,
    learning,
    reminders,
    conversation,
    close: async () => {
      await watcher?.close();
      await tutor.close();
      await store.close();
    },
  };
}
