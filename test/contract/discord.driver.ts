import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { createOutbox, type ChatAdapter } from '../../adapters/adapter.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/adapter.js';
import { MANAGE_CHANNELS, startFakeDiscord, type FakeDiscord, type RestCall } from '../fakes/discord/server.js';
import type { Button, Driver, Seen, Where } from './driver.js';
import type { DriverOptions } from './driver.js';
import { settle } from './settle.js';
import { NOTES } from './notes.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Discord: the real discord.js client through our adapter, against the fake REST and gateway on 127.0.0.1. */
export async function discordDriver(dataDir: string, options: DriverOptions = {}): Promise<Driver> {
  const fake: FakeDiscord = await startFakeDiscord();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  const channels = fake.guilds[0]!.channels;
  const named: Record<string, string> = { channel: channels[0]!.id, other: channels[1]!.id };
  const users = new Map<string, ReturnType<FakeDiscord['user']>>();
  const who = (name: string) => {
    let u = users.get(name);
    if (!u) {
      u = fake.user(`5000000000000${String(users.size + 10).padStart(5, '0')}`, name);
      users.set(name, u);
    }
    return u;
  };
  let app: App;
  let adapter: DiscordAdapter;
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
    adapter = createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, tutor: app.tutor, log: silentLogger });
    list.push(adapter);
    await adapter.start();
  };
  await boot();

  const messageCalls = () =>
    fake.calls.filter(
      (c) =>
        c.status < 300 &&
        ((c.method === 'POST' &&
          (/\/channels\/\d+\/messages$/.test(c.path) || /\/webhooks\//.test(c.path) || /\/callback$/.test(c.path))) ||
          (c.method === 'PATCH' && /\/webhooks\//.test(c.path)) ||
          (c.method === 'PUT' && /reactions/.test(c.path))),
    );
  const count = () => messageCalls().length;

  const seenOf = (c: RestCall): Seen | undefined => {
    if (c.method === 'PUT') return { text: '📝', private: true, buttons: [] };
    const callback = /\/callback$/.test(c.path);
    if (callback && ![4, 7].includes(c.body?.type)) return undefined;
    const body = callback ? c.body.data : c.body;
    const channel = /\/channels\/(\d+)\/messages$/.exec(c.path)?.[1];
    const thread = channel && fake.threads.some((t) => t.id === channel) ? channel : undefined;
    const text = [
      body.content ?? '',
      ...(body.embeds ?? []).flatMap((e: any) => [
        e.title ?? '',
        e.description ?? '',
        ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]),
        e.footer?.text ?? '',
      ]),
    ].join('\n');
    const where = channel ?? (callback ? undefined : undefined);
    const buttons: Button[] = (body.components ?? [])
      .flatMap((r: any) => r.components ?? [])
      .filter((b: any) => b.type === 2 && b.custom_id)
      .map((b: any) => ({
        label: b.label ?? '',
        id: b.custom_id,
        disabled: Boolean(b.disabled),
        press: (user: string) => click(user, { ...body, id: '1', channel_id: where ?? named.channel }, b.custom_id),
      }));
    return { text, private: Boolean((body.flags ?? 0) & 64) || (callback && c.body.type === 7), buttons, ...(thread ? { thread } : {}) };
  };

  const observe = async (act: () => unknown): Promise<Seen[]> => {
    const before = count();
    act();
    await settle(count, before);
    return messageCalls()
      .slice(before)
      .map(seenOf)
      .filter((s): s is Seen => s !== undefined);
  };

  const click = (user: string, message: any, customId: string) => observe(() => fake.click(who(user), message, customId));
  const channelOf = (w: Where = {}) => w.thread ?? named[w.channel ?? 'channel'] ?? w.channel!;

  /** The one command language, as Discord's slash commands and options. */
  const slash = (text: string): { name: string; sub?: string; options: Record<string, string | number> } => {
    const [head = '', ...rest] = text.trim().split(/\s+/);
    if (head === 'k8s') return { name: 'k8s', options: { query: rest.join(' ') } };
    if (head === 'quiz') {
      const [sub = '', ...args] = rest;
      if (sub === 'start') {
        const n = args.find((a) => /^\d+$/.test(a));
        const kind = args.find((a) => !/^\d+$/.test(a));
        return { name: 'quiz', sub: 'start', options: { ...(n ? { questions: Number(n) } : {}), ...(kind ? { kind } : {}) } };
      }
      if (sub === 'stop' || sub === 'hint') return { name: 'quiz', sub, options: {} };
      return { name: 'quiz', sub: 'solo', options: sub ? { kind: sub } : {} };
    }
    return { name: head, options: {} };
  };

  const driver: Driver = {
    platform: 'discord',
    buttons: true,
    threads: true,
    app: () => app,
    clock,
    command: (user, text, where = {}) => {
      const s = slash(text);
      return observe(() =>
        where.direct
          ? fake.dmSlash(who(user), '400000000000000099', s.name, s.options, s.sub)
          : fake.slash(who(user), channelOf(where), s.name, s.options, s.sub, where.manager ? MANAGE_CHANNELS : undefined),
      );
    },
    type: (user, text, where, addressed = false) =>
      observe(() => fake.say(who(user), channelOf(where), addressed ? `<@${fake.bot.id}> ${text}` : text)),
    roundThread: () => fake.threads.at(-1)?.id,
    forge: (user, kind, value, on) => {
      const sample = on?.buttons.find((b) => /^(ans|ord):/.test(b.id))?.id;
      const key = sample?.split(':')[1] ?? 'zzzz';
      const message = { id: '1', channel_id: named.channel, content: 'old', components: [] };
      if (kind === 'run') return click(user, message, `cmd:${value}`.slice(0, 100));
      if (kind === 'answer') return click(user, message, `ans:${key}:${/^\d+$/.test(value) ? value : '99'}`);
      return click(user, message, `ord:${key}:submit`);
    },
    // allowed_mentions is empty on every post (checked elsewhere); this asks whether the text would ping without it.
    pings: (text) => /(^|[^\u200b])@(everyone|here)|<@!?\d+>|<@&\d+>/.test(text),
    restart: async () => {
      await adapter.stop();
      await app.close();
      await boot();
    },
    problems: () => [...fake.specViolations, ...fake.calls.filter((c) => c.status >= 400).map((c) => `${c.method} ${c.path} ${c.status}`)],
    close: async () => {
      await adapter.stop();
      await app.close();
      await fake.close();
    },
  };
  return driver;
}
