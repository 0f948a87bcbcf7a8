import { describe, expect, it } from 'vitest';
import { OutboundQueues } from '../../adapters/outbound.js';
import { TutorError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';

async function sample(name: string): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return Number(m?.values.find((v) => v.labels.platform === 'test')?.value ?? 0);
}

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('429');
  }
}

function queues(opts: Partial<ConstructorParameters<typeof OutboundQueues>[0]> = {}) {
  const slept: number[] = [];
  const q = new OutboundQueues({
    platform: 'test',
    log: silentLogger,
    maxPerChannel: 3,
    retryAfterOf: (err) => (err instanceof RateLimited ? err.waitMs : undefined),
    sleep: async (ms) => void slept.push(ms),
    ...opts,
  });
  return { q, slept };
}

/** A job that stays in flight until released. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, job: () => opened.then(() => 'sent') };
}

describe('per-channel outbound queues', () => {
  it('refuses the newest post with outbound.full once a channel has its maximum waiting, and keeps the rest', async () => {
    const { q } = queues();
    const g = gate();
    const first = q.run('C1', g.job); // in flight, not waiting
    const waiting = [1, 2, 3].map((n) => q.run('C1', async () => n));
    expect(q.depth).toBe(3);
    expect(await sample('tutor_outbound_queue_depth')).toBe(3);
    const dropped = await sample('tutor_outbound_dropped_total');
    const refused = q.run('C1', async () => 4);
    await expect(refused).rejects.toMatchObject({ code: 'outbound.full' });
    await expect(refused).rejects.toThrow(/OUTBOUND_QUEUE_MAX/);
    expect(await sample('tutor_outbound_dropped_total')).toBe(dropped + 1);
    // Another channel is not affected by C1 being full.
    await expect(q.run('C2', async () => 'other')).resolves.toBe('other');
    g.open();
    await expect(first).resolves.toBe('sent');
    await expect(Promise.all(waiting)).resolves.toEqual([1, 2, 3]);
    expect(await sample('tutor_outbound_queue_depth')).toBe(0);
  });

  it('bounds how many channels may have posts waiting', async () => {
    const { q } = queues({ maxChannels: 2 });
    const g = gate();
    const a = q.run('A', g.job);
    const b = q.run('B', g.job);
    await expect(q.run('C', async () => 'c')).rejects.toBeInstanceOf(TutorError);
    g.open();
    await Promise.all([a, b]);
    await q.idle();
    // Lanes are dropped when they empty, so the table frees up.
    expect(q.channels).toBe(0);
    await expect(q.run('C', async () => 'c')).resolves.toBe('c');
  });

  it('waits out a rate limit for as long as the platform asked, then tries the same post again', async () => {
    const { q, slept } = queues();
    let calls = 0;
    const result = await q.run('C1', async () => {
      calls += 1;
      if (calls < 3) throw new RateLimited(1_500);
      return 'finally';
    });
    expect(result).toBe('finally');
    expect(slept).toEqual([1_500, 1_500]);
  });

  it('gives a post up after its retries, or at once for a wait longer than it may stall the channel', async () => {
    const { q, slept } = queues({ retries: 2, maxWaitMs: 10_000 });
    await expect(q.run('C1', () => Promise.reject(new RateLimited(100)))).rejects.toBeInstanceOf(RateLimited);
    expect(slept).toEqual([100, 100]);
    await expect(q.run('C1', () => Promise.reject(new RateLimited(3_600_000)))).rejects.toBeInstanceOf(RateLimited);
    expect(slept).toHaveLength(2);
  });

  it('hands any other failure straight back, without retrying, and goes on with the next post', async () => {
    const { q, slept } = queues();
    let calls = 0;
    const failing = q.run('C1', async () => {
      calls += 1;
      throw new Error('channel_not_found');
    });
    const next = q.run('C1', async () => 'next');
    await expect(failing).rejects.toThrow('channel_not_found');
    await expect(next).resolves.toBe('next');
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });
});
