import type { Database } from 'better-sqlite3';
import { TutorError } from '../errors.js';
import { CONVERSATION_DDL } from './conversation.js';
import { INSTALLATIONS_DDL } from './installations.js';
import { LEARNING_DDL } from './learning.js';
import { LEASES_DDL } from './leases.js';
import type { Sql } from './sql.js';

/**
 * Versioned schema changes, applied in order, each once, each in its own transaction, in both
 * dialects. Never edit a shipped migration: add the next number. `schema_migrations` records what ran.
 *
 * A migration's `up(db)` calls `db.exec(DDL)` with portable SQL (see src/store/sql.ts); on SQLite
 * `db` is the connection, on PostgreSQL it collects the statements, which then run in the
 * migration's transaction. Where the dialects must differ, `postgres` gives PostgreSQL's own DDL.
 */
export interface MigrationDb {
  exec(sql: string): unknown;
}

export interface Migration {
  version: number;
  name: string;
  up(db: MigrationDb): void;
  /** PostgreSQL's DDL when the portable one will not do (1–3 predate the portable rules). */
  postgres?: string;
}

const V1 = `
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
      `;

const V2 = `
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
      `;

const V3 = `
        ALTER TABLE daily_claims ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('claimed', 'sent', 'failed'));
        ALTER TABLE daily_claims ADD COLUMN owner TEXT;
        ALTER TABLE daily_claims ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE daily_claims ADD COLUMN concept_id TEXT;
        CREATE INDEX daily_failures_channel ON daily_failures (platform, channel, at);
      `;

/**
 * Migrations 1–3 were written for SQLite before the portable rules: INTEGER there is 64-bit, in
 * PostgreSQL 32-bit (epoch milliseconds overflow it), AUTOINCREMENT and REAL are SQLite's words.
 * Their PostgreSQL form is the same DDL with BIGINT, identity columns and DOUBLE PRECISION.
 */
export function postgresDdl(sqlite: string): string {
  return sqlite
    .replace(/INTEGER PRIMARY KEY AUTOINCREMENT/g, 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION');
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'quiz: players, rounds, questions, answers, hints, results, review queue',
    up(db) {
      db.exec(V1);
    },
    postgres: postgresDdl(V1),
  },
  {
    version: 2,
    name: 'daily: channel subscriptions, (channel, day) post claims, post history, send failures',
    up(db) {
      // Tables only: the concept-of-the-day feature owns the queries and the scheduler.
      db.exec(V2);
    },
    postgres: postgresDdl(V2),
  },
  {
    version: 3,
    name: 'daily: claim state, owner and attempts, so a crashed sender is taken over and a given-up day is not retried',
    up(db) {
      // Owned by src/store/daily.ts. Existing claims predate the state column: they count as sent.
      db.exec(V3);
    },
    postgres: postgresDdl(V3),
  },
  {
    version: 4,
    name: 'conversation: thread subscriptions, open questions, picks, solo sessions, delivery ids (src/store/conversation.ts)',
    up(db) {
      db.exec(CONVERSATION_DDL);
    },
  },
  {
    version: 5,
    name: 'learning: FSRS cards per learner and item, review logs, review reminders (the Leitner review_queue is imported once, then left as it was)',
    up(db) {
      db.exec(LEARNING_DDL);
    },
  },
  {
    version: 6,
    name: 'leases: which replica owns a running round (and other timers), with an expiry it renews',
    up(db) {
      db.exec(LEASES_DDL);
    },
  },
  {
    version: 7,
    name: "installations: each workspace's app installation (Slack OAuth tokens), shared by every replica",
    up(db) {
      db.exec(INSTALLATIONS_DDL);
    },
  },
];

const newest = (migrations: Migration[]) => Math.max(0, ...migrations.map((m) => m.version));

/** A database migrated by a newer build: running on it could corrupt what that build wrote. */
function refuseNewer(applied: number, migrations: Migration[], where: string): void {
  const known = newest(migrations);
  if (applied > known) {
    throw new TutorError(
      'store.failed',
      `The database (${where}) is at schema version ${applied}, newer than this build knows (${known}). Refusing to start on it. Fix: run the newer build of the bot, or point DATABASE_URL/DATA_DIR at a database this version made.`,
    );
  }
}

/** SQLite: applies what has not run yet; returns the version reached. */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS, where = 'SQLite'): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const max = () => (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  refuseNewer(max(), migrations, where);
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
  return max();
}

/** The statements a migration's `up` gives, for PostgreSQL to run itself. */
export function collectDdl(m: Migration): string {
  if (m.postgres !== undefined) return m.postgres;
  const statements: string[] = [];
  m.up({ exec: (text: string) => statements.push(text) });
  return statements.join(';\n');
}

/**
 * PostgreSQL: the same migrations, each in its own transaction, under a session advisory lock on
 * one dedicated connection, so replicas starting together wait for each other and each migration
 * is applied once (the second one finds it recorded). `lockSql` runs lock, check and unlock; it
 * must be one connection (`withClient`).
 */
export async function migratePostgres(
  withClient: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>,
  migrations: Migration[] = MIGRATIONS,
  where = 'DATABASE_URL',
): Promise<number> {
  return withClient(async (sql) => {
    // The key is per schema, so test runs in their own schemas do not wait on each other.
    await sql.get("SELECT pg_advisory_lock(hashtext('k8s-tutor-bot migrate ' || current_schema()))");
    try {
      await sql.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const max = async () => (await sql.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations'))?.v ?? 0;
      refuseNewer(await max(), migrations, where);
      const sorted = [...migrations].sort((a, b) => a.version - b.version);
      for (const m of sorted) {
        if (await sql.get('SELECT 1 FROM schema_migrations WHERE version = ?', [m.version])) continue;
        await sql.run('BEGIN');
        try {
          await sql.run(collectDdl(m));
          await sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
          await sql.run('COMMIT');
        } catch (err) {
          await sql.run('ROLLBACK').catch(() => undefined);
          throw new TutorError('store.failed', `Migration ${m.version} (${m.name}) failed on PostgreSQL: ${(err as Error).message}`, err);
        }
      }
      return await max();
    } finally {
      await sql.get("SELECT pg_advisory_unlock(hashtext('k8s-tutor-bot migrate ' || current_schema()))").catch(() => undefined);
    }
  });
}
