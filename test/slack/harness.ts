import { createApp, type App as TutorApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { LimitSettings } from '../../src/conversation/limits.js';
import type { Outbox } from '../../src/tutor.js';
import { createOutbox } from '../../adapters/adapter.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Feature } from '../../src/tutor.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { FakeSocketMode } from '../fakes/slack/socketMode.js';
import { FakeSlackApi, type FakeSlackOptions } from '../fakes/slack/webApi.js';
import { sendToApp, slashCommand, type SendOptions } from '../fakes/slack/payloads.js';

export const SECRET = 'test-signing-secret-0123456789';

export interface Harness {
  api: FakeSlackApi;
  socket?: FakeSocketMode;
  adapter: SlackAdapter;
  tutor: TutorApp;
  clock: ManualClock;
  /** `http://127.0.0.1:{port}/slack/events` in HTTP mode. */
  url: string;
  /** Sends a signed `/k8s {text}` and returns the HTTP result and its response_url. */
  command(
    text: string,
    over?: Record<string, string>,
    opts?: Partial<SendOptions>,
  ): Promise<{ status: number; ms: number; responseUrl: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  mode?: 'http' | 'socket';
  /** Features given the outbox and the manual clock, as createApp's caller would. */
  features?: (outbox: Outbox, clock: ManualClock) => Feature[];
  api?: FakeSlackOptions;
  adminUsers?: string[];
  log?: Logger;
  /** Extra notes beside the shipped knowledge folder. */
  notes?: string[];
  /** Fair limits for the app (createApp's defaults when unset). */
  limits?: LimitSettings | false;
}

/** The real tutor and the real Bolt app, against the fake Slack on 127.0.0.1. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const api = await new FakeSlackApi(options.api).start();
  const socket = options.mode === 'socket' ? await new FakeSocketMode(api).start() : undefined;
  const clock = new ManualClock(Date.now());
  const started: { adapter?: SlackAdapter } = {};
  const outbox = createOutbox(() => (started.adapter ? [started.adapter] : []));
  const tutor = await createApp({
    notesPaths: ['knowledge', ...(options.notes ?? [])],
    log: silentLogger,
    clock,
    outbox,
    features: options.features?.(outbox, clock) ?? [],
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  const adapter = createSlackAdapter({
    tutor: tutor.tutor,
    log: options.log ?? silentLogger,
    slack: {
      botToken: api.opts.botToken,
      appToken: socket ? api.opts.appToken : undefined,
      signingSecret: socket ? undefined : SECRET,
      apiUrl: api.apiUrl,
      adminUsers: options.adminUsers ?? [],
    },
    port: 0,
    host: '127.0.0.1',
  });
  started.adapter = adapter;
  await adapter.start();
  const url = socket ? '' : `http://127.0.0.1:${adapter.address()!.port}/slack/events`;
  return {
    api,
    ...(socket ? { socket } : {}),
    adapter,
    tutor,
    clock,
    url,
    async command(text, over = {}, opts = {}) {
      const responseUrl = api.responseUrl();
      const res = await sendToApp(url, 'command', slashCommand(text, responseUrl, over), { secret: SECRET, ...opts });
      return { status: res.status, ms: res.ms, responseUrl };
    },
    async close() {
      await adapter.stop();
      await tutor.close();
      await socket?.stop();
      await api.stop();
    },
  };
}

/** The posts a response_url received, in order. */
export function responses(api: FakeSlackApi, responseUrl: string) {
  const id = responseUrl.split('/').pop();
  return api.callsOf('response_url').filter((c) => c.args._url === id && c.status === 200);
}

export type AnyBlock = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: { type: string; text: { type: string; text: string } | string; action_id?: string; value?: string; style?: string }[];
};

export function blocksOf(args: Record<string, unknown>): AnyBlock[] {
  return (args.blocks as AnyBlock[] | undefined) ?? [];
}

/** Every text a message would show, blocks and fallback, for "never appears anywhere" checks. */
export function allText(args: Record<string, unknown>): string {
  const parts: string[] = [typeof args.text === 'string' ? args.text : ''];
  for (const b of blocksOf(args)) {
    if (b.text) parts.push(b.text.text);
    for (const e of b.elements ?? []) parts.push(typeof e.text === 'string' ? e.text : e.text.text);
  }
  return parts.join('\n');
}
