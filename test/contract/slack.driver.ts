import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { createOutbox } from '../../adapters/adapter.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/adapter.js';
import { blockActions, eventCallback, sendToApp, slashCommand } from '../fakes/slack/payloads.js';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack/webApi.js';
import { CHANNEL, type Button, type Driver, type Seen, type Where } from './driver.js';
import type { DriverOptions } from './driver.js';
import { settle } from './settle.js';
import { NOTES } from './notes.js';

const SECRET = 'contract-signing-secret-0123456789';
type Block = {
  type: string;
  text?: { text: string };
  elements?: { type: string; text?: { text: string } | string; action_id?: string; value?: string }[];
};

/** Slack: the real Bolt app (HTTP mode, signed requests) against the fake Web API on 127.0.0.1. */
export async function slackDriver(dataDir: string, options: DriverOptions = {}): Promise<Driver> {
  const api = await new FakeSlackApi({ users: { UBOSS: { is_admin: true } } }).start();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  let app: App;
  let adapter: SlackAdapter;
  let url = '';
  let ts = 1_767_600_000;
  const nextTs = () => `${++ts}.000100`;

  const boot = async () => {
    const holder: { a?: SlackAdapter } = {};
    app = await createApp({
      log: silentLogger,
      clock,
      seed: 11,
      dataDir,
      notesPaths: NOTES,
      admit: options.admit,
      ...(options.limits ? { limits: options.limits } : {}),
      outbox: createOutbox(() => (holder.a ? [holder.a] : [])),
    });
    adapter = createSlackAdapter({
      tutor: app.tutor,
      log: silentLogger,
      slack: { botToken: api.opts.botToken, appToken: undefined, signingSecret: SECRET, apiUrl: api.apiUrl, adminUsers: [] },
      port: 0,
      host: '127.0.0.1',
      clock,
    });
    holder.a = adapter;
    await adapter.start();
    url = `http://127.0.0.1:${adapter.address()!.port}/slack/events`;
  };
  await boot();

  const channelOf = (w: Where = {}) => (w.direct ? 'D0DM' : (w.channel ?? CHANNEL));
  const output = () =>
    api.calls.filter(
      (c) => c.status === 200 && !c.args._error && ['chat.postMessage', 'chat.postEphemeral', 'response_url'].includes(c.method),
    );

  const seenOf = (c: RecordedCall, viewer: string): Seen => {
    const args = c.args;
    const blocks = (args.blocks as Block[] | undefined) ?? [];
    // Slack shows the blocks; the top-level text is only the notification when blocks are present.
    const texts = blocks.length ? [] : [typeof args.text === 'string' ? args.text : ''];
    for (const b of blocks) {
      if (b.text) texts.push(b.text.text);
      for (const e of b.elements ?? []) texts.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
    }
    const isPrivate = c.method === 'chat.postEphemeral' || (c.method === 'response_url' && args.response_type !== 'in_channel');
    const channel = String(args.channel ?? CHANNEL);
    const thread = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    const message =
      c.method === 'chat.postMessage'
        ? api.messages.find((m) => m.channel === channel && m.text === args.text && m.thread_ts === thread)
        : undefined;
    const buttons: Button[] = blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((e) => ({
        label: typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
        id: e.action_id ?? '',
        value: e.value,
        press: (user: string) =>
          press(user, e.action_id ?? '', e.value ?? '', {
            channel,
            ephemeral: isPrivate,
            ...(message ? { message: { ts: message.ts, ...(thread ? { thread_ts: thread } : {}) } } : {}),
          }),
      }));
    void viewer;
    return { text: texts.join('\n'), private: isPrivate, buttons, ...(thread ? { thread } : {}) };
  };

  /** Runs `act`, waits until the bot has said what it will, and returns what `user` sees of it. */
  const observe = async (user: string, act: () => Promise<unknown>): Promise<Seen[]> => {
    const before = output().length;
    await act();
    await settle(() => output().length, before);
    return output()
      .slice(before)
      .filter((c) => c.method !== 'chat.postEphemeral' || c.args.user === user)
      .map((c) => seenOf(c, user));
  };

  const press = (
    user: string,
    actionId: string,
    value: string,
    at: { channel: string; ephemeral: boolean; message?: { ts: string; thread_ts?: string } },
  ) =>
    observe(user, () =>
      sendToApp(
        url,
        'interaction',
        blockActions({
          actionId,
          value,
          responseUrl: api.responseUrl(),
          channel: at.channel,
          user,
          ephemeral: at.ephemeral,
          ...(at.message ? { message: at.message } : {}),
        }),
        { secret: SECRET },
      ),
    );

  const driver: Driver = {
    platform: 'slack',
    buttons: true,
    threads: true,
    app: () => app,
    clock,
    command: (user, text, where = {}) =>
      observe(user, () =>
        sendToApp(
          url,
          'command',
          slashCommand(text.replace(/^k8s\s+/, ''), api.responseUrl(), {
            user_id: where.manager ? 'UBOSS' : user,
            user_name: user,
            channel_id: channelOf(where),
            channel_name: where.direct ? 'directmessage' : 'general',
          }),
          { secret: SECRET },
        ),
      ),
    type: (user, text, where, addressed = false) =>
      observe(user, () => {
        const channel = channelOf(where);
        const event =
          addressed && !where.direct
            ? {
                type: 'app_mention',
                user,
                text: `<@UBOT> ${text}`,
                ts: nextTs(),
                channel,
                ...(where.thread ? { thread_ts: where.thread } : {}),
              }
            : {
                type: 'message',
                channel_type: where.direct ? 'im' : 'channel',
                user,
                text: addressed ? `<@UBOT> ${text}` : text,
                ts: nextTs(),
                channel,
                ...(where.thread ? { thread_ts: where.thread } : {}),
              };
        return sendToApp(url, 'event', eventCallback(event), { secret: SECRET });
      }),
    roundThread: () =>
      [...api.calls].reverse().find((c) => c.method === 'chat.postMessage' && c.status === 200 && typeof c.args.thread_ts === 'string')
        ?.args.thread_ts as string | undefined,
    forge: (user, kind, value, on) => {
      const sample = on?.buttons.find((b) => b.value?.startsWith('{'))?.value;
      const q = sample ? (JSON.parse(sample) as { q?: string }).q : 'q1-1';
      if (kind === 'run')
        return press(user, 'concept.quiz.0', JSON.stringify({ c: 'etcd', cmd: value }), { channel: CHANNEL, ephemeral: false });
      if (kind === 'answer') return press(user, 'quiz.answer.0', JSON.stringify({ q, a: value }), { channel: CHANNEL, ephemeral: false });
      return press(user, 'drill.submit', JSON.stringify({ q, p: value.split(' ') }), { channel: CHANNEL, ephemeral: true });
    },
    pings: (text) => /<!(channel|here|everyone)(\|[^>]*)?>|<@[UW][A-Z0-9]+>|<!subteam/.test(text),
    restart: async () => {
      await adapter.stop();
      await app.close();
      await boot();
    },
    // The fake answers what breaks Block Kit's documented limits (50 blocks, 3000 a section, 75 a button…) with invalid_blocks, as Slack does.
    problems: () =>
      api.calls
        .filter((c) => c.method !== 'conversations.join' && (c.status !== 200 || c.args._error))
        .map((c) => `${c.method} ${c.status} ${String(c.args._error ?? '')}`),
    close: async () => {
      await adapter.stop();
      await app.close();
      await api.stop();
    },
  };
  return driver;
}
