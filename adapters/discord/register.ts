import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { loadConfig } from '../../src/config.js';
import { TutorError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { SLASH_COMMANDS } from './commands.js';

export interface RegisterOptions {
  token: string;
  apiUrl?: string | undefined;
  /** From DISCORD_APPLICATION_ID; asked of Discord (`GET /applications/@me`) when unset. */
  applicationId?: string | undefined;
  /** One server (appears at once, good while testing); globally when unset. */
  guildId?: string | undefined;
  log: Logger;
}

/**
 * `npm run discord:register`: puts the slash commands (Korean names beside English) on Discord.
 * A bulk PUT replaces the whole set, so running it twice is harmless.
 */
export async function registerCommands(opts: RegisterOptions): Promise<{ scope: string; count: number }> {
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl.replace(/\/+$/, '') } : {}).setToken(opts.token);
  const applicationId = opts.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = opts.guildId ? Routes.applicationGuildCommands(applicationId, opts.guildId) : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: SLASH_COMMANDS })) as unknown[];
  const scope = opts.guildId ? `server ${opts.guildId}` : 'global (may take up to an hour to appear everywhere)';
  opts.log.info({ applicationId, scope, commands: saved.length }, 'slash commands registered');
  return { scope, count: saved.length };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, pretty: Boolean(process.stderr.isTTY) });
  if (!config.discord) {
    throw new TutorError(
      'config.invalid',
      'DISCORD_TOKEN is not set. Fix: copy the bot token from the Discord developer portal (your application → Bot → Reset Token) and set DISCORD_TOKEN.',
    );
  }
  const { scope, count } = await registerCommands({ ...config.discord, log });
  process.stdout.write(`Registered ${count} commands, ${scope}.\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
