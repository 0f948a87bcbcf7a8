import { TutorError } from '../errors.js';
import { storeParts } from './parts.js';
import { migratePostgres } from './migrations.js';
import { createPgSql, isConnectionLoss, type PgOptions } from './pg.js';
import type { Store } from './types.js';

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * The server store: PostgreSQL through a `pg` pool, the same repositories as SQLite on the `Sql`
 * seam, the same numbered migrations (under an advisory lock so replicas starting together apply
 * each once). Fails with one error naming DATABASE_URL and the fix when the database cannot be reached.
 */
export async function openPostgresStore(options: PgOptions): Promise<Store> {
  const sql = createPgSql(options);
  const where = redactUrl(options.url);
  let version: number;
  let boot: number;
  try {
    if (options.schema) {
      // Checked as a plain identifier by createPgSql. IF NOT EXISTS still races (23505) when two open at once: the loser finds it made.
      await sql.run(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`).catch((err: unknown) => {
        if ((err as TutorError).cause && ((err as TutorError).cause as { code?: string }).code === '23505') return 0;
        throw err;
      });
    }
    version = await migratePostgres((fn) => sql.withClient(fn), undefined, `DATABASE_URL ${where}`);
    // One atomic statement: replicas opening together each get their own boot number (it makes ids unique).
    const row = await sql.get<{ value: string }>(
      "INSERT INTO meta (key, value) VALUES ('boots', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT) RETURNING value",
    );
    boot = Number(row?.value ?? 1);
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw describe(err, where);
  }
  return {
    ...storeParts(sql),
    boot,
    dialect: 'postgres',
    sql,
    schemaVersion: () => version,
    ping: () => sql.ping(),
    close: () => sql.close(),
  };
}

/** One clear message per way the database can be wrong, each naming DATABASE_URL and the fix. */
function describe(err: unknown, where: string): TutorError {
  const cause = (err instanceof TutorError && err.cause ? err.cause : err) as { code?: string; message?: string };
  const msg = cause?.message ?? String(err);
  if (err instanceof TutorError && /newer than this build/.test(err.message)) return err;
  let fix: string;
  if (cause?.code === '28P01' || cause?.code === '28000')
    fix = 'the user or password is wrong. Fix: correct the user and password in DATABASE_URL.';
  else if (cause?.code === '3D000')
    fix = 'that database does not exist. Fix: create it (createdb) or name an existing one in DATABASE_URL.';
  else if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
    fix = 'the host name does not resolve. Fix: correct the host in DATABASE_URL.';
  else if (isConnectionLoss(cause) || /timeout/i.test(msg))
    fix =
      'nothing answered there. Fix: start PostgreSQL or correct the host and port in DATABASE_URL (postgres://user:password@host:5432/database).';
  else fix = `${msg}. Fix: check DATABASE_URL and that the user may create tables.`;
  return new TutorError('store.failed', `Could not open the PostgreSQL store at DATABASE_URL ${where}: ${fix}`, err);
}
