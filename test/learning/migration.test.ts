import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { DB_FILE } from '../../src/store/sqlite.js';
import { harness, type Harness } from '../quiz/harness.js';

const DAY = 86_400_000;
let dir: string | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A database as version 3 left it: two answers and their Leitner rows. */
function legacyDatabase(now: number): string {
  dir = mkdtempSync(join(tmpdir(), 'learning-mig-'));
  const db = new Database(join(dir, DB_FILE));
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  const answer = db.prepare(
    `INSERT INTO answers (question_id, platform, channel, user_id, kind, item_key, text, correct, credit, points, hints, mode, at, seq) VALUES (?, 'test', 'c', 'ana', ?, ?, 'x', ?, ?, 0, 0, ?, ?, ?)`,
  );
  answer.run('q1', 'choice', 'choice:etcd', 0, 0, 'solo', now - 10 * DAY, 1);
  answer.run('q2', 'choice', 'choice:etcd', 1, 1, 'review', now - 9 * DAY, 2);
  answer.run('q3', 'order', 'order:pod-creation', 0, 0.5, 'round', now - 8 * DAY, 3);
  const queue = db.prepare(
    'INSERT INTO review_queue (platform, user_id, item_key, box, due_at, last_at, misses) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  queue.run('test', 'ana', 'choice:etcd', 2, now - 6 * DAY, now - 9 * DAY, 1);
  queue.run('test', 'ana', 'order:pod-creation', 1, now - 7 * DAY, now - 8 * DAY, 1);
  // A Leitner row whose answers were never kept: it still becomes a card, from its box.
  queue.run('test', 'bo', 'recall:kubelet', 3, now + 2 * DAY, now - 5 * DAY, 0);
  db.close();
  return dir;
}

describe('migration 5 turns the Leitner queue into FSRS cards without losing history', () => {
  it('replays past answers into cards, keeps every Leitner row as a log, and leaves review_queue readable', async () => {
    const start = Date.UTC(2026, 5, 1);
    const data = legacyDatabase(start);
    h = await harness({ dataDir: data, start });
    expect(h.app.store.schemaVersion()).toBeGreaterThanOrEqual(5);
    const ana = await h.app.store.learning.cards('test', 'ana');
    expect(ana.map((c) => c.item).sort()).toEqual(['concept:etcd', 'sequence:pod-creation']);
    expect(ana.find((c) => c.item === 'concept:etcd')).toMatchObject({ reps: 2 });
    const bo = await h.app.store.learning.card('test', 'bo', 'concept:kubelet');
    expect(bo).toMatchObject({ stability: 7, state: 2, due: start + 2 * DAY, lastReview: start - 5 * DAY });
    // Both Leitner items of ana were due days ago: due now, most overdue first.
    expect((await h.app.store.learning.due('test', 'ana', start, 10)).map((c) => c.item)).toEqual([
      'sequence:pod-creation',
      'concept:etcd',
    ]);
    await h.close();
    h = undefined;

    const db = new Database(join(data, DB_FILE), { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM review_queue').get() as { n: number }).n).toBe(3);
      const logs = db.prepare('SELECT source, COUNT(*) AS n FROM learning_reviews GROUP BY source ORDER BY source').all();
      expect(logs).toEqual([
        { source: 'history', n: 3 },
        { source: 'leitner', n: 3 },
      ]);
    } finally {
      db.close();
    }

    // A restart imports nothing twice.
    h = await harness({ dataDir: data, start: start + 1000 });
    expect(await h.app.learning.importHistory()).toEqual({ imported: false, cards: 0, logs: 0 });
    expect(await h.app.store.learning.cards('test', 'ana')).toHaveLength(2);
  });
});
