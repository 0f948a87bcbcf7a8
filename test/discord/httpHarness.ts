import { createOutbox, type ChatAdapter } from '../../adapters/adapter.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import { createHttpServer, type HttpServer } from '../../adapters/http/server.js';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';
import { startFakeDiscord, type FakeDiscord, type RestCall } from '../fakes/discord/server.js';

export interface HttpHarness {
  fake: FakeDiscord;
  app: App;
  http: HttpServer;
  adapter: DiscordAdapter;
  clock: ManualClock;
  /** Waits until the fake delivered interaction `id` over HTTP and the bot answered it through the callback. */
  answered(id: string): Promise<{ http: { status: number; body: string }; callback: RestCall }>;
  close(): Promise<void>;
}

/**
 * The real app and discord.js adapter taking interactions over HTTP at /discord/interactions on its
 * own server; the fake Discord signs each one (Ed25519) and POSTs it there. The adapter is not started.
 */
export async function startHttpHarness(options: { typedAnswers?: boolean; gateway?: boolean } = {}): Promise<HttpHarness> {
  const fake = await startFakeDiscord();
  const adapters: ChatAdapter[] = [];
  const clock = new ManualClock(Date.now());
  const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'], outbox: createOutbox(() => adapters), clock, seed: 7 });
  const http = createHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger, registry });
  const adapter = createDiscordAdapter({
    token: fake.token,
    apiUrl: fake.apiUrl,
    tutor: app.tutor,
    log: silentLogger,
    publicKey: fake.publicKeyHex,
    http,
    ...(options.typedAnswers !== undefined ? { typedAnswers: options.typedAnswers } : {}),
    ...(options.gateway !== undefined ? { gateway: options.gateway } : {}),
  });
  adapters.push(adapter);
  const address = await http.listen();
  fake.interactionsUrl = `http://127.0.0.1:${address.port}/discord/interactions`;
  return {
    fake,
    app,
    http,
    adapter,
    clock,
    async answered(id) {
      await fake.waitFor(() => fake.callbacksFor(id).length > 0 && fake.httpDeliveries.has(id));
      return { http: fake.httpDeliveries.get(id)!, callback: fake.callbacksFor(id)[0]! };
    },
    async close() {
      await adapter.stop();
      await http.close(100);
      await app.close();
      await fake.close();
    },
  };
}
