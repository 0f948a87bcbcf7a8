import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';
import { dropSchema, freshSchema, PG_UP, PG_URL } from '../store/backends.js';
import { MANAGE_CHANNELS, startFakeDiscord, type FakeDiscord, type RestCall } from '../fakes/discord/server.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The proof with real bot processes: three `adapters/main.ts` (the real discord.js client, no
 * gateway: DISCORD_GATEWAY=off) on one PostgreSQL, behind a "load balancer" that is the fake
 * Discord choosing which replica's /discord/interactions each signed interaction goes to. The
 * replica that started a round is SIGKILLed mid-question; another takes the round over (lease
 * 15 s) and finishes it in the same thread; no answer is stored twice; no question is posted twice.
 * A button answer clicked on a replica that does not own the round is graded there from the store
 * (the open question is read from it) and counted once.
 */
interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  stderr: () => string;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function replica(name: string, fake: FakeDiscord, databaseUrl: string): Promise<Replica> {
  const [port, metrics] = [await freePort(), await freePort()];
  const { DATA_DIR: _d, SLACK_BOT_TOKEN: _s, SLACK_APP_TOKEN: _a, SLACK_SIGNING_SECRET: _g, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...rest,
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metrics),
      QUIZ_SECONDS: '20',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
      DISCORD_TYPED_ANSWERS: 'off',
      DISCORD_GATEWAY: 'off',
    },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  return { name, child, port, url: `http://127.0.0.1:${port}/discord/interactions`, stderr: () => err };
}

async function until(test: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = async (r: Replica) => {
  try {
    return (await fetch(`http://127.0.0.1:${r.port}/readyz`)).status === 200;
  } catch {
    return false;
  }
};

const buttons = (body: any): any[] => (body.components ?? []).flatMap((row: any) => row.components ?? []);
const titleOf = (c: RestCall): string => c.body?.embeds?.[0]?.title ?? '';

describe.skipIf(!PG_UP)('three Discord bot processes on one PostgreSQL, interactions over HTTP', () => {
  const schema = freshSchema('discord3');
  const replicas: Replica[] = [];
  let fake: FakeDiscord;
  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await fake?.close();
    await dropSchema(schema);
  });

  it('a killed round owner’s round goes on from another replica in the same thread, each answer stored once, no question posted twice', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    fake = await startFakeDiscord();
    const quiz = fake.guilds[0]!.channels[1]!.id;
    const [a, b, c] = [
      await replica('A', fake, url.toString()),
      await replica('B', fake, url.toString()),
      await replica('C', fake, url.toString()),
    ];
    replicas.push(a, b, c);
    for (const r of [a, b, c]) await until(() => ready(r), `${r.name} ready; stderr: ${r.stderr()}`, 60_000);
    expect(fake.gatewayConnections).toBe(0);
    const to = (r: Replica) => (fake.interactionsUrl = r.url);
    const user = (n: number, name: string) => ({ id: `50000000000000000${n}`, username: name, global_name: name });
    const [alice, bob, carol, dave] = [user(1, 'alice'), user(2, 'bob'), user(3, 'carol'), user(4, 'dave')];
    const threadPosts = (thread: string) => fake.postsTo(thread);

    // The round starts on A: its thread is created over REST, question 1 posted in it.
    to(a);
    const start = fake.slash(alice, quiz, 'quiz', { questions: 2, kind: 'choice' }, 'start', MANAGE_CHANNELS);
    await fake.waitFor(() => fake.callbacksFor(start.id).length > 0 && fake.threads.length === 1, 15_000, 'the round thread');
    const thread = fake.threads[0]!.id;
    await fake.waitFor(() => threadPosts(thread).length === 1, 15_000, 'question 1');
    const q1 = threadPosts(thread)[0]!;
    expect(titleOf(q1)).toMatch(/1\/2/);
    const option = (q: RestCall, n: number) => buttons(q.body).filter((x) => typeof x.custom_id === 'string' && x.style !== 5)[n]!;
    const click = async (r: Replica, who: typeof bob, q: RestCall, n: number) => {
      to(r);
      const i = fake.click(who, { ...q.body, channel_id: thread, author: fake.bot }, option(q, n).custom_id);
      await fake.waitFor(() => fake.callbacksFor(i.id).length > 0, 15_000, `${who.username}'s answer on ${r.name}`);
      return fake.callbacksFor(i.id)[0]!;
    };

    // Clicks land on replicas that do not own the round and are graded there, not refused as closed.
    const closed = /closed|닫혔|더 이상/;
    const bobs = await click(b, bob, q1, 0);
    expect(bobs.status).toBe(204);
    expect(JSON.stringify(bobs.body)).not.toMatch(closed);
    const carols = await click(c, carol, q1, 1);
    expect(carols.status).toBe(204);
    expect(JSON.stringify(carols.body)).not.toMatch(closed);

    // The owner dies mid-question; its round is taken over within the lease and a heartbeat.
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('close', r));
    await click(c, bob, q1, 1);
    await fake.waitFor(
      () => threadPosts(thread).some((p) => /2\/2/.test(titleOf(p))),
      45_000,
      'question 2 from the replica that took the round over',
    );
    const q2 = threadPosts(thread).find((p) => /2\/2/.test(titleOf(p)))!;
    await click(b, dave, q2, 0);
    await click(c, dave, q2, 1);
    await fake.waitFor(() => fake.postsTo(quiz).some((p) => /최종|Final/.test(titleOf(p))), 45_000, 'the final scoreboard in the channel');

    // Same thread throughout; the take-over says so once; each question posted once as a question.
    expect(fake.threads).toHaveLength(1);
    const resumed = (p: RestCall) => /The bot restarted; this round resumes/.test(JSON.stringify(p.body));
    expect(threadPosts(thread).filter(resumed)).toHaveLength(1);
    const questions = threadPosts(thread)
      .filter((p) => !resumed(p))
      .map(titleOf)
      .filter((t) => /\d\/2/.test(t) && !/점수판|Scoreboard|최종|Final/.test(t));
    expect(questions.filter((t) => /1\/2/.test(t))).toHaveLength(1);
    expect(questions.filter((t) => /2\/2/.test(t))).toHaveLength(1);
    expect(fake.postsTo(quiz).filter((p) => /최종|Final/.test(titleOf(p)))).toHaveLength(1);

    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const rows = (
        await db.query<{ user_id: string; n: number }>(
          'SELECT user_id, COUNT(*)::int AS n FROM answers WHERE channel = $1 GROUP BY user_id ORDER BY user_id',
          [quiz],
        )
      ).rows;
      // Bob and carol answered question 1 on replicas that did not own the round, bob twice: each stored once.
      // Dave answered question 2 on two replicas: stored once.
      expect(rows.find((r) => r.user_id === bob.id)?.n).toBe(1);
      expect(rows.find((r) => r.user_id === carol.id)?.n).toBe(1);
      expect(rows.find((r) => r.user_id === dave.id)?.n).toBe(1);
      const dup = await db.query('SELECT question_id, user_id FROM answers GROUP BY question_id, user_id HAVING COUNT(*) > 1');
      expect(dup.rows).toEqual([]);
    } finally {
      await db.end();
    }
    expect(fake.calls.filter((x) => x.status >= 400)).toEqual([]);
  }, 150_000);
});
