import { openPostgresStore } from './postgres.js';
import { IN_MEMORY, openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; unset keeps the embedded SQLite store. */
  databaseUrl?: string | undefined;
  /** SQLite's folder; `:memory:` or unset: a throwaway in-memory store. */
  dataDir?: string | undefined;
  /** PostgreSQL pool size per process (DATABASE_POOL_MAX). */
  poolMax?: number | undefined;
  /** PostgreSQL statement_timeout in ms (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL schema to work in (tests). */
  schema?: string | undefined;
}

/** The one place that picks the store: DATABASE_URL set → PostgreSQL, else SQLite. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    return openPostgresStore({
      url: options.databaseUrl,
      max: options.poolMax,
      statementTimeoutMs: options.statementTimeoutMs,
      schema: options.schema,
    });
  }
  return openSqliteStore({ dataDir: options.dataDir ?? IN_MEMORY });
}
