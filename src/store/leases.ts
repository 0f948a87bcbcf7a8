import type { Sql } from './sql.js';

/**
 * Ownership of things one replica must act on alone (a running round's timers, later other
 * timers): a row per thing, with its owner and an expiry the owner pushes forward (a heartbeat).
 * Another replica may take it only once it has expired.
 *
 * Why rows and not PostgreSQL advisory locks: the same repository works on SQLite (two processes
 * on one file must not both resume a round, too); an advisory lock lives on one connection, so
 * every owned round would pin a pooled connection, and a dropped connection frees the lock without
 * the process noticing until its next query. A row lease fails safe: the owner knows how long it
 * holds (`expires_at`), stops acting when that passes without a renewal, and nobody else can take
 * over before then. Times are the replicas' clocks (NTP): the lease (15 s) dwarfs their skew.
 */
export const LEASES_DDL = `
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX leases_owner ON leases (owner);
`;

export interface Lease {
  name: string;
  owner: string;
  acquiredAt: number;
  expiresAt: number;
}

export interface LeaseStore {
  /** Takes `name` for `owner` until now + ttl when it is free, expired, or already this owner's. */
  acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Pushes the expiry of every name still held by `owner`; returns the names it still holds. */
  renew(names: readonly string[], owner: string, now: number, ttlMs: number): Promise<Set<string>>;
  /** Lets go (a clean stop or the thing ended), so nobody waits out the lease. */
  release(name: string, owner: string): Promise<void>;
  get(name: string): Promise<Lease | undefined>;
  /** Leases whose name starts with `prefix`, live or not. */
  list(prefix: string): Promise<Lease[]>;
  /** Removes `name` only while `owner` (known dead) still holds it. */
  breakDead(name: string, owner: string): Promise<boolean>;
}

const Q = {
  // The WHERE on DO UPDATE makes take-over conditional; of two racers one changes the row.
  acquire: `INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
    WHERE leases.expires_at <= ? OR leases.owner = excluded.owner`,
  release: 'DELETE FROM leases WHERE name = ? AND owner = ?',
  get: 'SELECT name, owner, acquired_at, expires_at FROM leases WHERE name = ?',
  list: "SELECT name, owner, acquired_at, expires_at FROM leases WHERE name LIKE ? || '%' ORDER BY name",
};

export class SqlLeaseStore implements LeaseStore {
  constructor(private readonly sql: Sql) {}

  async acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return (await this.sql.run(Q.acquire, [name, owner, now, now + ttlMs, now])) === 1;
  }

  /** One statement per 200 names: a replica with thousands of rounds renews them in a few round trips, not one each. */
  async renew(names: readonly string[], owner: string, now: number, ttlMs: number): Promise<Set<string>> {
    const held = new Set<string>();
    for (let i = 0; i < names.length; i += 200) {
      const batch = names.slice(i, i + 200);
      const rows = await this.sql.all<{ name: string }>(
        `UPDATE leases SET expires_at = ? WHERE owner = ? AND name IN (${batch.map(() => '?').join(', ')}) RETURNING name`,
        [now + ttlMs, owner, ...batch],
      );
      for (const r of rows) held.add(r.name);
    }
    return held;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.sql.run(Q.release, [name, owner]);
  }

  async list(prefix: string): Promise<Lease[]> {
    const rows = await this.sql.all<{ name: string; owner: string; acquired_at: number; expires_at: number }>(Q.list, [prefix]);
    return rows.map((r) => ({ name: r.name, owner: r.owner, acquiredAt: r.acquired_at, expiresAt: r.expires_at }));
  }

  async breakDead(name: string, owner: string): Promise<boolean> {
    return (await this.sql.run(Q.release, [name, owner])) === 1;
  }

  async get(name: string): Promise<Lease | undefined> {
    const r = await this.sql.get<{ name: string; owner: string; acquired_at: number; expires_at: number }>(Q.get, [name]);
    return r ? { name: r.name, owner: r.owner, acquiredAt: r.acquired_at, expiresAt: r.expires_at } : undefined;
  }
}
