import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { ROUND_LEASE_MS } from '../../src/quiz/rounds.js';
import type { PostTarget, Reply } from '../../src/reply.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchema, freshSchema, PG_UP, PG_URL } from '../store/backends.js';
import { asAnswer, roundExpected } from '../quiz/harness.js';

/**
 * Two replicas in one process, each on its own manual clock, sharing one store: a replica that
 * "dies" is one whose clock stops (its heartbeat and timers stop, as in a crash or a partition).
 */
interface Replica {
  app: App;
  clock: ManualClock;
  posted: { target: PostTarget; reply: Reply }[];
  say(user: string, text: string): Promise<Reply[]>;
  /** Moves this replica's time forward a second at a time, letting its store work finish in between (real time does). */
  run(seconds: number): Promise<void>;
}

const START = Date.UTC(2026, 0, 5, 0, 0, 0);
/** Lets a second of store work finish: SQLite answers within the turn, PostgreSQL over the network. */
let flushMs = 0;
const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  if (flushMs) await new Promise((r) => setTimeout(r, flushMs));
};

async function replica(store: { dataDir?: string; database?: { url: string } }): Promise<Replica> {
  const clock = new ManualClock(START);
  const posted: Replica['posted'] = [];
  const app = await createApp({
    log: silentLogger,
    clock,
    seed: 3,
    quizSeconds: 30,
    ...store,
    outbox: async (target, reply) => void posted.push({ target, reply }),
  });
  return {
    app,
    clock,
    posted,
    say: (user, text) =>
      app.tutor.handle({
        platform: 'slack',
        user: { id: user, name: user },
        channel: { id: 'C1' },
        thread: '1700000000.000100',
        workspace: 'T1',
        text,
        canManage: true,
      }),
    run: async (seconds) => {
      for (let i = 0; i < seconds; i++) {
        clock.advance(1_000);
        await flush();
      }
    },
  };
}

const PLACES = [
  { name: 'SQLite (one file, two processes’ worth of stores)', up: true, kind: 'sqlite' as const },
  { name: 'PostgreSQL', up: PG_UP, kind: 'postgres' as const },
];

for (const place of PLACES) {
  describe.skipIf(!place.up)(`round ownership on ${place.name}`, () => {
    const apps: App[] = [];
    let cleanup: () => Promise<void> = async () => undefined;
    afterEach(async () => {
      for (const a of apps.splice(0)) await a.close();
      await cleanup();
    });

    const storeFor = async () => {
      flushMs = place.kind === 'postgres' ? 25 : 0;
      if (place.kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'ownership-'));
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        return { dataDir: dir };
      }
      const schema = freshSchema('own');
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      cleanup = () => dropSchema(schema);
      const url = new URL(PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return { database: { url: url.toString() } };
    };

    it('a second replica does not resume a live owner’s round; it takes it over within lease + 5 s of the owner stopping, in the same thread, and the old owner stops at once', async () => {
      const store = await storeFor();
      const a = await replica(store);
      apps.push(a.app);
      const started = await a.say('alice', '/quiz start 3 choice');
      expect(started[0]!.code).toMatch(/quiz/);
      const first = await a.say('bob', asAnswer(await roundExpected({ app: a.app } as never, 'C1')));
      expect(first[0]!.grade?.correct).toBe(true);

      // B opens the same store while A is alive: nothing to resume, nothing posted.
      const b = await replica(store);
      apps.push(b.app);
      await b.run(10);
      expect(b.posted).toEqual([]);
      expect(b.app.quiz.rounds.size).toBe(0);

      // A renews for a while (heartbeat every lease/3), then stops: its clock no longer moves.
      await a.run(8);
      const aStopped = START + 8_000;
      const postedByABefore = a.posted.length;

      // B's time goes on: it takes the round over once A's lease has run out, and not before.
      let takenAt: number | undefined;
      for (let s = 0; s < 40 && takenAt === undefined; s++) {
        await b.run(1);
        if (b.posted.some((p) => p.reply.code === 'quiz.round.resumed')) takenAt = b.clock.now();
      }
      expect(takenAt).toBeDefined();
      expect(takenAt! - aStopped).toBeGreaterThan(ROUND_LEASE_MS - ROUND_LEASE_MS / 3);
      expect(takenAt! - aStopped).toBeLessThanOrEqual(ROUND_LEASE_MS + 5_000);
      const resumed = b.posted.find((p) => p.reply.code === 'quiz.round.resumed')!;
      expect(resumed.target).toMatchObject({ platform: 'slack', channel: 'C1', thread: '1700000000.000100' });
      // The answer given on A is kept: B's scoreboard has it.
      expect(b.app.quiz.rounds.size).toBe(1);

      // A wakes up (a long pause, a healed partition): its heartbeat finds the lease gone and it stops, posting nothing more.
      await a.run(6);
      expect(a.app.quiz.rounds.size).toBe(0);
      expect(a.posted.length).toBe(postedByABefore);

      // The round goes on from B: answers there are counted once, and it ends with A's answer in the scores.
      const again = await b.say('bob', 'A');
      expect(again[0]!.code === 'quiz.answered' || again[0]!.grade !== undefined).toBe(true);
      await b.run(200);
      const final = b.posted.find((p) => p.reply.scoreboard?.final);
      expect(final?.reply.scoreboard?.entries.find((e) => e.user === 'bob')?.points).toBeGreaterThan(0);
      const [stored] = await b.app.store.sql.all<{ n: number; d: number }>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT question_id || user_id) AS d FROM answers',
      );
      expect(stored!.n).toBe(stored!.d);
      expect(await b.app.store.quiz.runningRounds()).toEqual([]);
    }, 60_000);
  });
}
