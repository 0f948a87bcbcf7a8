import { afterEach, describe, expect, it } from 'vitest';
import { TutorError } from '../../src/errors.js';
import { createPgSql, numberPlaceholders, type PgSql } from '../../src/store/pg.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openStore } from '../../src/store/open.js';
import { dropSchema, freshSchema, PG_UP, PG_URL } from './backends.js';

describe('placeholders for PostgreSQL', () => {
  it('numbers ? in order and leaves ? inside quoted text alone', () => {
    expect(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b = \'?\' AND "c?" = ? LIMIT ?')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = \'?\' AND "c?" = $2 LIMIT $3',
    );
  });
});

describe('an unreachable or wrong DATABASE_URL', () => {
  it('gives one error naming DATABASE_URL and the fix, without the password', async () => {
    const err = (await openStore({ databaseUrl: 'postgres://tutor:s3cret@127.0.0.1:1/tutor' }).catch((e: unknown) => e)) as TutorError;
    expect(err).toBeInstanceOf(TutorError);
    expect(err.code).toBe('store.failed');
    expect(err.message).toMatch(
      /DATABASE_URL postgres:\/\/tutor:\*\*\*@127\.0\.0\.1:1\/tutor: nothing answered there\. Fix: start PostgreSQL or correct the host and port/,
    );
    expect(err.message).not.toContain('s3cret');
  });

  it.skipIf(!PG_UP)('names a database that does not exist', async () => {
    const url = new URL(PG_URL);
    url.pathname = '/no_such_database_here';
    await expect(openStore({ databaseUrl: url.toString() })).rejects.toThrow(/that database does not exist\. Fix: create it/);
  });
});

describe.skipIf(!PG_UP)('the PostgreSQL executor', () => {
  const open: PgSql[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });
  const sqlOn = async (extra: { statementTimeoutMs?: number; max?: number } = {}) => {
    const schema = freshSchema('x');
    schemas.push(schema);
    const sql = createPgSql({ url: PG_URL, ...extra });
    open.push(sql);
    await sql.run(`CREATE SCHEMA ${schema}`);
    await sql.close();
    open.pop();
    const inSchema = createPgSql({ url: PG_URL, schema, ...extra });
    open.push(inSchema);
    await inSchema.run('CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT NOT NULL)');
    return inSchema;
  };

  it('reads BIGINT, COUNT and SUM as numbers, and refuses a value a number cannot hold exactly', async () => {
    const sql = await sqlOn();
    await sql.run('INSERT INTO t (k, v) VALUES (?, ?), (?, ?)', ['a', Date.UTC(2026, 0, 1), 'b', 2]);
    expect(await sql.get('SELECT COUNT(*) AS n, SUM(v) AS s, MAX(v) AS m FROM t')).toEqual({
      n: 2,
      s: Date.UTC(2026, 0, 1) + 2,
      m: Date.UTC(2026, 0, 1),
    });
    await sql.run('INSERT INTO t (k, v) VALUES (?, ?)', ['big', '9007199254740993']);
    await expect(sql.get("SELECT v FROM t WHERE k = 'big'")).rejects.toThrow(/beyond what a JS number holds exactly/);
  });

  it('rolls a failed transaction back whole', async () => {
    const sql = await sqlOn();
    await expect(
      sql.tx(async (q) => {
        await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 1]);
        await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 2]);
      }),
    ).rejects.toMatchObject({ code: 'store.failed' });
    expect(await sql.get('SELECT * FROM t')).toBeUndefined();
  });

  it('retries a transaction that hit a serialization failure, and commits it once', async () => {
    const sql = await sqlOn();
    await sql.run('INSERT INTO t (k, v) VALUES (?, ?)', ['n', 0]);
    // Two SERIALIZABLE read-then-write transactions on one row: PostgreSQL aborts one with 40001; the seam runs it again.
    const bump = () =>
      sql.tx(async (q) => {
        await q.run('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
        const row = await q.get<{ v: number }>("SELECT v FROM t WHERE k = 'n'");
        await new Promise((r) => setTimeout(r, 30));
        await q.run("UPDATE t SET v = ? WHERE k = 'n'", [row!.v + 1]);
      });
    await Promise.all([bump(), bump()]);
    expect(await sql.get("SELECT v FROM t WHERE k = 'n'")).toEqual({ v: 2 });
  });

  it('stops a statement at statement_timeout instead of holding a connection', async () => {
    const sql = await sqlOn({ statementTimeoutMs: 200 });
    await expect(sql.get('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    expect(await sql.get('SELECT 1 AS ok')).toEqual({ ok: 1 });
  });

  it('given its connections are cut (database restart), the next read and transaction reconnect and succeed', async () => {
    const sql = await sqlOn({ max: 2 });
    await Promise.all([sql.get('SELECT 1'), sql.get('SELECT 1')]);
    const admin = createPgSql({ url: PG_URL });
    open.push(admin);
    await admin.get(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'k8s-tutor-bot' AND pid <> pg_backend_pid() AND query NOT LIKE '%pg_terminate_backend%' AND state = 'idle'",
    );
    expect(await sql.get('SELECT 2 AS two')).toEqual({ two: 2 });
    await sql.tx((q) => q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['after', 1]));
    expect(await sql.get("SELECT v FROM t WHERE k = 'after'")).toEqual({ v: 1 });
  });
});

describe.skipIf(!PG_UP)('the PostgreSQL store', () => {
  it('works in its own schema and leaves nothing behind once dropped', async () => {
    const schema = freshSchema('s');
    const store = await openPostgresStore({ url: PG_URL, schema });
    expect(store.dialect).toBe('postgres');
    const tables = await store.sql.all<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toContain('answers');
    await store.close();
    await store.close(); // closing twice is harmless
    await dropSchema(schema);
  });
});
