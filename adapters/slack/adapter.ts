import type { IncomingMessage as HttpRequest, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import { systemClock, type Clock } from '../../src/clock.js';
import { DEFAULT_OUTBOUND_QUEUE_MAX, type Config } from '../../src/config.js';
import { TutorError } from '../../src/errors.js';
import { withCorrelation, type Logger } from '../../src/logger.js';
import type { PostTarget, Reply } from '../../src/reply.js';
import type { Tutor } from '../../src/tutor.js';
import type { ChatAdapter } from '../adapter.js';
import { createManagerCheck } from './admins.js';
import { AnswerQueue } from './answerQueue.js';
import { boltLogger } from './boltLogger.js';
import { Delivery } from './deliver.js';
import { isSlackTs } from './incoming.js';
import { registerListeners, isSlackError } from './listeners.js';
import { slackOutboundQueues } from './outboundClient.js';
import { isPermanentRefusal, slackErrorCode as platformErrorCode, toPostError } from './postError.js';
import { createSlackClients, type Authorize } from './teamClients.js';

export type SlackSettings = NonNullable<Config['slack']>;
type RequestHandler = (req: HttpRequest, res: ServerResponse) => void;

export interface SlackAdapterConfig {
  tutor: Tutor;
  log: Logger;
  slack: SlackSettings;
  /** HTTP mode: mount `/slack/events` on the bot's shared HTTP server (adapters/http). */
  http?: { route(path: string, handler: RequestHandler): void };
  /** HTTP mode without a shared server: Bolt's own server listens here. */
  port?: number;
  host?: string;
  clock?: Clock;
  /** The Web API retry policy (429s are always waited out, for Retry-After seconds). */
  retryConfig?: webApi.RetryOptions;
  /** The slash command registered in the manifest. */
  command?: string;
  /** Posts that may wait per channel (OUTBOUND_QUEUE_MAX). */
  outboundQueueMax?: number;
  /** OAuth installs (adapters/slack/installs.ts): an uninstalled workspace's tokens go, and its daily posts stop. */
  installations?:
    { deleteInstallation(query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean }): Promise<void> } | undefined;
  /**
   * The install flow's authorize (@slack/oauth's InstallProvider#authorize over our store): set, each
   * event is authorized and each post sent with its own workspace's bot token (multi-workspace mode).
   */
  authorize?: Authorize | undefined;
  /** Workspaces whose client is kept at once (multi-workspace mode). */
  maxTeams?: number;
}

export interface SlackAdapter extends ChatAdapter {
  readonly mode: 'socket' | 'http';
  /** Bolt's request listener for `/slack/events`, for a server that routes to it. */
  handleRequest: RequestHandler;
  /** Where Bolt's own server listens (HTTP mode without a shared server). */
  address(): AddressInfo | undefined;
  /** The Bolt app, for tests and the bench. */
  readonly app: App;
}

/** Web API calls: retried with backoff, and a 429 is waited out for its Retry-After before the retry. */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

/** Slack on Bolt: Socket Mode when an app token is set, HTTP mode (signed requests) otherwise. */
export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  const { slack, tutor } = config;
  const log = config.log;
  const logger = boltLogger(log.child({ component: 'bolt' }));
  const clock = config.clock ?? systemClock;
  const clientOptions: webApi.WebClientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/` } : {}),
    retryConfig: config.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    timeout: 15_000,
  };
  const mode: 'socket' | 'http' = slack.appToken ? 'socket' : 'http';
  if (!slack.botToken && !config.authorize) {
    throw new TutorError(
      'config.invalid',
      'SLACK_BOT_TOKEN is missing. Fix: set SLACK_BOT_TOKEN=xoxb-… for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install the app in many (docs/slack.md).',
    );
  }
  if (mode === 'http' && !slack.signingSecret) {
    throw new TutorError(
      'config.invalid',
      'SLACK_SIGNING_SECRET is missing for Slack HTTP mode. Fix: copy it from Basic Information → Signing Secret, or set SLACK_APP_TOKEN=xapp-… for Socket Mode.',
    );
  }

  const notFound = (error: unknown, response: ServerResponse) => {
    log.debug({ err: error }, 'request outside /slack/events');
    if (!response.headersSent) response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
  let connected = false;
  let botUserId: string | undefined;
  let ownServer: Server | undefined;

  const socket =
    mode === 'socket'
      ? new SocketModeReceiver({
          appToken: slack.appToken!,
          logger,
          installerOptions: { clientOptions: { ...clientOptions, retryConfig: { retries: 10, factor: 1.5 } } },
        })
      : undefined;
  const http =
    mode === 'http'
      ? new HTTPReceiver({
          signingSecret: slack.signingSecret!,
          logger,
          endpoints: '/slack/events',
          // Answer Slack the moment a handler acks; the work after it never holds the 3 s window.
          processBeforeResponse: false,
          dispatchErrorHandler: async ({ error, response }) => notFound(error, response),
        })
      : undefined;
  // Deferred: Bolt would otherwise call auth.test in the constructor and leave a failure unhandled;
  // start() checks the token first, with an error that names the variable.
  // No conversation store: nothing here reads it, and it costs a lookup per request.
  // Posts go through one queue per channel (per team and channel across workspaces), so a 429 for one channel never stalls another.
  const queues = slackOutboundQueues(log.child({ component: 'outbound' }), config.outboundQueueMax ?? DEFAULT_OUTBOUND_QUEUE_MAX);
  const clients = createSlackClients({
    botToken: slack.botToken,
    authorize: config.authorize,
    clientOptions: { ...clientOptions, logger },
    queues,
    log,
    now: () => clock.now(),
    ...(config.maxTeams ? { maxTeams: config.maxTeams } : {}),
  });
  // One token: Bolt authorizes every event with it. The install flow: each event with its team's installation.
  const auth = clients.multi
    ? { authorize: (source: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean }) => clients.authorize(source) }
    : { token: slack.botToken! };
  const app = new App({ ...auth, receiver: (socket ?? http)!, logger, clientOptions, deferInitialization: true, convoStore: false });

  socket?.client.on('connected', () => (connected = true));
  socket?.client.on('disconnected', () => (connected = false));
  socket?.client.on('reconnecting', () => (connected = false));

  const clientFor = async (team: string | undefined) => {
    const client = await clients.get(team);
    return team && clients.multi ? forgetOnRevoked(client, () => clients.forget(team)) : client;
  };
  const delivery = new Delivery(
    clientFor,
    log,
    (roundId, ts) => tutor.conversation?.threadOpened(roundId, ts) ?? Promise.resolve(),
    (roundId) => tutor.conversation?.roundUnreachable(roundId),
  );
  const queue = new AnswerQueue(log);
  // Every log line written while handling one event carries its id (Slack's event_id, or the trigger_id of a command or button).
  app.use(async ({ body, next }) => withCorrelation(slackEventId(body), next));
  registerListeners(app, {
    queue,
    tutor,
    log,
    delivery,
    isManager: createManagerCheck(clientFor, slack.adminUsers, log, () => clock.now()),
    botUserId: () => botUserId,
    command: config.command ?? '/k8s',
  });

  if (config.installations) {
    const installs = config.installations;
    const forget = (teamId: string | undefined, enterpriseId: string | undefined, isEnterpriseInstall: boolean | undefined) => {
      // This replica stops at once; others within TOKEN_TTL_MS, when they read the store again.
      if (teamId) clients.forget(teamId);
      return installs
        .deleteInstallation({
          ...(teamId ? { teamId } : {}),
          ...(enterpriseId ? { enterpriseId } : {}),
          isEnterpriseInstall: Boolean(isEnterpriseInstall),
        })
        .catch((err: unknown) => log.error({ err, teamId }, 'slack installation could not be removed'));
    };
    app.event('app_uninstalled', async ({ body }) => {
      await forget(body.team_id, body.enterprise_id, body.is_enterprise_install);
    });
    // Only the bot's token matters here: a user revoking their own token leaves the install in place.
    app.event('tokens_revoked', async ({ event, body }) => {
      if ((event.tokens.bot ?? []).length > 0) await forget(body.team_id, body.enterprise_id, body.is_enterprise_install);
    });
  }

  const handleRequest: RequestHandler = (req, res) => {
    if (!http) {
      res.writeHead(404).end();
      return;
    }
    try {
      http.requestListener(req, res);
    } catch (error) {
      notFound(error, res);
    }
  };

  return {
    platform: 'slack',
    mode,
    app,
    handleRequest,
    ready: () => connected,
    address: () => (ownServer?.address() as AddressInfo | null) ?? undefined,
    async start() {
      if (slack.botToken) {
        const home = await checkBotToken(app, slack.botToken);
        botUserId = home.userId;
        if (clients.home) Object.assign(clients.home, { team: home.teamId, botUserId: home.userId, botId: home.botId });
      }
      await app.init();
      if (socket) {
        try {
          await app.start();
        } catch (err) {
          throw new TutorError(
            'config.invalid',
            `SLACK_APP_TOKEN could not open a Socket Mode connection (${slackErrorCode(err)}). Fix: use an app-level token (xapp-…) with connections:write from Basic Information → App-Level Tokens, and turn Socket Mode on for the app; or unset SLACK_APP_TOKEN for HTTP mode.`,
            err,
          );
        }
        connected = true;
      } else if (config.http) {
        config.http.route('/slack/events', handleRequest);
        connected = true;
      } else {
        ownServer = (await http!.start({ port: config.port ?? 3000, host: config.host ?? '0.0.0.0' })) as Server;
        connected = true;
        log.info({ address: ownServer.address() }, 'slack http mode listening on its own server (/slack/events)');
      }
      log.info({ mode, botUserId, workspaces: clients.multi ? 'installed' : 'one token' }, 'slack connected');
    },
    async post(target: PostTarget, reply: Reply) {
      const thread = target.thread;
      const routed = thread && !isSlackTs(thread) && !reply.quiz?.roundId && !reply.thread ? { ...reply, thread } : reply;
      try {
        // A direct message (review reminders): the DM channel with the user.
        const channel = target.user ? await delivery.dmChannel(target.workspace, target.user) : target.channel;
        await delivery.deliver([routed], {
          channel,
          team: target.workspace,
          ...(target.user ? { direct: true, user: target.user } : {}),
          ...(thread && isSlackTs(thread) ? { thread } : {}),
        });
      } catch (err) {
        // The scheduler tells "never again here" (pause) from "try later" by this error's `permanent`.
        throw toPostError(err, target.channel);
      }
    },
    async stop() {
      connected = false;
      // Answers already acknowledged are still given (bounded: each waits on the core and one post).
      await Promise.race([queue.idle().then(() => queues.idle()), new Promise((r) => setTimeout(r, 5_000).unref())]);
      if (socket) await app.stop().catch((err: unknown) => log.warn({ err }, 'slack socket stop failed'));
      if (ownServer) {
        ownServer.closeAllConnections?.();
        await http!.stop().catch((err: unknown) => log.warn({ err }, 'slack http stop failed'));
        ownServer = undefined;
      }
    },
  };
}

/** auth.test at start: a wrong SLACK_BOT_TOKEN fails here with the fix, not later on the first message. */
async function checkBotToken(
  app: App,
  token: string,
): Promise<{ userId: string | undefined; teamId: string | undefined; botId: string | undefined }> {
  try {
    const res = await app.client.auth.test({ token });
    return { userId: res.user_id, teamId: res.team_id, botId: res.bot_id };
  } catch (err) {
    if (isSlackError(err, ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'])) {
      throw new TutorError(
        'config.invalid',
        `SLACK_BOT_TOKEN was rejected by Slack (${slackErrorCode(err)}). Fix: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, and reinstall the app if it was revoked.`,
        err,
      );
    }
    throw new TutorError(
      'adapter.failed',
      `Slack could not be reached to check SLACK_BOT_TOKEN (${slackErrorCode(err)}). Fix: check network access to Slack, or SLACK_API_URL if set.`,
      err,
    );
  }
}

function slackEventId(body: unknown): string | undefined {
  const b = body as { event_id?: unknown; trigger_id?: unknown } | undefined;
  const id = typeof b?.event_id === 'string' ? b.event_id : typeof b?.trigger_id === 'string' ? b.trigger_id : undefined;
  return id ? `slack:${id}` : undefined;
}

function slackErrorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; message?: string };
  return e?.data?.error ?? e?.code ?? e?.message ?? String(err);
}

/**
 * A team's client that forgets the team's cached token when Slack says it is gone (revoked, expired,
 * the app uninstalled), so the next post reads the store again instead of repeating the refusal.
 */
function forgetOnRevoked(client: App['client'], forget: () => void): App['client'] {
  const watch = <T extends object>(target: T, path: string[]): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof prop !== 'string') return value;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            const result = (value as (...a: unknown[]) => unknown).apply(t, args);
            if (!(result instanceof Promise)) return result;
            return result.catch((err: unknown) => {
              if (isPermanentRefusal(err) && REVOKED.has(platformErrorCode(err) ?? '')) forget();
              throw err;
            });
          };
        }
        return value && typeof value === 'object' && path.length < 2 ? watch(value, [...path, prop]) : value;
      },
    });
  return watch(client, []);
}

const REVOKED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
