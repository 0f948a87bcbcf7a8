import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import type { createInstaller, slackInstallationStore } from '../../adapters/slack/installs.js';
import type { HttpServer } from '../../adapters/http/server.js';
import { createApp, type App } from '../../src/app.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { eventCallback, sendToApp } from '../fakes/slack/payloads.js';
import { FakeSlackApi } from '../fakes/slack/webApi.js';
import { SECRET } from './harness.js';
import { installFlow } from './installFlow.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Slack across workspaces: the OAuth install flow against the fake Slack Web API (oauth.v2.access),
 * with the installation kept in our store; token rotation; uninstall removing the tokens and
 * stopping the workspace's daily posts.
 */
describe('slack: installing the app in a workspace (OAuth v2)', () => {
  let api: FakeSlackApi;
  let app: App;
  let http: HttpServer;
  let base: string;
  let dir: string;
  let adapter: SlackAdapter;
  let store: ReturnType<typeof slackInstallationStore>;
  let installer: ReturnType<typeof createInstaller>;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    dir = mkdtempSync(join(tmpdir(), 'slack-oauth-'));
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], dataDir: dir });
    ({ installations: store, installer, http } = installFlow(app, api, systemClock));
    adapter = createSlackAdapter({
      tutor: app.tutor,
      log: silentLogger,
      slack: { botToken: api.opts.botToken, appToken: undefined, signingSecret: SECRET, apiUrl: api.apiUrl, adminUsers: [] },
      http,
      installations: store,
    });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await http?.close(100);
    await app?.close();
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const startInstall = async () => {
    const res = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return { location, cookie, state: location.searchParams.get('state')! };
  };

  it('sends the installer to Slack with our client id, scopes and a signed state, then saves the installation the redirect brings', async () => {
    const { location, cookie, state } = await startInstall();
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe(api.oauth.clientId);
    expect(location.searchParams.get('scope')).toContain('chat:write');
    api.oauth.codes.add('code-1');
    const res = await fetch(`${base}/slack/oauth_redirect?code=code-1&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Installed/);
    const saved = (await app.store.installations.get('slack', 'T:T0001')) as any;
    expect(saved.bot).toMatchObject({ token: api.opts.botToken, refreshToken: 'xoxe-1-refresh', userId: 'UBOT' });
    expect(api.callsOf('oauth.v2.access')).toHaveLength(1);
  });

  it('refuses a redirect whose state it did not sign, or without the browser cookie, and saves nothing', async () => {
    await app.store.installations.remove('slack', 'T:T0001');
    api.oauth.codes.add('code-2');
    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-2&state=forged-state`, {
      headers: { cookie: 'slack-app-oauth-state=forged-state' },
    });
    expect(forged.status).toBe(400);
    const { state } = await startInstall();
    const noCookie = await fetch(`${base}/slack/oauth_redirect?code=code-2&state=${encodeURIComponent(state)}`);
    expect(noCookie.status).toBe(400);
    expect(await app.store.installations.get('slack', 'T:T0001')).toBeUndefined();
    expect(api.oauth.codes.has('code-2')).toBe(true); // never exchanged
  });

  it('rotates an expiring bot token with the refresh token and keeps the new one for every replica', async () => {
    const { cookie, state } = await startInstall();
    api.oauth.codes.add('code-3');
    await fetch(`${base}/slack/oauth_redirect?code=code-3&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    const saved = (await app.store.installations.get('slack', 'T:T0001')) as any;
    saved.bot.expiresAt = Math.floor(Date.now() / 1000) - 60;
    await app.store.installations.save('slack', 'T:T0001', saved, Date.now());
    const before = api.callsOf('oauth.v2.access').length;
    const auth = await installer.authorize({ teamId: 'T0001', isEnterpriseInstall: false, enterpriseId: undefined });
    expect(auth.botToken).toBe(api.opts.botToken);
    const refreshes = api.callsOf('oauth.v2.access').slice(before);
    expect(refreshes.map((c) => c.args.grant_type)).toEqual(['refresh_token']);
    const rotated = (await app.store.installations.get('slack', 'T:T0001')) as any;
    expect(rotated.bot.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3_600);
  });

  it('given app_uninstalled, removes the workspace’s tokens and pauses its daily posts; other workspaces keep theirs', async () => {
    const sub = {
      platform: 'slack',
      channel: 'C1',
      timeOfDay: '09:00',
      zone: 'Asia/Seoul',
      enabled: true,
      createdBy: 'U1',
      createdAt: 1,
      updatedAt: 1,
    };
    await app.store.daily.subscribe({ ...sub, workspace: 'T0001' });
    await app.store.daily.subscribe({ ...sub, channel: 'C2', workspace: 'T0002' });
    await app.store.installations.save('slack', 'T:T0002', { team: { id: 'T0002' } }, Date.now());
    expect(await app.store.installations.get('slack', 'T:T0001')).toBeDefined();
    const res = await sendToApp(`${base}/slack/events`, 'event', eventCallback({ type: 'app_uninstalled' }), { secret: SECRET });
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && (await app.store.installations.get('slack', 'T:T0001')) !== undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await app.store.installations.get('slack', 'T:T0001')).toBeUndefined();
    expect((await app.store.daily.activeSubscriptions()).map((s) => s.channel)).toEqual(['C2']);
    expect(await app.store.daily.subscription('slack', 'C1')).toMatchObject({ pausedReason: 'app uninstalled' });
    expect(await app.store.installations.get('slack', 'T:T0002')).toBeDefined();
  });
});
