import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackApi } from './webApi.js';

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: unknown;
  at: number;
}

/**
 * A fake Socket Mode endpoint on 127.0.0.1: apps.connections.open (on the fake Web API) hands out its
 * URL; a client that connects gets `hello`, then envelopes; the client answers each with an ack carrying
 * the envelope_id. Every ack is recorded. The server pings like Slack does so the client's watchdog is fed.
 */
export class FakeSocketMode extends EventEmitter {
  readonly acks: Ack[] = [];
  readonly sent: Envelope[] = [];
  private readonly wss: WebSocketServer;
  private client: WebSocket | undefined;
  private ping: NodeJS.Timeout | undefined;

  constructor(private readonly api: FakeSlackApi) {
    super();
    this.setMaxListeners(100);
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (ws) => {
      this.client = ws;
      ws.on('message', (data) => {
        try {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id) {
            this.acks.push({
              envelope_id: msg.envelope_id,
              ...(msg.payload !== undefined ? { payload: msg.payload } : {}),
              at: Date.now(),
            });
            this.emit('ack', msg.envelope_id);
          }
        } catch {
          // Slack ignores what it cannot parse; so does the fake.
        }
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-fake', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0001' },
        }),
      );
      this.emit('connection');
    });
    this.ping = setInterval(() => this.client?.ping(), 5_000);
    this.ping.unref();
  }

  async start(): Promise<this> {
    if (!this.wss.address()) await new Promise<void>((resolve) => this.wss.once('listening', () => resolve()));
    this.api.socketUrl = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/link/?ticket=fake`;
    return this;
  }

  get connected(): boolean {
    return this.client?.readyState === 1;
  }

  /** Sends an envelope and resolves with the client's ack (or rejects after `timeoutMs`). */
  send(
    type: Envelope['type'],
    payload: unknown,
    extra: { retry_attempt?: number; retry_reason?: string; envelope_id?: string } = {},
    timeoutMs = 5_000,
  ): Promise<Ack> {
    if (!this.client) return Promise.reject(new Error('no Socket Mode client connected'));
    const envelope: Envelope = {
      envelope_id: extra.envelope_id ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...extra,
    };
    this.sent.push(envelope);
    const acked = new Promise<Ack>((resolve, reject) => {
      const onAck = (id: string) => {
        if (id !== envelope.envelope_id) return;
        clearTimeout(timer);
        this.off('ack', onAck);
        resolve(this.acks.find((a) => a.envelope_id === id)!);
      };
      const timer = setTimeout(() => {
        this.off('ack', onAck);
        reject(new Error(`no ack for ${type} ${envelope.envelope_id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('ack', onAck);
    });
    this.client.send(JSON.stringify(envelope));
    return acked;
  }

  async stop(): Promise<void> {
    if (this.ping) clearInterval(this.ping);
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
