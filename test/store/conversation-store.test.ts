import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_DDL, SqlConversationStore } from '../../src/store/conversation.js';
import { sqliteSql, type Sql, type SqlValue } from '../../src/store/sql.js';

/**
 * The conversation repository on the SQL seam, against SQLite and (when it runs on 127.0.0.1:5432)
 * PostgreSQL: the same DDL and statements on both, which is what "portable SQL" promises. The
 * PostgreSQL executor here is the smallest that fits the seam (numbered placeholders, one
 * connection per transaction); the store's own PostgreSQL executor belongs to another change.
 */
function pgSql(pool: pg.Pool, client?: pg.PoolClient): Sql {
  const number = (text: string) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  const q = (text: string, params: readonly SqlValue[] = []) => (client ?? pool).query(number(text), params as unknown[]);
  return {
    dialect: 'postgres',
    all: async <T>(text: string, params?: readonly SqlValue[]) => (await q(text, params)).rows as T[],
    get: async <T>(text: string, params?: readonly SqlValue[]) => (await q(text, params)).rows[0] as T | undefined,
    run: async (text: string, params?: readonly SqlValue[]) => (await q(text, params)).rowCount ?? 0,
    tx: async <T>(fn: (sql: Sql) => Promise<T>) => {
      if (client) return fn(pgSql(pool, client));
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(pgSql(pool, c));
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      } finally {
        c.release();
      }
    },
  };
}

function behaves(name: string, open: () => Promise<SqlConversationStore | undefined>) {
  describe(`the conversation store on ${name}`, () => {
    let store: SqlConversationStore | undefined;
    beforeAll(async () => {
      store = await open();
    });

    it('keeps a round’s thread until the round ends, then knows it as ended', async (ctx) => {
      if (!store) return ctx.skip();
      await store.subscribe({ platform: 'p', channel: 'c', thread: 't', roundId: 'r1', openedAt: 1, expiresAt: 10_000 });
      expect(await store.subscription('p', 'c', 't')).toMatchObject({ roundId: 'r1', endedAt: undefined, expiresAt: 10_000 });
      expect((await store.threadOfRound('r1'))?.thread).toBe('t');
      await store.endRound('r1', 50, 1_000);
      expect(await store.subscription('p', 'c', 't')).toMatchObject({ endedAt: 50, expiresAt: 1_050 });
    });

    it('keeps an open question with its labels and view, and picks per player, until closed', async (ctx) => {
      if (!store) return ctx.skip();
      await store.openQuestion({
        key: 'q1',
        platform: 'p',
        channel: 'c',
        roundId: 'r2',
        labels: ['A', 'B'],
        picksWanted: 2,
        view: { kind: 'order' },
        openedAt: 1,
        expiresAt: 5_000,
      });
      expect(await store.question('q1', 2)).toMatchObject({ labels: ['A', 'B'], picksWanted: 2, view: { kind: 'order' }, roundId: 'r2' });
      expect(await store.question('q1', 5_000)).toBeUndefined();
      await store.setPicks('q1', 'p', 'u', ['B'], 5_000);
      expect(await store.picks('q1', 'p', 'u', 2)).toEqual(['B']);
      await store.endRound('r2', 3, 1);
      expect(await store.question('q1', 2)).toBeUndefined();
      expect(await store.picks('q1', 'p', 'u', 2)).toEqual([]);
    });

    it('takes a solo question once: a racing second answer finds it taken', async (ctx) => {
      if (!store) return ctx.skip();
      await store.putSolo('p', 'u', 'c', 'q9', { hints: 0 }, 1, 9_000);
      const [a, b] = await Promise.all([store.takeSolo('p', 'u', 'c', 'q9', 2, 9_000), store.takeSolo('p', 'u', 'c', 'q9', 2, 9_000)]);
      expect([a, b].sort()).toEqual([false, true]);
      expect(await store.solo('p', 'u', 'c', 3)).toMatchObject({ state: 'answered', questionId: 'q9', session: { hints: 0 } });
    });

    it('answers a delivery id once, and sweeps every expired row', async (ctx) => {
      if (!store) return ctx.skip();
      expect(await store.firstDelivery('p', 'Ev1', 100)).toBe(true);
      expect(await store.firstDelivery('p', 'Ev1', 100)).toBe(false);
      expect(await store.sweep(1_000_000)).toBeGreaterThanOrEqual(3);
      expect(await store.firstDelivery('p', 'Ev1', 100)).toBe(true);
    });
  });
}

behaves('SQLite', async () => {
  const db = new Database(':memory:');
  db.exec(CONVERSATION_DDL);
  return new SqlConversationStore(sqliteSql(db));
});

const schema = `conv_${process.pid}`;
let pool: pg.Pool | undefined;
behaves('PostgreSQL', async () => {
  const candidate = new pg.Pool({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'test',
    max: 4,
    connectionTimeoutMillis: 2_000,
    options: `-c search_path=${schema}`,
  });
  try {
    const admin = await candidate.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    admin.release();
    await candidate.query(CONVERSATION_DDL);
  } catch (err) {
    console.warn(`PostgreSQL is not reachable on 127.0.0.1:5432 (${(err as Error).message}): its conversation-store tests are skipped.`);
    await candidate.end().catch(() => undefined);
    return undefined;
  }
  pool = candidate;
  return new SqlConversationStore(pgSql(candidate));
});

afterAll(async () => {
  if (!pool) return;
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.end();
});
