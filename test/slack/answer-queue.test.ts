import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { AnswerQueue } from '../../adapters/slack/answerQueue.js';

const turn = () => new Promise<void>((r) => setImmediate(r));

function jobs(n: number) {
  const started: number[] = [];
  const release: (() => void)[] = [];
  const make = (i: number) => () => {
    started.push(i);
    return new Promise<void>((r) => release.push(r));
  };
  return { started, release, list: Array.from({ length: n }, (_, i) => make(i)) };
}

describe('Slack answer queue', () => {
  it('in a burst starts a few answers a turn, in order, so the acks of the next requests come first', async () => {
    const q = new AnswerQueue(silentLogger, { perTurn: 2, lagMs: 200, now: () => 0 });
    const { started, list } = jobs(10);
    for (const j of list) q.push(j);
    await turn();
    expect(started).toEqual([0, 1]);
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(q.waiting).toBe(6);
  });

  it('starts every answer that has waited lagMs on the next turn, so a sustained load cannot pile answers up', async () => {
    let now = 0;
    const q = new AnswerQueue(silentLogger, { perTurn: 1, lagMs: 200, now: () => now });
    const { started, list } = jobs(8);
    for (const j of list.slice(0, 6)) q.push(j);
    now = 250;
    for (const j of list.slice(6)) q.push(j);
    await turn();
    // The six old ones, not the two that just arrived (beyond the one a turn).
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps at most `concurrency` answers in progress and starts the next when one finishes', async () => {
    const q = new AnswerQueue(silentLogger, { perTurn: 10, concurrency: 3 });
    const { started, release, list } = jobs(5);
    for (const j of list) q.push(j);
    await turn();
    expect(started).toEqual([0, 1, 2]);
    release[0]!();
    await turn();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('refuses work when full (the caller answers busy) and reports idle once everything is done', async () => {
    const q = new AnswerQueue(silentLogger, { perTurn: 1, max: 2 });
    const { release, list } = jobs(3);
    expect(q.push(list[0]!)).toBe(true);
    expect(q.push(list[1]!)).toBe(true);
    expect(q.push(list[2]!)).toBe(false);
    await turn();
    await turn();
    for (const r of release) r();
    await q.idle();
    expect(q.waiting + q.active).toBe(0);
  });

  it('logs a failed answer and carries on with the next', async () => {
    const q = new AnswerQueue(silentLogger, { perTurn: 5 });
    let ran = false;
    q.push(() => Promise.reject(new Error('boom')));
    q.push(async () => {
      ran = true;
    });
    await q.idle();
    expect(ran).toBe(true);
  });
});
