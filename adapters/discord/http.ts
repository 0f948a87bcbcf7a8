import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../../src/logger.js';
import type { RouteHandler } from '../http/server.js';
import { verifyDiscordSignature } from './httpVerify.js';

/** Interactions are small; anything larger is not from Discord. */
const MAX_BODY = 256 * 1024;

const PING = 1;
const PONG = 1;

/**
 * `/discord/interactions` on the shared HTTP server: Discord's HTTP interactions. Every request is
 * verified (Ed25519) before anything reads it; a bad or missing signature gets 401 and runs no
 * handler. PING is answered PONG in the response body (Discord requires that for the endpoint
 * check). Everything else is acknowledged with 202 at once and handed to `dispatch`, which answers
 * through the interaction callback endpoint exactly as for a gateway interaction: one core path,
 * and any replica behind the load balancer can take any interaction.
 */
export function discordInteractionsRoute(opts: {
  key: KeyObject;
  log: Logger;
  dispatch: (payload: Record<string, unknown>) => void;
  now?: () => number;
}): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, { error: 'body too large' });
    const ok = verifyDiscordSignature(
      opts.key,
      header(req, 'x-signature-ed25519'),
      header(req, 'x-signature-timestamp'),
      body,
      opts.now?.(),
    );
    if (!ok) {
      opts.log.warn({ remote: req.socket.remoteAddress }, 'discord interaction with a bad signature refused');
      return send(res, 401, { error: 'invalid request signature' });
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (!payload || typeof payload !== 'object') throw new Error('not an object');
    } catch {
      return send(res, 400, { error: 'body is not a JSON object' });
    }
    if (payload.type === PING) return send(res, 200, { type: PONG });
    send(res, 202, undefined);
    try {
      opts.dispatch(payload);
    } catch (err) {
      opts.log.error({ err, interaction: payload.id }, 'discord http interaction could not be dispatched');
    }
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  if (json === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
}
