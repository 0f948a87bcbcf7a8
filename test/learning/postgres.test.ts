import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARNING_DDL, sqlLearningStore, type LearningStore } from '../../src/store/learning.js';
import type { Sql, SqlValue } from '../../src/store/sql.js';

/**
 * The learning store's SQL is written for the `Sql` seam in portable SQL. This runs migration 5's
 * DDL and every query on PostgreSQL (127.0.0.1:5432, database `test`) through a minimal executor
 * made here for the test (the product's PostgreSQL executor is another issue's work).
 */
const URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `learning_${process.pid}_${Date.now()}`;
let client: pg.Client | undefined;
let reason = '';

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

function pgSql(c: pg.Client): Sql {
  const q: Sql = {
    dialect: 'postgres',
    all: async <T>(text: string, params: readonly SqlValue[] = []) => (await c.query(numbered(text), params as unknown[])).rows as T[],
    get: async <T>(text: string, params: readonly SqlValue[] = []) =>
      (await c.query(numbered(text), params as unknown[])).rows[0] as T | undefined,
    run: async (text: string, params: readonly SqlValue[] = []) => (await c.query(numbered(text), params as unknown[])).rowCount ?? 0,
    tx: async <T>(fn: (sql: Sql) => Promise<T>) => {
      await c.query('BEGIN');
      try {
        const out = await fn(q);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      }
    },
  };
  return q;
}

beforeAll(async () => {
  try {
    client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    // The tables of other migrations the learning store reads, in portable types.
    await client.query(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE answers (question_id TEXT NOT NULL, platform TEXT NOT NULL, channel TEXT NOT NULL, user_id TEXT NOT NULL, item_key TEXT NOT NULL,
        correct INTEGER NOT NULL, credit DOUBLE PRECISION NOT NULL, hints INTEGER NOT NULL, mode TEXT NOT NULL, at BIGINT NOT NULL, seq INTEGER NOT NULL);
      CREATE TABLE review_queue (platform TEXT NOT NULL, user_id TEXT NOT NULL, item_key TEXT NOT NULL, box INTEGER NOT NULL, due_at BIGINT NOT NULL,
        last_at BIGINT NOT NULL, misses INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (platform, user_id, item_key));
      CREATE TABLE daily_claims (platform TEXT NOT NULL, channel TEXT NOT NULL, day TEXT NOT NULL, claimed_at BIGINT NOT NULL, state TEXT NOT NULL,
        owner TEXT, attempts INTEGER NOT NULL DEFAULT 0, concept_id TEXT, PRIMARY KEY (platform, channel, day));
    `);
    await client.query(LEARNING_DDL);
  } catch (err) {
    reason = `PostgreSQL is not reachable at ${URL} (${(err as Error).message}): skipped`;
    await client?.end().catch(() => undefined);
    client = undefined;
  }
});

afterAll(async () => {
  if (!client) return;
  await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  await client.end();
});

const card = (item: string, due: number) => ({
  platform: 'slack',
  userId: 'U1',
  item,
  due,
  stability: 3.5,
  difficulty: 5.25,
  scheduledDays: 3,
  learningSteps: 0,
  reps: 2,
  lapses: 1,
  state: 2,
  lastReview: due - 3 * 86_400_000,
});
const log = (item: string, questionId: string, at: number) => ({
  platform: 'slack',
  userId: 'U1',
  questionId,
  item,
  itemKey: `recall:${item.split(':')[1]}`,
  channel: 'C1',
  mode: 'solo',
  source: 'answer' as const,
  rating: 3,
  correct: true,
  stateBefore: 2,
  stability: 3.5,
  difficulty: 5.25,
  elapsedDays: 1.5,
  scheduledDays: 3,
  dueAfter: at + 3 * 86_400_000,
  reviewedAt: at,
});

describe('the learning store on PostgreSQL', () => {
  it('creates migration 5 and answers every query with the same values as on SQLite', async (ctx) => {
    if (!client) {
      console.warn(reason);
      ctx.skip();
      return;
    }
    const store: LearningStore = sqlLearningStore(pgSql(client));
    const now = 1_780_000_000_000;
    expect(
      await store.review('slack', 'U1', 'concept:etcd', 'q1', () => ({
        card: card('concept:etcd', now - 1000),
        log: log('concept:etcd', 'q1', now - 5000),
      })),
    ).toBe('recorded');
    expect(
      await store.review('slack', 'U1', 'concept:etcd', 'q1', () => ({
        card: card('concept:etcd', now),
        log: log('concept:etcd', 'q1', now),
      })),
    ).toBe('duplicate');
    await store.review('slack', 'U1', 'concept:pod', 'q2', () => ({
      card: card('concept:pod', now + 86_400_000),
      log: log('concept:pod', 'q2', now - 4000),
    }));
    expect(await store.card('slack', 'U1', 'concept:etcd')).toEqual(card('concept:etcd', now - 1000));
    expect((await store.due('slack', 'U1', now, 10)).map((c) => c.item)).toEqual(['concept:etcd']);
    expect(await store.dueSummary('slack', 'U1', now)).toEqual({ total: 2, due: 1, nextDue: now + 86_400_000 });
    expect(await store.answersSince('slack', 'U1', 0, 10)).toEqual([
      { at: now - 5000, correct: true },
      { at: now - 4000, correct: true },
    ]);
    expect(await store.lastItem('slack', 'U1')).toBe('concept:pod');

    await store.setReminder({
      platform: 'slack',
      userId: 'U1',
      timeOfDay: '19:00',
      zone: 'Asia/Seoul',
      quietOk: false,
      enabled: true,
      offTold: true,
      updatedAt: now,
    });
    expect((await store.activeReminders()).map((r) => r.userId)).toEqual(['U1']);
    await store.refuseReminder('slack', 'U1', 'cannot_dm_bot', now);
    expect(await store.untoldRefusals()).toEqual([{ platform: 'slack', userId: 'U1' }]);
    expect(await store.markOffTold('slack', 'U1')).toBe(true);
    expect(await store.markOffTold('slack', 'U1')).toBe(false);

    await client.query("INSERT INTO answers VALUES ('a1', 'slack', 'C1', 'U2', 'recall:etcd', 0, 0, 0, 'round', 100, 1)");
    await client.query("INSERT INTO review_queue VALUES ('slack', 'U2', 'recall:etcd', 1, 200, 100, 1)");
    expect(await store.channelItems('slack', 'C1', 0)).toEqual([{ itemKey: 'recall:etcd', answers: 1, wrong: 1 }]);
    const first = await store.importOnce(({ leitner, answers }) => {
      expect(leitner).toEqual([{ platform: 'slack', userId: 'U2', itemKey: 'recall:etcd', box: 1, dueAt: 200, lastAt: 100, misses: 1 }]);
      expect(answers).toMatchObject([{ questionId: 'a1', correct: false, at: 100 }]);
      return { cards: [{ ...card('concept:etcd', 200), userId: 'U2' }], logs: [] };
    });
    expect(first).toEqual({ imported: true, cards: 1, logs: 0 });
    expect((await store.importOnce(() => ({ cards: [], logs: [] }))).imported).toBe(false);
  });
});
