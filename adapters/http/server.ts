import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { TutorError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';

/** A plain Node request listener: Bolt's `HTTPReceiver.requestListener` and an Express app both fit. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One thing /readyz waits for: the store (a real query), or a chat adapter being connected. */
export interface ReadinessCheck {
  name: string;
  /** A promise may take at most READY_TIMEOUT_MS; slower counts as not ready. */
  ready(): boolean | Promise<boolean>;
}

/** Below the kubelet's default probe timeout (1 s), so a hung database reads as "not ready", not as a probe error. */
export const READY_TIMEOUT_MS = 800;

export interface HttpServerOptions {
  port: number;
  host: string;
  log: Logger;
  /**
   * The prom-client registry served on /metrics. The bot gives it only to its metrics server
   * (METRICS_PORT), so an ingress that publishes PORT for Slack's HTTP mode never publishes /metrics.
   */
  registry?: Registry;
  /** Serve /healthz and /readyz (the main port); false on the metrics-only port. */
  health?: boolean;
  /** Checks read on every /readyz; a function so adapters added after the server starts are seen. */
  checks?: () => ReadinessCheck[];
  /** Extra routes known up front; more can be added with `route()` before or after `listen()`. */
  routes?: Record<string, RouteHandler>;
}

export interface HttpServer {
  /**
   * The hook for other adapters to share this one port. Slack's HTTP mode mounts Bolt here:
   *   http.route('/slack/events', receiver.requestListener)
   * A path ending in `/*` matches everything below it (e.g. '/slack/*' for events, interactivity and OAuth).
   */
  route(path: string, handler: RouteHandler): void;
  /** Resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<AddressInfo>;
  /** From now on /readyz answers 503, so a load balancer stops sending work while the process drains. */
  drain(): void;
  /** Stops accepting connections, waits for open requests, then drops what is left after `graceMs`. */
  close(graceMs?: number): Promise<void>;
  readonly server: Server;
}

/** An HTTP server of the bot: /healthz, /readyz and the routes adapters mount (PORT), or /metrics alone (METRICS_PORT). */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log, registry } = options;
  const exact = new Map<string, RouteHandler>();
  const prefixes: { prefix: string; handler: RouteHandler }[] = [];
  let draining = false;

  const route = (path: string, handler: RouteHandler) => {
    if (path.endsWith('/*')) prefixes.push({ prefix: path.slice(0, -1), handler });
    else exact.set(path, handler);
  };

  const health = options.health ?? true;
  const served = [health ? 'health' : '', registry ? 'metrics' : ''].filter(Boolean).join(' and ') || 'HTTP';
  const builtIn: Record<string, RouteHandler> = {};
  if (health) Object.assign(builtIn, healthRoutes());
  if (registry) builtIn['/metrics'] = async (_req, res) => send(res, 200, registry.contentType, await registry.metrics());
  function healthRoutes(): Record<string, RouteHandler> {
    return {
      '/healthz': (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'ok\n'),
      '/readyz': async (_req, res) => {
        const checks = await Promise.all((options.checks?.() ?? []).map(async (c) => ({ name: c.name, ready: await safeReady(c) })));
        const ready = !draining && checks.every((c) => c.ready);
        const body = { ready, draining, checks: Object.fromEntries(checks.map((c) => [c.name, c.ready])) };
        send(res, ready ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
      },
    };
  }

  for (const [path, handler] of Object.entries(options.routes ?? {})) route(path, handler);

  const server = createServer((req, res) => {
    const path = pathOf(req.url);
    const own = Object.hasOwn(builtIn, path) ? builtIn[path] : undefined;
    const handler = own ?? exact.get(path) ?? prefixes.find((p) => path.startsWith(p.prefix))?.handler;
    if (!handler) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (own && req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        log.error({ err, path, method: req.method }, 'http handler failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.end();
      });
  });
  // Slack and load balancers keep connections open; an idle socket must not hold shutdown up for long.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    server,
    route,
    drain() {
      draining = true;
    },
    listen() {
      return new Promise<AddressInfo>((resolve, reject) => {
        const onListenError = (err: NodeJS.ErrnoException) => {
          const variable = health ? 'PORT' : 'METRICS_PORT';
          const fix = err.code === 'EADDRINUSE' ? `another process uses it; set ${variable} to a free port` : `check HOST and ${variable}`;
          reject(
            new TutorError(
              'adapter.failed',
              `Could not serve ${served} on ${options.host}:${options.port} (${err.code ?? err.message}). Fix: ${fix}.`,
              err,
            ),
          );
        };
        server.once('error', onListenError);
        server.listen(options.port, options.host, () => {
          server.off('error', onListenError);
          server.on('error', (err) => log.error({ err }, 'http server error'));
          const address = server.address() as AddressInfo;
          log.info({ host: address.address, port: address.port }, `http server listening (${Object.keys(builtIn).join(', ')})`);
          resolve(address);
        });
      });
    },
    close(graceMs = 3_000) {
      draining = true;
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

async function safeReady(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    return (await Promise.race([Promise.resolve(check.ready()), late])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
