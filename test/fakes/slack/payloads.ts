import { randomUUID } from 'node:crypto';
import { signedHeaders } from './sign.js';

/** Payloads shaped like Slack's own (https://docs.slack.dev/interactivity/), filled with test defaults. */
export const TEAM = 'T0001';
export const CHANNEL = 'C0001';
export const USER = 'U0001';

export function slashCommand(text: string, responseUrl: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'fake',
    channel_id: CHANNEL,
    channel_name: 'general',
    user_id: USER,
    user_name: 'minji',
    command: '/k8s',
    text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().slice(0, 8)}`,
    ...over,
  };
}

export interface ButtonPress {
  actionId: string;
  value: string;
  blockId?: string;
  responseUrl: string;
  channel?: string;
  user?: string;
  ephemeral?: boolean;
  /** The message the button was on (public messages only; Slack omits it for ephemeral ones). */
  message?: { ts: string; thread_ts?: string; blocks?: unknown[]; text?: string };
}

export function blockActions(press: ButtonPress): Record<string, unknown> {
  const channel = press.channel ?? CHANNEL;
  const ts = press.message?.ts ?? '1767225600.000001';
  return {
    type: 'block_actions',
    user: { id: press.user ?? USER, username: 'minji', name: 'minji', team_id: TEAM },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: press.ephemeral
      ? { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: true }
      : {
          type: 'message',
          message_ts: ts,
          channel_id: channel,
          is_ephemeral: false,
          ...(press.message?.thread_ts ? { thread_ts: press.message.thread_ts } : {}),
        },
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().slice(0, 8)}`,
    team: { id: TEAM, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'general' },
    ...(press.ephemeral || !press.message ? {} : { message: { type: 'message', user: 'UBOT', bot_id: 'B0001', ...press.message } }),
    state: { values: {} },
    response_url: press.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: press.actionId,
        block_id: press.blockId ?? 'b1',
        text: { type: 'plain_text', text: 'x', emoji: true },
        value: press.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0001',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export interface SendOptions {
  secret: string;
  /** Seconds since the epoch the request claims; Slack's own clock by default. */
  timestamp?: number;
  retryNum?: number;
  retryReason?: string;
  /** Sign with this secret instead (a forged request). */
  signWith?: string;
}

export interface SlackHttpResult {
  status: number;
  body: string;
  /** Milliseconds from sending to the response (the acknowledgement). */
  ms: number;
}

/** Sends a request to the app exactly as Slack does: the right encoding, signed, with retry headers when retried. */
export async function sendToApp(
  url: string,
  kind: 'command' | 'interaction' | 'event',
  data: Record<string, unknown>,
  opts: SendOptions,
): Promise<SlackHttpResult> {
  const body =
    kind === 'command'
      ? new URLSearchParams(data as Record<string, string>).toString()
      : kind === 'interaction'
        ? new URLSearchParams({ payload: JSON.stringify(data) }).toString()
        : JSON.stringify(data);
  const headers: Record<string, string> = signedHeaders(
    opts.signWith ?? opts.secret,
    body,
    opts.timestamp,
    kind === 'event' ? 'application/json' : 'application/x-www-form-urlencoded',
  );
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}
