import type Database from 'better-sqlite3';
import { TutorError } from '../errors.js';

/**
 * The seam every repository is written against, so one repository serves both the embedded
 * SQLite store and PostgreSQL. Placeholders are `?`; a PostgreSQL executor numbers them.
 *
 * Portable SQL only: `INSERT … ON CONFLICT … DO UPDATE/NOTHING`, `RETURNING`, partial indexes,
 * column types TEXT, INTEGER, BIGINT (epoch milliseconds), DOUBLE PRECISION; booleans stored as
 * INTEGER 0/1; no scalar MAX/MIN of two values (SQLite's MAX(a, b) is GREATEST in PostgreSQL):
 * write `CASE WHEN a > b THEN a ELSE b END`. Where a statement truly differs, branch on `dialect`.
 */
export type SqlValue = string | number | bigint | null;
export type Dialect = 'sqlite' | 'postgres';

export interface Sql {
  readonly dialect: Dialect;
  /** Every row of a query. */
  all<T>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(text: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `fn` in one transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE;
   * PostgreSQL: retried on serialization failures). Statements inside use the `Sql` given to `fn`.
   */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/**
 * better-sqlite3 answers synchronously on one connection, so a transaction whose body awaits
 * must keep every other statement of this process out until it ends: one queue orders them.
 */
export function sqliteSql(db: Database.Database): Sql {
  const serial = queueFor(db);
  // Repositories pass constant statement texts: prepare each once. The cap only guards against a caller building texts.
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string): Database.Statement => {
    let st = statements.get(text);
    if (!st) {
      if (statements.size >= 500) statements.clear();
      st = db.prepare(text);
      statements.set(text, st);
    }
    return st;
  };
  const direct = (): Sql => ({
    dialect: 'sqlite',
    all: <T>(text: string, params: readonly SqlValue[] = []) => Promise.resolve(guard(text, () => prepare(text).all(...params) as T[])),
    get: <T>(text: string, params: readonly SqlValue[] = []) =>
      Promise.resolve(guard(text, () => prepare(text).get(...params) as T | undefined)),
    run: (text: string, params: readonly SqlValue[] = []) => Promise.resolve(guard(text, () => prepare(text).run(...params).changes)),
    tx: (fn) => fn(direct()), // already inside: nested work joins the open transaction
  });
  const inside = direct();
  return {
    dialect: 'sqlite',
    all: (text, params) => serial(() => inside.all(text, params)),
    get: (text, params) => serial(() => inside.get(text, params)),
    run: (text, params) => serial(() => inside.run(text, params)),
    tx: <T>(fn: (sql: Sql) => Promise<T>) =>
      serial(async () => {
        guard('BEGIN IMMEDIATE', () => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(inside);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
  };
}

/**
 * One queue per database file, shared by every connection this process opens on it: a transaction
 * that awaits holds SQLite's write lock, and another connection's BEGIN IMMEDIATE in the same thread
 * would block the whole process for busy_timeout waiting on it. In-memory databases are their own.
 */
type Serial = <T>(work: () => Promise<T> | T) => Promise<T>;
const queues = new Map<string, { serial: Serial; users: number }>();

function queueFor(db: Database.Database): Serial {
  const make = (): Serial => {
    let tail: Promise<unknown> = Promise.resolve();
    return <T>(work: () => Promise<T> | T): Promise<T> => {
      const next = tail.then(work, work);
      tail = next.catch(() => undefined);
      return next;
    };
  };
  if (db.memory) return make();
  const key = db.name;
  let entry = queues.get(key);
  if (!entry) {
    entry = { serial: make(), users: 0 };
    queues.set(key, entry);
  }
  entry.users += 1;
  return entry.serial;
}

/** Lets the file's queue go once its last connection closes, so the map stays as small as the open files. */
export function releaseSqliteQueue(db: Database.Database): void {
  if (db.memory) return;
  const entry = queues.get(db.name);
  if (entry && --entry.users <= 0) queues.delete(db.name);
}

function guard<T>(text: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new TutorError('store.failed', `store: ${firstWords(text)} failed: ${(err as Error).message}`, err);
  }
}

function firstWords(text: string): string {
  return text.trim().split(/\s+/).slice(0, 4).join(' ');
}
