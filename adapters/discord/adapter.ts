import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Options, Partials, PermissionFlagsBits, Routes, Status, type Message } from 'discord.js';
import { TutorError } from '../../src/errors.js';
import { withCorrelation, type Logger } from '../../src/logger.js';
import { metrics, watchGatewayPing } from '../../src/metrics.js';
import type { PostTarget, Reply } from '../../src/reply.js';
import type { Tutor } from '../../src/tutor.js';
import type { ChatAdapter } from '../adapter.js';
import { Autocomplete } from './autocomplete.js';
import type { HttpServer } from '../http/server.js';
import { discordInteractionsRoute } from './http.js';
import { discordPublicKey } from './httpVerify.js';
import { handleInteraction, rawChannels, type InteractionContext, type RawChannel } from './interactions.js';
import { toPostError } from './postError.js';
import { Sender } from './send.js';

export interface DiscordConfig {
  token: string;
  /** REST base URL (a proxy, or the fake server in tests); discord.js's default otherwise. */
  apiUrl?: string | undefined;
  tutor: Tutor;
  log: Logger;
  /** discord.js queues requests above this many a second (its default is 50, Discord's global limit). */
  globalRequestsPerSecond?: number;
  deferAfterMs?: number;
  /** Posts that may wait per channel (OUTBOUND_QUEUE_MAX). */
  outboundQueueMax?: number;
  /** DISCORD_PUBLIC_KEY: take interactions over HTTP at /discord/interactions on `http` as well. */
  publicKey?: string | undefined;
  http?: Pick<HttpServer, 'route'> | undefined;
  /** Read answers typed in round threads: the privileged Message Content intent. Default on. */
  typedAnswers?: boolean | undefined;
  /** 'auto' or this replica's shard ids, with the total count (DISCORD_SHARDS, DISCORD_SHARD_COUNT). */
  shards?: 'auto' | number[] | undefined;
  shardCount?: number | undefined;
  /**
   * Log in to the gateway (default on). Off (DISCORD_GATEWAY=off, with `publicKey` and typed answers
   * off): interactions come only over HTTP and everything the bot sends goes over REST; no socket,
   * no guild cache, no DMs read.
   */
  gateway?: boolean | undefined;
}

/** Typed text that reaches the core: enough for any answer, far below what could slow it down. */
const MAX_TYPED = 4000;

export type DiscordAdapter = ChatAdapter & { readonly client: Client };

export function createDiscordAdapter(config: DiscordConfig): DiscordAdapter {
  const log = config.log;
  const typed = config.typedAnswers !== false;
  const gateway = config.gateway !== false;
  if (!gateway && !(config.publicKey && config.http)) {
    throw new TutorError(
      'config.invalid',
      'Without the gateway, interactions can only come over HTTP. Fix: set DISCORD_PUBLIC_KEY, or unset DISCORD_GATEWAY.',
    );
  }
  if (!gateway && typed) {
    throw new TutorError(
      'config.invalid',
      'Typed answers arrive only on the gateway. Fix: set DISCORD_TYPED_ANSWERS=off with DISCORD_GATEWAY=off, or unset DISCORD_GATEWAY.',
    );
  }
  /** Gateway off: true once the HTTP route is mounted and REST accepted the token. */
  let restReady = false;
  const client = new Client({
    // Guilds: slash commands, buttons and threads. GuildMessages + MessageContent (privileged):
    // only to read answers typed in a round's thread, so only when typed answers are on; otherwise
    // answers come by buttons and the answer box, as interactions.
    // DirectMessages is not privileged, and Discord gives a DM's content without MessageContent: a
    // learner can paste output (or ask) in a DM either way. DM channels are not cached, hence the partial.
    intents: typed
      ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages]
      : [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    ...(config.shards !== undefined ? { shards: config.shards } : {}),
    ...(config.shardCount !== undefined ? { shardCount: config.shardCount } : {}),
    // A bounded cache: no messages (answers are read from the event itself), no presences or
    // reactions, a few members and users; guilds and channels stay (discord.js needs them).
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
      StageInstanceManager: 0,
      ThreadMemberManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (m) => m.id === m.client.user.id },
      UserManager: { maxSize: 1_000, keepOverLimit: (u) => u.id === u.client.user.id },
    }),
    allowedMentions: { parse: [], repliedUser: false },
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}),
      ...(config.globalRequestsPerSecond ? { globalRequestsPerSecond: config.globalRequestsPerSecond } : {}),
    },
  });
  // REST works without the gateway: posts the quiz engine makes while recovering rounds at start-up,
  // or while the socket reconnects, go out at once.
  client.rest.setToken(config.token);
  const sender = new Sender(
    client.rest,
    log,
    (roundId, thread) => config.tutor.conversation?.threadOpened(roundId, thread) ?? Promise.resolve(),
    config.outboundQueueMax,
  );
  // discord.js retries a 429 itself (per route bucket); this counts them, and the retry it makes.
  client.rest.on('response', (_request, response) => {
    if (response.status !== 429) return;
    metrics.rateLimited429.inc({ platform: 'discord' });
    metrics.retries.inc({ platform: 'discord', reason: 'rate_limited' });
  });
  watchGatewayPing(() => (client.ws.ping >= 0 ? client.ws.ping / 1000 : -1));
  const ctx: InteractionContext = {
    tutor: config.tutor,
    log,
    sender,
    autocomplete: new Autocomplete(config.tutor),
    deferAfterMs: config.deferAfterMs ?? 1500,
  };
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  /**
   * A typed message, for the core to judge: lines in threads (a round's answers, or chatter the core
   * ignores) and lines that mention the bot. Anything else in a server cannot be meant for it.
   */
  async function onMessage(m: Message): Promise<void> {
    if (m.author.bot) return;
    if (!m.inGuild()) return onDirectMessage(m);
    const inThread = m.channel.isThread();
    const mentioned = client.user ? m.mentions.users.has(client.user.id) : false;
    if (!inThread && !mentioned) return;
    const channel = inThread ? (m.channel.parentId ?? m.channelId) : m.channelId;
    const thread = inThread ? m.channelId : undefined;
    const text = (client.user ? m.content.replaceAll(`<@${client.user.id}>`, ' ') : m.content).trim().slice(0, MAX_TYPED);
    const outcome = await config.tutor.receive({
      conversation: { platform: 'discord', workspace: m.guildId, channel, ...(thread ? { thread } : {}) },
      actor: {
        id: m.author.id,
        name: m.member?.displayName ?? m.author.globalName ?? m.author.username,
        manager: Boolean(m.member?.permissions.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels])),
      },
      id: m.id,
      input: { type: 'line', text, addressed: mentioned },
      raw: m,
    });
    const where = { channel: outcome.where?.channel ?? channel, thread: outcome.where?.thread ?? thread, workspace: m.guildId };
    for (const reply of outcome.replies) {
      // Discord has no private message outside interactions: a private grade is a receipt (the round reveals the verdict).
      if (reply.kind === 'grade' && reply.visibility === 'private') await sender.receipt(m.channelId, m.id);
      else await sender.post(where, reply, m.id);
    }
  }

  /** A DM is meant for the bot: a question, a command, or pasted output to explain; answered in the DM. */
  async function onDirectMessage(m: Message): Promise<void> {
    const outcome = await config.tutor.receive({
      conversation: { platform: 'discord', channel: m.channelId, direct: true },
      actor: { id: m.author.id, name: m.author.globalName ?? m.author.username, manager: false },
      id: m.id,
      input: { type: 'line', text: m.content.trim().slice(0, MAX_TYPED), addressed: true },
      raw: m,
    });
    for (const reply of outcome.replies) await sender.post({ channel: m.channelId }, reply, m.id);
  }

  // Every log line written while handling one event carries its id (the interaction's or the message's snowflake).
  // The raw channel of the HTTP interaction being dispatched: discord.js emits synchronously inside
  // handle(), so the listener reads it before the next one. Without the gateway no guild is cached,
  // so discord.js cannot build the channel and `i.channel` is null; whereOf falls back to this.
  let dispatching: RawChannel | undefined;
  client.on(Events.InteractionCreate, (i) => {
    if (dispatching && !i.channel) rawChannels.set(i, dispatching);
    track(withCorrelation(`discord:${i.id}`, () => handleInteraction(ctx, i)));
  });
  if (config.publicKey && config.http) {
    // discord.js builds the same Interaction objects from an HTTP payload as from the gateway, and
    // answers them through the REST callback endpoint: the handlers above serve both.
    const actions = (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions;
    config.http.route(
      '/discord/interactions',
      discordInteractionsRoute({
        key: discordPublicKey(config.publicKey),
        log,
        dispatch: (payload) => {
          dispatching = rawChannelOf(payload);
          try {
            actions.InteractionCreate.handle(payload);
          } finally {
            dispatching = undefined;
          }
        },
      }),
    );
  }
  client.on(Events.MessageCreate, (m) =>
    track(
      withCorrelation(`discord:${m.id}`, () => onMessage(m)).catch((err: unknown) => {
        log.error({ err, channel: m.channelId }, 'thread message failed');
      }),
    ),
  );
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardError, (err, shard) => log.warn({ err, shard }, 'gateway connection error'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.ShardDisconnect, (event, shard) => log.error({ code: event.code, shard }, 'gateway closed for good'));

  return {
    platform: 'discord',
    client,
    ready: () => (gateway ? client.isReady() && client.ws.status === Status.Ready : restReady),
    async start() {
      if (!gateway) {
        // No socket: REST is all there is, so the token is checked there, once, before we say ready.
        try {
          const me = (await client.rest.get(Routes.user())) as { id: string };
          restReady = true;
          log.info({ user: me.id, gateway: false }, 'discord ready over HTTP interactions and REST (no gateway)');
        } catch (err) {
          throw loginFailed(err, config.apiUrl);
        }
        return;
      }
      const ready = once(client, Events.ClientReady);
      try {
        await client.login(config.token);
      } catch (err) {
        throw loginFailed(err, config.apiUrl);
      }
      await ready;
      log.info({ user: client.user?.id, guilds: client.guilds.cache.size }, 'discord connected');
    },
    async post(target: PostTarget, reply: Reply) {
      try {
        if (target.user) await sender.post({ channel: await sender.dmChannel(target.user) }, reply);
        else await sender.post({ channel: target.channel, thread: target.thread, workspace: target.workspace }, reply);
      } catch (err) {
        // A channel that refuses us for good says so (permanent), so the daily post pauses it instead of retrying forever.
        const rejected = toPostError(err, target.thread ?? target.channel);
        // The caller (quiz engine, daily scheduler) logs the failure with its own context; this adds Discord's side.
        log.debug(
          {
            err: rejected.cause ?? rejected,
            channel: target.channel,
            thread: target.thread,
            code: reply.code,
            reason: rejected.reason,
            permanent: rejected.permanent,
          },
          'discord post failed',
        );
        throw rejected;
      }
    },
    async stop() {
      restReady = false;
      await Promise.allSettled([...inFlight]);
      await Promise.race([sender.queues.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await client.destroy();
    },
  };
}

function loginFailed(err: unknown, apiUrl: string | undefined): TutorError {
  const rejected = (err as { code?: string }).code === 'TokenInvalid' || (err as { status?: number }).status === 401;
  return new TutorError(
    'adapter.failed',
    rejected
      ? 'DISCORD_TOKEN was rejected by Discord. Fix: copy the token again from the developer portal (your application → Bot → Reset Token) and set DISCORD_TOKEN.'
      : `Could not connect to Discord: ${(err as Error).message}. Fix: check the network${apiUrl ? ' and DISCORD_API_URL' : ''}.`,
    err,
  );
}

function rawChannelOf(payload: Record<string, unknown>): RawChannel | undefined {
  const c = payload.channel as { id?: unknown; type?: unknown; parent_id?: unknown } | undefined;
  if (!c || typeof c.id !== 'string' || typeof c.type !== 'number') return undefined;
  return { id: c.id, type: c.type, ...(typeof c.parent_id === 'string' ? { parent_id: c.parent_id } : {}) };
}
