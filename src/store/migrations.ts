import type { Database } from 'better-sqlite3';
import { CONVERSATION_DDL } from './conversation.js';

/**
 * Versioned schema changes, applied in order, each once, each in its own transaction.
 * Never edit a shipped migration: add the next number. `schema_migrations` records what ran.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'quiz: players, rounds, questions, answers, hints, results, review queue',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE players (
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          name TEXT,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          PRIMARY KEY (platform, user_id)
        );
        CREATE TABLE rounds (
          id TEXT PRIMARY KEY,
          platform TEXT NOT NULL,
          workspace TEXT,
          channel TEXT NOT NULL,
          channel_name TEXT,
          thread TEXT,
          started_by TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          total INTEGER NOT NULL,
          kind TEXT NOT NULL,
          topic TEXT,
          seconds INTEGER NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'stopped', 'closed')),
          current INTEGER NOT NULL DEFAULT 0,
          ended_at INTEGER,
          end_reason TEXT
        );
        -- One running round per channel, enforced by the database as well as the engine.
        CREATE UNIQUE INDEX rounds_one_running ON rounds (platform, channel) WHERE state = 'running';
        CREATE TABLE round_questions (
          round_id TEXT NOT NULL REFERENCES rounds (id),
          number INTEGER NOT NULL,
          question TEXT NOT NULL,
          asked_at INTEGER,
          deadline INTEGER,
          closed_at INTEGER,
          PRIMARY KEY (round_id, number)
        );
        CREATE TABLE answers (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          question_id TEXT NOT NULL,
          round_id TEXT,
          number INTEGER,
          platform TEXT NOT NULL,
          workspace TEXT,
          channel TEXT NOT NULL,
          user_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          item_key TEXT NOT NULL,
          text TEXT NOT NULL,
          correct INTEGER NOT NULL,
          credit REAL NOT NULL,
          points INTEGER NOT NULL,
          hints INTEGER NOT NULL DEFAULT 0,
          mode TEXT NOT NULL CHECK (mode IN ('solo', 'round', 'review')),
          at INTEGER NOT NULL,
          seq INTEGER NOT NULL
        );
        -- Every answer counted exactly once: one per player per question.
        CREATE UNIQUE INDEX answers_once ON answers (question_id, platform, user_id);
        CREATE INDEX answers_round ON answers (round_id, number);
        CREATE INDEX answers_channel ON answers (platform, channel, at);
        CREATE INDEX answers_workspace ON answers (platform, workspace, at);
        CREATE TABLE hints (
          question_id TEXT NOT NULL,
          round_id TEXT,
          number INTEGER,
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (question_id, platform, user_id)
        );
        CREATE TABLE round_results (
          round_id TEXT NOT NULL REFERENCES rounds (id),
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          points INTEGER NOT NULL,
          rank INTEGER NOT NULL,
          correct INTEGER NOT NULL,
          answers INTEGER NOT NULL,
          PRIMARY KEY (round_id, platform, user_id)
        );
        CREATE TABLE review_queue (
          platform TEXT NOT NULL,
          user_id TEXT NOT NULL,
          item_key TEXT NOT NULL,
          box INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
          due_at INTEGER NOT NULL,
          last_at INTEGER NOT NULL,
          misses INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (platform, user_id, item_key)
        );
        CREATE INDEX review_due ON review_queue (platform, user_id, due_at);
      `);
    },
  },
  {
    version: 2,
    name: 'daily: channel subscriptions, (channel, day) post claims, post history, send failures',
    up(db) {
      // Tables only: the concept-of-the-day feature owns the queries and the scheduler.
      db.exec(`
        CREATE TABLE daily_subscriptions (
          platform TEXT NOT NULL,
          workspace TEXT,
          channel TEXT NOT NULL,
          time_of_day TEXT NOT NULL,
          zone TEXT NOT NULL,
          enabled INTEGER NOT NULL DEFAULT 1,
          paused_reason TEXT,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (platform, channel)
        );
        -- Claiming (channel, day) before sending makes a post happen at most once per day, even across restarts.
        CREATE TABLE daily_claims (
          platform TEXT NOT NULL,
          channel TEXT NOT NULL,
          day TEXT NOT NULL,
          claimed_at INTEGER NOT NULL,
          PRIMARY KEY (platform, channel, day)
        );
        CREATE TABLE daily_posts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          platform TEXT NOT NULL,
          channel TEXT NOT NULL,
          day TEXT NOT NULL,
          concept_id TEXT NOT NULL,
          posted_at INTEGER NOT NULL
        );
        CREATE INDEX daily_posts_channel ON daily_posts (platform, channel, posted_at);
        CREATE TABLE daily_failures (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          platform TEXT NOT NULL,
          channel TEXT NOT NULL,
          day TEXT NOT NULL,
          error TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: 'daily: claim state, owner and attempts, so a crashed sender is taken over and a given-up day is not retried',
    up(db) {
      // Owned by src/store/daily.ts. Existing claims predate the state column: they count as sent.
      db.exec(`
        ALTER TABLE daily_claims ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('claimed', 'sent', 'failed'));
        ALTER TABLE daily_claims ADD COLUMN owner TEXT;
        ALTER TABLE daily_claims ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE daily_claims ADD COLUMN concept_id TEXT;
        CREATE INDEX daily_failures_channel ON daily_failures (platform, channel, at);
      `);
    },
  },
  {
    version: 4,
    name: 'conversation: thread subscriptions, open questions, picks, solo sessions, delivery ids (src/store/conversation.ts)',
    up(db) {
      db.exec(CONVERSATION_DDL);
    },
  },
];

/** Applies what has not run yet; returns the version reached. */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (applied.get(m.version)) continue;
    // IMMEDIATE takes the write lock before looking again, so two processes starting together apply each migration once.
    db.transaction(() => {
      if (applied.get(m.version)) return;
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }).immediate();
  }
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
