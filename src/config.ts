import { z } from 'zod';
import { DEFAULT_LIMITS, type LimitSettings } from './conversation/limits.js';
import { TutorError } from './errors.js';

/** Posts that may wait per channel in an adapter's outbound queue (OUTBOUND_QUEUE_MAX). */
export const DEFAULT_OUTBOUND_QUEUE_MAX = 50;

/**
 * The one configuration schema, read once at start from the environment.
 * Every problem names the variable and how to fix it.
 */
const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

const url = (name: string) =>
  optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: `${name} must be an http(s) URL such as http://127.0.0.1:8080/api/. Fix: set a full URL or unset ${name}.`,
  });

/** A whole number from `min` to `max`, unset for the default; the message names the variable and a fix. */
const wholeNumber = (name: string, min: number, max: number, example: number, meaning: string) =>
  optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), {
    message: `${name} must be a whole number from ${min} to ${max} (${meaning}). Fix: set ${name}=${example} or unset it for the default.`,
  });

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const EnvSchema = z
  .object({
    NOTES_PATH: optionalText,
    NOTES_WATCH: optionalText.refine((v) => v === undefined || /^(?:1|0|true|false|yes|no|on|off)$/i.test(v), {
      message:
        'NOTES_WATCH must be 1 or 0 (true/false, on/off). Fix: set NOTES_WATCH=1 to reload notes when they change, NOTES_WATCH=0 to load them once, or unset it.',
    }),
    DATA_DIR: optionalText,
    DATABASE_URL: optionalText.refine((v) => v === undefined || isPostgresUrl(v), {
      message:
        'DATABASE_URL must be a PostgreSQL URL such as postgres://tutor:secret@db:5432/tutor. Fix: correct it, or unset DATABASE_URL to use the embedded SQLite store in DATA_DIR.',
    }),
    DATABASE_POOL_MAX: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100), {
      message: 'DATABASE_POOL_MAX must be a whole number of connections from 1 to 100. Fix: set DATABASE_POOL_MAX=10 or unset it.',
    }),
    DATABASE_STATEMENT_TIMEOUT_MS: optionalText.refine(
      (v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 100 && Number(v) <= 600_000),
      {
        message:
          'DATABASE_STATEMENT_TIMEOUT_MS must be milliseconds from 100 to 600000. Fix: set DATABASE_STATEMENT_TIMEOUT_MS=5000 or unset it.',
      },
    ),
    PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536), {
      message: 'PORT must be a TCP port number from 1 to 65535. Fix: set PORT=3000 or unset it.',
    }),
    HOST: optionalText,
    METRICS_PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536), {
      message: 'METRICS_PORT must be a TCP port number from 1 to 65535, other than PORT. Fix: set METRICS_PORT=9464 or unset it.',
    }),
    LIMIT_USER_EVENTS: wholeNumber('LIMIT_USER_EVENTS', 0, 100_000, 30, 'messages one person may send per window; 0 turns the limit off'),
    LIMIT_USER_WINDOW_SECONDS: wholeNumber('LIMIT_USER_WINDOW_SECONDS', 1, 86_400, 60, "seconds until a person's allowance refills"),
    LIMIT_CHANNEL_EVENTS: wholeNumber(
      'LIMIT_CHANNEL_EVENTS',
      0,
      1_000_000,
      300,
      'messages one channel may send per window; 0 turns the limit off',
    ),
    LIMIT_CHANNEL_WINDOW_SECONDS: wholeNumber('LIMIT_CHANNEL_WINDOW_SECONDS', 1, 86_400, 60, "seconds until a channel's allowance refills"),
    OUTBOUND_QUEUE_MAX: wholeNumber('OUTBOUND_QUEUE_MAX', 1, 100_000, 50, 'posts waiting per channel before new ones are refused'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent. Fix: set LOG_LEVEL=info.',
      })
      .optional(),
    LOG_FORMAT: z
      .enum(['pretty', 'json'], { message: 'LOG_FORMAT must be pretty or json. Fix: unset it to choose by terminal.' })
      .optional(),
    TUTOR_SEED: optionalText.refine((v) => v === undefined || /^-?\d+$/.test(v), {
      message: 'TUTOR_SEED must be a whole number. Fix: set TUTOR_SEED=42 or unset it.',
    }),
    QUIZ_SECONDS: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 5 && Number(v) <= 600), {
      message: 'QUIZ_SECONDS must be a whole number of seconds from 5 to 600. Fix: set QUIZ_SECONDS=30 or unset it.',
    }),
    REVIEW_RETENTION: optionalText.refine((v) => v === undefined || (/^0?\.\d+$/.test(v) && Number(v) >= 0.7 && Number(v) <= 0.99), {
      message:
        'REVIEW_RETENTION must be the share of items you want to still remember when they come up for review, from 0.70 to 0.99. Fix: set REVIEW_RETENTION=0.9 or unset it.',
    }),
    REVIEW_REMIND_MIN_DUE: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100), {
      message: 'REVIEW_REMIND_MIN_DUE must be a whole number of due items from 1 to 100. Fix: set REVIEW_REMIND_MIN_DUE=3 or unset it.',
    }),
    SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
      message:
        'SLACK_BOT_TOKEN must be a bot token starting with xoxb-. Fix: copy "Bot User OAuth Token" from your Slack app\'s OAuth & Permissions page.',
    }),
    SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
      message:
        'SLACK_APP_TOKEN must be an app-level token starting with xapp-. Fix: create one with the connections:write scope under Basic Information → App-Level Tokens, or unset it to use HTTP mode.',
    }),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_API_URL: url('SLACK_API_URL'),
    SLACK_ADMIN_USERS: optionalText,
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText.refine((v) => v === undefined || v.length >= 16, {
      message:
        'SLACK_STATE_SECRET must be at least 16 characters (it signs the OAuth state). Fix: set it to a long random string, e.g. from `openssl rand -hex 32`.',
    }),
    DISCORD_TOKEN: optionalText,
    DISCORD_API_URL: url('DISCORD_API_URL'),
    DISCORD_GUILD_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message:
        'DISCORD_GUILD_ID must be a server id (digits). Fix: enable Developer Mode in Discord, right-click the server, Copy Server ID.',
    }),
    DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message: 'DISCORD_APPLICATION_ID must be the application id (digits) from the Discord developer portal.',
    }),
    DISCORD_PUBLIC_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v), {
      message:
        'DISCORD_PUBLIC_KEY must be the 64 hex characters of "Public Key" on your application\'s General Information page. Fix: copy it again, or unset it to take interactions over the gateway.',
    }),
    DISCORD_TYPED_ANSWERS: z
      .enum(['on', 'off'], {
        message:
          'DISCORD_TYPED_ANSWERS must be on or off. Fix: set DISCORD_TYPED_ANSWERS=off to answer by buttons only (no Message Content intent), or unset it.',
      })
      .optional(),
    DISCORD_GATEWAY: z
      .enum(['on', 'off'], {
        message:
          'DISCORD_GATEWAY must be on or off. Fix: set DISCORD_GATEWAY=off (with DISCORD_PUBLIC_KEY and DISCORD_TYPED_ANSWERS=off) to take interactions over HTTP only, or unset it.',
      })
      .optional(),
    DISCORD_SHARDS: optionalText.refine((v) => v === undefined || v === 'auto' || /^\d+(,\d+)*$/.test(v) || /^\d+-\d+$/.test(v), {
      message:
        "DISCORD_SHARDS must be auto, a list of shard ids (0,1) or a range (0-3). Fix: set DISCORD_SHARDS=auto, or this replica's shards with DISCORD_SHARD_COUNT.",
    }),
    DISCORD_SHARD_COUNT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1), {
      message:
        'DISCORD_SHARD_COUNT must be the total number of shards (a whole number from 1). Fix: set it with DISCORD_SHARDS, or unset both for one shard.',
    }),
  })
  .superRefine((env, ctx) => {
    if (env.METRICS_PORT && env.METRICS_PORT === (env.PORT ?? '3000')) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: `METRICS_PORT must differ from PORT (${env.METRICS_PORT}): /metrics has its own port so an ingress for PORT never publishes it. Fix: set METRICS_PORT=9464 or unset it.`,
      });
    }
    const oauthSet = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET].filter(Boolean).length;
    if (oauthSet > 0 && oauthSet < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_CLIENT_ID'],
        message:
          'The Slack install flow needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together. Fix: set all three (Basic Information → App Credentials; the state secret is any long random string), or none.',
      });
    }
    if (env.DISCORD_GATEWAY === 'off' && (!env.DISCORD_PUBLIC_KEY || env.DISCORD_TYPED_ANSWERS !== 'off')) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_GATEWAY'],
        message:
          'DISCORD_GATEWAY=off needs DISCORD_PUBLIC_KEY (interactions then come only over HTTP) and DISCORD_TYPED_ANSWERS=off (typed answers arrive only on the gateway). Fix: set both, or unset DISCORD_GATEWAY.',
      });
    }
    const ids = parseShards(env.DISCORD_SHARDS);
    if (Array.isArray(ids) && !env.DISCORD_SHARD_COUNT) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_SHARD_COUNT'],
        message:
          'DISCORD_SHARD_COUNT is missing while DISCORD_SHARDS lists shard ids. Fix: set DISCORD_SHARD_COUNT to the total shard count across replicas, or set DISCORD_SHARDS=auto.',
      });
    }
    if (Array.isArray(ids) && env.DISCORD_SHARD_COUNT && ids.some((id) => id >= Number(env.DISCORD_SHARD_COUNT))) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_SHARDS'],
        message: `DISCORD_SHARDS names a shard id at or above DISCORD_SHARD_COUNT (${env.DISCORD_SHARD_COUNT}); ids run from 0. Fix: correct the ids or the count.`,
      });
    }
    const slackAny = env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET;
    // The install flow brings each workspace's token (multi-workspace mode), so then no SLACK_BOT_TOKEN is needed.
    const installFlow = oauthSet === 3;
    if (slackAny && !env.SLACK_BOT_TOKEN && !installFlow) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message:
          'SLACK_BOT_TOKEN is missing while other SLACK_ settings are set. Fix: set SLACK_BOT_TOKEN=xoxb-… (OAuth & Permissions page) for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install the app in many (docs/slack.md), or unset the other SLACK_ variables.',
      });
    }
    if ((env.SLACK_BOT_TOKEN || installFlow) && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode). Fix: set SLACK_APP_TOKEN=xapp-… for Socket Mode, or SLACK_SIGNING_SECRET from Basic Information → Signing Secret.',
      });
    }
  });

export interface Config {
  notesPaths: string[] | undefined;
  /** NOTES_WATCH; undefined when unset (`npm start` then watches a NOTES_PATH). */
  notesWatch: boolean | undefined;
  dataDir: string;
  /** Set: the PostgreSQL store; unset: SQLite in dataDir. */
  database: { url: string; poolMax: number; statementTimeoutMs: number } | undefined;
  port: number;
  host: string;
  /** /metrics listens here, apart from PORT (which an ingress may publish for Slack's HTTP mode). */
  metricsPort: number;
  limits: LimitSettings;
  /** Posts that may wait per channel; beyond it the newest is refused (README: Limits). */
  outboundQueueMax: number;
  logLevel: string;
  logFormat: 'pretty' | 'json' | undefined;
  seed: number | undefined;
  quizSeconds: number;
  /** FSRS desired retention for review scheduling (REVIEW_RETENTION, default 0.9). */
  reviewRetention: number;
  /** Review reminders go out when at least this many items are due (REVIEW_REMIND_MIN_DUE, default 3). */
  reviewRemindMinDue: number;
  slack:
    | {
        /** SLACK_BOT_TOKEN: one workspace's token. Unset with the install flow: each workspace's token comes from its installation. */
        botToken: string | undefined;
        appToken: string | undefined;
        signingSecret: string | undefined;
        apiUrl: string | undefined;
        adminUsers: string[];
        /** Set: the OAuth install flow at /slack/install and /slack/oauth_redirect (docs/slack.md). */
        oauth?: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
      }
    | undefined;
  discord:
    | {
        token: string;
        apiUrl: string | undefined;
        guildId: string | undefined;
        applicationId: string | undefined;
        /** Set: interactions arrive over HTTP at /discord/interactions, verified with this Ed25519 key. */
        publicKey: string | undefined;
        /** Read answers typed in round threads (needs the privileged Message Content intent). */
        typedAnswers: boolean;
        /** Log in to the gateway (DISCORD_GATEWAY, default on); off: interactions over HTTP only, everything sent over REST. */
        gateway: boolean;
        /** 'auto' (Discord's recommendation), this replica's shard ids, or undefined (one shard). */
        shards: 'auto' | number[] | undefined;
        shardCount: number | undefined;
      }
    | undefined;
}

function parseShards(v: string | undefined): 'auto' | number[] | undefined {
  if (v === undefined) return undefined;
  if (v === 'auto') return 'auto';
  const range = /^(\d+)-(\d+)$/.exec(v);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  }
  return /^\d+(,\d+)*$/.test(v) ? v.split(',').map(Number) : undefined;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads the environment once; throws a TutorError('config.invalid') listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      return i.message.startsWith(name) ? `- ${i.message}` : `- ${name}: ${i.message}`;
    });
    throw new TutorError('config.invalid', `Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    notesPaths: e.NOTES_PATH ? splitList(e.NOTES_PATH) : undefined,
    notesWatch: e.NOTES_WATCH === undefined ? undefined : /^(?:1|true|yes|on)$/i.test(e.NOTES_WATCH),
    dataDir: e.DATA_DIR ?? './data',
    database: e.DATABASE_URL
      ? {
          url: e.DATABASE_URL,
          poolMax: e.DATABASE_POOL_MAX ? Number(e.DATABASE_POOL_MAX) : 10,
          statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ? Number(e.DATABASE_STATEMENT_TIMEOUT_MS) : 5_000,
        }
      : undefined,
    port: e.PORT ? Number(e.PORT) : 3000,
    host: e.HOST ?? '0.0.0.0',
    metricsPort: e.METRICS_PORT ? Number(e.METRICS_PORT) : 9464,
    limits: {
      userEvents: e.LIMIT_USER_EVENTS !== undefined ? Number(e.LIMIT_USER_EVENTS) : DEFAULT_LIMITS.userEvents,
      userWindowSeconds: e.LIMIT_USER_WINDOW_SECONDS !== undefined ? Number(e.LIMIT_USER_WINDOW_SECONDS) : DEFAULT_LIMITS.userWindowSeconds,
      channelEvents: e.LIMIT_CHANNEL_EVENTS !== undefined ? Number(e.LIMIT_CHANNEL_EVENTS) : DEFAULT_LIMITS.channelEvents,
      channelWindowSeconds:
        e.LIMIT_CHANNEL_WINDOW_SECONDS !== undefined ? Number(e.LIMIT_CHANNEL_WINDOW_SECONDS) : DEFAULT_LIMITS.channelWindowSeconds,
    },
    outboundQueueMax: e.OUTBOUND_QUEUE_MAX !== undefined ? Number(e.OUTBOUND_QUEUE_MAX) : DEFAULT_OUTBOUND_QUEUE_MAX,
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT,
    seed: e.TUTOR_SEED !== undefined ? Number(e.TUTOR_SEED) : undefined,
    quizSeconds: e.QUIZ_SECONDS ? Number(e.QUIZ_SECONDS) : 30,
    reviewRetention: e.REVIEW_RETENTION ? Number(e.REVIEW_RETENTION) : 0.9,
    reviewRemindMinDue: e.REVIEW_REMIND_MIN_DUE ? Number(e.REVIEW_REMIND_MIN_DUE) : 3,
    slack:
      e.SLACK_BOT_TOKEN || (e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET)
        ? {
            botToken: e.SLACK_BOT_TOKEN,
            appToken: e.SLACK_APP_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            apiUrl: e.SLACK_API_URL,
            adminUsers: splitList(e.SLACK_ADMIN_USERS),
            oauth:
              e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
                ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
                : undefined,
          }
        : undefined,
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          apiUrl: e.DISCORD_API_URL,
          guildId: e.DISCORD_GUILD_ID,
          applicationId: e.DISCORD_APPLICATION_ID,
          publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase(),
          typedAnswers: e.DISCORD_TYPED_ANSWERS !== 'off',
          gateway: e.DISCORD_GATEWAY !== 'off',
          shards: parseShards(e.DISCORD_SHARDS),
          shardCount: e.DISCORD_SHARD_COUNT ? Number(e.DISCORD_SHARD_COUNT) : undefined,
        }
      : undefined,
  };
}
