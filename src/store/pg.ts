import pg from 'pg';
import { TutorError } from '../errors.js';
import type { Sql, SqlValue } from './sql.js';

/**
 * The `Sql` seam on PostgreSQL, through `pg` (node-postgres) and its pool.
 *
 * - `?` placeholders become `$1…$n` (outside quoted text), cached per statement text.
 * - BIGINT (epoch milliseconds, COUNT, SUM) arrives as a JS number, as SQLite gives it; a value
 *   past 2^53 would lose digits, so it throws instead of answering wrong.
 * - Every connection runs with a `statement_timeout`, so one stuck query cannot hold a pool slot.
 * - Transactions retry whole on serialization failures and deadlocks (40001, 40P01) and on a
 *   connection lost before COMMIT was sent; single reads retry on a lost connection. A write
 *   outside a transaction is not retried: it may have committed before the connection dropped.
 */
export interface PgOptions {
  url: string;
  /** Pool size per process; the database's max_connections bounds replicas × max. */
  max?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** A schema to work in (created when missing): tests give each run its own. */
  schema?: string | undefined;
  /** How many times a transaction or read is tried in all. */
  attempts?: number;
}

const INT8 = 20;
const NUMERIC = 1700;

const toNumber = (text: string): number => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) {
    throw new TutorError('store.failed', `store: a BIGINT (${text}) is beyond what a JS number holds exactly (2^53); refusing to round it`);
  }
  return n;
};

/** Per-pool type parsers: BIGINT and NUMERIC as numbers (checked), the rest as pg parses them. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8) return toNumber;
    if (oid === NUMERIC) return (text: string) => (/^-?\d+$/.test(text) ? toNumber(text) : Number(text));
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const RETRY_CODES = new Set(['40001', '40P01']);
/** Errors after which the connection is gone (server restart, network cut, admin shutdown). */
const CONNECTION_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

const isRetryable = (err: unknown) => RETRY_CODES.has((err as { code?: string }).code ?? '') || isConnectionLoss(err);

/** `?` → `$n`, leaving `?` inside '…' and "…" alone. */
export function numberPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PgSql extends Sql {
  readonly pool: pg.Pool;
  /** A real round trip: what /readyz asks. */
  ping(): Promise<void>;
  /** `fn` on one dedicated connection (session state such as an advisory lock stays with it). */
  withClient<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createPgSql(options: PgOptions): PgSql {
  if (options.schema !== undefined && !SAFE_SCHEMA.test(options.schema))
    throw new TutorError('store.failed', `store: schema name ${options.schema} is not a plain identifier`);
  const attempts = options.attempts ?? 3;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    // A transaction left open by a crashed await must not hold locks forever.
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'k8s-tutor-bot',
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types,
  });
  // An idle client losing its connection (database restart) emits here; without a listener the process would crash.
  pool.on('error', () => undefined);

  const texts = new Map<string, string>();
  const prepare = (text: string): string => {
    let t = texts.get(text);
    if (t === undefined) {
      t = numberPlaceholders(text);
      if (texts.size >= 1_000) texts.clear(); // statements are constants; the cap is only a guard
      texts.set(text, t);
    }
    return t;
  };

  const fail = (text: string, err: unknown): TutorError =>
    err instanceof TutorError
      ? err
      : new TutorError('store.failed', `store: ${text.trim().split(/\s+/).slice(0, 4).join(' ')} failed: ${(err as Error).message}`, err);

  type Runner = { query: pg.Pool['query'] };
  const on = (runner: Runner): Pick<Sql, 'all' | 'get' | 'run'> => ({
    all: async <T>(text: string, params: readonly SqlValue[] = []) => (await runner.query(prepare(text), params as unknown[])).rows as T[],
    get: async <T>(text: string, params: readonly SqlValue[] = []) =>
      (await runner.query(prepare(text), params as unknown[])).rows[0] as T | undefined,
    run: async (text: string, params: readonly SqlValue[] = []) => (await runner.query(prepare(text), params as unknown[])).rowCount ?? 0,
  });
  const direct = on(pool as unknown as Runner);

  const backoff = (i: number) => new Promise((r) => setTimeout(r, 20 * 2 ** i + Math.random() * 20));

  /** Reads are safe to repeat; a write outside a transaction is tried once. */
  const single = async <T>(text: string, work: () => Promise<T>, repeatable: boolean): Promise<T> => {
    for (let i = 0; ; i++) {
      try {
        return await work();
      } catch (err) {
        if (!repeatable || i + 1 >= attempts || !isRetryable(err)) throw fail(text, err);
        await backoff(i);
      }
    }
  };
  const isRead = (text: string) => /^\s*(SELECT|WITH)\b/i.test(text);

  const sql: PgSql = {
    dialect: 'postgres',
    pool,
    all: (text, params) => single(text, () => direct.all(text, params), isRead(text)),
    get: (text, params) => single(text, () => direct.get(text, params), isRead(text)),
    run: (text, params) => single(text, () => direct.run(text, params), false),
    async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      for (let i = 0; ; i++) {
        let client: pg.PoolClient | undefined;
        let committing = false;
        try {
          client = await pool.connect();
          await client.query('BEGIN');
          const inner = on(client as unknown as Runner);
          const txSql: Sql = { dialect: 'postgres', ...inner, tx: (f) => f(txSql) };
          const result = await fn(txSql);
          committing = true;
          await client.query('COMMIT');
          client.release();
          return result;
        } catch (err) {
          if (client) {
            const lost = isConnectionLoss(err);
            if (!lost) await client.query('ROLLBACK').catch(() => undefined);
            client.release(lost ? (err as Error) : undefined); // a broken connection leaves the pool
          }
          // Once COMMIT is sent and the connection drops, we cannot know whether it committed: do not repeat it.
          if (committing && isConnectionLoss(err)) throw fail('COMMIT', err);
          if (i + 1 >= attempts || !isRetryable(err)) throw fail('transaction', err);
          await backoff(i);
        }
      }
    },
    async withClient<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((err: unknown) => {
        throw fail('connect', err);
      });
      const inner = on(client as unknown as Runner);
      const wrapped =
        (f: (text: string, params?: readonly SqlValue[]) => Promise<unknown>) => async (text: string, params?: readonly SqlValue[]) => {
          try {
            return await f(text, params);
          } catch (err) {
            throw fail(text, err);
          }
        };
      const one: Sql = {
        dialect: 'postgres',
        all: wrapped(inner.all) as Sql['all'],
        get: wrapped(inner.get) as Sql['get'],
        run: wrapped(inner.run) as Sql['run'],
        tx: (f) => f(one),
      };
      let broken: Error | undefined;
      try {
        return await fn(one);
      } catch (err) {
        if (isConnectionLoss((err as TutorError).cause ?? err)) broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async ping() {
      await single('SELECT 1', () => direct.get('SELECT 1 AS ok'), true);
    },
    close: async () => {
      if (!pool.ended && !pool.ending) await pool.end();
    },
  };
  return sql;
}
