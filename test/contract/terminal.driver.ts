import { PassThrough } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { createOutbox, type ChatAdapter } from '../../adapters/adapter.js';
import { createTerminalAdapter } from '../../adapters/terminal/adapter.js';
import type { Driver, Seen } from './driver.js';
import type { DriverOptions } from './driver.js';
import { settle } from './settle.js';
import { NOTES } from './notes.js';

/**
 * The terminal: the real terminal adapter over piped streams. One person, one channel, no threads
 * and no buttons, so a round runs in the chat itself and a button's answer is typed.
 */
export async function terminalDriver(dataDir: string, options: DriverOptions = {}): Promise<Driver> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  let app: App;
  let input: PassThrough;
  let adapter: ChatAdapter & { done: Promise<void> };
  let replies: string[] = [];
  const boot = async () => {
    const list: ChatAdapter[] = [];
    app = await createApp({
      log: silentLogger,
      clock,
      seed: 11,
      dataDir,
      notesPaths: NOTES,
      admit: options.admit,
      ...(options.limits ? { limits: options.limits } : {}),
      outbox: createOutbox(() => list),
    });
    input = new PassThrough();
    const output = new PassThrough();
    // Each reply is one write (flowing mode hands each write over as its own chunk).
    output.on('data', (chunk: Buffer) => replies.push(chunk.toString('utf8')));
    adapter = createTerminalAdapter({ tutor: app.tutor, log: silentLogger, input, output, user: 'me' });
    list.push(adapter);
    await adapter.start();
  };
  await boot();

  const observe = async (line: string): Promise<Seen[]> => {
    const before = replies.length;
    input.write(`${line}\n`);
    await settle(() => replies.length, before);
    return replies.slice(before).map((text) => ({ text, private: false, buttons: [] }));
  };

  return {
    platform: 'terminal',
    buttons: false,
    threads: false,
    app: () => app,
    clock,
    command: (_user, text) => observe(`/${text}`),
    type: (_user, text) => observe(text),
    roundThread: () => undefined,
    forge: async () => [],
    pings: () => false,
    restart: async () => {
      input.end();
      await adapter.stop();
      await app.close();
      replies = [];
      await boot();
    },
    problems: () => [],
    close: async () => {
      input.end();
      await adapter.stop();
      await app.close();
    },
  };
}
