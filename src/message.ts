/** A message from any platform, in the core's terms. `raw` keeps the platform event as an escape hatch. */
export interface IncomingMessage {
  platform: string;
  user: { id: string; name?: string };
  channel: { id: string; name?: string; direct?: boolean };
  /** Slack team or Discord guild; used for per-workspace leaderboards. */
  workspace?: string;
  /** A round's thread, when the platform has threads. */
  thread?: string;
  text: string;
  /** The user may manage this channel (admins, owners, Manage Channels). Set by the adapter. */
  canManage?: boolean;
  raw?: unknown;
}
