import type { Sql } from './sql.js';

/**
 * A chat app's installation in one workspace (Slack's OAuth install: its bot token, refresh token
 * and expiry, as the platform SDK's own JSON), kept in our store so every replica and both dialects
 * see the same tokens. Keyed by platform and workspace (a Slack team id, or an enterprise id for an
 * org-wide install). Tokens are secrets: the table holds them like the platform's env var would,
 * so give the database the protection you give the token (encryption at rest, no shared readers).
 */
export const INSTALLATIONS_DDL = `
CREATE TABLE installations (
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL,
  data TEXT NOT NULL,
  installed_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (platform, workspace)
);
`;

export interface InstallationStore {
  /** Saves (or replaces, on reinstall or token rotation) a workspace's installation. */
  save(platform: string, workspace: string, data: unknown, at: number): Promise<void>;
  get(platform: string, workspace: string): Promise<unknown>;
  /** Removes it; true when there was one. */
  remove(platform: string, workspace: string): Promise<boolean>;
  count(platform: string): Promise<number>;
}

const Q = {
  save: `INSERT INTO installations (platform, workspace, data, installed_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (platform, workspace) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
  get: 'SELECT data FROM installations WHERE platform = ? AND workspace = ?',
  remove: 'DELETE FROM installations WHERE platform = ? AND workspace = ?',
  count: 'SELECT COUNT(*) AS n FROM installations WHERE platform = ?',
};

export class SqlInstallationStore implements InstallationStore {
  constructor(private readonly sql: Sql) {}

  async save(platform: string, workspace: string, data: unknown, at: number): Promise<void> {
    await this.sql.run(Q.save, [platform, workspace, JSON.stringify(data), at, at]);
  }

  async get(platform: string, workspace: string): Promise<unknown> {
    const row = await this.sql.get<{ data: string }>(Q.get, [platform, workspace]);
    return row ? (JSON.parse(row.data) as unknown) : undefined;
  }

  async remove(platform: string, workspace: string): Promise<boolean> {
    return (await this.sql.run(Q.remove, [platform, workspace])) > 0;
  }

  async count(platform: string): Promise<number> {
    return (await this.sql.get<{ n: number }>(Q.count, [platform]))?.n ?? 0;
  }
}
