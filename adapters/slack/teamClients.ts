import type { App, webApi } from '@slack/bolt';
import { PostRejectedError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { OutboundQueues } from '../outbound.js';
import { Lru } from '../../src/lru.js';
import { channelQueuedClient } from './outboundClient.js';

type WebClient = App['client'];

/** Where an event or a post belongs, as Bolt's authorize gets it. */
export interface TeamSource {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall: boolean;
}

/** What an installation grants (the shape of @slack/oauth's InstallProvider#authorize). */
export interface TeamAuthorization {
  botToken?: string | undefined;
  botId?: string | undefined;
  botUserId?: string | undefined;
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** Token rotation on: when the bot token expires (epoch seconds). */
  botTokenExpiresAt?: number | undefined;
}

/** Reads a workspace's installation and refreshes an expiring token (InstallProvider#authorize). */
export type Authorize = (source: {
  teamId: string | undefined;
  enterpriseId: string | undefined;
  isEnterpriseInstall: boolean;
}) => Promise<TeamAuthorization>;

export interface SlackClients {
  /** True when tokens come from installations (the install flow), false for one SLACK_BOT_TOKEN. */
  readonly multi: boolean;
  /** The client for calls in `team`'s workspace; a team with no installation is refused (PostRejectedError, permanent). */
  get(team: string | undefined): Promise<WebClient>;
  /** Bolt's authorize: the team's bot ids for the event's context (its token stays in our bounded cache). */
  authorize(source: TeamSource): Promise<{ botId?: string; botUserId?: string; teamId?: string; enterpriseId?: string }>;
  /** Forgets what is cached for a team (uninstalled, or its token was refused). */
  forget(team: string): void;
  /** The one-token setup: SLACK_BOT_TOKEN's team and bot user, learnt by auth.test at start. */
  home?: { team: string | undefined; botUserId: string | undefined; botId?: string | undefined };
}

/** How long a team's token is trusted before the store is read again (another replica may have rotated or removed it). */
export const TOKEN_TTL_MS = 60_000;
/** @slack/oauth refreshes a token within two hours of its expiry; never keep one in the cache past that point. */
const REFRESH_WINDOW_MS = 2 * 3_600_000;

interface Entry {
  client: WebClient | undefined;
  token: string | undefined;
  auth: TeamAuthorization | undefined;
  until: number;
}

export interface SlackClientsOptions {
  /** SLACK_BOT_TOKEN: the only token (single mode), or the home workspace's when the install flow is also set. */
  botToken: string | undefined;
  /** The install flow's authorize; unset for single-token mode. */
  authorize?: Authorize | undefined;
  clientOptions: webApi.WebClientOptions;
  queues: OutboundQueues;
  log: Logger;
  now: () => number;
  /** Teams whose client is kept (LRU); past it the least recently used is dropped and rebuilt when needed. */
  maxTeams?: number;
}

/**
 * One WebClient per workspace. In single-token mode it is the one client, as before. With the
 * install flow, each team's client carries the bot token of that team's installation, read from our
 * store through @slack/oauth (which refreshes a rotating token and saves the new one), kept in a
 * bounded LRU for a minute at most, and rebuilt when the token changes. Every client posts through
 * the same outbound queues, one lane per team and channel.
 */
export function createSlackClients(opts: SlackClientsOptions): SlackClients {
  const { queues, log } = opts;
  const home = opts.botToken ? channelQueuedClient(opts.botToken, opts.clientOptions, queues) : undefined;
  const homeInfo: NonNullable<SlackClients['home']> = { team: undefined, botUserId: undefined };
  if (!opts.authorize) {
    const only = home!;
    return {
      multi: false,
      get: async () => only,
      authorize: async (source) => ({
        ...(source.teamId ? { teamId: source.teamId } : {}),
        ...(homeInfo.botUserId ? { botUserId: homeInfo.botUserId } : {}),
      }),
      forget: () => undefined,
      home: homeInfo,
    };
  }
  const authorize = opts.authorize;
  const cache = new Lru<string, Entry>(opts.maxTeams ?? 1_000);
  // One store read (and at most one token refresh) per team at a time: concurrent posts wait on it.
  const pending = new Map<string, Promise<Entry>>();

  const keyOf = (source: TeamSource) =>
    source.isEnterpriseInstall && source.enterpriseId ? `E:${source.enterpriseId}` : source.teamId ? `T:${source.teamId}` : undefined;

  const load = async (key: string, source: TeamSource): Promise<Entry> => {
    const now = opts.now();
    let auth: TeamAuthorization | undefined;
    try {
      auth = await authorize({ teamId: source.teamId, enterpriseId: source.enterpriseId, isEnterpriseInstall: source.isEnterpriseInstall });
    } catch (err) {
      if (!isNotInstalled(err)) throw err;
    }
    const previous = cache.get(key);
    if (!auth?.botToken) {
      // The SLACK_BOT_TOKEN workspace still works without an installation row (a deployment that had one token before the install flow).
      if (home && source.teamId !== undefined && source.teamId === homeInfo.team) {
        const entry = {
          client: home,
          token: opts.botToken,
          auth: { teamId: source.teamId, botUserId: homeInfo.botUserId, botId: homeInfo.botId },
          until: now + TOKEN_TTL_MS,
        };
        cache.set(key, entry);
        return entry;
      }
      // Not remembered: a workspace installing right now must be answered on its next event. Slack sends
      // nothing to a workspace without the app, so only our own timers ask again, a few times at most.
      cache.delete(key);
      return { client: undefined, token: undefined, auth: undefined, until: 0 };
    }
    const expires = auth.botTokenExpiresAt ? auth.botTokenExpiresAt * 1000 - REFRESH_WINDOW_MS : Infinity;
    const until = Math.max(now + 1_000, Math.min(now + TOKEN_TTL_MS, expires));
    const client =
      previous?.client && previous.token === auth.botToken
        ? previous.client
        : channelQueuedClient(auth.botToken, opts.clientOptions, queues, (channel) => `${key}:${channel}`);
    const entry = { client, token: auth.botToken, auth, until };
    cache.set(key, entry);
    return entry;
  };

  const entryFor = (source: TeamSource): Promise<Entry | undefined> => {
    const key = keyOf(source);
    if (!key) return Promise.resolve(undefined);
    const hit = cache.get(key);
    if (hit && opts.now() < hit.until) return Promise.resolve(hit);
    let p = pending.get(key);
    if (!p) {
      p = load(key, source).finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  };

  return {
    multi: true,
    home: homeInfo,
    async get(team) {
      const entry = await entryFor({ teamId: team, isEnterpriseInstall: false });
      if (entry?.client) return entry.client;
      // No workspace at all (an old target from single-token days): the SLACK_BOT_TOKEN workspace, if there is one.
      if (team === undefined && home) return home;
      log.warn({ workspace: team }, 'slack workspace has no installation (uninstalled, or never installed): post dropped');
      throw new PostRejectedError(
        `Slack workspace ${team ?? '(none)'} has no installation; nothing is posted there until the app is installed again.`,
        { permanent: true, reason: 'not_installed' },
      );
    },
    async authorize(source) {
      const entry = await entryFor(source);
      if (!entry?.auth) throw new Error(`no slack installation for ${keyOf(source) ?? 'an unknown workspace'}`);
      const a = entry.auth;
      // No botToken here on purpose: Bolt keeps a client pool per team for the token in the context, with
      // no cap; our listeners post through this bounded cache instead.
      return {
        ...(a.botId ? { botId: a.botId } : {}),
        ...(a.botUserId ? { botUserId: a.botUserId } : {}),
        ...((a.teamId ?? source.teamId) ? { teamId: (a.teamId ?? source.teamId)! } : {}),
        ...((a.enterpriseId ?? source.enterpriseId) ? { enterpriseId: (a.enterpriseId ?? source.enterpriseId)! } : {}),
      };
    },
    forget(team) {
      cache.delete(`T:${team}`);
    },
  };
}

/** The installation store's "none for this team" (adapters/slack/installs.ts), also when @slack/oauth wrapped it. */
export class NotInstalledError extends Error {
  readonly notInstalled = true;
}

function isNotInstalled(err: unknown): boolean {
  const e = err as { notInstalled?: boolean; original?: { notInstalled?: boolean }; cause?: { notInstalled?: boolean } } | null;
  return Boolean(e?.notInstalled || e?.original?.notInstalled || e?.cause?.notInstalled);
}
