import { afterEach, describe, expect, it } from 'vitest';
import { PostRejectedError } from '../../src/errors.js';
import { harness, one, type Harness } from '../quiz/harness.js';
import { seedDueCards } from './seed.js';

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Cards due now for `user` on the test platform, as if reviewed days ago. */
const dueCards = (h: Harness, user: string, items: string[]) => seedDueCards(h.app.store, 'test', user, items, h.clock.now());

describe('your own queue from team play', () => {
  it('gives every player who answered in a round a card for the item, a miss due again within minutes', async () => {
    h = await harness({ seed: 3 });
    await h.say('host', '/quiz start 1 choice', 'room');
    const a = one(await h.say('ana', 'A', 'room'));
    const b = one(await h.say('bo', 'B', 'room'));
    for (const [user, reply] of [
      ['ana', a],
      ['bo', b],
    ] as const) {
      const [card] = await h.app.store.learning.cards('test', user);
      expect(card?.item).toMatch(/^concept:/);
      const inMinutes = card!.due - h.clock.now() <= 15 * 60_000;
      expect(inMinutes).toBe(!reply.grade!.correct);
    }
  });
});

describe('/review', () => {
  it('asks the most overdue item first, mixes kinds, and says how many remain', async () => {
    h = await harness({ seed: 5, start: Date.UTC(2026, 5, 10, 3) });
    // etcd most overdue, then kubelet, then the pod-creation drill.
    await dueCards(h, 'ana', ['concept:etcd', 'concept:kubelet', 'sequence:pod-creation'].reverse());
    const first = one(await h.say('ana', '/review'));
    expect(first.code).toBe('quiz.review.question');
    expect(first.quiz!.kind).toMatch(/recall|choice/);
    expect(first.markdown).toContain('2 more due after this one');
    expect(first.markdown).toContain('overdue by 3 days');
    await h.say('ana', 'etcd');
    // The next most overdue is kubelet (a concept), but a drill is due too: kinds are mixed.
    const second = one(await h.say('ana', '/review'));
    expect(second.quiz!.kind).toMatch(/order|next|swap|missing/);
    expect(second.markdown).toContain('1 more due after this one');
  });

  it('with nothing due says when the next is due and offers a new concept instead', async () => {
    h = await harness();
    await h.say('ana', '/quiz recall etcd');
    await h.say('ana', 'etcd');
    const r = one(await h.say('ana', '/review'));
    expect(r.code).toBe('quiz.review.notDue');
    expect(r.markdown).toMatch(/the next is due in \d+ days/);
    expect(r.markdown).toMatch(/A new concept instead\? \*\*.+\*\*: read it with `\/k8s [\w-]+`/);
    expect(r.markdown).not.toContain('/k8s etcd`');
  });
});

describe('/progress', () => {
  it('gives a learner with no history a first step, not an empty chart', async () => {
    h = await harness();
    const r = one(await h.say('new', '/진도'));
    expect(r.code).toBe('progress.empty');
    expect(r.image).toBeUndefined();
    expect(r.markdown).toMatch(/A first step: read .+ with `\/k8s /);
  });

  it('draws memory per chapter, streak, due counts and the week as a PNG whose alt text has the same figures', async () => {
    h = await harness({ start: Date.UTC(2026, 5, 10, 3) });
    await h.say('ana', '/quiz recall etcd');
    await h.say('ana', 'etcd');
    h.tick(DAY / 1000);
    await h.say('ana', '/quiz recall kubelet');
    await h.say('ana', 'no idea');
    const r = one(await h.say('ana', '/progress'));
    expect(r.kind).toBe('progress');
    const png = r.image!.data;
    expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(10_000);
    expect(r.image!.alt).toContain('Streak 2 days');
    // The miss comes back in 10 minutes; the right answer in days.
    expect(r.image!.alt).toContain('0 due now · 1 due within 7 days');
    expect(r.image!.alt).toMatch(/3장 쿠버네티스 \/ Ch 3 Kubernetes: \d+% \(2\/\d+\)/);
    expect(r.image!.alt).toMatch(/06-10 1\/0, 06-11 0\/1/);
    expect(r.markdown).toContain(r.image!.alt);
  });

  it('shows the channel’s weakest concepts for /progress team', async () => {
    h = await harness();
    for (const user of ['ana', 'bo']) {
      await h.say(user, '/quiz recall etcd', 'room');
      await h.say(user, 'kubelet', 'room');
    }
    const r = one(await h.say('ana', '/progress team', 'room'));
    expect(r.code).toBe('progress.team');
    expect(r.image!.alt).toMatch(/1\. etcd \/ etcd: 2\/2/);
  });
});

describe('review reminders', () => {
  const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 5, day, hour - 9, minute); // Asia/Seoul wall clock

  it('refuses a time or zone that does not parse, with the accepted forms', async () => {
    h = await harness();
    expect(one(await h.say('ana', '/review remind on 7pm')).markdown).toContain('/review remind on 21:00 Asia/Seoul');
    expect(one(await h.say('ana', '/복습 알림 on 20:00 Seoul')).code).toBe('review.remind.zone');
  });

  it('sends one DM a day after the chosen time when enough is due, across a restart, and none in quiet hours', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'remind-'));
    try {
      const dms = () => h!.posted.filter((p) => p.reply.code === 'review.remind');
      // The reminder timer runs on the app's clock: move it and let the tick finish.
      const move = async (to: number) => {
        h!.clock.advance(to - h!.clock.now());
        for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      };
      h = await harness({ dataDir: dir, start: at(10, 12) });
      expect(one(await h.say('ana', '/review remind on 21:30 Asia/Seoul')).code).toBe('review.remind.on');
      await dueCards(h, 'ana', ['concept:etcd', 'concept:kubelet', 'concept:pod']);
      await move(at(10, 21, 20));
      expect(dms()).toHaveLength(0); // before the chosen time
      await move(at(10, 21, 45));
      expect(dms()).toHaveLength(1);
      expect(dms()[0]!.target).toMatchObject({ platform: 'test', user: 'ana' });
      expect(dms()[0]!.reply.markdown).toContain('3 items are due');
      await move(at(10, 21, 59));
      expect(await h.app.reminders.tick()).toEqual([]);
      expect(dms()).toHaveLength(1);
      await h.close();

      // The same day after a restart: already sent.
      h = await harness({ dataDir: dir, start: at(10, 21, 50) });
      expect(await h.app.reminders.tick()).toEqual([]);
      // 22:10 the next day: past the time but in the quiet hours, which the learner did not ask for.
      await move(at(11, 22, 10));
      await move(at(11, 23, 50));
      expect(dms()).toHaveLength(0);
      // The day after, at 21:35: the next reminder.
      await move(at(12, 21, 35));
      expect(dms()).toHaveLength(1);
    } finally {
      await h?.close();
      h = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('switches itself off when the platform refuses the DM, and says so once the next time', async () => {
    h = await harness({ start: at(10, 23, 30) });
    await h.say('ana', '/review remind on 23:00');
    await dueCards(h, 'ana', ['concept:etcd', 'concept:kubelet', 'concept:pod']);
    // The outbox is the platform: make it refuse DMs for good.
    (h.app.reminders as unknown as { deps: { outbox: unknown } }).deps.outbox = async () => {
      throw new PostRejectedError('cannot_dm_bot', { permanent: true, reason: 'cannot_dm_bot' });
    };
    expect(await h.app.reminders.tick()).toEqual([{ userId: 'ana', result: 'refused' }]);
    expect((await h.app.store.learning.reminder('test', 'ana'))?.enabled).toBe(false);
    // Whatever the learner does next (here, asks for help) carries the notice first, once.
    const [told, help] = await h.say('ana', '/help');
    expect(told!.code).toBe('review.remind.refused');
    expect(help!.kind).toBe('help');
    expect((await h.say('ana', '/review')).map((r) => r.code)).toEqual(['quiz.review.question']);
    // After a restart too: the store remembers who was told.
    expect(await h.app.store.learning.untoldRefusals()).toEqual([]);
  });
});
