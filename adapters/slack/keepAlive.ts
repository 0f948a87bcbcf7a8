import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * A small HTTP/1.1 client for one job: POST a JSON body to an origin and learn the status, over
 * keep-alive sockets. Answering a command means one POST to its response_url; under load node:http's
 * ClientRequest/IncomingMessage machinery (per-request objects, header validation, stream events,
 * socket timers) cost ~60-100 µs of CPU a post, more than our whole lookup. Here a post is one
 * prepared buffer, one write and a status line read back (~30 µs). It reads Content-Length and
 * chunked responses, and a response that ends with the connection; it does not follow redirects
 * (Slack's response_url never redirects).
 */
export interface PostResult {
  status: number;
  /** The response's reason phrase, for error messages. */
  reason: string;
}

export class HttpPostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpPostError';
  }
}

interface Pending {
  resolve: (r: PostResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Idle sockets older than this are not reused: servers drop idle keep-alive connections (often at 5 s). */
const IDLE_MS = 4_000;
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** One connection: a request at a time, the response parsed as its bytes arrive. */
class Connection {
  pending: Pending | undefined;
  idleSince = 0;
  private buf: Buffer | undefined;
  /** Parser state for the response in progress. */
  private status = 0;
  private reason = '';
  private bodyLeft = -1;
  private chunked = false;
  private untilClose = false;
  private closeAfter = false;
  private headDone = false;

  constructor(
    readonly socket: Socket,
    private readonly done: (c: Connection, reusable: boolean) => void,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (err) => this.fail(new HttpPostError(`connection failed: ${err.message}`, { cause: err })));
    socket.on('close', () => {
      if (this.pending && this.headDone && this.untilClose) this.finish(false);
      else this.fail(new HttpPostError('connection closed before the response was complete'));
    });
  }

  send(payload: Buffer, pending: Pending): void {
    this.pending = pending;
    this.buf = undefined;
    this.headDone = false;
    this.socket.ref();
    this.socket.write(payload);
  }

  private onData(d: Buffer): void {
    if (!this.pending) {
      // Bytes nobody asked for: the server is confused, and a request sent here next would be too.
      this.fail(new HttpPostError('unexpected data on an idle connection'));
      return;
    }
    this.buf = this.buf?.length ? Buffer.concat([this.buf, d]) : d;
    if (!this.headDone && !this.readHead()) return;
    if (this.untilClose) {
      this.buf = undefined;
      return;
    }
    if (this.chunked ? this.readChunks() : this.readLength()) this.finish(!this.closeAfter);
  }

  /** False until the status line and headers are all here (1xx interim responses are skipped). */
  private readHead(): boolean {
    for (;;) {
      const end = this.buf!.indexOf(HEAD_END);
      if (end < 0) {
        if (this.buf!.length > 64 * 1024) this.fail(new HttpPostError('response headers too large'));
        return false;
      }
      const head = this.buf!.toString('latin1', 0, end);
      this.buf = this.buf!.subarray(end + 4);
      const line = /^HTTP\/1\.([01]) (\d{3}) ?([^\r\n]*)/.exec(head);
      if (!line) {
        this.fail(new HttpPostError('malformed response'));
        return false;
      }
      const status = Number(line[2]);
      if (status >= 100 && status < 200) continue;
      const lower = head.toLowerCase();
      const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(lower);
      this.status = status;
      this.reason = line[3] ?? '';
      this.chunked = /\r\ntransfer-encoding:[^\r\n]*chunked/.test(lower);
      this.closeAfter = line[1] === '0' ? !/\r\nconnection:[^\r\n]*keep-alive/.test(lower) : /\r\nconnection:[^\r\n]*close/.test(lower);
      this.bodyLeft = this.chunked ? -1 : length ? Number(length[1]) : status === 204 || status === 304 ? 0 : -1;
      this.untilClose = !this.chunked && this.bodyLeft < 0;
      this.headDone = true;
      return true;
    }
  }

  private readLength(): boolean {
    const have = this.buf?.length ?? 0;
    if (have < this.bodyLeft) {
      this.bodyLeft -= have;
      this.buf = undefined;
      return false;
    }
    if (have > this.bodyLeft) this.closeAfter = true; // more than the response: not a stream we can trust
    this.buf = undefined;
    return true;
  }

  /** Skips chunked body data; true once the last chunk and the trailers are through. */
  private readChunks(): boolean {
    let buf = this.buf!;
    for (;;) {
      if (this.bodyLeft > 0) {
        // Inside a chunk: its data and the CRLF after it.
        if (buf.length < this.bodyLeft) {
          this.bodyLeft -= buf.length;
          this.buf = undefined;
          return false;
        }
        buf = buf.subarray(this.bodyLeft);
        this.bodyLeft = -1;
      }
      const eol = buf.indexOf(CRLF);
      if (eol < 0) {
        this.buf = buf;
        return false;
      }
      const size = Number.parseInt(buf.toString('latin1', 0, eol), 16);
      if (Number.isNaN(size)) {
        this.fail(new HttpPostError('malformed chunked response'));
        return false;
      }
      if (size === 0) {
        // The last chunk: trailers (usually none), then an empty line.
        if (buf.indexOf(HEAD_END, eol) < 0) {
          this.buf = buf;
          return false;
        }
        this.buf = undefined;
        return true;
      }
      buf = buf.subarray(eol + 2);
      this.bodyLeft = size + 2;
    }
  }

  private finish(reusable: boolean): void {
    const p = this.pending!;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve({ status: this.status, reason: this.reason });
    this.done(this, reusable);
  }

  fail(err: Error): void {
    const p = this.pending;
    this.pending = undefined;
    this.socket.destroy();
    this.done(this, false);
    if (p) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}

/** Keep-alive connections to one origin, at most `maxSockets` at once; posts beyond that wait their turn. */
class OriginPool {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly open: () => Socket,
    private readonly maxSockets: number,
  ) {}

  post(payload: Buffer, timeoutMs: number): Promise<PostResult> {
    return new Promise<PostResult>((resolve, reject) => {
      const start = () => {
        const conn = this.take();
        const timer = setTimeout(() => conn.fail(new HttpPostError(`no response within ${timeoutMs} ms`)), timeoutMs);
        conn.send(payload, { resolve, reject, timer });
      };
      if (this.idle.length || this.all.size < this.maxSockets) start();
      else this.waiting.push(start);
    });
  }

  private take(): Connection {
    const now = Date.now();
    for (let conn = this.idle.pop(); conn; conn = this.idle.pop()) {
      if (now - conn.idleSince < IDLE_MS && !conn.socket.destroyed) return conn;
      this.drop(conn);
    }
    const conn = new Connection(this.open(), (c, reusable) => this.release(c, reusable));
    this.all.add(conn);
    return conn;
  }

  private release(conn: Connection, reusable: boolean): void {
    if (!this.all.has(conn)) return;
    if (reusable) {
      conn.idleSince = Date.now();
      conn.socket.unref(); // an idle socket never keeps the process alive
      this.idle.push(conn);
    } else {
      this.all.delete(conn);
      const i = this.idle.indexOf(conn);
      if (i >= 0) this.idle.splice(i, 1);
      conn.socket.destroy();
    }
    this.waiting.shift()?.();
  }

  private drop(conn: Connection): void {
    this.all.delete(conn);
    conn.socket.destroy();
  }

  close(): void {
    for (const conn of this.all) conn.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }
}

export interface Origin {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** The Host header value. */
  host: string;
}

export class KeepAliveClient {
  private readonly pools = new Map<string, OriginPool>();

  constructor(private readonly maxSockets = 64) {}

  /** POSTs `body` (JSON) to `path` at `origin`; resolves with the status whatever it is, rejects on network errors and timeouts. */
  post(origin: Origin, path: string, body: Buffer, timeoutMs: number): Promise<PostResult> {
    const key = `${origin.protocol}//${origin.host}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new OriginPool(() => openSocket(origin), this.maxSockets);
      this.pools.set(key, pool);
    }
    const head = `POST ${path} HTTP/1.1\r\nHost: ${origin.host}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${body.length}\r\nUser-Agent: k8s-tutor\r\n\r\n`;
    const payload = Buffer.allocUnsafe(Buffer.byteLength(head, 'latin1') + body.length);
    const at = payload.write(head, 'latin1');
    body.copy(payload, at);
    return pool.post(payload, timeoutMs);
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }
}

function openSocket(origin: Origin): Socket {
  const host = origin.hostname.replace(/^\[|\]$/g, '');
  const socket =
    origin.protocol === 'https:'
      ? tlsConnect({ host, port: origin.port, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'] })
      : netConnect({ host, port: origin.port });
  socket.setNoDelay(true);
  return socket;
}
