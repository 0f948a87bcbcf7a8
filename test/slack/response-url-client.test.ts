import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseUrlError, ephemeral, jsonBody, responder } from '../../adapters/slack/responseUrl.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; connections: () => number; bodies: string[] }> {
  let connections = 0;
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      handler(req, body, res);
    });
  });
  server.on('connection', () => (connections += 1));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, bodies };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

describe('posting to response_url', () => {
  it('posts JSON in turn, reusing kept-alive connections rather than one per post', async () => {
    const s = await serve((_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const post = responder(`${s.url}/hook`);
    for (let i = 0; i < 5; i++) await post({ text: `answer ${i}` });
    expect(s.bodies.map((b) => JSON.parse(b).text)).toEqual(['answer 0', 'answer 1', 'answer 2', 'answer 3', 'answer 4']);
    expect(s.connections()).toBeLessThan(5);
  });

  it('reads chunked and connection-closed responses to the end', async () => {
    const chunked = await serve((_req, _body, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write('{"ok":');
      res.end('true}');
    });
    await responder(`${chunked.url}/a`)({ text: 'x' });
    const closing = await serve((_req, _body, res) => res.writeHead(200, { connection: 'close' }).end('ok'));
    await responder(`${closing.url}/b`)({ text: 'y' });
    await responder(`${closing.url}/b`)({ text: 'z' });
    expect(closing.bodies).toHaveLength(2);
  });

  it('gives up on a server that never answers, with a ResponseUrlError', async () => {
    const s = await serve(() => {});
    const err = await responder(`${s.url}/slow`, 200)({ text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseUrlError);
  });

  it('fails a post to a closed port, and one whose connection drops before any answer', async () => {
    const net = createNetServer((sock) => sock.once('data', () => sock.destroy()));
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', r));
    const port = (net.address() as AddressInfo).port;
    await expect(responder(`http://127.0.0.1:${port}/drop`)({ text: 'x' })).rejects.toBeInstanceOf(ResponseUrlError);
    await new Promise((r) => net.close(r));
    await expect(responder(`http://127.0.0.1:${port}/closed`)({ text: 'x' })).rejects.toBeInstanceOf(ResponseUrlError);
  });
});

describe('responder', () => {
  it('posts the message as JSON and turns a non-2xx status into a ResponseUrlError with the status', async () => {
    const s = await serve((req, _body, res) => res.writeHead(req.url === '/ok' ? 200 : 500).end());
    await responder(`${s.url}/ok`)({ text: 'hello', response_type: 'ephemeral' });
    expect(JSON.parse(s.bodies[0]!)).toEqual({ text: 'hello', response_type: 'ephemeral' });
    const err = await responder(`${s.url}/broken`)({ text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseUrlError);
    expect((err as ResponseUrlError).status).toBe(500);
  });

  it('refuses a response_url that is not http(s) without sending anything', async () => {
    await expect(responder('ftp://example.com/x')({ text: 'x' })).rejects.toThrow(/not an http\(s\) URL/);
    await expect(responder('not a url')({ text: 'x' })).rejects.toBeInstanceOf(ResponseUrlError);
  });

  it('serialises a frozen (cached) message once, and wraps it as ephemeral the same way every time', () => {
    const cached = Object.freeze({ text: 'card', blocks: Object.freeze([]) });
    expect(ephemeral(cached)).toBe(ephemeral(cached));
    expect(ephemeral(cached)).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'card', blocks: [] });
    expect(jsonBody(ephemeral(cached))).toBe(jsonBody(ephemeral(cached)));
    const fresh = { text: 'quiz' };
    expect(ephemeral(fresh)).not.toBe(ephemeral(fresh));
    expect(JSON.parse(jsonBody(ephemeral(fresh)).toString())).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'quiz',
    });
  });
});
