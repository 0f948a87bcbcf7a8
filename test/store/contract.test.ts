import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import type { AnswerRecord, RoundRecord } from '../../src/store/types.js';
import { BACKENDS, type Backend } from './backends.js';

/**
 * The store contract: the same cases against the embedded SQLite store and PostgreSQL, so one
 * repository is proven on both dialects. PostgreSQL cases skip (and say so) when it is not running.
 */
let seq = 0;
const answer = (over: Partial<AnswerRecord> = {}): AnswerRecord => ({
  questionId: 'q1',
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  userId: 'U1',
  userName: 'Ana',
  kind: 'order',
  itemKey: 'order:pod-creation',
  text: 'C A B D',
  correct: true,
  credit: 1,
  points: 100,
  hints: 0,
  mode: 'round',
  at: 1_000,
  seq: ++seq,
  ...over,
});

const round = (over: Partial<RoundRecord> = {}): RoundRecord => ({
  id: 'r1',
  platform: 'slack',
  workspace: 'T1',
  channel: 'C1',
  startedBy: 'U1',
  startedAt: 1_000,
  total: 2,
  kind: 'order',
  seconds: 30,
  state: 'running',
  current: 1,
  ...over,
});

// A real epoch-ms time: INTEGER columns in PostgreSQL would overflow on it (the reason 1–3 have a BIGINT form).
const NOW = Date.UTC(2026, 0, 5, 0, 0, 0);

for (const b of BACKENDS) {
  describe.skipIf(!b.up)(`the store contract on ${b.name}`, () => {
    const backends: Backend[] = [];
    const backend = () => {
      const x = b.make();
      backends.push(x);
      return x;
    };
    afterEach(async () => {
      for (const x of backends.splice(0)) await x.cleanup();
    });

    it('applies each migration once, reports the newest, and counts its boots across reopenings', async () => {
      const place = backend();
      const first = await place.open();
      expect(first.schemaVersion()).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
      expect(first.boot).toBe(1);
      await first.close();
      const second = await place.open();
      expect(second.boot).toBe(2);
      expect(second.schemaVersion()).toBe(first.schemaVersion());
    });

    it('given several processes opening a new database at once, migrates it once and gives each its own boot', async () => {
      const place = backend();
      const stores = await Promise.all([place.open(), place.open(), place.open()]);
      expect(new Set(stores.map((s) => s.boot)).size).toBe(3);
      const rows = await stores[0]!.sql.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual([...MIGRATIONS].map((m) => m.version).sort((x, y) => x - y));
    });

    it('refuses to start on a schema newer than this build knows, naming the fix', async () => {
      const place = backend();
      const store = await place.open();
      await store.sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [9999, 'from the future', NOW]);
      await store.close();
      await expect(place.open()).rejects.toThrow(/schema version 9999, newer than this build knows.*Fix: run the newer build/s);
    });

    it('answers a real query for readiness', async () => {
      const store = await backend().open();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('counts every answer exactly once: a second answer to one question by one player is refused', async () => {
      const store = await backend().open();
      expect(await store.quiz.recordAnswer(answer({ at: NOW }))).toBe('recorded');
      expect(await store.quiz.recordAnswer(answer({ points: 5, at: NOW }))).toBe('duplicate');
      expect(await store.quiz.recordAnswer(answer({ userId: 'U2', at: NOW }))).toBe('recorded');
      expect(await store.quiz.recordAnswer(answer({ questionId: 'q2', at: NOW }))).toBe('recorded');
      const board = await store.quiz.leaderboard({ platform: 'slack', channel: 'C1', limit: 10 });
      expect(board.find((r) => r.userId === 'U1')).toMatchObject({ points: 200, answers: 2, name: 'Ana', reachedAt: NOW });
    });

    it('given the same answer from two connections at once, records it once', async () => {
      const place = backend();
      const [a, c] = await Promise.all([place.open(), place.open()]);
      const results = await Promise.all([a.quiz.recordAnswer(answer({ at: NOW })), c.quiz.recordAnswer(answer({ at: NOW }))]);
      expect(results.sort()).toEqual(['duplicate', 'recorded']);
      expect(await a.quiz.leaderboard({ platform: 'slack', channel: 'C1', limit: 10 })).toHaveLength(1);
    });

    it('keeps one running round per channel, and its questions, answers and hints for a restart', async () => {
      const place = backend();
      const store = await place.open();
      await store.quiz.createRound(round({ startedAt: NOW }), [
        { number: 1, question: { id: 'q1', text: '파드 생성 순서' } },
        { number: 2, question: { id: 'q2' } },
      ]);
      await expect(store.quiz.createRound(round({ id: 'r2' }), [])).rejects.toMatchObject({ code: 'store.failed' });
      await store.quiz.askQuestion('r1', 1, NOW, NOW + 30_000);
      await store.quiz.recordAnswer(answer({ roundId: 'r1', number: 1, at: NOW + 1 }));
      await store.quiz.addHint('q1', 'r1', 1, 'slack', 'U2');
      expect(await store.quiz.addHint('q1', 'r1', 1, 'slack', 'U2')).toBe(2);
      await store.close();

      const again = await place.open();
      const [running] = await again.quiz.runningRounds();
      expect(running!.round).toMatchObject({ id: 'r1', current: 1, state: 'running', startedAt: NOW });
      expect(running!.questions[0]).toMatchObject({
        number: 1,
        question: { id: 'q1', text: '파드 생성 순서' },
        askedAt: NOW,
        deadline: NOW + 30_000,
      });
      expect(running!.answers).toHaveLength(1);
      expect(running!.answers[0]).toMatchObject({ correct: true, credit: 1, at: NOW + 1, userName: 'Ana' });
      expect(running!.hints).toEqual([{ number: 1, platform: 'slack', userId: 'U2', count: 2 }]);
      await again.quiz.askQuestion('r1', 2, NOW + 31_000, NOW + 61_000, { number: 1, at: NOW + 31_000 });
      const [moved] = await again.quiz.runningRounds();
      expect(moved!.round.current).toBe(2);
      expect(moved!.questions[0]!.closedAt).toBe(NOW + 31_000);
      await again.quiz.endRound('r1', 'finished', NOW + 40_000, 'completed', [
        { platform: 'slack', userId: 'U1', points: 100, rank: 1, correct: 1, answers: 1 },
      ]);
      // Ending twice changes nothing: only a running round ends; results are replaced, not doubled.
      await again.quiz.endRound('r1', 'finished', NOW + 50_000, 'completed', [
        { platform: 'slack', userId: 'U1', points: 100, rank: 1, correct: 1, answers: 1 },
      ]);
      expect(await again.quiz.runningRounds()).toHaveLength(0);
      expect(await again.quiz.roundResults('r1')).toEqual([
        { platform: 'slack', userId: 'U1', points: 100, rank: 1, correct: 1, answers: 1 },
      ]);
      await again.quiz.createRound(round({ id: 'r2' }), []);
    });

    it('ranks the leaderboard by points, ties to whoever got there first, per channel and per workspace', async () => {
      const store = await backend().open();
      await store.quiz.recordAnswer(answer({ questionId: 'a', userId: 'late', points: 50, at: NOW + 2_000 }));
      await store.quiz.recordAnswer(answer({ questionId: 'a', userId: 'early', points: 50, at: NOW + 1_000 }));
      await store.quiz.recordAnswer(answer({ questionId: 'b', userId: 'other', channel: 'C2', points: 70, at: NOW }));
      await store.quiz.recordAnswer(answer({ questionId: 'c', userId: 'old', points: 999, at: 1 }));
      const channel = await store.quiz.leaderboard({ platform: 'slack', channel: 'C1', since: 500, limit: 10 });
      expect(channel.map((r) => r.userId)).toEqual(['early', 'late']);
      const workspace = await store.quiz.leaderboard({ platform: 'slack', workspace: 'T1', since: 500, limit: 10 });
      expect(workspace.map((r) => r.userId)).toEqual(['other', 'early', 'late']);
      const all = await store.quiz.leaderboard({ platform: 'slack', workspace: 'T1', limit: 1 });
      expect(all.map((r) => r.userId)).toEqual(['old']);
    });

    it('keeps FSRS cards per learner and item: a card added twice keeps its schedule, and due cards come most overdue first', async () => {
      const store = await backend().open();
      const card = (item: string, due: number) => ({
        platform: 'slack',
        userId: 'U1',
        item,
        due,
        stability: 0,
        difficulty: 0,
        scheduledDays: 0,
        learningSteps: 0,
        reps: 0,
        lapses: 0,
        state: 0,
      });
      expect(await store.learning.addCard(card('concept:etcd', NOW + 5_000))).toBe('added');
      expect(await store.learning.addCard(card('concept:etcd', NOW))).toBe('present');
      expect(await store.learning.addCard(card('concept:pod', NOW + 1_000))).toBe('added');
      expect((await store.learning.due('slack', 'U1', NOW + 4_999, 5)).map((c) => c.item)).toEqual(['concept:pod']);
      expect((await store.learning.due('slack', 'U1', NOW + 5_000, 5)).map((c) => c.item)).toEqual(['concept:pod', 'concept:etcd']);
      expect(await store.learning.dueSummary('slack', 'U1', NOW)).toEqual({ total: 2, due: 0, nextDue: NOW + 1_000 });
      expect(await store.learning.dueSummary('slack', 'nobody', NOW)).toEqual({ total: 0, due: 0, nextDue: undefined });
    });

    it('daily: subscribes, pauses, unsubscribes, and lists only the active channels', async () => {
      const store = await backend().open();
      const sub = {
        platform: 'slack',
        workspace: 'T1',
        channel: 'C1',
        timeOfDay: '09:00',
        zone: 'Asia/Seoul',
        enabled: true,
        createdBy: 'U1',
        createdAt: NOW,
        updatedAt: NOW,
      };
      await store.daily.subscribe(sub);
      await store.daily.subscribe({ ...sub, channel: 'C2' });
      expect((await store.daily.activeSubscriptions()).map((s) => s.channel)).toEqual(['C1', 'C2']);
      await store.daily.pause('slack', 'C2', 'channel_not_found', NOW + 1);
      expect(await store.daily.subscription('slack', 'C2')).toMatchObject({ pausedReason: 'channel_not_found', enabled: true });
      expect(await store.daily.unsubscribe('slack', 'C1', NOW + 2)).toBe(true);
      expect(await store.daily.unsubscribe('slack', 'C1', NOW + 3)).toBe(false);
      expect(await store.daily.activeSubscriptions()).toEqual([]);
      await store.daily.subscribe({ ...sub, timeOfDay: '10:30', updatedAt: NOW + 4 });
      expect(await store.daily.subscription('slack', 'C1')).toMatchObject({
        enabled: true,
        timeOfDay: '10:30',
        pausedReason: undefined,
        updatedAt: NOW + 4,
      });
    });

    it('daily: of two stores claiming one (channel, day) at once, exactly one wins; a stale claim is taken over; sent closes it', async () => {
      const place = backend();
      const [a, c] = await Promise.all([place.open(), place.open()]);
      const won = await Promise.all([
        a.daily.claim('slack', 'C1', '2026-01-05', 'a', NOW, 60_000),
        c.daily.claim('slack', 'C1', '2026-01-05', 'c', NOW, 60_000),
      ]);
      expect(won.filter((w) => w.won)).toHaveLength(1);
      const winner = won[0]!.won ? 'a' : 'c';
      const loser = winner === 'a' ? c : a;
      expect(await loser.daily.claim('slack', 'C1', '2026-01-05', 'x', NOW + 59_000, 60_000)).toMatchObject({
        won: false,
        existing: { owner: winner, state: 'claimed' },
      });
      expect(await loser.daily.claim('slack', 'C1', '2026-01-05', 'x', NOW + 61_000, 60_000)).toEqual({ won: true, takeover: true });
      expect(await a.daily.renew('slack', 'C1', '2026-01-05', winner, NOW + 62_000, 1)).toBe(false);
      await a.daily.recordFailure(
        { platform: 'slack', channel: 'C1', day: '2026-01-05', error: 'ratelimited', attempt: 1, at: NOW + 62_000 },
        'x',
        false,
      );
      await a.daily.markSent({ platform: 'slack', channel: 'C1', day: '2026-01-05', conceptId: 'etcd', postedAt: NOW + 63_000 }, 'x');
      expect(await a.daily.claimFor('slack', 'C1', '2026-01-05')).toMatchObject({ state: 'sent', owner: 'x', conceptId: 'etcd' });
      expect(await a.daily.posts('slack', 'C1')).toEqual([
        { platform: 'slack', channel: 'C1', day: '2026-01-05', conceptId: 'etcd', postedAt: NOW + 63_000 },
      ]);
      expect(await a.daily.lastFailure('slack', 'C1')).toMatchObject({ error: 'ratelimited', attempt: 1 });
      expect(await a.daily.claim('slack', 'C1', '2026-01-05', 'y', NOW + 999_999, 60_000, true)).toMatchObject({ won: false });
    });

    it('daily: lists the channel’s missed items since a time, oldest first, the newest when capped', async () => {
      const store = await backend().open();
      for (let i = 0; i < 4; i++)
        await store.quiz.recordAnswer(answer({ questionId: `m${i}`, itemKey: `k${i}`, correct: false, points: 0, at: NOW + i }));
      await store.quiz.recordAnswer(answer({ questionId: 'ok', itemKey: 'good', at: NOW + 9 }));
      expect(await store.daily.missedItems('slack', 'C1', NOW + 1, 2)).toEqual([
        { itemKey: 'k2', at: NOW + 2 },
        { itemKey: 'k3', at: NOW + 3 },
      ]);
    });

    it('leases: one owner at a time, renewed by its owner only, taken over once expired, released on request', async () => {
      const place = backend();
      const [a, c] = await Promise.all([place.open(), place.open()]);
      const first = await Promise.all([a.leases.acquire('round:r1', 'A', NOW, 15_000), c.leases.acquire('round:r1', 'C', NOW, 15_000)]);
      expect(first.filter(Boolean)).toHaveLength(1);
      const holder = first[0] ? 'A' : 'C';
      const other = holder === 'A' ? 'C' : 'A';
      expect(await a.leases.acquire('round:r1', holder, NOW + 1_000, 15_000)).toBe(true); // its own: re-taken
      expect(await a.leases.acquire('round:r1', other, NOW + 15_999, 15_000)).toBe(false);
      expect([...(await a.leases.renew(['round:r1', 'round:none'], holder, NOW + 10_000, 15_000))]).toEqual(['round:r1']);
      expect(await a.leases.acquire('round:r1', other, NOW + 24_999, 15_000)).toBe(false);
      expect(await c.leases.acquire('round:r1', other, NOW + 25_000, 15_000)).toBe(true);
      expect((await a.leases.renew(['round:r1'], holder, NOW + 25_001, 15_000)).size).toBe(0);
      expect(await a.leases.get('round:r1')).toMatchObject({ owner: other, expiresAt: NOW + 40_000 });
      expect((await a.leases.list('round:')).map((l) => l.name)).toEqual(['round:r1']);
      await a.leases.release('round:r1', holder); // not the holder: nothing happens
      expect(await a.leases.get('round:r1')).toBeDefined();
      expect(await a.leases.breakDead('round:r1', other)).toBe(true);
      expect(await a.leases.get('round:r1')).toBeUndefined();
    });

    it('lists running rounds nobody owns: no lease, or an expired one', async () => {
      const store = await backend().open();
      await store.quiz.createRound(round({ id: 'r1', channel: 'C1' }), []);
      await store.quiz.createRound(round({ id: 'r2', channel: 'C2' }), []);
      await store.quiz.createRound(round({ id: 'r3', channel: 'C3' }), []);
      await store.leases.acquire('round:r2', 'A', NOW, 15_000);
      await store.leases.acquire('round:r3', 'A', NOW - 20_000, 15_000);
      expect(await store.quiz.unownedRounds(NOW)).toEqual(['r1', 'r3']);
      expect((await store.quiz.runningRound('r2'))?.round.channel).toBe('C2');
      await store.quiz.endRound('r1', 'stopped', NOW, 'test', []);
      expect(await store.quiz.unownedRounds(NOW)).toEqual(['r3']);
      expect(await store.quiz.runningRound('r1')).toBeUndefined();
    });

    it('installations: saved per platform and workspace, replaced on token rotation, removed on uninstall', async () => {
      const store = await backend().open();
      await store.installations.save('slack', 'T:T1', { team: { id: 'T1' }, bot: { token: 'xoxb-1', expiresAt: 1 } }, NOW);
      await store.installations.save('slack', 'T:T1', { team: { id: 'T1' }, bot: { token: 'xoxb-2', expiresAt: 2 } }, NOW + 1);
      await store.installations.save('slack', 'E:E1', { enterprise: { id: 'E1' } }, NOW);
      expect(await store.installations.get('slack', 'T:T1')).toEqual({ team: { id: 'T1' }, bot: { token: 'xoxb-2', expiresAt: 2 } });
      expect(await store.installations.count('slack')).toBe(2);
      expect(await store.installations.remove('slack', 'T:T1')).toBe(true);
      expect(await store.installations.remove('slack', 'T:T1')).toBe(false);
      expect(await store.installations.get('slack', 'T:T1')).toBeUndefined();
    });

    it('daily: pausing a workspace pauses only its channels', async () => {
      const store = await backend().open();
      const sub = {
        platform: 'slack',
        channel: 'C1',
        workspace: 'T1',
        timeOfDay: '09:00',
        zone: 'Asia/Seoul',
        enabled: true,
        createdBy: 'U1',
        createdAt: NOW,
        updatedAt: NOW,
      };
      await store.daily.subscribe(sub);
      await store.daily.subscribe({ ...sub, channel: 'C2' });
      await store.daily.subscribe({ ...sub, channel: 'C3', workspace: 'T2' });
      expect(await store.daily.pauseWorkspace('slack', 'T1', 'app uninstalled', NOW + 1)).toBe(2);
      expect((await store.daily.activeSubscriptions()).map((s) => s.channel)).toEqual(['C3']);
    });
  });
}
