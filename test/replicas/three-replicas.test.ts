import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';
import { dropSchema, freshSchema, PG_UP, PG_URL } from '../store/backends.js';

/**
 * The proof: three bot processes (`tutor chat --json`, the transcript, each with its own clock moved
 * by ticks) on one PostgreSQL. Commands and answers go to different replicas; the replica that owns
 * a running round is SIGKILLed mid-question; another takes the round over in the same thread; an
 * answer given to a replica that does not own the round is graded there and counted by the owner;
 * every answer is counted once, no question is posted twice, and one concept of the day is posted
 * per channel per day.
 */
interface Out {
  channel: string;
  thread?: string;
  user?: string;
  kind: string;
  code?: string;
  markdown: string;
  quiz?: { roundId?: string; number?: number };
  grade?: { user: string; correct: boolean; points: number };
  scoreboard?: { final?: boolean; entries: { user: string; points: number }[] };
}

interface Replica {
  name: string;
  child: ChildProcessWithoutNullStreams;
  out: Out[];
  send(line: object): void;
  waitFor(pred: (o: Out[]) => boolean, what: string, ms?: number): Promise<void>;
}

function replica(name: string, url: string): Replica {
  const { DATA_DIR: _d, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', 'chat', '--json', '--seed', '11'], {
    cwd: ROOT,
    env: { ...rest, LOG_LEVEL: 'error', DATABASE_URL: url, QUIZ_SECONDS: '30' },
  });
  const out: Out[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => out.push(JSON.parse(l) as Out));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    name,
    child,
    out,
    send: (line) => child.stdin.write(`${JSON.stringify(line)}\n`),
    waitFor: async (pred, what, ms = 20_000) => {
      const until = Date.now() + ms;
      while (!pred(out)) {
        if (Date.now() > until)
          throw new Error(
            `${name}: timed out waiting for ${what}; got ${JSON.stringify(out.map((o) => o.code))}; stderr: ${err.slice(-500)}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

const THREAD = '1700000000.000100';

describe.skipIf(!PG_UP)('three replicas on one PostgreSQL', () => {
  const schema = freshSchema('three');
  const replicas: Replica[] = [];
  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await dropSchema(schema);
  });

  it('a killed round owner’s round goes on from another replica in the same thread, answers counted once, no question twice, one daily post', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const [a, b, c] = ['A', 'B', 'C'].map((n) => replica(n, url.toString())) as [Replica, Replica, Replica];
    replicas.push(a, b, c);
    // Everyone up (each has opened the store and run its start-up recovery).
    for (const r of [a, b, c]) r.send({ user: 'ops', channel: 'ops', text: '/quiz help' });
    for (const r of [a, b, c]) await r.waitFor((o) => o.some((x) => x.code === 'quiz.help'), 'start-up');

    // Commands spread over the replicas: a round on A, a lookup on B, a daily schedule on C.
    a.send({ user: 'alice', channel: 'c1', thread: THREAD, text: '/quiz start 3 choice' });
    await a.waitFor((o) => o.some((x) => x.code === 'quiz.round.question'), 'the first question');
    b.send({ user: 'bob', channel: 'c9', text: '/k8s etcd' });
    c.send({ user: 'carol', channel: 'c2', text: '/daily on 09:00 Asia/Seoul', admin: true });
    a.send({ user: 'bob', channel: 'c1', thread: THREAD, text: 'A' });
    a.send({ user: 'carol', channel: 'c1', thread: THREAD, text: 'B' });
    await a.waitFor((o) => o.filter((x) => x.grade).length >= 2, 'two graded answers');
    await b.waitFor((o) => o.some((x) => x.kind === 'card'), 'the card');
    await c.waitFor((o) => o.some((x) => x.channel === 'c2'), 'the daily reply');
    const before = {
      bob: a.out.find((o) => o.grade?.user === 'bob')!.grade!.points,
      carol: a.out.find((o) => o.grade?.user === 'carol')!.grade!.points,
    };

    // B and C do not touch A's round while A lives.
    for (const r of [b, c]) r.send({ tick: 6 });
    for (const r of [b, c]) r.send({ user: 'ops', channel: 'ops', text: '/quiz help' });
    for (const r of [b, c]) await r.waitFor((o) => o.filter((x) => x.code === 'quiz.help').length >= 2, 'a second help');
    expect([...b.out, ...c.out].filter((o) => o.channel === 'c1')).toEqual([]);

    // The owner dies mid-question.
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('close', r));
    for (const r of [b, c]) r.send({ tick: 6 });
    for (const r of [b, c]) r.send({ user: 'ops', channel: 'ops', text: '/quiz help' });
    await Promise.race([b, c].map((r) => r.waitFor((o) => o.some((x) => x.code === 'quiz.round.resumed'), 'the take-over')));
    await new Promise((r) => setTimeout(r, 500));
    const owners = [b, c].filter((r) => r.out.some((x) => x.code === 'quiz.round.resumed'));
    expect(owners).toHaveLength(1);
    const owner = owners[0]!;
    const other = owner === b ? c : b;
    expect(owner.out.find((x) => x.code === 'quiz.round.resumed')).toMatchObject({ channel: 'c1', thread: THREAD });

    // The round goes on from the new owner: an answer given before the kill is not counted again.
    owner.send({ user: 'bob', channel: 'c1', thread: THREAD, text: 'B' });
    owner.send({ user: 'dave', channel: 'c1', thread: THREAD, text: 'A' });
    await owner.waitFor((o) => o.some((x) => x.user === 'dave'), 'dave graded');
    const resumedAt = owner.out.findIndex((x) => x.code === 'quiz.round.resumed');
    expect(owner.out.slice(resumedAt).find((x) => x.user === 'bob')!.code).toBe('quiz.answered');
    // An answer that lands on a replica that does not own the round is graded there from the store,
    // and the owner counts it in the question's scores; a second try on the owner is refused.
    other.send({ user: 'erin', channel: 'c1', thread: THREAD, text: 'A' });
    await other.waitFor((o) => o.some((x) => x.user === 'erin'), 'erin graded on the other replica');
    expect(other.out.find((x) => x.user === 'erin')!.grade).toBeDefined();
    owner.send({ user: 'erin', channel: 'c1', thread: THREAD, text: 'B' });
    await owner.waitFor((o) => o.some((x) => x.user === 'erin'), 'erin refused on the owner');
    expect(owner.out.find((x) => x.user === 'erin')!.code).toBe('quiz.answered');
    // Time runs to a second before the close (the owner reads other replicas' answers then), then past it.
    owner.send({ tick: 29 });
    await new Promise((r) => setTimeout(r, 500));
    owner.send({ tick: 2 });
    await owner.waitFor((o) => o.some((x) => x.code === 'quiz.round.scoreboard'), 'the first scoreboard');
    expect(owner.out.find((x) => x.code === 'quiz.round.scoreboard')!.markdown).toContain('erin');
    for (let i = 0; i < 3; i++) owner.send({ tick: 31 });
    await owner.waitFor((o) => o.some((x) => x.scoreboard?.final), 'the final scoreboard');
    const final = owner.out.find((x) => x.scoreboard?.final)!;
    expect(final).toMatchObject({ channel: 'c1', thread: THREAD });
    const points = Object.fromEntries(final.scoreboard!.entries.map((e) => [e.user, e.points]));
    if (before.bob > 0) expect(points.bob).toBeGreaterThanOrEqual(before.bob);
    if (before.carol > 0) expect(points.carol).toBeGreaterThanOrEqual(before.carol);
    expect(final.scoreboard!.entries.map((e) => e.user)).toEqual(expect.arrayContaining(Object.keys(points)));

    // No question posted twice: each number of the round appears once as a question, across replicas.
    const all = [...a.out, ...b.out, ...c.out];
    const asked = all.filter((o) => o.code === 'quiz.round.question' && o.channel === 'c1').map((o) => o.quiz?.number);
    expect(asked.sort()).toEqual([...new Set(asked)].sort());
    // The other replica said nothing to the channel: only its reply to erin's answer.
    expect(other.out.filter((o) => o.channel === 'c1').map((o) => o.user)).toEqual(['erin']);

    // One daily post for c2 on the day, though B and C both serve the schedule. Each transcript has
    // its own manual clock, moved by ticks it reads on its own time; real replicas share one clock
    // within milliseconds. So the clocks first agree again (the owner's ran 124 s ahead through the
    // round), then move in half-hour steps, both acknowledging each before the next: they never
    // drift apart by more than a step, far less than the claim's 90-minute lease.
    other.send({ tick: 29 + 2 + 3 * 31 });
    const helps = (r: Replica) => r.out.filter((x) => x.code === 'quiz.help').length;
    const inStep = async (seconds: number) => {
      const seen = [helps(b), helps(c)];
      for (const r of [b, c]) r.send({ tick: seconds });
      for (const r of [b, c]) r.send({ user: 'ops', channel: 'ops', text: '/quiz help' });
      await b.waitFor(() => helps(b) > seen[0]!, 'b in step');
      await c.waitFor(() => helps(c) > seen[1]!, 'c in step');
    };
    for (let s = 0; s < 3_600 + 86_400; s += 1_800) await inStep(1_800);
    await Promise.race([b, c].map((r) => r.waitFor((o) => o.some((x) => x.code === 'daily.post'), 'a daily post')));
    await new Promise((r) => setTimeout(r, 1_000));

    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const dup = await db.query(
        "SELECT question_id, user_id, COUNT(*)::int AS n FROM answers WHERE channel = 'c1' GROUP BY question_id, user_id HAVING COUNT(*) > 1",
      );
      expect(dup.rows).toEqual([]);
      const byUser = await db.query(
        "SELECT user_id, COUNT(*)::int AS n FROM answers WHERE channel = 'c1' GROUP BY user_id ORDER BY user_id",
      );
      expect(byUser.rows).toEqual([
        { user_id: 'bob', n: 1 },
        { user_id: 'carol', n: 1 },
        { user_id: 'dave', n: 1 },
        { user_id: 'erin', n: 1 },
      ]);
      const posts = await db.query("SELECT day, COUNT(*)::int AS n FROM daily_posts WHERE channel = 'c2' GROUP BY day");
      expect(posts.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
      expect(posts.rows.length).toBeGreaterThanOrEqual(1);
      const printed = [...b.out, ...c.out].filter((o) => o.code === 'daily.post' && o.channel === 'c2').length;
      expect(printed).toBe(posts.rows.length);
    } finally {
      await db.end();
    }
  }, 90_000);
});
