import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../adapters/adapter.js';
import type { HttpServer } from '../../adapters/http/server.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { TOKEN_TTL_MS } from '../../adapters/slack/teamClients.js';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { eventCallback, sendToApp, slashCommand } from '../fakes/slack/payloads.js';
import { FakeSlackApi, type FakeTeam, type RecordedCall } from '../fakes/slack/webApi.js';
import { allText, SECRET } from './harness.js';
import { installFlow, SECOND_TEAM } from './installFlow.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Slack across workspaces, end to end: no SLACK_BOT_TOKEN, two workspaces install the app through
 * /slack/oauth_redirect (the fake's oauth.v2.access), and from then on every event is authorized and
 * every post (answers, round questions, daily posts) is sent with the token of the workspace it
 * belongs to. The fake Web API answers each call as the team whose token it carries.
 */
const HOUR = 3_600_000;
const A = { team: 'T0001', channel: 'CALPHA', admin: 'UADMIN' };
const B = { team: 'T0002', channel: 'CBETA', admin: 'UADMIN' };

describe('slack: one app installed in two workspaces', () => {
  let api: FakeSlackApi;
  let second: FakeTeam;
  let app: App;
  let http: HttpServer;
  let base: string;
  let dir: string;
  let adapter: SlackAdapter;
  let clock: ManualClock;
  const logs: { msg: string; workspace?: string; level: number }[] = [];

  beforeAll(async () => {
    api = await new FakeSlackApi({ users: { UADMIN: { name: 'jiho', is_admin: true }, U0001: { name: 'minji' } } }).start();
    second = api.addTeam({
      teamId: B.team,
      botToken: 'xoxb-second-workspace',
      botUserId: 'UBOT2',
      botId: 'B0002',
      refreshToken: 'xoxe-1-refresh-second',
      name: 'Second',
    });
    dir = mkdtempSync(join(tmpdir(), 'slack-multi-'));
    clock = new ManualClock(Date.now());
    const started: { adapter?: SlackAdapter } = {};
    const outbox = createOutbox(() => (started.adapter ? [started.adapter] : []));
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], dataDir: dir, clock, outbox, limits: false });
    const log = createLogger({
      level: 'warn',
      destination: { write: (line: string) => void logs.push(JSON.parse(line)) } as unknown as NodeJS.WritableStream,
    });
    const { installations, installer, http: server } = installFlow(app, api, clock);
    http = server;
    adapter = createSlackAdapter({
      tutor: app.tutor,
      log,
      // No SLACK_BOT_TOKEN: every token comes from an installation.
      slack: { botToken: undefined, appToken: undefined, signingSecret: SECRET, apiUrl: api.apiUrl, adminUsers: [] },
      http,
      installations,
      authorize: installer.authorize.bind(installer),
      clock,
    });
    started.adapter = adapter;
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

  const install = async (code: string, teamId: string) => {
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    api.grant(code, teamId);
    const res = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(res.status).toBe(200);
  };

  const command = (team: string, channel: string, user: string, text: string) => {
    const responseUrl = api.responseUrl();
    return sendToApp(
      `${base}/slack/events`,
      'command',
      slashCommand(text, responseUrl, { team_id: team, channel_id: channel, channel_name: channel.toLowerCase(), user_id: user }),
      { secret: SECRET },
    );
  };
  const postsIn = (channel: string): RecordedCall[] =>
    api.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200);
  const tokensIn = (channel: string) => new Set(postsIn(channel).map((c) => c.token));
  const dailyIn = (channel: string) =>
    api.messages.filter((m) => m.channel === channel && JSON.stringify(m.blocks?.[0] ?? {}).includes('Concept of the day'));

  it('keeps each workspace’s installation, with its own bot token, from its own redirect', async () => {
    await install('code-alpha', A.team);
    await install('code-beta', B.team);
    expect(((await app.store.installations.get('slack', `T:${A.team}`)) as any).bot.token).toBe(api.opts.botToken);
    expect(((await app.store.installations.get('slack', `T:${B.team}`)) as any).bot).toMatchObject({
      token: second.botToken,
      userId: 'UBOT2',
    });
    expect(await app.store.installations.count('slack')).toBe(2);
  });

  it('answers a slash command from each workspace with that workspace’s token (users.info and the channel post)', async () => {
    for (const w of [A, B]) expect((await command(w.team, w.channel, w.admin, 'daily on 09:00 UTC')).status).toBe(200);
    await api.waitFor(() => postsIn(A.channel).length >= 1 && postsIn(B.channel).length >= 1);
    expect(allText(postsIn(A.channel)[0]!.args)).toContain('every day at 09:00 (UTC)');
    expect(tokensIn(A.channel)).toEqual(new Set([api.opts.botToken]));
    expect(tokensIn(B.channel)).toEqual(new Set([second.botToken]));
    // The admin check is asked of each workspace (the same user id is a different person in each), with its token.
    const asked = api.callsOf('users.info').filter((c) => c.args.user === 'UADMIN');
    expect(new Set(asked.map((c) => c.team))).toEqual(new Set([A.team, B.team]));
    expect(await app.store.daily.subscription('slack', B.channel)).toMatchObject({ workspace: B.team });
  });

  it('answers a mention in the second workspace in its thread, with that workspace’s token', async () => {
    const ev = {
      ...eventCallback({
        type: 'app_mention',
        user: 'U0001',
        text: '<@UBOT2> etcd',
        channel: B.channel,
        ts: '1767225600.100001',
        team: B.team,
      }),
      team_id: B.team,
    };
    expect((await sendToApp(`${base}/slack/events`, 'event', ev, { secret: SECRET })).status).toBe(200);
    const answer = await api.waitFor(() => postsIn(B.channel).find((c) => c.args.thread_ts === '1767225600.100001'));
    expect(answer.token).toBe(second.botToken);
    expect(allText(answer.args)).toMatch(/etcd/);
  });

  it('runs a round in each workspace, each posting its questions with its own token', async () => {
    for (const w of [A, B]) await command(w.team, w.channel, 'U0001', 'quiz start 2');
    const questionIn = (channel: string) => postsIn(channel).find((c) => c.args.thread_ts && allText(c.args).includes('1/2'));
    await api.waitFor(() => questionIn(A.channel) && questionIn(B.channel));
    expect(questionIn(A.channel)!.token).toBe(api.opts.botToken);
    expect(questionIn(B.channel)!.token).toBe(second.botToken);
    // The next question comes from the round's timer (no event to authorize): still each team's own token.
    clock.advance(31_000);
    const secondIn = (channel: string) => postsIn(channel).find((c) => c.args.thread_ts && allText(c.args).includes('2/2'));
    await api.waitFor(() => secondIn(A.channel) && secondIn(B.channel));
    expect(secondIn(A.channel)!.token).toBe(api.opts.botToken);
    expect(secondIn(B.channel)!.token).toBe(second.botToken);
    clock.advance(31_000);
    await api.waitFor(
      () =>
        postsIn(A.channel).some((c) => allText(c.args).includes('Final')) &&
        postsIn(B.channel).some((c) => allText(c.args).includes('Final')),
    );
    expect(tokensIn(A.channel)).toEqual(new Set([api.opts.botToken]));
    expect(tokensIn(B.channel)).toEqual(new Set([second.botToken]));
  });

  it('posts each workspace’s concept of the day with its own token', async () => {
    const next = app.daily.scheduler.nextPost({ timeOfDay: '09:00', zone: 'UTC' });
    clock.set(next + 1_000);
    await api.waitFor(() => dailyIn(A.channel).length === 1 && dailyIn(B.channel).length === 1);
    await app.daily.scheduler.idle();
    expect(dailyIn(A.channel)[0]!.team).toBe(A.team);
    expect(dailyIn(B.channel)[0]!.team).toBe(B.team);
  });

  it('waits out one workspace’s rate limit in its own lane: the other workspace’s channel of the same id is not held up', async () => {
    api.rateLimit('chat.postMessage', 1, 1, 'CSAME', A.team);
    const notice = (w: { team: string }, text: string) =>
      adapter.post({ platform: 'slack', channel: 'CSAME', workspace: w.team }, { kind: 'notice', visibility: 'channel', markdown: text });
    const done: string[] = [];
    const first = notice(A, 'alpha after its 429').then(() => done.push('A'));
    await api.waitFor(() => api.callsOf('chat.postMessage').some((c) => c.args.channel === 'CSAME' && c.status === 429));
    await notice(B, 'beta meanwhile').then(() => done.push('B'));
    await first;
    expect(done).toEqual(['B', 'A']);
    const ok = postsIn('CSAME');
    expect(ok.map((c) => [c.team, allText(c.args).includes('beta') ? 'beta' : 'alpha'])).toEqual([
      [B.team, 'beta'],
      [A.team, 'alpha'],
    ]);
  });

  it('given app_uninstalled in the second workspace, stops its posts (dropped with a log line) while the first goes on', async () => {
    const res = await sendToApp(
      `${base}/slack/events`,
      'event',
      { ...eventCallback({ type: 'app_uninstalled' }), team_id: B.team },
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && (await app.store.installations.get('slack', `T:${B.team}`)) !== undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await app.store.installations.get('slack', `T:${B.team}`)).toBeUndefined();
    expect(await app.store.daily.subscription('slack', B.channel)).toMatchObject({ pausedReason: 'app uninstalled' });
    // Slack takes the token back too: any call with it would now be refused.
    api.revoke(second.botToken);
    const callsBefore = api.calls.filter((c) => c.token === second.botToken).length;

    // A post for the uninstalled workspace (a review reminder, a resumed round…) is dropped before it reaches Slack.
    await expect(
      adapter.post(
        { platform: 'slack', channel: B.channel, workspace: B.team },
        { kind: 'notice', visibility: 'channel', markdown: 'hello' },
      ),
    ).rejects.toMatchObject({ permanent: true, reason: 'not_installed' });
    expect(logs.some((l) => l.workspace === B.team && /no installation/.test(l.msg) && /dropped/.test(l.msg))).toBe(true);

    // The next day: the first workspace gets its post, the second none (its subscription stays paused).
    clock.advance(24 * HOUR);
    await api.waitFor(() => dailyIn(A.channel).length === 2);
    await app.daily.scheduler.idle();
    expect(dailyIn(B.channel)).toHaveLength(1);
    // And a command from the first still works.
    await command(A.team, A.channel, 'U0001', 'quiz start 1');
    await api.waitFor(() => postsIn(A.channel).filter((c) => allText(c.args).includes('1/1')).length >= 1);
    expect(api.calls.filter((c) => c.token === second.botToken)).toHaveLength(callsBefore);
  });

  it('ignores an event from a workspace that never installed the app: nothing is posted there', async () => {
    const before = api.calls.length;
    const res = await command('T0099', 'CNOWHERE', 'U0001', 'quiz start 1');
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(postsIn('CNOWHERE')).toHaveLength(0);
    expect(api.calls.slice(before).filter((c) => c.method !== 'response_url')).toHaveLength(0);
  });

  it('rotates an expiring token on the next post and posts with the new one, saving it for every replica', async () => {
    const saved = (await app.store.installations.get('slack', `T:${A.team}`)) as any;
    saved.bot.expiresAt = Math.floor(Date.now() / 1000) - 60;
    saved.bot.token = 'xoxb-expired-old-token';
    await app.store.installations.save('slack', `T:${A.team}`, saved, clock.now());
    clock.advance(TOKEN_TTL_MS + 1_000);
    const refreshesBefore = api.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token').length;
    await adapter.post(
      { platform: 'slack', channel: A.channel, workspace: A.team },
      { kind: 'notice', visibility: 'channel', markdown: 'after rotation' },
    );
    expect(api.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toHaveLength(refreshesBefore + 1);
    const post = postsIn(A.channel).find((c) => allText(c.args).includes('after rotation'))!;
    expect(post.token).toBe(api.opts.botToken);
    const rotated = (await app.store.installations.get('slack', `T:${A.team}`)) as any;
    expect(rotated.bot.token).toBe(api.opts.botToken);
    expect(rotated.bot.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3_600);
  });

  it('refreshes an expiring token once when many posts want it at the same moment, not once per post', async () => {
    const saved = (await app.store.installations.get('slack', `T:${A.team}`)) as any;
    saved.bot.expiresAt = Math.floor(Date.now() / 1000) - 60;
    await app.store.installations.save('slack', `T:${A.team}`, saved, clock.now());
    clock.advance(TOKEN_TTL_MS + 1_000);
    const refreshes = () => api.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token').length;
    const before = refreshes();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        adapter.post(
          { platform: 'slack', channel: `CBURST${i}`, workspace: A.team },
          { kind: 'notice', visibility: 'channel', markdown: `burst ${i}` },
        ),
      ),
    );
    expect(refreshes()).toBe(before + 1);
    expect(
      api.callsOf('chat.postMessage').filter((c) => String(c.args.channel).startsWith('CBURST') && c.token === api.opts.botToken),
    ).toHaveLength(12);
  });

  it('drops a workspace’s cached token the moment Slack refuses it, so the next post reads the store (a reinstall on another replica) at once', async () => {
    api.addTeam({
      teamId: A.team,
      botToken: 'xoxb-alpha-reinstalled',
      botUserId: 'UBOT',
      botId: 'B0001',
      refreshToken: 'xoxe-1-refresh-alpha2',
      name: 'Fake',
    });
    const saved = (await app.store.installations.get('slack', `T:${A.team}`)) as any;
    saved.bot.token = 'xoxb-alpha-reinstalled';
    saved.bot.expiresAt = Math.floor(Date.now() / 1000) + 43_200;
    await app.store.installations.save('slack', `T:${A.team}`, saved, clock.now());
    api.revoke(api.opts.botToken);
    const notice = (text: string) =>
      adapter.post({ platform: 'slack', channel: A.channel, workspace: A.team }, { kind: 'notice', visibility: 'channel', markdown: text });
    await expect(notice('with the revoked token')).rejects.toMatchObject({ permanent: true, reason: 'token_revoked' });
    await notice('with the new token');
    expect(postsIn(A.channel).find((c) => allText(c.args).includes('with the new token'))!.token).toBe('xoxb-alpha-reinstalled');
  });

  it('keeps no per-token client inside Bolt (its pool has no cap, and rotation adds a token twice a day): tokens stay in our bounded cache', () => {
    expect((adapter.app as unknown as { clients: Record<string, unknown> }).clients).toEqual({});
  });
});

describe('slack: SLACK_BOT_TOKEN beside the install flow (a one-workspace deployment that turns the install flow on)', () => {
  let api: FakeSlackApi;
  let app: App;
  let http: HttpServer;
  let base: string;
  let dir: string;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    api.addTeam(SECOND_TEAM);
    dir = mkdtempSync(join(tmpdir(), 'slack-home-'));
    app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], dataDir: dir, limits: false });
    const { installations, installer, http: server } = installFlow(app, api, new ManualClock(Date.now()));
    http = server;
    adapter = createSlackAdapter({
      tutor: app.tutor,
      log: silentLogger,
      slack: { botToken: api.opts.botToken, appToken: undefined, signingSecret: SECRET, apiUrl: api.apiUrl, adminUsers: [] },
      http,
      installations,
      authorize: installer.authorize.bind(installer),
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

  const quiz = (team: string, channel: string) =>
    sendToApp(`${base}/slack/events`, 'command', slashCommand('quiz start 1', api.responseUrl(), { team_id: team, channel_id: channel }), {
      secret: SECRET,
    });
  const postsIn = (channel: string) => api.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200);

  it('answers the token’s own workspace with SLACK_BOT_TOKEN before it has an installation', async () => {
    expect(await app.store.installations.count('slack')).toBe(0);
    await quiz('T0001', 'CHOME');
    await api.waitFor(() => postsIn('CHOME').length > 0);
    expect(new Set(postsIn('CHOME').map((c) => c.token))).toEqual(new Set([api.opts.botToken]));
  });

  it('answers another workspace only once it has installed, with its own token', async () => {
    const before = api.calls.length;
    await quiz('T0002', 'COTHER');
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'COTHER')).toHaveLength(0);

    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    api.grant('code-other', 'T0002');
    const res = await fetch(`${base}/slack/oauth_redirect?code=code-other&state=${encodeURIComponent(state)}`, {
      headers: { cookie: start.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(res.status).toBe(200);
    await quiz('T0002', 'COTHER2');
    await api.waitFor(() => postsIn('COTHER2').length > 0);
    expect(new Set(postsIn('COTHER2').map((c) => c.token))).toEqual(new Set(['xoxb-second-workspace']));
  });
});
