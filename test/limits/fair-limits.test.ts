import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { LimitSettings } from '../../src/conversation/limits.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function tutorWith(limits: LimitSettings) {
  app = await createApp({ log: silentLogger, limits });
  const tutor = app.tutor;
  let n = 0;
  // Through the conversation layer's one entry point, as every adapter sends its events.
  return async (user: string, channel = 'C1', platform = 'slack', text = '/k8s etcd') => {
    n += 1;
    const outcome = await tutor.receive({
      conversation: { platform, workspace: 'T1', channel },
      actor: { id: user },
      id: `ev-${n}`,
      input: { type: 'command', command: text },
    });
    return outcome.replies;
  };
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values ?? []).find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return Number(v?.value ?? 0);
}

describe('fair limits', () => {
  it('answers a person up to the limit, then sends one bilingual notice, then stays silent', async () => {
    const say = await tutorWith({ userEvents: 3, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 });
    for (let i = 0; i < 3; i++) expect((await say('U1'))[0]!.kind).toBe('card');
    const notice = await say('U1');
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ kind: 'notice', code: 'limit.user', visibility: 'private' });
    // Korean first, English beside, and when to come back.
    expect(notice[0]!.markdown).toMatch(/^[^\n]*[가-힣][^\n]*\d+초[^\n]*\n[^\n]*try again in \d+ s/);
    expect(await say('U1')).toEqual([]);
    expect(await say('U1')).toEqual([]);
  });

  it('limits one noisy person without slowing anyone else in the channel', async () => {
    const say = await tutorWith({ userEvents: 2, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 });
    for (let i = 0; i < 5; i++) await say('NOISY');
    expect((await say('QUIET'))[0]!.kind).toBe('card');
    expect((await say('QUIET'))[0]!.kind).toBe('card');
  });

  it('keeps the same user id on two platforms apart', async () => {
    const say = await tutorWith({ userEvents: 1, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 });
    expect((await say('U1', 'C1', 'slack'))[0]!.kind).toBe('card');
    expect((await say('U1', 'C1', 'discord'))[0]!.kind).toBe('card');
    expect((await say('U1', 'C1', 'slack'))[0]!.code).toBe('limit.user');
  });

  it('limits a channel as a whole, telling each person in it once', async () => {
    const say = await tutorWith({ userEvents: 0, userWindowSeconds: 60, channelEvents: 4, channelWindowSeconds: 60 });
    for (const u of ['A', 'B', 'C', 'D']) expect((await say(u, 'BUSY'))[0]!.kind).toBe('card');
    expect((await say('A', 'BUSY'))[0]!.code).toBe('limit.channel');
    expect((await say('B', 'BUSY'))[0]!.code).toBe('limit.channel');
    expect(await say('A', 'BUSY')).toEqual([]);
    // Another channel has its own bucket.
    expect((await say('A', 'CALM'))[0]!.kind).toBe('card');
  });

  it('answers again once the window has refilled', async () => {
    const say = await tutorWith({ userEvents: 1, userWindowSeconds: 1, channelEvents: 0, channelWindowSeconds: 60 });
    expect((await say('U1'))[0]!.kind).toBe('card');
    expect((await say('U1'))[0]!.code).toBe('limit.user');
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await say('U1'))[0]!.kind).toBe('card');
  });

  it('never limits the person at a terminal, who owns the process', async () => {
    const say = await tutorWith({ userEvents: 1, userWindowSeconds: 60, channelEvents: 1, channelWindowSeconds: 60 });
    for (let i = 0; i < 5; i++) expect((await say('me', 'term', 'terminal'))[0]!.kind).toBe('card');
  });

  it('counts limited events and limited people for Prometheus', async () => {
    const say = await tutorWith({ userEvents: 1, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 });
    const events = await metricValue('tutor_rate_limited_events_total', { platform: 'discord', scope: 'user' });
    const users = await metricValue('tutor_rate_limited_users_total', { platform: 'discord', scope: 'user' });
    for (let i = 0; i < 4; i++) await say('M1', 'C9', 'discord');
    expect(await metricValue('tutor_rate_limited_events_total', { platform: 'discord', scope: 'user' })).toBe(events + 3);
    expect(await metricValue('tutor_rate_limited_users_total', { platform: 'discord', scope: 'user' })).toBe(users + 1);
  });
});

describe('fair limit settings', () => {
  it('has defaults, and each can be changed through the environment', () => {
    expect(loadConfig({}).limits).toEqual({ userEvents: 30, userWindowSeconds: 60, channelEvents: 300, channelWindowSeconds: 60 });
    expect(loadConfig({}).outboundQueueMax).toBe(50);
    expect(loadConfig({}).metricsPort).toBe(9464);
    const c = loadConfig({
      LIMIT_USER_EVENTS: '5',
      LIMIT_USER_WINDOW_SECONDS: '10',
      LIMIT_CHANNEL_EVENTS: '0',
      LIMIT_CHANNEL_WINDOW_SECONDS: '30',
      OUTBOUND_QUEUE_MAX: '7',
      METRICS_PORT: '9100',
    });
    expect(c.limits).toEqual({ userEvents: 5, userWindowSeconds: 10, channelEvents: 0, channelWindowSeconds: 30 });
    expect(c.outboundQueueMax).toBe(7);
    expect(c.metricsPort).toBe(9100);
  });

  it.each([
    ['LIMIT_USER_EVENTS', 'lots'],
    ['LIMIT_USER_WINDOW_SECONDS', '0'],
    ['LIMIT_CHANNEL_EVENTS', '-1'],
    ['LIMIT_CHANNEL_WINDOW_SECONDS', '1.5'],
    ['OUTBOUND_QUEUE_MAX', '0'],
    ['METRICS_PORT', '70000'],
  ])('rejects %s=%s naming the variable and the fix', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}[^\\n]*Fix: set ${name}=`));
  });

  it('refuses a METRICS_PORT equal to PORT, so an ingress for PORT cannot publish /metrics', () => {
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT must differ from PORT/);
  });
});
