import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TutorError } from '../errors.js';
import { storeParts } from './parts.js';
import { migrate } from './migrations.js';
import { releaseSqliteQueue, sqliteSql } from './sql.js';
import type { Store } from './types.js';

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
    version = migrate(db, undefined, `SQLite in ${options.dataDir}`);
    boot = db
      .transaction(() => {
        const row = db.prepare("SELECT value FROM meta WHERE key = 'boots'").get() as { value: string } | undefined;
        const next = (row ? Number(row.value) : 0) + 1;
        db.prepare("INSERT INTO meta (key, value) VALUES ('boots', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
          String(next),
        );
        return next;
      })
      .immediate(); // read-then-write: take the write lock first, or two processes opening at once deadlock
  } catch (err) {
    db.close();
    throw new TutorError('store.failed', `Could not prepare the database in ${options.dataDir}: ${(err as Error).message}`, err);
  }
  const sql = sqliteSql(db);
  return {
    ...storeParts(sql),
    boot,
    dialect: 'sqlite',
    sql,
    schemaVersion: () => version,
    ping: async () => {
      await sql.get('SELECT 1 AS ok');
    },
    close: async () => {
      // Statements wait in the seam's queue: let those already asked for finish before the connection goes.
      if (db.open) await sql.get('SELECT 1 AS ok').catch(() => undefined);
      if (db.open) {
        db.close();
        releaseSqliteQueue(db);
      }
    },
  };
}
