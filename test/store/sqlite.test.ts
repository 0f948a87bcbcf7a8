import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../src/store/migrations.js';
import { DB_FILE, IN_MEMORY, openSqliteStore } from '../../src/store/sqlite.js';
import type { AnswerRecord, RoundRecord, Store } from '../../src/store/types.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const open = (dataDir: string) => {
  const s = openSqliteStore({ dataDir });
  stores.push(s);
  return s;
};
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'store-'));
  dirs.push(d);
  return d;
};

let seq = 0;
const answer = (over: Partial<AnswerRecord> = {}): AnswerRecord => ({
  questionId: 'q1',
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  userId: 'U1',
  userName: 'Ana',
  kind: 'order',
  itemKey: 'order:pod-creation',
  text: 'C A B D',
  correct: true,
  credit: 1,
  points: 100,
  hints: 0,
  mode: 'round',
  at: 1_000,
  seq: ++seq,
  ...over,
});

const round = (over: Partial<RoundRecord> = {}): RoundRecord => ({
  id: 'r1',
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  startedBy: 'U1',
  startedAt: 1_000,
  total: 2,
  kind: 'order',
  seconds: 30,
  state: 'running',
  current: 1,
  ...over,
});

describe('the embedded SQLite store', () => {
  it('creates DATA_DIR and its database on first start, in WAL mode', async () => {
    const dir = join(temp(), 'nested', 'data');
    const store = open(dir);
    expect(existsSync(join(dir, DB_FILE))).toBe(true);
    await store.close();
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies each migration once and counts its boots', async () => {
    const dir = temp();
    const first = open(dir);
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    expect(first.schemaVersion()).toBe(latest);
    expect(first.boot).toBe(1);
    await first.close();
    const second = open(dir);
    expect(second.schemaVersion()).toBe(latest);
    expect(second.boot).toBe(2);
  });

  it('lets a later feature add its tables with the next numbered migration', () => {
    const db = new Database(IN_MEMORY);
    expect(migrate(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const next = { version: 1000, name: 'test: a new table', up: (d: Database.Database) => d.exec('CREATE TABLE extra (x INTEGER)') };
    expect(migrate(db, [...MIGRATIONS, next])).toBe(1000);
    // Running again changes nothing.
    expect(migrate(db, [...MIGRATIONS, next])).toBe(1000);
    db.close();
  });

  it('counts every answer exactly once: a second answer to one question by one player is refused', async () => {
    const store = open(IN_MEMORY);
    expect(await store.quiz.recordAnswer(answer())).toBe('recorded');
    expect(await store.quiz.recordAnswer(answer({ points: 5 }))).toBe('duplicate');
    expect(await store.quiz.recordAnswer(answer({ userId: 'U2' }))).toBe('recorded');
    expect(await store.quiz.recordAnswer(answer({ questionId: 'q2' }))).toBe('recorded');
    const board = await store.quiz.leaderboard({ platform: 'slack', channel: 'C1', limit: 10 });
    expect(board.find((r) => r.userId === 'U1')?.points).toBe(200);
  });

  it('keeps one running round per channel, and its questions and answers for a restart', async () => {
    const dir = temp();
    const store = open(dir);
    await store.quiz.createRound(round(), [
      { number: 1, question: { id: 'q1' } },
      { number: 2, question: { id: 'q2' } },
    ]);
    await expect(store.quiz.createRound(round({ id: 'r2' }), [])).rejects.toMatchObject({ code: 'store.failed' });
    await store.quiz.askQuestion('r1', 1, 1_000, 31_000);
    await store.quiz.recordAnswer(answer({ roundId: 'r1', number: 1 }));
    await store.quiz.addHint('q1', 'r1', 1, 'slack', 'U2');
    expect(await store.quiz.addHint('q1', 'r1', 1, 'slack', 'U2')).toBe(2);
    await store.close();

    const again = open(dir);
    const [running] = await again.quiz.runningRounds();
    expect(running!.round).toMatchObject({ id: 'r1', current: 1, state: 'running' });
    expect(running!.questions[0]).toMatchObject({ number: 1, question: { id: 'q1' }, askedAt: 1_000, deadline: 31_000 });
    expect(running!.answers).toHaveLength(1);
    expect(running!.hints).toEqual([{ number: 1, platform: 'slack', userId: 'U2', count: 2 }]);
    await again.quiz.endRound('r1', 'finished', 40_000, 'completed', [{ platform: 'slack', userId: 'U1', points: 100, rank: 1, correct: 1, answers: 1 }]);
    expect(await again.quiz.runningRounds()).toHaveLength(0);
    expect(await again.quiz.roundResults('r1')).toHaveLength(1);
    await again.quiz.createRound(round({ id: 'r2' }), []);
  });

  it('ranks the leaderboard by points, ties to whoever got there first, per channel and per workspace', async () => {
    const store = open(IN_MEMORY);
    await store.quiz.recordAnswer(answer({ questionId: 'a', userId: 'late', points: 50, at: 2_000 }));
    await store.quiz.recordAnswer(answer({ questionId: 'a', userId: 'early', points: 50, at: 1_000 }));
    await store.quiz.recordAnswer(answer({ questionId: 'b', userId: 'other', channel: 'C2', points: 70 }));
    await store.quiz.recordAnswer(answer({ questionId: 'c', userId: 'old', points: 999, at: 1 }));
    const channel = await store.quiz.leaderboard({ platform: 'slack', channel: 'C1', since: 500, limit: 10 });
    expect(channel.map((r) => r.userId)).toEqual(['early', 'late']);
    const workspace = await store.quiz.leaderboard({ platform: 'slack', workspace: 'T1', since: 500, limit: 10 });
    expect(workspace.map((r) => r.userId)).toEqual(['other', 'early', 'late']);
    const all = await store.quiz.leaderboard({ platform: 'slack', workspace: 'T1', limit: 1 });
    expect(all.map((r) => r.userId)).toEqual(['old']);
  });

  it('names DATA_DIR and the fix when the folder cannot be used', () => {
    const file = join(temp(), 'a-file');
    const db = new Database(file);
    db.close();
    expect(() => openSqliteStore({ dataDir: join(file, 'sub') })).toThrow(/DATA_DIR/);
  });
});
