import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The cheapest possible Slack for load tests: a raw TCP server that reads HTTP/1.1 requests (keep-alive,
 * Content-Length or chunked bodies) and answers every one `200 {"ok":true,…}`. It parses no JSON and
 * builds no objects per request, so the CPU it burns on a shared 2-core machine is as small as it can be
 * and the bench charges our app only for its own work. FakeSlackApi is the faithful fake; this is not.
 *
 * It counts posts to `/response/b{n}` by n (so a duplicate answer shows) and bodies that carry
 * the markers given (e.g. the busy notice's text).
 */
const BODY = '{"ok":true,"user_id":"UBOT","team_id":"T0001","bot_id":"B0001"}';
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: keep-alive\r\n\r\n${BODY}`,
);
const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');
const RESPONSE_PATH = Buffer.from(' /response/b');

export interface SinkCounts {
  requests: number;
  /** Distinct response_url ids posted to. */
  answered: number;
  /** Posts to a response_url id that had been posted to already. */
  duplicates: number;
  /** Bodies containing each marker. */
  marked: Record<string, number>;
}

export class ResponseSink {
  private readonly server: Server;
  private requests = 0;
  private answered = 0;
  private duplicates = 0;
  private seen = new Uint8Array(1 << 20);
  private readonly markers: { name: string; bytes: Buffer; count: number }[];

  constructor(markers: Record<string, string> = {}) {
    this.markers = Object.entries(markers).map(([name, text]) => ({ name, bytes: Buffer.from(text), count: 0 }));
    this.server = createServer({ noDelay: true }, (socket) => this.serve(socket));
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  counts(): SinkCounts {
    return {
      requests: this.requests,
      answered: this.answered,
      duplicates: this.duplicates,
      marked: Object.fromEntries(this.markers.map((m) => [m.name, m.count])),
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    let pending: Buffer | undefined;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      let replies = 0;
      for (;;) {
        const used = this.take(buf);
        if (used === 0) break;
        replies += 1;
        buf = buf.subarray(used);
      }
      pending = buf.length ? Buffer.from(buf) : undefined;
      if (replies === 1) socket.write(RESPONSE);
      else if (replies > 1) socket.write(Buffer.concat(Array.from({ length: replies }, () => RESPONSE)));
    });
  }

  /** Bytes of one complete request at the start of buf (0: not all here yet), counted. */
  private take(buf: Buffer): number {
    const head = buf.indexOf(HEAD_END);
    if (head < 0) return 0;
    const headers = buf.toString('latin1', 0, head).toLowerCase();
    let end: number;
    const len = /\r\ncontent-length:\s*(\d+)/.exec(headers);
    if (len) {
      end = head + 4 + Number(len[1]);
      if (buf.length < end) return 0;
    } else if (headers.includes('\r\ntransfer-encoding: chunked')) {
      const last = buf.indexOf(CHUNKED_END, head + 2);
      if (last < 0) return 0;
      end = last + CHUNKED_END.length;
    } else {
      end = head + 4;
    }
    this.requests += 1;
    const at = buf.indexOf(RESPONSE_PATH);
    if (at >= 0 && at < head) {
      let n = 0;
      for (let i = at + RESPONSE_PATH.length; i < head; i += 1) {
        const d = buf[i]! - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (n >= this.seen.length) {
        const grown = new Uint8Array(Math.max(n + 1, this.seen.length * 2));
        grown.set(this.seen);
        this.seen = grown;
      }
      if (this.seen[n]) this.duplicates += 1;
      else this.answered += 1;
      this.seen[n] = 1;
      for (const m of this.markers) if (buf.subarray(head, end).includes(m.bytes)) m.count += 1;
    }
    return end;
  }
}
