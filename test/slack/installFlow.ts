import { createHttpServer, type HttpServer } from '../../adapters/http/server.js';
import { createInstaller, mountInstallRoutes, slackInstallationStore } from '../../adapters/slack/installs.js';
import type { App } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';
import type { FakeSlackApi } from '../fakes/slack/webApi.js';

/** A second workspace the fake Slack knows, with its own bot token. */
export const SECOND_TEAM = {
  teamId: 'T0002',
  botToken: 'xoxb-second-workspace',
  botUserId: 'UBOT2',
  botId: 'B0002',
  refreshToken: 'xoxe-1-refresh-second',
  name: 'Second',
};

/**
 * The install flow as adapters/main.ts wires it: installations in the app's store, the installer on
 * the fake Slack's oauth.v2.access, and /slack/install + /slack/oauth_redirect on a fresh HTTP server.
 */
export function installFlow(
  app: App,
  api: FakeSlackApi,
  clock: Clock,
): {
  installations: ReturnType<typeof slackInstallationStore>;
  installer: ReturnType<typeof createInstaller>;
  http: HttpServer;
} {
  const installations = slackInstallationStore(app.store, clock, silentLogger);
  const installer = createInstaller(
    { clientId: api.oauth.clientId, clientSecret: api.oauth.clientSecret, stateSecret: 'state-secret-for-tests', apiUrl: api.apiUrl },
    installations,
    silentLogger,
  );
  const http = createHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger, registry });
  mountInstallRoutes(http, installer, silentLogger);
  return { installations, installer, http };
}
