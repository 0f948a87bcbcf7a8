import { z } from 'zod';
import { TutorError } from './errors.js';

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

const EnvSchema = z
  .object({
    NOTES_PATH: optionalText,
    NOTES_WATCH: optionalText.refine((v) => v === undefined || /^(?:1|0|true|false|yes|no|on|off)$/i.test(v), {
      message: 'NOTES_WATCH must be 1 or 0 (true/false, on/off). Fix: set NOTES_WATCH=1 to reload notes when they change, NOTES_WATCH=0 to load them once, or unset it.',
    }),
    DATA_DIR: optionalText,
    PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536), {
      message: 'PORT must be a TCP port number from 1 to 65535. Fix: set PORT=3000 or unset it.',
    }),
    HOST: optionalText,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent. Fix: set LOG_LEVEL=info.',
      })
      .optional(),
    LOG_FORMAT: z.enum(['pretty', 'json'], { message: 'LOG_FORMAT must be pretty or json. Fix: unset it to choose by terminal.' }).optional(),
    TUTOR_SEED: optionalText.refine((v) => v === undefined || /^-?\d+$/.test(v), {
      message: 'TUTOR_SEED must be a whole number. Fix: set TUTOR_SEED=42 or unset it.',
    }),
    QUIZ_SECONDS: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 5 && Number(v) <= 600), {
      message: 'QUIZ_SECONDS must be a whole number of seconds from 5 to 600. Fix: set QUIZ_SECONDS=30 or unset it.',
    }),
    SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
      message: 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-. Fix: copy "Bot User OAuth Token" from your Slack app\'s OAuth & Permissions page.',
    }),
    SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
      message: 'SLACK_APP_TOKEN must be an app-level token starting with xapp-. Fix: create one with the connections:write scope under Basic Information → App-Level Tokens, or unset it to use HTTP mode.',
    }),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_API_URL: url('SLACK_API_URL'),
    SLACK_ADMIN_USERS: optionalText,
    DISCORD_TOKEN: optionalText,
    DISCORD_API_URL: url('DISCORD_API_URL'),
    DISCORD_GUILD_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message: 'DISCORD_GUILD_ID must be a server id (digits). Fix: enable Developer Mode in Discord, right-click the server, Copy Server ID.',
    }),
    DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), {
      message: 'DISCORD_APPLICATION_ID must be the application id (digits) from the Discord developer portal.',
    }),
  })
  .superRefine((env, ctx) => {
    const slackAny = env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET;
    if (slackAny && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'SLACK_BOT_TOKEN is missing while other SLACK_ settings are set. Fix: set SLACK_BOT_TOKEN=xoxb-… (OAuth & Permissions page), or unset the other SLACK_ variables.',
      });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode). Fix: set SLACK_APP_TOKEN=xapp-… for Socket Mode, or SLACK_SIGNING_SECRET from Basic Information → Signing Secret.',
      });
    }
  });

export interface Config {
  notesPaths: string[] | undefined;
  /** NOTES_WATCH; undefined when unset (`npm start` then watches a NOTES_PATH). */
  notesWatch: boolean | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  logFormat: 'pretty' | 'json' | undefined;
  seed: number | undefined;
  quizSeconds: number;
  slack:
    | {
        botToken: string;
        appToken: string | undefined;
        signingSecret: string | undefined;
        apiUrl: string | undefined;
        adminUsers: string[];
      }
    | undefined;
  discord:
    | {
        token: string;
        apiUrl: string | undefined;
        guildId: string | undefined;
        applicationId: string | undefined;
      }
    | undefined;
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
    port: e.PORT ? Number(e.PORT) : 3000,
    host: e.HOST ?? '0.0.0.0',
    logLevel: e.LOG_LEVEL ?? 'info',
    logFormat: e.LOG_FORMAT,
    seed: e.TUTOR_SEED !== undefined ? Number(e.TUTOR_SEED) : undefined,
    quizSeconds: e.QUIZ_SECONDS ? Number(e.QUIZ_SECONDS) : 30,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
          adminUsers: splitList(e.SLACK_ADMIN_USERS),
        }
      : undefined,
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          apiUrl: e.DISCORD_API_URL,
          guildId: e.DISCORD_GUILD_ID,
          applicationId: e.DISCORD_APPLICATION_ID,
        }
      : undefined,
  };
}
