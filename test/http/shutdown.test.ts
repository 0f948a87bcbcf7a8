import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';
import type { Feature } from '../../src/tutor.js';
import type { ChatAdapter } from '../../adapters/adapter.js';
import { createShutdown, type ShutdownDeps } from '../../adapters/shutdown.js';

const msg = (text: string): IncomingMessage => ({ platform: 'test', user: { id: 'u1' }, channel: { id: 'c1' }, text });

/** A feature whose answer waits until the test lets it go: an answer in flight. */
function slowFeature(events: string[] = []) {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const feature: Feature = {
    name: 'slow',
    onText: async (m) => {
      if (m.text !== 'slow') return undefined;
      await gate;
      events.push('answered');
      return [{ kind: 'notice', code: 'slow.done', visibility: 'private', markdown: 'done' }];
    },
  };
  return { feature, release };
}

function recordingAdapter(events: string[], platform = 'fake'): ChatAdapter {
  return {
    platform,
    start: async () => {},
    post: async () => {},
    stop: async () => void events.push(`stop ${platform}`),
    ready: () => true,
  };
}

function depsFor(events: string[], overrides: Partial<ShutdownDeps> & Pick<ShutdownDeps, 'gate'>): ShutdownDeps {
  return {
    log: silentLogger,
    drain: () => void events.push('drain'),
    closeApp: async () => void events.push('closeApp'),
    adapters: () => [recordingAdapter(events)],
    closeHttp: async () => void events.push('closeHttp'),
    exit: (code) => void events.push(`exit ${code}`),
    ...overrides,
  };
}

describe('graceful shutdown', () => {
  it('given an answer in flight, finishes it before closing the features and store, then stops adapters, the server, and exits 0', async () => {
    const events: string[] = [];
    const { feature, release } = slowFeature(events);
    const app = await createApp({ log: silentLogger, features: [feature] });
    const gate = app.tutor;
    const answer = app.tutor.handle(msg('slow'));
    expect(gate.inFlight()).toBe(1);
    const done = createShutdown(depsFor(events, { gate, closeApp: async () => void events.push('closeApp') })).run('SIGTERM');
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['drain']);
    release();
    await done;
    expect((await answer)[0]).toMatchObject({ code: 'slow.done' });
    expect(events).toEqual(['drain', 'answered', 'closeApp', 'stop fake', 'closeHttp', 'exit 0']);
  });

  it('given shutdown has begun, a new message gets a polite "restarting" notice instead of starting work', async () => {
    const app = await createApp({ log: silentLogger });
    const gate = app.tutor;
    await createShutdown(depsFor([], { gate })).run('SIGTERM');
    const replies = await app.tutor.handle(msg('kubelet'));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ kind: 'notice', code: 'bot.restarting', visibility: 'private' });
    expect(gate.inFlight()).toBe(0);
  });

  it('given an adapter whose stop throws, the others still stop and the process exits 0', async () => {
    const app = await createApp({ log: silentLogger });
    const events: string[] = [];
    const broken: ChatAdapter = { ...recordingAdapter(events, 'broken'), stop: () => Promise.reject(new Error('socket gone')) };
    await createShutdown(depsFor(events, { gate: app.tutor, adapters: () => [broken, recordingAdapter(events, 'ok')] })).run('SIGTERM');
    expect(events).toEqual(['drain', 'closeApp', 'stop ok', 'closeHttp', 'exit 0']);
  });

  it('given a step that hangs, exits 1 once the budget is spent rather than hanging forever', async () => {
    const app = await createApp({ log: silentLogger });
    const events: string[] = [];
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>((r) => (exited = r));
    void createShutdown(depsFor(events, { gate: app.tutor, closeApp: () => new Promise(() => {}), exit: exited, budgetMs: 50 })).run(
      'SIGTERM',
    );
    expect(await exitCode).toBe(1);
  });

  it('given a second signal while shutting down, exits at once', async () => {
    const { feature } = slowFeature();
    const app = await createApp({ log: silentLogger, features: [feature] });
    const gate = app.tutor;
    void app.tutor.handle(msg('slow'));
    const events: string[] = [];
    const proc = new EventEmitter();
    createShutdown(depsFor(events, { gate, inFlightMs: 60_000 })).onSignals(proc as unknown as NodeJS.Process);
    proc.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['drain']);
    proc.emit('SIGINT', 'SIGINT');
    expect(events).toEqual(['drain', 'exit 130']);
  });

  it('given shutdown is asked for twice (signal and terminal closing), runs the steps once', async () => {
    const app = await createApp({ log: silentLogger });
    const events: string[] = [];
    const shutdown = createShutdown(depsFor(events, { gate: app.tutor }));
    await Promise.all([shutdown.run('SIGTERM'), shutdown.run('terminal closed')]);
    expect(events.filter((e) => e === 'closeApp')).toHaveLength(1);
  });
});
