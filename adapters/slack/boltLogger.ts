import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

/**
 * Bolt, the Web API client and the Socket Mode client all log through this, into our pino logger
 * (so redaction and the JSON format apply). pino's level decides what is written; Bolt's
 * `setLevel` is ignored so its default INFO cannot override LOG_LEVEL.
 */
export function boltLogger(log: Logger): BoltLogger {
  let child = log;
  const write = (level: 'debug' | 'info' | 'warn' | 'error', args: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const err = args.find((a): a is Error => a instanceof Error);
    const text = args
      .filter((a) => !(a instanceof Error))
      .map((a) => (typeof a === 'string' ? a : safeJson(a)))
      .join(' ');
    if (err) child[level]({ err }, text || err.message);
    else child[level](text);
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

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
