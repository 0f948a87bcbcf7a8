import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { runTutor } from '../support/cli.js';
import { dropSchema, freshSchema, PG_UP, PG_URL } from '../store/backends.js';

const NOW = Date.UTC(2026, 0, 5);

describe.skipIf(!PG_UP)('tutor migrate-store', () => {
  const dirs: string[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('copies a SQLite store into PostgreSQL, can run again without doubling anything, and new ids come after the old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-store-'));
    dirs.push(dir);
    const sqlite = openSqliteStore({ dataDir: dir });
    await sqlite.quiz.createRound(
      {
        id: 'r1',
        platform: 'slack',
        channel: 'C1',
        startedBy: 'U1',
        startedAt: NOW,
        total: 1,
        kind: 'order',
        seconds: 30,
        state: 'running',
        current: 1,
      },
      [{ number: 1, question: { id: 'q1' } }],
    );
    for (const user of ['U1', 'U2', 'U3']) {
      await sqlite.quiz.recordAnswer({
        questionId: 'q1',
        roundId: 'r1',
        number: 1,
        platform: 'slack',
        channel: 'C1',
        userId: user,
        userName: `이름 ${user}`,
        kind: 'order',
        itemKey: 'k',
        text: 'A B',
        correct: user !== 'U3',
        credit: 1,
        points: 10,
        hints: 0,
        mode: 'round',
        at: NOW,
        seq: 1,
      });
    }
    await sqlite.learning.addCard({
      platform: 'slack',
      userId: 'U3',
      item: 'concept:etcd',
      due: NOW + 1_000,
      stability: 0,
      difficulty: 0,
      scheduledDays: 0,
      learningSteps: 0,
      reps: 0,
      lapses: 0,
      state: 0,
    });
    await sqlite.daily.subscribe({
      platform: 'slack',
      channel: 'C1',
      timeOfDay: '09:00',
      zone: 'Asia/Seoul',
      enabled: true,
      createdBy: 'U1',
      createdAt: NOW,
      updatedAt: NOW,
    });
    await sqlite.daily.claim('slack', 'C1', '2026-01-05', 'o', NOW, 60_000);
    await sqlite.daily.markSent({ platform: 'slack', channel: 'C1', day: '2026-01-05', conceptId: 'etcd', postedAt: NOW }, 'o');
    const sourceBoot = sqlite.boot;
    await sqlite.close();

    const schema = freshSchema('mig');
    schemas.push(schema);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);

    const first = await runTutor(['migrate-store', '--from', dir], '', { DATABASE_URL: url.toString() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/answers: 3 read, 3 written/);
    expect(first.stdout).toMatch(/daily_posts: 1 read, 1 written/);
    const again = await runTutor(['migrate-store', '--from', dir], '', { DATABASE_URL: url.toString() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/answers: 3 read, 0 written/);

    const store = await openPostgresStore({ url: PG_URL, schema });
    try {
      expect(store.boot).toBeGreaterThan(sourceBoot);
      const [round] = await store.quiz.runningRounds();
      expect(round!.answers.map((a) => [a.userId, a.userName, a.correct])).toEqual([
        ['U1', '이름 U1', true],
        ['U2', '이름 U2', true],
        ['U3', '이름 U3', false],
      ]);
      expect(await store.learning.card('slack', 'U3', 'concept:etcd')).toMatchObject({ due: NOW + 1_000 });
      expect(await store.daily.posts('slack', 'C1')).toHaveLength(1);
      expect(await store.daily.activeSubscriptions()).toHaveLength(1);
      // The identity counter moved past the copied rows: a new answer gets a fresh id instead of colliding.
      await store.quiz.recordAnswer({
        questionId: 'q2',
        platform: 'slack',
        channel: 'C1',
        userId: 'U1',
        kind: 'order',
        itemKey: 'k',
        text: 'x',
        correct: true,
        credit: 1,
        points: 1,
        hints: 0,
        mode: 'solo',
        at: NOW,
        seq: 2,
      });
      expect(await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM answers')).toEqual({ n: 4 });
    } finally {
      await store.close();
    }
  });

  it('without DATABASE_URL or without a SQLite store, says which and the fix', async () => {
    const none = await runTutor(['migrate-store', '--from', '/nonexistent'], '', { DATABASE_URL: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs DATABASE_URL.*Fix: set DATABASE_URL=postgres:/);
    const empty = await runTutor(['migrate-store', '--from', '/nonexistent'], '', { DATABASE_URL: PG_URL });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/There is no SQLite store at \/nonexistent\/tutor\.sqlite\. Fix: pass --from/);
  });
});
