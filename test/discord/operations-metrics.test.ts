import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';
import { Tutor, type Feature } from '../../src/tutor.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const slow: Feature = {
  name: 'slow',
  commands: {
    review: async () => {
      await sleep(300);
      return [{ kind: 'notice', visibility: 'private', markdown: '복습할 문제가 없어요. / Nothing is due.' }];
    },
  },
};

async function metric(name: string) {
  return (await registry.getMetricsAsJSON()).find((m) => m.name === name);
}

describe('discord operations metrics', () => {
  it('records how long after its creation an interaction was deferred, and the gateway ping once heartbeats flow', async () => {
    h = await startHarness({
      fake: { heartbeatInterval: 100 },
      deferAfterMs: 50,
      tutor: (app) => new Tutor({ knowledge: app.knowledge, index: app.tutor.index, log: silentLogger, features: [slow] }),
    });
    const countOf = async () =>
      Number(
        (await metric('tutor_discord_defer_seconds'))?.values.find(
          (v) => (v as { metricName?: string }).metricName === 'tutor_discord_defer_seconds_count',
        )?.value ?? 0,
      );
    const sumOf = async () =>
      Number(
        (await metric('tutor_discord_defer_seconds'))?.values.find(
          (v) => (v as { metricName?: string }).metricName === 'tutor_discord_defer_seconds_sum',
        )?.value ?? 0,
      );
    const [count0, sum0] = [await countOf(), await sumOf()];
    const { id, token } = h.fake.slash({ id: '500000000000000021', username: 'dana' }, h.general, 'review');
    await h.fake.waitFor(() => h!.fake.calls.some((c) => c.method === 'PATCH' && c.path.includes(token)));
    expect(h.fake.callbacksFor(id)[0]!.body.type).toBe(5);
    expect(await countOf()).toBe(count0 + 1);
    const seconds = (await sumOf()) - sum0;
    // Deferred after the 50 ms threshold, and long before Discord's 3 s.
    expect(seconds).toBeGreaterThanOrEqual(0.04);
    expect(seconds).toBeLessThan(3);

    await sleep(400);
    const ping = (await metric('tutor_discord_gateway_ping_seconds'))?.values[0]?.value;
    expect(ping).toBeGreaterThanOrEqual(0);
    expect(ping).toBeLessThan(1);
  });
});
