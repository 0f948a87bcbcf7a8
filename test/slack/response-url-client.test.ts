import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveClient, type Origin } from '../../adapters/slack/keepAlive.js';
import { ResponseUrlError, ephemeral, jsonBody, responder } from '../../adapters/slack/responseUrl.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: KeepAliveClient[] = [];

async function serve(handler: Handler): Promise<{ origin: Origin; url: string; connections: () => number; bodies: string[] }> {
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
  return { origin: { protocol: 'http:', hostname: '127.0.0.1', port, host: `127.0.0.1:${port}` }, url: `http://127.0.0.1:${port}`, connections: () => connections, bodies };
}

function client(): KeepAliveClient {
  const c = new KeepAliveClient(4);
  clients.push(c);
  return c;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

describe('response_url keep-alive client', () => {
  it('posts JSON and reads the status of a Content-Length response, reusing one connection for posts in turn', async () => {
    const s = await serve((req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const c = client();
    for (let i = 0; i < 5; i += 1) expect((await c.post(s.origin, `/response/${i}`, json({ text: `hi ${i}` }), 2_000)).status).toBe(200);
    expect(s.bodies).toEqual([0, 1, 2, 3, 4].map((i) => JSON.stringify({ text: `hi ${i}` })));
    expect(s.connections()).toBe(1);
  });

  it('reads chunked responses to the end and keeps the connection', async () => {
    const s = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('ok');
      res.write(' and more');
      res.end();
    });
    const c = client();
    expect((await c.post(s.origin, '/a', json({}), 2_000)).status).toBe(200);
    expect((await c.post(s.origin, '/b', json({}), 2_000)).status).toBe(200);
    expect(s.connections()).toBe(1);
  });

  it('reports a non-2xx status with its reason, and opens a new connection after the server closes one', async () => {
    const s = await serve((_req, _body, res) => res.writeHead(404, 'Not Found', { connection: 'close' }).end('expired_url'));
    const c = client();
    expect(await c.post(s.origin, '/gone', json({}), 2_000)).toEqual({ status: 404, reason: 'Not Found' });
    expect((await c.post(s.origin, '/gone', json({}), 2_000)).status).toBe(404);
    expect(s.connections()).toBe(2);
  });

  it('runs at most maxSockets posts at once and queues the rest', async () => {
    let open = 0;
    let most = 0;
    const s = await serve((_req, _body, res) => {
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        res.end('{"ok":true}');
      }, 20);
    });
    const c = client();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.post(s.origin, `/r/${i}`, json({ i }), 2_000)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(most).toBe(4);
    expect(s.bodies).toHaveLength(12);
  });

  it('gives up on a server that never answers, with an error', async () => {
    const s = await serve(() => {});
    await expect(client().post(s.origin, '/slow', json({}), 100)).rejects.toThrow(/no response within 100 ms/);
  });

  it('fails a post to a closed port, and a connection that drops mid-response', async () => {
    const raw = createNetServer((socket) => socket.resume().end('HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nshort'));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const port = (raw.address() as AddressInfo).port;
    const c = client();
    await expect(c.post({ protocol: 'http:', hostname: '127.0.0.1', port, host: `127.0.0.1:${port}` }, '/', json({}), 2_000)).rejects.toThrow(/closed before the response was complete/);
    await new Promise((r) => raw.close(r));
    await expect(c.post({ protocol: 'http:', hostname: '127.0.0.1', port, host: `127.0.0.1:${port}` }, '/', json({}), 2_000)).rejects.toThrow(/connection failed/);
  });

  it('reads a response that ends with the connection (no length, no chunks)', async () => {
    const raw = createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nok')));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const port = (raw.address() as AddressInfo).port;
    expect((await client().post({ protocol: 'http:', hostname: '127.0.0.1', port, host: `127.0.0.1:${port}` }, '/', json({}), 2_000)).status).toBe(200);
    await new Promise((r) => raw.close(r));
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
    expect(JSON.parse(jsonBody(ephemeral(fresh)).toString())).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'quiz' });
  });
});
