import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { registry } from '../../src/metrics.js';
import { createHttpServer, type HttpServer, type ReadinessCheck } from '../../adapters/http/server.js';

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(100)));
});

async function start(checks: ReadinessCheck[] = []): Promise<{ http: HttpServer; base: string }> {
  const http = createHttpServer({ port: 0, host: '127.0.0.1', log: silentLogger, registry, checks: () => checks });
  servers.push(http);
  const address = await http.listen();
  return { http, base: `http://127.0.0.1:${address.port}` };
}

describe('the HTTP server', () => {
  it('given a running bot, /healthz answers 200 ok', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('given an adapter not yet connected, /readyz answers 503 and names it, then 200 once it connects', async () => {
    let connected = false;
    const { base } = await start([
      { name: 'store', ready: () => true },
      { name: 'slack', ready: () => connected },
    ]);
    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, draining: false, checks: { store: true, slack: false } });
    connected = true;
    const after = await fetch(`${base}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ready: true, checks: { store: true, slack: true } });
  });

  it('given a readiness check that throws, /readyz counts it as not ready instead of failing', async () => {
    const { base } = await start([
      {
        name: 'discord',
        ready: () => {
          throw new Error('boom');
        },
      },
    ]);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { discord: false } });
  });

  it('given the process is draining, /readyz answers 503 while /healthz still answers 200', async () => {
    const { http, base } = await start([{ name: 'store', ready: () => true }]);
    http.drain();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('given a lookup through the tutor, /metrics shows the command counted by platform and kind, the search verdict and latency', async () => {
    const app = await createApp({ log: silentLogger });
    const { base } = await start();
    await app.tutor.handle({ platform: 'metrics-test', user: { id: 'u1' }, channel: { id: 'c1' }, text: '/k8s kubelet' });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^tutor_commands_total\{platform="metrics-test",kind="lookup"\} 1$/m);
    expect(text).toMatch(/^tutor_search_results_total\{verdict="hit"\} [1-9]/m);
    expect(text).toMatch(/^tutor_search_seconds_count [1-9]/m);
    for (const name of ['tutor_quiz_answers_total', 'tutor_quiz_rounds_in_progress', 'tutor_daily_posts_total'])
      expect(text).toContain(`# TYPE ${name}`);
    await app.close();
  });

  it('given a route mounted after listen (as Slack mounts Bolt), it is served on the same port, and /* routes match below them', async () => {
    const { http, base } = await start();
    http.route('/slack/events', (_req, res) => void res.end('slack'));
    http.route('/oauth/*', (req, res) => void res.end(`oauth ${req.url}`));
    const events = await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' });
    expect(await events.text()).toBe('slack');
    expect(await (await fetch(`${base}/oauth/callback?code=1`)).text()).toBe('oauth /oauth/callback?code=1');
  });

  it('given a route handler that throws, answers 500 and keeps serving', async () => {
    const { http, base } = await start();
    http.route('/broken', async () => {
      throw new Error('handler bug');
    });
    expect((await fetch(`${base}/broken`)).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('given an unknown path or a POST to a health endpoint, answers 404 and 405', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('given a client holding a keep-alive connection, close() still finishes', async () => {
    const { http, base } = await start();
    await fetch(`${base}/healthz`, { headers: { connection: 'keep-alive' } });
    await http.close(200);
    expect(http.server.listening).toBe(false);
  });
});

describe('starting the HTTP server', () => {
  it('given the port is taken, fails with a coded error that names the port and the fix', async () => {
    const { http } = await start();
    const port = (http.server.address() as { port: number }).port;
    const second = createHttpServer({ port, host: '127.0.0.1', log: silentLogger, registry });
    await expect(second.listen()).rejects.toMatchObject({
      code: 'adapter.failed',
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)\\. Fix: .*set PORT`)),
    });
  });
});
