import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

const require = createRequire(import.meta.url);

export type { Logger };

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'config.slack.botToken',
  'config.slack.appToken',
  'config.slack.signingSecret',
  'config.discord.token',
  // A response_url lets anyone post as the bot in that conversation for 30 minutes; user text is the user's.
  // Where they are fields of a logged object (Bolt's and the Web API's log objects), they never reach a line.
  'response_url',
  '*.response_url',
  '*.*.response_url',
  '*.*.*.response_url',
  'bolt.text',
  'bolt.*.text',
  'bolt.*.*.text',
  'bolt.blocks',
  'bolt.*.blocks',
  // discord.js errors carry the request URL (an interaction's webhook URL holds its token) and the body we sent.
  'err.url',
  'err.requestBody',
];

/** The correlation id of the incoming event being handled, added to every log line written while handling it. */
const correlation = new AsyncLocalStorage<{ correlationId: string }>();

/**
 * Runs `fn` (and everything it starts: awaits, timers, queued work bound to this context) as the
 * handling of one incoming event: every log line written meanwhile carries `correlationId: id`.
 */
export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return correlation.run({ correlationId: id || newCorrelationId() }, fn);
}

export function currentCorrelationId(): string | undefined {
  return correlation.getStore()?.correlationId;
}

export function newCorrelationId(): string {
  return randomUUID().slice(0, 13);
}

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines (a terminal); JSON lines otherwise. */
  pretty?: boolean;
  /** Where lines go; defaults to standard error so standard output stays clean for --json. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: { app: 'k8s-tutor' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => correlation.getStore() ?? {},
  };
  const destination = opts.destination ?? process.stderr;
  if (opts.pretty) {
    // pino-pretty as a stream (not a worker transport) so the process can exit promptly.
    return pino(options, pinoPrettyStream(destination));
  }
  return pino(options, destination as pino.DestinationStream);
}

function pinoPrettyStream(destination: NodeJS.WritableStream): pino.DestinationStream {
  const pretty = require('pino-pretty') as (o: object) => pino.DestinationStream;
  return pretty({
    destination,
    colorize: Boolean((destination as { isTTY?: boolean }).isTTY),
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname,app',
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
