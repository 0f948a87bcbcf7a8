import type { IncomingMessage, ServerResponse } from 'node:http';
import { InstallProvider, type Installation, type InstallationQuery, type InstallationStore } from '@slack/oauth';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { Store } from '../../src/store/types.js';
import { boltLogger } from './boltLogger.js';
import { NotInstalledError } from './teamClients.js';

/**
 * Slack across workspaces: the OAuth install flow (`/slack/install`, `/slack/oauth_redirect`) with
 * Bolt's installation store kept in our store (src/store/installations.ts, both dialects), so every
 * replica reads the same tokens, and a token Slack rotates (token rotation on) is saved for all.
 * An org-wide install is keyed by its enterprise id, any other by its team id.
 */
const keyOf = (q: {
  isEnterpriseInstall?: boolean | undefined;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}): string | undefined => (q.isEnterpriseInstall && q.enterpriseId ? `E:${q.enterpriseId}` : q.teamId ? `T:${q.teamId}` : undefined);

export function slackInstallationStore(
  store: Store,
  clock: Clock,
  log: Logger,
): InstallationStore & { deleteInstallation: NonNullable<InstallationStore['deleteInstallation']> } {
  return {
    async storeInstallation(installation: Installation) {
      const key = keyOf({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      if (!key) throw new Error('slack installation without a team or enterprise id');
      await store.installations.save('slack', key, installation, clock.now());
      log.info({ workspace: key, scopes: installation.bot?.scopes?.length }, 'slack installation saved');
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query);
      const found = key ? await store.installations.get('slack', key) : undefined;
      // Its own error: "not installed" is an expected answer (posts there are dropped), a store failure is not.
      if (!found) throw new NotInstalledError(`no slack installation for ${key ?? 'an unknown workspace'}`);
      return found as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query);
      if (!key) return;
      const removed = await store.installations.remove('slack', key);
      // Its daily posts stop with it: nothing may be posted with a token the workspace took back.
      const paused = query.teamId ? await store.daily.pauseWorkspace('slack', query.teamId, 'app uninstalled', clock.now()) : 0;
      log.info({ workspace: key, removed, paused }, 'slack installation removed');
    },
  };
}

export interface SlackOAuthSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The Web API base URL (the fake Slack in tests). */
  apiUrl?: string | undefined;
}

/** The bot scopes the install asks for: exactly the manifest's (test/slack/manifest.test.ts keeps them equal). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:join',
  'app_mentions:read',
  'im:history',
  'channels:history',
  'groups:history',
  'users:read',
  'files:write',
  'im:write',
];

export function createInstaller(settings: SlackOAuthSettings, installationStore: InstallationStore, log?: Logger): InstallProvider {
  return new InstallProvider({
    ...(log ? { logger: boltLogger(log) } : {}),
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateSecret: settings.stateSecret,
    installationStore,
    installUrlOptions: { scopes: BOT_SCOPES },
    // The install page's link goes straight to Slack: no page of ours to render.
    directInstall: true,
    ...(settings.apiUrl ? { clientOptions: { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } } : {}),
  });
}

/** Mounts the two OAuth paths on the shared HTTP server. State is verified by the provider (signed with SLACK_STATE_SECRET, and a cookie). */
export function mountInstallRoutes(
  http: { route(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): void },
  installer: InstallProvider,
  log: Logger,
): void {
  http.route('/slack/install', (req, res) => installer.handleInstallPath(req, res));
  http.route('/slack/oauth_redirect', (req, res) =>
    installer.handleCallback(req, res, {
      success: (installation, _options, _req, response) => {
        log.info({ team: installation.team?.id, enterprise: installation.enterprise?.id }, 'slack app installed');
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            '<p>설치했어요. Slack으로 돌아가 <code>/k8s</code> 를 써 보세요. / Installed: go back to Slack and try <code>/k8s</code>.</p>',
          );
      },
      failure: (error, _options, _req, response) => {
        log.warn({ code: error.code }, 'slack install failed');
        response
          .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
          .end('<p>설치하지 못했어요. 다시 시도해 주세요. / The install did not complete; please try again from the install link.</p>');
      },
    }),
  );
}
