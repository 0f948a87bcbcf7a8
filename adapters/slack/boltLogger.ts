import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

/**
 * Bolt, the Web API client and the Socket Mode client all log through this, into our pino logger,
 * so LOG_LEVEL, the JSON format, the correlation id and redaction apply. Objects go to pino as a
 * `bolt` field (never flattened into the message), so the redaction paths reach response_url, text
 * and blocks inside them. Above debug, URLs in message strings lose everything after the host: a
 * response_url is a bearer credential for 30 minutes. pino's level decides what is written; Bolt's
 * `setLevel` is ignored so its default INFO cannot override LOG_LEVEL.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log;
  const write = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    const objects = args.filter((a) => a !== null && typeof a === 'object' && !(a instanceof Error));
    const strings = args.filter((a) => a === null || typeof a !== 'object').map(String);
    let text = strings.join(' ');
    if (level !== 'debug') text = scrubUrls(text);
    const fields: Record<string, unknown> = {};
    if (err) fields.err = level === 'debug' ? err : scrubbedError(err);
    if (objects.length > 0) fields.bolt = objects.length === 1 ? objects[0] : objects;
    child[level](fields, text || (err ? scrubUrls(err.message) : ''));
  };
  return {
    debug: (...args: unknown[]) => write('debug', args),
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    setLevel: () => {},
    getLevel: () => {
      if (child.isLevelEnabled('debug')) return LogLevel.DEBUG;
      if (child.isLevelEnabled('info')) return LogLevel.INFO;
      if (child.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: (name: string) => {
      child = log.child({ component: name });
    },
  };
}

/** `https://hooks.slack.com/commands/T1/123/abc` → `https://hooks.slack.com/…`: where, never the credential. */
export function scrubUrls(text: string): string {
  return text.replace(/\b(https?:\/\/[^\s/"'<>]+)\/[^\s"'<>]*/g, '$1/…');
}

/** An error as pino would log it, with URLs scrubbed from its message and stack (and no request body). */
function scrubbedError(err: Error): Record<string, unknown> {
  const e = err as Error & { code?: unknown; statusCode?: unknown; data?: { error?: unknown } };
  return {
    type: err.name,
    message: scrubUrls(err.message),
    ...(err.stack ? { stack: scrubUrls(err.stack) } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(e.data?.error !== undefined ? { data: { error: e.data.error } } : {}),
  };
}
