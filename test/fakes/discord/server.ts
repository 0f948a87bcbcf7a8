import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  apiChannel,
  apiGuild,
  apiMember,
  apiMessage,
  apiUser,
  interactionToken,
  snowflake,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
} from './payloads.js';
import { specProblems, type SpecRoute } from './openapi.js';
import { choiceProblems, messageProblems } from './validate.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A fake Discord on 127.0.0.1: the REST API the bot calls and the WebSocket gateway it listens
 * on, close enough to the real protocol that the real discord.js Client runs against it
 * unchanged (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME, RECONNECT). Every REST
 * call is captured; bodies Discord would reject get Discord's 400 answer.
 */
export interface RestCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  status: number;
  at: number;
  /** Files of a multipart/form-data request (`files[n]` parts), as Discord takes attachments. */
  files?: { field: string; filename: string; bytes: Buffer }[];
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  bot?: FakeUser;
  guilds?: FakeGuild[];
  heartbeatInterval?: number;
  /** Answer interaction callbacks later than this (ms) with 10062 Unknown interaction, as Discord does after 3 s. */
  interactionDeadline?: number;
  /**
   * Check bodies against Discord's OpenAPI description (default on). Benchmarks turn it off: the
   * check's cost grows with the payload, and a load run should not charge the bot for the fake's work.
   */
  checkSpec?: boolean;
  /**
   * Keep every call, message and interaction for the tests to read (default on). Benchmarks turn it off
   * (and read `onCall`): kept, a long run's bodies fill the fake's heap and its growing GC work slows
   * the load, more for a bot that sends bigger (real) answers.
   */
  retain?: boolean;
  /** The `shards` GET /gateway/bot recommends (what `shards: 'auto'` uses); default 1. */
  recommendedShards?: number;
}

interface GatewaySession {
  id: string;
  shard: [number, number];
  ws: WebSocket | undefined;
  seq: number;
  sent: { s: number; t: string; d: any }[];
}

interface Pending {
  id: string;
  token: string;
  created: number;
  acknowledged: boolean;
  payload: any;
}

export const MANAGE_GUILD = 1n << 5n;
export const MANAGE_CHANNELS = 1n << 4n;
const MEMBER_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 38n); // view, send, send in threads
const GUILD_MESSAGES = 1 << 9;
const MESSAGE_CONTENT = 1 << 15;
const DIRECT_MESSAGES = 1 << 12;

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly guilds: FakeGuild[];
  readonly calls: RestCall[] = [];
  readonly threads: FakeChannel[] = [];
  /** DM channels the bot opened (POST /users/@me/channels): channel id → user id. */
  readonly dms = new Map<string, string>();
  /** Users who do not accept DMs from the bot: posts to their DM answer 403, 50007. */
  readonly dmRefused = new Set<string>();
  /** Reactions the bot added: `{ channel, message, emoji }`. */
  readonly reactions: { channel: string; message: string; emoji: string }[] = [];
  /** Bodies Discord's OpenAPI description rejected (each also answered 400 50035, as Discord would). */
  readonly specViolations: string[] = [];
  /** Messages the bot made, by channel (interaction replies under `interaction:<id>`). */
  readonly messages = new Map<string, any[]>();
  /** Called with every REST call as it is answered (the bench times interaction callbacks with it). */
  onCall: ((call: RestCall) => void) | undefined;
  /** The application's Ed25519 key pair: HTTP interactions are signed with it, as Discord does. */
  private readonly signing = generateKeyPairSync('ed25519');
  /** Set: interactions are POSTed here, signed, instead of sent over the gateway. */
  interactionsUrl: string | undefined;
  /** Discord's view of each HTTP interaction delivery: the status and body the bot answered. */
  readonly httpDeliveries = new Map<string, { status: number; body: string }>();
  /** WebSocket connections the bot opened to the gateway (a gateway-off bot opens none). */
  gatewayConnections = 0;
  identifies = 0;
  resumes = 0;
  intents = 0;
  /** The [shard id, shard count] of every IDENTIFY, in order. */
  readonly identifiedShards: [number, number][] = [];
  private server!: Server;
  private wss!: WebSocketServer;
  /** Gateway sessions by shard id. */
  private readonly sessions = new Map<number, GatewaySession>();
  /** Dispatch events sent on each shard, by event name (`READY`, `INTERACTION_CREATE`, …). */
  readonly deliveredTo = new Map<number, Map<string, number>>();
  private readonly pending = new Map<string, Pending>();
  /** Channels whose message posts Discord answers with an error: for good, or the next `times` posts. */
  private readonly refusals = new Map<string, { status: number; code: number; message: string; times?: number; retryAfter?: number }>();
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private readonly options: FakeDiscordOptions;
  port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.options = options;
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? '200000000000000001';
    this.bot = options.bot ?? { id: this.applicationId, username: 'k8s-tutor', bot: true };
    this.guilds = options.guilds ?? [
      {
        id: '300000000000000001',
        name: 'k8s study',
        channels: [
          { id: '400000000000000001', name: 'general', type: 0, guild_id: '300000000000000001' },
          { id: '400000000000000002', name: 'quiz', type: 0, guild_id: '300000000000000001' },
        ],
      },
    ];
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** What the developer portal shows as "Public Key": the raw 32 bytes in hex (DISCORD_PUBLIC_KEY). */
  get publicKeyHex(): string {
    return this.signing.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  }

  /** POSTs `body` to the bot's interactions URL, signed unless told otherwise; resolves with the bot's answer. */
  async deliver(body: string, opts: { signature?: string; timestamp?: string } = {}): Promise<{ status: number; body: string }> {
    if (!this.interactionsUrl) throw new Error('fake discord: no interactionsUrl set');
    const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
    const signature = opts.signature ?? sign(null, Buffer.from(timestamp + body), this.signing.privateKey).toString('hex');
    const res = await fetch(this.interactionsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** Some shard's connection is open. */
  get connected(): boolean {
    return [...this.sessions.values()].some((x) => x.ws?.readyState === 1);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── gateway ───────────────────────────────────────────────────────────────
  // One session per shard, as Discord keeps them: each IDENTIFY with `shard: [id, count]` gets its
  // own session, sequence and replay buffer, and only its guilds' events.

  private onSocket(ws: WebSocket): void {
    this.gatewayConnections++;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatInterval ?? 41250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      let msg: any;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      else if (msg.op === 2) this.onIdentify(ws, msg.d);
      else if (msg.op === 6) this.onResume(ws, msg.d);
    });
    ws.on('close', () => {
      for (const session of this.sessions.values()) if (session.ws === ws) session.ws = undefined;
      this.notify();
    });
  }

  /** The shard Discord sends a guild's events on: `(guild_id >> 22) % shard_count`. */
  shardOf(guildId: string, count = this.shardCount): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(Math.max(1, count)));
  }

  /** The shard count the sessions identified with (1 before any IDENTIFY). */
  private get shardCount(): number {
    return [...this.sessions.values()][0]?.shard[1] ?? 1;
  }

  private onIdentify(ws: WebSocket, d: any): void {
    if (d?.token !== this.token) {
      ws.close(4004, 'Authentication failed');
      return;
    }
    const shard: [number, number] = Array.isArray(d.shard) ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      ws.close(4010, 'Invalid shard');
      return;
    }
    if (this.sessions.size > 0 && shard[1] !== this.shardCount && [...this.sessions.values()].some((x) => x.ws)) {
      ws.close(4010, 'Invalid shard');
      return;
    }
    this.identifies++;
    this.intents = Number(d.intents ?? 0);
    this.identifiedShards.push(shard);
    // A new IDENTIFY for a shard replaces its old session, as Discord does.
    const old = this.sessions.get(shard[0]);
    if (old?.ws && old.ws !== ws) old.ws.terminate();
    const session: GatewaySession = { id: `session-${this.identifies}`, shard, ws, seq: 0, sent: [] };
    this.sessions.set(shard[0], session);
    const mine = this.guilds.filter((g) => this.shardOf(g.id, shard[1]) === shard[0]);
    this.send(session, 'READY', {
      v: 10,
      user: apiUser(this.bot),
      guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    });
    // The client waits for a GUILD_CREATE of every guild READY named before it turns ready.
    for (const g of mine)
      this.send(
        session,
        'GUILD_CREATE',
        apiGuild(
          g,
          this.bot,
          this.threads.filter((t) => t.guild_id === g.id),
        ),
      );
    this.notify();
  }

  private onResume(ws: WebSocket, d: any): void {
    const session = [...this.sessions.values()].find((x) => x.id === d?.session_id);
    if (d?.token !== this.token || !session) {
      ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.resumes++;
    session.ws = ws;
    for (const e of session.sent) if (e.s > Number(d.seq ?? 0)) ws.send(JSON.stringify({ op: 0, ...e }));
    this.send(session, 'RESUMED', {});
    this.notify();
  }

  private send(session: GatewaySession | undefined, t: string, d: any): void {
    if (!session) return;
    const e = { s: ++session.seq, t, d };
    session.sent.push(e);
    // The replay buffer keeps what a RESUME may ask for, not the whole history.
    if (session.sent.length > 1000) session.sent.splice(0, session.sent.length - 1000);
    if (session.ws?.readyState === 1) session.ws.send(JSON.stringify({ op: 0, ...e }));
    const counts = this.deliveredTo.get(session.shard[0]) ?? new Map<string, number>();
    counts.set(t, (counts.get(t) ?? 0) + 1);
    this.deliveredTo.set(session.shard[0], counts);
  }

  /**
   * Sends a dispatch event on the shard that holds its guild (DMs and guildless events on shard 0,
   * as Discord does); while that shard is disconnected it waits for the RESUME, like Discord's replay.
   */
  dispatch(t: string, d: any): void {
    const guildId: unknown = d?.guild_id ?? (t.startsWith('GUILD_') ? d?.id : undefined);
    const shard = typeof guildId === 'string' && /^\d+$/.test(guildId) ? this.shardOf(guildId) : 0;
    this.send(this.sessions.get(shard), t, d);
  }

  /** Opcode 7: Discord asks the client to reconnect and resume (every shard). */
  requestReconnect(): void {
    for (const session of this.sessions.values()) session.ws?.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  /** The connections die without a close frame (a network drop), every shard's. */
  dropConnection(): void {
    for (const session of this.sessions.values()) session.ws?.terminate();
  }

  // ── what users do ─────────────────────────────────────────────────────────

  user(id: string, username: string, global_name?: string): FakeUser {
    return { id, username, global_name: global_name ?? username };
  }

  private interaction(
    type: number,
    who: FakeUser,
    channelId: string,
    data: any,
    extra: Record<string, unknown> = {},
    permissions = MEMBER_PERMISSIONS,
  ) {
    const channel = this.channel(channelId);
    const guildId = channel?.guild_id ?? this.guilds[0]!.id;
    const id = snowflake();
    const token = interactionToken();
    const payload = {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: guildId,
      guild: { id: guildId, locale: 'ko', features: [] },
      guild_locale: 'ko',
      channel_id: channelId,
      channel: channel ? apiChannel(channel) : { id: channelId, type: 0, guild_id: guildId, name: 'unknown' },
      member: apiMember(who, permissions),
      token,
      version: 1,
      locale: 'ko',
      app_permissions: '2248473465835073',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      attachment_size_limit: 10485760,
      ...extra,
    };
    this.pending.set(id, { id, token, created: Date.now(), acknowledged: false, payload });
    if (this.interactionsUrl) {
      void this.deliver(JSON.stringify(payload)).then(
        (answer) => this.httpDeliveries.set(id, answer),
        (err: Error) => this.httpDeliveries.set(id, { status: 0, body: err.message }),
      );
    } else this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  slash(who: FakeUser, channelId: string, name: string, options: Record<string, string | number> = {}, sub?: string, permissions?: bigint) {
    const opts = Object.entries(options).map(([n, value]) => ({ name: n, type: typeof value === 'number' ? 4 : 3, value }));
    const data = { id: snowflake(), name, type: 1, options: sub ? [{ name: sub, type: 1, options: opts }] : opts };
    return this.interaction(2, who, channelId, data, {}, permissions);
  }

  /** A slash command in a direct message with the bot: no server, no member, only the user. */
  dmSlash(who: FakeUser, dmChannelId: string, name: string, options: Record<string, string | number> = {}, sub?: string) {
    const opts = Object.entries(options).map(([n, value]) => ({ name: n, type: typeof value === 'number' ? 4 : 3, value }));
    const data = { id: snowflake(), name, type: 1, options: sub ? [{ name: sub, type: 1, options: opts }] : opts };
    return this.interaction(2, who, dmChannelId, data, {
      guild_id: undefined,
      guild: undefined,
      guild_locale: undefined,
      member: undefined,
      user: apiUser(who),
      channel: { id: dmChannelId, type: 1 },
      context: 1,
      authorizing_integration_owners: { '1': who.id },
    });
  }

  autocomplete(who: FakeUser, channelId: string, name: string, option: string, value: string) {
    const data = { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value, focused: true }] };
    return this.interaction(4, who, channelId, data);
  }

  click(who: FakeUser, message: any, customId: string) {
    return this.interaction(3, who, message.channel_id, { custom_id: customId, component_type: 2 }, { message });
  }

  choose(who: FakeUser, message: any, customId: string, values: string[]) {
    return this.interaction(3, who, message.channel_id, { custom_id: customId, component_type: 3, values }, { message });
  }

  submitModal(who: FakeUser, channelId: string, customId: string, fields: Record<string, string>, message?: any) {
    const components = Object.entries(fields).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] }));
    return this.interaction(5, who, channelId, { custom_id: customId, components }, message ? { message } : {});
  }

  /** Someone types in a channel or thread (MESSAGE_CREATE, sent only with the GuildMessages intent). */
  say(who: FakeUser, channelId: string, content: string): string {
    const channel = this.channel(channelId);
    const id = snowflake();
    if (!(this.intents & GUILD_MESSAGES)) return id;
    const message = apiMessage({
      id,
      channel_id: channelId,
      guild_id: channel?.guild_id,
      author: who,
      content: this.intents & MESSAGE_CONTENT ? content : '',
    });
    this.dispatch('MESSAGE_CREATE', { ...message, member: { ...apiMember(who, MEMBER_PERMISSIONS), user: undefined } });
    return id;
  }

  /** Someone writes to the bot in a DM (MESSAGE_CREATE with no guild, sent only with the DirectMessages intent; DM content needs no MessageContent). */
  dmSay(who: FakeUser, content: string): { id: string; channel: string } {
    const existing = [...this.dms.entries()].find(([, u]) => u === who.id)?.[0];
    const channel = existing ?? snowflake();
    this.dms.set(channel, who.id);
    const id = snowflake();
    if (!(this.intents & DIRECT_MESSAGES)) return { id, channel };
    // Discord names the channel's type on MESSAGE_CREATE (1: DM); a client that has not cached the DM channel builds it from that.
    this.dispatch('MESSAGE_CREATE', { ...apiMessage({ id, channel_id: channel, author: who, content }), channel_type: 1 });
    return { id, channel };
  }

  /**
   * From now on Discord answers the bot's posts in this channel with this error, as it does once
   * the bot lost access (403, 50001 Missing Access), its permissions (403, 50013) or the thread
   * was archived (400, 50083). `times`: only the next so many posts (a 500 that passes).
   */
  refusePosts(channelId: string, status: number, code: number, message: string, times?: number): void {
    this.refusals.set(channelId, { status, code, message, ...(times !== undefined ? { times } : {}) });
  }

  /** The next `times` message posts to the channel answer 429 with Retry-After `retryAfter` seconds (a per-route limit, not the global one). */
  rateLimitPosts(channelId: string, retryAfter = 1, times = 1): void {
    this.refusals.set(channelId, { status: 429, code: 0, message: 'You are being rate limited.', times, retryAfter });
  }

  /** The channel is deleted: every call about it answers 404, 10003 Unknown Channel. */
  removeChannel(channelId: string): void {
    for (const g of this.guilds) g.channels = g.channels.filter((c) => c.id !== channelId);
    const t = this.threads.findIndex((c) => c.id === channelId);
    if (t >= 0) this.threads.splice(t, 1);
  }

  /**
   * The body of every message the bot made, however it made it: interaction callbacks that carry a
   * message (types 4 and 7), webhook follow-ups and edits, and channel posts.
   */
  messagesMade(): Record<string, any>[] {
    return this.calls.flatMap((c) => {
      if (/\/callback$/.test(c.path)) return c.body.type === 4 || c.body.type === 7 ? [c.body.data] : [];
      if (/^\/api\/v10\/(webhooks\/|channels\/\d+\/messages$)/.test(c.path) && c.method !== 'DELETE') return [c.body];
      return [];
    });
  }

  /** Message posts the bot made to a channel, answered or refused. */
  postsTo(channelId: string): RestCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channelId}/messages`);
  }

  channel(id: string): FakeChannel | undefined {
    return this.guilds.flatMap((g) => g.channels).find((c) => c.id === id) ?? this.threads.find((t) => t.id === id);
  }

  // ── observing the bot ─────────────────────────────────────────────────────

  callbacksFor(interactionId: string): RestCall[] {
    return this.calls.filter((c) => c.path.startsWith(`/api/v10/interactions/${interactionId}/`));
  }

  /** Resolves once `test` holds; checked after every REST call and gateway change. */
  waitFor(test: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake discord: timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  // ── REST ──────────────────────────────────────────────────────────────────

  private async onHttp(req: HttpRequest, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const form = multipart(raw, req.headers['content-type']);
    const text = form ? (form.find((f) => f.field === 'payload_json')?.bytes.toString('utf8') ?? '') : raw.toString('utf8');
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    // Discord reads a body as JSON only when it says so (or as the payload_json part of a multipart form).
    const unlabelled = !form && raw.length > 0 && !/^application\/json\b/i.test(req.headers['content-type'] ?? '');
    const call: RestCall = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      body,
      status: 200,
      at: Date.now(),
    };
    const files = form?.filter((f) => f.filename !== undefined).map((f) => ({ field: f.field, filename: f.filename!, bytes: f.bytes }));
    if (files?.length) call.files = files;
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      if (this.options.retain !== false) this.calls.push(call);
      this.onCall?.(call);
      if (json === undefined) res.writeHead(status, headers).end();
      else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      this.notify();
    };
    if (unlabelled) return reply(400, { code: 50109, message: 'The request body contains invalid JSON.' });
    try {
      this.route(call, req.headers.authorization, reply);
    } catch (err) {
      reply(500, { message: String(err), code: 0 });
    }
  }

  private route(
    call: RestCall,
    auth: string | undefined,
    reply: (status: number, json?: unknown, headers?: Record<string, string>) => void,
  ): void {
    const m = (re: RegExp) => re.exec(call.path);
    const invalid = (problems: string[]) => reply(400, { code: 50035, message: 'Invalid Form Body', errors: problems });
    /** Discord's published OpenAPI description: a body it rejects is refused as real Discord would, and kept for the tests. */
    const offSpec = (route: SpecRoute): boolean => {
      if (this.options.checkSpec === false) return false;
      const problems = specProblems(route, call.body);
      if (problems.length === 0) return false;
      this.specViolations.push(...problems);
      invalid(problems);
      return true;
    };
    let p: RegExpExecArray | null;

    if ((p = m(/^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/)) && call.method === 'POST') {
      const pending = this.pending.get(p[1]!);
      if (!pending || pending.token !== p[2]) return reply(404, { code: 10062, message: 'Unknown interaction' });
      if (Date.now() - pending.created > (this.options.interactionDeadline ?? 3000))
        return reply(404, { code: 10062, message: 'Unknown interaction' });
      if (pending.acknowledged) return reply(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
      if (offSpec('interactionCallback')) return;
      const type = call.body?.type;
      if (type === 4 || type === 7) {
        const problems = [
          ...messageProblems(call.body.data ?? {}, { requireSomething: type === 4 }),
          ...attachmentProblems(call.body.data, call.files),
        ];
        if (problems.length) return invalid(problems);
      }
      if (type === 8) {
        const problems = choiceProblems(call.body.data?.choices);
        if (problems.length) return invalid(problems);
      }
      pending.acknowledged = true;
      // Not retained: follow-ups may come for a little while (a deferral's edit), then it is forgotten.
      if (this.options.retain === false) setTimeout(() => this.pending.delete(pending.id), 30_000).unref();
      if (type === 4) this.record(`interaction:${pending.id}`, { ...call.body.data, interaction: pending.id });
      return reply(204);
    }
    if ((p = m(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/))) {
      const pending = [...this.pending.values()].find((x) => x.token === p![2]);
      if (!pending || p[1] !== this.applicationId) return reply(404, { code: 10015, message: 'Unknown Webhook' });
      if (!pending.acknowledged) return reply(404, { code: 10015, message: 'Unknown Webhook' });
      if (call.method === 'DELETE') return reply(204);
      if (
        (call.method === 'POST' || (call.method === 'PATCH' && p[3] === '@original')) &&
        offSpec(call.method === 'POST' ? 'followUp' : 'editOriginal')
      )
        return;
      const problems = messageProblems(call.body ?? {}, { requireSomething: call.method === 'POST' });
      if (problems.length) return invalid(problems);
      const channel = pending.payload.channel_id;
      const message = apiMessage({
        id: snowflake(),
        channel_id: channel,
        guild_id: pending.payload.guild_id,
        author: this.bot,
        content: call.body?.content,
        embeds: call.body?.embeds,
        components: call.body?.components,
        flags: call.body?.flags,
      });
      this.record(`interaction:${pending.id}`, { ...call.body, interaction: pending.id, webhook: call.method });
      return reply(200, message);
    }

    if (auth !== `Bot ${this.token}`) return reply(401, { code: 0, message: '401: Unauthorized' });

    if (call.path === '/api/v10/gateway/bot') {
      return reply(200, {
        url: this.gatewayUrl,
        shards: this.options.recommendedShards ?? 1,
        // Discord's large-bot value: shards in different buckets identify at once (discord.js waits 5 s within one bucket).
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 16 },
      });
    }
    if (call.path === '/api/v10/users/@me') return reply(200, apiUser(this.bot));
    if (call.path === '/api/v10/applications/@me')
      return reply(200, { id: this.applicationId, name: 'k8s tutor', bot: apiUser(this.bot), flags: 0 });
    if ((p = m(/^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && call.method === 'PUT') {
      if (p[1] !== this.applicationId) return reply(404, { code: 10002, message: 'Unknown Application' });
      if (offSpec('putCommands')) return;
      const list: any[] = Array.isArray(call.body) ? call.body : [];
      const problems = list.flatMap((c) =>
        /^[-_\p{L}\p{N}]{1,32}$/u.test(c.name) && c.name === c.name.toLowerCase() && (c.description ?? '').length <= 100
          ? []
          : [`bad command ${c.name}`],
      );
      if (problems.length) return invalid(problems);
      return reply(
        200,
        list.map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })),
      );
    }
    if (call.path === '/api/v10/users/@me/channels' && call.method === 'POST') {
      const user = String(call.body?.recipient_id ?? '');
      if (!/^\d+$/.test(user)) return invalid(['recipient_id: a user id']);
      const existing = [...this.dms.entries()].find(([, u]) => u === user)?.[0];
      const id = existing ?? snowflake();
      this.dms.set(id, user);
      return reply(200, {
        id,
        type: 1,
        last_message_id: null,
        flags: 0,
        recipients: [{ id: user, username: `user${user}`, discriminator: '0', avatar: null }],
      });
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)\/messages$/)) && call.method === 'POST' && this.dms.has(p[1]!)) {
      const user = this.dms.get(p[1]!)!;
      if (this.dmRefused.has(user)) return reply(403, { code: 50007, message: 'Cannot send messages to this user' });
      const problems = [...messageProblems(call.body ?? {}), ...attachmentProblems(call.body, call.files)];
      if (problems.length) return invalid(problems);
      const message = apiMessage({
        id: snowflake(),
        channel_id: p[1]!,
        author: this.bot,
        content: call.body?.content,
        embeds: call.body?.embeds,
        components: call.body?.components,
      } as any);
      this.record(`dm:${user}`, { ...call.body, id: message.id, channel_id: p[1]!, files: call.files ?? [] });
      return reply(200, message);
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)\/messages$/)) && call.method === 'POST') {
      const refusal = this.refusals.get(p[1]!);
      if (refusal) {
        if (refusal.times !== undefined && --refusal.times <= 0) this.refusals.delete(p[1]!);
        if (refusal.status === 429) {
          // As Discord answers a route's limit: Retry-After (s) and the JSON body's retry_after, scope user.
          return reply(
            429,
            { message: refusal.message, retry_after: refusal.retryAfter ?? 1, global: false },
            { 'retry-after': String(refusal.retryAfter ?? 1), 'x-ratelimit-scope': 'user' },
          );
        }
        return reply(refusal.status, { code: refusal.code, message: refusal.message });
      }
      const channel = this.channel(p[1]!);
      if (!channel) return reply(404, { code: 10003, message: 'Unknown Channel' });
      if (offSpec('createMessage')) return;
      const problems = [...messageProblems(call.body ?? {}), ...attachmentProblems(call.body, call.files)];
      if (problems.length) return invalid(problems);
      const message = apiMessage({
        id: snowflake(),
        channel_id: channel.id,
        guild_id: channel.guild_id,
        author: this.bot,
        content: call.body?.content,
        embeds: call.body?.embeds,
        components: call.body?.components,
      });
      this.record(channel.id, { ...call.body, id: message.id, channel_id: channel.id, ...(call.files ? { files: call.files } : {}) });
      this.dispatch('MESSAGE_CREATE', message);
      return reply(200, message);
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/)) && call.method === 'PUT') {
      if (!this.channel(p[1]!)) return reply(404, { code: 10003, message: 'Unknown Channel' });
      this.reactions.push({ channel: p[1]!, message: p[2]!, emoji: p[3]! });
      return reply(204);
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)\/threads$/)) && call.method === 'POST') {
      const parent = this.channel(p[1]!);
      if (!parent) return reply(404, { code: 10003, message: 'Unknown Channel' });
      if (offSpec('createThread')) return;
      const name: string = call.body?.name ?? '';
      if (!name || name.length > 100) return invalid(['name: 1-100']);
      const thread: FakeChannel = {
        id: snowflake(),
        name,
        type: 11,
        guild_id: parent.guild_id,
        parent_id: parent.id,
        owner_id: this.bot.id,
      };
      this.threads.push(thread);
      this.dispatch('THREAD_CREATE', { ...apiChannel(thread), newly_created: true });
      return reply(201, apiChannel(thread));
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)$/)) && call.method === 'GET') {
      const channel = this.channel(p[1]!);
      return channel ? reply(200, apiChannel(channel)) : reply(404, { code: 10003, message: 'Unknown Channel' });
    }
    if ((p = m(/^\/api\/v10\/channels\/(\d+)$/)) && call.method === 'PATCH') {
      const channel = this.channel(p[1]!);
      return channel ? reply(200, { ...apiChannel(channel), ...call.body }) : reply(404, { code: 10003, message: 'Unknown Channel' });
    }
    return reply(404, { code: 0, message: `fake discord: no route for ${call.method} ${call.path}` });
  }

  private record(key: string, message: any): void {
    if (this.options.retain === false) return;
    const list = this.messages.get(key) ?? [];
    list.push(message);
    this.messages.set(key, list);
  }

  /** Every message body the bot made (channel posts, interaction replies, follow-ups, edits), in order. */
  allMessages(): any[] {
    return [...this.messages.values()].flat();
  }
}

/** The parts of a multipart/form-data body (Discord's way to send attachments); undefined for any other body. */
function multipart(raw: Buffer, contentType: string | undefined): { field: string; filename?: string; bytes: Buffer }[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!contentType?.startsWith('multipart/form-data') || !boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { field: string; filename?: string; bytes: Buffer }[] = [];
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(at + delimiter.length + 2, next - 2); // past the CRLF after the delimiter, before the CRLF ahead of the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const field = /name="([^"]*)"/.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      parts.push({ field, ...(filename !== undefined ? { filename } : {}), bytes: part.subarray(headerEnd + 4) });
    }
    at = next;
  }
  return parts;
}

/** Discord checks each `attachments` entry against an uploaded `files[id]` part; descriptions (alt text) are at most 1,024 characters. */
function attachmentProblems(body: any, files: RestCall['files']): string[] {
  const list: any[] = body?.attachments ?? [];
  const p: string[] = [];
  for (const a of list) {
    if (!files?.some((f) => f.field === `files[${a.id}]`)) p.push(`attachments.${a.id}: no files[${a.id}] part`);
    if ((a.description ?? '').length > 1024) p.push(`attachments.${a.id}.description: 1024 or fewer`);
  }
  return p;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).start();
}
