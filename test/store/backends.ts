import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

/**
 * The two store backends the contract suite runs against. PostgreSQL is the one on the development
 * and CI machines (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test); each test
 * gets its own schema, dropped afterwards. When it does not answer, its cases are skipped and say so.
 */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const PG_UP = await postgresAvailable();
if (!PG_UP)
  process.stderr.write(
    `SKIPPED: PostgreSQL store cases — nothing answers at ${PG_URL} (start it: pg_ctlcluster <version> main start, or set TEST_DATABASE_URL).\n`,
  );

let counter = 0;
/** A schema name no other run uses. */
export const freshSchema = (tag = 't') => `${tag}_${process.pid}_${Date.now().toString(36)}_${++counter}`;

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** One place that lives across reopenings: a SQLite folder or a PostgreSQL schema. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Opens (or reopens) the store on this place. */
  open(): Promise<Store>;
  /** Closes every store it opened and removes the place. */
  cleanup(): Promise<void>;
  /** The place's identifier (folder or schema). */
  where: string;
}

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
  const opened: Store[] = [];
  return {
    name: 'sqlite',
    where: dir,
    open: async () => {
      const s = openSqliteStore({ dataDir: dir });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  const schema = freshSchema();
  const opened: Store[] = [];
  return {
    name: 'postgres',
    where: schema,
    open: async () => {
      const s = await openPostgresStore({ url: PG_URL, schema, max: 4 });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await dropSchema(schema);
    },
  };
}

export const BACKENDS = [
  { name: 'SQLite', make: sqliteBackend, up: true },
  { name: 'PostgreSQL', make: postgresBackend, up: PG_UP },
] as const;
