import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendToApp, slashCommand } from '../fakes/slack/payloads.js';
import { FakeSlackApi } from '../fakes/slack/webApi.js';
import { ROOT } from '../support/shared.js';
import { allText } from './harness.js';

/**
 * `npm start` as a distributed Slack app: the real process (adapters/main.ts) with only the install
 * flow's variables, no SLACK_BOT_TOKEN, against the fake Slack. A workspace installs through the
 * process's own /slack/install and /slack/oauth_redirect, then its command is answered with its token.
 */
const SIGNING = 'distributed-signing-secret-0123';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('npm start with the install flow and no SLACK_BOT_TOKEN', () => {
  let api: FakeSlackApi;
  let child: ChildProcess;
  let base: string;
  let logs = '';
  let dataDir: string;

  beforeAll(async () => {
    api = await new FakeSlackApi().start();
    api.addTeam({
      teamId: 'T0777',
      botToken: 'xoxb-installed-by-flow',
      botUserId: 'UBOT7',
      botId: 'B0777',
      refreshToken: 'xoxe-7',
      name: 'Seven',
    });
    dataDir = mkdtempSync(join(tmpdir(), 'tutor-distributed-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (!/^(SLACK_|DISCORD_|PORT$|METRICS_PORT$|HOST$|NOTES_PATH$|LOG_|DATABASE_URL$)/.test(k)) env[k] = v;
    Object.assign(env, {
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      SLACK_CLIENT_ID: api.oauth.clientId,
      SLACK_CLIENT_SECRET: api.oauth.clientSecret,
      SLACK_STATE_SECRET: 'a-long-random-state-secret-for-the-test',
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: api.apiUrl,
    });
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'adapters', 'main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 20_000;
    while (!logs.includes('slack connected')) {
      if (child.exitCode !== null) throw new Error(`the bot exited early with ${child.exitCode}: ${logs}`);
      if (Date.now() > until) throw new Error(`the bot did not start: ${logs}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await api?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts Slack without calling auth.test (there is no token of its own) and says so', () => {
    expect(api.callsOf('auth.test')).toHaveLength(0);
    expect(logs).toMatch(/"workspaces":"installed"/);
    expect(logs).not.toContain('xoxb-');
  });

  it('installs a workspace through its own pages, then answers that workspace’s command with the installed token', async () => {
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    api.grant('code-seven', 'T0777');
    const done = await fetch(`${base}/slack/oauth_redirect?code=code-seven&state=${encodeURIComponent(state)}`, {
      headers: { cookie: start.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(done.status).toBe(200);

    const res = await sendToApp(
      `${base}/slack/events`,
      'command',
      slashCommand('quiz start 1', api.responseUrl(), { team_id: 'T0777', channel_id: 'CSEVEN' }),
      { secret: SIGNING },
    );
    expect(res.status).toBe(200);
    const post = await api.waitFor(
      () => api.callsOf('chat.postMessage').find((c) => c.args.channel === 'CSEVEN' && c.status === 200),
      15_000,
    );
    expect(post.token).toBe('xoxb-installed-by-flow');
    expect(allText(post.args).length).toBeGreaterThan(0);
    // The token never reaches the log.
    expect(logs).not.toContain('xoxb-installed-by-flow');
  }, 30_000);
});
