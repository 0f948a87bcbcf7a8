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
];

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
  return pretty({ destination, colorize: Boolean((destination as { isTTY?: boolean }).isTTY), translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app' });
}

export const silentLogger: Logger = pino({ level: 'silent' });
