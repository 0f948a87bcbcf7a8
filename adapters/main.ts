import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig, type Config } from '../src/config.js';
import { TutorError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { collectProcessMetrics, registry } from '../src/metrics.js';
import { createOutbox, type ChatAdapter } from './adapter.js';
import { createDiscordAdapter } from './discord/adapter.js';
import { storeReadiness } from './http/readiness.js';
import { createHttpServer } from './http/server.js';
import { createSlackAdapter } from './slack/adapter.js';
import { createInstaller, mountInstallRoutes, slackInstallationStore } from './slack/installs.js';
import { createShutdown } from './shutdown.js';
import { createTerminalAdapter } from './terminal/adapter.js';

/**
 * `npm start`: every adapter whose settings are present, and a terminal chat when standard
 * input is a terminal. With nothing configured (a fresh container) it keeps running and says so.
 */
async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const interactive = Boolean(process.stdin.isTTY);
  // In a terminal the chat is the screen: routine info lines would land in the middle of it, so only
  // warnings show there unless LOG_LEVEL asks for more.
  const level = interactive && !process.env.LOG_LEVEL ? 'warn' : config.logLevel;
  const log = createLogger({ level, pretty: config.logFormat ? config.logFormat === 'pretty' : Boolean(process.stderr.isTTY) });
  const adapters: ChatAdapter[] = [];
  const app = await createApp({
    notesPaths: config.notesPaths,
    log,
    seed: config.seed,
    dataDir: config.dataDir,
    database: config.database,
    quizSeconds: config.quizSeconds,
    limits: config.limits,
    reviewRetention: config.reviewRetention,
    reviewRemindMinDue: config.reviewRemindMinDue,
    // Daily posts go only to platforms this process runs; a subscription made elsewhere waits for its own.
    dailyPlatforms: [...(config.slack ? ['slack'] : []), ...(config.discord ? ['discord'] : []), ...(interactive ? ['terminal'] : [])],
    outbox: createOutbox(() => adapters),
    // A team that keeps its notes in a folder sees an edit without a restart; NOTES_WATCH=0 turns it off.
    watchNotes: config.notesWatch ?? config.notesPaths !== undefined,
  });
  collectProcessMetrics();
  const gate = app.tutor;
  // The store lives exactly as long as the app: open from createApp until app.close().
  let appOpen = true;
  // One port for health and Slack's HTTP mode: `http.route('/slack/events', receiver.requestListener)`.
  // /readyz waits for the store (a real query: a database that stopped answering takes the replica
  // out of the load balancer while /healthz keeps it alive) and every chat adapter (not the terminal).
  const http = createHttpServer({
    port: config.port,
    host: config.host,
    log: log.child({ component: 'http' }),
    checks: () => [
      storeReadiness(app.store, () => appOpen),
      ...adapters.filter((a) => a.platform !== 'terminal').map((a) => ({ name: a.platform, ready: () => a.ready() })),
    ],
  });
  // /metrics on its own port: an ingress for Slack's HTTP mode publishes PORT, never this one.
  const metricsHttp = createHttpServer({
    port: config.metricsPort,
    host: config.host,
    log: log.child({ component: 'metrics' }),
    registry,
    health: false,
  });
  const shutdown = createShutdown({
    log,
    gate,
    drain: () => http.drain(),
    closeApp: async () => {
      appOpen = false;
      await app.close();
    },
    adapters: () => adapters,
    closeHttp: async () => {
      await Promise.all([http.close(1_000), metricsHttp.close(1_000)]);
    },
    exit: (code) => process.exit(code),
  });
  shutdown.onSignals();
  try {
    await http.listen();
  } catch (err) {
    // In a terminal the chat is the main job: a taken port costs only health and metrics, so say so and go on.
    // A container (no TTY) or Slack's HTTP mode needs the server, so there the port problem stops the bot.
    const slackNeedsHttp = Boolean(config.slack && !config.slack.appToken);
    if (!interactive || slackNeedsHttp) throw err;
    log.warn({ port: config.port }, `${(err as Error).message} Health checks are off; the terminal chat goes on.`);
  }
  try {
    await metricsHttp.listen();
  } catch (err) {
    // Metrics never matter more than the chat in a terminal; a container must be scrapeable, so there it stops.
    if (!interactive) throw err;
    log.warn({ port: config.metricsPort }, `${(err as Error).message} Metrics are off; the terminal chat goes on.`);
  }

  // Chat platforms, each only when its credentials are set.
  if (config.slack) {
    const slackLog = log.child({ adapter: 'slack' });
    // The install flow (SLACK_CLIENT_ID/SECRET/STATE_SECRET): installations live in the store, shared by replicas.
    const installations = config.slack.oauth ? slackInstallationStore(app.store, systemClock, slackLog) : undefined;
    const installer =
      config.slack.oauth && installations
        ? createInstaller({ ...config.slack.oauth, apiUrl: config.slack.apiUrl }, installations, slackLog)
        : undefined;
    if (installer) mountInstallRoutes(http, installer, slackLog);
    // With the install flow, every event and post uses its own workspace's token (installer.authorize refreshes a rotating one).
    const authorize = installer ? installer.authorize.bind(installer) : undefined;
    adapters.push(
      createSlackAdapter({
        slack: config.slack,
        tutor: app.tutor,
        log: slackLog,
        http,
        installations,
        authorize,
        outboundQueueMax: config.outboundQueueMax,
      }),
    );
  }
  if (config.discord) {
    const d = config.discord;
    adapters.push(
      createDiscordAdapter({
        token: d.token,
        apiUrl: d.apiUrl,
        tutor: app.tutor,
        log: log.child({ adapter: 'discord' }),
        publicKey: d.publicKey,
        http,
        typedAnswers: d.typedAnswers,
        gateway: d.gateway,
        shards: d.shards,
        shardCount: d.shardCount,
        outboundQueueMax: config.outboundQueueMax,
      }),
    );
  }

  if (interactive) adapters.push(createTerminalAdapter({ tutor: app.tutor, log: log.child({ adapter: 'terminal' }), interactive: true }));

  for (const adapter of adapters) {
    await adapter.start();
    log.info({ platform: adapter.platform }, 'adapter started');
  }
  if (adapters.filter((a) => a.platform !== 'terminal').length === 0) {
    log.info('no chat platform is configured (set SLACK_BOT_TOKEN or DISCORD_TOKEN); the terminal chat and health endpoints still work');
  }

  const terminal = adapters.find((a) => a.platform === 'terminal') as (ChatAdapter & { done?: Promise<void> }) | undefined;
  if (terminal?.done) {
    await terminal.done;
    if (adapters.length === 1) await shutdown.run('terminal closed');
  }
}

start().catch((err: unknown) => {
  const message = err instanceof TutorError ? err.message : `could not start: ${(err as Error)?.stack ?? String(err)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
