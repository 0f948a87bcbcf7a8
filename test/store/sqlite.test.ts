import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../src/store/migrations.js';
import { DB_FILE, IN_MEMORY, openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

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

// What only SQLite has (its file, WAL, DATA_DIR); the behaviour both stores share is in contract.test.ts.
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

  it('lets a later feature add its tables with the next numbered migration', () => {
    const db = new Database(IN_MEMORY);
    expect(migrate(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const next = { version: 1000, name: 'test: a new table', up: (d: Database.Database) => d.exec('CREATE TABLE extra (x INTEGER)') };
    expect(migrate(db, [...MIGRATIONS, next])).toBe(1000);
    // Running again changes nothing.
    expect(migrate(db, [...MIGRATIONS, next])).toBe(1000);
    db.close();
  });

  it('names DATA_DIR and the fix when the folder cannot be used', () => {
    const file = join(temp(), 'a-file');
    const db = new Database(file);
    db.close();
    expect(() => openSqliteStore({ dataDir: join(file, 'sub') })).toThrow(/DATA_DIR/);
  });
});
