import { TutorError } from '../errors.js';
import type { Sql, SqlValue } from './sql.js';
import type { Store } from './types.js';

/**
 * `tutor migrate-store`: copies an embedded SQLite store's rows into a PostgreSQL store, both
 * already migrated to the same schema version. Every table of the source that the target also
 * has is copied (so tables later migrations add come along), parents before children, in one
 * target transaction; rows already there are left alone (ON CONFLICT DO NOTHING), so a copy that
 * was interrupted can simply be run again. Identity counters move past the copied ids, and the
 * boot counter past the source's, so ids made after the move never repeat old ones.
 */
export interface CopyReport {
  tables: { table: string; read: number; written: number }[];
}

/** Tables with foreign keys come after what they point at; the rest follow in name order. */
const FIRST = ['meta', 'players', 'rounds', 'round_questions', 'answers', 'hints', 'round_results', 'review_queue'];
const SKIP = new Set(['schema_migrations', 'sqlite_sequence']);
const BATCH = 200;

async function tables(sql: Sql): Promise<string[]> {
  const rows =
    sql.dialect === 'sqlite'
      ? await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await sql.all<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
  return rows.map((r) => r.name).filter((n) => !SKIP.has(n));
}

async function columns(sql: Sql, table: string): Promise<string[]> {
  if (sql.dialect === 'sqlite')
    return (await sql.all<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [table])).map((r) => r.name);
  return (
    await sql.all<{ name: string }>(
      'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position',
      [table],
    )
  ).map((r) => r.name);
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TutorError('store.failed', `migrate-store: unexpected table or column name ${name}`);
  return name;
};

export async function copyStore(from: Store, to: Store): Promise<CopyReport> {
  if (from.schemaVersion() !== to.schemaVersion()) {
    throw new TutorError(
      'store.failed',
      `migrate-store: the source is at schema ${from.schemaVersion()} and the target at ${to.schemaVersion()}. Fix: run the same build against both.`,
    );
  }
  const source = await tables(from.sql);
  const target = new Set(await tables(to.sql));
  const order = [...FIRST.filter((t) => source.includes(t)), ...source.filter((t) => !FIRST.includes(t)).sort()];
  const report: CopyReport = { tables: [] };
  await to.sql.tx(async (q) => {
    for (const table of order) {
      if (!target.has(table)) continue;
      const targetCols = new Set(await columns(q, table));
      const cols = (await columns(from.sql, table)).filter((c) => targetCols.has(c)).map(ident);
      const rows = await from.sql.all<Record<string, SqlValue>>(`SELECT ${cols.join(', ')} FROM ${ident(table)}`);
      let written = 0;
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        const values = batch.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
        const params = batch.flatMap((r) => cols.map((c) => r[c] ?? null));
        // meta's boot counter is merged below; every other row is inserted once.
        written += await q.run(`INSERT INTO ${ident(table)} (${cols.join(', ')}) VALUES ${values} ON CONFLICT DO NOTHING`, params);
      }
      report.tables.push({ table, read: rows.length, written });
      if (to.dialect === 'postgres' && cols.includes('id')) {
        // Identity columns: the next generated id comes after the copied ones (rounds' TEXT id has no sequence).
        const seq = await q.get<{ seq: string | null }>("SELECT pg_get_serial_sequence(?, 'id') AS seq", [table]);
        if (seq?.seq) await q.get(`SELECT setval(?, COALESCE((SELECT MAX(id) FROM ${ident(table)}), 0) + 1, false) AS v`, [seq.seq]);
      }
    }
    await q.run("UPDATE meta SET value = CAST(? AS TEXT) WHERE key = 'boots' AND CAST(value AS BIGINT) < ?", [
      String(from.boot + 1),
      from.boot + 1,
    ]);
  });
  return report;
}
