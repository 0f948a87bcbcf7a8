import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API on 127.0.0.1, faithful to what the app relies on: form-encoded (or JSON) POSTs to
 * `/api/{method}` with a Bearer token, `{ ok, error }` bodies with HTTP 200, 429 with Retry-After, and
 * response URLs that accept five posts. It checks blocks against Slack's limits the way Slack rejects
 * them (`invalid_blocks`), and records every call.
 */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** The team whose bot token made the call (undefined for a token the fake does not know). */
  team?: string | undefined;
  status: number;
  at: number;
}

export interface PostedMessage {
  channel: string;
  /** The team whose bot token posted it. */
  team?: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  user?: string;
  ephemeral: boolean;
  reply_broadcast?: boolean;
}

/** A file shared through files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal). */
export interface UploadedFile {
  id: string;
  filename: string;
  /** As given to getUploadURLExternal (`alt_txt`, or `alt_text`). */
  alt?: string;
  bytes: Buffer;
  channel?: string;
  thread_ts?: string;
  title?: string;
}

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  teamId?: string;
  /** users.info answers, by user id. */
  users?: Record<string, { name?: string; is_admin?: boolean; is_owner?: boolean }>;
  /** Channels the bot is not a member of: chat.postMessage answers `not_in_channel` until it joins (conversations.join). */
  notInChannel?: string[];
  /** Private channels: conversations.join answers `method_not_supported_for_channel_type` (the bot must be invited). */
  privateChannels?: string[];
  /** Accept posts to any `/response/{id}` (load tests make their own ids); normally only issued ones work. */
  anyResponseUrl?: boolean;
  /** Keep only counts, not every call (load tests). */
  countOnly?: boolean;
}

/** A workspace the fake knows: its team id, its bot's token and user, and the refresh token that rotates it. */
export interface FakeTeam {
  teamId: string;
  botToken: string;
  botUserId: string;
  botId: string;
  refreshToken: string;
  name: string;
}

export class FakeSlackApi extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly messages: PostedMessage[] = [];
  /** Files whose upload was completed (shared), in order. */
  readonly files: UploadedFile[] = [];
  private readonly pendingUploads = new Map<
    string,
    { filename: string; length: number; alt?: string; bytes?: Buffer; contentType?: string | undefined }
  >();
  private fileSeq = 0;
  /** Users whose DM cannot be opened: conversations.open answers this error. */
  readonly dmRefusals = new Map<string, string>();
  private server: Server;
  private tsCounter = 0;
  private readonly rateLimits = new Map<string, { times: number; retryAfter: number }>();
  private readonly responseUrls = new Map<string, number>();
  private readonly refusals = new Map<string, { error: string; times: number }>();
  private responseSeq = 0;
  /** Where apps.connections.open points the Socket Mode client. */
  socketUrl: string | undefined;
  readonly counts = new Map<string, number>();
  readonly opts: Required<Omit<FakeSlackOptions, 'users' | 'notInChannel' | 'privateChannels'>> &
    Pick<FakeSlackOptions, 'users'> & { notInChannel: string[]; privateChannels: string[] };

  constructor(opts: FakeSlackOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.opts = {
      botToken: opts.botToken ?? 'xoxb-test-token',
      appToken: opts.appToken ?? 'xapp-test-token',
      botUserId: opts.botUserId ?? 'UBOT',
      teamId: opts.teamId ?? 'T0001',
      users: opts.users ?? {},
      notInChannel: [...(opts.notInChannel ?? [])],
      privateChannels: opts.privateChannels ?? [],
      anyResponseUrl: opts.anyResponseUrl ?? false,
      countOnly: opts.countOnly ?? false,
    };
    this.addTeam({
      teamId: this.opts.teamId,
      botToken: this.opts.botToken,
      botUserId: this.opts.botUserId,
      botId: 'B0001',
      refreshToken: 'xoxe-1-refresh',
      name: 'Fake',
    });
    this.server = createServer((req, res) => void this.route(req, res));
  }

  /** Workspaces by bot token: every Web API call is answered as the team whose token it carries (many workspaces, one app). */
  readonly teams = new Map<string, FakeTeam>();
  /** Install codes issued for a team other than the default one. */
  private readonly codeTeams = new Map<string, string>();

  /** Another workspace with its own bot token (the app installed there). */
  addTeam(team: FakeTeam): FakeTeam {
    this.teams.set(team.botToken, team);
    this.oauth.refreshTokens.add(team.refreshToken);
    return team;
  }

  /** A one-time install code the redirect will bring, for `teamId` (the default team when unset). */
  grant(code: string, teamId?: string): void {
    this.oauth.codes.add(code);
    if (teamId) this.codeTeams.set(code, teamId);
  }

  /** Slack took `token` back (uninstall, revocation): every call with it answers `token_revoked`. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  private readonly revoked = new Set<string>();

  private teamById(teamId: string): FakeTeam | undefined {
    for (const t of this.teams.values()) if (t.teamId === teamId) return t;
    return undefined;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** SLACK_API_URL for the app under test. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` calls to `method` (only those for `channel`, when given) get 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, retryAfter = 1, times = 1, channel?: string, team?: string): void {
    this.rateLimits.set(channel ? `${method} ${channel}${team ? ` ${team}` : ''}` : method, { times, retryAfter });
  }

  /**
   * chat.postMessage and chat.postEphemeral to `channel` answer `{ ok: false, error }` (HTTP 200, as
   * Slack does): `is_archived`, `channel_not_found`, `internal_error`… `times` calls, or until cleared.
   */
  refuse(channel: string, error: string, times = Infinity): void {
    this.refusals.set(channel, { error, times });
  }

  clearRefusal(channel: string): void {
    this.refusals.delete(channel);
  }

  /** A fresh response_url, as Slack puts in a slash command or an interaction. */
  responseUrl(): string {
    const id = `R${++this.responseSeq}`;
    this.responseUrls.set(id, 0);
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `predicate` holds for the recorded calls; rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 8_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = predicate();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake slack: condition not met within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('call', check);
      };
      this.on('call', check);
      check();
    });
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1767225600.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    // Not Slack: lets a load test running the fake in another process read what arrived.
    if (path === '/_fake/counts' && req.method === 'GET') return send(res, 200, Object.fromEntries(this.counts));
    if (this.opts.countOnly && path.startsWith('/response/')) {
      // Load tests: count the answer, skip reading it closely, so the fake costs the load generator little.
      req.resume();
      req.on('end', () => {
        this.record('response_url', {}, undefined, 200);
        send(res, 200, { ok: true });
      });
      return;
    }
    if (path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), req, res);
    const raw = await readBody(req);
    if (path.startsWith('/response/')) return this.response(path.slice('/response/'.length), raw, req, res);
    if (!path.startsWith('/api/') || req.method !== 'POST') return send(res, 404, { ok: false, error: 'not_found' });
    const method = path.slice('/api/'.length);
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    // Slack's limits are per workspace: a limit set for one team's channel leaves another team's channel of the same id alone.
    const team = token ? this.teams.get(token)?.teamId : undefined;
    const limit =
      this.rateLimits.get(`${method} ${String(args.channel ?? '')} ${team ?? ''}`) ??
      this.rateLimits.get(`${method} ${String(args.channel ?? '')}`) ??
      this.rateLimits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      this.record(method, args, token, 429);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfter) });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const body = this.answer(method, args, token, auth);
    // Slack refuses with HTTP 200 and `ok: false`; the error is kept beside the call so tests can see refusals.
    this.record(method, body.ok === false ? { ...args, _error: body.error } : args, token, 200);
    send(res, 200, body);
  }

  private record(method: string, args: Record<string, unknown>, token: string | undefined, status: number) {
    const key = `${method} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.opts.countOnly) return;
    const team = token ? this.teams.get(token)?.teamId : undefined;
    this.calls.push({ method, args, token, ...(team ? { team } : {}), status, at: Date.now() });
    this.emit('call');
  }

  /** The OAuth app the fake knows (client id and secret), and the codes and refresh tokens it will accept. */
  readonly oauth = {
    clientId: '1111.2222',
    clientSecret: 'oauth-secret',
    codes: new Set<string>(),
    refreshTokens: new Set<string>(['xoxe-1-refresh']),
  };

  /** oauth.v2.access: a code from the install redirect, or a refresh token (token rotation), for the app's client credentials. */
  private oauthAccess(args: Record<string, unknown>, auth: string | undefined): Record<string, unknown> {
    const basic = auth?.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':')
      : [args.client_id, args.client_secret];
    if (basic[0] !== this.oauth.clientId || basic[1] !== this.oauth.clientSecret) return { ok: false, error: 'invalid_client_id' };
    if (args.grant_type === 'refresh_token') {
      if (!this.oauth.refreshTokens.has(String(args.refresh_token))) return { ok: false, error: 'invalid_refresh_token' };
      const t = [...this.teams.values()].find((x) => x.refreshToken === args.refresh_token) ?? this.teams.get(this.opts.botToken)!;
      return {
        ok: true,
        token_type: 'bot',
        access_token: t.botToken,
        refresh_token: t.refreshToken,
        expires_in: 43_200,
        scope: 'commands,chat:write',
        bot_user_id: t.botUserId,
        app_id: 'A0001',
        team: { id: t.teamId, name: t.name },
      };
    }
    const code = String(args.code ?? '');
    if (!this.oauth.codes.delete(code)) return { ok: false, error: 'invalid_code' };
    const teamId = this.codeTeams.get(code);
    this.codeTeams.delete(code);
    const t = teamId ? this.teamById(teamId) : undefined;
    if (t) {
      return {
        ok: true,
        app_id: 'A0001',
        authed_user: { id: 'UINSTALLER' },
        scope: 'commands,chat:write',
        token_type: 'bot',
        access_token: t.botToken,
        refresh_token: t.refreshToken,
        expires_in: 43_200,
        bot_user_id: t.botUserId,
        team: { id: t.teamId, name: t.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    }
    return {
      ok: true,
      app_id: 'A0001',
      authed_user: { id: 'UINSTALLER' },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: this.opts.botToken,
      refresh_token: 'xoxe-1-refresh',
      expires_in: 43_200,
      bot_user_id: this.opts.botUserId,
      team: { id: this.opts.teamId, name: 'Fake' },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined, auth?: string): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (token !== this.opts.appToken) return { ok: false, error: 'invalid_auth' };
      return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'internal_error' };
    }
    if (method === 'oauth.v2.access') return this.oauthAccess(args, auth);
    if (!token) return { ok: false, error: 'not_authed' };
    if (this.revoked.has(token)) return { ok: false, error: 'token_revoked' };
    const team = this.teams.get(token);
    if (!team) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: team.name,
          user: 'k8s-tutor',
          team_id: team.teamId,
          user_id: team.botUserId,
          bot_id: team.botId,
        };
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (this.opts.notInChannel.includes(channel)) return { ok: false, error: 'not_in_channel' };
        const refusal = this.refusals.get(channel);
        if (refusal && refusal.times > 0) {
          refusal.times -= 1;
          return { ok: false, error: refusal.error };
        }
        const problem = blockProblem(args.blocks) ?? textProblem(args.text, args.blocks);
        if (problem) return { ok: false, error: problem };
        const ts = this.nextTs();
        const ephemeral = method === 'chat.postEphemeral';
        if (ephemeral && !args.user) return { ok: false, error: 'user_not_in_channel' };
        this.messages.push({
          channel,
          team: team.teamId,
          ts,
          ephemeral,
          ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
          ...(typeof args.text === 'string' ? { text: args.text } : {}),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(typeof args.user === 'string' ? { user: args.user } : {}),
          ...(args.reply_broadcast === true || args.reply_broadcast === 'true' ? { reply_broadcast: true } : {}),
        });
        return ephemeral
          ? { ok: true, message_ts: ts }
          : { ok: true, channel, ts, message: { type: 'message', text: args.text, ts, bot_id: 'B0001' } };
      }
      case 'conversations.join': {
        const channel = String(args.channel ?? '');
        if (this.opts.privateChannels.includes(channel)) return { ok: false, error: 'method_not_supported_for_channel_type' };
        const i = this.opts.notInChannel.indexOf(channel);
        if (i >= 0) this.opts.notInChannel.splice(i, 1);
        return { ok: true, channel: { id: channel, is_member: true } };
      }
      case 'chat.delete': {
        const i = this.messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts && !m.ephemeral);
        if (i < 0) return { ok: false, error: 'message_not_found' };
        this.messages.splice(i, 1);
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.open': {
        const user = String(args.users ?? '');
        if (!user) return { ok: false, error: 'users_list_not_supplied' };
        const refused = this.dmRefusals.get(user);
        if (refused) return { ok: false, error: refused };
        return { ok: true, channel: { id: `D${user}` } };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = `F${++this.fileSeq}`;
        const alt = typeof args.alt_txt === 'string' ? args.alt_txt : typeof args.alt_text === 'string' ? args.alt_text : undefined;
        this.pendingUploads.set(id, { filename: String(args.filename), length, ...(alt !== undefined ? { alt } : {}) });
        return { ok: true, file_id: id, upload_url: `http://127.0.0.1:${this.port}/upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const list = (typeof args.files === 'string' ? tryJson(args.files) : args.files) as { id?: string; title?: string }[] | undefined;
        if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
        const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
        const refusal = channel ? this.refusals.get(channel) : undefined;
        if (refusal && refusal.times > 0) {
          refusal.times -= 1;
          return { ok: false, error: refusal.error };
        }
        const done: { id: string; title?: string }[] = [];
        for (const f of list) {
          const up = f.id ? this.pendingUploads.get(f.id) : undefined;
          // Slack completes only files whose bytes arrived, all of them.
          if (!up?.bytes || up.bytes.length !== up.length) {
            this.emit('upload-mismatch', { declared: up?.length, got: up?.bytes?.length, contentType: up?.contentType });
            return { ok: false, error: 'file_not_found' };
          }
          this.pendingUploads.delete(f.id!);
          this.files.push({
            id: f.id!,
            filename: up.filename,
            bytes: up.bytes,
            ...(up.alt !== undefined ? { alt: up.alt } : {}),
            ...(channel ? { channel } : {}),
            ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
            ...(f.title ? { title: f.title } : {}),
          });
          done.push({ id: f.id!, ...(f.title ? { title: f.title } : {}) });
        }
        return { ok: true, files: done };
      }
      case 'users.info': {
        const u = this.opts.users?.[String(args.user)];
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: args.user,
            name: u.name ?? String(args.user),
            is_admin: Boolean(u.is_admin),
            is_owner: Boolean(u.is_owner),
            is_primary_owner: false,
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** The upload URL files.getUploadURLExternal handed out: takes the raw bytes (any content type). */
  private receiveUpload(id: string, req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = this.pendingUploads.get(id);
      if (!up || req.method !== 'POST') {
        this.record('upload', { _id: id }, undefined, 404);
        res.writeHead(404);
        return void res.end();
      }
      up.contentType = req.headers['content-type'];
      // Slack takes the bytes raw or as a multipart form with one file part (what @slack/web-api sends).
      up.bytes = filePart(Buffer.concat(chunks), up.contentType);
      this.record('upload', { _id: id, length: up.bytes.length }, undefined, 200);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${up.bytes.length}`);
    });
  }

  private response(id: string, raw: string, req: IncomingMessage, res: ServerResponse) {
    const used = this.responseUrls.get(id) ?? (this.opts.anyResponseUrl ? 0 : undefined);
    const args = parseArgs(raw, req.headers['content-type']);
    // Slack allows five posts to one response_url (within 30 minutes).
    if (used === undefined || used >= 5) {
      this.record('response_url', { ...args, _url: id }, undefined, 404);
      return send(res, 404, { ok: false, error: used === undefined ? 'invalid_url' : 'used_url' });
    }
    const problem = blockProblem(args.blocks);
    if (problem) {
      this.record('response_url', { ...args, _url: id }, undefined, 400);
      return send(res, 400, { ok: false, error: problem });
    }
    this.responseUrls.set(id, used + 1);
    this.record('response_url', { ...args, _url: id }, undefined, 200);
    send(res, 200, { ok: true });
  }
}

/** The first part with a filename in a multipart/form-data body; the body itself when it is not multipart. */
function filePart(body: Buffer, contentType: string | undefined): Buffer {
  const boundary = /boundary=([^;]+)/.exec(contentType ?? '')?.[1];
  if (!contentType?.startsWith('multipart/form-data') || !boundary) return body;
  const delimiter = Buffer.from(`--${boundary.replace(/^"|"$/g, '')}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0 && /filename=/i.test(part.subarray(0, headerEnd).toString('utf8'))) {
      return part.subarray(headerEnd + 4, part.length - 2); // drop the CRLF before the next delimiter
    }
    at = next;
  }
  return Buffer.alloc(0);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client form-encodes arguments and JSON-encodes the non-scalar ones (blocks). */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? tryJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function textProblem(text: unknown, blocks: unknown): string | undefined {
  if ((typeof text !== 'string' || !text) && !Array.isArray(blocks)) return 'no_text';
  if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';
  return undefined;
}

type AnyBlock = {
  type?: string;
  text?: { type?: string; text?: string };
  elements?: { type?: string; text?: { text?: string }; action_id?: string; value?: string }[];
};

/** Slack rejects a message whose blocks break the documented limits with `invalid_blocks`. */
export function blockProblem(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const b of blocks as AnyBlock[]) {
    if (b.type === 'section' && (!b.text?.text || b.text.text.length > 3000)) return 'invalid_blocks';
    if (b.type === 'header' && (b.text?.type !== 'plain_text' || !b.text.text || Array.from(b.text.text).length > 150))
      return 'invalid_blocks';
    if (b.type === 'context' && (!b.elements?.length || b.elements.length > 10)) return 'invalid_blocks';
    if (b.type === 'actions') {
      if (!b.elements?.length || b.elements.length > 25) return 'invalid_blocks';
      const ids = b.elements.map((e) => e.action_id);
      if (new Set(ids).size !== ids.length) return 'invalid_blocks';
      for (const e of b.elements) {
        if (e.type === 'button' && (!e.text?.text || Array.from(e.text.text).length > 75 || (e.value?.length ?? 0) > 2000))
          return 'invalid_blocks';
      }
    }
  }
  return undefined;
}
