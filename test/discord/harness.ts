import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { LimitSettings } from '../../src/conversation/limits.js';
import { Conversation } from '../../src/conversation/conversation.js';
import { silentLogger } from '../../src/logger.js';
import type { Feature, Tutor } from '../../src/tutor.js';
import { createOutbox, type ChatAdapter } from '../../adapters/adapter.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/discord/server.js';

export interface Harness {
  fake: FakeDiscord;
  app: App;
  clock: ManualClock;
  adapter: DiscordAdapter;
  general: string;
  quizChannel: string;
  close(): Promise<void>;
}

/** The real discord.js client, through our adapter, against the fake Discord on 127.0.0.1. */
export async function startHarness(
  opts: {
    features?: (outbox: ReturnType<typeof createOutbox>, clock: ManualClock) => Feature[];
    fake?: FakeDiscordOptions;
    deferAfterMs?: number;
    tutor?: (app: App) => Tutor;
    seed?: number;
    limits?: LimitSettings | false;
  } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(opts.fake);
  const adapters: ChatAdapter[] = [];
  const outbox = createOutbox(() => adapters);
  const clock = new ManualClock(Date.now());
  const app = await createApp({
    log: silentLogger,
    notesPaths: ['knowledge'],
    outbox,
    clock,
    seed: opts.seed ?? 7,
    features: opts.features?.(outbox, clock) ?? [],
    ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
  });
  const custom = opts.tutor?.(app);
  // A tutor made by the test (its own features) gets the same conversation layer the app's has.
  if (custom) custom.conversation = new Conversation({ tutor: custom, store: app.store, clock, log: silentLogger });
  const adapter = createDiscordAdapter({
    token: fake.token,
    apiUrl: fake.apiUrl,
    tutor: custom ?? app.tutor,
    log: silentLogger,
    ...(opts.deferAfterMs ? { deferAfterMs: opts.deferAfterMs } : {}),
  });
  adapters.push(adapter);
  await adapter.start();
  const channels = fake.guilds[0]!.channels;
  return {
    fake,
    app,
    clock,
    adapter,
    general: channels[0]!.id,
    quizChannel: channels[1]!.id,
    async close() {
      await adapter.stop();
      await app.close();
      await fake.close();
    },
  };
}
