import { Agent, request } from 'undici';

/**
 * Posts to a command's or an interaction's `response_url`. Same contract as Bolt's `respond` (JSON
 * POST, a non-2xx status is an error), on undici's pooled keep-alive client: fetch, and node:http
 * more so, cost more CPU per post under load than everything else an answer does. Sockets idle for
 * 4 s are closed, so a post rarely meets a socket the server has already dropped.
 */
const agent = new Agent({ connections: 256, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
const HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ResponseUrlError';
  }
}

export type Respond = (message: object) => Promise<void>;

/**
 * A frozen message's JSON, made once: render.ts freezes the messages it caches (cards, help, misses),
 * and `ephemeral()` keeps one frozen wrapper for each, so a popular card is serialised once, not per post.
 * Anything else is serialised per post, without the bookkeeping.
 */
const bodies = new WeakMap<object, Buffer>();

export function jsonBody(message: object): Buffer {
  if (!Object.isFrozen(message)) return Buffer.from(JSON.stringify(message));
  let body = bodies.get(message);
  if (!body) {
    body = Buffer.from(JSON.stringify(message));
    bodies.set(message, body);
  }
  return body;
}

const wrapped = new WeakMap<object, object>();

/** `{ response_type: 'ephemeral', replace_original: false, ...message }`; for a frozen message, the same frozen object every time. */
export function ephemeral(message: object): object {
  if (!Object.isFrozen(message)) return { response_type: 'ephemeral', replace_original: false, ...message };
  let w = wrapped.get(message);
  if (!w) {
    w = Object.freeze({ response_type: 'ephemeral', replace_original: false, ...message });
    wrapped.set(message, w);
  }
  return w;
}

export function responder(responseUrl: string, timeoutMs = 10_000): Respond {
  const target = parse(responseUrl);
  return async (message) => {
    if (!target) throw new ResponseUrlError(0, 'response_url is not an http(s) URL');
    let status: number;
    try {
      const res = await request(target, {
        method: 'POST',
        headers: HEADERS,
        body: jsonBody(message),
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      throw new ResponseUrlError(0, `Failed to respond to the response_url: ${(err as Error).message}`, { cause: err });
    }
    if (status < 200 || status >= 300) throw new ResponseUrlError(status, `Failed to respond to the response_url: ${status}`);
  };
}

function parse(raw: string): URL | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}
