import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteSql } from '../../src/store/sql.js';

describe('the SQL seam on SQLite', () => {
  const open = () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    return { db, sql: sqliteSql(db) };
  };

  it('keeps other statements out while a transaction awaits, and commits them after it', async () => {
    const { sql } = open();
    const order: string[] = [];
    const tx = sql.tx(async (q) => {
      await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 1]);
      await new Promise((r) => setTimeout(r, 20));
      order.push('tx');
      return q.get<{ v: number }>('SELECT v FROM t WHERE k = ?', ['a']);
    });
    const outside = sql.run('INSERT INTO t (k, v) VALUES (?, ?)', ['b', 2]).then(() => order.push('outside'));
    await Promise.all([tx, outside]);
    expect(order).toEqual(['tx', 'outside']);
    expect(await sql.all<{ k: string }>('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'a' }, { k: 'b' }]);
  });

  it('rolls a failed transaction back whole and goes on serving', async () => {
    const { sql } = open();
    await expect(
      sql.tx(async (q) => {
        await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 1]);
        await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 2]);
      }),
    ).rejects.toMatchObject({ code: 'store.failed' });
    expect(await sql.get('SELECT * FROM t')).toBeUndefined();
    expect(await sql.run('INSERT INTO t (k, v) VALUES (?, ?)', ['c', 3])).toBe(1);
  });
});
