import { systemClock, type Clock } from './clock.js';
import { Conversation } from './conversation/conversation.js';
import type { Admission } from './conversation/event.js';
import { TutorError } from './errors.js';
import { loadKnowledge } from './knowledge/load.js';
import type { KnowledgeBase } from './knowledge/types.js';
import type { Logger } from './logger.js';
import { createQuizFeature, type QuizFeature } from './quiz/feature.js';
import { createDailyFeature, type DailyFeature } from './schedule/feature.js';
import { SearchIndex } from './search/engine.js';
import { IN_MEMORY, openSqliteStore } from './store/sqlite.js';
import type { Store } from './store/types.js';
import { Tutor, type Feature, type Outbox } from './tutor.js';

/** The composition root every entry point shares (bot, CLI, transcript, tests). */
export interface AppOptions {
  notesPaths?: string[] | undefined;
  log: Logger;
  clock?: Clock;
  seed?: number | undefined;
  /** Folder of the SQLite store (created on first start); `:memory:` or unset: a throwaway in-memory store. */
  dataDir?: string | undefined;
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
  /** The limit check every inbound event passes first (src/conversation/event.ts, Admission). */
  admit?: Admission | undefined;
}

export interface App {
  tutor: Tutor;
  knowledge: KnowledgeBase;
  clock: Clock;
  store: Store;
  quiz: QuizFeature;
  daily: DailyFeature;
  conversation: Conversation;
  close(): Promise<void>;
}

export function loadNotes(paths: string[] | undefined, log: Logger): KnowledgeBase {
  const kb = loadKnowledge(paths && paths.length > 0 ? paths : ['knowledge']);
  for (const p of kb.problems) log.warn({ file: p.file, line: p.line }, `notes: ${p.message}`);
  if (kb.concepts.length === 0) {
    throw new TutorError('notes.empty', `No concepts found in ${(paths ?? ['knowledge']).join(', ')}. Fix: point --notes (or NOTES_PATH) at Markdown notes with headings or bold terms.`);
  }
  return kb;
}

export async function createApp(options: AppOptions): Promise<App> {
  const knowledge = loadNotes(options.notesPaths, options.log);
  const index = new SearchIndex(knowledge.concepts);
  const clock = options.clock ?? systemClock;
  const store = openSqliteStore({ dataDir: options.dataDir ?? IN_MEMORY });
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
    kb: knowledge,
    index,
    store,
    clock,
    log: options.log.child({ feature: 'quiz' }),
    outbox,
    seed: options.seed,
    quizSeconds: options.quizSeconds ?? 30,
  });
  const daily = createDailyFeature({ kb: knowledge, store, clock, log: options.log.child({ feature: 'daily' }), outbox: options.outbox, platforms: options.dailyPlatforms });
  const tutor = new Tutor({ knowledge, index, log: options.log, features: [...(options.features ?? []), quiz, daily] });
  const conversation = new Conversation({ tutor, store, clock, log: options.log.child({ component: 'conversation' }), quiz, admit: options.admit });
  ref.conversation = conversation;
  tutor.conversation = conversation;
  options.log.debug({ concepts: knowledge.concepts.length, sequences: knowledge.sequences.length, schema: store.schemaVersion() }, 'knowledge loaded');
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
  }
  return {
    tutor,
    knowledge,
    clock,
    store,
    quiz,
    daily,
    conversation,
    close: async () => {
      await tutor.close();
      await store.close();
    },
  };
}
